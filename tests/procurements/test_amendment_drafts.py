"""Preparing an amendment to the parts other apps own (the phase plan, the IP terms, the
selection questionnaire): opened, changed on their own pages, checked against the rules,
published as a new version, or stopped; and the procurement's own parts on the amendment form
(sector, CPV codes, market engagement, the numbers of partners)."""

import pytest
from django.core import mail
from django.urls import reverse

from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent
from ip_rights.services import ip_terms_save
from partners.models import SelectionQuestion
from partners.services import selection_question_change
from procurements.models import NoticeKind, Procurement
from procurements.registry import builder_section_get
from procurements.services.amendments import (
    NOTHING_CHANGED,
    AmendmentRefused,
    amendment_discard,
    amendment_open,
    amendment_section_changes,
    procurement_amend,
)
from procurements.services.builder import procurement_challenge_save
from procurements.services.requirements import procurement_requirement_add
from stages.models import GateCriterion, Phase
from stages.services import gate_criterion_remove, phase_change
from tests.procurements.test_amendments import amend_post, follow, published_for_real

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bank_holidays")]


def reloaded(procurement) -> Procurement:
    return Procurement.objects.get(pk=procurement.pk)


@pytest.fixture
def published(personas, django_capture_on_commit_callbacks):
    return published_for_real(personas, django_capture_on_commit_callbacks)


def first_phase(procurement) -> Phase:
    return procurement.phases.order_by("order").first()


def version_content(procurement, number: int, key: str):
    version = procurement.versions.get(number=number)
    return next(part["content"] for part in version.content["sections"] if part["key"] == key)


# -- opening: what may change while an amendment is prepared ------------------------------------


def test_the_phase_plan_is_refused_after_publication_until_an_amendment_is_opened(
    personas, published
):
    phase = first_phase(published)
    with pytest.raises(PermissionRefused):
        phase_change(actor=personas.officer_a, phase=phase, duration_weeks=37)

    amendment_open(actor=personas.officer_a, procurement=published)
    phase_change(actor=personas.officer_a, phase=phase, duration_weeks=37)

    assert Phase.objects.get(pk=phase.pk).duration_weeks == 37
    [event] = AuditEvent.objects.filter(action="procurement.amendment_opened")
    assert event.actor == personas.officer_a
    assert sorted(event.data["sections"]) == ["ip-terms", "phase-plan", "selection-questionnaire"]


def test_an_open_amendment_never_opens_the_requirements_or_the_procurements_own_sections(
    personas, published
):
    amendment_open(actor=personas.officer_a, procurement=published)

    with pytest.raises(PermissionRefused):
        procurement_requirement_add(
            actor=personas.officer_a, procurement=published, text="A new requirement"
        )
    with pytest.raises(PermissionRefused):
        procurement_challenge_save(
            actor=personas.officer_a,
            procurement=published,
            completed=True,
            problem="Changed outside an amendment",
            outcomes=published.outcomes,
            outcome_measures=published.outcome_measures,
            users_affected=published.users_affected,
            sector=published.sector,
            cpv_codes=published.cpv_codes,
        )
    assert not published.minimum_requirements.filter(text="A new requirement").exists()


def test_only_the_boroughs_officers_open_an_amendment(personas, published):
    for person in (personas.approver_a, personas.officer_b, personas.supplier_a_admin):
        with pytest.raises(PermissionRefused):
            amendment_open(actor=person, procurement=published)
    assert reloaded(published).amendment_opened_at is None


def test_a_draft_cannot_have_an_amendment_opened(personas):
    from tests.procurements.publication_samples import announced_procurement

    draft = announced_procurement(personas, status="draft")
    with pytest.raises(ApplicationError, match="only a procurement that is published"):
        amendment_open(actor=personas.officer_a, procurement=draft)


# -- what changed, and publishing it ------------------------------------------------------------


def test_nothing_reaches_suppliers_until_the_amendment_is_published(personas, published):
    amendment_open(actor=personas.officer_a, procurement=published)
    phase_change(actor=personas.officer_a, phase=first_phase(published), duration_weeks=37)

    # The frozen version suppliers read is untouched; the change is only pending.
    assert published.versions.count() == 1
    assert "37 weeks" not in str(version_content(published, 1, "phase-plan"))
    [change] = amendment_section_changes(reloaded(published))
    assert change["field"] == "phase-plan"
    assert "37 weeks" in change["after"]
    assert "37 weeks" not in change["before"]


