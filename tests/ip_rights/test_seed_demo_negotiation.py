"""The demo procurement in negotiation, "Reducing food waste in school kitchens": what a new
user finds after ``seed_demo``, made through the services, and found again unchanged when
the command runs twice."""

from datetime import datetime, time

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.calendar import LONDON, london_date
from core.models import AuditEvent, GeneratedDocument, User
from partners.models import (
    NEVER_CHANGED,
    ChangePart,
    NoteKind,
    Outcome,
    Proposal,
    ProposalStatus,
    RoundKind,
    RoundStatus,
)
from partners.services_negotiation import negotiation_notes_for
from procurements.models import NoticeKind, Procurement, ProcurementStatus
from procurements.rules import REGIMES
from tests.signing_in import force_sign_in

FOOD_WASTE = "Reducing food waste in school kitchens"
NORTHWAY = "Northway Digital Health Ltd"
ROBOTICS = "Assistive Robotics Lab Ltd"
BRIGHTWATER = "Brightwater Community Energy CIC"


@pytest.fixture
def demo(demo_seeded):
    """The demo, seeded once for this module (see tests/ip_rights/conftest.py)."""
    return Procurement.objects.get(title=FOOD_WASTE)


def _events(action: str, target_pk: int | None = None) -> list[AuditEvent]:
    """The events of ``action``, about the target with ``target_pk`` if given (other demo
    procurements leave events of the same actions)."""
    events = AuditEvent.objects.filter(action=action).select_related("actor")
    if target_pk is not None:
        events = events.filter(target_id=str(target_pk))
    return list(events)


def test_food_waste_was_published_with_its_own_plan_and_criteria_adding_to_100(demo):
    criteria = dict(demo.award_criteria.values_list("kind", "weight"))
    phases = list(demo.phases.all())

    assert demo.borough.slug == "kingsmead"
    assert demo.versions.count() == 1
    assert [notice.kind for notice in demo.notices.all()] == [NoticeKind.UK4]
    assert criteria == {"quality": 50, "price": 30, "social_value": 20}
    assert [str(phase.max_remuneration_per_partner) for phase in phases] == [
        "60000.00",
        "150000.00",
    ]
    assert "School Food Standards" in demo.minimum_requirements.first().text
    assert "enhanced DBS check" in demo.selection_questions.order_by("order").first().text


def test_food_waste_shortlist_invites_three_of_four_with_letters(demo):
    [shortlist] = demo.shortlists.all()
    outcomes = {
        entry.request.organisation.name: entry.outcome
        for entry in shortlist.entries.select_related("request__organisation")
    }

    assert outcomes == {
        NORTHWAY: Outcome.SHORTLISTED,
        BRIGHTWATER: Outcome.SHORTLISTED,
        ROBOTICS: Outcome.SHORTLISTED,
        "Homeward Health Technologies Ltd": Outcome.NOT_SHORTLISTED,
    }
    assert shortlist.decided_by.email == "approver@example.org"
    consortium = demo.participation_requests.get(is_consortium=True)
    assert consortium.organisation.name == BRIGHTWATER
    assert consortium.members.get().organisation.name == "Kingsmead Care and Repair CIC"
    letters = GeneratedDocument.objects.filter(
        kind="selection_letter", object_id__in=[str(e.pk) for e in shortlist.entries.all()]
    )
    assert letters.count() == 4


def test_food_waste_is_in_negotiation_after_two_officers_opened_round_one(demo):
    first, second = demo.tender_rounds.order_by("number")
    today = london_date(timezone.now())
    earliest = REGIMES[demo.regime].earliest_resubmission_deadline(today)

    assert demo.status == ProcurementStatus.NEGOTIATION
    assert (first.kind, first.status) == (RoundKind.INITIAL, RoundStatus.OPENED)
    assert first.opening_requested_by.email == "officer@example.org"
    assert first.opened_by.email == "approver@example.org"
    assert first.deadline < first.opened_at
    assert sorted(p.request.organisation.name for p in first.proposals.all()) == [
        ROBOTICS,
        BRIGHTWATER,
        NORTHWAY,
    ]
    assert all(p.status == ProposalStatus.SUBMITTED for p in first.proposals.all())
    # Round 2 takes tenders after negotiation until the earliest deadline the regime allows.
    assert (second.kind, second.status) == (RoundKind.NEGOTIATION, RoundStatus.OPEN)
    assert second.deadline == datetime.combine(earliest, time(12, 0), tzinfo=LONDON)
    assert second.deadline > timezone.now()
    [requested] = _events("tenders.opening_requested", first.pk)
    [opened] = _events("tenders.round_opened_by_two", first.pk)
    assert (requested.actor.email, opened.actor.email) == (
        "officer@example.org",
        "approver@example.org",
    )
    assert opened.data["proposals"] == 3
    numbers = sorted(e.data["number"] for e in _events("tenders.round_opened", demo.pk))
    assert numbers == [1, 2]


