"""Requests to participate: a supplier (alone or leading a consortium) answers a published
procurement's selection questionnaire, declares exclusion grounds and conflicts of interest,
and submits before the participation deadline (RULES.md point 3; PCR 2015 reg. 31(1), (6);
PA 2023 ss.20, 57, Schedules 6 and 7).

What a supplier submits is frozen in a numbered ``RequestSubmission`` with its SHA-256: the
borough assesses the latest submission made before the deadline, never the live draft, and
sees nothing of any request before the deadline.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import FSMField, FSMModelMixin, transition

from core.models import SupplierOrganisation
from procurements.models import Procurement

from .questionnaire import SelectionQuestion


class RequestStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    SHORTLISTED = "shortlisted", "Shortlisted"
    NOT_SHORTLISTED = "not_shortlisted", "Not shortlisted"
    EXCLUDED = "excluded", "Excluded"
    WITHDRAWN = "withdrawn", "Withdrawn"


# A request whose organisation may still change it (before the participation deadline).
CHANGEABLE = (RequestStatus.DRAFT, RequestStatus.SUBMITTED)


class ParticipationRequest(FSMModelMixin, models.Model):
    """One organisation's request to participate in one procurement, as the lead of a
    consortium when ``is_consortium``. Its answers are live while the supplier works on
    them; each submission freezes them (``RequestSubmission``)."""

    procurement = models.ForeignKey(
        Procurement, on_delete=models.PROTECT, related_name="participation_requests"
    )
    organisation = models.ForeignKey(
        SupplierOrganisation, on_delete=models.PROTECT, related_name="participation_requests"
    )
    status = FSMField(
        max_length=16, choices=RequestStatus.choices, default=RequestStatus.DRAFT, protected=True
    )
    is_consortium = models.BooleanField(default=False)
    # Conflicts of interest (PA 2023 s.81-83): None until answered.
    has_conflict = models.BooleanField(null=True, blank=True)
    conflict_details = models.TextField(blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["procurement", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "organisation"], name="partners_one_request_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.procurement.reference}"

    # --- transitions: each changes only this row; services do the rest ---

    @transition(status, source=list(CHANGEABLE), target=RequestStatus.SUBMITTED)
    def submit(self) -> None:
        self.submitted_at = timezone.now()
        self.withdrawn_at = None

    @transition(status, source=list(CHANGEABLE), target=RequestStatus.WITHDRAWN)
    def withdraw(self) -> None:
        self.withdrawn_at = timezone.now()

    @transition(status, source=RequestStatus.WITHDRAWN, target=RequestStatus.DRAFT)
    def restart(self) -> None:
        self.withdrawn_at = None

    # The approver's confirmed shortlist decides each submitted request.
    @transition(status, source=RequestStatus.SUBMITTED, target=RequestStatus.SHORTLISTED)
    def shortlist(self) -> None:
        pass

    @transition(status, source=RequestStatus.SUBMITTED, target=RequestStatus.NOT_SHORTLISTED)
    def not_shortlist(self) -> None:
        pass

    @transition(status, source=RequestStatus.SUBMITTED, target=RequestStatus.EXCLUDED)
    def exclude(self) -> None:
        pass


class RequestSubmission(models.Model):
    """One submission of a request, frozen: what was submitted, when (the server's clock),
    by whom, and the SHA-256 of the canonical JSON of ``content`` (the receipt)."""

    request = models.ForeignKey(
        ParticipationRequest, on_delete=models.PROTECT, related_name="submissions"
    )
    number = models.PositiveSmallIntegerField()
    content = models.JSONField()
    sha256 = models.CharField(max_length=64)
    submitted_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["request", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "number"], name="partners_submission_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Submission {self.number} of {self.request}"


class RequestAnswer(models.Model):
    """The answer to one selection question: ``meets`` for a pass/fail question (does the
    supplier meet it), ``text`` for a scored one (and any explanation of a pass/fail)."""

    request = models.ForeignKey(
        ParticipationRequest, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(SelectionQuestion, on_delete=models.PROTECT, related_name="+")
    meets = models.BooleanField(null=True, blank=True)
    text = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["request", "question__order", "question__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "question"], name="partners_one_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question}"


class EvidenceKind(models.TextChoices):
    COMPANY_FACT = "company_fact", "Company facts"
    CASE_STUDY = "case_study", "Case study of past research and development"
    ACCREDITATION = "accreditation", "Accreditation or certificate"


class EvidenceLibraryItem(models.Model):
    """Reusable evidence on a supplier's profile: text and files it can pull into any
    request."""

    organisation = models.ForeignKey(
        SupplierOrganisation, on_delete=models.CASCADE, related_name="evidence_library"
    )
    kind = models.CharField(max_length=16, choices=EvidenceKind.choices)
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation", "kind", "title"]

    def __str__(self) -> str:
        return self.title


def evidence_upload_to(instance: EvidenceFile, filename: str) -> str:
    """Stored under the owning organisation, by SHA-256: the supplier's name for the file
    is kept in ``name`` and never used as a path."""
    return f"evidence/{instance.organisation_id}/{instance.sha256}"


class EvidenceFile(models.Model):
    """A file of evidence, attached to one answer of a request or to a library item."""

    organisation = models.ForeignKey(
        SupplierOrganisation, on_delete=models.CASCADE, related_name="evidence_files"
    )
    answer = models.ForeignKey(
        RequestAnswer, on_delete=models.CASCADE, related_name="files", null=True, blank=True
    )
    library_item = models.ForeignKey(
        EvidenceLibraryItem,
        on_delete=models.CASCADE,
        related_name="files",
        null=True,
        blank=True,
    )
    file = models.FileField(upload_to=evidence_upload_to, max_length=300)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answer__isnull=False, library_item__isnull=True)
                | Q(answer__isnull=True, library_item__isnull=False),
                name="partners_evidence_file_has_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ConsortiumMember(models.Model):
    """An organisation in a consortium led by the request's organisation, with its role and
    share of the work; it confirms its participation from its own account."""

    request = models.ForeignKey(
        ParticipationRequest, on_delete=models.CASCADE, related_name="members"
    )
    organisation = models.ForeignKey(
        SupplierOrganisation, on_delete=models.PROTECT, related_name="consortium_memberships"
    )
    role = models.CharField(max_length=200)
    share_of_work = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text="Per cent of the work.",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["request", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "organisation"], name="partners_member_once_per_request"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.role})"


class Subcontractor(models.Model):
    """A subcontractor a request declares (it does not sign in; named only)."""

    request = models.ForeignKey(
        ParticipationRequest, on_delete=models.CASCADE, related_name="subcontractors"
    )
    name = models.CharField(max_length=200)
    companies_house_number = models.CharField(max_length=8, blank=True)
    work = models.TextField(help_text="What it will do.")

    class Meta:
        ordering = ["request", "name"]

    def __str__(self) -> str:
        return self.name


class ExclusionDeclaration(models.Model):
    """Whether one exclusion ground of the regime applies to one organisation of the request
    (the lead or a member), with details and any self-cleaning evidence."""

    request = models.ForeignKey(
        ParticipationRequest, on_delete=models.CASCADE, related_name="declarations"
    )
    organisation = models.ForeignKey(
        SupplierOrganisation, on_delete=models.PROTECT, related_name="+"
    )
    ground = models.CharField(max_length=40)
    applies = models.BooleanField(null=True, blank=True)
    details = models.TextField(blank=True)
    self_cleaning = models.TextField(blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["request", "organisation__name", "ground"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "organisation", "ground"],
                name="partners_one_declaration_per_ground",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.ground}"


class DebarmentEntry(models.Model):
    """An entry of the debarment list, kept as data by the administrators (PA 2023 ss.62-64).
    A request is checked against it, every consortium member included."""

    supplier_name = models.CharField(max_length=200)
    companies_house_number = models.CharField(max_length=8, blank=True)
    grounds = models.TextField()
    debarred_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["supplier_name"]
        verbose_name_plural = "debarment entries"

    def __str__(self) -> str:
        return self.supplier_name

    def in_force_on(self, day) -> bool:
        return self.debarred_on <= day and (self.expires_on is None or day <= self.expires_on)
