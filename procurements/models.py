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
    notice_date = models.DateField(
        null=True,
        blank=True,
        help_text="The day the tender or contract notice is to be published.",
    )
    question_deadline = models.DateTimeField(null=True, blank=True)
    participation_deadline = models.DateTimeField(null=True, blank=True)
    indicative_tender_date = models.DateField(null=True, blank=True)
    max_partners = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    number_to_invite = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(50)]
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

    @transition(status, source=list(CANCELLABLE), target=ProcurementStatus.CANCELLED)
    def cancel(self) -> None:
        pass


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
