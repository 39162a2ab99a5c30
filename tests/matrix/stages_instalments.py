"""Permission-matrix entries: the borough's Money page (/procurements/<pk>/stages/money/) and
one instalment's page, the partner's instalments (/procurements/my-money/) and the claim of
one instalment."""

from __future__ import annotations

from typing import Any

from tests.permission_matrix import LOGIN, Entry, PatternInfo, outcomes


def sample_instalment(personas):
    """Organisation A's first instalment of the first phase (in progress), scheduled, in a
    procurement of borough A with two announced phases of two instalments each whose
    contract has been entered."""
    from decimal import Decimal

    from django.utils import timezone

    from core.calendar import london_date
    from partners.services_partnerships import contracts_enter
    from stages.models import Instalment, InstalmentScheduleItem, Phase
    from tests.partners.award_samples import in_standstill, standstill_over

    decision = standstill_over(in_standstill(personas))
    for order, name in enumerate(("Research", "Pilot"), 1):
        phase = Phase.objects.create(
            procurement=decision.procurement, kind="research", name=name, order=order
        )
        for number, (milestone, share) in enumerate((("Interim", 40), ("Final", 60)), 1):
            InstalmentScheduleItem.objects.create(
                phase=phase, milestone=milestone, share_percent=Decimal(share), order=number
            )
    contracts_enter(
        actor=personas.officer_a, decision=decision, signed_on=london_date(timezone.now())
    )
    return (
        Instalment.objects.filter(
            participation__partnership__procurement=decision.procurement,
            participation__partnership__request__organisation=personas.org_a,
            participation__phase__order=1,
        )
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


BOROUGH = outcomes(
    404, officer_a=200, approver_a=200, borough_admin_a=200, evaluator_a=403, anonymous=LOGIN
)

ENTRIES: list = [
    Entry(
        "stages:money",
        BOROUGH,
        kwargs=_procurement,
        why="Every partner's money against the caps, for the borough's officers, approvers "
        "and administrators; an evaluator on the panel gets 403, another borough and every "
        "supplier 404.",
    ),
    Entry(
        "stages:instalment",
        BOROUGH,
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
        outcomes(404, supplier_a_admin=200, supplier_a_member=403, anonymous=LOGIN),
        kwargs=_partner_instalment,
        why="Organisation A's scheduled instalment: its administrator claims it; its other "
        "members get 403; another supplier, the consortium member of no request here and "
        "every officer 404.",
    ),
]
