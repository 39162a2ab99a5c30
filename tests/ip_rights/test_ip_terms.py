"""The IP terms section of the procurement builder: page, service, completion, facts."""

import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent
from ip_rights.models import BenefitShare, ForegroundOwner, IPTerms
from ip_rights.sections import KEY, ip_terms_facts, ip_terms_summary
from ip_rights.services import ip_terms_save
from procurements.models import Procurement, SectionStatus
from procurements.registry import builder_section_get
from procurements.selectors import procurement_prefetch_sections
from procurements.services.sections import section_status
from tests.factories import ProcurementFactory

COMPLETE = {
    "foreground_owner": ForegroundOwner.PARTNER,
    "licence_scope": "Use, copy and adapt the solution for the borough's own services.",
    "licence_term": "Perpetual",
    "licence_sublicensable": "True",
    "benefit_share": BenefitShare.ROYALTY,
    "benefit_percentage": "2.5",
    "benefit_trigger": "Sales to other public bodies after the pilot",
    "background_ip_rules": "Partners keep their background IP; the borough gets a free "
    "licence to what it needs to use the result.",
    "confidentiality_note": "",
}
COMPLETE_DATA = {
    **COMPLETE,
    "licence_sublicensable": True,
    "benefit_percentage": Decimal("2.5"),
}
EVERY_MISSING_ANSWER = [
    "Select who will own the foreground IP",
    "Enter what the borough's licence lets it do",
    "Enter how long the borough's licence lasts",
    "Select whether the borough may sublicense",
    "Select the borough's share of commercial benefits",
    "Enter the rules for background IP",
]


@pytest.fixture
def draft(personas):
    return ProcurementFactory(borough=personas.borough_a, lead_officer=personas.officer_a)


def page(procurement):
    return reverse("ip_rights:ip-terms", kwargs={"pk": procurement.pk})


def task_list(procurement):
    return reverse("procurements:task-list", kwargs={"pk": procurement.pk})


def terms_events(procurement):
    return AuditEvent.objects.filter(
        action="ip_rights.terms_saved", target_id=str(procurement.pk)
    ).order_by("pk")


def submitted(procurement):
    procurement.submit_for_approval()
    procurement.save()
    return procurement


# --- the page ---------------------------------------------------------------------------


def test_officer_sees_every_question_of_the_ip_terms(personas, login, draft):
    response = login(personas.officer_a).get(page(draft))

    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    for label in [
        "Who will own the foreground IP?",
        "What does the borough's licence let it do?",
        "How long does the licence last?",
        "May the borough sublicense, for example to other public bodies?",
        "What share of commercial benefits does the borough get?",
        "The borough's share, as a percentage",
        "What are the rules for background IP?",
        "without that partner's consent for that specific information",
        "Have you completed this section?",
    ]:
        assert label in text


def test_a_half_finished_page_saves_and_the_section_is_in_progress(personas, login, draft):
    response = login(personas.officer_a).post(
        page(draft), {"foreground_owner": ForegroundOwner.JOINT, "completed": "no"}
    )

    assert response.status_code == 302
    assert response["Location"] == task_list(draft)
    terms = IPTerms.objects.get(procurement=draft)
    assert terms.foreground_owner == ForegroundOwner.JOINT
    assert terms.licence_scope == ""
    draft.refresh_from_db()
    assert section_status(draft, KEY) == SectionStatus.IN_PROGRESS
    (event,) = terms_events(draft)
    assert event.actor == personas.officer_a
    assert event.data == {"fields": ["foreground_owner"], "created": True}


def test_completing_the_terms_needs_every_answer_and_says_which(personas, login, draft):
    response = login(personas.officer_a).post(
        page(draft), {"licence_term": "Ten years", "completed": "yes"}
    )

    assert response.status_code == 200
    form = response.context["form"]
    errors = [error for field_errors in form.errors.values() for error in field_errors]
    assert errors == [m for m in EVERY_MISSING_ANSWER if "how long" not in m]
    content = response.content.decode()
    assert "There is a problem" in content
    assert 'value="Ten years"' in content  # what was typed is kept
    assert not IPTerms.objects.filter(procurement=draft).exists()
    assert not terms_events(draft).exists()


