"""The demo procurement in standstill, "Keeping older residents warm and well at home": what a
new user finds after ``seed_demo`` (the final tenders evaluated with reasons, two partners
awarded, every assessment summary a real PDF, the UK6 published and standstill over), that
the lead officer can enter the contracts through the Partnerships page, and that running the
command again changes nothing."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core.calendar import london_date
from core.models import AuditEvent, DocumentStatus, GeneratedDocument, User
from partners.models import (
    AwardDecision,
    AwardEntry,
    AwardStatus,
    Evaluation,
    EvaluationPart,
    EvaluationPurpose,
    PanelMember,
    Partnership,
    Proposal,
    RoundKind,
    RoundStatus,
    TenderConsensus,
    TenderReview,
    TenderScore,
)
from partners.selectors_award import award_notice, summaries
from partners.services_award import contracts_may_be_entered
from procurements.models import Notice, NoticeKind, Procurement, ProcurementStatus
from tests.signing_in import force_sign_in

WARM_HOMES = "Keeping older residents warm and well at home"
CARE_AND_REPAIR = "Kingsmead Care and Repair CIC"
HOMEWARD = "Homeward Health Technologies Ltd"
ROBOTICS = "Assistive Robotics Lab Ltd"
ADMINS = {
    CARE_AND_REPAIR: "supplier-d@example.org",
    HOMEWARD: "supplier-c@example.org",
    ROBOTICS: "supplier-a@example.org",
}
OFFICER = "officer@example.org"
APPROVER = "approver@example.org"
EVALUATOR = "evaluator@example.org"


@pytest.fixture
def demo(demo_seeded):
    """The demo, seeded once for this module (see tests/ip_rights/conftest.py)."""
    return Procurement.objects.get(title=WARM_HOMES)


def _decision(procurement) -> AwardDecision:
    return AwardDecision.objects.select_related("procurement", "proposed_by", "decided_by").get(
        procurement=procurement
    )


def _pdf_text(document: GeneratedDocument) -> str:
    with document.file.open("rb") as pdf:
        pages = PdfReader(BytesIO(pdf.read())).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def _actor(action: str, procurement) -> str:
    [event] = AuditEvent.objects.filter(action=action, target_id=str(procurement.pk))
    return event.actor.email


def test_warm_homes_went_through_negotiation_to_final_tenders_evaluated_with_reasons(demo):
    rounds = list(demo.tender_rounds.order_by("number"))
    evaluation = Evaluation.objects.select_related("round").get(procurement=demo)
    final = rounds[-1]
    tenders = list(Proposal.objects.filter(round=final))

    assert demo.max_partners == 2
    assert [(r.kind, r.status) for r in rounds] == [
        (RoundKind.INITIAL, RoundStatus.OPENED),
        (RoundKind.NEGOTIATION, RoundStatus.OPENED),
        (RoundKind.FINAL, RoundStatus.OPENED),
    ]
    for tender_round in rounds:
        assert tender_round.opening_requested_by.email == OFFICER
        assert tender_round.opened_by.email == APPROVER
        names = {p.request.organisation.name for p in tender_round.proposals.all()}
        assert names == set(ADMINS), tender_round.number
    [notice] = demo.change_notices.all()
    assert notice.issued_for == rounds[1]
    assert rounds[0].negotiation_notes.count() == 3
    # The panel: the evaluator on quality, the lead officer on price.
    assert evaluation.round == final
    assert evaluation.purpose == EvaluationPurpose.AWARD
    assert evaluation.started_by.email == OFFICER
    panel = PanelMember.objects.filter(evaluation=evaluation).select_related("evaluator")
    assert sorted((seat.evaluator.email, seat.part) for seat in panel) == [
        (EVALUATOR, EvaluationPart.QUALITY),
        (OFFICER, EvaluationPart.PRICE),
    ]
    reviews = list(TenderReview.objects.filter(proposal__in=tenders))
    assert len(reviews) == 6
    assert not any(review.has_conflict for review in reviews)
    assert all(review.completed_at is not None for review in reviews)
    # Every criterion of every tender marked and moderated, each with its reason.
    criteria = demo.award_criteria.count()
    marks = list(TenderScore.objects.filter(proposal__in=tenders))
    consensus = list(TenderConsensus.objects.filter(proposal__in=tenders))
    assert len(marks) == len(consensus) == 3 * criteria
    assert all(mark.reason for mark in [*marks, *consensus])
    assert {c.moderated_by.email for c in consensus} == {OFFICER}
    assert all(c.price_accepted for c in consensus if c.price is not None)
    assert sum(1 for c in consensus if c.price is not None) == 3
    assert any(
        TenderConsensus.objects.filter(
            proposal_id=mark.proposal_id, criterion_id=mark.criterion_id
        ).exclude(score=mark.score)
        for mark in marks
        if mark.score is not None
    )
    assert _actor("evaluation.started", evaluation) == OFFICER


def test_warm_homes_is_in_standstill_with_two_awarded_and_every_summary_ready(demo, client):
    decision = _decision(demo)
    entries = list(
        AwardEntry.objects.filter(decision=decision).select_related(
            "proposal__request__organisation"
        )
    )
    found = summaries(entry.pk for entry in entries)
    yesterday = london_date(timezone.now()) - timedelta(days=1)

    assert demo.status == ProcurementStatus.STANDSTILL
    assert decision.status == AwardStatus.STANDSTILL
    assert decision.proposed_by.email == OFFICER
    assert decision.decided_by.email == APPROVER
    assert decision.reason and decision.decision_reason
    ranking = sorted((e.rank, e.proposal.request.organisation.name, e.awarded) for e in entries)
    assert ranking == [(1, CARE_AND_REPAIR, True), (2, HOMEWARD, True), (3, ROBOTICS, False)]
    totals = [e.total for e in sorted(entries, key=lambda e: e.rank)]
    assert totals == sorted(set(totals), reverse=True)
    # The lowest price is not the best tender: the ranking is on price and quality.
    assert min(entries, key=lambda e: e.price).rank == 2
    assert all(entry.reasons for entry in entries)
    # One summary per tenderer, rendered: a real PDF with its own assessment.
    assert set(found) == {entry.pk for entry in entries}
    for entry in entries:
        document = found[entry.pk]
        name = entry.proposal.request.organisation.name
        assert document.status == DocumentStatus.READY, document.error
        text = _pdf_text(document)
        assert name in text
        assert "most advantageous tender" in text
        assert f"{entry.total}" in text, name
    assert "not to be awarded a partnership" in _pdf_text(
        next(found[e.pk] for e in entries if not e.awarded)
    )
    # The UK6 is published; standstill ended yesterday, so contracts may be entered today.
    uk6 = award_notice(decision)
    assert uk6 is not None and uk6.kind == NoticeKind.UK6
    assert Notice.objects.filter(procurement=demo, kind=NoticeKind.UK6).count() == 1
    assert decision.notice_published_at is not None
    assert decision.standstill_last_day == yesterday
    assert contracts_may_be_entered(decision, timezone.now()) is None
    assert _actor("partners.award_proposed", demo) == OFFICER
    assert _actor("partners.award_approved", demo) == APPROVER
    assert _actor("partners.award_notice_published", demo) == OFFICER
    # The lead officer's pages: the ranking, the summaries and the standstill panel.
    force_sign_in(client, User.objects.get(email=OFFICER))
    evaluation_page = client.get(reverse("partners:evaluation", kwargs={"pk": demo.pk}))
    award_page = client.get(reverse("partners:award", kwargs={"pk": demo.pk}))
    assert evaluation_page.status_code == award_page.status_code == 200
    award_text = award_page.content.decode()
    assert "The standstill period is over: the contracts may be entered." in award_text
    for document in found.values():
        assert reverse("core:document-detail", kwargs={"pk": document.pk}) in award_text
    # Each tenderer reads its own outcome and summary, and nobody else's.
    for entry in entries:
        force_sign_in(
            client, User.objects.get(email=ADMINS[entry.proposal.request.organisation.name])
        )
        page = client.get(reverse("tenders:award", kwargs={"pk": entry.proposal_id}))
        summary = reverse("core:document-detail", kwargs={"pk": found[entry.pk].pk})
        assert page.status_code == 200
        assert f'href="{summary}"'.encode() in page.content
        outcome = "is to be awarded" if entry.awarded else "is not to be awarded"
        assert f"{entry.proposal.request.organisation.name} {outcome}" in page.content.decode()
        others = [e.proposal_id for e in entries if e.pk != entry.pk]
        for other in others:
            assert client.get(reverse("tenders:award", kwargs={"pk": other})).status_code == 404


def test_the_lead_officer_enters_the_contracts_on_the_partnerships_page(demo, client):
    decision = _decision(demo)
    today = london_date(timezone.now())
    page = reverse("partners:partnerships", kwargs={"pk": demo.pk})
    force_sign_in(client, User.objects.get(email=OFFICER))

    form = client.get(page)
    assert form.status_code == 200
    assert b'name="signed_on_day"' in form.content
    entered = client.post(
        page,
        {
            "signed_on_day": str(today.day),
            "signed_on_month": str(today.month),
            "signed_on_year": str(today.year),
        },
    )

    assert entered.status_code == 302
    assert entered.url == page
    demo.refresh_from_db()
    decision.refresh_from_db()
    assert demo.status == ProcurementStatus.ACTIVE
    assert decision.status == AwardStatus.CONTRACTED
    partnerships = {
        p.request.organisation.name: p
        for p in Partnership.objects.filter(procurement=demo).select_related(
            "request__organisation"
        )
    }
    assert set(partnerships) == {CARE_AND_REPAIR, HOMEWARD}
    # The agreed prices are those of each partner's final tender.
    assert [p["price"] for p in partnerships[CARE_AND_REPAIR].phase_prices] == [
        "66000.00",
        "168000.00",
    ]
    assert partnerships[CARE_AND_REPAIR].total_price == Decimal("234000.00")
    assert partnerships[HOMEWARD].total_price == Decimal("214000.00")
    assert {p.purchase_max_cost for p in partnerships.values()} == {Decimal("500000.00")}
    assert all(p.signed_on == today for p in partnerships.values())
    assert all(p.ip_terms and p.performance_levels for p in partnerships.values())
    assert "risk record" in partnerships[HOMEWARD].background_ip
    assert Notice.objects.filter(procurement=demo, kind=NoticeKind.UK7).count() == 1
    assert _actor("partners.contracts_entered", demo) == OFFICER
    listed = client.get(page).content.decode()
    assert all(p.reference in listed for p in partnerships.values())
    call_command("verify_audit")


def test_seeding_again_leaves_the_award_as_it_is_and_the_chain_holds(demo):
    models = (
        Procurement,
        Evaluation,
        PanelMember,
        TenderReview,
        TenderScore,
        TenderConsensus,
        AwardDecision,
        AwardEntry,
        GeneratedDocument,
        Notice,
        AuditEvent,
    )
    before = {model.__name__: model.objects.count() for model in models}

    call_command("seed_demo")

    assert {model.__name__: model.objects.count() for model in models} == before
    assert before["Procurement"] == 9
    assert AwardDecision.objects.filter(procurement=demo).count() == 1
    assert AwardEntry.objects.filter(decision__procurement=demo).count() == 3
    assert Procurement.objects.filter(title=WARM_HOMES).count() == 1
    call_command("verify_audit")
