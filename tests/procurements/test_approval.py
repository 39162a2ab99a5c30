"""Four eyes: the lead officer submits, an approver who did not write it approves or returns,
and only an approved procurement that still keeps the rules is published."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from core.calendar import working_day_on_or_after
from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent, OfficerRole
from procurements import registry
from procurements.models import (
    ApprovalReview,
    AwardCriterion,
    InterestRegistration,
    MinimumRequirement,
    Procurement,
    ProcurementStatus,
    ReviewDecision,
)
from procurements.registry import BuilderSection
from procurements.rules import publication_breaches
from procurements.services.approval import (
    AUTHOR_CANNOT_APPROVE,
    COMMENTS_REQUIRED,
    PublicationRulesBroken,
    procurement_approve,
    procurement_publish,
    procurement_reopen,
    procurement_return,
    procurement_submit_for_approval,
)
from tests import factories
from tests.procurements.publication_samples import at_noon, today
from tests.query_budget import assert_query_budget

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bank_holidays")]

TEST_SECTION = "approval-test-plan"


@pytest.fixture(autouse=True)
def phase_plan_ip_and_selection(monkeypatch):
    """The facts the other apps give (phases, selection questions, IP terms), complete."""
    phase = {
        "gate_criteria_count": 2,
        "termination_condition_count": 1,
        "max_remuneration_per_partner": Decimal("100000"),
    }
    monkeypatch.setitem(
        registry._SECTIONS,
        TEST_SECTION,
        BuilderSection(
            key=TEST_SECTION,
            title="Phase plan, selection and IP (complete)",
            order=10_000,
            url_name="procurements:task-list",
            has_content=lambda procurement: True,
            summary=lambda procurement: [("Phases", ["Research", "Pilot"])],
            facts=lambda procurement: {
                "phases": [
                    {**phase, "name": "Research", "kind": "research"},
                    {**phase, "name": "Pilot", "kind": "pilot"},
                ],
                "purchase_max_cost": Decimal("300000"),
                "selection_question_count": 3,
                "selection_weights": [60, 40],
                "selection_unscored_topics": [],
                "ip_terms_complete": True,
            },
        ),
    )


def complete_procurement(personas, status=ProcurementStatus.DRAFT, **fields) -> Procurement:
    """A procurement of borough A that keeps every rule, led by officer A, for approver A."""
    notice = working_day_on_or_after(today() + timedelta(days=7))
    values = {
        "borough": personas.borough_a,
        "lead_officer": personas.officer_a,
        "approver": personas.approver_a,
        "status": status,
        "problem": "Older residents fall at home and lie undiscovered for hours.",
        "outcomes": "Falls are detected within a minute, without a wearable.",
        "outcome_measures": "Time from a fall to an alert, measured in a pilot of 50 homes.",
        "market_gap": "No product on the market detects falls without a wearable.",
        "notice_date": notice,
        "question_deadline": at_noon(working_day_on_or_after(notice + timedelta(days=10))),
        "participation_deadline": at_noon(working_day_on_or_after(notice + timedelta(days=40))),
        "number_to_invite": 3,
        "max_partners": 2,
        "estimated_value": Decimal("1000000"),
    }
    values.update(fields)
    procurement = factories.ProcurementFactory(**values)
    MinimumRequirement.objects.create(procurement=procurement, text="Works without a wearable")
    AwardCriterion.objects.create(procurement=procurement, kind="quality", name="Q", weight=60)
    AwardCriterion.objects.create(procurement=procurement, kind="price", name="P", weight=40)
    return procurement


def status_of(procurement) -> str:
    return Procurement.objects.get(pk=procurement.pk).status


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def test_a_complete_procurement_breaks_no_rule(personas):
    assert publication_breaches(complete_procurement(personas), today=today()) == []


# -- submit for approval -----------------------------------------------------------------------


def test_the_lead_officer_submits_and_the_approver_is_emailed_after_commit(
    personas, django_capture_on_commit_callbacks
):
    procurement = complete_procurement(personas)
    with django_capture_on_commit_callbacks() as callbacks:
        procurement_submit_for_approval(actor=personas.officer_a, procurement=procurement)
        assert mail.outbox == []  # nothing before the commit

    assert status_of(procurement) == ProcurementStatus.AWAITING_APPROVAL
    [event] = events("procurement.submitted_for_approval")
    assert event.actor == personas.officer_a
    assert event.target_id == str(procurement.pk)
    assert event.data == {"from": "draft", "to": "awaiting_approval"}
    assert len(callbacks) == 1
    callbacks[0]()
    [email] = mail.outbox
    assert email.to == [personas.approver_a.email]
    assert procurement.reference in email.subject
    assert reverse("procurements:review", kwargs={"pk": procurement.pk}) in email.body


def test_submitting_a_procurement_that_breaks_rules_lists_every_breach_and_changes_nothing(
    personas, django_capture_on_commit_callbacks
):
    procurement = complete_procurement(personas, market_gap="", number_to_invite=2)
    AwardCriterion.objects.filter(procurement=procurement, name="P").update(weight=39)

    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(PublicationRulesBroken) as refused,
    ):
        procurement_submit_for_approval(actor=personas.officer_a, procurement=procurement)

    breaches = refused.value.extra["breaches"]
    assert [breach.rule for breach in breaches] == [
        "market_gap",
        "number_to_invite",
        "award_weights",
    ]
    assert "The award criteria weights add up to 99%" in breaches[2].message
    assert refused.value.message == (
        "This procurement cannot be submitted for approval yet: 3 things need fixing first."
    )
    assert status_of(procurement) == ProcurementStatus.DRAFT
    assert events("procurement.submitted_for_approval") == []
    assert callbacks == []


@pytest.mark.parametrize("who", ["approver_a", "evaluator_a", "borough_admin_a", "officer_b"])
def test_only_the_lead_officer_may_submit(personas, who):
    procurement = complete_procurement(personas)
    with pytest.raises(PermissionRefused, match="Only the lead officer"):
        procurement_submit_for_approval(actor=getattr(personas, who), procurement=procurement)
    assert status_of(procurement) == ProcurementStatus.DRAFT


def test_another_officer_of_the_borough_may_not_submit(personas):
    procurement = complete_procurement(personas)
    colleague = factories.officer(personas.borough_a, OfficerRole.OFFICER)
    with pytest.raises(PermissionRefused):
        procurement_submit_for_approval(actor=colleague, procurement=procurement)
    assert status_of(procurement) == ProcurementStatus.DRAFT


@pytest.mark.parametrize(
    "status",
    [
        ProcurementStatus.AWAITING_APPROVAL,
        ProcurementStatus.APPROVED,
        ProcurementStatus.PUBLISHED,
        ProcurementStatus.CANCELLED,
    ],
)
def test_only_a_draft_can_be_submitted(personas, status):
    procurement = complete_procurement(personas, status=status)
    with pytest.raises(ApplicationError, match="only a procurement that is a draft") as refused:
        procurement_submit_for_approval(actor=personas.officer_a, procurement=procurement)
    assert not isinstance(refused.value, PermissionRefused)
    assert status_of(procurement) == status


# -- approve -----------------------------------------------------------------------------------


def test_the_approver_approves_with_comments_and_the_lead_officer_is_emailed(
    personas, django_capture_on_commit_callbacks
):
    procurement = complete_procurement(personas, status=ProcurementStatus.AWAITING_APPROVAL)
    with django_capture_on_commit_callbacks(execute=True):
        review = procurement_approve(
            actor=personas.approver_a, procurement=procurement, comments="  Clear and fair.  "
        )

    assert status_of(procurement) == ProcurementStatus.APPROVED
    assert (review.decision, review.comments, review.reviewer) == (
        ReviewDecision.APPROVED,
        "Clear and fair.",
        personas.approver_a,
    )
    [event] = events("procurement.approved")
    assert event.actor == personas.approver_a
    assert event.data == {
        "from": "awaiting_approval",
        "to": "approved",
        "review_id": review.pk,
        "comments": "Clear and fair.",
    }
    [email] = mail.outbox
    assert email.to == [personas.officer_a.email]
    assert "Clear and fair." in email.body


def test_an_approver_cannot_approve_a_procurement_they_wrote(personas):
    author = factories.officer(personas.borough_a, OfficerRole.OFFICER, OfficerRole.APPROVER)
    procurement = complete_procurement(
        personas,
        status=ProcurementStatus.AWAITING_APPROVAL,
        created_by=author,
        approver=None,
    )
    with pytest.raises(PermissionRefused) as refused:
        procurement_approve(actor=author, procurement=procurement)
    assert refused.value.message == AUTHOR_CANNOT_APPROVE
    assert AUTHOR_CANNOT_APPROVE == (
        "You cannot approve a procurement you wrote: another approver must (four eyes)."
    )
    assert status_of(procurement) == ProcurementStatus.AWAITING_APPROVAL
    assert not ApprovalReview.objects.exists()


def test_a_lead_officer_who_is_also_an_approver_cannot_approve_or_return_it(personas):
    lead = factories.officer(personas.borough_a, OfficerRole.OFFICER, OfficerRole.APPROVER)
    procurement = complete_procurement(
        personas, status=ProcurementStatus.AWAITING_APPROVAL, lead_officer=lead, approver=None
    )
    with pytest.raises(PermissionRefused, match="four eyes"):
        procurement_approve(actor=lead, procurement=procurement)
    with pytest.raises(PermissionRefused, match="four eyes"):
        procurement_return(actor=lead, procurement=procurement, comments="Looks fine to me")


@pytest.mark.parametrize("who", ["evaluator_a", "borough_admin_a"])
def test_someone_who_is_not_an_approver_cannot_approve(personas, who):
    procurement = complete_procurement(personas, status=ProcurementStatus.AWAITING_APPROVAL)
    with pytest.raises(PermissionRefused, match="Only an approver of London Borough of Aldgate"):
        procurement_approve(actor=getattr(personas, who), procurement=procurement)
    assert status_of(procurement) == ProcurementStatus.AWAITING_APPROVAL


def test_an_approver_of_another_borough_cannot_approve(personas):
    approver_b = factories.officer(personas.borough_b, OfficerRole.APPROVER)
    procurement = complete_procurement(
        personas, status=ProcurementStatus.AWAITING_APPROVAL, approver=None
    )
    with pytest.raises(PermissionRefused):
        procurement_approve(actor=approver_b, procurement=procurement)
    assert status_of(procurement) == ProcurementStatus.AWAITING_APPROVAL


def test_when_an_approver_is_named_another_approver_cannot_approve(personas):
    other = factories.officer(personas.borough_a, OfficerRole.APPROVER)
    procurement = complete_procurement(personas, status=ProcurementStatus.AWAITING_APPROVAL)
    with pytest.raises(PermissionRefused, match="names another approver"):
        procurement_approve(actor=other, procurement=procurement)


@pytest.mark.parametrize(
    "status",
    [
        ProcurementStatus.DRAFT,
        ProcurementStatus.APPROVED,
        ProcurementStatus.PUBLISHED,
        ProcurementStatus.CANCELLED,
    ],
)
def test_only_a_procurement_awaiting_approval_can_be_approved_or_returned(personas, status):
    procurement = complete_procurement(personas, status=status)
    with pytest.raises(ApplicationError, match="only a procurement that is awaiting approval"):
        procurement_approve(actor=personas.approver_a, procurement=procurement)
    with pytest.raises(ApplicationError, match="only a procurement that is awaiting approval"):
        procurement_return(actor=personas.approver_a, procurement=procurement, comments="No")
    assert status_of(procurement) == status
    assert not ApprovalReview.objects.exists()


def test_approval_checks_the_rules_again(personas):
    procurement = complete_procurement(
        personas, status=ProcurementStatus.AWAITING_APPROVAL, estimated_value=Decimal("1")
    )
    with pytest.raises(PublicationRulesBroken) as refused:
        procurement_approve(actor=personas.approver_a, procurement=procurement)
    assert [breach.rule for breach in refused.value.breaches] == [
        "remuneration_within_estimated_value"
    ]
    assert status_of(procurement) == ProcurementStatus.AWAITING_APPROVAL
    assert events("procurement.approved") == []


def test_an_approval_rolled_back_leaves_no_review_no_event_and_sends_no_email(
    personas, django_capture_on_commit_callbacks
):
    procurement = complete_procurement(personas, status=ProcurementStatus.AWAITING_APPROVAL)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        procurement_approve(actor=personas.approver_a, procurement=procurement)
        raise RuntimeError("the request failed after the approval")
    assert callbacks == []
    assert mail.outbox == []
    assert status_of(procurement) == ProcurementStatus.AWAITING_APPROVAL
    assert not ApprovalReview.objects.exists()
    assert events("procurement.approved") == []


# -- return with comments ----------------------------------------------------------------------


@pytest.mark.parametrize("comments", ["", "   \n "])
def test_returning_needs_comments(personas, comments):
    procurement = complete_procurement(personas, status=ProcurementStatus.AWAITING_APPROVAL)
    with pytest.raises(ApplicationError) as refused:
        procurement_return(actor=personas.approver_a, procurement=procurement, comments=comments)
    assert refused.value.message == COMMENTS_REQUIRED
    assert status_of(procurement) == ProcurementStatus.AWAITING_APPROVAL
    assert not ApprovalReview.objects.exists()


def test_the_approver_returns_it_as_a_draft_with_comments(
    personas, django_capture_on_commit_callbacks
):
    procurement = complete_procurement(personas, status=ProcurementStatus.AWAITING_APPROVAL)
    comments = "The pilot phase needs a clearer gate on falls detected."
    with django_capture_on_commit_callbacks(execute=True):
        review = procurement_return(
            actor=personas.approver_a, procurement=procurement, comments=comments
        )

    assert status_of(procurement) == ProcurementStatus.DRAFT
    assert (review.decision, review.comments) == (ReviewDecision.RETURNED, comments)
    [event] = events("procurement.returned")
    assert event.actor == personas.approver_a
    assert event.data["comments"] == comments
    assert (event.data["from"], event.data["to"]) == ("awaiting_approval", "draft")
    [email] = mail.outbox
    assert email.to == [personas.officer_a.email]
    assert comments in email.body


def test_a_returned_procurement_can_be_fixed_submitted_and_approved(personas):
    procurement = complete_procurement(personas, status=ProcurementStatus.AWAITING_APPROVAL)
    procurement_return(actor=personas.approver_a, procurement=procurement, comments="Fix it")
    procurement_submit_for_approval(actor=personas.officer_a, procurement=procurement)
    procurement_approve(actor=personas.approver_a, procurement=procurement)
    assert status_of(procurement) == ProcurementStatus.APPROVED
    assert list(
        ApprovalReview.objects.order_by("created_at").values_list("decision", flat=True)
    ) == [ReviewDecision.RETURNED, ReviewDecision.APPROVED]


# -- publish -----------------------------------------------------------------------------------


def test_the_lead_officer_publishes_an_approved_procurement(
    personas, django_capture_on_commit_callbacks
):
    procurement = complete_procurement(personas, status=ProcurementStatus.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        procurement_publish(actor=personas.officer_a, procurement=procurement)

    published = Procurement.objects.get(pk=procurement.pk)
    assert published.status == ProcurementStatus.PUBLISHED
    assert published.published_at is not None
    [event] = events("procurement.published")
    assert event.actor == personas.officer_a
    assert event.data["published_at"] == published.published_at.isoformat()
    assert [email.to for email in mail.outbox] == [[personas.approver_a.email]]


def test_publishing_tells_every_follower_once_it_has_committed(
    personas, django_capture_on_commit_callbacks
):
    procurement = complete_procurement(personas, status=ProcurementStatus.APPROVED)
    InterestRegistration.objects.create(
        procurement=procurement,
        organisation=personas.supplier_b_admin.supplier_membership.organisation,
        registered_by=personas.supplier_b_admin,
    )
    with django_capture_on_commit_callbacks() as callbacks:
        procurement_publish(actor=personas.officer_a, procurement=procurement)
        assert mail.outbox == []

    for callback in callbacks:
        callback()
    followers = [email for email in mail.outbox if email.to == [personas.supplier_b_admin.email]]
    assert len(followers) == 1
    assert reverse("opportunities:detail", kwargs={"pk": procurement.pk}) in followers[0].body


@pytest.mark.parametrize(
    "status",
    [
        ProcurementStatus.DRAFT,
        ProcurementStatus.AWAITING_APPROVAL,
        ProcurementStatus.PUBLISHED,
        ProcurementStatus.CANCELLED,
    ],
)
def test_only_an_approved_procurement_can_be_published(personas, status):
    procurement = complete_procurement(personas, status=status)
    with pytest.raises(ApplicationError, match="only a procurement that is approved"):
        procurement_publish(actor=personas.officer_a, procurement=procurement)
    assert status_of(procurement) == status
    assert events("procurement.published") == []


@pytest.mark.parametrize("who", ["approver_a", "evaluator_a", "borough_admin_a", "officer_b"])
def test_only_the_lead_officer_may_publish(personas, who):
    procurement = complete_procurement(personas, status=ProcurementStatus.APPROVED)
    with pytest.raises(PermissionRefused, match="Only the lead officer"):
        procurement_publish(actor=getattr(personas, who), procurement=procurement)
    assert status_of(procurement) == ProcurementStatus.APPROVED


def test_publishing_is_refused_once_the_deadline_has_come_too_close(personas):
    # Approved with a notice date that has passed: counted from today, 20 days is too short.
    deadline = working_day_on_or_after(today() + timedelta(days=20))
    procurement = complete_procurement(
        personas,
        status=ProcurementStatus.APPROVED,
        notice_date=today() - timedelta(days=10),
        question_deadline=at_noon(working_day_on_or_after(today() + timedelta(days=1))),
        participation_deadline=at_noon(deadline),
    )
    with pytest.raises(PublicationRulesBroken) as refused:
        procurement_publish(actor=personas.officer_a, procurement=procurement)
    [breach] = refused.value.breaches
    assert breach.rule == "participation_period"
    assert "counted from today" in breach.message
    assert status_of(procurement) == ProcurementStatus.APPROVED


# -- reopen an approved procurement ------------------------------------------------------------


def test_the_lead_officer_reopens_an_approved_procurement_with_a_reason(
    personas, django_capture_on_commit_callbacks
):
    procurement = complete_procurement(personas, status=ProcurementStatus.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        procurement_reopen(
            actor=personas.officer_a, procurement=procurement, reason="Deadline too close"
        )
    assert status_of(procurement) == ProcurementStatus.DRAFT
    [event] = events("procurement.reopened")
    assert (event.actor, event.data["reason"]) == (personas.officer_a, "Deadline too close")
    assert [email.to for email in mail.outbox] == [[personas.approver_a.email]]


def test_reopening_needs_a_reason_the_lead_officer_and_an_approved_procurement(personas):
    approved = complete_procurement(personas, status=ProcurementStatus.APPROVED)
    with pytest.raises(ApplicationError, match="Enter why"):
        procurement_reopen(actor=personas.officer_a, procurement=approved, reason=" ")
    with pytest.raises(PermissionRefused):
        procurement_reopen(actor=personas.approver_a, procurement=approved, reason="Why not")
    published = complete_procurement(personas, status=ProcurementStatus.PUBLISHED)
    with pytest.raises(ApplicationError, match="only a procurement that is approved"):
        procurement_reopen(actor=personas.officer_a, procurement=published, reason="Change")
    assert status_of(approved) == ProcurementStatus.APPROVED
    assert status_of(published) == ProcurementStatus.PUBLISHED


# -- the pages ---------------------------------------------------------------------------------


def test_the_task_list_offers_the_lead_officer_the_submit_button(login, personas):
    procurement = complete_procurement(personas)
    html = login(personas.officer_a).get(procurement.get_absolute_url()).content.decode()
    assert reverse("procurements:submit", kwargs={"pk": procurement.pk}) in html
    assert reverse("procurements:review", kwargs={"pk": procurement.pk}) not in html


def test_a_refused_submission_shows_one_error_per_breach_linking_to_the_section(login, personas):
    procurement = complete_procurement(personas, market_gap="")
    AwardCriterion.objects.filter(procurement=procurement, name="P").update(weight=39)
    client = login(personas.officer_a)

    response = client.post(reverse("procurements:submit", kwargs={"pk": procurement.pk}))

    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert html.count("<li><a href=") == 2
    market_gap = reverse("procurements:market-gap", kwargs={"pk": procurement.pk})
    assert f'<a href="{market_gap}">The reason nothing on the market meets the need' in html
    assert "The award criteria weights add up to 99%" in html
    assert status_of(procurement) == ProcurementStatus.DRAFT
    assert Procurement.objects.get(pk=procurement.pk).market_gap == ""


def test_submitting_from_the_page_redirects_to_the_task_list(login, personas):
    procurement = complete_procurement(personas)
    response = login(personas.officer_a).post(
        reverse("procurements:submit", kwargs={"pk": procurement.pk})
    )
    assert response.status_code == 302
    assert response["Location"] == procurement.get_absolute_url()
    assert status_of(procurement) == ProcurementStatus.AWAITING_APPROVAL


def test_submitting_someone_elses_procurement_from_the_page_is_forbidden(login, personas):
    procurement = complete_procurement(personas)
    url = reverse("procurements:submit", kwargs={"pk": procurement.pk})
    assert login(personas.approver_a).post(url).status_code == 403
    assert status_of(procurement) == ProcurementStatus.DRAFT


def test_publishing_someone_elses_procurement_from_the_page_is_forbidden(login, personas):
    procurement = complete_procurement(personas, status=ProcurementStatus.APPROVED)
    url = reverse("procurements:publish", kwargs={"pk": procurement.pk})
    colleague = factories.officer(personas.borough_a, OfficerRole.OFFICER)
    for who in (personas.approver_a, colleague):
        assert login(who).post(url).status_code == 403
    assert status_of(procurement) == ProcurementStatus.APPROVED
    assert events("procurement.published") == []


def test_an_officer_of_another_borough_gets_404_from_every_approval_step(login, personas):
    procurement = complete_procurement(personas, status=ProcurementStatus.AWAITING_APPROVAL)
    client = login(personas.officer_b)
    for name in ("submit", "review", "publish", "reopen"):
        url = reverse(f"procurements:{name}", kwargs={"pk": procurement.pk})
        assert client.post(url, {"decision": "approve"}).status_code == 404, name
    assert status_of(procurement) == ProcurementStatus.AWAITING_APPROVAL


def test_the_review_page_shows_the_summary_and_the_last_comments(login, personas):
    procurement = complete_procurement(personas, status=ProcurementStatus.AWAITING_APPROVAL)
    ApprovalReview.objects.create(
        procurement=procurement,
        decision=ReviewDecision.RETURNED,
        comments="Say how falls are counted.",
        reviewer=personas.approver_a,
    )
    html = (
        login(personas.approver_a)
        .get(reverse("procurements:review", kwargs={"pk": procurement.pk}))
        .content.decode()
    )
    assert "Say how falls are counted." in html
    assert "No product on the market detects falls without a wearable." in html
    assert "<li>Research</li><li>Pilot</li>" in html  # a list value, one item each
    assert "(&#x27;label&#x27;" not in html
    assert "Phase plan, selection and IP (complete)" in html
    assert 'value="approve"' in html and 'value="return"' in html
    assert "cannot be approved as it is" not in html


def test_returning_without_comments_on_the_page_shows_the_error_and_keeps_the_choice(
    login, personas
):
    procurement = complete_procurement(personas, status=ProcurementStatus.AWAITING_APPROVAL)
    url = reverse("procurements:review", kwargs={"pk": procurement.pk})
    response = login(personas.approver_a).post(url, {"decision": "return", "comments": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert COMMENTS_REQUIRED in html
    [returned] = re.findall(r'<input type="radio" name="decision" value="return"[^>]*>', html)
    assert returned.endswith(" checked>")
    assert status_of(procurement) == ProcurementStatus.AWAITING_APPROVAL


def test_the_approver_returns_it_from_the_page(login, personas):
    procurement = complete_procurement(personas, status=ProcurementStatus.AWAITING_APPROVAL)
    url = reverse("procurements:review", kwargs={"pk": procurement.pk})
    response = login(personas.approver_a).post(
        url, {"decision": "return", "comments": "Tighten the gate criteria."}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("procurements:awaiting-approval")
    assert status_of(procurement) == ProcurementStatus.DRAFT
    html = login(personas.officer_a).get(procurement.get_absolute_url()).content.decode()
    assert "Tighten the gate criteria." in html


def test_the_approver_approves_from_the_page_and_the_lead_officer_can_publish(login, personas):
    procurement = complete_procurement(personas, status=ProcurementStatus.AWAITING_APPROVAL)
    url = reverse("procurements:review", kwargs={"pk": procurement.pk})
    response = login(personas.approver_a).post(url, {"decision": "approve", "comments": ""})
    assert response.status_code == 302
    assert status_of(procurement) == ProcurementStatus.APPROVED

    client = login(personas.officer_a)
    html = client.get(procurement.get_absolute_url()).content.decode()
    publish_url = reverse("procurements:publish", kwargs={"pk": procurement.pk})
    assert publish_url in html
    assert client.post(publish_url).status_code == 302
    assert status_of(procurement) == ProcurementStatus.PUBLISHED


def test_approving_on_the_page_a_procurement_that_breaks_a_rule_shows_why(login, personas):
    procurement = complete_procurement(
        personas, status=ProcurementStatus.AWAITING_APPROVAL, number_to_invite=2
    )
    url = reverse("procurements:review", kwargs={"pk": procurement.pk})
    client = login(personas.approver_a)
    assert "cannot be approved as it is" in client.get(url).content.decode()
    response = client.post(url, {"decision": "approve"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "The number to invite is 2." in html
    assert status_of(procurement) == ProcurementStatus.AWAITING_APPROVAL


def test_a_refused_publication_offers_to_reopen_the_procurement(login, personas):
    procurement = complete_procurement(
        personas,
        status=ProcurementStatus.APPROVED,
        notice_date=today() - timedelta(days=10),
        question_deadline=at_noon(working_day_on_or_after(today() + timedelta(days=1))),
        participation_deadline=at_noon(working_day_on_or_after(today() + timedelta(days=20))),
    )
    client = login(personas.officer_a)
    response = client.post(reverse("procurements:publish", kwargs={"pk": procurement.pk}))
    html = response.content.decode()
    assert "What needs fixing before you can publish it" in html
    assert "counted from today" in html
    reopen = reverse("procurements:reopen", kwargs={"pk": procurement.pk})
    assert reopen in html

    response = client.post(reopen, {"reason": ""})
    assert "Enter why the procurement needs to change" in response.content.decode()
    response = client.post(reopen, {"reason": "The deadline is now too close."})
    assert response.status_code == 302
    assert status_of(procurement) == ProcurementStatus.DRAFT


def test_the_awaiting_approval_list_shows_what_the_approver_may_approve(login, personas):
    mine = complete_procurement(personas, status=ProcurementStatus.AWAITING_APPROVAL)
    unnamed = complete_procurement(
        personas, status=ProcurementStatus.AWAITING_APPROVAL, approver=None
    )
    other_approver = factories.officer(personas.borough_a, OfficerRole.APPROVER)
    someone_elses = complete_procurement(
        personas, status=ProcurementStatus.AWAITING_APPROVAL, approver=other_approver
    )
    draft = complete_procurement(personas)
    other_borough = factories.ProcurementFactory(
        borough=personas.borough_b, status=ProcurementStatus.AWAITING_APPROVAL
    )
    html = login(personas.approver_a).get(reverse("procurements:awaiting-approval")).content
    html = html.decode()
    for shown in (mine, unnamed):
        assert reverse("procurements:review", kwargs={"pk": shown.pk}) in html
    for hidden in (someone_elses, draft, other_borough):
        assert hidden.reference not in html


def test_the_awaiting_approval_list_makes_a_constant_number_of_queries(login, personas):
    client = login(personas.approver_a)

    def add_rows(count: int) -> None:
        for _ in range(count):
            factories.ProcurementFactory(
                borough=personas.borough_a,
                approver=personas.approver_a,
                status=ProcurementStatus.AWAITING_APPROVAL,
            )

    assert_query_budget(
        client, reverse("procurements:awaiting-approval"), add_rows=add_rows, most=15
    )


# -- in the browser: every four-eyes page passes axe-core -------------------------------------


@pytest.mark.browser
def test_an_approver_returns_it_the_officer_resubmits_and_publishes_in_the_browser(
    browser_page,
    personas,
):
    procurement = complete_procurement(personas, status=ProcurementStatus.AWAITING_APPROVAL)
    browser = browser_page
    page = browser.page

    browser.sign_in_as(personas.approver_a).visit(reverse("procurements:awaiting-approval"))
    browser.click_link(procurement.title)
    page.get_by_label("Return it to the lead officer with comments").check()
    browser.click_button("Send your decision")
    assert page.title().startswith("Error: ")
    assert COMMENTS_REQUIRED in page.locator(".govuk-error-summary").inner_text()
    browser.fill("Comments", "Say how falls are counted.")
    browser.click_button("Send your decision")
    assert "There is nothing waiting for your approval." in browser.text()
    assert status_of(procurement) == ProcurementStatus.DRAFT

    page.context.clear_cookies()
    browser.sign_in_as(personas.officer_a).visit(procurement.get_absolute_url())
    assert "Say how falls are counted." in page.locator("#returned-comments").inner_text()
    AwardCriterion.objects.filter(procurement=procurement, name="P").update(weight=39)
    browser.click_button("Submit for approval")
    assert "What needs fixing before you can submit it for approval" in browser.text()
    assert "The award criteria weights add up to 99%" in browser.text()
    AwardCriterion.objects.filter(procurement=procurement, name="P").update(weight=40)
    browser.visit(procurement.get_absolute_url()).click_button("Submit for approval")
    assert status_of(procurement) == ProcurementStatus.AWAITING_APPROVAL

    procurement_approve(actor=personas.approver_a, procurement=procurement)
    browser.visit(reverse("procurements:reopen", kwargs={"pk": procurement.pk}))
    browser.visit(procurement.get_absolute_url()).click_button("Publish")
    assert status_of(procurement) == ProcurementStatus.PUBLISHED
