"""Evaluation of the tenders, the award decision, standstill and the partnership contracts.

The tenders of an opened round are evaluated by a panel the lead officer names: quality
evaluators score every non-price criterion on the published scale, price evaluators check the
price schedules (price points then follow the formula announced in the ITT). Each member
declares, for every tender, whether they have a conflict of interest before seeing it (PA 2023
ss.81-83) and sees nobody else's marks until they have completed their own. The lead officer
moderates each criterion to a consensus with a reason. The tenders of the final round are
ranked on the best price-quality ratio and the award decided; the tenders of an earlier round
may be reduced by applying the award criteria, where the ITT announced it (RULES.md point 7).

The award: the lead officer proposes the best-ranked tenderers (up to the maximum number of
partners announced), an approver approves it (four eyes); every tenderer assessed then gets an
assessment summary (PA 2023 s.50) before the contract award notice (UK6) starts the standstill
period (s.51: 8 working days; PCR 2015 reg. 87: 10 days). During standstill the award may be
suspended (for example on a challenge) and resumed; before contracts are entered it may be
reversed with reasons. After standstill the lead officer enters one ``Partnership`` contract
per partner and the contract details notice (UK7) is composed.

Confidential information of one tenderer is never shown to another; an officer who wants to
share a specific item (for example in a change notice) asks that tenderer's consent to that
item first (``ConsentRequest``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import FSMField, FSMModelMixin, transition

from procurements.models import AwardCriterion, Procurement

from .requests import ParticipationRequest
from .tenders import Proposal, TenderRound

# --- evaluation ------------------------------------------------------------------------------


class EvaluationPurpose(models.TextChoices):
    AWARD = "award", "Award of the contracts (final tenders)"
    REDUCTION = "reduction", "Reducing the number of tenderers before the next round"


class EvaluationPart(models.TextChoices):
    QUALITY = "quality", "Quality"
    PRICE = "price", "Price"


class Evaluation(models.Model):
    """The evaluation of one opened round's tenders."""

    procurement = models.ForeignKey(
        Procurement, on_delete=models.PROTECT, related_name="evaluations"
    )
    round = models.OneToOneField(TenderRound, on_delete=models.PROTECT, related_name="evaluation")
    purpose = models.CharField(max_length=10, choices=EvaluationPurpose.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["procurement", "round__number"]

    def __str__(self) -> str:
        return f"Evaluation of {self.round}"


class PanelMember(models.Model):
    """A person named to evaluate one part (quality or price) of the tenders."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="panel")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    part = models.CharField(max_length=8, choices=EvaluationPart.choices)

    class Meta:
        ordering = ["evaluation", "part", "evaluator__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "evaluator", "part"], name="partners_one_panel_seat"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} ({self.get_part_display()}) on {self.evaluation}"


class TenderReview(models.Model):
    """One panel member's work on one tender for one part: the conflict of interest
    declaration made before seeing it, and when they completed their marks."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="reviews")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    part = models.CharField(max_length=8, choices=EvaluationPart.choices)
    has_conflict = models.BooleanField()
    conflict_details = models.TextField(blank=True)
    declared_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposal", "part", "evaluator__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "evaluator", "part"], name="partners_one_tender_review"
            ),
            models.CheckConstraint(
                condition=Q(has_conflict=False) | Q(completed_at__isnull=True),
                name="partners_tender_review_conflicted_never_completed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} on {self.proposal} ({self.part})"


class TenderMarkFields(models.Model):
    """A mark for one criterion of one tender: a score on the published scale for a quality
    criterion; for the price criterion, the total price evaluated and whether the price
    schedule is accepted as compliant (the points then follow the announced formula); always
    with a reason."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(AwardCriterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    price_accepted = models.BooleanField(null=True, blank=True)
    # The total price evaluated (the sum of the schedule's phase prices), on price marks.
    price = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    reason = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.criterion} of {self.proposal}"


class TenderScore(TenderMarkFields):
    """One panel member's mark."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="scores")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["proposal", "criterion__order", "evaluator__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "criterion", "evaluator"],
                name="partners_one_tender_score_per_evaluator",
            )
        ]


class TenderConsensus(TenderMarkFields):
    """The lead officer's moderated mark for one criterion of one tender."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="consensus")
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["proposal", "criterion__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "criterion"], name="partners_one_tender_consensus"
            )
        ]


# --- reducing the tenderers between rounds ----------------------------------------------------


class Reduction(models.Model):
    """The lead officer's decision, where the ITT announced it, to continue the next round
    with fewer tenderers by applying the award criteria to an earlier round's tenders."""

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.PROTECT, related_name="reduction"
    )
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Reduction after {self.evaluation.round}"


