"""Working on a request: the task list, answering questions (drafts may be half done),
conflicts of interest and applying alone or as a consortium. Anyone in the lead
organisation may, while participation is open; a refused page keeps what was typed."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent
from partners.models import ConsortiumMember, RequestAnswer, SelectionQuestion
from partners.services_requests import (
    ANSWER_MAX_LENGTH,
    CONFLICT_DETAILS_REQUIRED,
    request_answer_save,
    request_conflicts_save,
    request_consortium_choice,
)
from tests.query_budget import assert_query_budget

from .request_samples import a_request, answer_everything, open_call, questions, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(personas):
    return open_call(personas)


@pytest.fixture
def request_a(personas, call):
    return a_request(personas, call)


# --- answering ---------------------------------------------------------------------------------


def test_a_member_saves_half_an_answer_and_comes_back_to_it(personas, login, request_a):
    pass_fail = questions(request_a.procurement)[0]
    client = login(personas.supplier_a_member)

    response = client.post(
        url("answer", request_a, question_pk=pass_fail.pk),
        {"text": "We are checking with", "action": "later"},
    )

    assert response.status_code == 302
    assert response.url == url("detail", request_a)
    answer = RequestAnswer.objects.get(request=request_a, question=pass_fail)
    assert (answer.meets, answer.text) == (None, "We are checking with")
    assert answer.updated_by == personas.supplier_a_member
    page = client.get(url("answer", request_a, question_pk=pass_fail.pk)).content.decode()
    assert "We are checking with</textarea>" in page
    task_list = client.get(url("detail", request_a)).content.decode()
    assert re.search(rf'id="question-{pass_fail.pk}-status">\s*<strong[^>]*>In progress', task_list)


def test_save_and_continue_goes_to_the_next_question_then_to_the_task_list(
    personas, login, request_a
):
    pass_fail, scored = questions(request_a.procurement)
    client = login(personas.supplier_a_admin)

    first = client.post(
        url("answer", request_a, question_pk=pass_fail.pk), {"meets": "yes", "action": "continue"}
    )
    last = client.post(
        url("answer", request_a, question_pk=scored.pk),
        {"text": "Our R&D.", "action": "continue"},
    )

    assert first.url == url("answer", request_a, question_pk=scored.pk)
    assert last.url == url("detail", request_a)
    assert RequestAnswer.objects.get(question=pass_fail).meets is True


def test_a_pass_fail_answer_may_wait_for_its_yes_or_no(personas, request_a):
    pass_fail = questions(request_a.procurement)[0]

    answer = request_answer_save(
        actor=personas.supplier_a_member,
        request=request_a,
        question=pass_fail,
        meets=None,
        text="Checking with our broker.",
    )

    assert (answer.meets, answer.text) == (None, "Checking with our broker.")


def test_a_scored_question_keeps_no_yes_or_no(personas, request_a):
    scored = questions(request_a.procurement)[1]

    answer = request_answer_save(
        actor=personas.supplier_a_member, request=request_a, question=scored, meets=True, text="x"
    )

    assert answer.meets is None


def test_saving_the_same_answer_again_writes_nothing(personas, request_a):
    scored = questions(request_a.procurement)[1]
    for _ in range(2):
        request_answer_save(
            actor=personas.supplier_a_member,
            request=request_a,
            question=scored,
            meets=None,
            text="Same",
        )

    assert AuditEvent.objects.filter(action="partners.request_answer_saved").count() == 1


def test_an_answer_that_is_too_long_is_refused_and_kept_on_the_page(personas, login, request_a):
    scored = questions(request_a.procurement)[1]
    typed = "x" * (ANSWER_MAX_LENGTH + 1)

    response = login(personas.supplier_a_member).post(
        url("answer", request_a, question_pk=scored.pk), {"text": typed, "action": "later"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert f"Your answer must be {ANSWER_MAX_LENGTH:,} characters or fewer" in page
    assert f"{typed}</textarea>" in page
    assert not RequestAnswer.objects.exists()


def test_an_answer_after_the_deadline_is_refused_and_what_was_typed_stays(personas, login, clock):
    deadline = timezone.now() + timedelta(days=2)
    request = a_request(personas, open_call(personas, closes=deadline))
    scored = questions(request.procurement)[1]
    clock(deadline + timedelta(seconds=1))

    response = login(personas.supplier_a_member).post(
        url("answer", request, question_pk=scored.pk),
        {"text": "Typed just too late", "action": "continue"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Requests to participate closed at" in page
    assert "Typed just too late</textarea>" in page
    assert not RequestAnswer.objects.exists()


def test_a_withdrawn_request_takes_no_answers(personas, request_a):
    request_a.withdraw()
    request_a.save()

    with pytest.raises(ApplicationError, match=r"withdrawn\. Start it again"):
        request_answer_save(
            actor=personas.supplier_a_member,
            request=request_a,
            question=questions(request_a.procurement)[1],
            meets=None,
            text="x",
        )


def test_someone_outside_the_organisation_cannot_answer(personas, request_a):
    with pytest.raises(PermissionRefused):
        request_answer_save(
            actor=personas.supplier_b_admin,
            request=request_a,
            question=questions(request_a.procurement)[1],
            meets=None,
            text="x",
        )
    assert not RequestAnswer.objects.exists()


def test_a_question_of_another_procurement_is_404_and_refused(personas, login, request_a):
    elsewhere = SelectionQuestion.objects.create(
        procurement=open_call(personas, scored=0),
        kind="pass_fail",
        topic="other",
        text="Elsewhere?",
    )

    response = login(personas.supplier_a_admin).get(
        url("answer", request_a, question_pk=elsewhere.pk)
    )

    assert response.status_code == 404
    with pytest.raises(ApplicationError, match="not in the questionnaire as published"):
        request_answer_save(
            actor=personas.supplier_a_admin,
            request=request_a,
            question=elsewhere,
            meets=True,
            text="",
        )


def test_the_answer_page_shows_the_question_its_guidance_and_a_yes_no_choice(
    personas, login, request_a
):
    pass_fail = questions(request_a.procurement)[0]

    page = login(personas.supplier_a_member).get(url("answer", request_a, question_pk=pass_fail.pk))

    html = page.content.decode()
    assert "public liability insurance" in html
    assert "We check the certificate before the contract is signed." in html
    assert 'type="radio" name="meets" value="yes"' in html
    assert "Save and come back later" in html and "Save and continue" in html


# --- conflicts of interest ---------------------------------------------------------------------


def test_declaring_a_conflict_needs_its_description_and_keeps_the_choice(
    personas, login, request_a
):
    response = login(personas.supplier_a_member).post(
        url("conflicts", request_a), {"has_conflict": "yes", "details": ""}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert CONFLICT_DETAILS_REQUIRED in page
    assert re.search(r'<input type="radio" name="has_conflict" value="yes"[^>]* checked>', page)
    request_a.refresh_from_db()
    assert request_a.has_conflict is None


def test_a_conflict_is_declared_and_no_conflict_clears_the_details(personas, login, request_a):
    client = login(personas.supplier_a_member)

    client.post(url("conflicts", request_a), {"has_conflict": "yes", "details": "A director's"})
    request_a.refresh_from_db()
    assert (request_a.has_conflict, request_a.conflict_details) == (True, "A director's")

    client.post(url("conflicts", request_a), {"has_conflict": "no", "details": "left over"})
    request_a.refresh_from_db()
    assert (request_a.has_conflict, request_a.conflict_details) == (False, "")
    events = AuditEvent.objects.filter(action="partners.request_conflicts_declared")
    assert events.count() == 2
    assert all("director" not in str(event.data) for event in events)


def test_the_conflicts_page_keeps_the_details_typed_after_the_deadline(personas, login, clock):
    deadline = timezone.now() + timedelta(days=2)
    request = a_request(personas, open_call(personas, closes=deadline))
    clock(deadline + timedelta(seconds=1))

    response = login(personas.supplier_a_member).post(
        url("conflicts", request), {"has_conflict": "yes", "details": "Typed too late"}
    )

    assert response.status_code == 200
    assert "Typed too late</textarea>" in response.content.decode()
    with pytest.raises(ApplicationError, match="closed at"):
        request_conflicts_save(
            actor=personas.supplier_a_member, request=request, has_conflict=False, details=""
        )


# --- applying alone or as a consortium ----------------------------------------------------------


def test_choosing_a_consortium_leads_to_the_consortium_page(personas, login, request_a):
    response = login(personas.supplier_a_member).post(
        url("applying-as", request_a), {"is_consortium": "consortium"}
    )

    request_a.refresh_from_db()
    assert request_a.is_consortium
    assert response.url == url("consortium", request_a)
    event = AuditEvent.objects.get(action="partners.request_applying_as_chosen")
    assert event.data["is_consortium"] is True


def test_a_consortium_with_members_cannot_apply_alone_until_they_are_removed(
    personas, login, request_a
):
    request_consortium_choice(
        actor=personas.supplier_a_admin, request=request_a, is_consortium=True
    )
    ConsortiumMember.objects.create(
        request=request_a, organisation=personas.org_c, role="Sensors", share_of_work=20
    )

    response = login(personas.supplier_a_member).post(
        url("applying-as", request_a), {"is_consortium": "alone"}
    )

    assert response.status_code == 200
    assert "The consortium has 1 member. Remove it on the consortium page" in (
        response.content.decode()
    )
    request_a.refresh_from_db()
    assert request_a.is_consortium


def test_the_task_list_links_the_consortium_and_each_organisations_declarations(
    personas, login, request_a
):
    request_consortium_choice(
        actor=personas.supplier_a_admin, request=request_a, is_consortium=True
    )
    ConsortiumMember.objects.create(
        request=request_a, organisation=personas.org_c, role="Sensors", share_of_work=20
    )

    page = login(personas.supplier_a_member).get(url("detail", request_a)).content.decode()

    assert url("consortium", request_a) in page
    assert url("exclusions", request_a, organisation_pk=personas.org_a.pk) in page
    # The member declares from its own account: named, not linked from the lead's page.
    assert f"Exclusion grounds: {personas.org_c.name}" in page
    assert url("exclusions", request_a, organisation_pk=personas.org_c.pk) not in page


def test_the_task_list_shows_the_deadline_and_what_is_done(personas, login, request_a):
    answer_everything(personas, request_a)

    page = login(personas.supplier_a_member).get(url("detail", request_a)).content.decode()

    assert "Requests to participate close at" in page
    assert "You have completed 4 of 4 tasks." in page
    assert "Ready to submit" in page


def test_the_task_list_makes_the_same_queries_whatever_the_number_of_questions(
    personas, login, call, request_a
):
    def add_questions(count: int) -> None:
        start = call.selection_questions.count()
        for number in range(count):
            question = SelectionQuestion.objects.create(
                procurement=call, kind="pass_fail", topic="other", text=f"Q{start + number}?"
            )
            RequestAnswer.objects.create(
                request=request_a,
                question=question,
                meets=True,
                updated_by=personas.supplier_a_admin,
            )

    assert_query_budget(
        login(personas.supplier_a_member),
        url("detail", request_a),
        add_rows=add_questions,
        most=40,
    )
