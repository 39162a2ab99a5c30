"""Cancelling a procurement: the lead officer, any state before a contract, the reason, the
UK12 procurement termination notice of a published one, the audit event and the e-mails."""

import pytest
from django.core import mail
from django.urls import reverse

from core.calendar import london_date
from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent, OfficerRole
from procurements.models import (
    CANCELLABLE,
    Notice,
    NoticeKind,
    Procurement,
    ProcurementStatus,
)
from procurements.sections import uk_date_text
from procurements.services.amendments import AmendmentRefused, procurement_cancel
from tests import factories
from tests.procurements.test_amendments import follow, published_procurement, reloaded

pytestmark = pytest.mark.django_db

REASON = "The budget for this work has been withdrawn by the council."


def draft(personas, **fields) -> Procurement:
    return factories.ProcurementFactory(
        borough=personas.borough_a, lead_officer=personas.officer_a, **fields
    )


def fields_of(notice: Notice) -> dict[str, list[str]]:
    return {
        item["label"]: item["lines"]
        for section in notice.content["sections"]
        for item in section["fields"]
    }


def test_the_lead_officer_cancels_a_published_procurement_with_a_uk12_notice(personas):
    procurement = published_procurement(personas)

    procurement_cancel(actor=personas.officer_a, procurement=procurement, reason=f"  {REASON} ")

    cancelled = reloaded(procurement)
    assert cancelled.status == ProcurementStatus.CANCELLED
    assert cancelled.cancelled_at is not None
    assert cancelled.cancellation_reason == REASON
    [notice] = Notice.objects.filter(procurement=procurement)
    assert notice.kind == NoticeKind.UK12
    assert notice.created_by == personas.officer_a
    assert notice.version == procurement.versions.get(number=1)
    assert notice.content["title"] == (f"UK12 procurement termination notice: {procurement.title}")
    found = fields_of(notice)
    assert found["Name"] == [personas.borough_a.name]
    assert found["Title"] == [procurement.title]
    assert found["Reference"] == [procurement.reference]
    assert found["Reason"] == [REASON]
    assert found["Date of the decision"] == [uk_date_text(london_date(cancelled.cancelled_at))]
    assert found["Tender notice published"] == [uk_date_text(london_date(procurement.published_at))]


def test_cancelling_is_audited_with_the_reason_and_the_notice(personas):
    procurement = published_procurement(personas)

    procurement_cancel(actor=personas.officer_a, procurement=procurement, reason=REASON)

    [event] = AuditEvent.objects.filter(action="procurement.cancelled")
    notice = Notice.objects.get(procurement=procurement)
    assert event.actor == personas.officer_a
    assert event.target_id == str(procurement.pk)
    assert event.data == {
        "from": "published",
        "to": "cancelled",
        "reason": REASON,
        "notice_id": notice.pk,
    }
    assert AuditEvent.objects.filter(action="procurement.notice_published").count() == 1


def test_cancelling_a_draft_publishes_no_notice(personas):
    procurement = draft(personas)

    procurement_cancel(actor=personas.officer_a, procurement=procurement, reason=REASON)

    assert reloaded(procurement).status == ProcurementStatus.CANCELLED
    assert not Notice.objects.exists()
    [event] = AuditEvent.objects.filter(action="procurement.cancelled")
    assert event.data["notice_id"] is None


@pytest.mark.parametrize("status", CANCELLABLE)
def test_any_state_before_a_contract_may_be_cancelled(personas, status):
    procurement = draft(personas, status=status)

    procurement_cancel(actor=personas.officer_a, procurement=procurement, reason=REASON)

    assert reloaded(procurement).status == ProcurementStatus.CANCELLED


@pytest.mark.parametrize(
    "status", [ProcurementStatus.ACTIVE, ProcurementStatus.CLOSED, ProcurementStatus.CANCELLED]
)
def test_a_procurement_with_a_contract_or_already_cancelled_cannot_be_cancelled(personas, status):
    procurement = draft(personas, status=status)

    with pytest.raises(ApplicationError, match="it can no longer be cancelled"):
        procurement_cancel(actor=personas.officer_a, procurement=procurement, reason=REASON)

    assert reloaded(procurement).status == status
    assert not AuditEvent.objects.filter(action="procurement.cancelled").exists()


@pytest.mark.parametrize(
    "who", ["approver_a", "evaluator_a", "borough_admin_a", "officer_b", "supplier_a_admin"]
)
def test_only_the_lead_officer_may_cancel(personas, who):
    procurement = published_procurement(personas)

    with pytest.raises(PermissionRefused, match="Only the lead officer"):
        procurement_cancel(actor=getattr(personas, who), procurement=procurement, reason=REASON)

    assert reloaded(procurement).status == ProcurementStatus.PUBLISHED


