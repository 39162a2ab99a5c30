"""The builder sections made of lists: minimum requirements and award criteria.

Both read their rows through ``procurement.<related>.all()`` so that a page
showing many sections prefetches them once (``prefetch``) and stays at a
constant number of queries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .registry import BuilderSection, register_builder_section
from .sections import ITT_FRAGMENTS

if TYPE_CHECKING:
    from .models import Procurement

GROUP = "Set the requirements and how tenders are judged"


def _requirements(procurement: Procurement) -> list:
    return list(procurement.minimum_requirements.all())


def _requirements_summary(procurement: Procurement) -> list[tuple[str, Any]]:
    requirements = _requirements(procurement)
    if not requirements:
        return [("Minimum requirements", "None added yet")]
    return [
        (f"Minimum requirement {number}", requirement.text)
        for number, requirement in enumerate(requirements, 1)
    ]


def _requirements_announce(procurement: Procurement) -> dict[str, Any]:
    """Numbered as the ITT numbers them; never negotiated (PCR 2015 reg. 31(6))."""
    return {
        "requirements": [
            {"number": number, "text": requirement.text}
            for number, requirement in enumerate(_requirements(procurement), 1)
        ]
    }


def _criteria(procurement: Procurement) -> list:
    return list(procurement.award_criteria.all())


def _reduction_text(procurement: Procurement) -> str:
    """Whether the tenderers may be reduced between rounds of negotiation by applying the
    award criteria: possible only if the documents say so (RULES.md point 7; PCR 2015
    reg. 31(3)-(4))."""
    if procurement.reduce_between_rounds:
        return (
            "Yes: the number of tenderers may be reduced between rounds of negotiation by "
            "applying the award criteria"
        )
    return "No: every tenderer is invited to each round of negotiation"


def _criteria_summary(procurement: Procurement) -> list[tuple[str, Any]]:
    criteria = _criteria(procurement)
    rows: list[tuple[str, Any]] = [
        ("Award basis", procurement.get_award_basis_display()),
        ("Scoring scale", procurement.get_scoring_scale_display()),
        ("Price-scoring formula", procurement.get_price_formula_display()),
        ("Tenderers reduced between rounds", _reduction_text(procurement)),
    ]
    for criterion in criteria:
        value = f"{criterion.weight}%"
        sub_criteria = [sub.name for sub in criterion.sub_criteria.all()]
        if sub_criteria:
            value += ". Sub-criteria: " + "; ".join(sub_criteria)
        rows.append((f"{criterion.get_kind_display()}: {criterion.name}", value))
    if not criteria:
        rows.append(("Award criteria", "None added yet"))
    else:
        rows.append(("Weights add up to", f"{sum(c.weight for c in criteria)}%"))
    return rows


def _criteria_announce(procurement: Procurement) -> dict[str, Any]:
    """The weighted criteria and how tenders are scored (PCR 2015 reg. 67(5); PA 2023 s.23)."""
    criteria = _criteria(procurement)
    return {
        "award_basis": procurement.get_award_basis_display(),
        "scoring_scale": procurement.get_scoring_scale_display(),
        "price_formula": procurement.get_price_formula_display(),
        "reduce_between_rounds": _reduction_text(procurement),
        "criteria": [
            {
                "number": number,
                "kind": criterion.get_kind_display(),
                "name": criterion.name,
                "description": criterion.description,
                "weight": f"{criterion.weight}%",
                "sub_criteria": [
                    {"name": sub.name, "description": sub.description}
                    for sub in criterion.sub_criteria.all()
                ],
            }
            for number, criterion in enumerate(criteria, 1)
        ],
        "total_weight": f"{sum(criterion.weight for criterion in criteria)}%",
    }


def _criteria_facts(procurement: Procurement) -> dict[str, Any]:
    criteria = _criteria(procurement)
    return {
        "award_basis": procurement.award_basis,
        "weights": [criterion.weight for criterion in criteria],
        "weights_by_kind": [(criterion.kind, criterion.weight) for criterion in criteria],
    }


MINIMUM_REQUIREMENTS = register_builder_section(
    BuilderSection(
        key="minimum-requirements",
        title="Minimum requirements",
        order=30,
        url_name="procurements:minimum-requirements",
        has_content=lambda procurement: bool(_requirements(procurement)),
        summary=_requirements_summary,
        facts=lambda procurement: {"minimum_requirement_count": len(_requirements(procurement))},
        group=GROUP,
        prefetch=("minimum_requirements",),
        announce=_requirements_announce,
        itt_template=f"{ITT_FRAGMENTS}/minimum_requirements.html",
    )
)

AWARD_CRITERIA = register_builder_section(
    BuilderSection(
        key="award-criteria",
        title="Award criteria",
        order=60,
        url_name="procurements:award-criteria",
        has_content=lambda procurement: bool(_criteria(procurement)),
        summary=_criteria_summary,
        facts=_criteria_facts,
        group=GROUP,
        prefetch=("award_criteria", "award_criteria__sub_criteria"),
        announce=_criteria_announce,
        itt_template=f"{ITT_FRAGMENTS}/award_criteria.html",
    )
)
