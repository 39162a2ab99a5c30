"""The demo, seeded once per test module.

``manage.py seed_demo`` takes the demo borough's nine procurements through the services
(tens of seconds on PostgreSQL). ``seeded_demo`` runs it once for a module inside a
transaction that is rolled back when the module ends; each test then runs in a savepoint
within it (the ``db`` fixture nests), so what one test changes the next never sees, and the
database is as it was before the module once it ends. Generated files go to a directory of
the module's own.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(DEMO_ACCOUNTS_ENABLED=True, MEDIA_ROOT=media),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo")
            yield media
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo_seeded(seeded_demo, db, settings):
    """The seeded demo for one test (in its own savepoint), with the development settings'
    demo accounts and the module's media directory."""
    settings.DEMO_ACCOUNTS_ENABLED = True
    settings.MEDIA_ROOT = seeded_demo
    return seeded_demo
