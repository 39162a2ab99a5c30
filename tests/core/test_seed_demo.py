import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command

from core.models import AuditEvent, OfficerMembership, SupplierMembership, User
from core.permissions import can_manage_borough_people

DEMO_LOGINS = [
    "officer@example.org",
    "approver@example.org",
    "evaluator@example.org",
    "boroughadmin@example.org",
    "supplier-a@example.org",
    "supplier-b@example.org",
    "supplier-c@example.org",
    "supplier-d@example.org",
    "supplier-e@example.org",
    "supplier-f@example.org",
]


def test_demo_accounts_are_refused_outside_the_development_settings(db):
    with pytest.raises(CommandError, match="development settings"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_creates_every_login_once_and_can_run_again(db, settings):
    settings.DEMO_ACCOUNTS_ENABLED = True
    call_command("seed_demo")
    counts = (User.objects.count(), OfficerMembership.objects.count(), AuditEvent.objects.count())
    call_command("seed_demo")

    assert (
        User.objects.count(),
        OfficerMembership.objects.count(),
        AuditEvent.objects.count(),
    ) == counts
    for email in DEMO_LOGINS:
        user = User.objects.get(email=email)
        assert user.check_password(settings.DEMO_PASSWORD), email
        assert user.emailaddress_set.filter(verified=True, primary=True).exists(), email


def test_demo_officers_have_the_demo_authenticator_and_suppliers_admin_their_organisation(
    db, settings
):
    settings.DEMO_ACCOUNTS_ENABLED = True
    call_command("seed_demo")

    officers = User.objects.filter(officer_memberships__isnull=False).distinct()
    assert officers.count() == 4
    for user in officers:
        assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    for email in [email for email in DEMO_LOGINS if email.startswith("supplier-")]:
        membership = SupplierMembership.objects.get(user__email=email)
        assert membership.role == "admin"
    admin = User.objects.get(email="boroughadmin@example.org")
    borough = admin.officer_memberships.get().borough
    assert admin.is_staff and not admin.is_superuser
    assert can_manage_borough_people(admin, borough)
    call_command("verify_audit")
