"""The sealed tender box: rounds of tenders, the invited suppliers' proposals, their frozen
submissions and files, all encrypted at rest (core.sealing) until two authorised officers
open the round after its deadline (RULES.md, Annex IV; PCR 2015 reg. 22; PA 2023 s.21).

Nothing a supplier writes in a proposal is stored in the clear: its working answers, each
submission and each file (name and bytes) are sealed with the procurement's data key, which
is itself stored only wrapped by the master key from the environment (``TenderBox``). The
associated data of every sealed value names the row it belongs to, so a value copied to
another row does not open.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import FSMField, FSMModelMixin, transition

from procurements.models import Procurement

from .requests import ParticipationRequest


class TenderBox(models.Model):
    """The procurement's data key, wrapped by the master key whose id it records."""

    procurement = models.OneToOneField(
        Procurement, on_delete=models.PROTECT, related_name="tender_box"
    )
    wrapped_key = models.BinaryField()
    master_key_id = models.CharField(max_length=16)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return f"Tender box of {self.procurement.reference}"


class RoundKind(models.TextChoices):
    INITIAL = "initial", "Initial tenders"
    NEGOTIATION = "negotiation", "Tenders after negotiation"
    FINAL = "final", "Final tenders"


class RoundStatus(models.TextChoices):
    # Before the deadline tenders come in; after it the round is sealed until opened.
    OPEN = "open", "Open for tenders, then sealed"
    OPENED = "opened", "Opened"


class TenderRound(FSMModelMixin, models.Model):
    """One round of tenders: its deadline, the date from which it may be opened (set by the
    lead officer before the deadline), and its opening by two authorised officers."""

    procurement = models.ForeignKey(
        Procurement, on_delete=models.PROTECT, related_name="tender_rounds"
    )
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=RoundKind.choices)
    status = FSMField(
        max_length=8, choices=RoundStatus.choices, default=RoundStatus.OPEN, protected=True
    )
    deadline = models.DateTimeField()
    opens_at = models.DateTimeField(
        help_text="The box may be opened from then on: never before the deadline."
    )
    opening_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    opening_requested_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["procurement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "number"], name="partners_one_round_number"
            ),
            models.CheckConstraint(
                condition=Q(opens_at__gte=models.F("deadline")),
                name="partners_round_opens_after_deadline",
            ),
            models.CheckConstraint(
                condition=Q(opened_by__isnull=True)
                | ~Q(opened_by=models.F("opening_requested_by")),
                name="partners_round_opened_by_two_people",
            ),
        ]

    def __str__(self) -> str:
        return f"Round {self.number} of {self.procurement.reference}"

    @transition(status, source=RoundStatus.OPEN, target=RoundStatus.OPENED)
    def open(self, *, by) -> None:
        self.opened_by = by
        self.opened_at = timezone.now()


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    WITHDRAWN = "withdrawn", "Withdrawn"


# A proposal its organisation may still change (before the round's deadline).
PROPOSAL_CHANGEABLE = [ProposalStatus.DRAFT, ProposalStatus.SUBMITTED]


class Proposal(FSMModelMixin, models.Model):
    """An invited supplier's proposal in one round (a consortium's, through its lead). Its
    working answers are ``sealed_draft``; each submission freezes them."""

    round = models.ForeignKey(TenderRound, on_delete=models.PROTECT, related_name="proposals")
    request = models.ForeignKey(
        ParticipationRequest, on_delete=models.PROTECT, related_name="proposals"
    )
    status = FSMField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT, protected=True
    )
    sealed_draft = models.BinaryField(default=b"")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "request__organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "request"], name="partners_one_proposal")
        ]

    def __str__(self) -> str:
        return f"Proposal of {self.request.organisation} in {self.round}"

    @property
    def draft_aad(self) -> bytes:
        return f"proposal-draft:{self.pk}".encode()

    @transition(
        status,
        source=[ProposalStatus.DRAFT, ProposalStatus.SUBMITTED],
        target=ProposalStatus.SUBMITTED,
    )
    def submit(self) -> None:
        self.submitted_at = timezone.now()
        self.withdrawn_at = None

    @transition(
        status,
        source=[ProposalStatus.DRAFT, ProposalStatus.SUBMITTED],
        target=ProposalStatus.WITHDRAWN,
    )
    def withdraw(self) -> None:
        self.withdrawn_at = timezone.now()

    @transition(status, source=ProposalStatus.WITHDRAWN, target=ProposalStatus.DRAFT)
    def restart(self) -> None:
        self.withdrawn_at = None


