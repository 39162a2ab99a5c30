"""The selection questionnaire section: list, add, change, remove, completion, facts."""

import itertools

import pytest
from django.db import IntegrityError
from django.urls import reverse

from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent
from partners.models import QuestionKind, QuestionTopic, SelectionQuestion
from partners.sections import (
    KEY,
    selection_questionnaire_facts,
    selection_questionnaire_summary,
)
from partners.services import (
    selection_question_add,
    selection_question_change,
    selection_question_remove,
    selection_questionnaire_mark,
)
from procurements.models import Procurement, SectionStatus
from procurements.registry import builder_section_get
from procurements.selectors import procurement_prefetch_sections
from procurements.services.sections import section_status
from tests.factories import ProcurementFactory
from tests.query_budget import assert_query_budget

RD = QuestionTopic.RD_CAPABILITY
INNOVATION = QuestionTopic.INNOVATIVE_SOLUTIONS
SCORED = QuestionKind.SCORED
PASS_FAIL = QuestionKind.PASS_FAIL

NO_RD = "Add a scored question on capability in research and development"
NO_INNOVATION = "Add a scored question on developing and implementing innovative solutions"

_order = itertools.count()


@pytest.fixture
def draft(personas):
    return ProcurementFactory(borough=personas.borough_a, lead_officer=personas.officer_a)


def question(procurement, kind=SCORED, topic=RD, weight=None, text=None):
    if kind == SCORED and weight is None:
        weight = 50
    return SelectionQuestion.objects.create(
        procurement=procurement,
        kind=kind,
        topic=topic,
        text=text or f"Describe your research team ({next(_order)})",
        weight=weight if kind == SCORED else None,
        order=next(_order),
    )


def complete_questionnaire(procurement):
    return [
        question(procurement, PASS_FAIL, QuestionTopic.OTHER, text="Financial standing"),
        question(procurement, SCORED, RD, 60),
        question(procurement, SCORED, INNOVATION, 40),
    ]


def url(name, procurement, selection_question=None):
    kwargs = {"pk": procurement.pk}
    if selection_question is not None:
        kwargs["question_pk"] = selection_question.pk
    return reverse(f"partners:{name}", kwargs=kwargs)


def list_page(procurement):
    return url("selection-questionnaire", procurement)


def events(action, procurement):
    return AuditEvent.objects.filter(
        action=f"partners.selection_question_{action}", target_id=str(procurement.pk)
    ).order_by("pk")


def submitted(procurement):
    procurement.submit_for_approval()
    procurement.save()
    return procurement


def all_errors(form):
    return [error for errors in form.errors.values() for error in errors]


# --- the list page ------------------------------------------------------------------------


def test_the_list_shows_pass_fail_and_scored_questions_with_the_running_total(
    personas, login, draft
):
    question(draft, PASS_FAIL, QuestionTopic.OTHER, text="Give your last two years' accounts")
    question(draft, SCORED, RD, 60, text="Describe your research team")
    question(draft, SCORED, INNOVATION, 30, text="Tell us about a solution you put into use")

    response = login(personas.officer_a).get(list_page(draft))

    assert response.status_code == 200
    assert [q.text for q in response.context["pass_fail"]] == ["Give your last two years' accounts"]
    assert [q.weight for q in response.context["scored"]] == [60, 30]
    assert response.context["total_weight"] == 90
    html = response.content.decode()
    assert "<strong>90%</strong>" in html
    assert "Must be 100%" in html
    assert url("selection-question-add", draft) in html


def test_an_empty_questionnaire_says_there_are_no_questions(personas, login, draft):
    response = login(personas.officer_a).get(list_page(draft))

    html = response.content.decode()
    assert "There are no pass or fail questions." in html
    assert "There are no scored questions." in html


# --- adding -----------------------------------------------------------------------------------


def test_an_officer_adds_a_scored_question(personas, login, draft):
    data = {"kind": SCORED, "topic": RD, "text": "Describe your R&D team", "weight": "40"}

    response = login(personas.officer_a).post(url("selection-question-add", draft), data)

    assert response.status_code == 302
    assert response["Location"] == list_page(draft)
    added = SelectionQuestion.objects.get(procurement=draft)
    assert (added.kind, added.topic, added.text, added.weight) == (
        SCORED,
        RD,
        "Describe your R&D team",
        40,
    )
    (event,) = events("added", draft)
    assert event.actor == personas.officer_a
    assert event.data == {"question_id": added.pk, "kind": SCORED, "topic": RD, "weight": 40}
    draft.refresh_from_db()
    assert section_status(draft, KEY) == SectionStatus.IN_PROGRESS


