"""Running the announced phases with each partner: participations, deliverables and evidence,
stage gates, remuneration in instalments, and the final purchase (RULES.md points 8 to 10;
PCR 2015 reg. 31(2) and (7); PA 2023 s.20, s.68 and s.80).

Every state field is ``FSMField(protected=True)``: only a transition sets it, and one service
per transition locks the row, checks who acts, transitions, saves and records an audit event.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import FSMField, FSMModelMixin, transition

from partners.models import Partnership
from procurements.models import Notice

from .plan import (
    GateCriterion,
    InstalmentScheduleItem,
    IntermediateTarget,
    Phase,
    TerminationCondition,
)

SCORE_MAXIMUM = 10  # gate criteria are scored 0 to 10


def _user(**kwargs) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", **kwargs
    )


def _money(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=14, decimal_places=2, **kwargs)


# --- participations ---------------------------------------------------------------------------


class ParticipationStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    UNDER_REVIEW = "under_review", "Under review"
    PASSED = "passed", "Passed"
    TERMINATED = "terminated", "Terminated"


# The states from which a partner may leave a phase: by a gate decision to terminate (under
# review) or by its own withdrawal (any state before the phase is decided).
OPEN_STATES = (
    ParticipationStatus.NOT_STARTED,
    ParticipationStatus.IN_PROGRESS,
    ParticipationStatus.UNDER_REVIEW,
)


class StageParticipation(FSMModelMixin, models.Model):
    """One partner's run through one announced phase (RULES.md point 8; PCR reg. 31(7)).

    Every partner goes through the phases in order: the first starts when the contract is
    signed, each later one only after the gate of the one before is passed; at a gate the
    partner passes or is terminated on an announced condition (point 9; reg. 31(2)).
    ``price`` is the remuneration agreed for this phase in the partner's contract (its final
    tender's price for the phase): the cap of what it can be paid for the phase.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="participations"
    )
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="participations")
    status = FSMField(
        max_length=12,
        choices=ParticipationStatus.choices,
        default=ParticipationStatus.NOT_STARTED,
        protected=True,
    )
    price = _money(
        null=True,
        blank=True,
        help_text="The remuneration agreed for this phase: the most the partner is paid for it.",
    )
    started_on = models.DateField(null=True, blank=True)
    review_requested_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["partnership", "phase__order", "phase__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "phase"], name="stages_one_participation_per_phase"
            ),
            # A phase ended before it started (its partner terminated at an earlier gate or
            # withdrawn) keeps no start date.
            models.CheckConstraint(
                condition=Q(
                    status__in=[ParticipationStatus.NOT_STARTED, ParticipationStatus.TERMINATED]
                )
                | Q(started_on__isnull=False),
                name="stages_participation_started_has_date",
            ),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gte=0),
                name="stages_participation_price_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership.reference} in {self.phase} ({self.get_status_display()})"

    @transition(
        status, source=ParticipationStatus.NOT_STARTED, target=ParticipationStatus.IN_PROGRESS
    )
    def start(self, *, on) -> None:
        """The gate of the phase before was passed: this phase starts."""
        self.started_on = on

    @transition(
        status, source=ParticipationStatus.IN_PROGRESS, target=ParticipationStatus.UNDER_REVIEW
    )
    def submit_for_review(self, *, at) -> None:
        self.review_requested_at = at

    @transition(status, source=ParticipationStatus.UNDER_REVIEW, target=ParticipationStatus.PASSED)
    def pass_gate(self, *, at) -> None:
        self.decided_at = at

    @transition(
        status, source=ParticipationStatus.UNDER_REVIEW, target=ParticipationStatus.TERMINATED
    )
    def terminate(self, *, at) -> None:
        """The approver terminated the partner at this phase's gate."""
        self.decided_at = at

    @transition(status, source=list(OPEN_STATES), target=ParticipationStatus.TERMINATED)
    def end(self, *, at) -> None:
        """The partner's contract ended (its withdrawal, or its termination at an earlier
        phase's gate): this phase ends with it, whatever its state."""
        self.decided_at = at


# --- targets, deliverables and evidence -------------------------------------------------------


