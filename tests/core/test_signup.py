import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.core import mail
from django.urls import reverse

from core.models import AuditEvent, OfficerMembership, SupplierMembership, SupplierRole, User
from tests.factories import SupplierOrganisationFactory

PASSWORD = "a-long-enough-secret-2026"


def signup_data(**overrides):
    data = {
        "full_name": "Ada Lovelace",
        "email": "ada@engines.example",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "organisation_name": "Analytical Engines Ltd",
        "companies_house_number": "1234",
        "is_sme": "yes",
        "is_vcse": "no",
        "region": "TLI",
        "postcode": "se17pb",
    }
    data.update(overrides)
    return data


def confirmation_link():
    body = mail.outbox[-1].body
    return re.search(r"https?://\S+/accounts/confirm-email/\S+/", body).group(0)


@pytest.mark.django_db
def test_signup_page_asks_for_the_person_and_the_organisation_in_govuk_form_groups(client):
    response = client.get(reverse("account_signup"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Register your organisation" in html
    for name in signup_data():
        assert f'name="{name}"' in html
    assert "govuk-form-group" in html
    assert 'autocomplete="postal-code"' in html


@pytest.mark.django_db
def test_registration_creates_the_organisation_with_the_person_as_its_admin(client):
    response = client.post(reverse("account_signup"), signup_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="ada@engines.example")
    assert user.full_name == "Ada Lovelace"
    assert not user.is_staff and not OfficerMembership.objects.filter(user=user).exists()
    membership = SupplierMembership.objects.select_related("organisation").get(user=user)
    assert membership.role == SupplierRole.ADMIN
    organisation = membership.organisation
    assert organisation.name == "Analytical Engines Ltd"
    assert organisation.companies_house_number == "00001234"
    assert organisation.postcode == "SE1 7PB"
    assert (organisation.is_sme, organisation.is_vcse) == (True, False)
    event = AuditEvent.objects.get(action="supplier.registered")
    assert event.actor == user
    assert event.target_id == str(organisation.pk)


@pytest.mark.django_db
def test_registration_sends_a_confirmation_email_that_says_what_the_portal_is(client):
    client.post(reverse("account_signup"), signup_data())

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@engines.example"]
    assert message.subject.startswith("Innovation Partnerships: ")
    assert "innovation partnership procurements" in message.body
    assert confirmation_link()


@pytest.mark.django_db
def test_a_new_supplier_cannot_sign_in_until_the_email_is_confirmed(client):
    client.post(reverse("account_signup"), signup_data())

    response = client.post(
        reverse("account_login"), {"login": "ada@engines.example", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("core:supplier-home")).status_code == 302


@pytest.mark.django_db
def test_confirming_the_email_from_the_link_lets_the_supplier_sign_in_to_their_home(client):
    client.post(reverse("account_signup"), signup_data())
    link = confirmation_link()

    page = client.get(link)
    assert page.status_code == 200
    assert "Confirm my e-mail address" in page.content.decode()
    client.post(link)
    assert EmailAddress.objects.get(email="ada@engines.example").verified

    response = client.post(
        reverse("account_login"),
        {"login": "ada@engines.example", "password": PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("core:supplier-home")
    assert "Analytical Engines Ltd" in response.content.decode()


@pytest.mark.django_db
def test_an_expired_confirmation_link_says_so_and_how_to_get_a_new_one(client, settings):
    client.post(reverse("account_signup"), signup_data())
    address = EmailAddress.objects.get(email="ada@engines.example")
    key = EmailConfirmationHMAC(address).key
    settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = -1

    response = client.get(reverse("account_confirm_email", args=[key]))

    html = response.content.decode()
    assert "This link has expired or is not valid" in html
    assert "Sign in to get a new link" in html
    assert not EmailAddress.objects.get(pk=address.pk).verified


@pytest.mark.django_db
def test_a_made_up_confirmation_link_shows_the_same_clear_message(client):
    response = client.get(reverse("account_confirm_email", args=["not-a-real-key"]))
    assert "This link has expired or is not valid" in response.content.decode()


@pytest.mark.django_db
def test_a_companies_house_number_of_the_wrong_shape_is_refused_and_what_was_typed_is_kept(client):
    response = client.post(
        reverse("account_signup"), signup_data(companies_house_number="12345678X")
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter a Companies House number in the correct format, like 01234567 or SC123456" in html
    assert 'value="12345678X"' in html
    assert 'value="Analytical Engines Ltd"' in html
    assert not User.objects.filter(email="ada@engines.example").exists()


@pytest.mark.django_db
def test_an_already_registered_companies_house_number_points_to_the_organisation_admin(client):
    SupplierOrganisationFactory(companies_house_number="00001234")

    response = client.post(reverse("account_signup"), signup_data(companies_house_number="1234"))

    assert (
        "An organisation with this Companies House number is already registered. "
        "Ask its organisation admin to invite you." in response.content.decode()
    )
    assert not User.objects.filter(email="ada@engines.example").exists()


@pytest.mark.django_db
def test_the_companies_house_number_is_optional(client):
    client.post(reverse("account_signup"), signup_data(companies_house_number=""))
    membership = SupplierMembership.objects.get(user__email="ada@engines.example")
    assert membership.organisation.companies_house_number == ""


@pytest.mark.django_db
def test_a_wrong_postcode_and_unanswered_questions_each_have_their_own_message(client):
    response = client.post(
        reverse("account_signup"),
        signup_data(postcode="ABC 123", is_sme="", region=""),
    )
    html = response.content.decode()
    assert "Enter a real postcode, like SW1A 1AA" in html
    assert "Select yes if your organisation is a small or medium-sized enterprise" in html
    assert "Select the region where your organisation is based" in html


@pytest.mark.django_db
def test_a_uk_organisation_must_give_its_postcode(client):
    response = client.post(reverse("account_signup"), signup_data(postcode=""))
    assert "Enter your organisation&#x27;s postcode" in response.content.decode()


@pytest.mark.django_db
def test_self_registration_never_grants_staff_powers(client):
    client.post(reverse("account_signup"), signup_data(is_staff="on", is_superuser="on"))
    user = User.objects.get(email="ada@engines.example")
    assert not user.is_staff and not user.is_superuser


@pytest.mark.django_db
def test_registering_an_address_that_already_has_an_account_creates_nothing(client, personas):
    before = User.objects.count()
    response = client.post(
        reverse("account_signup"),
        signup_data(email=personas.supplier_a_admin.email, companies_house_number=""),
    )
    assert response.status_code == 302
    assert User.objects.count() == before
    assert "already" in mail.outbox[-1].body


def test_confirmation_links_expire_after_the_configured_days(settings):
    assert timedelta(days=settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS) == timedelta(days=3)


@pytest.mark.django_db
def test_an_empty_registration_names_every_missing_answer_in_its_own_words(client):
    response = client.post(reverse("account_signup"), {})
    html = response.content.decode()

    assert response.status_code == 200
    assert "There is a problem" in html
    assert "This field is required" not in html
    for message in (
        "Enter your full name",
        "Enter your e-mail address",
        "Create a password",
        "Enter your password again to confirm it",
        "Enter the name of your organisation",
        "Select the region where your organisation is based",
    ):
        assert message in html
    assert not User.objects.exists()
