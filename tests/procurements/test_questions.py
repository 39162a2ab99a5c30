"""Clarification questions: asked before the deadline by the server's clock, answered to
everyone without saying who asked, or to the asker only with a reason; each organisation sees
only its own questions and each borough only its own."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError, PermissionRefused
from procurements.models import (
    ClarificationQuestion,
    InterestRegistration,
    ProcurementStatus,
    QuestionStatus,
)
from procurements.permissions_market import can_ask_question, can_follow_procurement
from procurements.sections import uk_datetime_text
from procurements.selectors_market import (
    question_counts,
    question_list_for_officer,
    question_list_for_supplier,
    question_list_public,
)
from procurements.services.engagement import interest_register
from procurements.services.questions import (
    REASON_REQUIRED,
    QuestionsClosed,
    question_answer_privately,
    question_ask,
    question_publish_answer,
)
from tests import factories
from tests.procurements.test_engagement import (
    draft,
    events,
    mail_server_down,  # noqa: F401  (a fixture)
    published_call,
    with_engagement,
)
from tests.query_budget import assert_query_budget

pytestmark = pytest.mark.django_db

ORIGINAL = "Alpha Robotics Ltd would like to know: can the sensor use residents' own broadband?"
ANONYMISED = "Can the sensor use residents' own broadband?"


def ask_url(procurement):
    return reverse("opportunities:ask", kwargs={"pk": procurement.pk})


def mine_url(procurement):
    return reverse("opportunities:my-questions", kwargs={"pk": procurement.pk})


def answer_url(question):
    return reverse(
        "procurements:question-answer",
        kwargs={"pk": question.procurement_id, "question_pk": question.pk},
    )


def list_url(procurement):
    return reverse("procurements:questions", kwargs={"pk": procurement.pk})


def asked(personas, procurement=None, *, by=None, text=ORIGINAL):
    procurement = procurement or published_call(personas)
    return question_ask(actor=by or personas.supplier_a_admin, procurement=procurement, text=text)


# --- asking ---------------------------------------------------------------------------------


def test_a_supplier_asks_a_question_gets_a_receipt_and_their_organisation_follows(personas, login):
    procurement = published_call(personas)
    client = login(personas.supplier_a_member)

    form = client.get(ask_url(procurement))
    response = client.post(ask_url(procurement), {"text": "  Is a pilot in one ward enough?  "})

    assert form.status_code == 200
    assert uk_datetime_text(procurement.question_deadline) in form.content.decode()
    question = ClarificationQuestion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "opportunities:question-receipt",
        kwargs={"pk": procurement.pk, "question_pk": question.pk},
    )
    assert question.text == "Is a pilot in one ward enough?"
    assert question.organisation == personas.org_a
    assert question.asked_by == personas.supplier_a_member
    assert question.status == QuestionStatus.OPEN
    registration = InterestRegistration.objects.get()
    assert (registration.organisation, registration.procurement) == (personas.org_a, procurement)
    [event] = events("question.asked")
    assert event.target_id == str(question.pk)
    assert event.data["text"] == question.text
    receipt = client.get(response["Location"]).content.decode()
    assert "Question received" in receipt
    assert f"{procurement.reference}-Q{question.pk}" in receipt
    assert uk_datetime_text(question.asked_at) in receipt


def test_asking_again_keeps_one_interest_registration(personas):
    procurement = published_call(personas)
    asked(personas, procurement)
    asked(personas, procurement, by=personas.supplier_a_member, text="Another")
    assert InterestRegistration.objects.count() == 1
    assert len(events("interest.registered")) == 1
    assert ClarificationQuestion.objects.count() == 2


def test_an_empty_question_is_refused(personas, login):
    procurement = published_call(personas)
    html = login(personas.supplier_a_admin).post(ask_url(procurement), {"text": " "})
    assert "Enter your question" in html.content.decode()
    with pytest.raises(ApplicationError, match="Enter your question"):
        asked(personas, procurement, text="   ")
    assert not ClarificationQuestion.objects.exists()


def test_one_second_before_the_deadline_the_question_is_accepted(personas, clock):
    procurement = published_call(personas)
    clock(procurement.question_deadline - timedelta(seconds=1))
    question = asked(personas, procurement)
    assert question.asked_at == procurement.question_deadline - timedelta(seconds=1)


def test_at_the_deadline_the_question_is_refused(personas, clock):
    procurement = published_call(personas)
    clock(procurement.question_deadline)
    with pytest.raises(QuestionsClosed):
        asked(personas, procurement)
    assert not ClarificationQuestion.objects.exists()


def test_one_second_after_the_deadline_a_page_loaded_before_cannot_send(personas, login, clock):
    procurement = published_call(personas, question_deadline=timezone.now() + timedelta(hours=1))
    client = login(personas.supplier_a_admin)
    page = client.get(ask_url(procurement))
    assert 'name="text"' in page.content.decode()  # the form, while questions were open

    clock(procurement.question_deadline + timedelta(seconds=1))
    response = client.post(ask_url(procurement), {"text": "Sent a moment too late"})

    html = response.content.decode()
    deadline = uk_datetime_text(procurement.question_deadline)
    assert f"The deadline for questions was {deadline}." in html
    assert "Sent a moment too late" in html  # kept on screen so it is not lost
    assert not ClarificationQuestion.objects.exists()
    assert not InterestRegistration.objects.exists()
    assert not events("question.asked")


def test_after_the_deadline_the_page_says_when_it_was(personas, login):
    procurement = published_call(personas, question_deadline=timezone.now() - timedelta(seconds=1))
    html = login(personas.supplier_a_admin).get(ask_url(procurement)).content.decode()
    assert (
        f"The deadline for questions was {uk_datetime_text(procurement.question_deadline)}." in html
    )
    assert 'name="text"' not in html


def test_the_predicates_agree_with_the_service_at_the_boundary(personas):
    procurement = published_call(personas)
    deadline = procurement.question_deadline
    supplier, officer = personas.supplier_b_member, personas.officer_a
    before = deadline - timedelta(seconds=1)
    assert can_ask_question(supplier, procurement, now=before)
    assert not can_ask_question(supplier, procurement, now=deadline)
    assert not can_ask_question(officer, procurement, now=before)
    assert can_follow_procurement(supplier, procurement)
    assert not can_follow_procurement(officer, procurement)


def test_the_service_refuses_after_the_deadline_whatever_calls_it(personas):
    procurement = published_call(personas, question_deadline=timezone.now() - timedelta(seconds=1))
    with pytest.raises(QuestionsClosed, match="The deadline for questions was"):
        asked(personas, procurement)


def test_questions_wait_for_the_call(personas, login):
    procurement = draft(personas)
    with_engagement(procurement, published=True, by=personas.officer_a)
    html = login(personas.supplier_a_admin).get(ask_url(procurement)).content.decode()
    assert "takes questions once its call is published" in html
    assert procurement.title not in html  # the draft behind the engagement is not public
    with pytest.raises(QuestionsClosed):
        asked(personas, procurement)


def test_an_unpublished_procurement_has_no_question_pages(personas, login):
    procurement = draft(personas, status=ProcurementStatus.APPROVED)
    client = login(personas.supplier_a_admin)
    assert client.get(ask_url(procurement)).status_code == 404
    assert client.post(ask_url(procurement), {"text": "Hello"}).status_code == 404
    assert client.get(mine_url(procurement)).status_code == 404


def test_cancelled_calls_take_no_questions(personas, login):
    procurement = published_call(personas, status=ProcurementStatus.CANCELLED)
    html = login(personas.supplier_a_admin).get(ask_url(procurement)).content.decode()
    assert "has been cancelled" in html
    with pytest.raises(QuestionsClosed, match="has been cancelled"):
        asked(personas, procurement)
    assert not ClarificationQuestion.objects.exists()


@pytest.mark.parametrize("who", ["officer_a", "approver_a", "officer_b", "superuser"])
def test_officers_cannot_ask(personas, login, who):
    procurement = published_call(personas)
    client = login(getattr(personas, who))
    assert client.get(ask_url(procurement)).status_code == 403
    assert client.post(ask_url(procurement), {"text": "Hi"}).status_code == 403
    with pytest.raises(PermissionRefused):
        asked(personas, procurement, by=getattr(personas, who))
    assert not ClarificationQuestion.objects.exists()


def test_a_supplier_with_an_unconfirmed_email_address_cannot_ask(personas, login):
    procurement = published_call(personas)
    EmailAddress.objects.filter(user=personas.supplier_a_member).update(verified=False)
    client = login(personas.supplier_a_member)
    assert client.post(ask_url(procurement), {"text": "Hi"}).status_code == 403
    with pytest.raises(PermissionRefused, match="Confirm your e-mail address"):
        asked(personas, procurement, by=personas.supplier_a_member)
    assert not ClarificationQuestion.objects.exists()


def test_asking_needs_sign_in(personas, client):
    procurement = published_call(personas)
    response = client.post(ask_url(procurement), {"text": "Hi"})
    assert response["Location"].startswith(reverse("account_login"))


# --- what each supplier sees --------------------------------------------------------------------


def test_a_supplier_sees_their_organisations_questions_and_private_answers_only(personas, login):
    procurement = published_call(personas)
    theirs = asked(personas, procurement, text="Alpha's question about data")
    other = asked(personas, procurement, by=personas.supplier_b_member, text="Beta's question")
    question_answer_privately(
        actor=personas.officer_a,
        question=theirs,
        answer="Your data stays in the UK.",
        reason="It is about Alpha's own hosting contract.",
    )

    html_a = login(personas.supplier_a_member).get(mine_url(procurement)).content.decode()
    html_b = login(personas.supplier_b_admin).get(mine_url(procurement)).content.decode()

    assert "Alpha&#x27;s question about data" in html_a
    assert "Your data stays in the UK." in html_a
    assert "Answered to your organisation only" in html_a
    assert "It is about Alpha" in html_a
    assert "Beta&#x27;s question" not in html_a
    assert "Beta&#x27;s question" in html_b
    assert "Alpha" not in html_b
    assert list(
        question_list_for_supplier(user=personas.supplier_b_member, procurement=procurement)
    ) == [other]
    assert not question_list_for_supplier(user=personas.officer_a, procurement=procurement)


def test_another_organisation_cannot_open_a_receipt(personas, login):
    question = asked(personas)
    url = reverse(
        "opportunities:question-receipt",
        kwargs={"pk": question.procurement_id, "question_pk": question.pk},
    )
    assert login(personas.supplier_b_admin).get(url).status_code == 404
    assert login(personas.supplier_a_member).get(url).status_code == 200


# --- officers: the list -------------------------------------------------------------------------


def test_officers_see_every_question_open_first_with_counts(personas, login):
    procurement = published_call(personas)
    answered = asked(personas, procurement, text="First, answered")
    waiting = asked(personas, procurement, by=personas.supplier_b_member, text="Second, open")
    question_publish_answer(
        actor=personas.officer_a, question=answered, public_text="First", answer="Yes."
    )

    rows = list(question_list_for_officer(user=personas.approver_a, procurement=procurement))
    html = login(personas.approver_a).get(list_url(procurement)).content.decode()

    assert rows == [waiting, answered]
    assert question_counts(procurement=procurement) == {
        "open": 1,
        "published": 1,
        "answered_privately": 0,
        "total": 2,
    }
    assert "2 questions: 1 waiting for an answer, 1 published to everyone" in html
    assert html.index("Second, open") < html.index("First, answered")
    assert "Beta Care CIC" in html  # officers see who asked
    assert answer_url(waiting) not in html  # approvers do not answer


def test_the_officer_list_links_to_answer_open_questions(personas, login):
    question = asked(personas)
    html = login(personas.officer_a).get(list_url(question.procurement)).content.decode()
    assert answer_url(question) in html


def test_officers_of_another_borough_cannot_see_or_answer(personas, login):
    question = asked(personas)
    client = login(personas.officer_b)
    assert client.get(list_url(question.procurement)).status_code == 404
    assert client.get(answer_url(question)).status_code == 404
    response = client.post(answer_url(question), {"decision": "publish", "answer": "Mine"})
    assert response.status_code == 404
    assert not question_list_for_officer(user=personas.officer_b, procurement=question.procurement)
    with pytest.raises(PermissionRefused):
        question_publish_answer(
            actor=personas.officer_b, question=question, public_text="Q", answer="A"
        )
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN


@pytest.mark.parametrize("who", ["approver_a", "borough_admin_a"])
def test_only_procurement_officers_answer(personas, login, who):
    question = asked(personas)
    client = login(getattr(personas, who))
    assert client.get(answer_url(question)).status_code == 403
    assert client.post(answer_url(question), {"decision": "publish"}).status_code == 403
    with pytest.raises(PermissionRefused):
        question_answer_privately(
            actor=getattr(personas, who), question=question, answer="A", reason="R"
        )


def test_the_questions_page_queries_do_not_grow(personas, login):
    procurement = published_call(personas)
    client = login(personas.officer_a)

    def add_questions(count):
        for number in range(count):
            asker = factories.supplier(factories.SupplierOrganisationFactory())
            question = ClarificationQuestion.objects.create(
                procurement=procurement, organisation=asker.supplier_membership.organisation,
                asked_by=asker, text=f"Question {number}",
            )  # fmt: skip
            if number % 2:
                question_publish_answer(
                    actor=personas.officer_a, question=question, public_text="Q", answer="A"
                )

    assert_query_budget(client, list_url(procurement), add_rows=add_questions, most=20)


def test_the_suppliers_questions_page_queries_do_not_grow(personas, login):
    procurement = published_call(personas)
    client = login(personas.supplier_a_admin)

    def add_questions(count):
        for number in range(count):
            ClarificationQuestion.objects.create(
                procurement=procurement, organisation=personas.org_a,
                asked_by=personas.supplier_a_member, text=f"Question {number}",
            )  # fmt: skip

    assert_query_budget(client, mine_url(procurement), add_rows=add_questions, most=20)


# --- answering to everyone, anonymised ----------------------------------------------------------


def test_the_answer_page_warns_that_the_question_names_who_asked(personas, login):
    question = asked(personas)
    html = login(personas.officer_a).get(answer_url(question)).content.decode()
    assert 'id="names-warning"' in html
    assert "Alpha Robotics Ltd" in html
    assert ORIGINAL.replace("'", "&#x27;") in html  # prefilled for editing


def test_a_question_that_names_nobody_gets_no_warning(personas, login):
    question = asked(personas, text=ANONYMISED)
    html = login(personas.officer_a).get(answer_url(question)).content.decode()
    assert 'id="names-warning"' not in html


@pytest.mark.parametrize(
    ("public_text", "answer"),
    [
        (ORIGINAL, "Yes."),
        ("Alpha Robotics asks: can it use broadband?", "Yes."),
        ("ALPHA ROBOTICS LTD: can it use broadband?", "Yes."),
        (ANONYMISED, "Yes, Alpha Robotics Ltd may use broadband."),
        (ANONYMISED, "Yes, as we told a-admin@example.org."),
    ],
)
def test_the_published_text_must_not_show_who_asked(personas, public_text, answer):
    question = asked(personas)
    with pytest.raises(ApplicationError, match="must not show who asked"):
        question_publish_answer(
            actor=personas.officer_a, question=question, public_text=public_text, answer=answer
        )
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN


def test_publishing_with_the_name_left_in_shows_the_error_on_the_page(personas, login):
    question = asked(personas)
    response = login(personas.officer_a).post(
        answer_url(question), {"decision": "publish", "public_text": ORIGINAL, "answer": "Yes."}
    )
    assert response.status_code == 200
    assert "Remove Alpha Robotics Ltd" in response.content.decode()
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN


def test_a_published_answer_is_anonymised_audited_and_emailed_to_everyone_after_commit(
    personas, login, django_capture_on_commit_callbacks
):
    procurement = published_call(personas)
    question = asked(personas, procurement)
    interest_register(actor=personas.supplier_b_member, procurement=procurement)
    client = login(personas.officer_a)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            answer_url(question),
            {"decision": "publish", "public_text": ANONYMISED, "answer": "Yes, over Wi-Fi."},
        )
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == QuestionStatus.PUBLISHED
    assert question.public_text == ANONYMISED
    assert question.answered_by == personas.officer_a
    [event] = events("question.answer_published")
    assert event.data["public_text"] == ANONYMISED
    assert event.data["reason"]
    # The public read: the question as published and the answer, nothing of who asked.
    [public] = question_list_public(procurement=procurement)
    assert set(public) == {"pk", "public_text", "answer", "answered_at"}
    assert "Alpha" not in str(public) and "a-admin" not in str(public)
    # Everyone who follows: organisation A (it asked) and B, registrants and admins.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [
            personas.supplier_a_admin.email,
            personas.supplier_b_member.email,
            personas.supplier_b_admin.email,
        ]
    )
    for email in mail.outbox:
        assert ANONYMISED in email.body and "Yes, over Wi-Fi." in email.body
        assert "Alpha Robotics" not in email.body
    listing = client.get(list_url(procurement)).content.decode()
    assert "Published as" in listing and "Answer published to everyone" in listing


def test_a_question_is_answered_once(personas):
    question = asked(personas)
    question_publish_answer(
        actor=personas.officer_a, question=question, public_text=ANONYMISED, answer="Yes."
    )
    with pytest.raises(ApplicationError, match="already been answered"):
        question_answer_privately(
            actor=personas.officer_a, question=question, answer="No.", reason="Changed my mind"
        )
    question.refresh_from_db()
    assert question.answer == "Yes."


def test_an_answered_question_page_goes_back_to_the_list(personas, login):
    question = asked(personas)
    question_publish_answer(
        actor=personas.officer_a, question=question, public_text=ANONYMISED, answer="Yes."
    )
    response = login(personas.officer_a).get(answer_url(question))
    assert response.status_code == 302
    assert response["Location"] == list_url(question.procurement)


# --- answering the asker only ----------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_private_answer_needs_a_reason(
    personas, login, reason, django_capture_on_commit_callbacks
):
    question = asked(personas)
    with pytest.raises(ApplicationError, match=REASON_REQUIRED):
        question_answer_privately(
            actor=personas.officer_a, question=question, answer="No.", reason=reason
        )
    with django_capture_on_commit_callbacks(execute=True):  # an e-mail would be sent here
        response = login(personas.officer_a).post(
            answer_url(question), {"decision": "private", "answer": "No.", "reason": reason}
        )
    assert REASON_REQUIRED in response.content.decode()
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN
    assert mail.outbox == []


def test_a_private_answer_goes_to_the_asker_only(
    personas, login, django_capture_on_commit_callbacks
):
    procurement = published_call(personas)
    question = asked(personas, procurement, by=personas.supplier_a_member)
    interest_register(actor=personas.supplier_b_member, procurement=procurement)

    with django_capture_on_commit_callbacks(execute=True):
        response = login(personas.officer_a).post(
            answer_url(question),
            {
                "decision": "private",
                "answer": "Your existing contract allows it.",
                "reason": "It is about the supplier's own contract with the borough.",
            },
        )

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED_PRIVATELY
    assert question.private_reason.startswith("It is about")
    [event] = events("question.answered_privately")
    assert event.data["reason"] == question.private_reason
    [email] = mail.outbox
    assert email.to == [personas.supplier_a_member.email]
    assert "Your existing contract allows it." in email.body
    assert mine_url(procurement) in email.body
    assert question_list_public(procurement=procurement) == []


@pytest.mark.usefixtures("mail_server_down")
def test_a_mail_server_that_is_down_does_not_undo_the_answer(
    personas, login, django_capture_on_commit_callbacks
):
    question = asked(personas)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = login(personas.officer_a).post(
            answer_url(question),
            {"decision": "private", "answer": "Yes.", "reason": "Their own contract."},
        )
    assert response.status_code == 302
    assert len(callbacks) == 1
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED_PRIVATELY


def test_questions_of_a_cancelled_procurement_cannot_be_answered(personas):
    question = asked(personas)
    type(question.procurement).objects.filter(pk=question.procurement_id).update(
        status=ProcurementStatus.CANCELLED
    )
    with pytest.raises(ApplicationError, match="cancelled"):
        question_publish_answer(
            actor=personas.officer_a, question=question, public_text="Q", answer="A"
        )
