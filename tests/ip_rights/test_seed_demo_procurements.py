from io import BytesIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from core.calendar import london_date
from core.models import AuditEvent, DocumentStatus, GeneratedDocument
from core.services.documents import document_render
from ip_rights.models import IPTerms
from partners.debarment import debarment_matches
from partners.models import (
    ChangeNotice,
    ConsensusScore,
    ConsortiumMember,
    DebarmentEntry,
    EvaluatorReview,
    EvaluatorScore,
    NegotiationNote,
    Outcome,
    ParticipationRequest,
    Proposal,
    ProposalFile,
    ProposalStatus,
    ProposalSubmission,
    RequestStatus,
    RequestSubmission,
    RoundStatus,
    SelectionQuestion,
    Shortlist,
    ShortlistEntry,
    ShortlistStatus,
    TenderRound,
)
from partners.selectors_selection import requests_received
from partners.submission import content_sha256, published_questions, submission_problems
from procurements.models import (
    AwardCriterion,
    MinimumRequirement,
    NoticeKind,
    Procurement,
    ProcurementStatus,
    QuestionStatus,
    SectionStatus,
)
from procurements.registry import builder_section_get, builder_sections
from procurements.rules import publication_breaches
from procurements.sections import uk_date_text
from procurements.services.sections import section_status
from stages.models import InstalmentScheduleItem, Phase

FALLS = "Falls prevention at home"
HEATING = "Low-carbon heating for council homes"
LONELINESS = "Loneliness in later life"
SCHOOL_STREETS = "Cleaner air on the way to school"
DISCHARGE = "Safer homes after hospital discharge"
CARERS = "Digital support for unpaid carers"
FOOD_WASTE = "Reducing food waste in school kitchens"
WARM_HOMES = "Keeping older residents warm and well at home"


@pytest.fixture
def demo(demo_seeded):
    """The demo, seeded once for this module (see tests/ip_rights/conftest.py)."""


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Procurement,
            MinimumRequirement,
            AwardCriterion,
            SelectionQuestion,
            Phase,
            InstalmentScheduleItem,
            IPTerms,
            ParticipationRequest,
            RequestSubmission,
            ConsortiumMember,
            DebarmentEntry,
            EvaluatorReview,
            EvaluatorScore,
            ConsensusScore,
            Shortlist,
            ShortlistEntry,
            TenderRound,
            Proposal,
            ProposalSubmission,
            NegotiationNote,
            ChangeNotice,
            GeneratedDocument,
            AuditEvent,
        )
    }


def test_falls_prevention_is_complete_and_awaits_the_demo_approver(demo):
    procurement = Procurement.objects.get(title=FALLS)

    assert procurement.status == ProcurementStatus.AWAITING_APPROVAL
    assert procurement.borough.name == "London Borough of Kingsmead"
    assert procurement.lead_officer.email == "officer@example.org"
    assert procurement.created_by.email == "officer@example.org"
    assert procurement.approver.email == "approver@example.org"
    assert [user.email for user in procurement.evaluators.all()] == ["evaluator@example.org"]
    assert publication_breaches(procurement) == []
    for section in builder_sections():
        assert section_status(procurement, section.key) == SectionStatus.COMPLETED, section.key
    assert procurement.minimum_requirements.count() == 3
    assert sorted(procurement.award_criteria.values_list("kind", "weight")) == [
        ("price", 30),
        ("quality", 60),
        ("social_value", 10),
    ]
    assert [phase.kind for phase in procurement.phases.all()] == [
        "research",
        "development",
        "pilot",
    ]
    submitted = AuditEvent.objects.get(
        action="procurement.submitted_for_approval", target_id=str(procurement.pk)
    )
    assert submitted.actor.email == "officer@example.org"


def test_low_carbon_heating_is_a_draft_with_only_the_challenge_and_market_gap(demo):
    procurement = Procurement.objects.get(title=HEATING)

    assert procurement.status == ProcurementStatus.DRAFT
    assert procurement.problem and procurement.market_gap
    statuses = {
        section.key: section_status(procurement, section.key) for section in builder_sections()
    }
    assert statuses.pop("challenge") == SectionStatus.COMPLETED
    assert statuses.pop("market-gap") == SectionStatus.IN_PROGRESS
    assert set(statuses.values()) == {SectionStatus.NOT_STARTED}


def test_low_carbon_heating_has_a_published_market_engagement_notice_with_events(demo):
    procurement = Procurement.objects.get(title=HEATING)

    engagement = procurement.market_engagement
    assert engagement.published_at is not None
    assert engagement.events.count() == 2
    [notice] = procurement.notices.all()
    assert notice.kind == NoticeKind.UK2