def test_another_officer_of_the_borough_may_not_cancel(personas):
    procurement = published_procurement(personas)
    colleague = factories.officer(personas.borough_a, OfficerRole.OFFICER)

    with pytest.raises(PermissionRefused):
        procurement_cancel(actor=colleague, procurement=procurement, reason=REASON)

    assert reloaded(procurement).status == ProcurementStatus.PUBLISHED


def test_cancelling_needs_a_reason_and_changes_nothing_without_one(
    personas, django_capture_on_commit_callbacks
):
    procurement = published_procurement(personas)
    follow(personas, procurement)

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(AmendmentRefused):
        procurement_cancel(actor=personas.officer_a, procurement=procurement, reason="  ")

    assert callbacks == []
    assert reloaded(procurement).status == ProcurementStatus.PUBLISHED
    assert not Notice.objects.exists()


def test_interested_suppliers_are_told_after_commit(personas, django_capture_on_commit_callbacks):
    procurement = published_procurement(personas)
    follow(personas, procurement)

    with django_capture_on_commit_callbacks(execute=True):
        procurement_cancel(actor=personas.officer_a, procurement=procurement, reason=REASON)
        assert mail.outbox == []

    assert sorted(address for email in mail.outbox for address in email.to) == [
        personas.supplier_a_admin.email,
        personas.supplier_a_member.email,
    ]
    email = mail.outbox[0]
    assert email.subject == f"Cancelled: {procurement.reference} {procurement.title}"
    assert REASON in email.body
    assert "procurement termination notice has been published" in email.body


# -- the page ----------------------------------------------------------------------------------


def test_the_cancel_page_warns_and_asks_for_the_reason(personas, login):
    procurement = published_procurement(personas)

    response = login(personas.officer_a).get(
        reverse("procurements:cancel", kwargs={"pk": procurement.pk})
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-warning-text" in page
    assert "Cancelling cannot be undone" in page
    assert "procurement termination notice (UK12) will be published" in page


def test_posting_the_cancel_page_cancels_and_goes_back_to_the_task_list(personas, login):
    procurement = published_procurement(personas)
    client = login(personas.officer_a)

    response = client.post(
        reverse("procurements:cancel", kwargs={"pk": procurement.pk}), {"reason": REASON}
    )

    assert response.status_code == 302
    assert response["Location"] == procurement.get_absolute_url()
    assert reloaded(procurement).status == ProcurementStatus.CANCELLED
    page = client.get(response["Location"]).content.decode()
    assert "The procurement is cancelled. The procurement termination notice is published." in (
        page
    )
    assert reverse("procurements:cancel", kwargs={"pk": procurement.pk}) not in page


def test_the_cancel_page_without_a_reason_shows_the_error(personas, login):
    procurement = published_procurement(personas)

    response = login(personas.officer_a).post(
        reverse("procurements:cancel", kwargs={"pk": procurement.pk}), {"reason": ""}
    )

    assert response.status_code == 200
    assert "Enter the reason for cancelling the procurement" in response.content.decode()
    assert reloaded(procurement).status == ProcurementStatus.PUBLISHED


@pytest.mark.parametrize("who, status_code", [("approver_a", 403), ("officer_b", 404)])
def test_people_who_may_not_cancel_cannot_use_the_page(personas, login, who, status_code):
    procurement = published_procurement(personas)
    client = login(getattr(personas, who))
    url = reverse("procurements:cancel", kwargs={"pk": procurement.pk})

    assert client.get(url).status_code == status_code
    assert client.post(url, {"reason": REASON}).status_code == status_code
    assert reloaded(procurement).status == ProcurementStatus.PUBLISHED


def test_another_officer_of_the_borough_cannot_cancel_from_the_page(personas, login):
    """Officers of the borough may amend, but only the lead officer cancels."""
    procurement = published_procurement(personas)
    client = login(factories.officer(personas.borough_a, OfficerRole.OFFICER))
    url = reverse("procurements:cancel", kwargs={"pk": procurement.pk})

    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": REASON}).status_code == 403
    assert reloaded(procurement).status == ProcurementStatus.PUBLISHED
    assert not Notice.objects.exists()


def test_the_task_list_of_a_draft_offers_its_lead_officer_cancel_only(personas, login):
    procurement = draft(personas)

    page = login(personas.officer_a).get(procurement.get_absolute_url()).content.decode()

    assert reverse("procurements:cancel", kwargs={"pk": procurement.pk}) in page
    assert reverse("procurements:amend", kwargs={"pk": procurement.pk}) not in page