def test_a_phase_plan_change_is_published_as_a_new_version_with_its_record(
    personas, published, django_capture_on_commit_callbacks
):
    follow(personas, published)
    amendment_open(actor=personas.officer_a, procurement=published)
    phase_change(actor=personas.officer_a, phase=first_phase(published), duration_weeks=37)

    with django_capture_on_commit_callbacks(execute=True):
        amendment = procurement_amend(
            actor=personas.officer_a,
            procurement=published,
            changes={},
            reason="The research phase needs longer.",
        )

    procurement = reloaded(published)
    assert procurement.amendment_opened_at is None
    assert amendment.version.number == 2
    assert "37 weeks" in str(version_content(procurement, 2, "phase-plan"))
    [change] = amendment.changes
    assert change["field"] == "phase-plan"
    assert change["label"] == builder_section_get("phase-plan").title
    assert "37 weeks" in change["after"] and "37 weeks" not in change["before"]
    # The revised tender notice says what changed.
    notice = procurement.notices.filter(kind=NoticeKind.UK4).order_by("-published_at").first()
    assert "37 weeks" in str(notice.content)
    # Interested suppliers are told, with the change.
    emails = [email for email in mail.outbox if "Amendment 1" in email.subject]
    assert emails and all("37 weeks" in email.body for email in emails)
    # The phase plan is closed again.
    with pytest.raises(PermissionRefused):
        phase_change(actor=personas.officer_a, phase=first_phase(published), duration_weeks=38)


def test_ip_terms_and_questionnaire_changes_are_recorded_each_as_its_section(personas, published):
    amendment_open(actor=personas.officer_a, procurement=published)
    ip_terms_save(
        actor=personas.officer_a,
        procurement=published,
        data={"licence_term": "Twenty years from the purchase"},
        completed=True,
    )
    question = SelectionQuestion.objects.filter(procurement=published).order_by("order").first()
    selection_question_change(
        actor=personas.officer_a,
        question=question,
        data={
            "kind": question.kind,
            "topic": question.topic,
            "text": "Describe your R&D team and its record.",
            "guidance": question.guidance,
            "weight": question.weight,
        },
    )

    amendment = procurement_amend(
        actor=personas.officer_a,
        procurement=published,
        changes={},
        reason="Longer licence; clearer question.",
    )

    fields = sorted(change["field"] for change in amendment.changes)
    assert fields == ["ip-terms", "selection-questionnaire"]
    by_field = {change["field"]: change for change in amendment.changes}
    assert "Twenty years from the purchase" in by_field["ip-terms"]["after"]
    assert "Describe your R&D team and its record." in by_field["selection-questionnaire"]["after"]


def test_a_change_that_breaks_a_rule_of_publication_is_refused_and_nothing_is_published(
    personas, published
):
    amendment_open(actor=personas.officer_a, procurement=published)
    phase = first_phase(published)
    for criterion in GateCriterion.objects.filter(phase=phase):
        gate_criterion_remove(actor=personas.officer_a, criterion=criterion)

    with pytest.raises(AmendmentRefused) as refused:
        procurement_amend(
            actor=personas.officer_a,
            procurement=published,
            changes={},
            reason="No gate after research.",
        )

    assert "gate criteria" in refused.value.extra["errors"]["phase-plan"]
    assert published.versions.count() == 1
    assert reloaded(published).amendment_opened_at is not None  # still being prepared


def test_an_open_amendment_with_no_change_publishes_nothing(personas, published):
    amendment_open(actor=personas.officer_a, procurement=published)
    with pytest.raises(ApplicationError, match=NOTHING_CHANGED):
        procurement_amend(
            actor=personas.officer_a, procurement=published, changes={}, reason="Nothing."
        )
    assert published.versions.count() == 1


# -- stopping -------------------------------------------------------------------------------------


def test_stopping_is_refused_while_a_section_differs_from_what_is_published(personas, published):
    amendment_open(actor=personas.officer_a, procurement=published)
    phase = first_phase(published)
    weeks = phase.duration_weeks
    phase_change(actor=personas.officer_a, phase=phase, duration_weeks=weeks + 4)

    with pytest.raises(ApplicationError, match="Change it back as published"):
        amendment_discard(actor=personas.officer_a, procurement=published)

    phase_change(actor=personas.officer_a, phase=phase, duration_weeks=weeks)
    amendment_discard(actor=personas.officer_a, procurement=published)
    assert reloaded(published).amendment_opened_at is None
    assert AuditEvent.objects.filter(action="procurement.amendment_discarded").count() == 1
    with pytest.raises(PermissionRefused):
        phase_change(actor=personas.officer_a, phase=phase, duration_weeks=weeks + 4)


def test_stopping_when_no_amendment_is_prepared_is_refused(personas, published):
    with pytest.raises(ApplicationError, match="No amendment is being prepared"):
        amendment_discard(actor=personas.officer_a, procurement=published)


# -- the procurement's own parts on the amendment form --------------------------------------------


def test_the_sector_and_cpv_codes_are_amended_and_recorded_as_people_read_them(personas, published):
    amendment = procurement_amend(
        actor=personas.officer_a,
        procurement=published,
        changes={"sector": "low_carbon", "cpv_codes": ["73000000-2", "90700000-4"]},
        reason="The solution is about energy too.",
    )
    by_field = {change["field"]: change for change in amendment.changes}
    assert by_field["sector"]["after"] == "Low carbon and energy"
    assert by_field["cpv_codes"]["after"] == "73000000-2, 90700000-4"
    assert reloaded(published).cpv_codes == ["73000000-2", "90700000-4"]


