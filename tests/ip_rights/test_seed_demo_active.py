"""The active demo procurement, "Finding and fixing damp and mould in council homes before
residents fall ill": what a new user finds after ``seed_demo`` (three final tenders evaluated,
all three awarded, standstill over and the contracts entered, so every partner is in the first
of three phases with its instalments scheduled), the Stages pages of the lead officer and of
each partner, and that running the command again changes nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.calendar import london_date
from core.models import AuditEvent, User
from partners.models import (
    AwardDecision,
    AwardStatus,
    ConsortiumMember,
    Partnership,
    RequestStatus,
    RoundKind,
    RoundStatus,
)
from procurements.models import Notice, NoticeKind, Procurement, ProcurementStatus, Regime
from stages.models import (
    Instalment,
    InstalmentStatus,
    ParticipationStatus,
    PhaseKind,
    StageParticipation,
)
from tests.signing_in import force_sign_in

DAMP_MOULD = "Finding and fixing damp and mould in council homes before residents fall ill"
CARE_AND_REPAIR = "Kingsmead Care and Repair CIC"
ROBOTICS = "Assistive Robotics Lab Ltd"
BRIGHTWATER = "Brightwater Community Energy CIC"
HOMEWARD = "Homeward Health Technologies Ltd"
NORTHWAY = "Northway Digital Health Ltd"
ADMINS = {
    CARE_AND_REPAIR: "supplier-d@example.org",
    ROBOTICS: "supplier-a@example.org",
    BRIGHTWATER: "supplier-b@example.org",
}
MEMBER = "supplier-c@example.org"
NOT_INVITED = "supplier-e@example.org"
OFFICER = "officer@example.org"
APPROVER = "approver@example.org"


@pytest.fixture
def demo(demo_seeded):
    """The demo, seeded once for this module (see tests/ip_rights/conftest.py)."""
    return Procurement.objects.get(title=DAMP_MOULD)


def _partnerships(procurement) -> dict[str, Partnership]:
    return {
        p.request.organisation.name: p
        for p in Partnership.objects.filter(procurement=procurement).select_related(
            "request__organisation"
        )
    }


def test_damp_mould_announced_three_phases_each_with_targets_instalments_and_a_gate(demo):
    phases = list(demo.phases.order_by("order", "pk"))

    assert demo.regime == Regime.PA2023
    assert demo.max_partners == 3
    assert [phase.kind for phase in phases] == [
        PhaseKind.RESEARCH,
        PhaseKind.DEVELOPMENT,
        PhaseKind.PILOT,
    ]
    for phase in phases:
        instalments = list(phase.instalments.all())
        gate = list(phase.gate_criteria.all())
        assert phase.targets.count() == 2, phase.name
        assert [item.share_percent for item in instalments] == [40, 60], phase.name
        assert instalments[0].milestone and instalments[0].weeks_after_start is None
        assert instalments[1].milestone == f"{phase.name} final report accepted"
        assert 1 <= len(gate) <= 2, phase.name
        # Each threshold can be judged on a score out of 10.
        assert all("out of 10" in criterion.threshold for criterion in gate), phase.name
        assert phase.termination_conditions.count() == 2, phase.name
    # Three partners at every phase's maximum, plus the purchase, fit in the estimated value.
    caps = sum(phase.max_remuneration_per_partner for phase in phases)
    assert 3 * caps + demo.purchase_terms.max_cost <= demo.estimated_value


def test_damp_mould_went_from_four_requests_through_negotiation_to_three_awarded(demo):
    requests = {r.organisation.name: r for r in demo.participation_requests.all()}
    rounds = list(demo.tender_rounds.order_by("number"))
    decision = AwardDecision.objects.get(procurement=demo)
    entries = list(decision.entries.select_related("proposal__request__organisation"))
    yesterday = london_date(timezone.now()) - timedelta(days=1)

    assert set(requests) == {CARE_AND_REPAIR, ROBOTICS, BRIGHTWATER, NORTHWAY}
    assert requests[NORTHWAY].status == RequestStatus.NOT_SHORTLISTED
    assert all(requests[name].status == RequestStatus.SHORTLISTED for name in ADMINS)
    [member] = ConsortiumMember.objects.filter(request=requests[CARE_AND_REPAIR])
    assert member.organisation.name == HOMEWARD and member.confirmed_at is not None
    assert [(r.kind, r.status) for r in rounds] == [
        (RoundKind.INITIAL, RoundStatus.OPENED),
        (RoundKind.FINAL, RoundStatus.OPENED),
    ]
    assert rounds[0].negotiation_notes.count() == 2
    assert decision.status == AwardStatus.CONTRACTED
    assert decision.decided_by.email == APPROVER
    assert decision.standstill_last_day == yesterday
    ranking = sorted((e.rank, e.proposal.request.organisation.name, e.awarded) for e in entries)
    assert ranking == [(1, CARE_AND_REPAIR, True), (2, ROBOTICS, True), (3, BRIGHTWATER, True)]
    assert all(entry.reasons for entry in entries)
    # The lowest price is ranked third: the ranking is on price and quality.
    assert min(entries, key=lambda e: e.price).proposal.request.organisation.name == BRIGHTWATER


def test_damp_mould_is_active_with_three_partnerships_each_in_its_first_phase(demo):
    partnerships = _partnerships(demo)
    phases = list(demo.phases.order_by("order", "pk"))
    caps = [phase.max_remuneration_per_partner for phase in phases]
    today = london_date(timezone.now())

    assert demo.status == ProcurementStatus.ACTIVE
    assert set(partnerships) == set(ADMINS)
    assert sorted(p.reference for p in partnerships.values()) == [
        f"{demo.reference}-P{n}" for n in (1, 2, 3)
    ]
    schedules = {
        name: [Decimal(entry["price"]) for entry in partnership.phase_prices]
        for name, partnership in partnerships.items()
    }
    # Each partner's own price schedule, every phase within its maximum.
    assert len({tuple(prices) for prices in schedules.values()}) == 3
    for name, prices in schedules.items():
        assert len(prices) == 3, name
        assert all(0 < price <= cap for price, cap in zip(prices, caps, strict=True)), name
        assert partnerships[name].total_price == sum(prices), name
    assert all(
        p.signed_on == today and p.entered_by.email == OFFICER for p in partnerships.values()
    )
    assert Notice.objects.filter(procurement=demo, kind=NoticeKind.UK7).count() == 1
    [entered] = AuditEvent.objects.filter(
        action="partners.contracts_entered", target_id=str(demo.pk)
    )
    assert entered.actor.email == OFFICER
    for name, partnership in partnerships.items():
        participations = list(
            StageParticipation.objects.filter(partnership=partnership).order_by(
                "phase__order", "phase__pk"
            )
        )
        assert [p.phase_id for p in participations] == [phase.pk for phase in phases], name
        assert [p.status for p in participations] == [
            ParticipationStatus.IN_PROGRESS,
            ParticipationStatus.NOT_STARTED,
            ParticipationStatus.NOT_STARTED,
        ], name
        assert participations[0].started_on == today
        assert [p.price for p in participations] == schedules[name], name
        for participation in participations:
            instalments = list(participation.instalments.order_by("pk"))
            assert all(i.status == InstalmentStatus.SCHEDULED for i in instalments)
            assert [i.amount for i in instalments] == [
                (participation.price * share / 100).quantize(Decimal("0.01")) for share in (40, 60)
            ], (name, participation.phase.name)
    assert Instalment.objects.filter(participation__partnership__procurement=demo).count() == 18


def test_the_lead_officer_sees_the_stages_and_each_partner_its_own_phases(demo, client):
    partnerships = _partnerships(demo)
    progress = reverse("stages:progress", kwargs={"pk": demo.pk})
    own_phases = reverse("stages:partner-phases")

    force_sign_in(client, User.objects.get(email=OFFICER))
    page = client.get(progress)

    assert page.status_code == 200
    text = page.content.decode()
    assert all(p.reference in text for p in partnerships.values())
    for name, email in ADMINS.items():
        force_sign_in(client, User.objects.get(email=email))
        page = client.get(own_phases)
        assert page.status_code == 200, name
        text = page.content.decode()
        assert f"{partnerships[name].reference} {DAMP_MOULD}" in text, name
        others = [p.reference for other, p in partnerships.items() if other != name]
        assert not any(reference in text for reference in others), name
        # The officer's view of every partner is not a supplier's to see.
        assert client.get(progress).status_code == 404, name
    # The consortium member sees the lead's partnership, which the lead submits.
    force_sign_in(client, User.objects.get(email=MEMBER))
    text = client.get(own_phases).content.decode()
    assert partnerships[CARE_AND_REPAIR].reference in text
    assert "consortium member" in text and CARE_AND_REPAIR in text
    # A supplier that is no partner has no phases of this procurement.
    force_sign_in(client, User.objects.get(email=NOT_INVITED))
    page = client.get(own_phases)
    assert page.status_code == 200
    assert demo.reference not in page.content.decode()


def test_seeding_again_leaves_the_partnerships_as_they_are_and_the_chain_holds(demo):
    models = (Procurement, Partnership, StageParticipation, Instalment, Notice, AuditEvent)
    before = {model.__name__: model.objects.count() for model in models}

    call_command("seed_demo")

    assert {model.__name__: model.objects.count() for model in models} == before
    assert before["Procurement"] == 9
    assert before["Partnership"] == 3
    assert before["StageParticipation"] == 9
    assert Procurement.objects.filter(title=DAMP_MOULD).count() == 1
    call_command("verify_audit")
