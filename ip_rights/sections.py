"""The IP terms as a section of the procurement builder (registered from apps.py)."""

from __future__ import annotations

from typing import Any

from procurements.models import Procurement
from procurements.registry import BuilderSection, register_builder_section
from stages.models import percent

from .models import CONFIDENTIALITY_RULE, BenefitShare, IPTerms, ip_terms_for

KEY = "ip-terms"


def _has_content(procurement: Procurement) -> bool:
    return ip_terms_for(procurement) is not None


def _yes_no(value: bool | None) -> str:
    return {True: "Yes", False: "No"}.get(value, "")


def _percentage(terms: IPTerms) -> str:
    """5%, 2.5%; empty when not given."""
    value = terms.benefit_percentage
    return "" if value is None else f"{percent(value)}%"


def _benefit_share(terms: IPTerms) -> str:
    if terms.benefit_share in ("", BenefitShare.NONE):
        return terms.get_benefit_share_display() if terms.benefit_share else ""
    parts = [terms.get_benefit_share_display(), _percentage(terms), terms.benefit_trigger]
    return ", ".join(part for part in parts if part)


def ip_terms_summary(procurement: Procurement) -> list[tuple[str, Any]]:
    terms = ip_terms_for(procurement) or IPTerms(procurement=procurement)
    return [
        ("Who owns the foreground IP", terms.get_foreground_owner_display()),
        ("What the borough's licence lets it do", terms.licence_scope),
        ("How long the licence lasts", terms.licence_term),
        ("The borough may sublicense", _yes_no(terms.licence_sublicensable)),
        ("The borough's share of commercial benefits", _benefit_share(terms)),
        ("Background IP", terms.background_ip_rules),
        ("Confidentiality", terms.confidentiality_note),
    ]


def ip_terms_announce(procurement: Procurement) -> dict[str, Any]:
    """The IP terms in full, defined before tendering (RULES.md point 12)."""
    terms = ip_terms_for(procurement) or IPTerms(procurement=procurement)
    return {
        "foreground_owner": terms.get_foreground_owner_display(),
        "licence_scope": terms.licence_scope,
        "licence_term": terms.licence_term,
        "licence_sublicensable": _yes_no(terms.licence_sublicensable),
        "benefit_share": terms.get_benefit_share_display(),
        "benefit_percentage": _percentage(terms),
        "benefit_trigger": terms.benefit_trigger,
        "background_ip_rules": terms.background_ip_rules,
        "confidentiality_rule": CONFIDENTIALITY_RULE,
        "confidentiality_note": terms.confidentiality_note,
    }


def ip_terms_facts(procurement: Procurement) -> dict[str, Any]:
    terms = ip_terms_for(procurement)
    return {"ip_terms_complete": terms is not None and terms.is_complete}


SECTION = register_builder_section(
    BuilderSection(
        key=KEY,
        title="IP terms",
        order=70,
        url_name="ip_rights:ip-terms",
        has_content=_has_content,
        summary=ip_terms_summary,
        facts=ip_terms_facts,
        group="Plan the partnership",
        prefetch=("ip_terms",),
        announce=ip_terms_announce,
        itt_template="ip_rights/itt/ip_terms.html",
        amended_on_own_pages=True,
    )
)