def test_food_waste_has_notes_and_meeting_records_with_two_tenderers_each_seeing_its_own(demo):
    first = demo.tender_rounds.get(number=1)
    notes = list(first.negotiation_notes.select_related("request__organisation", "written_by"))
    today = london_date(timezone.now())

    assert sorted((n.request.organisation.name, n.kind) for n in notes) == [
        (ROBOTICS, NoteKind.MEETING_RECORD),
        (ROBOTICS, NoteKind.NOTE),
        (NORTHWAY, NoteKind.MEETING_RECORD),
        (NORTHWAY, NoteKind.NOTE),
    ]
    assert {n.written_by.email for n in notes} == {"officer@example.org"}
    assert all(n.met_on == today for n in notes if n.kind == NoteKind.MEETING_RECORD)
    assert sorted(
        e.target_id
        for e in _events("tenders.negotiation_note_added")
        if e.data["round_id"] == first.pk
    ) == sorted(str(n.pk) for n in notes)
    robotics = User.objects.get(email="supplier-a@example.org")
    brightwater = User.objects.get(email="supplier-b@example.org")
    assert {n.request.organisation.name for n in negotiation_notes_for(robotics, first)} == {
        ROBOTICS
    }
    assert negotiation_notes_for(brightwater, first) == []


def test_food_waste_change_notice_went_to_every_remaining_tenderer(demo):
    second = demo.tender_rounds.get(number=2)
    [notice] = demo.change_notices.all()
    [issued] = _events("tenders.change_notice_issued", notice.pk)

    assert notice.number == 1
    assert notice.issued_for == second
    assert notice.issued_by.email == "officer@example.org"
    assert sorted(notice.parts) == [ChangePart.PHASE_PLAN, ChangePart.SPECIFICATION]
    assert not set(notice.parts) & set(NEVER_CHANGED)
    assert "12 primary schools" in notice.text
    assert issued.actor.email == "officer@example.org"
    assert issued.data["tenderers"] == 3


def test_food_waste_one_tenderer_resubmitted_sealed_and_the_others_have_not(demo):
    second = demo.tender_rounds.get(number=2)
    [proposal] = second.proposals.select_related("request__organisation")
    [submission] = proposal.submissions.all()

    assert proposal.request.organisation.name == NORTHWAY
    assert proposal.status == ProposalStatus.SUBMITTED
    assert submission.submitted_at < second.deadline
    assert b"picture menus" not in bytes(submission.sealed_content)
    assert not Proposal.objects.filter(
        round=second, request__organisation__name__in=[ROBOTICS, BRIGHTWATER]
    ).exists()
    submitted = [
        e for e in _events("tenders.proposal_submitted") if e.target_id == str(proposal.pk)
    ]
    assert [e.actor.email for e in submitted] == ["supplier-e@example.org"]


def test_a_new_supplier_user_reads_the_change_notice_and_its_notes_and_can_resubmit(demo, client):
    second = demo.tender_rounds.get(number=2)
    force_sign_in(client, User.objects.get(email="supplier-a@example.org"))

    invitations = client.get(reverse("tenders:list"))
    start = reverse("tenders:start", kwargs={"round_pk": second.pk})
    assert invitations.status_code == 200
    assert f'action="{start}"'.encode() in invitations.content

    started = client.post(start)
    proposal = Proposal.objects.get(round=second, request__organisation__name=ROBOTICS)
    assert started.status_code == 302
    assert started.url == reverse("tenders:proposal", kwargs={"pk": proposal.pk})
    page = client.get(started.url).content.decode()
    assert "Change notice 1" in page
    assert "inside the bin lid" in page  # its own meeting record
    assert "picture menus" not in page  # never another tenderer's


def test_a_new_officer_user_reads_the_notes_and_the_change_notice(demo, client):
    first, second = demo.tender_rounds.order_by("number")
    force_sign_in(client, User.objects.get(email="officer@example.org"))

    rounds = client.get(reverse("partners:tenders", kwargs={"pk": demo.pk}))
    notes = client.get(
        reverse("partners:tenders-notes", kwargs={"pk": demo.pk, "round_pk": first.pk})
    )
    notices = client.get(
        reverse("partners:tenders-change-notice", kwargs={"pk": demo.pk, "round_pk": second.pk})
    )

    assert rounds.status_code == notes.status_code == notices.status_code == 200
    assert b"Round 2: Tenders after negotiation" in rounds.content
    assert b'id="round-1-notes"' in rounds.content
    assert b'id="round-2-change-notice"' in rounds.content
    assert b"inside the bin lid" in notes.content
    assert b"picture menus" in notes.content
    assert b"Change notice 1, for round 2" in notices.content


def test_seeding_again_leaves_the_negotiation_as_it_is(demo):
    before = (
        AuditEvent.objects.count(),
        demo.tender_rounds.count(),
        Proposal.objects.filter(round__procurement=demo).count(),
        demo.change_notices.count(),
    )

    call_command("seed_demo")

    after = (
        AuditEvent.objects.count(),
        demo.tender_rounds.count(),
        Proposal.objects.filter(round__procurement=demo).count(),
        demo.change_notices.count(),
    )
    assert after == before == (before[0], 2, 4, 1)
    assert Procurement.objects.filter(title=FOOD_WASTE).count() == 1
    call_command("verify_audit")
