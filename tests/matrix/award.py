"""Permission-matrix entries: the pages of the award (the borough's award page and decision
page, the tenderer's outcome page)."""

from __future__ import annotations

from typing import Any

from tests.permission_matrix import LOGIN, Entry, PatternInfo, outcomes


def _evaluated(personas, info: PatternInfo) -> dict[str, Any]:
    """The final tenders of organisations A and B evaluated: the award may be proposed."""
    from tests.partners.award_samples import evaluated

    return {"pk": evaluated(personas).procurement.pk}


def _proposed(personas, info: PatternInfo) -> dict[str, Any]:
    """The award proposed by the lead officer, waiting for the approver."""
    from tests.partners.award_samples import evaluated, proposed

    return {"pk": proposed(personas, evaluated(personas)).procurement_id}


def _proposal_of_a(personas, info: PatternInfo) -> dict[str, Any]:
    """Organisation A's final tender, evaluated (its outcome not yet published)."""
    from tests.partners.award_samples import evaluated

    return {"pk": evaluated(personas).proposal_of(personas.org_a).pk}


# The borough's officers, approvers and administrators see the award; its evaluators get 403;
# anyone else may not know the procurement exists.
BOROUGH_PAGE = outcomes(
    404, officer_a=200, approver_a=200, borough_admin_a=200, evaluator_a=403, anonymous=LOGIN
)

ENTRIES: list = [
    Entry(
        "partners:award",
        BOROUGH_PAGE,
        kwargs=_evaluated,
        why="The ranking of the final tenders and the award decisions for the borough's "
        "officers, approvers and administrators; only the lead officer proposes and publishes, "
        "only a second approver reverses.",
    ),
    Entry(
        "partners:award-decide",
        BOROUGH_PAGE,
        kwargs=_proposed,
        why="The proposed award for the borough's people; only an approver who did not propose "
        "it and is not the lead officer decides it.",
    ),
    Entry(
        "tenders:award",
        outcomes(404, supplier_a_admin=200, supplier_a_member=200, anonymous=LOGIN),
        kwargs=_proposal_of_a,
        why="A tenderer's own outcome and assessment summary for the people of its lead "
        "organisation; nobody else may know the tender exists.",
    ),
]