class ReductionEntry(models.Model):
    reduction = models.ForeignKey(Reduction, on_delete=models.CASCADE, related_name="entries")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField()
    total = models.DecimalField(max_digits=5, decimal_places=2)
    continues = models.BooleanField()
    reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["reduction", "rank", "proposal__request__organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["reduction", "proposal"], name="partners_one_reduction_entry"
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal} in {self.reduction}"


# --- the award --------------------------------------------------------------------------------


class AwardStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed, waiting for the approver"
    RETURNED = "returned", "Returned to the lead officer"
    APPROVED = "approved", "Approved"
    STANDSTILL = "standstill", "Contract award notice published: standstill"
    CONTRACTED = "contracted", "Contracts entered"
    REVERSED = "reversed", "Reversed"


# An award decision that stands: no second one may be proposed alongside.
LIVE_AWARD = [
    AwardStatus.PROPOSED,
    AwardStatus.APPROVED,
    AwardStatus.STANDSTILL,
    AwardStatus.CONTRACTED,
]


class AwardDecision(FSMModelMixin, models.Model):
    """The award proposed by the lead officer and decided by an approver, then the standstill
    period that follows the contract award notice. A returned or reversed decision stays on
    record; a new one may then be proposed."""

    procurement = models.ForeignKey(
        Procurement, on_delete=models.PROTECT, related_name="award_decisions"
    )
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.PROTECT, related_name="award_decisions"
    )
    status = FSMField(
        max_length=12, choices=AwardStatus.choices, default=AwardStatus.PROPOSED, protected=True
    )
    reason = models.TextField(help_text="Why these tenderers: the lead officer's reasons.")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    # The assessment summaries sent to every tenderer (PA 2023 s.50: before the contract award
    # notice), then the notice (UK6; under PCR 2015 the summaries are the standstill letters)
    # and the standstill period it starts: contracts may be entered from the day after
    # ``standstill_last_day``.
    summaries_sent_at = models.DateTimeField(null=True, blank=True)
    notice_published_at = models.DateTimeField(null=True, blank=True)
    standstill_last_day = models.DateField(null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["procurement", "-proposed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement"],
                condition=Q(status__in=["proposed", "approved", "standstill", "contracted"]),
                name="partners_one_live_award_per_procurement",
            )
        ]

    def __str__(self) -> str:
        return f"Award of {self.procurement.reference} ({self.get_status_display()})"

    def _decide(self, by, reason: str) -> None:
        self.decided_by = by
        self.decided_at = timezone.now()
        self.decision_reason = reason

    @transition(status, source=AwardStatus.PROPOSED, target=AwardStatus.APPROVED)
    def approve(self, *, by, reason: str) -> None:
        self._decide(by, reason)

    @transition(status, source=AwardStatus.PROPOSED, target=AwardStatus.RETURNED)
    def return_to_officer(self, *, by, reason: str) -> None:
        self._decide(by, reason)

    @transition(status, source=AwardStatus.APPROVED, target=AwardStatus.STANDSTILL)
    def start_standstill(self, *, last_day) -> None:
        self.notice_published_at = timezone.now()
        self.standstill_last_day = last_day

    @transition(status, source=AwardStatus.STANDSTILL, target=AwardStatus.CONTRACTED)
    def contract(self) -> None:
        """Every partner's contract is entered."""

    @transition(
        status, source=[AwardStatus.APPROVED, AwardStatus.STANDSTILL], target=AwardStatus.REVERSED
    )
    def reverse(self, *, by, reason: str) -> None:
        self.reversed_by = by
        self.reversed_at = timezone.now()
        self.reversal_reason = reason


class AwardEntry(models.Model):
    """One tenderer's place in an award decision: its points, rank and whether it is awarded
    a partnership, with the reasons. The figures are frozen when the award is proposed. A
    tender whose price schedule was not accepted is not compliant: it has an entry (its
    supplier is told why) but no points and no rank."""

    decision = models.ForeignKey(AwardDecision, on_delete=models.CASCADE, related_name="entries")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="award_entries")
    compliant = models.BooleanField(default=True)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    quality_points = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    price_points = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    total = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    price = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    awarded = models.BooleanField()
    reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["decision", "rank", "proposal__request__organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "proposal"], name="partners_one_award_entry_per_tender"
            ),
            models.CheckConstraint(
                condition=Q(compliant=True, rank__isnull=False, total__isnull=False)
                | Q(compliant=False, awarded=False),
                name="partners_award_entry_ranked_or_not_compliant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} in {self.decision}"


class StandstillSuspension(models.Model):
    """The award suspended during standstill (for example on a challenge) and, later, resumed:
    no contract may be entered while a suspension is open."""

    decision = models.ForeignKey(
        AwardDecision, on_delete=models.PROTECT, related_name="suspensions"
    )
    reason = models.TextField()
    suspended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    suspended_at = models.DateTimeField(default=timezone.now)
    resumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    resumed_at = models.DateTimeField(null=True, blank=True)
    resume_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["decision", "suspended_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision"],
                condition=Q(resumed_at__isnull=True),
                name="partners_one_open_suspension",
            )
        ]

    def __str__(self) -> str:
        return f"Suspension of {self.decision}"


