"""The active demo procurement, "Finding and fixing damp and mould in council homes before
residents fall ill": what a new user finds after ``seed_demo``. Three final tenders evaluated,
all three awarded, standstill over and the contracts entered; then the R&D phases run through
the services: Kingsmead Care and Repair passed the research and prototype development gates
and is in its pilot; Assistive Robotics was terminated at the research gate on an announced
condition (UK11 published); Brightwater answered a request for more evidence and is under
review, not yet scored. Instalments are in every state, every decision's stage-gate report
and letter are ready, the walk-through's pages open for the logins the seed output names and
lead to the purchase, and running the command again changes nothing."""

import hashlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.calendar import london_date
from core.models import AuditEvent, DocumentStatus, GeneratedDocument, User
from core.selectors.documents import latest_documents_of
from ip_rights.demo.catalogue import damp_mould_who
from partners.models import (
    AwardDecision,
    AwardStatus,
    ConsortiumMember,
    Partnership,
    PartnershipStatus,
    RequestStatus,
    RoundKind,
    RoundStatus,
)
from procurements.models import Notice, NoticeKind, Procurement, ProcurementStatus, Regime
from stages.models import (
    Deliverable,
    DeliverableKind,
    EvidenceRequest,
    GateAssessor,
    GateConsensus,
    GateDecision,
    GateOutcome,
    GateReview,
    GateScore,
    Instalment,
    InstalmentStatus,
    ParticipationStatus,
    PhaseKind,
    PurchaseOutcome,
    StageParticipation,
)
from stages.services_deliverables import deliverable_submit
from stages.services_gate_decisions import gate_decide
from stages.services_gates import GateMark, gate_consensus_save, gate_marks_save
from stages.services_purchase import purchase_record
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
EVALUATOR = "evaluator@example.org"


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


def test_damp_mould_is_active_with_three_partnerships_entered_today(demo):
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
        assert participations[0].started_on == today
        assert [p.price for p in participations] == schedules[name], name
        for participation in participations:
            instalments = list(participation.instalments.order_by("pk"))
            assert [i.amount for i in instalments] == [
                (participation.price * share / 100).quantize(Decimal("0.01")) for share in (40, 60)
            ], (name, participation.phase.name)
    assert Instalment.objects.filter(participation__partnership__procurement=demo).count() == 18


def _runs(procurement) -> dict[str, list[StageParticipation]]:
    """Each partner's participations, in the order of the phases."""
    runs: dict[str, list[StageParticipation]] = {name: [] for name in ADMINS}
    for participation in (
        StageParticipation.objects.filter(partnership__procurement=procurement)
        .select_related("phase", "partnership__request__organisation")
        .order_by("phase__order", "phase__pk")
    ):
        runs[participation.partnership.request.organisation.name].append(participation)
    return runs


def test_one_partner_passed_two_gates_one_was_terminated_at_the_first_one_is_in_review(demo):
    runs = _runs(demo)
    partnerships = _partnerships(demo)
    today = london_date(timezone.now())
    passed, started = ParticipationStatus.PASSED, ParticipationStatus.IN_PROGRESS
    terminated, waiting = ParticipationStatus.TERMINATED, ParticipationStatus.NOT_STARTED

    assert {name: [p.status for p in run] for name, run in runs.items()} == {
        CARE_AND_REPAIR: [passed, passed, started],
        ROBOTICS: [terminated, terminated, terminated],
        BRIGHTWATER: [ParticipationStatus.UNDER_REVIEW, waiting, waiting],
    }
    # Each phase started the day the gate before it was passed: the day of seeding.
    assert [p.started_on for p in runs[CARE_AND_REPAIR]] == [today, today, today]
    assert {name: p.status for name, p in partnerships.items()} == {
        CARE_AND_REPAIR: PartnershipStatus.ACTIVE,
        ROBOTICS: PartnershipStatus.TERMINATED,
        BRIGHTWATER: PartnershipStatus.ACTIVE,
    }
    # One partner terminated, two still active: the procurement runs on.
    assert demo.status == ProcurementStatus.ACTIVE