def _ready_itt_text(version) -> str:
    """The text of the version's ITT, rendered by the render task's own service (``make run``
    renders it at once; the test settings leave it to a worker)."""
    document = GeneratedDocument.objects.get(kind="itt", object_id=str(version.pk))
    if document.status != DocumentStatus.READY:
        document = document_render(document_id=document.pk)
    assert document.status == DocumentStatus.READY, document.error
    with document.file.open("rb") as pdf:
        pages = PdfReader(BytesIO(pdf.read())).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def test_loneliness_is_published_with_a_real_itt_and_questions_in_every_state(demo):
    procurement = Procurement.objects.get(title=LONELINESS)

    assert procurement.status == ProcurementStatus.PUBLISHED
    [version] = procurement.versions.all()
    assert [notice.kind for notice in procurement.notices.all()] == [NoticeKind.UK4]
    text = _ready_itt_text(version)
    assert "Loneliness in later life" in text
    assert "on the strength of a prediction alone" in text  # a minimum requirement
    assert "night-time falls" not in text  # its own plan, not another procurement's
    statuses = sorted(procurement.questions.values_list("status", flat=True))
    assert statuses == [
        QuestionStatus.ANSWERED_PRIVATELY,
        QuestionStatus.OPEN,
        QuestionStatus.PUBLISHED,
    ]
    published = procurement.questions.get(status=QuestionStatus.PUBLISHED)
    assert "Assistive Robotics" in published.text
    assert "Assistive Robotics" not in published.public_text


def test_loneliness_has_a_submitted_consortium_request_with_its_receipt(demo):
    procurement = Procurement.objects.get(title=LONELINESS)
    [request] = ParticipationRequest.objects.filter(procurement=procurement)

    assert request.status == RequestStatus.SUBMITTED
    assert request.is_consortium
    [member] = request.members.all()
    assert member.confirmed_at is not None
    assert member.organisation != request.organisation
    assert submission_problems(request) == []
    [submission] = request.submissions.all()
    assert submission.sha256 == content_sha256(submission.content)
    assert submission.content["consortium"][0]["name"] == member.organisation.name


def test_safer_homes_is_in_selection_after_its_deadline_with_five_requests_submitted_in_time(
    demo,
):
    procurement = Procurement.objects.get(title=DISCHARGE)
    requests = list(
        ParticipationRequest.objects.filter(procurement=procurement).select_related("organisation")
    )

    assert procurement.status == ProcurementStatus.SELECTION
    assert procurement.participation_deadline <= timezone.now()
    assert procurement.question_deadline <= procurement.participation_deadline
    assert [user.email for user in procurement.evaluators.all()] == ["evaluator@example.org"]
    assert procurement.lead_officer.email == "officer@example.org"
    assert procurement.approver.email == "approver@example.org"
    assert len({request.organisation_id for request in requests}) == len(requests) == 5
    for request in requests:
        assert request.status == RequestStatus.SUBMITTED, request.organisation.name
        assert request.submitted_at <= procurement.participation_deadline
        assert request.submissions.count() == 1
        assert submission_problems(request) == []
    closed = AuditEvent.objects.get(
        action="procurement.participation_closed", target_id=str(procurement.pk)
    )
    assert closed.actor is None
    assert closed.data["to"] == ProcurementStatus.SELECTION
    # Each request answers in its own words.
    texts = {
        tuple(answer["text"] for answer in request.submissions.get().content["answers"])
        for request in requests
    }
    assert len(texts) == 5


def test_safer_homes_has_one_consortium_whose_member_confirmed(demo):
    procurement = Procurement.objects.get(title=DISCHARGE)

    [request] = ParticipationRequest.objects.filter(procurement=procurement, is_consortium=True)
    [member] = request.members.all()

    assert request.organisation.name == "Homeward Health Technologies Ltd"
    assert member.organisation.name == "Brightwater Community Energy CIC"
    assert member.confirmed_at is not None
    assert member.confirmed_by.email == "supplier-b@example.org"
    [submission] = request.submissions.all()
    assert submission.content["consortium"][0]["name"] == member.organisation.name


