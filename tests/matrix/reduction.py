"""Permission-matrix entries: the pages of the reduction of the tenderers between rounds."""

from __future__ import annotations

from typing import Any

from tests.permission_matrix import LOGIN, Entry, PatternInfo, outcomes


def _round_one_evaluated(personas, info: PatternInfo) -> dict[str, Any]:
    """Round 1's three tenders evaluated to reduce the tenderers and moderated, undecided."""
    from tests.partners.reduction_samples import reduction_evaluated

    reducing = reduction_evaluated(personas)
    values: dict[str, Any] = {"pk": reducing.procurement.pk}
    if "<int:evaluation_pk>" in info.route:
        values["evaluation_pk"] = reducing.evaluation.pk
    return values


# The borough's officers, approvers and administrators see the reduction (only the lead
# officer decides); its evaluators, who know the procurement, get 403; anyone else may not
# know the procurement exists.
BOROUGH_PAGE = outcomes(
    404, officer_a=200, approver_a=200, borough_admin_a=200, evaluator_a=403, anonymous=LOGIN
)

ENTRIES: list = [
    Entry(
        "partners:reduction",
        BOROUGH_PAGE,
        kwargs=_round_one_evaluated,
        why="The rounds evaluated to reduce the tenderers, for the borough's officers, "
        "approvers and administrators.",
    ),
    Entry(
        "partners:reduction-round",
        BOROUGH_PAGE,
        kwargs=_round_one_evaluated,
        why="The ranking of a round's tenders and the reduction; the lead officer decides it.",
    ),
]
