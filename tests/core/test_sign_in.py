import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.urls import reverse

from core.models import AuditEvent, OfficerRole
from tests import factories
from tests.factories import PASSWORD, TOTP_SECRET


def totp_code(secret=TOTP_SECRET):
    counters = list(yield_hotp_counters_from_time())
    counter = counters[len(counters) // 2]  # the current period
    return format_hotp_value(hotp_value(secret, counter))


def sign_in(client, user, password=PASSWORD, **extra):
    return client.post(
        reverse("account_login"), {"login": user.email, "password": password}, **extra
    )


def assert_govuk_page(response):
    html = response.content.decode()
    assert response.status_code == 200, response.status_code
    assert 'class="govuk-template' in html
    assert html.count("<h1") == 1
    assert "govuk-heading-l" in html or "govuk-panel__title" in html or "govuk-heading-xl" in html
    return html


# --- signing in and out -------------------------------------------------------------------


@pytest.mark.django_db
def test_sign_in_page_asks_for_email_and_password_in_govuk_markup(client):
    html = assert_govuk_page(client.get(reverse("account_login")))
    assert 'name="login"' in html and 'type="email"' in html
    assert 'autocomplete="email"' in html
    assert 'autocomplete="current-password"' in html
    assert "Forgotten your password?" in html


@pytest.mark.django_db
def test_a_supplier_signs_in_with_their_email_and_lands_on_the_supplier_home(client, personas):
    response = sign_in(client, personas.supplier_a_admin, follow=True)
    assert response.redirect_chain[-1][0] == reverse("core:supplier-home")
    assert AuditEvent.objects.filter(
        action="auth.signed_in", actor=personas.supplier_a_admin
    ).exists()


@pytest.mark.django_db
def test_a_wrong_password_shows_the_error_summary_keeps_the_email_and_is_audited(client, personas):
    response = sign_in(client, personas.supplier_a_admin, password="not-the-password")

    html = response.content.decode()
    assert "There is a problem" in html
    assert "The e-mail address or password is not correct" in html
    assert f'value="{personas.supplier_a_admin.email}"' in html
    event = AuditEvent.objects.get(action="auth.sign_in_failed")
    assert event.actor is None
    assert event.actor_label == personas.supplier_a_admin.email
    assert "not-the-password" not in str(event.data)


@pytest.mark.django_db
def test_signing_out_is_audited_and_ends_the_session(client, personas):
    sign_in(client, personas.supplier_a_member)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(
        action="auth.signed_out", actor=personas.supplier_a_member
    ).exists()


@pytest.mark.django_db
def test_a_switched_off_account_cannot_sign_in_and_is_told_so(client, personas):
    user = personas.supplier_b_member
    user.is_active = False
    user.save()
    response = sign_in(client, user, follow=True)
    assert "_auth_user_id" not in client.session
    assert "Your account is switched off" in response.content.decode()


@pytest.mark.django_db
def test_dashboard_sends_each_kind_of_person_to_their_home(client, personas, login):
    expectations = {
        personas.officer_a: reverse("core:officer-home"),
        personas.supplier_b_member: reverse("core:supplier-home"),
        personas.superuser: reverse("admin:index"),
    }
    for user, home in expectations.items():
        response = login(user).get(reverse("core:dashboard"))
        assert response["Location"] == home
    assert client.logout() is None
    assert client.get(reverse("core:dashboard"))["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_an_account_with_no_organisation_or_borough_is_told_what_to_do(login):
    user = factories.UserFactory()
    response = login(user).get(reverse("core:dashboard"))
    assert "Your account is not linked to an organisation" in assert_govuk_page(response)


# --- password reset -----------------------------------------------------------------------


@pytest.mark.django_db
def test_password_reset_from_the_emailed_link_sets_a_new_password(client, personas):
    user = personas.supplier_a_member
    assert_govuk_page(client.get(reverse("account_reset_password")))

    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response["Location"] == reverse("account_reset_password_done")
    assert_govuk_page(client.get(reverse("account_reset_password_done")))
    message = mail.outbox[-1]
    assert message.subject == "Innovation Partnerships: Reset your password"
    assert "innovation partnership procurements" in message.body
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", message.body).group(0)

    form_page = client.get(link, follow=True)
    html = assert_govuk_page(form_page)
    assert "Choose a new password" in html
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"password1": "a-brand-new-secret-42", "password2": "a-brand-new-secret-42"},
    )
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    assert_govuk_page(client.get(reverse("account_reset_password_from_key_done")))
    user.refresh_from_db()
    assert user.check_password("a-brand-new-secret-42")


