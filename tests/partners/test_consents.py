"""Consent to share a tenderer's information, through its services: the lead officer asks a
tenderer that submitted for one item, its organisation admins give or refuse it once, and a
change notice shares an item only with its tenderer's consent given, with every remaining
tenderer; every ask, answer and sharing is audited without the item's text (RULES.md point 6;
PCR 2015 reg. 31(13))."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent
from partners.models import ChangeNotice, ConsentRequest, ConsentStatus
from partners.selectors_consents import consent_list, supplier_consent_get, supplier_consent_list
from partners.services_consents import consent_answer, consent_ask
from partners.services_negotiation import change_notice_issue, round_next

from .tender_samples import initial_tenders_opened, tendering

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

ITEM = "CONSENT-ITEM-7c1e: our pilot reduced falls by a third in two care homes."
PURPOSE = "In a change notice, to every tenderer still in the procedure."


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


@pytest.fixture
def tender(personas):
    return tendering(personas)


@pytest.fixture
def round_1(personas, tender):
    return initial_tenders_opened(personas, tender)


@pytest.fixture
def round_2(personas, tender, round_1):
    far = timezone.now() + timedelta(days=40)
    return round_next(
        actor=personas.officer_a,
        procurement=tender.procurement,
        kind="negotiation",
        deadline=far,
        opens_at=far,
    )


def request_of(tender, organisation):
    return next(r for r in tender.invited if r.organisation_id == organisation.pk)


def ask(personas, tender, organisation=None, *, item=ITEM) -> ConsentRequest:
    return consent_ask(
        actor=personas.officer_a,
        request=request_of(tender, organisation or personas.org_a),
        item=item,
        purpose=PURPOSE,
    )


def issue(personas, tender_round, shared_items):
    return change_notice_issue(
        actor=personas.officer_a,
        tender_round=tender_round,
        parts=["specification"],
        text="The pilot runs in three care homes.",
        shared_items=shared_items,
    )


# --- asking ----------------------------------------------------------------------------------


def test_the_lead_officer_asks_a_tenderer_and_its_admins_are_told(
    personas, tender, round_1, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        consent = ask(personas, tender)

    assert consent.status == ConsentStatus.ASKED
    assert consent.item == ITEM
    assert consent.asked_by == personas.officer_a
    [message] = mail.outbox
    assert message.to == [personas.supplier_a_admin.email]
    assert f"/tenders/consents/{consent.pk}/" in message.body
    [event] = events("consents.asked")
    assert event.actor == personas.officer_a
    assert event.data["request_id"] == consent.request_id
    assert "CONSENT-ITEM" not in str(event.data)


def test_asking_again_about_the_same_waiting_item_asks_nothing_new(
    personas, tender, round_1, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = ask(personas, tender)
        again = ask(personas, tender)
        other = ask(personas, tender, item="Another item of the same tender.")

    assert again == first
    assert other != first
    assert ConsentRequest.objects.count() == 2
    assert len(mail.outbox) == 2
    assert len(events("consents.asked")) == 2


def test_a_supplier_who_never_submitted_cannot_be_asked(personas, tender, round_1):
    # The third supplier was invited but submitted nothing in round 1.
    [silent] = [
        r for r in tender.invited if r.organisation_id not in {personas.org_a.pk, personas.org_b.pk}
    ]
    with pytest.raises(ApplicationError, match="submitted a proposal"):
        consent_ask(actor=personas.officer_a, request=silent, item=ITEM, purpose=PURPOSE)

    assert not ConsentRequest.objects.exists()


@pytest.mark.parametrize("who", ["approver_a", "evaluator_a", "officer_b", "supplier_a_admin"])
def test_only_the_lead_officer_asks(personas, tender, round_1, who):
    with pytest.raises(PermissionRefused):
        consent_ask(
            actor=getattr(personas, who),
            request=request_of(tender, personas.org_a),
            item=ITEM,
            purpose=PURPOSE,
        )

    assert not ConsentRequest.objects.exists()
    assert not events("consents.asked")


def test_an_empty_item_or_purpose_is_refused_field_by_field(personas, tender, round_1):
    with pytest.raises(ApplicationError) as refused:
        consent_ask(
            actor=personas.officer_a,
            request=request_of(tender, personas.org_a),
            item="  ",
            purpose="",
        )

    assert set(refused.value.extra["errors"]) == {"item", "purpose"}
    assert not ConsentRequest.objects.exists()


# --- answering -------------------------------------------------------------------------------


def test_the_tenderers_admin_gives_consent_with_a_note_and_the_officer_is_told(
    personas, tender, round_1, django_capture_on_commit_callbacks
):
    consent = ask(personas, tender)

    with django_capture_on_commit_callbacks(execute=True):
        consent_answer(
            actor=personas.supplier_a_admin, consent=consent, give=True, note="Only this text."
        )

    consent.refresh_from_db()
    assert consent.status == ConsentStatus.GIVEN
    assert consent.answered_by == personas.supplier_a_admin
    assert consent.answer_note == "Only this text."
    assert [m.to for m in mail.outbox] == [[personas.officer_a.email]]
    [event] = events("consents.given")
    assert event.actor == personas.supplier_a_admin


def test_a_refusal_is_recorded_and_cannot_be_changed_afterwards(personas, tender, round_1):
    consent = ask(personas, tender)
    consent_answer(actor=personas.supplier_a_admin, consent=consent, give=False)

    with pytest.raises(ApplicationError, match="already been answered"):
        consent_answer(actor=personas.supplier_a_admin, consent=consent, give=True)

    consent.refresh_from_db()
    assert consent.status == ConsentStatus.REFUSED
    assert len(events("consents.refused")) == 1
    assert not events("consents.given")


@pytest.mark.parametrize(
    "who", ["supplier_a_member", "supplier_b_admin", "consortium_member", "officer_a"]
)
def test_only_an_admin_of_the_tenderer_answers(personas, tender, round_1, who):
    consent = ask(personas, tender)

    with pytest.raises(PermissionRefused):
        consent_answer(actor=getattr(personas, who), consent=consent, give=True)

    consent.refresh_from_db()
    assert consent.status == ConsentStatus.ASKED


# --- who sees what ---------------------------------------------------------------------------


def test_a_supplier_sees_only_the_requests_about_itself(personas, tender, round_1):
    about_a = ask(personas, tender)
    about_b = ask(personas, tender, personas.org_b, item="B's item")

    assert supplier_consent_list(user=personas.supplier_a_member) == [about_a]
    assert supplier_consent_list(user=personas.supplier_b_admin) == [about_b]
    assert supplier_consent_get(user=personas.supplier_b_admin, pk=about_a.pk) is None
    assert supplier_consent_list(user=personas.consortium_member) == []


def test_the_officers_list_is_the_boroughs_only(personas, tender, round_1):
    consent = ask(personas, tender)

    assert consent_list(user=personas.approver_a, procurement=tender.procurement) == [consent]
    assert consent_list(user=personas.officer_b, procurement=tender.procurement) == []
    assert consent_list(user=personas.supplier_a_admin, procurement=tender.procurement) == []


# --- sharing in a change notice --------------------------------------------------------------


def test_sharing_is_blocked_until_the_tenderer_gives_its_consent(personas, tender, round_2):
    consent = ask(personas, tender)

    with pytest.raises(ApplicationError) as refused:
        issue(personas, round_2, [consent.pk])

    message = f"Sharing is blocked until {personas.org_a.name} gives its consent to this item"
    assert refused.value.extra["errors"]["shared_items"] == message
    assert not ChangeNotice.objects.exists()
    assert not events("consents.shared")


def test_a_refused_item_is_never_shared(personas, tender, round_2):
    consent = ask(personas, tender)
    consent_answer(actor=personas.supplier_a_admin, consent=consent, give=False)

    with pytest.raises(ApplicationError, match="refused its consent"):
        issue(personas, round_2, [consent.pk])

    assert not ChangeNotice.objects.exists()


def test_an_item_of_another_procurement_is_refused(personas, tender, round_2):
    other = tendering(personas)
    initial_tenders_opened(personas, other)
    consent = ask(personas, other)
    consent_answer(actor=personas.supplier_a_admin, consent=consent, give=True)

    with pytest.raises(ApplicationError, match="this procurement's tenderers"):
        issue(personas, round_2, [consent.pk])

    assert not ChangeNotice.objects.exists()


def test_one_item_without_consent_blocks_the_whole_notice(personas, tender, round_2):
    given = ask(personas, tender)
    consent_answer(actor=personas.supplier_a_admin, consent=given, give=True)
    waiting = ask(personas, tender, personas.org_b, item="B's item")

    with pytest.raises(ApplicationError, match=personas.org_b.name):
        issue(personas, round_2, [given.pk, waiting.pk])

    assert not ChangeNotice.objects.exists()


def test_a_consented_item_is_shared_with_every_remaining_tenderer_and_audited(
    personas, tender, round_2, django_capture_on_commit_callbacks
):
    consent = ask(personas, tender)
    consent_answer(actor=personas.supplier_a_admin, consent=consent, give=True)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        notice = issue(personas, round_2, [consent.pk])

    assert list(notice.shared_items.all()) == [consent]
    # Organisations A and B submitted in round 1: both are told.
    assert sorted(m.to[0] for m in mail.outbox) == [
        personas.supplier_a_admin.email,
        personas.supplier_b_admin.email,
    ]
    [shared] = events("consents.shared")
    assert shared.actor == personas.officer_a
    assert shared.data["notice_id"] == notice.pk
    assert "CONSENT-ITEM" not in str(shared.data)
    [issued] = events("tenders.change_notice_issued")
    assert issued.data["shared_items"] == [consent.pk]


def test_a_notice_without_shared_items_shares_nothing(personas, tender, round_2):
    notice = issue(personas, round_2, [])

    assert not notice.shared_items.exists()
    assert not events("consents.shared")
