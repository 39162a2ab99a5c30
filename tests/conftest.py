"""Persona fixtures every test can use to check who may and who may not.

Personas: officer of borough A, officer of borough B, approver and evaluator
of borough A, borough administrator of A, supplier A admin, supplier A member,
supplier B member, consortium member (a third organisation), anonymous,
superuser, and officer_password_only: the borough administrator of A (an
officer and staff, with an authenticator app) in a session that went round the
app step, as a sign-in at Django's own admin form once could. Sign it in with
``force_sign_in(client, user, methods=PASSWORD_ONLY)``.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from core.calendar import bank_holidays_seed
from core.models import OfficerRole, SupplierRole
from core.services.accounts import borough_admin_access_sync

from . import factories

# The browser harness (Playwright on Debian's Chromium, axe-core on every page):
# its fixtures and report hook live in one module so one Chromium serves every
# browser test, wherever the test file is.
from .browser_harness import browser_page, chromium, pytest_runtest_makereport  # noqa: F401
from .cache_reset import clear_own_cache
from .signing_in import force_sign_in

PASSWORD_ONLY = ("password",)


@dataclass
class Personas:
    borough_a: object
    borough_b: object
    officer_a: object
    officer_b: object
    approver_a: object
    evaluator_a: object
    borough_admin_a: object
    org_a: object
    org_b: object
    org_c: object
    supplier_a_admin: object
    supplier_a_member: object
    supplier_b_admin: object
    supplier_b_member: object
    consortium_member: object
    superuser: object
    anonymous: object
    officer_password_only: object

    def all(self) -> dict[str, object]:
        names = [
            "officer_a", "officer_b", "approver_a", "evaluator_a", "borough_admin_a",
            "supplier_a_admin", "supplier_a_member", "supplier_b_admin", "supplier_b_member",
            "consortium_member", "superuser", "anonymous", "officer_password_only",
        ]  # fmt: skip
        return {name: getattr(self, name) for name in names}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache.

    allauth keeps rate limits (one confirmation e-mail per address every few
    minutes) and used TOTP codes in the Redis cache, which would otherwise
    carry over from one test to the next.
    """
    clear_own_cache()


@pytest.fixture
def personas(db) -> Personas:
    return make_personas()


def make_personas() -> Personas:
    """The personas, made in the current database (the fixture's body; benchmarks call it)."""
    borough_a = factories.BoroughFactory(name="London Borough of Aldgate", slug="aldgate")
    borough_b = factories.BoroughFactory(name="London Borough of Bowfield", slug="bowfield")
    org_a = factories.SupplierOrganisationFactory(name="Alpha Robotics Ltd")
    org_b = factories.SupplierOrganisationFactory(name="Beta Care CIC", is_vcse=True)
    org_c = factories.SupplierOrganisationFactory(name="Gamma Sensors Ltd")
    borough_admin = factories.officer(
        borough_a, OfficerRole.BOROUGH_ADMIN, email="admin-a@example.org", is_staff=True
    )
    # The admin group and the object permission on borough A, as the role grant gives them.
    borough_admin_access_sync(user=borough_admin)
    return Personas(
        borough_a=borough_a,
        borough_b=borough_b,
        officer_a=factories.officer(borough_a, OfficerRole.OFFICER, email="officer-a@example.org"),
        officer_b=factories.officer(borough_b, OfficerRole.OFFICER, email="officer-b@example.org"),
        approver_a=factories.officer(
            borough_a, OfficerRole.APPROVER, email="approver-a@example.org"
        ),
        evaluator_a=factories.officer(
            borough_a, OfficerRole.EVALUATOR, email="evaluator-a@example.org"
        ),
        borough_admin_a=borough_admin,
        org_a=org_a,
        org_b=org_b,
        org_c=org_c,
        supplier_a_admin=factories.supplier(org_a, SupplierRole.ADMIN, email="a-admin@example.org"),
        supplier_a_member=factories.supplier(org_a, email="a-member@example.org"),
        supplier_b_admin=factories.supplier(org_b, SupplierRole.ADMIN, email="b-admin@example.org"),
        supplier_b_member=factories.supplier(org_b, email="b-member@example.org"),
        consortium_member=factories.supplier(org_c, SupplierRole.ADMIN, email="c@example.org"),
        superuser=factories.UserFactory(
            email="root@example.org", is_staff=True, is_superuser=True, totp=True
        ),
        anonymous=AnonymousUser(),
        officer_password_only=borough_admin,
    )


@pytest.fixture
def login(client):
    """Sign a persona in to the test client, past the TOTP stage.

    The session records the sign-in steps allauth would (password, and the
    authenticator app for anyone who has one), an hour ago.
    """

    def _login(user, **options):
        if getattr(user, "is_authenticated", False):
            force_sign_in(client, user, **options)
        return client

    return _login


@pytest.fixture
def procurement(personas):
    """A draft of borough A, led by officer A."""
    return factories.ProcurementFactory(borough=personas.borough_a, lead_officer=personas.officer_a)


@pytest.fixture
def officer(personas, login):
    """The test client, with officer A (who leads ``procurement``) signed in."""
    return login(personas.officer_a)


@pytest.fixture
def bank_holidays(db):
    """The bank holidays the deadline rules count, 2025 to 2028.

    A migration seeds them too, but a transactional test elsewhere empties the table.
    """
    bank_holidays_seed(first_year=2025, last_year=2028)


@pytest.fixture
def media_root(settings, tmp_path):
    """Generated documents go to a throw-away directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def clock(monkeypatch):
    """Set the server's clock (django.utils.timezone.now) to a given moment."""

    def set_to(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Let the test database empty the audit table between transactional tests.

    Django empties every table with TRUNCATE after a transactional test, which
    the audit table's trigger refuses. The trigger is switched off here, in the
    throw-away test database only; production databases have no such switch.
    UPDATE and DELETE stay refused.
    """
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_truncate")


CLOSED_PORT_BROKER = "redis://127.0.0.1:6390/0"


def _reset_broker_connections():
    from portal.celery import app

    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down():
    """The Celery app publishes to a port where nothing listens, for real."""
    from portal.celery import app

    conf = app.conf
    saved = conf.broker_url, conf.task_always_eager
    _reset_broker_connections()
    conf.broker_url, conf.task_always_eager = CLOSED_PORT_BROKER, False
    yield
    _reset_broker_connections()
    conf.broker_url, conf.task_always_eager = saved