def test_safer_homes_has_one_request_from_an_organisation_on_the_debarment_list(demo):
    procurement = Procurement.objects.get(title=DISCHARGE)
    today = london_date(timezone.now())

    [entry] = DebarmentEntry.objects.all()
    matched = {
        request.organisation.name: debarment_matches(request, on=today)
        for request in ParticipationRequest.objects.filter(procurement=procurement)
    }
    received = requests_received(procurement=procurement, on=today)

    assert entry.in_force_on(today)
    assert {name for name, matches in matched.items() if matches} == {"Sentinel Home Safety Ltd"}
    assert [e for _, e in matched["Sentinel Home Safety Ltd"]] == [entry]
    assert [row.request.organisation.name for row in received if row.debarred] == [
        "Sentinel Home Safety Ltd"
    ]
    # Four may qualify for three places, so the shortlist must leave one out.
    assert len(received) - 1 > procurement.number_to_invite == 3


def test_unpaid_carers_is_in_tendering_with_the_shortlist_confirmed_by_the_approver(demo):
    procurement = Procurement.objects.get(title=CARERS)
    [shortlist] = procurement.shortlists.all()
    entries = list(shortlist.entries.select_related("request__organisation"))
    outcomes = {entry.request.organisation.name: entry.outcome for entry in entries}

    assert procurement.status == ProcurementStatus.TENDERING
    assert shortlist.status == ShortlistStatus.CONFIRMED
    assert shortlist.proposed_by.email == "officer@example.org"
    assert shortlist.decided_by.email == "approver@example.org"
    assert shortlist.reason and shortlist.decided_at is not None
    # Four qualify, three places: at least 3 and no more than the number announced.
    assert outcomes == {
        "Homeward Health Technologies Ltd": Outcome.SHORTLISTED,
        "Northway Digital Health Ltd": Outcome.SHORTLISTED,
        "Assistive Robotics Lab Ltd": Outcome.SHORTLISTED,
        "Kingsmead Care and Repair CIC": Outcome.NOT_SHORTLISTED,
        "Sentinel Home Safety Ltd": Outcome.EXCLUDED,
    }
    assert procurement.number_to_invite == 3
    ranked = sorted((e for e in entries if e.rank is not None), key=lambda e: e.rank)
    assert [e.rank for e in ranked] == [1, 2, 3, 4]
    assert [e.outcome for e in ranked] == [Outcome.SHORTLISTED] * 3 + [Outcome.NOT_SHORTLISTED]
    assert ranked[0].request.is_consortium
    for entry in entries:
        assert entry.request.status == entry.outcome, entry.request.organisation.name
    confirmed = AuditEvent.objects.get(
        action="partners.shortlist_confirmed", target_id=str(procurement.pk)
    )
    assert confirmed.actor.email == "approver@example.org"
    assert confirmed.data["status"] == ProcurementStatus.TENDERING


def test_unpaid_carers_requests_were_each_marked_with_reasons_and_moderated(demo):
    procurement = Procurement.objects.get(title=CARERS)
    questions = published_questions(procurement)
    requests = list(ParticipationRequest.objects.filter(procurement=procurement))

    assert len(requests) == 5
    for request in requests:
        [review] = EvaluatorReview.objects.filter(request=request)
        assert review.evaluator.email == "evaluator@example.org"
        assert not review.has_conflict
        assert review.completed_at is not None
        marks = EvaluatorScore.objects.filter(request=request)
        consensus = ConsensusScore.objects.filter(request=request)
        assert sorted(m.question_id for m in marks) == sorted(q.pk for q in questions)
        assert sorted(c.question_id for c in consensus) == sorted(q.pk for q in questions)
        assert all(mark.reason for mark in [*marks, *consensus])
        assert {c.moderated_by.email for c in consensus} == {"officer@example.org"}
    # Each request has its own scores, and moderation changed at least one evaluator's mark.
    totals = {e.total for e in ShortlistEntry.objects.filter(shortlist__procurement=procurement)}
    assert len(totals) == 5
    assert any(
        ConsensusScore.objects.filter(request=mark.request, question_id=mark.question_id).exclude(
            score=mark.score
        )
        for mark in EvaluatorScore.objects.filter(request__in=requests, score__isnull=False)
    )


def test_unpaid_carers_every_request_received_has_its_selection_letter(demo):
    procurement = Procurement.objects.get(title=CARERS)
    entries = ShortlistEntry.objects.filter(shortlist__procurement=procurement).select_related(
        "request__organisation"
    )
    entry_type = ContentType.objects.get_for_model(ShortlistEntry)
    received = set(
        ParticipationRequest.objects.filter(procurement=procurement).values_list("pk", flat=True)
    )

    assert {entry.request_id for entry in entries} == received
    for entry in entries:
        [letter] = GeneratedDocument.objects.filter(
            kind="selection_letter", content_type=entry_type, object_id=str(entry.pk)
        )
        invited = entry.outcome == Outcome.SHORTLISTED
        assert letter.title.startswith(
            "Invitation to tender" if invited else "Outcome of your request to participate"
        ), entry.request.organisation.name
        assert entry.request.organisation.name in letter.title
    regret = GeneratedDocument.objects.get(
        kind="selection_letter",
        content_type=entry_type,
        object_id__in=[str(entry.pk) for entry in entries],
        title__contains="Kingsmead Care and Repair CIC",
    )
    document = (
        regret if regret.status == DocumentStatus.READY else document_render(document_id=regret.pk)
    )
    assert document.status == DocumentStatus.READY, document.error
    with document.file.open("rb") as pdf:
        text = " ".join(
            " ".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf.read())).pages
        )
    assert "Ranked 4 of the 4 requests that qualified" in text
    assert "whose role is not set out" in text  # the moderated reason for its mark


