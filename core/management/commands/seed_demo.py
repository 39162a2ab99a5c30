"""Load the demo borough, officers and suppliers (development settings only).

Run as often as you like: what exists is left as it is, what is missing is
created, and the demo passwords and authenticator are put back.

The demo procurements belong to the apps above core: when a command named
``seed_demo_procurements`` is installed, it is called by name (core never
imports those apps) once the borough and its officers exist.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.models import Borough, OfficerRole, SupplierOrganisation, User
from core.services.accounts import (
    officer_create,
    officer_role_grant,
    supplier_register,
    totp_register,
)

BOROUGH = {
    "slug": "kingsmead",
    "name": "London Borough of Kingsmead",
    "identifier": "GB-LAC:E09000099",
    "nation": "ENG",
    "authority_type": "sub_central",
}

OFFICERS = [
    ("officer@example.org", "Olivia Okafor", [OfficerRole.OFFICER]),
    ("approver@example.org", "Amir Patel", [OfficerRole.APPROVER]),
    ("evaluator@example.org", "Eleanor Hughes", [OfficerRole.EVALUATOR]),
    ("boroughadmin@example.org", "Ben Adeyemi", [OfficerRole.BOROUGH_ADMIN]),
]

# Installed by the app that loads the demo procurements; called by name.
PROCUREMENTS_COMMAND = "seed_demo_procurements"

SUPPLIERS = [
    {
        "email": "supplier-a@example.org",
        "full_name": "Sara Lindqvist",
        "organisation_name": "Assistive Robotics Lab Ltd",
        "companies_house_number": "12345678",
        "is_sme": True,
        "is_vcse": False,
        "region": "TLI",
        "postcode": "SE1 7PB",
    },
    {
        "email": "supplier-b@example.org",
        "full_name": "Tom Braithwaite",
        "organisation_name": "Brightwater Community Energy CIC",
        "companies_house_number": "SC654321",
        "is_sme": True,
        "is_vcse": True,
        "region": "TLM",
        "postcode": "EH1 1YZ",
    },
    {
        "email": "supplier-c@example.org",
        "full_name": "Grace Mensah",
        "organisation_name": "Homeward Health Technologies Ltd",
        "companies_house_number": "13572468",
        "is_sme": True,
        "is_vcse": False,
        "region": "TLI",
        "postcode": "E14 5AB",
    },
    {
        "email": "supplier-d@example.org",
        "full_name": "Declan Murphy",
        "organisation_name": "Kingsmead Care and Repair CIC",
        "companies_house_number": "09753186",
        "is_sme": True,
        "is_vcse": True,
        "region": "TLI",
        "postcode": "SE15 4QL",
    },
    {
        "email": "supplier-e@example.org",
        "full_name": "Priya Raman",
        "organisation_name": "Northway Digital Health Ltd",
        "companies_house_number": "11864207",
        "is_sme": True,
        "is_vcse": False,
        "region": "TLD",
        "postcode": "M1 3BN",
    },
    {
        "email": "supplier-f@example.org",
        "full_name": "Frank Holloway",
        "organisation_name": "Sentinel Home Safety Ltd",
        "companies_house_number": "08642097",
        "is_sme": False,
        "is_vcse": False,
        "region": "TLG",
        "postcode": "B3 2JR",
    },
]


class Command(BaseCommand):
    help = "Load the demo borough, officers and suppliers (idempotent; development only)."

    def handle(self, *args, **options):
        if not settings.DEMO_ACCOUNTS_ENABLED:
            raise CommandError(
                "Demo accounts exist only with the development settings "
                "(DJANGO_SETTINGS_MODULE=portal.settings.dev)."
            )
        with transaction.atomic():
            borough = self._borough()
            for email, name, roles in OFFICERS:
                self._officer(borough, email, name, roles)
            for fields in SUPPLIERS:
                self._supplier(dict(fields))
        self._print_logins()
        if PROCUREMENTS_COMMAND in get_commands():
            call_command(PROCUREMENTS_COMMAND, stdout=self.stdout, stderr=self.stderr)

    def _borough(self) -> Borough:
        fields = dict(BOROUGH)
        borough, _ = Borough.objects.get_or_create(slug=fields.pop("slug"), defaults=fields)
        return borough

    def _password(self, user: User) -> None:
        if not user.check_password(settings.DEMO_PASSWORD):
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])

    def _officer(self, borough: Borough, email: str, name: str, roles: list[str]) -> None:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = officer_create(
                actor=None,
                email=email,
                full_name=name,
                borough=borough,
                roles=roles,
                password=settings.DEMO_PASSWORD,
            )
        for role in roles:
            officer_role_grant(actor=None, user=user, borough=borough, role=role)
        self._password(user)
        has_totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        if not has_totp:
            totp_register(user=user, secret=settings.DEMO_TOTP_SECRET)

    def _supplier(self, fields: dict) -> None:
        email = fields.pop("email")
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=settings.DEMO_PASSWORD, full_name=fields["full_name"]
            )
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if not SupplierOrganisation.objects.filter(memberships__user=user).exists():
            supplier_register(user=user, **fields)
        self._password(user)

    def _print_logins(self) -> None:
        out = self.stdout
        out.write(self.style.SUCCESS("Demo data loaded."))
        out.write(f"Password for every demo account: {settings.DEMO_PASSWORD}")
        out.write("Officer accounts (sign in with a code from an authenticator app):")
        for email, _name, roles in OFFICERS:
            out.write(f"  {email:<28} {', '.join(r.label for r in roles)}")
        out.write("Supplier accounts (organisation admins):")
        for fields in SUPPLIERS:
            out.write(f"  {fields['email']:<28} {fields['organisation_name']}")
        secret = settings.DEMO_TOTP_SECRET
        out.write(f"Authenticator secret for the officer accounts: {secret}")
        out.write("  Add it to an authenticator app as a time-based key, or print a code with:")
        out.write("  .venv/bin/python manage.py demo_totp_code")