def test_the_three_gate_decisions_are_the_approvers_on_moderated_marks(demo):
    runs = _runs(demo)
    research = runs[CARE_AND_REPAIR][0].phase
    decisions = {
        (d.participation.partnership.request.organisation.name, d.participation.phase.name): d
        for d in GateDecision.objects.filter(participation__phase__procurement=demo)
        .select_related("participation__phase", "participation__partnership__request__organisation")
        .select_related("condition__phase", "decided_by", "notice")
    }

    assert {key: d.outcome for key, d in decisions.items()} == {
        (CARE_AND_REPAIR, "Research"): GateOutcome.PASS,
        (CARE_AND_REPAIR, "Prototype development"): GateOutcome.PASS,
        (ROBOTICS, "Research"): GateOutcome.TERMINATE,
    }
    assert all(d.decided_by.email == APPROVER and d.reason for d in decisions.values())
    for (name, _), decision in decisions.items():
        participation = decision.participation
        criteria = participation.phase.gate_criteria.count()
        [review] = GateReview.objects.filter(participation=participation)
        assert review.assessor.email == EVALUATOR and review.completed_at is not None, name
        assert GateScore.objects.filter(participation=participation).count() == criteria
        consensus = list(participation.gate_consensus.all())
        assert len(consensus) == criteria and all(
            m.moderated_by.email == OFFICER for m in consensus
        )
        # The recommendation recorded is what the moderated marks say.
        assert decision.recommendation_meets == all(mark.meets for mark in consensus), name
    passes = [d for d in decisions.values() if d.outcome == GateOutcome.PASS]
    assert all(d.recommendation_meets and d.condition is None for d in passes)
    # The termination cites a condition announced for the research phase, below threshold,
    # and its contract termination notice is published (PA 2023 s.80).
    terminated = decisions[(ROBOTICS, "Research")]
    assert terminated.recommendation_meets is False
    assert terminated.condition.phase == research
    assert terminated.condition == research.termination_conditions.order_by("order", "pk")[0]
    assert terminated.notice.kind == NoticeKind.UK11
    assert _partnerships(demo)[ROBOTICS].reference in str(terminated.notice.content)
    assert Notice.objects.filter(procurement=demo, kind=NoticeKind.UK11).count() == 1
    # Every gate has the evaluator as its assessor, named by the lead officer.
    assert sorted(
        GateAssessor.objects.filter(phase__procurement=demo).values_list(
            "phase__order", "user__email", "named_by__email"
        )
    ) == sorted((phase.order, EVALUATOR, OFFICER) for phase in demo.phases.all())


def test_the_partner_in_review_answered_a_request_for_evidence_and_awaits_its_marks(demo):
    [research, *_] = _runs(demo)[BRIGHTWATER]
    deliverables = list(research.deliverables.order_by("submitted_at", "pk"))
    [asked] = EvidenceRequest.objects.filter(participation=research)

    assert [d.kind for d in deliverables] == [
        DeliverableKind.PROGRESS,
        DeliverableKind.DELIVERABLE,
        DeliverableKind.FINAL_REPORT,
    ]
    assert asked.asked_by.email == OFFICER and asked.deliverable == deliverables[0]
    assert asked.answered_at is not None and deliverables[1].answers == asked
    assert research.review_requested_at is not None
    # The evaluator, its assessor, has not scored it, nor has anyone moderated it.
    assert GateAssessor.objects.filter(phase=research.phase, user__email=EVALUATOR).exists()
    assert not GateReview.objects.filter(participation=research).exists()
    assert not GateScore.objects.filter(participation=research).exists()
    assert not research.gate_consensus.exists()
    assert not GateDecision.objects.filter(participation=research).exists()


def test_every_final_report_measures_every_target_with_a_pdf_of_evidence(demo):
    finals = list(
        Deliverable.objects.filter(
            participation__partnership__procurement=demo, kind=DeliverableKind.FINAL_REPORT
        ).select_related("participation__phase", "participation__partnership")
    )

    # Care and Repair's research and prototype development, Robotics' and Brightwater's
    # research.
    assert len(finals) == 4
    for final in finals:
        targets = set(final.participation.phase.targets.values_list("pk", flat=True))
        measured = list(final.measurements.all())
        assert {value.target_id for value in measured} == targets, final.title
        assert all(value.value for value in measured), final.title
        [evidence] = final.files.all()
        assert evidence.content_type == "application/pdf" and evidence.name.endswith(".pdf")
        with evidence.file.open("rb") as handle:
            content = handle.read()
        assert content.startswith(b"%PDF-") and len(content) == evidence.size
        assert hashlib.sha256(content).hexdigest() == evidence.sha256


