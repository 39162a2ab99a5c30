"""The pages of consent to share: the lead officer asks on the procurement's consent page, the
tenderer's admin answers on its own page under /tenders/, and the change notice page attaches
consented items, which every remaining tenderer then reads on its proposal (RULES.md point 6).
Another supplier and another borough get 404; the lists make a constant number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import ChangeNotice, ConsentRequest, ConsentStatus
from partners.services_consents import consent_answer
from partners.services_negotiation import round_next
from tests.partners.tender_samples import initial_tenders_opened, proposal_submitted, tendering
from tests.partners.test_consents import ask, request_of
from tests.partners.test_negotiation_pages import refused_on_field
from tests.query_budget import assert_query_budget

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

ITEM = "Our falls sensor runs on the existing Wi-Fi of the care homes."


@pytest.fixture
def tender(personas):
    return tendering(personas)


@pytest.fixture
def round_one(personas, tender):
    return initial_tenders_opened(personas, tender)


def asked(personas, tender, organisation=None, *, item=ITEM) -> ConsentRequest:
    return ask(personas, tender, organisation, item=item)


def officer_url(name: str, tender) -> str:
    return reverse(name, kwargs={"pk": tender.procurement.pk})


def consent_url(consent) -> str:
    return reverse("tenders:consent", kwargs={"pk": consent.pk})


# --- the officer's pages ---------------------------------------------------------------------


def test_the_lead_officer_asks_and_sees_the_request_listed(personas, login, tender, round_one):
    client = login(personas.officer_a)
    page = client.get(officer_url("partners:consents-ask", tender)).content.decode()
    assert "Alpha Robotics Ltd" in page and "Beta Care CIC" in page
    assert "Supplier 3 Ltd" not in page  # invited, but submitted nothing

    response = client.post(
        officer_url("partners:consents-ask", tender),
        {
            "request": str(request_of(tender, personas.org_b).pk),
            "item": ITEM,
            "purpose": "In a change notice.",
        },
    )

    assert response.status_code == 302
    consent = ConsentRequest.objects.get()
    assert consent.request.organisation == personas.org_b
    text = client.get(officer_url("partners:consents", tender)).content.decode()
    assert ITEM in text and "Waiting for the tenderer" in text


def test_asking_without_the_item_is_refused_on_the_field(personas, login, tender, round_one):
    response = login(personas.officer_a).post(
        officer_url("partners:consents-ask", tender),
        {"request": str(request_of(tender, personas.org_a).pk), "item": "", "purpose": "Why."},
    )

    refused_on_field(response, "id_item", "Enter the item exactly as it would be shared")
    assert not ConsentRequest.objects.exists()


def test_the_approver_reads_the_list_but_cannot_ask(personas, login, tender, round_one):
    asked(personas, tender)
    client = login(personas.approver_a)

    text = client.get(officer_url("partners:consents", tender)).content.decode()
    assert ITEM in text
    assert "Ask a tenderer&#x27;s consent</a>" not in text
    response = client.post(
        officer_url("partners:consents-ask", tender),
        {"request": str(request_of(tender, personas.org_a).pk), "item": "x", "purpose": "y"},
    )
    assert response.status_code == 403
    assert ConsentRequest.objects.count() == 1


def test_another_borough_gets_404(personas, login, tender, round_one):
    asked(personas, tender)
    client = login(personas.officer_b)

    assert client.get(officer_url("partners:consents", tender)).status_code == 404
    assert client.get(officer_url("partners:consents-ask", tender)).status_code == 404


# --- the tenderer's pages --------------------------------------------------------------------


def test_the_tenderers_admin_gives_consent_with_a_note(personas, login, tender, round_one):
    consent = asked(personas, tender)
    client = login(personas.supplier_a_admin)
    listing = client.get(reverse("tenders:consents")).content.decode()
    assert consent_url(consent) in listing
    assert ITEM in client.get(consent_url(consent)).content.decode()

    response = client.post(consent_url(consent), {"answer": "give", "note": "This text only."})

    assert response.status_code == 302
    consent.refresh_from_db()
    assert (consent.status, consent.answered_by, consent.answer_note) == (
        ConsentStatus.GIVEN,
        personas.supplier_a_admin,
        "This text only.",
    )
    text = client.get(consent_url(consent)).content.decode()
    assert "Consent given" in text and "Send your answer" not in text


def test_an_answer_must_be_chosen(personas, login, tender, round_one):
    consent = asked(personas, tender)
    response = login(personas.supplier_a_admin).post(consent_url(consent), {"note": "Hmm."})

    refused_on_field(response, "id_answer_0", "Choose whether you consent")
    consent.refresh_from_db()
    assert consent.status == ConsentStatus.ASKED


def test_a_member_reads_the_request_but_cannot_answer(personas, login, tender, round_one):
    consent = asked(personas, tender)
    client = login(personas.supplier_a_member)

    text = client.get(consent_url(consent)).content.decode()
    assert ITEM in text and "Send your answer" not in text
    assert client.post(consent_url(consent), {"answer": "give"}).status_code == 403
    consent.refresh_from_db()
    assert consent.status == ConsentStatus.ASKED


@pytest.mark.parametrize("who", ["supplier_b_admin", "consortium_member", "officer_a"])
def test_another_supplier_or_an_officer_gets_404(personas, login, tender, round_one, who):
    consent = asked(personas, tender)
    client = login(getattr(personas, who))

    assert client.get(consent_url(consent)).status_code == 404
    assert client.post(consent_url(consent), {"answer": "give"}).status_code == 404
    assert ITEM not in client.get(reverse("tenders:consents")).content.decode()
    consent.refresh_from_db()
    assert consent.status == ConsentStatus.ASKED


# --- change notices --------------------------------------------------------------------------


@pytest.fixture
def round_two(personas, round_one):
    far = timezone.now() + timedelta(days=40)
    return round_next(
        actor=personas.officer_a,
        procurement=round_one.procurement,
        kind="negotiation",
        deadline=far,
        opens_at=far,
    )


def notice_url(tender_round) -> str:
    return reverse(
        "partners:tenders-change-notice",
        kwargs={"pk": tender_round.procurement_id, "round_pk": tender_round.pk},
    )


def test_a_change_notice_with_an_item_still_waiting_is_refused_on_the_field(
    personas, login, tender, round_two
):
    consent = asked(personas, tender)
    client = login(personas.officer_a)
    assert f'value="{consent.pk}"' in client.get(notice_url(round_two)).content.decode()

    response = client.post(
        notice_url(round_two),
        {"parts": ["specification"], "text": "A change.", "shared_items": [str(consent.pk)]},
    )

    refused_on_field(
        response,
        "id_shared_items_0",
        "Sharing is blocked until Alpha Robotics Ltd gives its consent to this item",
    )
    assert not ChangeNotice.objects.exists()


def test_a_consented_item_is_shown_to_every_remaining_tenderer(personas, login, tender, round_two):
    consent = asked(personas, tender)
    consent_answer(actor=personas.supplier_a_admin, consent=consent, give=True)
    client = login(personas.officer_a)

    response = client.post(
        notice_url(round_two),
        {"parts": ["specification"], "text": "A change.", "shared_items": [str(consent.pk)]},
    )

    assert response.status_code == 302
    assert list(ChangeNotice.objects.get().shared_items.all()) == [consent]
    officer_page = client.get(notice_url(round_two)).content.decode()
    assert ITEM in officer_page and "From Alpha Robotics Ltd" in officer_page
    proposal_b = proposal_submitted(personas, round_two, personas.supplier_b_admin)
    supplier_page = (
        login(personas.supplier_b_admin)
        .get(reverse("tenders:proposal", kwargs={"pk": proposal_b.pk}))
        .content.decode()
    )
    assert ITEM in supplier_page
    # The tenderer the item came from is not named to the others.
    assert "From Alpha Robotics Ltd" not in supplier_page


# --- query budgets ---------------------------------------------------------------------------


def test_the_officers_list_makes_a_constant_number_of_queries(personas, login, tender, round_one):
    def add(count: int) -> None:
        for number in range(count):
            consent = asked(personas, tender, item=f"Item {number}")
            consent_answer(actor=personas.supplier_a_admin, consent=consent, give=True)

    counts = assert_query_budget(
        login(personas.officer_a),
        officer_url("partners:consents", tender),
        add_rows=add,
        most=20,
        sizes=(2, 12),
    )
    assert counts.small == counts.large


def test_the_tenderers_list_makes_a_constant_number_of_queries(personas, login, tender, round_one):
    def add(count: int) -> None:
        for number in range(count):
            asked(personas, tender, item=f"Item {number}")

    assert_query_budget(
        login(personas.supplier_a_admin),
        reverse("tenders:consents"),
        add_rows=add,
        most=15,
        sizes=(2, 12),
    )
