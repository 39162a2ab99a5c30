"""The running sample, built once per test module where a module asks for it.

Building ``running(personas)`` takes a procurement through the whole award (selection,
tenders, evaluation, the award with its rendered summaries, standstill, contracts): about
2.5 seconds. A module whose tests all start from the same two-partner sample uses
``shared_sample`` and ``shared_personas`` instead: the sample is built once for the module
inside a transaction rolled back when the module ends, and each test runs in a savepoint
within it (the ``db`` fixture nests), so what one test changes the next never sees. The
``Running`` each test gets is read afresh from the database, so no object one test changed
in memory reaches the next.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test.utils import override_settings

from core.calendar import bank_holidays_seed
from partners.models import Partnership
from procurements.models import Procurement
from stages.models import Phase
from tests.conftest import make_personas
from tests.stages.running_samples import Running, running


@pytest.fixture(scope="module")
def _module_sample(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("running-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            bank_holidays_seed(first_year=2025, last_year=2028)
            personas = make_personas()
            sample = running(personas)
            yield personas, sample.procurement.pk
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def shared_personas(_module_sample, db):
    """The module's personas (made once with its sample)."""
    return _module_sample[0]


@pytest.fixture
def shared_sample(_module_sample, db) -> Running:
    """The module's two-partner running sample, read afresh for this test."""
    procurement = Procurement.objects.get(pk=_module_sample[1])
    return Running(
        procurement=procurement,
        phases=list(Phase.objects.filter(procurement=procurement).order_by("order", "pk")),
        partnerships=list(
            Partnership.objects.filter(procurement=procurement)
            .select_related("request__organisation")
            .order_by("reference")
        ),
    )