def test_instalments_are_in_every_state_within_the_caps(demo):
    states = {
        (
            i.participation.partnership.request.organisation.name,
            i.participation.phase.name,
            i.schedule_item.share_percent,
        ): i
        for i in Instalment.objects.filter(
            participation__partnership__procurement=demo
        ).select_related(
            "participation__phase",
            "participation__partnership__request__organisation",
            "schedule_item",
        )
    }
    scheduled = InstalmentStatus.SCHEDULED

    assert {key: i.status for key, i in states.items()} == {
        (CARE_AND_REPAIR, "Research", 40): InstalmentStatus.PAID,
        (CARE_AND_REPAIR, "Research", 60): InstalmentStatus.PAID,
        (CARE_AND_REPAIR, "Prototype development", 40): InstalmentStatus.PAID,
        (CARE_AND_REPAIR, "Prototype development", 60): InstalmentStatus.APPROVED,
        (CARE_AND_REPAIR, "Pilot", 40): InstalmentStatus.CLAIMED,
        (CARE_AND_REPAIR, "Pilot", 60): scheduled,
        (ROBOTICS, "Research", 40): scheduled,
        (ROBOTICS, "Research", 60): InstalmentStatus.WITHHELD,
        (ROBOTICS, "Prototype development", 40): scheduled,
        (ROBOTICS, "Prototype development", 60): scheduled,
        (ROBOTICS, "Pilot", 40): scheduled,
        (ROBOTICS, "Pilot", 60): scheduled,
        (BRIGHTWATER, "Research", 40): InstalmentStatus.PAID,
        (BRIGHTWATER, "Research", 60): scheduled,
        (BRIGHTWATER, "Prototype development", 40): scheduled,
        (BRIGHTWATER, "Prototype development", 60): scheduled,
        (BRIGHTWATER, "Pilot", 40): scheduled,
        (BRIGHTWATER, "Pilot", 60): scheduled,
    }
    today = london_date(timezone.now())
    for key, instalment in states.items():
        if instalment.status == scheduled:
            continue
        # Each claim is the instalment in full, with evidence and a deliverable of its phase.
        assert instalment.claimed_amount == instalment.amount, key
        assert instalment.evidence and instalment.claimed_by.email == ADMINS[key[0]], key
        assert instalment.deliverable.participation_id == instalment.participation_id, key
        if instalment.status != InstalmentStatus.CLAIMED:
            assert instalment.decided_by.email == OFFICER, key
    withheld = states[(ROBOTICS, "Research", 60)]
    assert "final report" in withheld.decision_reason
    paid = [i for i in states.values() if i.status == InstalmentStatus.PAID]
    assert all(i.paid_on == today and i.paid_recorded_by.email == OFFICER for i in paid)


def test_a_ready_stage_gate_report_and_letter_for_every_decision(demo, client):
    decisions = list(
        GateDecision.objects.filter(participation__phase__procurement=demo).values_list(
            "pk", flat=True
        )
    )
    reports = reverse("stages:reports", kwargs={"pk": demo.pk})

    assert len(decisions) == 3
    for kind in ("stage_gate_report", "stage_gate_letter"):
        documents = latest_documents_of(kind=kind, model=GateDecision, ids=decisions)
        assert set(documents) == set(decisions), kind
        assert all(d.status == DocumentStatus.READY and d.sha256 for d in documents.values())
    force_sign_in(client, User.objects.get(email=OFFICER))
    page = client.get(reports)
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count("Download<span") == 6 and "reports-rendering" not in text
    [report] = GeneratedDocument.objects.filter(
        kind="stage_gate_report", object_id=str(decisions[0])
    )
    download = client.get(reverse("core:document-download", kwargs={"pk": report.pk}))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_the_walk_through_pages_open_for_the_logins_the_seed_output_names(demo, client):
    runs, partnerships = _runs(demo), _partnerships(demo)
    pilot, review = runs[CARE_AND_REPAIR][2], runs[BRIGHTWATER][0]

    def gate(participation, step):
        return reverse(
            f"stages:gate-{step}",
            kwargs={
                "pk": demo.pk,
                "phase_pk": participation.phase_id,
                "participation_pk": participation.pk,
            },
        )

    pages = {
        ADMINS[CARE_AND_REPAIR]: [
            reverse("stages:partner-phase", kwargs={"pk": pilot.pk}),
            reverse("stages:partner-deliverable-add", kwargs={"pk": pilot.pk}),
            reverse("stages:partner-money"),
            reverse("stages:partner-gate", kwargs={"pk": runs[CARE_AND_REPAIR][1].pk}),
        ],
        ADMINS[ROBOTICS]: [
            reverse("stages:partner-gate", kwargs={"pk": runs[ROBOTICS][0].pk}),
            reverse("stages:partner-money"),
        ],
        EVALUATOR: [gate(review, "score")],
        OFFICER: [
            reverse("stages:progress", kwargs={"pk": demo.pk}),
            reverse("stages:money", kwargs={"pk": demo.pk}),
            reverse("stages:gate", kwargs={"pk": demo.pk, "phase_pk": review.phase_id}),
            reverse("stages:purchase", kwargs={"pk": demo.pk}),
        ],
        APPROVER: [
            reverse("stages:progress", kwargs={"pk": demo.pk}),
            reverse("stages:reports", kwargs={"pk": demo.pk}),
        ],
    }
    for email, urls in pages.items():
        force_sign_in(client, User.objects.get(email=email))
        for url in urls:
            assert client.get(url).status_code == 200, (email, url)
    # What the seed output tells a new user, with the same addresses.
    printed = damp_mould_who(demo)
    assert gate(pilot, "score") in printed and gate(review, "score") in printed
    assert (
        reverse(
            "stages:purchase-record",
            kwargs={"pk": demo.pk, "partnership_pk": partnerships[CARE_AND_REPAIR].pk},
        )
        in printed
    )


