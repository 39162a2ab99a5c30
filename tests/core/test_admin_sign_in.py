"""Officers and administrators cannot get in without their authenticator app: not through
Django's admin sign-in form, and not with a session that never passed the app step."""

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from django.contrib import admin
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.urls import reverse

from core.middleware import SIGN_IN_AGAIN
from core.models import AuditEvent, OfficerRole
from core.services.accounts import totp_register
from tests import factories
from tests.factories import PASSWORD, TOTP_SECRET
from tests.signing_in import force_sign_in

from .test_sign_in import totp_code

ADMIN_LOGIN = "/admin/login/"
SIGN_IN = reverse("account_login")


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- Django's admin sign-in form is gone -------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["borough_admin_a", "superuser"])
def test_posting_the_password_to_the_admin_sign_in_does_not_sign_anyone_in(
    client, personas, persona
):
    user = getattr(personas, persona)
    response = client.post(
        ADMIN_LOGIN, {"username": user.email, "password": PASSWORD, "next": "/admin/"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)
    assert not signed_in(client)
    assert client.get(reverse("admin:index"))["Location"].startswith(ADMIN_LOGIN)
    assert client.get(reverse("core:officer-home"))["Location"].startswith(SIGN_IN)


@pytest.mark.django_db
def test_the_admin_sends_people_to_the_portal_sign_in_and_back_to_where_they_were(client):
    first = client.get(reverse("admin:core_user_changelist"))
    assert first["Location"] == f"{ADMIN_LOGIN}?next=/admin/core/user/"

    second = client.get(first["Location"])
    assert second["Location"] == f"{SIGN_IN}?next=%2Fadmin%2Fcore%2Fuser%2F"
    page = client.get(second["Location"])
    assert page.status_code == 200
    assert 'name="next" value="/admin/core/user/"' in page.content.decode()


@pytest.mark.django_db
def test_the_admin_sign_in_never_sends_people_on_to_another_site(client):
    response = client.get(ADMIN_LOGIN, {"next": "https://evil.example/admin/"})
    assert response["Location"] == f"{SIGN_IN}?next=%2Fadmin%2F"


@pytest.mark.django_db
def test_the_admin_sites_own_sign_in_view_also_sends_people_to_the_portal_sign_in(personas):
    request = RequestFactory().post(
        "/admin/login/", {"username": personas.superuser.email, "password": PASSWORD}
    )
    response = admin.site.login(request)
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)


@pytest.mark.django_db
def test_an_administrator_signs_in_with_password_and_app_and_opens_the_admin(client, personas):
    client.post(SIGN_IN, {"login": personas.borough_admin_a.email, "password": PASSWORD})
    assert not signed_in(client)  # the app step comes first
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})

    assert signed_in(client)
    methods = [r["method"] for r in client.session[AUTHENTICATION_METHODS_SESSION_KEY]]
    assert methods == ["password", "mfa"]
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:core_user_changelist")).status_code == 200


@pytest.mark.django_db
def test_signing_out_of_the_admin_ends_the_session(login, personas):
    client = login(personas.superuser)
    response = client.post(reverse("admin:logout"))
    assert response.status_code == 200
    assert not signed_in(client)
    assert AuditEvent.objects.filter(action="auth.signed_out", actor=personas.superuser).exists()


# --- a session that never passed the app step -----------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name", ["admin:index", "admin:core_user_changelist", "core:officer-home", "core:home"]
)
def test_a_session_without_the_app_step_is_signed_out_and_asked_to_sign_in_again(
    client, personas, url_name
):
    admin_a = personas.borough_admin_a
    force_sign_in(client, admin_a, methods=("password",))
    url = reverse(url_name)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next={url}"
    assert not signed_in(client)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [SIGN_IN_AGAIN]
    event = AuditEvent.objects.get(action="auth.authenticator_step_missing")
    assert event.actor == admin_a
    assert event.data == {"path": url}


@pytest.mark.django_db
def test_the_sign_in_page_tells_them_to_use_the_code_from_their_app(client, personas):
    force_sign_in(client, personas.officer_a, methods=("password",))
    page = client.get(reverse("core:officer-home"), follow=True)
    assert page.redirect_chain[-1][0].startswith(SIGN_IN)
    assert SIGN_IN_AGAIN in page.content.decode()


@pytest.mark.django_db
def test_a_superuser_session_without_the_app_step_cannot_open_the_admin(client, personas):
    force_sign_in(client, personas.superuser, methods=("password",))
    response = client.get(reverse("admin:core_borough_changelist"))
    assert response["Location"].startswith(SIGN_IN)
    assert not signed_in(client)


@pytest.mark.django_db
def test_a_session_from_before_the_app_was_set_up_elsewhere_must_sign_in_again(client, personas):
    officer = factories.officer(personas.borough_a, OfficerRole.OFFICER, totp=False)
    client.post(SIGN_IN, {"login": officer.email, "password": PASSWORD})
    assert client.get(reverse("core:officer-home"))["Location"] == reverse("mfa_activate_totp")

    totp_register(user=officer, secret=TOTP_SECRET)  # in another browser, say

    response = client.get(reverse("core:officer-home"))
    assert response["Location"].startswith(SIGN_IN)
    assert not signed_in(client)


@pytest.mark.django_db
def test_suppliers_sessions_are_left_alone(client, personas):
    force_sign_in(client, personas.supplier_a_admin, methods=("password",))
    assert client.get(reverse("core:supplier-home")).status_code == 200


@pytest.mark.django_db
def test_the_health_check_does_not_sign_anyone_out(client, personas):
    force_sign_in(client, personas.borough_admin_a, methods=("password",))
    client.get(reverse("health"))
    assert signed_in(client)