@pytest.mark.django_db
def test_a_used_or_made_up_password_reset_link_says_it_is_not_valid(client):
    response = client.get(
        reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "nope"})
    )
    html = assert_govuk_page(response)
    assert "This link has expired or is not valid" in html
    assert "Ask for a new link" in html


# --- every reachable allauth page is a GOV.UK page -----------------------------------------


@pytest.mark.django_db
def test_entrance_pages_render_as_govuk_pages(client, personas):
    for name in [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_email_verification_sent",
        "account_inactive",
    ]:
        assert_govuk_page(client.get(reverse(name)))
    html = assert_govuk_page(client.get(reverse("account_confirm_email", args=["not-a-key"])))
    assert "This link has expired" in html


@pytest.mark.django_db
def test_sign_out_page_renders_as_a_govuk_page(client, personas):
    sign_in(client, personas.supplier_a_member)
    assert "Are you sure you want to sign out?" in assert_govuk_page(
        client.get(reverse("account_logout"))
    )


@pytest.mark.django_db
def test_confirm_email_page_for_a_real_key_renders_as_a_govuk_page(client):
    user = factories.UserFactory(verified=False)
    address = EmailAddress.objects.create(user=user, email=user.email, primary=True)
    from allauth.account.models import EmailConfirmationHMAC

    key = EmailConfirmationHMAC(address).key
    html = assert_govuk_page(client.get(reverse("account_confirm_email", args=[key])))
    assert user.email in html


@pytest.mark.django_db
def test_mfa_pages_render_as_govuk_pages_for_an_officer_with_an_authenticator(client, personas):
    officer = personas.officer_a
    response = sign_in(client, officer)
    assert response["Location"] == reverse("mfa_authenticate")
    html = assert_govuk_page(client.get(reverse("mfa_authenticate")))
    assert "Enter the code from your authenticator app" in html
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session

    assert_govuk_page(client.get(reverse("mfa_index")))
    # Changing an existing authenticator asks for the password again first.
    response = client.get(reverse("mfa_deactivate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert_govuk_page(client.get(response["Location"]))
    client.post(response["Location"], {"password": PASSWORD})
    for name in ["mfa_deactivate_totp", "mfa_generate_recovery_codes"]:
        assert_govuk_page(client.get(reverse(name)))
    client.post(reverse("mfa_generate_recovery_codes"))
    assert_govuk_page(client.get(reverse("mfa_view_recovery_codes")))


@pytest.mark.django_db
def test_a_wrong_authenticator_code_at_sign_in_shows_its_own_message(client, personas):
    sign_in(client, personas.approver_a)
    wrong = f"{(int(totp_code()) + 1) % 1_000_000:06d}"

    response = client.post(reverse("mfa_authenticate"), {"code": wrong})

    html = response.content.decode()
    assert "There is a problem" in html
    assert "govuk-error-message" in html
    assert "The code is not correct" in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_an_officer_with_an_authenticator_reaches_the_officer_home_after_the_code(client, personas):
    sign_in(client, personas.evaluator_a)
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("core:officer-home")


@pytest.mark.django_db
def test_an_officer_created_by_their_borough_signs_in_after_choosing_a_password(client, personas):
    from core.services.accounts import officer_create

    officer = officer_create(
        actor=None,
        email="new.officer@aldgate.example",
        full_name="New Officer",
        borough=personas.borough_a,
        roles=[OfficerRole.OFFICER],
        password="chosen-by-reset-2026",
    )
    response = sign_in(client, officer, password="chosen-by-reset-2026")
    assert response["Location"] == reverse("core:dashboard")
    assert "_auth_user_id" in client.session
