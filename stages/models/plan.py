"""The phase plan a procurement announces: phases, their targets, instalments, gates, purchase.

An innovation partnership is structured in successive phases following the R&D
process, with intermediate targets and remuneration in instalments (RULES.md
point 8; PCR 2015 reg. 31(7)); after each phase the authority may end the
partnership or terminate individual partners only on conditions the documents
announced (point 9; reg. 31(2)); the final purchase is made only at the agreed
performance levels and maximum cost (point 10; reg. 31(2)). Under the
Procurement Act 2023 the same structure is the design of a competitive flexible
procedure (s.20), announced in the tender documents.

Everything here is announced in the ITT and frozen at publication: only a
draft procurement's plan changes (see ``stages.services``).
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q

from procurements.models import Procurement


class PhaseKind(models.TextChoices):
    RESEARCH = "research", "Research"
    DEVELOPMENT = "development", "Development (prototype)"
    PILOT = "pilot", "Pilot"


def percent(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def _money(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True, **kwargs)


class Phase(models.Model):
    """One R&D phase every partner goes through (RULES.md point 8; PCR reg. 31(7)).

    Its structure, duration and value reflect the degree of innovation (point 11).
    Duration and remuneration may stay blank while the plan is a draft; the
    section cannot be marked complete without them.
    """

    procurement = models.ForeignKey(Procurement, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(max_length=12, choices=PhaseKind.choices)
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    duration_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    max_remuneration_per_partner = _money(
        help_text="In pounds, excluding VAT: the most one partner can be paid for this phase."
    )
    aims = models.TextField(blank=True)

    class Meta:
        ordering = ["procurement", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_weeks__isnull=True) | Q(duration_weeks__gt=0),
                name="stages_phase_duration_positive",
            ),
            models.CheckConstraint(
                condition=Q(max_remuneration_per_partner__isnull=True)
                | Q(max_remuneration_per_partner__gt=0),
                name="stages_phase_remuneration_positive",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PhaseKind.values), name="stages_phase_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class IntermediateTarget(models.Model):
    """A target a partner must reach during the phase (RULES.md point 8; PCR reg. 31(7))."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="targets")
    metric = models.CharField(max_length=200)
    threshold = models.CharField(max_length=200)
    evidence = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["phase", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.metric}: {self.threshold}"


class InstalmentScheduleItem(models.Model):
    """One instalment of a phase's remuneration (RULES.md point 8; PCR reg. 31(7)).

    It falls due on a milestone or a number of weeks after the phase starts, never
    both; a phase's shares add up to 100 before the plan can be marked complete.
    """

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="instalments")
    milestone = models.CharField(max_length=300, blank=True)
    weeks_after_start = models.PositiveSmallIntegerField(null=True, blank=True)
    share_percent = models.DecimalField(max_digits=5, decimal_places=2)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["phase", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(share_percent__gt=0) & Q(share_percent__lte=100),
                name="stages_instalment_share_percentage",
            ),
            models.CheckConstraint(
                condition=(Q(milestone="") & Q(weeks_after_start__isnull=False))
                | (~Q(milestone="") & Q(weeks_after_start__isnull=True)),
                name="stages_instalment_one_trigger",
                violation_error_message=(
                    "Give either a milestone or a number of weeks after the phase starts, not both"
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.share}% on {self.trigger}"

    @property
    def share(self) -> str:
        """The percentage without trailing zeros: 40, 33.5, 33.33."""
        return percent(self.share_percent)

    @property
    def trigger(self) -> str:
        if self.milestone:
            return self.milestone
        weeks = self.weeks_after_start
        return f"{weeks} week{'' if weeks == 1 else 's'} after the phase starts"


class GateCriterion(models.Model):
    """What the stage gate at the end of the phase judges (RULES.md point 9; PCR reg. 31(2))."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="gate_criteria")
    criterion = models.CharField(max_length=300)
    threshold = models.TextField(help_text="How it is scored, and the score or result that passes.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["phase", "order", "pk"]
        verbose_name_plural = "gate criteria"

    def __str__(self) -> str:
        return self.criterion


class TerminationCondition(models.Model):
    """A condition on which a partner may be terminated at or during the phase.

    The authority may end the partnership or terminate a partner only on the
    conditions announced in the documents, and its decision cites them
    (RULES.md point 9; PCR reg. 31(2); PA 2023 s.20).
    """

    phase = models.ForeignKey(
        Phase, on_delete=models.CASCADE, related_name="termination_conditions"
    )
    condition = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["phase", "order", "pk"]

    def __str__(self) -> str:
        return self.condition[:80]


class PurchaseTerms(models.Model):
    """The final purchase: made only at the agreed performance levels and maximum cost.

    There is no obligation to buy (RULES.md point 10; PCR reg. 31(2)), and the
    purchase must not be disproportionate to the development investment (point 11).
    """

    procurement = models.OneToOneField(
        Procurement, on_delete=models.CASCADE, related_name="purchase_terms"
    )
    max_cost = _money(help_text="In pounds, excluding VAT.")
    scope = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "purchase terms"
        constraints = [
            models.CheckConstraint(
                condition=Q(max_cost__isnull=True) | Q(max_cost__gt=Decimal("0")),
                name="stages_purchase_max_cost_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"Purchase terms of {self.procurement}"


class PerformanceLevel(models.Model):
    """A performance level the result must meet before it is bought (RULES.md point 10)."""

    purchase_terms = models.ForeignKey(
        PurchaseTerms, on_delete=models.CASCADE, related_name="performance_levels"
    )
    metric = models.CharField(max_length=200)
    level = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["purchase_terms", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.metric}: {self.level}"