def test_save_and_add_another_comes_back_to_an_empty_form(personas, login, draft):
    client = login(personas.officer_a)
    data = {"kind": SCORED, "topic": RD, "text": "First", "weight": "50", "add_another": "yes"}

    response = client.post(url("selection-question-add", draft), data, follow=True)

    assert response.redirect_chain == [(url("selection-question-add", draft), 302)]
    assert "Question added. Add another question." in response.content.decode()
    assert not response.context["form"].is_bound
    assert SelectionQuestion.objects.filter(procurement=draft).count() == 1


def test_new_questions_go_to_the_end(personas, draft):
    first = question(draft)

    added = selection_question_add(
        actor=personas.officer_a,
        procurement=draft,
        data={"kind": PASS_FAIL, "topic": "other", "text": "Insurance", "guidance": ""},
    )

    assert added.order == first.order + 1
    assert list(draft.selection_questions.all()) == [first, added]


def test_a_question_needs_its_kind_topic_and_text(personas, login, draft):
    response = login(personas.officer_a).post(url("selection-question-add", draft), {})

    assert response.status_code == 200
    assert all_errors(response.context["form"]) == [
        "Select whether the question is pass or fail, or scored",
        "Select what the question is about",
        "Enter the question",
    ]
    assert "There is a problem" in response.content.decode()
    assert not SelectionQuestion.objects.exists()


