import pytest
from django.urls import reverse

from core.exceptions import PermissionRefused
from core.models import AuditEvent
from core.services.accounts import supplier_organisation_update

PROFILE = reverse("core:organisation-profile")
EDIT = reverse("core:organisation-edit")
MEMBERS = reverse("core:organisation-members")
INVITE = reverse("core:organisation-invite")


def profile_data(**overrides):
    data = {
        "name": "Alpha Robotics Group Ltd",
        "companies_house_number": "sc 123456",
        "is_sme": "no",
        "is_vcse": "yes",
        "region": "TLM",
        "postcode": "eh11yz",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_a_member_sees_their_organisation_profile_but_no_change_button(login, personas):
    response = login(personas.supplier_a_member).get(PROFILE)
    html = response.content.decode()
    assert response.status_code == 200
    assert personas.org_a.name in html
    assert personas.org_a.companies_house_number in html
    assert EDIT not in html


@pytest.mark.django_db
def test_a_member_may_not_change_the_profile(login, personas):
    client = login(personas.supplier_a_member)
    assert client.get(EDIT).status_code == 403
    assert client.post(EDIT, profile_data()).status_code == 403
    personas.org_a.refresh_from_db()
    assert personas.org_a.name == "Alpha Robotics Ltd"


@pytest.mark.django_db
def test_an_organisation_admin_changes_the_profile_and_the_change_is_audited(login, personas):
    client = login(personas.supplier_a_admin)
    assert EDIT in client.get(PROFILE).content.decode()
    form = client.get(EDIT).content.decode()
    assert 'value="Alpha Robotics Ltd"' in form

    response = client.post(EDIT, profile_data())

    assert response["Location"] == PROFILE
    org = personas.org_a
    org.refresh_from_db()
    assert org.name == "Alpha Robotics Group Ltd"
    assert org.companies_house_number == "SC123456"
    assert (org.is_sme, org.is_vcse, org.region, org.postcode) == (False, True, "TLM", "EH1 1YZ")
    event = AuditEvent.objects.get(action="supplier.organisation_updated")
    assert event.actor == personas.supplier_a_admin
    assert event.data["changes"]["name"] == {
        "from": "Alpha Robotics Ltd",
        "to": "Alpha Robotics Group Ltd",
    }


@pytest.mark.django_db
def test_a_wrong_companies_house_number_is_refused_and_kept_for_correction(login, personas):
    response = login(personas.supplier_a_admin).post(
        EDIT, profile_data(companies_house_number="AB12")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter a Companies House number in the correct format" in html
    assert 'value="AB12"' in html


@pytest.mark.django_db
def test_another_organisations_companies_house_number_is_refused(login, personas):
    response = login(personas.supplier_a_admin).post(
        EDIT, profile_data(companies_house_number=personas.org_b.companies_house_number)
    )
    assert "already registered" in response.content.decode()


@pytest.mark.django_db
def test_the_service_refuses_an_admin_of_another_organisation(personas):
    with pytest.raises(PermissionRefused):
        supplier_organisation_update(
            actor=personas.supplier_b_admin,
            organisation=personas.org_a,
            name="Taken over",
            companies_house_number="",
            is_sme=True,
            is_vcse=False,
            region="TLI",
            postcode="SE1 7PB",
        )


@pytest.mark.django_db
def test_the_member_list_shows_only_the_members_of_ones_own_organisation(login, personas):
    html = login(personas.supplier_a_member).get(MEMBERS).content.decode()
    assert personas.supplier_a_admin.email in html
    assert personas.supplier_a_member.email in html
    assert personas.supplier_b_member.email not in html
    assert personas.supplier_b_admin.email not in html
    assert "Invitations not yet accepted" not in html


@pytest.mark.django_db
def test_the_member_list_of_another_organisation_shows_none_of_ours(login, personas):
    html = login(personas.supplier_b_member).get(MEMBERS).content.decode()
    assert personas.org_b.name in html
    assert personas.org_a.name not in html
    assert personas.supplier_a_admin.email not in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", [PROFILE, EDIT, MEMBERS, INVITE])
@pytest.mark.parametrize("persona", ["officer_a", "borough_admin_a", "superuser"])
def test_people_without_an_organisation_may_not_open_organisation_pages(
    login, personas, url, persona
):
    assert login(getattr(personas, persona)).get(url).status_code == 403


@pytest.mark.django_db
def test_only_an_organisation_admin_may_open_the_invite_page(login, personas):
    assert login(personas.supplier_a_member).get(INVITE).status_code == 403
    assert login(personas.supplier_a_admin).get(INVITE).status_code == 200
