"""The procurement aggregate: the challenge, what is announced, the team and the procedure.

What the other apps announce (the selection questionnaire in ``partners``, the
phase plan in ``stages``, the IP terms in ``ip_rights``) lives in those apps and
points here; this app never imports them.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_fsm import FSMField, FSMModelMixin, transition

from core.models import Borough


class Regime(models.TextChoices):
    PA2023 = "pa2023", "Procurement Act 2023 (competitive flexible procedure)"
    PCR2015 = "pcr2015", "Public Contracts Regulations 2015 (regulation 31)"


class ProcurementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    SELECTION = "selection", "Selection"
    TENDERING = "tendering", "Tendering"
    NEGOTIATION = "negotiation", "Negotiation"
    EVALUATION = "evaluation", "Evaluation"
    STANDSTILL = "standstill", "Standstill"
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


# States in which nothing announced has been published yet.
UNPUBLISHED = (
    ProcurementStatus.DRAFT,
    ProcurementStatus.AWAITING_APPROVAL,
    ProcurementStatus.APPROVED,
)
# States the call has been published in (cancellation aside): the public can see it.
CALL_PUBLISHED = (
    ProcurementStatus.PUBLISHED,
    ProcurementStatus.SELECTION,
    ProcurementStatus.TENDERING,
    ProcurementStatus.NEGOTIATION,
    ProcurementStatus.EVALUATION,
    ProcurementStatus.STANDSTILL,
    ProcurementStatus.ACTIVE,
    ProcurementStatus.CLOSED,
)
# States before any contract is signed: the procurement may still be cancelled.
CANCELLABLE = (
    *UNPUBLISHED,
    ProcurementStatus.PUBLISHED,
    ProcurementStatus.SELECTION,
    ProcurementStatus.TENDERING,
    ProcurementStatus.NEGOTIATION,
    ProcurementStatus.EVALUATION,
    ProcurementStatus.STANDSTILL,
)


class Sector(models.TextChoices):
    HEALTH_AND_CARE = "health_care", "Health and social care"
    LOW_CARBON = "low_carbon", "Low carbon and energy"
    TRANSPORT = "transport", "Transport and mobility"
    HOUSING = "housing", "Housing and the built environment"
    WASTE = "waste", "Waste and circular economy"
    EDUCATION = "education", "Education and skills"
    COMMUNITY_SAFETY = "community_safety", "Community safety"
    DIGITAL = "digital", "Digital public services"
    OTHER = "other", "Other"


class AwardBasis(models.TextChoices):
    PRICE_QUALITY = "price_quality", "Best price-quality ratio (most advantageous tender)"
    LOWEST_PRICE = "lowest_price", "Lowest price"
    LOWEST_COST = "lowest_cost", "Lowest cost"


class ScoringScale(models.TextChoices):
    ZERO_TO_FOUR = "0-4", "0 to 4"
    ZERO_TO_FIVE = "0-5", "0 to 5"
    ZERO_TO_TEN = "0-10", "0 to 10"


class PriceFormula(models.TextChoices):
    LOWEST_OVER_PRICE = (
        "lowest_over_price",
        "Lowest price ÷ tendered price × the price weight",
    )
    DIFFERENCE_FROM_LOWEST = (
        "difference_from_lowest",
        "Price weight × (1 − (tendered price − lowest price) ÷ lowest price), not below 0",
    )


class SectionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


cpv_code_validator = RegexValidator(
    r"^\d{8}(-\d)?$",
    "Enter CPV codes of 8 digits, optionally followed by a dash and a check digit, like 73000000-2",
)


class Procurement(FSMModelMixin, models.Model):
    """One innovation partnership procurement run by a borough."""

    borough = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="procurements")
    title = models.CharField(max_length=200)
    reference = models.CharField(max_length=40, unique=True)
    status = FSMField(
        max_length=20,
        choices=ProcurementStatus.choices,
        default=ProcurementStatus.DRAFT,
        protected=True,
    )

    # The challenge: outcomes, not a product specification.
    problem = models.TextField(blank=True)
    outcomes = models.TextField(blank=True)
    outcome_measures = models.TextField(blank=True)
    users_affected = models.TextField(blank=True)
    sector = models.CharField(max_length=20, choices=Sector.choices, blank=True)
    cpv_codes = models.JSONField(default=list, blank=True)

    # Why nothing on the market meets the need (PCR reg. 31(1); PA 2023 s.20).
    market_gap = models.TextField(blank=True)
    market_engagement_evidence = models.TextField(blank=True)

    # Regime and timetable.
    regime = models.CharField(max_length=8, choices=Regime.choices, default=Regime.PA2023)
    procedure_began_on = models.DateField(
        null=True,
        blank=True,
        help_text="The day the procedure began (a notice sent or suppliers first approached); "
        "the regime that applies depends on it.",
    )
    notice_date = models.DateField(
        null=True,
        blank=True,
        help_text="The day the tender or contract notice is to be published.",
    )
    question_deadline = models.DateTimeField(null=True, blank=True)
    participation_deadline = models.DateTimeField(null=True, blank=True)
    indicative_tender_date = models.DateField(null=True, blank=True)
    indicative_start_date = models.DateField(
        null=True,
        blank=True,
        help_text="The day the partnership is expected to start: the first R&D phase begins.",
    )
    max_partners = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    number_to_invite = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    # Announced in the ITT: the tenderers may be reduced between rounds of negotiation by
    # applying the award criteria (RULES.md point 7; PCR 2015 reg. 31).
    reduce_between_rounds = models.BooleanField(
        default=False,
        help_text="The number of tenderers may be reduced between rounds of negotiation by "
        "applying the award criteria.",
    )

    # Award.
    award_basis = models.CharField(
        max_length=16, choices=AwardBasis.choices, default=AwardBasis.PRICE_QUALITY
    )
    scoring_scale = models.CharField(
        max_length=4, choices=ScoringScale.choices, default=ScoringScale.ZERO_TO_FIVE
    )
    price_formula = models.CharField(
        max_length=24, choices=PriceFormula.choices, default=PriceFormula.LOWEST_OVER_PRICE
    )
    estimated_value = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True,
        help_text="All R&D phases plus the final purchase, excluding VAT.",
    )  # fmt: skip

    # The team (each must be a member of the borough).
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    evaluators = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)

    # "Have you completed this section?" per builder section key.
    section_status = models.JSONField(default=dict, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.TextField(blank=True)
    # An amendment being prepared: the sections amended on their own pages are open to change
    # until it is issued or discarded.
    amendment_opened_at = models.DateTimeField(null=True, blank=True)
    amendment_opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "participation_deadline"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("procurements:task-list", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.status == ProcurementStatus.DRAFT

    # --- transitions: each changes only this row; services do the rest ---

    @transition(status, source=ProcurementStatus.DRAFT, target=ProcurementStatus.AWAITING_APPROVAL)
    def submit_for_approval(self) -> None:
        pass

    @transition(
        status, source=ProcurementStatus.AWAITING_APPROVAL, target=ProcurementStatus.APPROVED
    )
    def approve(self) -> None:
        pass

    # From approved too: the lead officer reopens it when it can no longer be published as is.
    @transition(
        status,
        source=[ProcurementStatus.AWAITING_APPROVAL, ProcurementStatus.APPROVED],
        target=ProcurementStatus.DRAFT,
    )
    def return_to_draft(self) -> None:
        pass

    @transition(status, source=ProcurementStatus.APPROVED, target=ProcurementStatus.PUBLISHED)
    def publish(self) -> None:
        self.published_at = timezone.now()

    @transition(status, source=ProcurementStatus.PUBLISHED, target=ProcurementStatus.SELECTION)
    def close_participation(self) -> None:
        """The participation deadline has passed: requests to participate are assessed."""

    @transition(status, source=ProcurementStatus.SELECTION, target=ProcurementStatus.TENDERING)
    def start_tendering(self) -> None:
        """The approver has confirmed the shortlist: the invited suppliers may tender."""

    @transition(status, source=ProcurementStatus.TENDERING, target=ProcurementStatus.NEGOTIATION)
    def start_negotiation(self) -> None:
        """The initial tenders are opened and a later round begins: tenders are negotiated."""

    @transition(
        status,
        source=[ProcurementStatus.TENDERING, ProcurementStatus.NEGOTIATION],
        target=ProcurementStatus.EVALUATION,
    )
    def start_evaluation(self) -> None:
        """The final tenders are opened: they are evaluated for the award."""

    @transition(status, source=ProcurementStatus.EVALUATION, target=ProcurementStatus.STANDSTILL)
    def start_standstill(self) -> None:
        """The contract award notice is published: the standstill period runs."""

    @transition(status, source=ProcurementStatus.STANDSTILL, target=ProcurementStatus.EVALUATION)
    def reopen_evaluation(self) -> None:
        """The award is reversed before any contract is entered: it is decided again."""

    @transition(status, source=ProcurementStatus.STANDSTILL, target=ProcurementStatus.ACTIVE)
    def activate(self) -> None:
        """The partnership contracts are entered: the R&D phases begin."""

    @transition(status, source=ProcurementStatus.ACTIVE, target=ProcurementStatus.CLOSED)
    def close(self) -> None:
        """No partnership contract remains active: every partner was terminated or withdrew,
        or the purchase decisions were made."""

    @transition(status, source=list(CANCELLABLE), target=ProcurementStatus.CANCELLED)
    def cancel(self, *, reason: str) -> None:
        self.cancelled_at = timezone.now()
        self.cancellation_reason = reason


class MinimumRequirement(models.Model):
    """One minimum requirement; never negotiated and frozen at publication."""

    procurement = models.ForeignKey(
        Procurement, on_delete=models.CASCADE, related_name="minimum_requirements"
    )
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["procurement", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class CriterionKind(models.TextChoices):
    QUALITY = "quality", "Quality"
    PRICE = "price", "Price"
    SOCIAL_VALUE = "social_value", "Social value"


class AwardCriterion(models.Model):
    """A weighted award criterion; the weights of a procurement add up to 100."""

    procurement = models.ForeignKey(
        Procurement, on_delete=models.CASCADE, related_name="award_criteria"
    )
    kind = models.CharField(max_length=16, choices=CriterionKind.choices)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    weight = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["procurement", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}%)"


class AwardSubCriterion(models.Model):
    criterion = models.ForeignKey(
        AwardCriterion, on_delete=models.CASCADE, related_name="sub_criteria"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["criterion", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class ReviewDecision(models.TextChoices):
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned with comments"


class ApprovalReview(models.Model):
    """An approver's decision on a procurement submitted for approval (four eyes)."""

    procurement = models.ForeignKey(Procurement, on_delete=models.CASCADE, related_name="reviews")
    decision = models.CharField(max_length=10, choices=ReviewDecision.choices)
    comments = models.TextField(blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.reviewer}"


