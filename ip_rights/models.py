"""IP terms announced with the call; later, the background and foreground IP registers.

The IP arrangements are defined in the documents before tendering (RULES.md point
12): who owns what the partnership creates, the licence the borough gets, the
borough's share of commercial benefits and what each partner keeps.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from procurements.models import Procurement


class ForegroundOwner(models.TextChoices):
    PARTNER = "partner", "The partner"
    BOROUGH = "borough", "The borough"
    JOINT = "joint", "The partner and the borough jointly"


class BenefitShare(models.TextChoices):
    NONE = "none", "No share"
    REVENUE_SHARE = "revenue_share", "A share of the revenue"
    ROYALTY = "royalty", "A royalty"


# RULES.md point 6 (PCR 2015 reg. 31(6)): fixed, whatever the borough adds.
CONFIDENTIALITY_RULE = (
    "A partner's proposed solution and other confidential information are never revealed to "
    "other participants without that partner's consent for that specific information."
)

# A share of benefits needs its percentage and the event that triggers it.
SHARES_WITH_TERMS = (BenefitShare.REVENUE_SHARE, BenefitShare.ROYALTY)

# What a complete set of terms must answer, with the message when it does not.
REQUIRED_ANSWERS: dict[str, str] = {
    "foreground_owner": "Select who will own the foreground IP",
    "licence_scope": "Enter what the borough's licence lets it do",
    "licence_term": "Enter how long the borough's licence lasts",
    "licence_sublicensable": "Select whether the borough may sublicense",
    "benefit_share": "Select the borough's share of commercial benefits",
    "background_ip_rules": "Enter the rules for background IP",
}
SHARE_ANSWERS: dict[str, str] = {
    "benefit_percentage": "Enter the borough's share as a percentage",
    "benefit_trigger": "Enter when the borough's share becomes payable",
}


def ip_terms_missing(values: Mapping[str, Any]) -> dict[str, str]:
    """The answers a complete set of IP terms still lacks, field name -> message."""

    def blank(name: str) -> bool:
        value = values.get(name)
        return value is None or (isinstance(value, str) and not value.strip())

    missing = {name: message for name, message in REQUIRED_ANSWERS.items() if blank(name)}
    if values.get("benefit_share") in SHARES_WITH_TERMS:
        missing.update({name: message for name, message in SHARE_ANSWERS.items() if blank(name)})
    return missing


class IPTerms(models.Model):
    """The IP terms of one procurement, announced in the invitation to tender."""

    procurement = models.OneToOneField(
        Procurement, on_delete=models.CASCADE, related_name="ip_terms"
    )
    foreground_owner = models.CharField(max_length=8, choices=ForegroundOwner.choices, blank=True)
    licence_scope = models.TextField(blank=True)
    licence_term = models.CharField(max_length=200, blank=True)
    licence_sublicensable = models.BooleanField(null=True, blank=True)
    benefit_share = models.CharField(max_length=16, choices=BenefitShare.choices, blank=True)
    benefit_percentage = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    benefit_trigger = models.TextField(blank=True)
    background_ip_rules = models.TextField(blank=True)
    # RULES.md point 6: anything the borough adds to the fixed confidentiality rule.
    confidentiality_note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "IP terms"
        verbose_name_plural = "IP terms"
        constraints = [
            models.CheckConstraint(
                condition=Q(benefit_percentage__isnull=True)
                | Q(benefit_percentage__gte=0, benefit_percentage__lte=100),
                name="ip_terms_percentage_0_to_100",
            ),
        ]

    def __str__(self) -> str:
        return f"IP terms of {self.procurement.reference}"

    def missing(self) -> dict[str, str]:
        return ip_terms_missing({name: getattr(self, name) for name in EDITABLE_FIELDS})

    @property
    def is_complete(self) -> bool:
        return not self.missing()


EDITABLE_FIELDS = (
    "foreground_owner",
    "licence_scope",
    "licence_term",
    "licence_sublicensable",
    "benefit_share",
    "benefit_percentage",
    "benefit_trigger",
    "background_ip_rules",
    "confidentiality_note",
)


def ip_terms_for(procurement: Procurement) -> IPTerms | None:
    """The procurement's IP terms, or None before any are saved (uses a prefetch if made)."""
    try:
        return procurement.ip_terms
    except IPTerms.DoesNotExist:
        return None
