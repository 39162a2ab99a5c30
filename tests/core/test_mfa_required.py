import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse

from core.models import OfficerRole
from core.services.accounts import totp_register
from tests import factories
from tests.factories import PASSWORD

NOTICE = "You need to set up an authenticator app before you can use officer pages"


def code_for(secret):
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


@pytest.fixture
def officer_without_totp(personas):
    return factories.officer(
        personas.borough_a, OfficerRole.OFFICER, totp=False, email="no-app@example.org"
    )


def sign_in(client, user):
    return client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True
    )


@pytest.mark.django_db
def test_an_officer_without_an_app_is_sent_from_sign_in_straight_to_setting_one_up(
    client, officer_without_totp
):
    response = sign_in(client, officer_without_totp)

    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    html = response.content.decode()
    assert NOTICE in html
    assert "govuk-notification-banner" in html
    assert 'name="code"' in html


@pytest.mark.django_db
def test_an_officer_without_an_app_cannot_open_the_officer_home(client, officer_without_totp):
    sign_in(client, officer_without_totp)
    response = client.get(reverse("core:officer-home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["core:dashboard", "core:officer-home", "mfa_index"])
def test_every_officer_page_sends_an_officer_without_an_app_to_set_up(
    login, officer_without_totp, name
):
    response = login(officer_without_totp).get(reverse(name))
    if name == "mfa_index":  # the set-up pages themselves stay open
        assert response.status_code == 200
    else:
        assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_the_public_home_and_sign_out_stay_open_to_an_officer_without_an_app(
    login, officer_without_totp
):
    client = login(officer_without_totp)
    assert client.get(reverse("core:home")).status_code == 200
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_staff_without_an_app_cannot_open_the_admin(login):
    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    response = login(admin).get(reverse("admin:index"))
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_suppliers_are_not_made_to_set_up_an_app(login, personas):
    response = login(personas.supplier_a_member).get(reverse("core:supplier-home"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_wrong_code_at_set_up_shows_its_own_message_in_the_govuk_error_pattern(
    client, officer_without_totp
):
    page = sign_in(client, officer_without_totp)
    secret = page.context["form"].secret
    wrong = f"{(int(code_for(secret)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("mfa_activate_totp"), {"code": wrong})

    html = response.content.decode()
    assert "There is a problem" in html
    assert "govuk-form-group--error" in html
    assert "The code is not correct" in html
    assert not Authenticator.objects.filter(user=officer_without_totp).exists()


@pytest.mark.django_db
def test_after_setting_up_the_app_the_officer_home_opens(client, officer_without_totp):
    page = sign_in(client, officer_without_totp)
    secret = page.context["form"].secret

    response = client.post(reverse("mfa_activate_totp"), {"code": code_for(secret)}, follow=True)

    assert Authenticator.objects.filter(
        user=officer_without_totp, type=Authenticator.Type.TOTP
    ).exists()
    assert response.status_code == 200
    assert client.get(reverse("core:officer-home")).status_code == 200


@pytest.mark.django_db
def test_totp_register_gives_an_officer_a_working_authenticator(login, officer_without_totp):
    totp_register(user=officer_without_totp, secret=factories.TOTP_SECRET)
    response = login(officer_without_totp).get(reverse("core:officer-home"))
    assert response.status_code == 200


# --- when the password is asked for again ------------------------------------------------


def signs_in(client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert "_auth_user_id" in client.session
    return response


@pytest.mark.django_db
def test_setting_up_the_app_right_after_sign_in_never_asks_for_the_password_again(
    client, officer_without_totp
):
    page = sign_in(client, officer_without_totp)
    assert page.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    secret = page.context["form"].secret

    response = client.post(reverse("mfa_activate_totp"), {"code": code_for(secret)}, follow=True)

    visited = [url for url, _ in response.redirect_chain]
    assert not any(url.startswith(reverse("account_reauthenticate")) for url in visited)
    assert visited[-1] == reverse("mfa_view_recovery_codes")
    assert response.status_code == 200
    assert "govuk-error-summary" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name", ["mfa_activate_totp", "mfa_generate_recovery_codes", "mfa_index"]
)
def test_a_supplier_who_just_signed_in_is_asked_for_the_password_to_change_their_security(
    client, personas, url_name
):
    signs_in(client, personas.supplier_a_member)

    response = client.get(reverse(url_name))

    if url_name == "mfa_index":  # only looking: no password needed
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_reauthenticate"))


@pytest.mark.django_db
def test_an_officer_without_an_app_is_asked_for_the_password_for_anything_but_setting_one_up(
    client, officer_without_totp
):
    signs_in(client, officer_without_totp)

    response = client.get(reverse("mfa_generate_recovery_codes"))

    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


@pytest.mark.django_db
def test_an_officer_who_signed_in_long_ago_confirms_the_password_before_setting_up(
    login, officer_without_totp
):
    client = login(officer_without_totp, seconds_ago=3600)
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