# --- publication: what was announced, the notices, amendments ----------------------------------


class PublicationVersion(models.Model):
    """A frozen, numbered copy of everything announced: version 1 at publication, then one
    per amendment. The ITT of a version is rendered from its ``content`` alone."""

    procurement = models.ForeignKey(Procurement, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    content = models.JSONField(default=dict)
    reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["procurement", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "number"], name="procurements_one_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.procurement.reference} version {self.number}"


class NoticeKind(models.TextChoices):
    UK2 = "uk2", "UK2 preliminary market engagement notice"
    UK4 = "uk4", "UK4 tender notice"
    PCR_CONTRACT_NOTICE = "pcr_contract", "Contract notice (PCR 2015 regulation 49)"
    UK6 = "uk6", "UK6 contract award notice"
    UK7 = "uk7", "UK7 contract details notice"
    PCR_CONTRACT_AWARD = "pcr_award", "Contract award notice (PCR 2015 regulation 50)"
    UK11 = "uk11", "UK11 contract termination notice"
    UK12 = "uk12", "UK12 procurement termination notice"


class Notice(models.Model):
    """A notice the portal composed for a procurement, as published (its content is frozen)."""

    procurement = models.ForeignKey(Procurement, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(max_length=16, choices=NoticeKind.choices)
    version = models.ForeignKey(
        PublicationVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="notices"
    )
    content = models.JSONField(default=dict)
    published_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["procurement", "published_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.procurement.reference}"


class Amendment(models.Model):
    """A change to the published documents, with its reason; it creates a new version.

    Minimum requirements and award criteria are never amended (PCR reg. 31(6); PA 2023
    s.31 on modifying a procurement)."""

    procurement = models.ForeignKey(
        Procurement, on_delete=models.PROTECT, related_name="amendments"
    )
    number = models.PositiveSmallIntegerField()
    reason = models.TextField()
    changes = models.JSONField(default=list, help_text="[{field, label, before, after}]")
    version = models.OneToOneField(
        PublicationVersion, on_delete=models.PROTECT, related_name="amendment"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["procurement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "number"], name="procurements_one_amendment_number"
            )
        ]

    def __str__(self) -> str:
        return f"Amendment {self.number} to {self.procurement.reference}"


# --- market engagement and interest -----------------------------------------------------------


class MarketEngagement(models.Model):
    """The borough's preliminary market engagement before the call (PA 2023 s.16; UK2)."""

    procurement = models.OneToOneField(
        Procurement, on_delete=models.PROTECT, related_name="market_engagement"
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="What the borough wants to learn from the market.")
    contact_email = models.EmailField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class EngagementEvent(models.Model):
    """A market engagement event: a date and a place or an online link."""

    engagement = models.ForeignKey(
        MarketEngagement, on_delete=models.CASCADE, related_name="events"
    )
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    place = models.CharField(max_length=300, blank=True)
    online_url = models.URLField(blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["engagement", "starts_at", "pk"]

    def __str__(self) -> str:
        return self.title


class InterestRegistration(models.Model):
    """A supplier organisation follows a procurement: it is told of publication, answers and
    amendments."""

    procurement = models.ForeignKey(Procurement, on_delete=models.PROTECT, related_name="interests")
    organisation = models.ForeignKey(
        "core.SupplierOrganisation", on_delete=models.PROTECT, related_name="interests"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["procurement", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "organisation"], name="procurements_one_interest_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} follows {self.procurement.reference}"


# --- clarification questions ------------------------------------------------------------------


class QuestionStatus(models.TextChoices):
    OPEN = "open", "Waiting for an answer"
    PUBLISHED = "published", "Answer published to everyone"
    ANSWERED_PRIVATELY = "answered_privately", "Answered to the asker only"


class ClarificationQuestion(FSMModelMixin, models.Model):
    """A supplier's question about a published procurement, and the borough's answer."""

    procurement = models.ForeignKey(Procurement, on_delete=models.PROTECT, related_name="questions")
    organisation = models.ForeignKey(
        "core.SupplierOrganisation", on_delete=models.PROTECT, related_name="questions"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField()
    asked_at = models.DateTimeField(default=timezone.now, editable=False)
    status = FSMField(
        max_length=20, choices=QuestionStatus.choices, default=QuestionStatus.OPEN, protected=True
    )
    # As published: the officer may edit the question to remove who asked.
    public_text = models.TextField(blank=True)
    answer = models.TextField(blank=True)
    private_reason = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["procurement", "asked_at", "pk"]
        indexes = [models.Index(fields=["procurement", "status", "answered_at"])]

    def __str__(self) -> str:
        return self.text[:80]

    @transition(status, source=QuestionStatus.OPEN, target=QuestionStatus.PUBLISHED)
    def publish_answer(self, *, public_text: str, answer: str, by) -> None:
        self.public_text = public_text
        self.answer = answer
        self.answered_by = by
        self.answered_at = timezone.now()

    @transition(status, source=QuestionStatus.OPEN, target=QuestionStatus.ANSWERED_PRIVATELY)
    def answer_privately(self, *, answer: str, reason: str, by) -> None:
        self.answer = answer
        self.private_reason = reason
        self.answered_by = by
        self.answered_at = timezone.now()
