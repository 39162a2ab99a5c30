"""People: users, boroughs and their officers, supplier organisations and their members."""

import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from core.validators import (
    normalise_companies_house_number,
    normalise_postcode,
    validate_companies_house_number,
    validate_postcode,
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with an e-mail address.

    Officers belong to a borough through ``OfficerMembership``; suppliers to an
    organisation through ``SupplierMembership``. One account is never both.
    """

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=200, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="core_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Nation(models.TextChoices):
    ENGLAND = "ENG", "England"
    WALES = "WLS", "Wales"
    SCOTLAND = "SCT", "Scotland"
    NORTHERN_IRELAND = "NIR", "Northern Ireland"


class AuthorityType(models.TextChoices):
    SUB_CENTRAL = "sub_central", "Sub-central government authority"
    CENTRAL = "central", "Central government authority"


class Borough(models.Model):
    """A contracting authority that runs procurements on the portal."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    nation = models.CharField(max_length=3, choices=Nation.choices, default=Nation.ENGLAND)
    identifier = models.CharField(
        max_length=64,
        unique=True,
        help_text="Organisation identifier, e.g. GB-LAC:E09000007 or the Find a Tender ID.",
    )
    authority_type = models.CharField(
        max_length=16, choices=AuthorityType.choices, default=AuthorityType.SUB_CENTRAL
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        permissions = [("manage_borough_people", "Can manage the people of this borough")]

    def __str__(self) -> str:
        return self.name


class OfficerRole(models.TextChoices):
    OFFICER = "officer", "Procurement officer"
    APPROVER = "approver", "Approver"
    EVALUATOR = "evaluator", "Evaluator"
    BOROUGH_ADMIN = "borough_admin", "Borough administrator"


class OfficerMembership(models.Model):
    """A role a person holds in a borough. One person may hold several roles."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="officer_memberships")
    borough = models.ForeignKey(Borough, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=OfficerRole.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["borough__name", "user__email", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "borough", "role"], name="core_officer_membership_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.borough}"


class Region(models.TextChoices):
    NORTH_EAST = "TLC", "North East"
    NORTH_WEST = "TLD", "North West"
    YORKSHIRE = "TLE", "Yorkshire and The Humber"
    EAST_MIDLANDS = "TLF", "East Midlands"
    WEST_MIDLANDS = "TLG", "West Midlands"
    EAST = "TLH", "East of England"
    LONDON = "TLI", "London"
    SOUTH_EAST = "TLJ", "South East"
    SOUTH_WEST = "TLK", "South West"
    WALES = "TLL", "Wales"
    SCOTLAND = "TLM", "Scotland"
    NORTHERN_IRELAND = "TLN", "Northern Ireland"
    OUTSIDE_UK = "XX", "Outside the UK"


class SupplierOrganisation(models.Model):
    """A company, charity or other body that bids, alone or in a consortium."""

    name = models.CharField(max_length=200)
    companies_house_number = models.CharField(
        max_length=8,
        blank=True,
        validators=[validate_companies_house_number],
        help_text="Leave blank if the organisation is not registered at Companies House.",
    )
    is_sme = models.BooleanField("small or medium-sized enterprise", default=False)
    is_vcse = models.BooleanField("voluntary, community or social enterprise", default=False)
    region = models.CharField(max_length=3, choices=Region.choices, blank=True)
    postcode = models.CharField(max_length=8, blank=True, validators=[validate_postcode])
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["companies_house_number"],
                condition=~models.Q(companies_house_number=""),
                name="core_supplier_ch_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.companies_house_number:
            self.companies_house_number = normalise_companies_house_number(
                self.companies_house_number
            )
        if self.postcode:
            self.postcode = normalise_postcode(self.postcode)


class SupplierRole(models.TextChoices):
    ADMIN = "admin", "Organisation admin"
    MEMBER = "member", "Member"


class SupplierMembership(models.Model):
    """A person's place in a supplier organisation. A supplier account has exactly one."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="supplier_membership")
    organisation = models.ForeignKey(
        SupplierOrganisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=8, choices=SupplierRole.choices, default=SupplierRole.MEMBER)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["organisation__name", "user__email"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.organisation}"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=7)


class SupplierInvitation(models.Model):
    """An organisation admin's invitation to a colleague; usable once, until it expires."""

    organisation = models.ForeignKey(
        SupplierOrganisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=8, choices=SupplierRole.choices, default=SupplierRole.MEMBER)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the e-mail went; empty while it waits for the mail server (or was never sent).
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("core:invitation-accept", kwargs={"token": self.token})

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at
