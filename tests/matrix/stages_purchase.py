"""Permission-matrix entries: the borough's purchase page and the lead officer's decisions
(/procurements/<pk>/stages/purchase/...), and the partner's withdrawal
(/procurements/my-phases/withdraw/<partnership>/)."""

from __future__ import annotations

from typing import Any

from tests.matrix.stages_samples import (
    BOROUGH_READS,
    LEAD_OFFICER_ONLY,
    PARTNER_ADMIN_ONLY,
    running_sample,
)
from tests.permission_matrix import Entry, PatternInfo


def _reached(personas, info: PatternInfo) -> dict[str, Any]:
    """Organisation A's partnership, every phase passed: the purchase can be decided."""
    from tests.stages.purchase_samples import all_phases_passed

    partnership = all_phases_passed(personas, running_sample(personas), personas.org_a)
    return {"pk": partnership.procurement_id, "partnership_pk": partnership.pk}


def _procurement(personas, info: PatternInfo) -> dict[str, Any]:
    return {"pk": _reached(personas, info)["pk"]}


def _partnership(personas, info: PatternInfo) -> dict[str, Any]:
    return {"pk": _reached(personas, info)["partnership_pk"]}


ENTRIES: list = [
    Entry(
        "stages:purchase",
        BOROUGH_READS,
        kwargs=_procurement,
        why="Every partner's standing for the purchase, for the borough's officers, approvers "
        "and administrators; an evaluator gets 403, another borough and every supplier 404.",
    ),
    Entry(
        "stages:purchase-record",
        LEAD_OFFICER_ONLY,
        kwargs=_reached,
        why="Only the lead officer records the purchase; the borough's other people get 403, "
        "another borough and every supplier 404.",
    ),
    Entry(
        "stages:purchase-decline",
        LEAD_OFFICER_ONLY,
        kwargs=_reached,
        why="Only the lead officer declines to buy; the borough's other people get 403, another "
        "borough and every supplier 404.",
    ),
    Entry(
        "stages:partner-withdraw",
        PARTNER_ADMIN_ONLY,
        kwargs=_partnership,
        why="Organisation A's partnership: its administrator confirms the withdrawal; its other "
        "members get 403; another supplier, the consortium member of no request here and "
        "every officer 404.",
    ),
]
