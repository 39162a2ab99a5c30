"""factory_boy factories for the whole suite."""

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings

from core.models import (
    Borough,
    OfficerMembership,
    OfficerRole,
    SupplierMembership,
    SupplierOrganisation,
    SupplierRole,
    User,
)
from stages.models import (
    GateCriterion,
    InstalmentScheduleItem,
    IntermediateTarget,
    PerformanceLevel,
    Phase,
    PurchaseTerms,
    TerminationCondition,
)

PASSWORD = "correct-horse-battery-staple"
TOTP_SECRET = settings.DEMO_TOTP_SECRET


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Every factory user has a verified primary address unless verified=False."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        """totp=True registers an authenticator from the demo secret."""
        if create and extracted:
            TOTP.activate(self, TOTP_SECRET)


class BoroughFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Borough
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"London Borough of Example {n}")
    slug = factory.Sequence(lambda n: f"example-{n}")
    identifier = factory.Sequence(lambda n: f"GB-LAC:E0900{n:04d}")


class OfficerMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficerMembership

    user = factory.SubFactory(UserFactory, totp=True)
    borough = factory.SubFactory(BoroughFactory)
    role = OfficerRole.OFFICER


class SupplierOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplierOrganisation

    name = factory.Faker("company", locale="en_GB")
    companies_house_number = factory.Sequence(lambda n: f"{n + 10000000:08d}")
    is_sme = True
    region = "TLI"
    postcode = "SE1 7PB"


class SupplierMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplierMembership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(SupplierOrganisationFactory)
    role = SupplierRole.MEMBER


def officer(borough: Borough, *roles: str, totp: bool = True, **user_fields) -> User:
    """A user holding ``roles`` (default: officer) in ``borough``."""
    user = UserFactory(totp=totp, **user_fields)
    for role in roles or (OfficerRole.OFFICER,):
        OfficerMembership.objects.create(user=user, borough=borough, role=role)
    return user


def supplier(organisation: SupplierOrganisation, role: str = SupplierRole.MEMBER, **fields) -> User:
    user = UserFactory(**fields)
    SupplierMembership.objects.create(user=user, organisation=organisation, role=role)
    return user


class ProcurementFactory(factory.django.DjangoModelFactory):
    """A draft procurement of a borough, led by one of its procurement officers."""

    class Meta:
        model = "procurements.Procurement"

    borough = factory.SubFactory(BoroughFactory)
    title = factory.Sequence(lambda n: f"Independent living at home, challenge {n}")
    reference = factory.Sequence(lambda n: f"IP-2026-{n:04d}")
    lead_officer = factory.LazyAttribute(lambda o: officer(o.borough, OfficerRole.OFFICER))
    created_by = factory.LazyAttribute(lambda o: o.lead_officer)


def phase_with_a_row_of_each_kind(procurement) -> Phase:
    """A research phase of ``procurement`` with one target, instalment, gate criterion and
    termination condition; and the procurement's purchase terms with one performance level."""
    phase = Phase.objects.create(
        procurement=procurement, kind="research", name="Feasibility", duration_weeks=12
    )
    IntermediateTarget.objects.create(phase=phase, metric="Falls detected", threshold="95%")
    InstalmentScheduleItem.objects.create(phase=phase, weeks_after_start=4, share_percent=100)
    GateCriterion.objects.create(phase=phase, criterion="Reliability", threshold="3 of 5")
    TerminationCondition.objects.create(phase=phase, condition="Misses the gate threshold")
    terms = PurchaseTerms.objects.create(procurement=procurement, max_cost=500000)
    PerformanceLevel.objects.create(purchase_terms=terms, metric="Battery", level="12 months")
    return phase