# --- the partnership contracts ----------------------------------------------------------------


class PartnershipStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    TERMINATED = "terminated", "Terminated"
    COMPLETED = "completed", "Completed"
    PURCHASED = "purchased", "Purchased"


class Partnership(FSMModelMixin, models.Model):
    """The contract entered with one awarded partner: the agreed price of every phase, the
    maximum cost and performance levels of the final purchase, the IP terms that apply and the
    partner's background IP, as agreed."""

    procurement = models.ForeignKey(
        Procurement, on_delete=models.PROTECT, related_name="partnerships"
    )
    award_entry = models.OneToOneField(
        AwardEntry, on_delete=models.PROTECT, related_name="partnership"
    )
    request = models.ForeignKey(
        ParticipationRequest, on_delete=models.PROTECT, related_name="partnerships"
    )
    reference = models.CharField(max_length=40, unique=True)
    status = FSMField(
        max_length=12,
        choices=PartnershipStatus.choices,
        default=PartnershipStatus.ACTIVE,
        protected=True,
    )
    # [{"number": 1, "name": "Research", "price": "75000.00"}, ...]
    phase_prices = models.JSONField(default=list)
    total_price = models.DecimalField(max_digits=14, decimal_places=2)
    purchase_max_cost = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    # [{"name": ..., "metric": ..., "level": ...}, ...] as announced and agreed.
    performance_levels = models.JSONField(default=list)
    ip_terms = models.JSONField(default=dict)
    background_ip = models.TextField(blank=True)
    signed_on = models.DateField()
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["procurement", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "request"], name="partners_one_partnership_per_partner"
            ),
            models.CheckConstraint(
                condition=Q(total_price__gt=0), name="partners_partnership_price_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Partnership {self.reference} with {self.request.organisation}"

    # The contract ends: the partner is terminated at a gate or withdraws (``stages``), or
    # the R&D phases end with the borough's purchase decision: bought, or completed unbought.
    @transition(status, source=PartnershipStatus.ACTIVE, target=PartnershipStatus.TERMINATED)
    def terminate(self) -> None:
        pass

    @transition(status, source=PartnershipStatus.ACTIVE, target=PartnershipStatus.COMPLETED)
    def complete(self) -> None:
        pass

    @transition(status, source=PartnershipStatus.ACTIVE, target=PartnershipStatus.PURCHASED)
    def purchase(self) -> None:
        pass


# --- confidentiality --------------------------------------------------------------------------


class ConsentStatus(models.TextChoices):
    ASKED = "asked", "Waiting for the tenderer"
    GIVEN = "given", "Consent given"
    REFUSED = "refused", "Consent refused"


class ConsentRequest(FSMModelMixin, models.Model):
    """An officer asks a tenderer's consent to share one specific item of its information with
    the other tenderers (RULES.md point 6; PCR 2015 reg. 31(13)): consent is for that item
    only, never a blanket waiver, and until it is given the item cannot be shared."""

    procurement = models.ForeignKey(
        Procurement, on_delete=models.PROTECT, related_name="consent_requests"
    )
    request = models.ForeignKey(
        ParticipationRequest, on_delete=models.PROTECT, related_name="consent_requests"
    )
    item = models.TextField(help_text="Exactly what would be shared, as it would be shared.")
    purpose = models.TextField(help_text="Why and with whom it would be shared.")
    status = FSMField(
        max_length=8, choices=ConsentStatus.choices, default=ConsentStatus.ASKED, protected=True
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_note = models.TextField(blank=True)

    class Meta:
        ordering = ["procurement", "-asked_at", "pk"]

    def __str__(self) -> str:
        return f"Consent of {self.request.organisation} ({self.get_status_display()})"

    def _answer(self, by, note: str) -> None:
        self.answered_by = by
        self.answered_at = timezone.now()
        self.answer_note = note

    @transition(status, source=ConsentStatus.ASKED, target=ConsentStatus.GIVEN)
    def give(self, *, by, note: str = "") -> None:
        self._answer(by, note)

    @transition(status, source=ConsentStatus.ASKED, target=ConsentStatus.REFUSED)
    def refuse(self, *, by, note: str = "") -> None:
        self._answer(by, note)