def test_numbers_of_partners_are_checked_by_the_rules_of_publication(personas, published):
    with pytest.raises(AmendmentRefused) as refused:
        procurement_amend(
            actor=personas.officer_a,
            procurement=published,
            changes={"number_to_invite": 2},
            reason="Fewer invitations.",
        )
    assert "number_to_invite" in refused.value.extra["errors"]
    assert reloaded(published).number_to_invite == 5
    assert published.versions.count() == 1


def test_a_part_that_must_have_a_value_cannot_be_emptied(personas, published):
    with pytest.raises(AmendmentRefused) as refused:
        procurement_amend(
            actor=personas.officer_a,
            procurement=published,
            changes={"sector": "", "market_engagement_evidence": ""},
            reason="Tidying.",
        )
    assert set(refused.value.extra["errors"]) == {"sector"}


# -- pages ---------------------------------------------------------------------------------------


def test_the_officer_opens_and_changes_an_amendment_through_the_pages(login, personas, published):
    client = login(personas.officer_a)
    amend_url = reverse("procurements:amend", kwargs={"pk": published.pk})
    plan_url = reverse("stages:phase-plan", kwargs={"pk": published.pk})
    task_list = reverse("procurements:task-list", kwargs={"pk": published.pk})

    assert client.get(plan_url).status_code == 403
    assert plan_url not in client.get(task_list).content.decode()

    response = client.post(reverse("procurements:amendment-start", kwargs={"pk": published.pk}))
    assert response.status_code == 302 and response.url == task_list
    page = client.get(task_list).content.decode()
    assert "You are preparing an amendment." in page
    assert plan_url in page
    assert reverse("procurements:minimum-requirements", kwargs={"pk": published.pk}) not in page
    assert client.get(plan_url).status_code == 200

    phase_change(actor=personas.officer_a, phase=first_phase(published), duration_weeks=37)
    page = client.get(amend_url).content.decode()
    assert "Changed" in page and "37 weeks" in page

    response = client.post(
        reverse("procurements:amendment-stop", kwargs={"pk": published.pk}), follow=True
    )
    assert "Change it back as published" in response.content.decode()
    assert reloaded(published).amendment_opened_at is not None


@pytest.mark.parametrize(
    "who, status_code",
    [("approver_a", 403), ("borough_admin_a", 403), ("officer_b", 404), ("supplier_a_admin", 404)],
)
@pytest.mark.parametrize("step", ["amendment-start", "amendment-stop"])
def test_only_the_boroughs_officers_open_or_stop_an_amendment_through_the_pages(
    login, personas, published, who, status_code, step
):
    amendment_open(actor=personas.officer_a, procurement=published)
    opened_at = reloaded(published).amendment_opened_at
    client = login(getattr(personas, who))

    response = client.post(reverse(f"procurements:{step}", kwargs={"pk": published.pk}))

    assert response.status_code == status_code
    assert reloaded(published).amendment_opened_at == opened_at


def test_the_amend_page_keeps_what_was_typed_when_a_rule_refuses_it(login, personas, published):
    client = login(personas.officer_a)
    url = reverse("procurements:amend", kwargs={"pk": published.pk})

    response = client.post(
        url, amend_post(published, number_to_invite="2", reason="Fewer invitations.")
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'value="2"' in page
    assert "Fewer invitations." in page
    assert reloaded(published).number_to_invite == 5
    assert published.versions.count() == 1


def test_a_deadline_moved_past_the_indicative_tender_date_is_refused_on_that_date(personas):
    from datetime import timedelta

    from core.calendar import working_day_on_or_after
    from tests.procurements.publication_samples import at_noon, today
    from tests.procurements.test_amendments import published_procurement

    procurement = published_procurement(personas)
    tender_date = procurement.indicative_tender_date
    late = at_noon(working_day_on_or_after(tender_date + timedelta(days=1)))

    with pytest.raises(AmendmentRefused) as refused:
        procurement_amend(
            actor=personas.officer_a,
            procurement=procurement,
            changes={"participation_deadline": late},
            reason="More time.",
        )

    message = refused.value.extra["errors"]["indicative_tender_date"]
    assert "is not after the participation deadline" in message
    assert reloaded(procurement).participation_deadline == procurement.participation_deadline
    # Moving the tender date on as well is accepted.
    procurement_amend(
        actor=personas.officer_a,
        procurement=procurement,
        changes={
            "participation_deadline": late,
            "indicative_tender_date": today() + timedelta(days=200),
        },
        reason="More time.",
    )
    assert reloaded(procurement).participation_deadline == late
