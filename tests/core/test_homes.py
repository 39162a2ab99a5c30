import pytest
from django.urls import reverse

from core.models import OfficerMembership, OfficerRole


@pytest.mark.django_db
def test_the_public_home_explains_the_portal_and_offers_sign_in_and_registration(client):
    response = client.get(reverse("core:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "How an innovation partnership works" in html
    for step in ["Challenge.", "Call.", "Selection.", "Negotiation.", "Award.", "Purchase."]:
        assert step in html
    assert reverse("account_login") in html
    assert reverse("account_signup") in html
    assert "borough administrator" in html


@pytest.mark.django_db
def test_the_public_home_offers_a_signed_in_person_their_own_home(login, personas):
    html = login(personas.supplier_a_member).get(reverse("core:home")).content.decode()
    assert reverse("core:dashboard") in html


@pytest.mark.django_db
def test_the_officer_home_shows_each_borough_and_a_panel_per_role(login, personas):
    OfficerMembership.objects.create(
        user=personas.officer_a, borough=personas.borough_b, role=OfficerRole.EVALUATOR
    )
    response = login(personas.officer_a).get(reverse("core:officer-home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert personas.borough_a.name in html and personas.borough_b.name in html
    assert "Procurement officer" in html and "Evaluator" in html
    assert "There is nothing here for you yet" not in html
    assert "once the procurement pages are available" not in html
    # The evaluator's panel leads to the procurements too.
    assert (
        f'<a class="govuk-link" href="{reverse("procurements:list")}">Procurements'
        f'<span class="govuk-visually-hidden"> you evaluate for {personas.borough_b.name}</span>'
    ) in html
    assert reverse("procurements:awaiting-approval") not in html
    assert reverse("admin:index") not in html


@pytest.mark.django_db
def test_an_approver_is_pointed_to_what_waits_for_their_approval(login, personas):
    html = login(personas.approver_a).get(reverse("core:officer-home")).content.decode()
    assert "Approver" in html
    assert f'href="{reverse("procurements:awaiting-approval")}"' in html
    assert "Procurements waiting for your approval" in html
    assert f'href="{reverse("procurements:list")}"' in html
    assert "There is nothing here for you yet" not in html


@pytest.mark.django_db
def test_an_evaluator_is_pointed_to_the_procurements(login, personas):
    html = login(personas.evaluator_a).get(reverse("core:officer-home")).content.decode()
    assert "Evaluator" in html
    assert f'href="{reverse("procurements:list")}"' in html
    assert reverse("procurements:awaiting-approval") not in html
    assert "There is nothing here for you yet" not in html


@pytest.mark.django_db
def test_a_borough_administrator_is_pointed_to_the_admin_pages(login, personas):
    html = login(personas.borough_admin_a).get(reverse("core:officer-home")).content.decode()
    assert "Borough administrator" in html
    assert reverse("admin:index") in html


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["supplier_a_admin", "supplier_b_member", "consortium_member"])
def test_suppliers_may_not_open_the_officer_home(login, personas, persona):
    response = login(getattr(personas, persona)).get(reverse("core:officer-home"))
    assert response.status_code == 403


@pytest.mark.django_db
def test_the_supplier_home_shows_the_organisation_the_role_and_its_pages(login, personas):
    response = login(personas.supplier_a_admin).get(reverse("core:supplier-home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert personas.org_a.name in html
    assert "organisation admin" in html
    for name in [
        "core:organisation-profile",
        "core:organisation-members",
        "core:organisation-invite",
    ]:
        assert reverse(name) in html
    assert "There are no opportunities to show yet" not in html
    assert (
        f'<a class="govuk-link" href="{reverse("opportunities:list")}">Find opportunities</a>'
        in (html)
    )


@pytest.mark.django_db
def test_a_supplier_member_is_not_offered_to_invite(login, personas):
    html = login(personas.supplier_a_member).get(reverse("core:supplier-home")).content.decode()
    assert "member" in html
    assert reverse("core:organisation-invite") not in html


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer_a", "approver_a", "borough_admin_a", "superuser"])
def test_officers_and_administrators_may_not_open_the_supplier_home(login, personas, persona):
    response = login(getattr(personas, persona)).get(reverse("core:supplier-home"))
    assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["core:officer-home", "core:supplier-home", "core:dashboard"])
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