def test_school_streets_is_published_and_amended_once_with_a_new_itt(demo):
    procurement = Procurement.objects.get(title=SCHOOL_STREETS)

    assert procurement.status == ProcurementStatus.PUBLISHED
    [amendment] = procurement.amendments.all()
    assert amendment.version.number == 2
    assert {change["field"] for change in amendment.changes} == {
        "outcome_measures",
        "participation_deadline",
    }
    assert "diffusion-tube" in _ready_itt_text(amendment.version)


@pytest.mark.parametrize(
    "title", [FALLS, LONELINESS, SCHOOL_STREETS, DISCHARGE, CARERS, FOOD_WASTE, WARM_HOMES]
)
def test_each_demo_timetable_gives_an_indicative_start_after_the_invitation_to_tender(demo, title):
    procurement = Procurement.objects.get(title=title)

    assert procurement.indicative_start_date > procurement.indicative_tender_date
    assert [label for label, _ in builder_section_get("timetable").summary(procurement)].count(
        "Indicative start of the partnership"
    ) == 1


def test_the_published_demo_announces_each_phases_dates(demo):
    procurement = Procurement.objects.get(title=LONELINESS)
    [version] = procurement.versions.all()

    timetable = {s["key"]: s["content"] for s in version.content["sections"]}["timetable"]

    start = procurement.indicative_start_date
    assert timetable["indicative_start_date"] == uk_date_text(start)
    rows = timetable["partnership_dates"]
    assert len(rows) == procurement.phases.count() > 0
    assert rows[0]["dates"].startswith(f"{uk_date_text(start)} to ")
    assert all(" to " in row["dates"] for row in rows)


def test_seed_demo_again_creates_no_procurement_nor_audit_event_and_the_chain_holds(demo):
    counts = _counts()

    call_command("seed_demo")

    assert _counts() == counts
    assert counts["Procurement"] == 9
    # One for loneliness, five for discharge, five for unpaid carers, four for food waste,
    # four for warm homes, four for damp and mould.
    assert counts["ParticipationRequest"] == 23
    assert counts["DebarmentEntry"] == 1
    assert counts["Shortlist"] == 4
    assert counts["ShortlistEntry"] == 17
    # Unpaid carers: one round, three proposals; food waste: two rounds, three proposals
    # then one tender after negotiation; warm homes: three rounds of three proposals; damp
    # and mould: an initial and a final round of three proposals.
    assert counts["TenderRound"] == 8
    assert counts["Proposal"] == counts["ProposalSubmission"] == 22
    # Food waste four, warm homes three, damp and mould two; one change notice each for the
    # first two.
    assert counts["NegotiationNote"] == 9
    assert counts["ChangeNotice"] == 2
    assert Procurement.objects.filter(title=FALLS).count() == 1
    call_command("verify_audit")


def test_unpaid_carers_has_three_sealed_initial_tenders_past_their_deadline(demo):
    procurement = Procurement.objects.get(title=CARERS)
    tender_round = procurement.tender_rounds.get()
    proposals = list(tender_round.proposals.select_related("request__organisation"))

    assert tender_round.status == RoundStatus.OPEN
    assert tender_round.deadline < timezone.now() and tender_round.opens_at < timezone.now()
    assert {p.request.organisation.name for p in proposals} == {
        "Homeward Health Technologies Ltd",
        "Northway Digital Health Ltd",
        "Assistive Robotics Lab Ltd",
    }
    assert all(p.status == ProposalStatus.SUBMITTED for p in proposals)
    assert ProposalSubmission.objects.filter(proposal__in=proposals).count() == 3
    sealed = [bytes(s.sealed_content) for s in ProposalSubmission.objects.all()]
    sealed += [bytes(f.sealed_name) for f in ProposalFile.objects.all()]
    assert not any(b"carer identification record" in s or b"Method statement" in s for s in sealed)
