"""The pages of the partnership contracts: the borough's Partnerships page shows why contracts
cannot be entered yet, the lead officer's form once they can, and then each partnership's
prices per phase, caps and IP terms; a partner sees its own partnership only. Pages make a
constant number of queries in the number of partners."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.calendar import london_date
from partners.models import Partnership
from partners.services_partnerships import contracts_enter
from tests.partners.award_samples import in_standstill, standstill_over
from tests.partners.test_partnerships import announce_terms

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]


def today():
    return london_date(timezone.now())


def date_fields(name: str, day) -> dict[str, str]:
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def page_url(decision) -> str:
    return reverse("partners:partnerships", kwargs={"pk": decision.procurement_id})


def partnership_url(partnership) -> str:
    return reverse("tenders:partnership", kwargs={"pk": partnership.pk})


@pytest.fixture
def decision(personas):
    decision = in_standstill(personas, max_partners=2)
    announce_terms(decision.procurement)
    return decision


def entered(personas, decision) -> list[Partnership]:
    return contracts_enter(
        actor=personas.officer_a, decision=standstill_over(decision), signed_on=today()
    )


def test_during_standstill_the_page_gives_the_reason_and_no_form(personas, login, decision):
    client = login(personas.officer_a)

    text = client.get(page_url(decision)).content.decode()
    assert "The standstill period runs until" in text
    assert "Enter the contracts</button>" not in text

    response = client.post(page_url(decision), date_fields("signed_on", today()))
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert "The standstill period runs until" in response.content.decode()
    assert not Partnership.objects.exists()


def test_the_lead_officer_enters_the_contracts_after_standstill(personas, login, decision):
    standstill_over(decision)
    client = login(personas.officer_a)
    assert "Enter the contracts</button>" in client.get(page_url(decision)).content.decode()

    response = client.post(page_url(decision), date_fields("signed_on", today()))

    assert response.status_code == 302
    assert Partnership.objects.filter(procurement=decision.procurement).count() == 2
    text = client.get(page_url(decision)).content.decode()
    reference = decision.procurement.reference
    assert f"{reference}-P1" in text and f"{reference}-P2" in text
    assert "Research and prototype" in text and "£75,000.00" in text and "£225,000.00" in text
    assert "£900,000.00" in text and "Falls detected" in text
    assert "A share of revenue" in text
    assert "UK7 contract details notice published" in text


def test_a_missing_signing_date_is_refused_on_the_field(personas, login, decision):
    standstill_over(decision)

    response = login(personas.officer_a).post(page_url(decision), {})

    text = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_signed_on_0"' in text
    assert "Enter the date the contracts were signed" in text
    assert not Partnership.objects.exists()


def test_the_approver_sees_the_page_but_cannot_enter_the_contracts(personas, login, decision):
    standstill_over(decision)
    client = login(personas.approver_a)

    text = client.get(page_url(decision)).content.decode()
    assert "The lead officer enters the contracts" in text
    assert client.post(page_url(decision), date_fields("signed_on", today())).status_code == 403
    assert not Partnership.objects.exists()


def test_another_borough_gets_404(personas, login, decision):
    entered(personas, decision)

    assert login(personas.officer_b).get(page_url(decision)).status_code == 404


def test_each_partner_sees_its_own_partnership_only(personas, login, decision):
    mine = {p.request.organisation_id: p for p in entered(personas, decision)}
    own_a, own_b = mine[personas.org_a.pk], mine[personas.org_b.pk]

    client = login(personas.supplier_a_member)
    text = client.get(partnership_url(own_a)).content.decode()
    assert own_a.reference in text and "£900,000.00" in text
    assert "Background IP: our sensor firmware." in text
    listing = client.get(reverse("tenders:partnerships")).content.decode()
    assert partnership_url(own_a) in listing and partnership_url(own_b) not in listing
    assert client.get(partnership_url(own_b)).status_code == 404
    assert login(personas.consortium_member).get(partnership_url(own_a)).status_code == 404


# --- query counts ----------------------------------------------------------------------------


def queries(client, url: str) -> int:
    client.get(url)  # warm-up: sessions and other one-off lookups
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_partnerships_page_makes_as_many_queries_for_one_partner_as_for_three(personas, login):
    one = in_standstill(personas, tenderers=2, max_partners=1)
    three = in_standstill(personas, tenderers=3, max_partners=3)
    sizes = {}
    for decision in (one, three):
        found = entered(personas, decision)
        sizes[len(found)] = queries(login(personas.officer_a), page_url(decision))
        supplier_url = reverse("tenders:partnerships")
        sizes[f"supplier-{len(found)}"] = queries(login(personas.supplier_a_admin), supplier_url)

    print(f"Partnerships page queries: {sizes}")
    assert sizes[1] == sizes[3]
    assert sizes["supplier-1"] == sizes["supplier-3"]