def test_the_first_partner_can_be_followed_through_its_last_gate_to_the_purchase(demo):
    runs, partnerships = _runs(demo), _partnerships(demo)
    pilot = runs[CARE_AND_REPAIR][2]
    people = {u.email: u for u in User.objects.all()}
    targets = list(pilot.phase.targets.order_by("order", "pk"))
    criteria = list(pilot.phase.gate_criteria.order_by("order", "pk"))
    marks = {
        c.pk: GateMark(score=8, meets=True, reason="Met.", evidence_reference="Final report")
        for c in criteria
    }

    deliverable_submit(
        actor=people[ADMINS[CARE_AND_REPAIR]],
        participation=pilot,
        kind=DeliverableKind.FINAL_REPORT,
        title="Pilot final report",
        summary="The pilot's results.",
        measurements={t.pk: ("At least the target", "") for t in targets},
        files=[SimpleUploadedFile("pilot.pdf", b"%PDF-1.7\n% the pilot\n")],
    )
    gate_marks_save(actor=people[EVALUATOR], participation=pilot, marks=marks, complete=True)
    gate_consensus_save(actor=people[OFFICER], participation=pilot, marks=marks)
    gate_decide(
        actor=people[APPROVER], participation=pilot, outcome=GateOutcome.PASS, reason="Met."
    )
    partnership = partnerships[CARE_AND_REPAIR]
    partnership.refresh_from_db()
    decision = purchase_record(
        actor=people[OFFICER],
        partnership=partnership,
        results=[
            {"measured": "75%" if n == 0 else "92%", "met": True}
            for n, _ in enumerate(partnership.performance_levels)
        ],
        price=demo.purchase_terms.max_cost,
        reason="Every agreed level met, within the maximum cost.",
    )

    partnership.refresh_from_db()
    assert decision.outcome == PurchaseOutcome.BOUGHT
    assert partnership.status == PartnershipStatus.PURCHASED


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


def test_seeding_again_changes_nothing_and_the_chain_holds(demo):
    models = (
        Procurement,
        Partnership,
        StageParticipation,
        Deliverable,
        EvidenceRequest,
        GateScore,
        GateConsensus,
        GateDecision,
        Instalment,
        Notice,
        GeneratedDocument,
        AuditEvent,
    )
    before = {model.__name__: model.objects.count() for model in models}
    states = sorted(Instalment.objects.values_list("pk", "status"))

    call_command("seed_demo")

    assert {model.__name__: model.objects.count() for model in models} == before
    assert sorted(Instalment.objects.values_list("pk", "status")) == states
    assert before["Procurement"] == 9
    assert before["Partnership"] == 3
    assert before["StageParticipation"] == 9
    assert before["GateDecision"] == 3
    assert Procurement.objects.filter(title=DAMP_MOULD).count() == 1
    call_command("verify_audit")