class DeliverableKind(models.TextChoices):
    PROGRESS = "progress", "Progress report"
    DELIVERABLE = "deliverable", "Deliverable"
    FINAL_REPORT = "final_report", "Final report"


class EvidenceRequest(models.Model):
    """The officer asks a partner for more evidence of a phase's results (or of one
    deliverable); the partner answers with a deliverable that cites the request."""

    participation = models.ForeignKey(
        StageParticipation, on_delete=models.PROTECT, related_name="evidence_requests"
    )
    deliverable = models.ForeignKey(
        "Deliverable",
        on_delete=models.PROTECT,
        related_name="evidence_requests",
        null=True,
        blank=True,
        help_text="The deliverable the request is about, if one.",
    )
    request = models.TextField(help_text="What evidence is needed, and why.")
    asked_by = _user()
    asked_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["participation", "asked_at", "pk"]

    def __str__(self) -> str:
        return f"Evidence asked of {self.participation.partnership.reference}"


class Deliverable(models.Model):
    """What a partner submits during a phase: a progress report, a deliverable or the phase's
    final report, with the values it measured against the intermediate targets and its
    evidence files. Submitting the final report moves the participation to review."""

    participation = models.ForeignKey(
        StageParticipation, on_delete=models.PROTECT, related_name="deliverables"
    )
    kind = models.CharField(max_length=12, choices=DeliverableKind.choices)
    title = models.CharField(max_length=200)
    summary = models.TextField()
    answers = models.ForeignKey(
        EvidenceRequest,
        on_delete=models.PROTECT,
        related_name="answered_by",
        null=True,
        blank=True,
        help_text="The officer's request for more evidence this deliverable answers, if one.",
    )
    submitted_by = _user()
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["participation", "submitted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DeliverableKind.values), name="stages_deliverable_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return self.title


def deliverable_upload_to(instance: DeliverableFile, filename: str) -> str:
    """Stored under the partnership, by SHA-256: the partner's name for the file is kept in
    ``name`` and never used as a path."""
    return f"stage-evidence/{instance.deliverable.participation.partnership_id}/{instance.sha256}"


class DeliverableFile(models.Model):
    """An evidence file of a deliverable, checked like every evidence file
    (``partners.evidence.evidence_check``) before it is stored."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(upload_to=deliverable_upload_to, max_length=300)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = _user()
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["deliverable", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class MeasuredValue(models.Model):
    """The value a partner measured against one intermediate target, in one deliverable."""

    deliverable = models.ForeignKey(
        Deliverable, on_delete=models.PROTECT, related_name="measurements"
    )
    target = models.ForeignKey(
        IntermediateTarget, on_delete=models.PROTECT, related_name="measurements"
    )
    value = models.CharField(max_length=200)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["deliverable", "target__order", "target__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["deliverable", "target"], name="stages_one_value_per_target"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target.metric}: {self.value}"


# --- stage gates ------------------------------------------------------------------------------


class GateAssessor(models.Model):
    """Someone the lead officer named to score the partners at a phase's gate."""

    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="gate_assessors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="gate_seats"
    )
    named_by = _user()
    named_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["phase", "named_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "user"], name="stages_one_seat_per_gate"),
        ]

    def __str__(self) -> str:
        return f"{self.user} at the gate of {self.phase}"


class GateReview(models.Model):
    """One assessor's scoring of one participation at its gate; ``completed_at`` is set when
    every criterion is scored and the assessor says the scoring is complete."""

    participation = models.ForeignKey(
        StageParticipation, on_delete=models.PROTECT, related_name="gate_reviews"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="gate_reviews"
    )
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["participation", "started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "assessor"], name="stages_one_gate_review_per_assessor"
            ),
        ]

    def __str__(self) -> str:
        return f"Gate review of {self.participation} by {self.assessor}"


class GateMarkFields(models.Model):
    """A mark against one announced gate criterion: a score out of 10, whether the announced
    threshold is met, the reason and where the evidence is."""

    score = models.PositiveSmallIntegerField()
    meets = models.BooleanField(help_text="Whether the announced threshold is met.")
    reason = models.TextField()
    evidence_reference = models.CharField(max_length=300)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.score} out of {SCORE_MAXIMUM} on {self.criterion}"  # type: ignore[attr-defined]


