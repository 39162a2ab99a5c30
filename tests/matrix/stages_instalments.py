"""Permission-matrix entries: the borough's Money page (/procurements/<pk>/stages/money/) and
one instalment's page, the partner's instalments (/procurements/my-money/) and the claim of
one instalment."""

from __future__ import annotations

from typing import Any

from tests.matrix.stages_samples import BOROUGH_READS, PARTNER_ADMIN_ONLY, running_sample
from tests.permission_matrix import LOGIN, Entry, PatternInfo, outcomes


def sample_instalment(personas):
    """Organisation A's first instalment of the first phase (in progress), scheduled, in the
    running procurement."""
    from stages.models import Instalment

    sample = running_sample(personas)
    return (
        Instalment.objects.filter(participation=sample.participation(personas.org_a, 1))
        .select_related("participation__partnership")
        .order_by("schedule_item__order")
        .first()
    )


def _procurement(personas, info: PatternInfo) -> dict[str, Any]:
    return {"pk": sample_instalment(personas).participation.partnership.procurement_id}


def _officer_instalment(personas, info: PatternInfo) -> dict[str, Any]:
    instalment = sample_instalment(personas)
    return {
        "pk": instalment.participation.partnership.procurement_id,
        "instalment_pk": instalment.pk,
    }


def _partner_instalment(personas, info: PatternInfo) -> dict[str, Any]:
    return {"pk": sample_instalment(personas).pk}


ENTRIES: list = [
    Entry(
        "stages:money",
        BOROUGH_READS,
        kwargs=_procurement,
        why="Every partner's money against the caps, for the borough's officers, approvers "
        "and administrators; an evaluator on the panel gets 403, another borough and every "
        "supplier 404.",
    ),
    Entry(
        "stages:instalment",
        BOROUGH_READS,
        kwargs=_officer_instalment,
        why="One instalment's claim and history, for the same people (the lead officer also "
        "gets the decision forms); an evaluator 403, another borough and suppliers 404.",
    ),
    Entry(
        "stages:partner-money",
        outcomes(404, suppliers=200, anonymous=LOGIN),
        why="Every supplier sees its own organisation's instalments (none for most); officers "
        "use the procurement's Money page and get 404.",
    ),
    Entry(
        "stages:partner-instalment-claim",
        PARTNER_ADMIN_ONLY,
        kwargs=_partner_instalment,
        why="Organisation A's scheduled instalment: its administrator claims it; its other "
        "members get 403; another supplier, the consortium member of no request here and "
        "every officer 404.",
    ),
]