@pytest.mark.parametrize(
    ("weight", "message"),
    [
        ("", "Enter the weight of a scored question, from 0 to 100"),
        ("ten", "Enter the weight as a whole number, like 25"),
        ("101", "The weight must be a whole number from 0 to 100"),
        ("-5", "The weight must be a whole number from 0 to 100"),
    ],
)
def test_a_scored_question_needs_a_weight_from_0_to_100(personas, login, draft, weight, message):
    data = {"kind": SCORED, "topic": RD, "text": "Describe your R&D team", "weight": weight}

    response = login(personas.officer_a).post(url("selection-question-add", draft), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {"weight": [message]}
    html = response.content.decode()
    assert "Describe your R&amp;D team</textarea>" in html  # what was typed is kept
    if weight:
        assert f'value="{weight}"' in html
    assert not SelectionQuestion.objects.exists()


def test_a_pass_or_fail_question_carries_no_weight(personas, login, draft):
    data = {"kind": PASS_FAIL, "topic": "other", "text": "Financial standing", "weight": "ten"}

    response = login(personas.officer_a).post(url("selection-question-add", draft), data)

    assert response.status_code == 302
    assert SelectionQuestion.objects.get(procurement=draft).weight is None


def test_the_database_refuses_a_weight_on_a_pass_or_fail_question(draft):
    with pytest.raises(IntegrityError):
        SelectionQuestion.objects.create(
            procurement=draft, kind=PASS_FAIL, topic="other", text="Insurance", weight=10
        )


# --- changing and removing -----------------------------------------------------------------


def test_an_officer_changes_a_question(personas, login, draft):
    existing = question(draft, SCORED, RD, 50, text="Old words")
    data = {"kind": SCORED, "topic": INNOVATION, "text": "New words", "weight": "70"}

    client = login(personas.officer_a)
    form_page = client.get(url("selection-question-change", draft, existing))
    response = client.post(url("selection-question-change", draft, existing), data)

    assert form_page.status_code == 200
    assert "Old words</textarea>" in form_page.content.decode()
    assert response.status_code == 302
    existing.refresh_from_db()
    assert (existing.topic, existing.text, existing.weight) == (INNOVATION, "New words", 70)
    (event,) = events("changed", draft)
    assert event.data["fields"] == ["text", "topic", "weight"]
    assert event.data["question_id"] == existing.pk


def test_changing_nothing_writes_no_event(personas, draft):
    existing = question(draft, SCORED, RD, 50, text="Same")
    data = {"kind": SCORED, "topic": RD, "text": "Same", "guidance": "", "weight": 50}

    selection_question_change(actor=personas.officer_a, question=existing, data=data)

    assert not events("changed", draft).exists()


def test_an_officer_removes_a_question_after_confirming(personas, login, draft):
    existing = question(draft, SCORED, RD, 50, text="Describe your lab")
    client = login(personas.officer_a)

    confirm = client.get(url("selection-question-remove", draft, existing))
    response = client.post(url("selection-question-remove", draft, existing))

    assert confirm.status_code == 200
    assert "Describe your lab" in confirm.content.decode()
    assert response.status_code == 302
    assert response["Location"] == list_page(draft)
    assert not SelectionQuestion.objects.filter(pk=existing.pk).exists()
    (event,) = events("removed", draft)
    assert event.data["question_id"] == existing.pk
    assert event.data["text"] == "Describe your lab"


def test_a_question_of_another_procurement_is_not_found(personas, login, draft):
    other = ProcurementFactory(borough=personas.borough_a, lead_officer=personas.officer_a)
    theirs = question(other)
    client = login(personas.officer_a)

    for name in ("selection-question-change", "selection-question-remove"):
        assert client.get(url(name, draft, theirs)).status_code == 404
        assert client.post(url(name, draft, theirs)).status_code == 404
    assert SelectionQuestion.objects.filter(pk=theirs.pk).exists()


# --- completing the section -----------------------------------------------------------------


def test_completing_needs_scored_questions_on_both_topics(personas, login, draft):
    question(draft, PASS_FAIL, QuestionTopic.OTHER)

    response = login(personas.officer_a).post(list_page(draft), {"completed": "yes"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"completed": [NO_RD, NO_INNOVATION]}
    draft.refresh_from_db()
    assert section_status(draft, KEY) == SectionStatus.IN_PROGRESS  # it has content


def test_completing_needs_weights_that_add_up_to_100(personas, login, draft):
    question(draft, SCORED, RD, 60)
    question(draft, SCORED, INNOVATION, 30)

    response = login(personas.officer_a).post(list_page(draft), {"completed": "yes"})

    assert response.context["form"].errors == {
        "completed": [
            "The scored questions' weights add up to 90%: change them so they add up to 100%"
        ]
    }


def test_a_complete_questionnaire_marks_the_section_completed(personas, login, draft):
    complete_questionnaire(draft)

    response = login(personas.officer_a).post(list_page(draft), {"completed": "yes"})

    assert response.status_code == 302
    assert response["Location"] == reverse("procurements:task-list", kwargs={"pk": draft.pk})
    draft.refresh_from_db()
    assert section_status(draft, KEY) == SectionStatus.COMPLETED
    assert AuditEvent.objects.filter(
        action="procurement.section_marked", data__section=KEY, data__status="completed"
    ).exists()


def test_an_unfinished_questionnaire_can_be_left_for_later(personas, login, draft):
    response = login(personas.officer_a).post(list_page(draft), {"completed": "no"})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.section_status[KEY] == SectionStatus.IN_PROGRESS


def test_the_service_refuses_to_complete_an_unfinished_questionnaire(personas, draft):
    with pytest.raises(ApplicationError, match=NO_RD):
        selection_questionnaire_mark(actor=personas.officer_a, procurement=draft, completed=True)


def test_a_change_that_breaks_a_completed_questionnaire_reopens_it(personas, draft):
    _pass_fail, rd, _innovation = complete_questionnaire(draft)
    selection_questionnaire_mark(actor=personas.officer_a, procurement=draft, completed=True)

    selection_question_remove(actor=personas.officer_a, question=rd)

    draft.refresh_from_db()
    assert section_status(draft, KEY) == SectionStatus.IN_PROGRESS


def test_a_change_that_keeps_it_complete_leaves_it_completed(personas, draft):
    pass_fail, _rd, _innovation = complete_questionnaire(draft)
    selection_questionnaire_mark(actor=personas.officer_a, procurement=draft, completed=True)

    selection_question_remove(actor=personas.officer_a, question=pass_fail)

    draft.refresh_from_db()
    assert section_status(draft, KEY) == SectionStatus.COMPLETED


# --- who may --------------------------------------------------------------------------------


def every_page(procurement, existing):
    return [
        list_page(procurement),
        url("selection-question-add", procurement),
        url("selection-question-change", procurement, existing),
        url("selection-question-remove", procurement, existing),
    ]


VALID_QUESTION = {"kind": SCORED, "topic": RD, "text": "Changed", "weight": "10"}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("officer_b", 404),
        ("supplier_a_admin", 404),
        ("consortium_member", 404),
        ("superuser", 404),
        ("approver_a", 403),
        ("borough_admin_a", 403),
    ],
)
def test_only_the_boroughs_officers_may_change_the_questionnaire(
    personas, login, draft, persona, status
):
    existing = question(draft, SCORED, RD, 50, text="Unchanged")
    client = login(getattr(personas, persona))

    for page in every_page(draft, existing):
        assert client.get(page).status_code == status, page
        assert client.post(page, {**VALID_QUESTION, "completed": "no"}).status_code == status

    assert list(SelectionQuestion.objects.values_list("text", flat=True)) == ["Unchanged"]
    assert KEY not in draft.section_status