class GateScore(GateMarkFields):
    """One assessor's mark against one criterion."""

    participation = models.ForeignKey(
        StageParticipation, on_delete=models.PROTECT, related_name="gate_scores"
    )
    criterion = models.ForeignKey(
        GateCriterion, on_delete=models.PROTECT, related_name="gate_scores"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="gate_scores"
    )

    class Meta:
        ordering = ["participation", "criterion__order", "criterion__pk", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "criterion", "assessor"],
                name="stages_one_gate_score_per_assessor",
            ),
            models.CheckConstraint(
                condition=Q(score__lte=SCORE_MAXIMUM), name="stages_gate_score_in_scale"
            ),
        ]


class GateConsensus(GateMarkFields):
    """The lead officer's moderated mark against one criterion: what the decision relies on."""

    participation = models.ForeignKey(
        StageParticipation, on_delete=models.PROTECT, related_name="gate_consensus"
    )
    criterion = models.ForeignKey(
        GateCriterion, on_delete=models.PROTECT, related_name="gate_consensus"
    )
    moderated_by = _user()

    class Meta:
        ordering = ["participation", "criterion__order", "criterion__pk", "pk"]
        verbose_name_plural = "gate consensus marks"
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "criterion"], name="stages_one_gate_consensus"
            ),
            models.CheckConstraint(
                condition=Q(score__lte=SCORE_MAXIMUM), name="stages_gate_consensus_in_scale"
            ),
        ]


class GateOutcome(models.TextChoices):
    PASS = "pass", "Pass to the next phase"
    TERMINATE = "terminate", "Terminate this partner"