class ProposalSubmission(models.Model):
    """One submission of a proposal, frozen and sealed, with the server's time of receipt and
    the SHA-256 of what was submitted (the receipt)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="submissions")
    number = models.PositiveSmallIntegerField()
    sealed_content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    submitted_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["proposal", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "number"], name="partners_proposal_submission_number"
            )
        ]

    def __str__(self) -> str:
        return f"Submission {self.number} of {self.proposal}"

    @staticmethod
    def aad_for(proposal_id: int, number: int) -> bytes:
        return f"proposal-submission:{proposal_id}:{number}".encode()


def proposal_file_upload_to(instance: ProposalFile, filename: str) -> str:
    return f"tenders/{instance.proposal.round.procurement_id}/{instance.token}.sealed"


class ProposalFile(models.Model):
    """A file of a proposal, sealed: its name and its bytes. ``sha256`` and ``size`` are the
    plaintext's (the receipt names files by them)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="files")
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sealed_name = models.BinaryField()
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=proposal_file_upload_to, max_length=300)
    # Removed from the working proposal; kept (sealed) while a submission names it.
    in_draft = models.BooleanField(default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"File {self.token} of {self.proposal}"

    @property
    def name_aad(self) -> bytes:
        return f"proposal-file-name:{self.token}".encode()

    @property
    def content_aad(self) -> bytes:
        return f"proposal-file:{self.token}".encode()


# --- negotiation -----------------------------------------------------------------------------


class NoteKind(models.TextChoices):
    NOTE = "note", "Negotiation note"
    MEETING_RECORD = "meeting_record", "Record of a meeting"


class NegotiationNote(models.Model):
    """A note of the negotiation with one tenderer in a round, or the record of a meeting
    with it: seen by that tenderer and the borough only (RULES.md points 5 and 6)."""

    round = models.ForeignKey(
        TenderRound, on_delete=models.PROTECT, related_name="negotiation_notes"
    )
    request = models.ForeignKey(
        ParticipationRequest, on_delete=models.PROTECT, related_name="negotiation_notes"
    )
    kind = models.CharField(max_length=14, choices=NoteKind.choices)
    text = models.TextField()
    met_on = models.DateField(null=True, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["round", "request", "written_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.request.organisation} in {self.round}"


class ChangePart(models.TextChoices):
    SPECIFICATION = "specification", "Specification"
    PHASE_PLAN = "phase_plan", "Phase plan"
    CONTRACT_TERMS = "contract_terms", "Contract terms"
    IP_TERMS = "ip_terms", "Intellectual property terms"
    TIMETABLE = "timetable", "Timetable"
    OTHER = "other", "Other"


# Never negotiated, so never changed by a change notice (RULES.md point 5).
NEVER_CHANGED = {
    "minimum_requirements": "Minimum requirements",
    "award_criteria": "Award criteria",
}


class ChangeNotice(models.Model):
    """A change to the tender documents sent in writing to every tenderer still in the
    procedure at once; the tenders of ``issued_for`` respond to it."""

    procurement = models.ForeignKey(
        Procurement, on_delete=models.PROTECT, related_name="change_notices"
    )
    number = models.PositiveSmallIntegerField()
    issued_for = models.ForeignKey(
        TenderRound, on_delete=models.PROTECT, related_name="change_notices"
    )
    parts = models.JSONField(default=list)
    text = models.TextField()
    # Items of a tenderer's information the notice shares, each with that tenderer's consent.
    shared_items = models.ManyToManyField(
        "partners.ConsentRequest", related_name="change_notices", blank=True
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["procurement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "number"], name="partners_one_change_notice_number"
            )
        ]

    def __str__(self) -> str:
        return f"Change notice {self.number} of {self.procurement.reference}"

    def parts_display(self) -> list[str]:
        labels = dict(ChangePart.choices)
        return [labels.get(part, part) for part in self.parts]
