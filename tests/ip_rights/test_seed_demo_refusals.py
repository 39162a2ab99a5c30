"""The demo procurements are refused outside the development settings and before the demo
people exist (kept apart from the modules that share one seeded demo)."""

import pytest
from django.core.management import CommandError, call_command

from procurements.models import Procurement

pytestmark = pytest.mark.django_db


def test_demo_procurements_are_refused_outside_the_development_settings(db):
    with pytest.raises(CommandError, match="development settings"):
        call_command("seed_demo_procurements")
    assert not Procurement.objects.exists()


def test_demo_procurements_need_the_demo_officers_first(db, settings):
    settings.DEMO_ACCOUNTS_ENABLED = True
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("seed_demo_procurements")
    assert not Procurement.objects.exists()