class GateDecision(models.Model):
    """The approver's decision at one participation's gate: one per participation (a second
    decision on the same gate is refused by the database too). A termination cites the
    announced condition it relies on (RULES.md point 9; PCR reg. 31(2))."""

    participation = models.OneToOneField(
        StageParticipation, on_delete=models.PROTECT, related_name="gate_decision"
    )
    outcome = models.CharField(max_length=10, choices=GateOutcome.choices)
    recommendation_meets = models.BooleanField(
        help_text="The system's recommendation when the decision was made: whether every "
        "criterion's moderated mark meets its announced threshold."
    )
    condition = models.ForeignKey(
        TerminationCondition,
        on_delete=models.PROTECT,
        related_name="gate_decisions",
        null=True,
        blank=True,
    )
    reason = models.TextField()
    decided_by = _user()
    decided_at = models.DateTimeField(default=timezone.now)
    notice = models.ForeignKey(
        Notice, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["decided_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(outcome=GateOutcome.PASS) & Q(condition__isnull=True))
                | (Q(outcome=GateOutcome.TERMINATE) & Q(condition__isnull=False)),
                name="stages_termination_cites_condition",
                violation_error_message=(
                    "A termination cites the announced condition it relies on; a pass cites none"
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.participation}"


class PartnerWithdrawal(models.Model):
    """A partner's own withdrawal from its partnership, with its reason: its open phases end
    and its contract ends (a contract termination notice follows under PA 2023)."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.PROTECT, related_name="withdrawal"
    )
    reason = models.TextField()
    withdrawn_by = _user()
    withdrawn_at = models.DateTimeField(default=timezone.now)
    notice = models.ForeignKey(
        Notice, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    def __str__(self) -> str:
        return f"Withdrawal of {self.partnership.reference}"


# --- remuneration in instalments --------------------------------------------------------------


class InstalmentStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CLAIMED = "claimed", "Claimed"
    APPROVED = "approved", "Approved"
    PAID = "paid", "Paid"
    WITHHELD = "withheld", "Withheld"


# Money a claim in these states holds against the caps.
HELD_AGAINST_CAPS = (InstalmentStatus.CLAIMED, InstalmentStatus.APPROVED, InstalmentStatus.PAID)


class Instalment(FSMModelMixin, models.Model):
    """One instalment of one partner's remuneration for one phase, as the plan announced it
    (RULES.md point 8): ``amount`` is its share of the phase's agreed price (committed). The
    partner claims it with evidence of the milestone; the officer approves or withholds the
    claim with a reason; an approved claim is marked paid with its payment date. A withheld
    instalment may be claimed again with new evidence."""

    participation = models.ForeignKey(
        StageParticipation, on_delete=models.PROTECT, related_name="instalments"
    )
    schedule_item = models.ForeignKey(
        InstalmentScheduleItem, on_delete=models.PROTECT, related_name="+"
    )
    amount = _money(help_text="Committed: the instalment's share of the phase's agreed price.")
    status = FSMField(
        max_length=10,
        choices=InstalmentStatus.choices,
        default=InstalmentStatus.SCHEDULED,
        protected=True,
    )
    claimed_amount = _money(null=True, blank=True)
    evidence = models.TextField(blank=True, help_text="How the milestone was reached.")
    deliverable = models.ForeignKey(
        Deliverable,
        on_delete=models.PROTECT,
        related_name="instalment_claims",
        null=True,
        blank=True,
        help_text="The deliverable that evidences the milestone, if one.",
    )
    claimed_by = _user(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    decided_by = _user(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    paid_on = models.DateField(null=True, blank=True)
    paid_recorded_by = _user(null=True, blank=True)
    paid_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["participation", "schedule_item__order", "schedule_item__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "schedule_item"], name="stages_one_instalment_per_item"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="stages_instalment_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(claimed_amount__isnull=True) | Q(claimed_amount__gt=0),
                name="stages_instalment_claim_positive",
            ),
            models.CheckConstraint(
                condition=~Q(status=InstalmentStatus.PAID) | Q(paid_on__isnull=False),
                name="stages_instalment_paid_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.schedule_item} for {self.participation.partnership.reference}"

    @transition(
        status,
        source=[InstalmentStatus.SCHEDULED, InstalmentStatus.WITHHELD],
        target=InstalmentStatus.CLAIMED,
    )
    def claim(self, *, by, amount: Decimal, evidence: str, deliverable=None) -> None:
        self.claimed_amount = amount
        self.evidence = evidence
        self.deliverable = deliverable
        self.claimed_by = by
        self.claimed_at = timezone.now()
        self.decided_by = None
        self.decided_at = None
        self.decision_reason = ""

    def _decide(self, by, reason: str) -> None:
        self.decided_by = by
        self.decided_at = timezone.now()
        self.decision_reason = reason

    @transition(status, source=InstalmentStatus.CLAIMED, target=InstalmentStatus.APPROVED)
    def approve(self, *, by, reason: str = "") -> None:
        self._decide(by, reason)

    @transition(status, source=InstalmentStatus.CLAIMED, target=InstalmentStatus.WITHHELD)
    def withhold(self, *, by, reason: str) -> None:
        self._decide(by, reason)

    @transition(status, source=InstalmentStatus.APPROVED, target=InstalmentStatus.PAID)
    def mark_paid(self, *, by, on) -> None:
        self.paid_on = on
        self.paid_recorded_by = by
        self.paid_recorded_at = timezone.now()


# --- the final purchase -----------------------------------------------------------------------


class PurchaseOutcome(models.TextChoices):
    BOUGHT = "bought", "Bought"
    DECLINED = "declined", "Not bought"


class PurchaseDecision(models.Model):
    """The borough's decision on one remaining partner's result after the last phase: bought
    at the agreed performance levels and within the maximum cost (a purchase order is
    recorded), or declined with a reason, since there is no obligation to buy (RULES.md point
    10; PCR reg. 31(2))."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.PROTECT, related_name="purchase_decision"
    )
    outcome = models.CharField(max_length=10, choices=PurchaseOutcome.choices)
    # [{"metric": ..., "level": ..., "measured": ..., "met": true}, ...] per agreed level.
    results = models.JSONField(default=list)
    price = _money(null=True, blank=True)
    order_reference = models.CharField(max_length=40, blank=True)
    reason = models.TextField()
    decided_by = _user()
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decided_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome=PurchaseOutcome.DECLINED)
                | (Q(outcome=PurchaseOutcome.BOUGHT) & Q(price__gt=0) & ~Q(order_reference="")),
                name="stages_purchase_has_price_and_order",
            ),
            models.UniqueConstraint(
                fields=["order_reference"],
                condition=~Q(order_reference=""),
                name="stages_purchase_order_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.partnership.reference}"
