"""Permission-matrix entries: the borough's purchase page and the lead officer's decisions
(/procurements/<pk>/stages/purchase/...), and the partner's withdrawal
(/procurements/my-phases/withdraw/<partnership>/)."""

from __future__ import annotations

from typing import Any

from tests.permission_matrix import LOGIN, Entry, PatternInfo, outcomes


def _reached(personas, info: PatternInfo) -> dict[str, Any]:
    """Organisation A's partnership, every phase passed: the purchase can be decided."""
    from tests.stages.purchase_samples import all_phases_passed
    from tests.stages.running_samples import running

    partnership = all_phases_passed(running(personas), personas.org_a)
    return {"pk": partnership.procurement_id, "partnership_pk": partnership.pk}


def _procurement(personas, info: PatternInfo) -> dict[str, Any]:
    return {"pk": _reached(personas, info)["pk"]}


def _partnership(personas, info: PatternInfo) -> dict[str, Any]:
    return {"pk": _reached(personas, info)["partnership_pk"]}


LEAD_ONLY = outcomes(
    404,
    officer_a=200,
    approver_a=403,
    borough_admin_a=403,
    evaluator_a=403,
    anonymous=LOGIN,
)

ENTRIES: list = [
    Entry(
        "stages:purchase",
        outcomes(
            404,
            officer_a=200,
            approver_a=200,
            borough_admin_a=200,
            evaluator_a=403,
            anonymous=LOGIN,
        ),
        kwargs=_procurement,
        why="Every partner's standing for the purchase, for the borough's officers, approvers "
        "and administrators; an evaluator gets 403, another borough and every supplier 404.",
    ),
    Entry(
        "stages:purchase-record",
        LEAD_ONLY,
        kwargs=_reached,
        why="Only the lead officer records the purchase; the borough's other people get 403, "
        "another borough and every supplier 404.",
    ),
    Entry(
        "stages:purchase-decline",
        LEAD_ONLY,
        kwargs=_reached,
        why="Only the lead officer declines to buy; the borough's other people get 403, another "
        "borough and every supplier 404.",
    ),
    Entry(
        "stages:partner-withdraw",
        outcomes(404, supplier_a_admin=200, supplier_a_member=403, anonymous=LOGIN),
        kwargs=_partnership,
        why="Organisation A's partnership: its administrator confirms the withdrawal; its other "
        "members get 403; another supplier, the consortium member of no request here and "
        "every officer 404.",
    ),
]