def test_a_share_of_benefits_needs_its_percentage_and_trigger(personas, login, draft):
    data = {**COMPLETE, "benefit_percentage": "", "benefit_trigger": "", "completed": "yes"}

    response = login(personas.officer_a).post(page(draft), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "benefit_percentage": ["Enter the borough's share as a percentage"],
        "benefit_trigger": ["Enter when the borough's share becomes payable"],
    }


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("150", "The borough's share must be between 0% and 100%"),
        ("-1", "The borough's share must be between 0% and 100%"),
        ("five", "Enter the borough's share as a number, like 5 or 2.5"),
        ("2.555", "Enter the borough's share with no more than 2 decimal places"),
    ],
)
def test_a_percentage_that_is_not_one_is_refused_and_kept(personas, login, draft, typed, message):
    response = login(personas.officer_a).post(
        page(draft), {"benefit_percentage": typed, "completed": "no"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"benefit_percentage": [message]}
    assert f'value="{typed}"' in response.content.decode()
    assert not IPTerms.objects.filter(procurement=draft).exists()


def test_complete_terms_mark_the_section_completed(personas, login, draft):
    response = login(personas.officer_a).post(page(draft), {**COMPLETE, "completed": "yes"})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert section_status(draft, KEY) == SectionStatus.COMPLETED
    terms = IPTerms.objects.get(procurement=draft)
    assert terms.licence_sublicensable is True
    assert terms.benefit_percentage == Decimal("2.50")
    assert ip_terms_facts(draft) == {"ip_terms_complete": True}


def test_the_page_shows_what_was_saved(personas, login, draft):
    ip_terms_save(actor=personas.officer_a, procurement=draft, data=COMPLETE_DATA, completed=True)

    response = login(personas.officer_a).get(page(draft))

    content = response.content.decode()
    assert 'value="Perpetual"' in content
    assert 'value="2.50"' in content
    assert re.search(r'name="licence_sublicensable" value="True"[^>]*checked', content)
    assert re.search(r'name="benefit_share" value="royalty"[^>]*checked', content)
    assert response.context["form"]["completed"].value() == "yes"


# --- who may ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("officer_b", 404),
        ("supplier_a_admin", 404),
        ("supplier_b_member", 404),
        ("superuser", 404),
        ("approver_a", 403),
        ("evaluator_a", 404),  # not named on it: evaluators are invited per procurement
    ],
)
def test_only_the_boroughs_officers_may_change_the_terms(personas, login, draft, persona, status):
    client = login(getattr(personas, persona))

    assert client.get(page(draft)).status_code == status
    assert client.post(page(draft), {**COMPLETE, "completed": "yes"}).status_code == status
    assert not IPTerms.objects.filter(procurement=draft).exists()


def test_anonymous_people_are_sent_to_sign_in(client, draft):
    response = client.get(page(draft))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_terms_cannot_change_once_submitted_for_approval(personas, login, draft):
    submitted(draft)
    client = login(personas.officer_a)

    assert client.get(page(draft)).status_code == 403
    assert client.post(page(draft), {**COMPLETE, "completed": "yes"}).status_code == 403
    assert not IPTerms.objects.filter(procurement=draft).exists()


def test_the_service_refuses_a_submitted_procurement(personas, draft):
    submitted(draft)

    with pytest.raises(PermissionRefused):
        ip_terms_save(
            actor=personas.officer_a, procurement=draft, data=COMPLETE_DATA, completed=True
        )

    assert not IPTerms.objects.filter(procurement=draft).exists()


def test_the_service_refuses_another_boroughs_officer(personas, draft):
    with pytest.raises(PermissionRefused):
        ip_terms_save(
            actor=personas.officer_b, procurement=draft, data=COMPLETE_DATA, completed=False
        )

    assert not IPTerms.objects.filter(procurement=draft).exists()
    assert not terms_events(draft).exists()


# --- the service --------------------------------------------------------------------------


