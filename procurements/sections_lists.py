"""The builder sections made of lists: minimum requirements and award criteria.

Both read their rows through ``procurement.<related>.all()`` so that a page
showing many sections prefetches them once (``prefetch``) and stays at a
constant number of queries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .registry import BuilderSection, register_builder_section

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


def _criteria(procurement: Procurement) -> list:
    return list(procurement.award_criteria.all())


def _criteria_summary(procurement: Procurement) -> list[tuple[str, Any]]:
    criteria = _criteria(procurement)
    rows: list[tuple[str, Any]] = [
        ("Award basis", procurement.get_award_basis_display()),
        ("Scoring scale", procurement.get_scoring_scale_display()),
        ("Price-scoring formula", procurement.get_price_formula_display()),
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
        facts=lambda procurement: {
            "award_basis": procurement.award_basis,
            "weights": [criterion.weight for criterion in _criteria(procurement)],
        },
        group=GROUP,
        prefetch=("award_criteria", "award_criteria__sub_criteria"),
    )
)
