"""Assessing the requests received, through the services: conflicts of interest before any
mark, marks with reasons on the published scale, the lead officer's consensus, debarment and
self-cleaning, and the shortlist the lead officer proposes and an approver decides."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from django.utils import timezone

from core.calendar import london_date
from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent, GeneratedDocument, OfficerRole
from partners.models import (
    ConsensusScore,
    DebarmentEntry,
    EvaluatorReview,
    EvaluatorScore,
    Outcome,
    RequestStatus,
    SelfCleaning,
    Shortlist,
    ShortlistEntry,
    ShortlistStatus,
)
from partners.permissions_selection import can_see_request_as_evaluator
from partners.scoring import Mark
from partners.selectors_assessment import assessed_requests, candidates, ranking
from partners.services_selection import (
    LETTER_KIND,
    conflict_declare_later,
    conflicts_declare,
    consensus_save,
    evaluator_marks_save,
    self_cleaning_record,
    shortlist_decide,
    shortlist_propose,
)
from procurements.models import Procurement, ProcurementStatus
from tests import factories
from tests.partners.selection_samples import (
    REASON,
    assess,
    complete,
    declare_no_conflict,
    in_selection,
    marks,
    moderate,
    propose,
    second_evaluator,
)

pytestmark = pytest.mark.django_db


def errors_of(refusal: pytest.ExceptionInfo) -> dict[str, str]:
    assert not isinstance(refusal.value, PermissionRefused), refusal.value.message
    return refusal.value.extra.get("errors", {})


def ranked_ids(selection) -> list[int]:
    questions = selection.questions
    assessed = assessed_requests(
        procurement=selection.procurement, on=london_date(timezone.now()), questions=questions
    )
    return [candidate.request_id for _, candidate in ranking(assessed, questions)]


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


# --- conflicts of interest ------------------------------------------------------------------


def test_an_evaluator_cannot_mark_before_declaring_their_conflicts(personas):
    selection = in_selection(personas)
    first = selection.requests[0]

    assert not can_see_request_as_evaluator(personas.evaluator_a, first)
    with pytest.raises(PermissionRefused):
        evaluator_marks_save(actor=personas.evaluator_a, request=first, marks=marks(selection))
    assert not EvaluatorScore.objects.exists()


def test_the_declaration_must_answer_for_every_request_and_describe_each_conflict(personas):
    selection = in_selection(personas)
    first, second, third = selection.requests

    with pytest.raises(ApplicationError) as refusal:
        conflicts_declare(
            actor=personas.evaluator_a,
            procurement=selection.procurement,
            declarations={first.pk: (False, ""), second.pk: (True, "  ")},
        )

    assert set(errors_of(refusal)) == {f"request_{second.pk}_details", f"request_{third.pk}"}
    assert not EvaluatorReview.objects.exists()


def test_a_declared_conflict_keeps_the_evaluator_away_from_that_request(personas):
    selection = in_selection(personas)
    conflicted, other, _ = selection.requests

    declare_no_conflict(
        personas.evaluator_a, selection, conflicts={conflicted.pk: "My brother is a director."}
    )

    assert not can_see_request_as_evaluator(personas.evaluator_a, conflicted)
    assert can_see_request_as_evaluator(personas.evaluator_a, other)
    with pytest.raises(PermissionRefused):
        evaluator_marks_save(actor=personas.evaluator_a, request=conflicted, marks=marks(selection))
    assert not EvaluatorScore.objects.filter(request=conflicted).exists()
    [event] = events("partners.selection_conflicts_declared")
    assert event.actor == personas.evaluator_a
    assert event.data["conflicts_with"] == [conflicted.pk]


def test_conflicts_are_declared_once(personas):
    selection = in_selection(personas)
    declare_no_conflict(personas.evaluator_a, selection)

    with pytest.raises(ApplicationError, match="already declared"):
        declare_no_conflict(personas.evaluator_a, selection)
    assert EvaluatorReview.objects.count() == 3


def test_a_conflict_declared_later_removes_access_and_sets_the_marks_aside(personas):
    selection = in_selection(personas)
    request, other, _ = selection.requests
    declare_no_conflict(personas.evaluator_a, selection)
    evaluator_marks_save(actor=personas.evaluator_a, request=request, marks=marks(selection))
    evaluator_marks_save(actor=personas.evaluator_a, request=other, marks=marks(selection))
    assert EvaluatorScore.objects.filter(request=request).count() == 2

    conflict_declare_later(
        actor=personas.evaluator_a, request=request, details="They offered me a job today."
    )

    assert not can_see_request_as_evaluator(personas.evaluator_a, request)
    assert not EvaluatorScore.objects.filter(request=request).exists()
    assert EvaluatorScore.objects.filter(request=other).count() == 2
    review = EvaluatorReview.objects.get(request=request, evaluator=personas.evaluator_a)
    assert review.has_conflict and review.conflict_details == "They offered me a job today."
    with pytest.raises(PermissionRefused):
        evaluator_marks_save(actor=personas.evaluator_a, request=request, marks=marks(selection))
    [event] = events("partners.selection_conflict_declared")
    assert event.actor == personas.evaluator_a
    assert event.data["marks_set_aside"] == 2


def test_a_conflict_declared_later_needs_its_details(personas):
    selection = in_selection(personas)
    request = selection.requests[0]
    declare_no_conflict(personas.evaluator_a, selection)
    evaluator_marks_save(actor=personas.evaluator_a, request=request, marks=marks(selection))

    with pytest.raises(ApplicationError) as refusal:
        conflict_declare_later(actor=personas.evaluator_a, request=request, details=" ")

    assert "details" in errors_of(refusal)
    assert can_see_request_as_evaluator(personas.evaluator_a, request)
    assert EvaluatorScore.objects.filter(request=request).count() == 2


# --- evaluators' marks ------------------------------------------------------------------------


def test_a_mark_without_its_reason_is_refused(personas):
    selection = in_selection(personas)
    request = selection.requests[0]
    declare_no_conflict(personas.evaluator_a, selection)
    pass_fail, scored = selection.questions
    given = {pass_fail.pk: Mark(passed=True, reason=REASON), scored.pk: Mark(score=4, reason=" ")}

    with pytest.raises(ApplicationError) as refusal:
        evaluator_marks_save(actor=personas.evaluator_a, request=request, marks=given)

    assert list(errors_of(refusal)) == [f"q{scored.pk}_reason"]
    assert not EvaluatorScore.objects.exists()


@pytest.mark.parametrize("score", [6, 10])
def test_a_score_outside_the_published_scale_is_refused(personas, score):
    selection = in_selection(personas)
    request = selection.requests[0]
    declare_no_conflict(personas.evaluator_a, selection)
    scored = selection.questions[1]

    with pytest.raises(ApplicationError) as refusal:
        evaluator_marks_save(
            actor=personas.evaluator_a,
            request=request,
            marks={scored.pk: Mark(score=score, reason=REASON)},
        )

    assert "from 0 to 5" in errors_of(refusal)[f"q{scored.pk}_mark"]
    assert not EvaluatorScore.objects.exists()


def test_the_top_of_the_scale_is_accepted_and_saving_again_replaces_the_mark(personas):
    selection = in_selection(personas)
    request = selection.requests[0]
    declare_no_conflict(personas.evaluator_a, selection)
    scored = selection.questions[1]

    evaluator_marks_save(
        actor=personas.evaluator_a, request=request, marks={scored.pk: Mark(score=5, reason="A")}
    )
    evaluator_marks_save(
        actor=personas.evaluator_a, request=request, marks={scored.pk: Mark(score=2, reason="B")}
    )

    [saved] = EvaluatorScore.objects.filter(request=request)
    assert (saved.question_id, saved.score, saved.reason) == (scored.pk, 2, "B")
    review = EvaluatorReview.objects.get(request=request, evaluator=personas.evaluator_a)
    assert review.completed_at is None


def test_completing_with_a_question_unmarked_is_refused(personas):
    selection = in_selection(personas)
    request = selection.requests[0]
    declare_no_conflict(personas.evaluator_a, selection)
    pass_fail, scored = selection.questions

    with pytest.raises(ApplicationError) as refusal:
        evaluator_marks_save(
            actor=personas.evaluator_a,
            request=request,
            marks={scored.pk: Mark(score=3, reason=REASON)},
            complete=True,
        )

    assert set(errors_of(refusal)) == {f"q{pass_fail.pk}_mark", f"q{pass_fail.pk}_reason"}
    review = EvaluatorReview.objects.get(request=request, evaluator=personas.evaluator_a)
    assert review.completed_at is None


def test_once_complete_the_evaluator_can_no_longer_change_their_marks(personas):
    selection = in_selection(personas)
    request = selection.requests[0]
    declare_no_conflict(personas.evaluator_a, selection)

    complete(personas.evaluator_a, request, marks(selection, score=3))

    review = EvaluatorReview.objects.get(request=request, evaluator=personas.evaluator_a)
    assert review.completed_at is not None
    assert events("partners.selection_marks_completed")[0].actor == personas.evaluator_a
    with pytest.raises(PermissionRefused):
        evaluator_marks_save(
            actor=personas.evaluator_a, request=request, marks=marks(selection, score=5)
        )
    assert set(EvaluatorScore.objects.filter(request=request).values_list("score", flat=True)) == {
        3,
        None,
    }


def test_an_evaluator_not_named_on_the_procurement_may_neither_declare_nor_mark(personas):
    selection = in_selection(personas)
    unnamed = second_evaluator(personas)

    with pytest.raises(PermissionRefused):
        declare_no_conflict(unnamed, selection)
    assert not can_see_request_as_evaluator(unnamed, selection.requests[0])
    with pytest.raises(PermissionRefused):
        evaluator_marks_save(actor=unnamed, request=selection.requests[0], marks=marks(selection))
    assert not EvaluatorReview.objects.exists()


def test_another_boroughs_officer_named_on_the_procurement_is_refused(personas):
    outsider = factories.officer(
        personas.borough_b, OfficerRole.EVALUATOR, email="evaluator-b@example.org"
    )
    selection = in_selection(personas, evaluators=[personas.evaluator_a, outsider])

    for actor in (outsider, personas.officer_b, personas.supplier_a_admin):
        with pytest.raises(PermissionRefused):
            declare_no_conflict(actor, selection)
    assert not EvaluatorReview.objects.exists()


def test_nothing_is_assessed_before_the_deadline(personas):
    selection = in_selection(personas)
    Procurement.objects.filter(pk=selection.procurement.pk).update(
        status=ProcurementStatus.PUBLISHED
    )

    with pytest.raises(PermissionRefused):
        declare_no_conflict(personas.evaluator_a, selection)


# --- the consensus ----------------------------------------------------------------------------


def test_the_consensus_waits_for_every_evaluator_without_a_conflict(personas):
    other = second_evaluator(personas)
    selection = in_selection(personas, evaluators=[personas.evaluator_a, other])
    request = selection.requests[0]
    declare_no_conflict(personas.evaluator_a, selection)
    complete(personas.evaluator_a, request, marks(selection))

    with pytest.raises(ApplicationError) as refusal:
        moderate(personas, request, marks(selection))
    assert refusal.value.message.endswith(f": {other.get_full_name()} still to do.")
    assert not ConsensusScore.objects.exists()

    declare_no_conflict(other, selection, conflicts={request.pk: "A former employer."})
    moderate(personas, request, marks(selection, score=4))

    assert ConsensusScore.objects.filter(request=request).count() == 2
    [event] = events("partners.selection_moderated")
    assert event.actor == personas.officer_a


def test_only_the_lead_officer_moderates(personas):
    selection = in_selection(personas)
    request = selection.requests[0]
    declare_no_conflict(personas.evaluator_a, selection)
    complete(personas.evaluator_a, request, marks(selection))
    another_officer = factories.officer(personas.borough_a, email="officer-a2@example.org")

    for actor in (another_officer, personas.approver_a, personas.evaluator_a, personas.officer_b):
        with pytest.raises(PermissionRefused):
            consensus_save(actor=actor, request=request, marks=marks(selection))
    assert not ConsensusScore.objects.exists()


def test_the_consensus_needs_every_question_with_its_reason(personas):
    selection = in_selection(personas)
    request = selection.requests[0]
    declare_no_conflict(personas.evaluator_a, selection)
    complete(personas.evaluator_a, request, marks(selection))
    pass_fail, scored = selection.questions

    with pytest.raises(ApplicationError) as refusal:
        moderate(personas, request, {pass_fail.pk: Mark(passed=True, reason=REASON)})
    assert set(errors_of(refusal)) == {f"q{scored.pk}_mark", f"q{scored.pk}_reason"}

    with pytest.raises(ApplicationError) as refusal:
        moderate(personas, request, {**marks(selection), pass_fail.pk: Mark(passed=False)})
    assert set(errors_of(refusal)) == {f"q{pass_fail.pk}_reason"}
    assert not ConsensusScore.objects.exists()


def test_a_failed_pass_fail_consensus_disqualifies_the_request(personas):
    selection = in_selection(personas)
    failing, *others = selection.requests

    assess(personas, selection, scores=[5, 3, 2], failed=[0])

    questions = selection.questions
    assessed = assessed_requests(
        procurement=selection.procurement, on=london_date(timezone.now()), questions=questions
    )
    by_id = {candidate.request_id: candidate for candidate in candidates(assessed, questions)}
    assert not by_id[failing.pk].qualifies
    assert by_id[failing.pk].disqualified_because == (f"Failed question 1: {questions[0].text}",)
    assert by_id[failing.pk].total == Decimal("100.00")  # the best score, and still out
    assert ranked_ids(selection) == [request.pk for request in others]


# --- debarment and self-cleaning --------------------------------------------------------------


def debar_c(personas, **fields) -> DebarmentEntry:
    values = {"debarred_on": london_date(timezone.now()) - timedelta(days=30), **fields}
    return DebarmentEntry.objects.create(
        supplier_name=personas.org_c.name, grounds="Bid rigging", **values
    )


def test_a_consortium_member_on_the_debarment_list_blocks_the_request_until_self_cleaning(
    personas,
):
    selection = in_selection(personas, member_c=True)
    consortium, *others = selection.requests
    debar_c(personas)
    assess(personas, selection, scores=[5, 4, 3])

    assert ranked_ids(selection) == [request.pk for request in others]
    with pytest.raises(ApplicationError) as refusal:
        propose(personas, selection, selection.requests)
    assert "Only requests that qualify can be invited" in errors_of(refusal)["chosen"]

    record = self_cleaning_record(
        actor=personas.officer_a,
        request=consortium,
        evidence="New management and an independent compliance audit in 2026.",
    )

    assert record.recorded_by == personas.officer_a
    assert ranked_ids(selection) == [r.pk for r in selection.requests]
    [event] = events("partners.self_cleaning_recorded")
    assert event.actor == personas.officer_a
    assert len(event.data["debarment_entries"]) == 1


def test_an_expired_or_future_debarment_blocks_nothing(personas):
    selection = in_selection(personas, member_c=True)
    today = london_date(timezone.now())
    debar_c(personas, debarred_on=today - timedelta(days=400), expires_on=today - timedelta(days=1))
    debar_c(personas, debarred_on=today + timedelta(days=1))
    assess(personas, selection, scores=[5, 4, 3])

    assert ranked_ids(selection) == [r.pk for r in selection.requests]
    with pytest.raises(ApplicationError, match="Nothing blocks this request"):
        self_cleaning_record(
            actor=personas.officer_a, request=selection.requests[0], evidence="Not needed."
        )


def test_self_cleaning_is_refused_when_nothing_blocks_the_request(personas):
    selection = in_selection(personas)

    with pytest.raises(ApplicationError, match="Nothing blocks this request") as refusal:
        self_cleaning_record(
            actor=personas.officer_a, request=selection.requests[0], evidence="A new board."
        )

    assert not isinstance(refusal.value, PermissionRefused)
    assert not SelfCleaning.objects.exists()


def test_self_cleaning_needs_an_officer_of_the_borough_and_its_evidence(personas):
    selection = in_selection(personas, member_c=True)
    request = selection.requests[0]
    debar_c(personas)

    for actor in (personas.evaluator_a, personas.officer_b, personas.supplier_a_admin):
        with pytest.raises(PermissionRefused):
            self_cleaning_record(actor=actor, request=request, evidence="A new board.")
    with pytest.raises(ApplicationError) as refusal:
        self_cleaning_record(actor=personas.officer_a, request=request, evidence="  ")
    assert "evidence" in errors_of(refusal)
    assert not SelfCleaning.objects.exists()


# --- proposing the shortlist --------------------------------------------------------------------


def proposal_refusal(personas, selection, chosen) -> dict[str, str]:
    with pytest.raises(ApplicationError) as refusal:
        propose(personas, selection, chosen)
    assert not Shortlist.objects.exists()
    return errors_of(refusal)


def test_the_shortlist_waits_until_every_request_is_moderated(personas):
    selection = in_selection(personas, requests=4)
    first, second, third, last = selection.requests
    declare_no_conflict(personas.evaluator_a, selection)
    for request in selection.requests:
        complete(personas.evaluator_a, request, marks(selection))
    for request in (first, second, third):
        moderate(personas, request, marks(selection))

    with pytest.raises(ApplicationError, match=f"{last.organisation.name} still to do"):
        propose(personas, selection, [first, second, third])
    assert not Shortlist.objects.exists()


def test_fewer_than_three_are_refused_while_three_qualify(personas):
    selection = in_selection(personas, requests=4)
    assess(personas, selection, scores=[5, 4, 3, 2])

    errors = proposal_refusal(personas, selection, selection.requests[:2])

    assert "at least 3 suppliers must be invited: you chose 2" in errors["chosen"]


def test_more_than_the_number_announced_are_refused(personas):
    selection = in_selection(personas, requests=4, number_to_invite=3)
    assess(personas, selection, scores=[5, 4, 3, 2])

    errors = proposal_refusal(personas, selection, selection.requests)

    assert "choose no more than 3" in errors["chosen"]


def test_a_request_that_does_not_qualify_cannot_be_chosen(personas):
    selection = in_selection(personas, requests=4)
    assess(personas, selection, scores=[5, 4, 3, 2], failed=[0])

    errors = proposal_refusal(personas, selection, selection.requests[:3])

    assert "Only requests that qualify can be invited" in errors["chosen"]


def test_the_reasons_for_the_shortlist_are_needed(personas):
    selection = in_selection(personas, requests=3)
    assess(personas, selection, scores=[5, 4, 3])

    with pytest.raises(ApplicationError) as refusal:
        shortlist_propose(
            actor=personas.officer_a,
            procurement=selection.procurement,
            chosen=[r.pk for r in selection.requests],
            reason=" ",
        )

    assert list(errors_of(refusal)) == ["reason"]


def test_only_the_lead_officer_proposes(personas):
    selection = in_selection(personas, requests=3)
    assess(personas, selection, scores=[5, 4, 3])
    another_officer = factories.officer(personas.borough_a, email="officer-a2@example.org")

    for actor in (another_officer, personas.approver_a, personas.evaluator_a, personas.officer_b):
        with pytest.raises(PermissionRefused):
            shortlist_propose(
                actor=actor,
                procurement=selection.procurement,
                chosen=[r.pk for r in selection.requests],
                reason="The best.",
            )
    assert not Shortlist.objects.exists()


def five_assessed(personas, **options):
    """Five requests: four qualify (100, 80, 60 and 40 out of 100), the fifth failed its
    pass/fail question; the best three proposed."""
    selection = in_selection(personas, requests=5, **options)
    assess(personas, selection, scores=[5, 4, 3, 2, 5], failed=[4])
    shortlist = propose(personas, selection, selection.requests[:3])
    return selection, shortlist


def test_a_proposal_of_three_ranks_every_request_and_says_why(personas):
    selection, shortlist = five_assessed(personas, number_to_invite=3)
    first, second, third, fourth, failed = selection.requests

    assert shortlist.status == ShortlistStatus.PROPOSED
    assert shortlist.proposed_by == personas.officer_a
    entries = {entry.request_id: entry for entry in shortlist.entries.all()}
    assert [(entries[r.pk].rank, entries[r.pk].total, entries[r.pk].outcome) for r in (
        first, second, third, fourth, failed
    )] == [
        (1, Decimal("100.00"), Outcome.SHORTLISTED),
        (2, Decimal("80.00"), Outcome.SHORTLISTED),
        (3, Decimal("60.00"), Outcome.SHORTLISTED),
        (4, Decimal("40.00"), Outcome.NOT_SHORTLISTED),
        (None, Decimal("100.00"), Outcome.EXCLUDED),
    ]  # fmt: skip
    assert entries[first.pk].reasons == ""
    assert entries[fourth.pk].reasons == (
        "Ranked 4 of the 4 requests that qualified; 3 suppliers are invited to tender."
    )
    assert entries[failed.pk].reasons.startswith("Failed question 1: ")
    [event] = events("partners.shortlist_proposed")
    assert event.actor == personas.officer_a
    assert event.data["shortlist_id"] == shortlist.pk
    assert sorted(event.data["shortlisted"]) == sorted(r.pk for r in (first, second, third))
    assert event.data["not_shortlisted"] == [fourth.pk]
    assert event.data["excluded"] == [failed.pk]
    # Nothing is decided yet.
    for request in selection.refresh().requests:
        assert request.status == RequestStatus.SUBMITTED
    assert selection.procurement.status == ProcurementStatus.SELECTION


def test_while_a_proposal_waits_nothing_more_is_moderated_or_proposed(personas):
    selection, _ = five_assessed(personas)

    with pytest.raises(PermissionRefused):
        moderate(personas, selection.requests[0], marks(selection, score=1))
    with pytest.raises(PermissionRefused):
        propose(personas, selection, selection.requests[:4])
    assert Shortlist.objects.count() == 1


# --- deciding the shortlist ----------------------------------------------------------------------


def test_neither_the_proposer_nor_a_non_approver_may_decide(personas):
    selection, shortlist = five_assessed(personas)
    # The lead officer holds the approver role too: still not theirs to decide.
    factories.OfficerMembershipFactory(
        user=personas.officer_a, borough=personas.borough_a, role=OfficerRole.APPROVER
    )
    approver_b = factories.officer(
        personas.borough_b, OfficerRole.APPROVER, email="approver-b@example.org"
    )

    for actor in (
        personas.officer_a,
        personas.evaluator_a,
        personas.borough_admin_a,
        approver_b,
        personas.supplier_a_admin,
    ):
        with pytest.raises(PermissionRefused):
            shortlist_decide(actor=actor, shortlist=shortlist, confirm=True, reason="")
    shortlist.refresh_from_db()
    assert shortlist.status == ShortlistStatus.PROPOSED
    assert selection.refresh().procurement.status == ProcurementStatus.SELECTION


def test_only_the_named_approver_decides_when_one_is_named(personas):
    selection, shortlist = five_assessed(personas)
    named = factories.officer(
        personas.borough_a, OfficerRole.APPROVER, email="approver-a2@example.org"
    )
    Procurement.objects.filter(pk=selection.procurement.pk).update(approver=named)

    with pytest.raises(PermissionRefused):
        shortlist_decide(actor=personas.approver_a, shortlist=shortlist, confirm=True, reason="")
    shortlist_decide(actor=named, shortlist=shortlist, confirm=True, reason="")
    shortlist.refresh_from_db()
    assert shortlist.decided_by == named


def test_returning_needs_reasons_and_lets_the_lead_officer_propose_again(personas):
    selection, shortlist = five_assessed(personas)

    with pytest.raises(ApplicationError) as refusal:
        shortlist_decide(actor=personas.approver_a, shortlist=shortlist, confirm=False, reason=" ")
    assert "reason" in errors_of(refusal)
    shortlist.refresh_from_db()
    assert shortlist.status == ShortlistStatus.PROPOSED

    shortlist_decide(
        actor=personas.approver_a,
        shortlist=shortlist,
        confirm=False,
        reason="Explain why the fourth is not invited.",
    )

    shortlist.refresh_from_db()
    assert shortlist.status == ShortlistStatus.RETURNED
    assert shortlist.decided_by == personas.approver_a
    assert shortlist.decision_reason == "Explain why the fourth is not invited."
    assert events("partners.shortlist_returned")[0].actor == personas.approver_a
    assert selection.refresh().procurement.status == ProcurementStatus.SELECTION
    assert all(r.status == RequestStatus.SUBMITTED for r in selection.requests)
    again = propose(personas, selection, selection.requests[:4])
    assert again.status == ShortlistStatus.PROPOSED


def test_confirming_decides_every_request_and_moves_to_tendering(
    personas, media_root, django_capture_on_commit_callbacks
):
    selection, shortlist = five_assessed(personas, member_c=True)
    first, second, third, _, failed = selection.requests
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        shortlist_decide(
            actor=personas.approver_a, shortlist=shortlist, confirm=True, reason="Agreed."
        )

    shortlist.refresh_from_db()
    assert shortlist.status == ShortlistStatus.CONFIRMED
    assert (shortlist.decided_by, shortlist.decision_reason) == (personas.approver_a, "Agreed.")
    selection.refresh()
    assert selection.procurement.status == ProcurementStatus.TENDERING
    assert [r.status for r in selection.requests] == [
        RequestStatus.SHORTLISTED,
        RequestStatus.SHORTLISTED,
        RequestStatus.SHORTLISTED,
        RequestStatus.NOT_SHORTLISTED,
        RequestStatus.EXCLUDED,
    ]
    entries = list(ShortlistEntry.objects.filter(shortlist=shortlist))
    letters = GeneratedDocument.objects.filter(
        kind=LETTER_KIND, content_type=ContentType.objects.get_for_model(ShortlistEntry)
    )
    assert LETTER_KIND == "selection_letter"
    assert sorted(letters.values_list("object_id", flat=True)) == sorted(
        str(entry.pk) for entry in entries
    )
    # The lead organisation of each request and the consortium member C, once each.
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(
        [
            "a-admin@example.org",
            "c@example.org",
            "b-admin@example.org",
            "s3-admin@example.org",
            "s4-admin@example.org",
            "s5-admin@example.org",
        ]
    )
    [event] = events("partners.shortlist_confirmed")
    assert event.actor == personas.approver_a
    assert event.data["status"] == ProcurementStatus.TENDERING
    assert sorted(event.data["shortlisted"]) == sorted(r.pk for r in (first, second, third))
    assert event.data["excluded"] == [failed.pk]


def test_a_decided_shortlist_cannot_be_decided_again(personas, media_root):
    _, shortlist = five_assessed(personas)
    shortlist_decide(actor=personas.approver_a, shortlist=shortlist, confirm=True, reason="")

    with pytest.raises(PermissionRefused):
        shortlist_decide(actor=personas.approver_a, shortlist=shortlist, confirm=False, reason="No")
    assert len(events("partners.shortlist_confirmed")) == 1


@pytest.mark.django_db(transaction=True)
def test_two_approvers_confirming_at_once_confirm_once(personas, media_root, mailoutbox):
    selection, shortlist = five_assessed(personas)
    other_approver = factories.officer(
        personas.borough_a, OfficerRole.APPROVER, email="approver-a2@example.org"
    )
    mailoutbox.clear()
    barrier = threading.Barrier(2)
    confirmed, refused, errors = [], [], []

    def confirm(actor):
        try:
            barrier.wait(timeout=10)
            shortlist_decide(actor=actor, shortlist=shortlist, confirm=True, reason="")
            confirmed.append(actor.pk)
        except PermissionRefused as refusal:
            refused.append(refusal)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=confirm, args=(actor,))
        for actor in (personas.approver_a, other_approver)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert len(confirmed) == 1 and len(refused) == 1
    shortlist.refresh_from_db()
    assert shortlist.decided_by_id == confirmed[0]
    assert len(events("partners.shortlist_confirmed")) == 1
    assert GeneratedDocument.objects.filter(kind=LETTER_KIND).count() == 5
    assert len(mailoutbox) == 5
    selection.refresh()
    assert selection.procurement.status == ProcurementStatus.TENDERING
