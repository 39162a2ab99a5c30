"""Permission-matrix entries: the pages of the evaluation."""

from __future__ import annotations

from typing import Any

from tests.permission_matrix import LOGIN, Entry, PatternInfo, outcomes


def _final_opened(personas, info: PatternInfo) -> dict[str, Any]:
    """Final tenders of organisations A and B opened, no evaluation started."""
    from tests.partners.evaluation_samples import final_tenders_opened

    final = final_tenders_opened(personas)
    values: dict[str, Any] = {"pk": final.procurement.pk}
    if "<int:round_pk>" in info.route:
        values["round_pk"] = final.final_round.pk
    return values


def _started(personas, info: PatternInfo) -> dict[str, Any]:
    """The evaluation started: evaluator A on quality, officer A on price, nobody declared."""
    from tests.partners.evaluation_samples import evaluation_started, final_tenders_opened

    final = final_tenders_opened(personas)
    evaluation_started(personas, final)
    values: dict[str, Any] = {"pk": final.procurement.pk, "round_pk": final.final_round.pk}
    if "<str:part>" in info.route:
        values["part"] = "quality"
    if "<int:proposal_pk>" in info.route:
        values["proposal_pk"] = final.proposal_a.pk
    return values


def _declared(personas, info: PatternInfo) -> dict[str, Any]:
    """As ``_started``, every member having declared no conflict; A's tender has a file."""
    from tests.partners.evaluation_samples import (
        all_declared,
        evaluation_started,
        final_tenders_with_file,
    )

    final = final_tenders_with_file(personas)
    evaluation = evaluation_started(personas, final)
    all_declared(evaluation)
    values: dict[str, Any] = {
        "pk": final.procurement.pk,
        "round_pk": final.final_round.pk,
        "proposal_pk": final.proposal_a.pk,
    }
    if "<str:part>" in info.route:
        values["part"] = "quality"
    if "<uuid:token>" in info.route:
        values["token"] = final.proposal_a.files.get().token
    return values


# The borough's procurement officers and approvers see the evaluation; the lead officer starts
# it; the panel members see their own pages (evaluator A on quality, officer A on price); the
# borough's other people who know the procurement get 403; anyone else may not know it exists.
BOX_PAGE = outcomes(
    404, officer_a=200, approver_a=200, evaluator_a=403, borough_admin_a=403, anonymous=LOGIN
)
LEAD_PAGE = outcomes(
    404, officer_a=200, approver_a=403, evaluator_a=403, borough_admin_a=403, anonymous=LOGIN
)
PANEL_PAGE = outcomes(
    404, officer_a=200, approver_a=403, evaluator_a=200, borough_admin_a=403, anonymous=LOGIN
)
QUALITY_PAGE = outcomes(
    404, officer_a=403, approver_a=403, evaluator_a=200, borough_admin_a=403, anonymous=LOGIN
)

ENTRIES: list = [
    Entry(
        "partners:evaluation",
        BOX_PAGE,
        kwargs=_final_opened,
        why="The opened rounds and their evaluations, for the borough's procurement officers "
        "and approvers.",
    ),
    Entry(
        "partners:evaluation-start",
        LEAD_PAGE,
        kwargs=_final_opened,
        why="The lead officer names the panel and starts the evaluation of an opened round.",
    ),
    Entry(
        "partners:evaluation-round",
        BOX_PAGE,
        kwargs=_started,
        why="The panel's progress on every tender and the ranking, for the borough's "
        "procurement officers and approvers.",
    ),
    Entry(
        "partners:evaluation-mine",
        PANEL_PAGE,
        kwargs=_started,
        why="A panel member's own tenders to evaluate; nobody else's page.",
    ),
    Entry(
        "partners:evaluation-declare",
        QUALITY_PAGE,
        kwargs=_started,
        why="The quality evaluators declare their conflicts of interest before any tender.",
    ),
    Entry(
        "partners:evaluation-tender",
        QUALITY_PAGE,
        kwargs=_declared,
        why="A quality evaluator who declared no conflict reads and marks the tender; the "
        "price evaluator (officer A) does not sit on quality.",
    ),
    Entry(
        "partners:evaluation-file",
        QUALITY_PAGE,
        kwargs=_declared,
        why="A file of the tender, for a quality evaluator who declared no conflict with it.",
    ),
    Entry(
        "partners:evaluation-moderate",
        BOX_PAGE,
        kwargs=_started,
        why="Every member's marks side by side (once all have completed) for the borough's "
        "procurement officers and approvers; only the lead officer records the consensus.",
    ),
]