def test_the_questionnaire_cannot_change_once_submitted_for_approval(personas, login, draft):
    existing = question(draft, SCORED, RD, 50, text="Unchanged")
    submitted(draft)
    client = login(personas.officer_a)

    for page in every_page(draft, existing):
        assert client.get(page).status_code == 403, page
        assert client.post(page, {**VALID_QUESTION, "completed": "no"}).status_code == 403

    assert list(SelectionQuestion.objects.values_list("text", flat=True)) == ["Unchanged"]


def test_anonymous_people_are_sent_to_sign_in(client, draft):
    response = client.get(list_page(draft))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_services_refuse_a_submitted_procurement(personas, draft):
    existing = question(draft)
    submitted(draft)
    data = {"kind": SCORED, "topic": RD, "text": "x", "guidance": "", "weight": 5}

    with pytest.raises(PermissionRefused):
        selection_question_add(actor=personas.officer_a, procurement=draft, data=data)
    with pytest.raises(PermissionRefused):
        selection_question_change(actor=personas.officer_a, question=existing, data=data)
    with pytest.raises(PermissionRefused):
        selection_question_remove(actor=personas.officer_a, question=existing)

    assert list(SelectionQuestion.objects.all()) == [existing]
    assert not AuditEvent.objects.filter(action__startswith="partners.").exists()


def test_the_services_refuse_another_boroughs_officer(personas, draft):
    data = {"kind": SCORED, "topic": RD, "text": "x", "guidance": "", "weight": 5}

    with pytest.raises(PermissionRefused):
        selection_question_add(actor=personas.officer_b, procurement=draft, data=data)


# --- the section: facts, summary, query budget ---------------------------------------------------


def test_the_section_is_registered_with_the_requirements():
    section = builder_section_get(KEY)

    assert section.group == "Set the requirements and how tenders are judged"
    assert section.url_name == "partners:selection-questionnaire"
    assert section.facts is selection_questionnaire_facts


def test_the_facts_count_the_questions_and_list_the_scored_weights(draft):
    assert selection_questionnaire_facts(draft) == {
        "selection_question_count": 0,
        "selection_weights": [],
        "selection_unscored_topics": [
            "Capability in research and development",
            "Developing and implementing innovative solutions",
        ],
    }

    complete_questionnaire(draft)

    assert selection_questionnaire_facts(draft) == {
        "selection_question_count": 3,
        "selection_weights": [60, 40],
        "selection_unscored_topics": [],
    }


def test_the_summary_lists_each_question_in_words(draft):
    question(draft, PASS_FAIL, QuestionTopic.OTHER, text="Financial standing")
    question(draft, SCORED, RD, 60, text="Your research team")

    assert selection_questionnaire_summary(draft) == [
        ("Question 1", "Financial standing (Other, for example financial standing; Pass or fail)"),
        ("Question 2", "Your research team (Capability in research and development; Scored, 60%)"),
    ]


def test_the_list_page_queries_do_not_grow_with_its_questions(personas, login, draft):
    client = login(personas.officer_a)

    def add_questions(n):
        for i in range(n):
            question(draft, PASS_FAIL if i % 3 == 0 else SCORED, RD, 5)

    assert_query_budget(client, list_page(draft), add_rows=add_questions, most=10, sizes=(1, 20))


def test_the_section_reads_only_the_prefetch_made_for_every_section(
    draft, django_assert_num_queries
):
    complete_questionnaire(draft)
    procurement = procurement_prefetch_sections(Procurement.objects.get(pk=draft.pk))

    with django_assert_num_queries(0):
        section = builder_section_get(KEY)
        assert section.has_content(procurement) is True
        assert section.facts(procurement)["selection_weights"] == [60, 40]
        assert len(section.summary(procurement)) == 3