def test_the_service_refuses_to_complete_unfinished_terms(personas, draft):
    with pytest.raises(ApplicationError, match="Enter the rules for background IP"):
        ip_terms_save(
            actor=personas.officer_a,
            procurement=draft,
            data={**COMPLETE_DATA, "background_ip_rules": ""},
            completed=True,
        )

    assert not IPTerms.objects.filter(procurement=draft).exists()
    assert not terms_events(draft).exists()


def test_choosing_no_share_clears_the_percentage_and_trigger(personas, draft):
    ip_terms_save(actor=personas.officer_a, procurement=draft, data=COMPLETE_DATA, completed=True)

    terms = ip_terms_save(
        actor=personas.officer_a,
        procurement=draft,
        data={**COMPLETE_DATA, "benefit_share": BenefitShare.NONE},
        completed=True,
    )

    terms.refresh_from_db()
    assert terms.benefit_percentage is None
    assert terms.benefit_trigger == ""
    assert terms_events(draft).last().data == {
        "fields": ["benefit_percentage", "benefit_share", "benefit_trigger"],
        "created": False,
    }


def test_saving_nothing_new_writes_no_terms_event(personas, draft):
    ip_terms_save(actor=personas.officer_a, procurement=draft, data=COMPLETE_DATA, completed=True)

    ip_terms_save(actor=personas.officer_a, procurement=draft, data=COMPLETE_DATA, completed=True)

    assert terms_events(draft).count() == 1


# --- the section: facts and summary --------------------------------------------------------


def test_the_section_is_registered_to_plan_the_partnership():
    section = builder_section_get(KEY)

    assert section.group == "Plan the partnership"
    assert section.url_name == "ip_rights:ip-terms"
    assert section.facts is ip_terms_facts


def test_terms_are_not_complete_before_any_are_saved(draft):
    assert ip_terms_facts(draft) == {"ip_terms_complete": False}
    assert section_status(draft, KEY) == SectionStatus.NOT_STARTED


def test_half_finished_terms_are_not_complete(personas, draft):
    data = {**COMPLETE_DATA, "benefit_trigger": ""}
    ip_terms_save(actor=personas.officer_a, procurement=draft, data=data, completed=False)

    assert ip_terms_facts(draft) == {"ip_terms_complete": False}


def test_terms_without_a_share_are_complete_without_percentage(personas, draft):
    data = {
        **COMPLETE_DATA,
        "benefit_share": BenefitShare.NONE,
        "benefit_percentage": None,
        "benefit_trigger": "",
    }
    ip_terms_save(actor=personas.officer_a, procurement=draft, data=data, completed=True)

    assert ip_terms_facts(draft) == {"ip_terms_complete": True}


def test_the_summary_reads_the_terms_in_words(personas, draft):
    ip_terms_save(actor=personas.officer_a, procurement=draft, data=COMPLETE_DATA, completed=True)
    draft.refresh_from_db()

    assert ip_terms_summary(draft) == [
        ("Who owns the foreground IP", "The partner"),
        ("What the borough's licence lets it do", COMPLETE["licence_scope"]),
        ("How long the licence lasts", "Perpetual"),
        ("The borough may sublicense", "Yes"),
        (
            "The borough's share of commercial benefits",
            "A royalty, 2.5%, Sales to other public bodies after the pilot",
        ),
        ("Background IP", COMPLETE["background_ip_rules"]),
        ("Confidentiality", ""),
    ]


@pytest.mark.parametrize("saved", [False, True])
def test_the_section_reads_only_the_prefetch_made_for_every_section(
    personas, draft, django_assert_num_queries, saved
):
    if saved:
        ip_terms_save(
            actor=personas.officer_a, procurement=draft, data=COMPLETE_DATA, completed=True
        )
    procurement = procurement_prefetch_sections(Procurement.objects.get(pk=draft.pk))

    with django_assert_num_queries(0):
        section = builder_section_get(KEY)
        assert section.has_content(procurement) is saved
        assert section.facts(procurement) == {"ip_terms_complete": saved}
        assert len(section.summary(procurement)) == 7
