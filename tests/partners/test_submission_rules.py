"""What a request must hold before it is submitted, what a submission freezes, and the
questions suppliers answer (as published, even while an amendment is being prepared)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.exceptions import ApplicationError
from partners.models import (
    ConsortiumMember,
    ExclusionDeclaration,
    ParticipationRequest,
    QuestionKind,
    RequestAnswer,
    SelectionQuestion,
)
from partners.services import (
    selection_question_add,
    selection_question_change,
    selection_question_remove,
)
from partners.submission import (
    content_sha256,
    exclusion_grounds,
    participation_open,
    published_questions,
    submission_content,
    submission_problems,
)
from procurements.services.amendments import amendment_open, procurement_amend
from tests.procurements.test_amendments import published_for_real

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bank_holidays")]


@pytest.fixture
def published(personas, django_capture_on_commit_callbacks):
    return published_for_real(personas, django_capture_on_commit_callbacks)


def a_request(personas, procurement, **fields) -> ParticipationRequest:
    return ParticipationRequest.objects.create(
        procurement=procurement,
        organisation=personas.org_a,
        created_by=personas.supplier_a_admin,
        **fields,
    )


def answer_everything(personas, request) -> None:
    for question in published_questions(request.procurement):
        RequestAnswer.objects.create(
            request=request,
            question=question,
            meets=True if question.kind == QuestionKind.PASS_FAIL else None,
            text="" if question.kind == QuestionKind.PASS_FAIL else f"Our answer to {question.pk}",
            updated_by=personas.supplier_a_member,
        )
    declare_everything(personas, request, personas.org_a)
    request.has_conflict = False
    request.save()


def declare_everything(personas, request, organisation) -> None:
    for ground in exclusion_grounds(request.procurement):
        ExclusionDeclaration.objects.create(
            request=request,
            organisation=organisation,
            ground=ground.key,
            applies=False,
            declared_by=personas.supplier_a_admin,
        )


# -- the participation window -------------------------------------------------------------------


def test_participation_is_open_until_the_second_of_the_deadline(published):
    deadline = published.participation_deadline
    assert participation_open(published, now=deadline - timedelta(seconds=1))
    assert not participation_open(published, now=deadline)
    assert not participation_open(published, now=deadline + timedelta(seconds=1))


# -- what is missing ----------------------------------------------------------------------------


def test_a_new_request_lists_every_question_the_declarations_and_the_conflicts(personas, published):
    request = a_request(personas, published)
    questions = published_questions(published)

    problems = submission_problems(request)

    messages = [problem.message for problem in problems]
    assert len([m for m in messages if m.startswith("Answer question")]) == len(questions)
    assert any("declare whether each exclusion ground applies" in m for m in messages)
    assert "Say whether you have any conflict of interest" in messages
    assert all(problem.url.startswith(f"/requests/{request.pk}/") for problem in problems)


def test_a_complete_request_has_no_problems(personas, published):
    request = a_request(personas, published)
    answer_everything(personas, request)

    assert submission_problems(request) == []


def test_a_ground_that_applies_needs_its_details(personas, published):
    request = a_request(personas, published)
    answer_everything(personas, request)
    first = exclusion_grounds(published)[0]
    ExclusionDeclaration.objects.filter(request=request, ground=first.key).update(applies=True)

    [problem] = submission_problems(request)
    assert problem.message == f"{personas.org_a.name}: give the details of {first.label.lower()}"


def test_a_consortium_needs_every_member_confirmed_and_declared(personas, published):
    request = a_request(personas, published, is_consortium=True)
    answer_everything(personas, request)
    member = ConsortiumMember.objects.create(
        request=request, organisation=personas.org_b, role="Clinical trials", share_of_work=30
    )

    messages = [problem.message for problem in submission_problems(request)]
    assert f"{personas.org_b.name} has not confirmed it is in the consortium" in messages
    assert any(m.startswith(f"{personas.org_b.name}: declare whether") for m in messages)

    member.confirmed_at = timezone.now()
    member.confirmed_by = personas.supplier_b_admin
    member.save()
    declare_everything(personas, request, personas.org_b)
    assert submission_problems(request) == []


def test_members_shares_must_leave_the_lead_a_share(personas, published):
    request = a_request(personas, published, is_consortium=True)
    answer_everything(personas, request)
    ConsortiumMember.objects.create(
        request=request,
        organisation=personas.org_b,
        role="Everything",
        share_of_work=99,
        confirmed_at=timezone.now(),
        confirmed_by=personas.supplier_b_admin,
    )
    declare_everything(personas, request, personas.org_b)
    assert submission_problems(request) == []
    ConsortiumMember.objects.filter(request=request).update(share_of_work=100)

    [problem] = submission_problems(request)
    assert "add up to 100%" in problem.message


# -- what a submission freezes ------------------------------------------------------------------


def test_the_frozen_content_and_its_sha256_are_the_same_however_often_read(personas, published):
    request = a_request(personas, published)
    answer_everything(personas, request)

    first = submission_content(request)
    again = submission_content(ParticipationRequest.objects.get(pk=request.pk))

    assert first == again
    assert content_sha256(first) == content_sha256(again)
    assert len(content_sha256(first)) == 64
    assert first["organisation"]["name"] == personas.org_a.name
    answered = [answer["text"] for answer in first["answers"] if answer["text"]]
    assert answered and all(text.startswith("Our answer to") for text in answered)


def test_the_sha256_changes_with_any_answer(personas, published):
    request = a_request(personas, published)
    answer_everything(personas, request)
    before = content_sha256(submission_content(request))
    answer = RequestAnswer.objects.filter(request=request).exclude(text="").first()
    answer.text += "."
    answer.save()

    assert content_sha256(submission_content(request)) != before


# -- the questions as published -----------------------------------------------------------------


def test_suppliers_answer_the_questions_as_published_while_an_amendment_is_prepared(
    personas, published
):
    officer = personas.officer_a
    amendment_open(actor=officer, procurement=published)
    question = SelectionQuestion.objects.filter(procurement=published).order_by("order").first()
    published_text = question.text
    selection_question_change(
        actor=officer,
        question=question,
        data={
            "kind": question.kind,
            "topic": question.topic,
            "text": "A reworded question, not yet published.",
            "guidance": question.guidance,
            "weight": question.weight,
        },
    )
    added = selection_question_add(
        actor=officer,
        procurement=published,
        data={
            "kind": QuestionKind.PASS_FAIL,
            "topic": "other",
            "text": "A new question, not yet published.",
            "guidance": "",
            "weight": None,
        },
    )

    shown = published_questions(published)
    assert [q.text for q in shown if q.pk == question.pk] == [published_text]
    assert added.pk not in [q.pk for q in shown]

    procurement_amend(actor=officer, procurement=published, changes={}, reason="Clearer.")
    shown = published_questions(published)
    assert "A reworded question, not yet published." in [q.text for q in shown]
    assert added.pk in [q.pk for q in shown]


def test_a_question_suppliers_have_answered_cannot_be_removed_by_an_amendment(personas, published):
    request = a_request(personas, published)
    answer_everything(personas, request)
    amendment_open(actor=personas.officer_a, procurement=published)
    question = SelectionQuestion.objects.filter(procurement=published).first()

    with pytest.raises(ApplicationError, match="already answered this question"):
        selection_question_remove(actor=personas.officer_a, question=question)

    assert SelectionQuestion.objects.filter(pk=question.pk).exists()


def test_the_supplier_home_links_to_requests_invitations_and_the_library(login, personas):
    from django.urls import reverse

    page = login(personas.supplier_a_member).get(reverse("core:supplier-home")).content.decode()

    for name in ("requests:list", "requests:consortium-invitations", "requests:library"):
        assert f'href="{reverse(name)}"' in page


def test_the_closed_message_names_the_deadline_once_the_call_is_in_selection(published):
    from partners.submission import participation_closed_message
    from procurements.models import Procurement
    from procurements.sections import uk_datetime_text
    from procurements.services.closing import procurement_close_participation

    deadline = timezone.now() - timedelta(minutes=5)
    Procurement.objects.filter(pk=published.pk).update(participation_deadline=deadline)
    procurement_close_participation(pk=published.pk)
    closed = Procurement.objects.get(pk=published.pk)

    message = participation_closed_message(closed)

    assert closed.status == "selection"
    assert uk_datetime_text(deadline) in message
