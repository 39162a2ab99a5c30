import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEvent
from tests import factories
from tests.factories import PASSWORD


def attempt(client, email, password, ip="203.0.113.10"):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip
    )


def fail_five_times(client, email, ips=None):
    for n in range(5):
        ip = ips[n] if ips else "203.0.113.10"
        attempt(client, email, f"wrong-{n}", ip=ip)


@pytest.mark.django_db
def test_five_failures_lock_the_account_even_against_the_right_password(client, personas):
    email = personas.supplier_a_member.email
    fail_five_times(client, email)

    response = attempt(client, email, PASSWORD)

    html = response.content.decode()
    assert response.status_code == 429
    assert "Your account is locked" in html
    assert "1 hour" in html
    assert "govuk-heading-l" in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_lockout_is_audited_with_the_email_and_the_address(client, personas):
    email = personas.supplier_a_member.email
    fail_five_times(client, email)

    failed = AuditEvent.objects.filter(action="auth.sign_in_failed", actor_label=email)
    assert failed.count() == 5
    assert all("wrong" not in str(event.data) for event in failed)
    locked = AuditEvent.objects.get(action="auth.locked_out")
    assert locked.actor_label == email
    assert locked.data == {"email": email, "ip": "203.0.113.10"}


@pytest.mark.django_db
def test_the_account_is_locked_whichever_address_the_attempts_come_from(client, personas):
    email = personas.supplier_b_member.email
    ips = [f"198.51.100.{n}" for n in range(1, 6)]
    fail_five_times(client, email, ips=ips)

    response = attempt(client, email, PASSWORD, ip="192.0.2.99")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_changing_the_case_of_the_email_does_not_escape_the_lock(client, personas):
    email = personas.supplier_b_member.email
    variants = [email.upper(), email.title(), email, email.swapcase(), email.capitalize()]
    for n, variant in enumerate(variants):
        attempt(client, variant, "wrong", ip=f"198.51.100.{n + 20}")

    response = attempt(client, email, PASSWORD, ip="192.0.2.98")

    assert response.status_code == 429


@pytest.mark.django_db
def test_the_address_is_locked_for_every_account_after_five_failures(client, personas):
    for n in range(5):
        attempt(client, f"guess{n}@example.org", "wrong", ip="203.0.113.77")

    response = attempt(client, personas.supplier_a_admin.email, PASSWORD, ip="203.0.113.77")

    assert response.status_code == 429


@pytest.mark.django_db
def test_four_failures_do_not_lock_and_success_clears_them(client, personas):
    email = personas.supplier_b_admin.email
    for n in range(4):
        attempt(client, email, f"wrong-{n}")
    response = attempt(client, email, PASSWORD)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_a_superuser_sees_the_lockout_in_the_admin(client, personas, login):
    email = personas.supplier_a_member.email
    fail_five_times(client, email)

    admin_client = login(personas.superuser)
    attempts = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert attempts.status_code == 200
    assert email in attempts.content.decode()

    people = admin_client.get(reverse("admin:core_user_changelist"), {"q": email})
    assert people.status_code == 200
    html = people.content.decode()
    change_url = reverse("admin:core_user_change", args=[personas.supplier_a_member.pk])
    row = html.split(f'href="{change_url}', 1)[1].split("</tr>", 1)[0]
    assert (
        '<td class="field-locked_out"><img src="/static/admin/img/icon-yes.svg" alt="True">' in row
    )


@pytest.mark.django_db
def test_the_people_list_asks_for_lockouts_once_per_page_not_per_row(client, personas, login):
    fail_five_times(client, personas.supplier_a_member.email)
    admin_client = login(personas.superuser)
    url = reverse("admin:core_user_changelist")
    admin_client.get(url)  # warm per-process caches (content types, permissions)
    with CaptureQueriesContext(connection) as small:
        assert admin_client.get(url).status_code == 200
    for n in range(10):
        factories.officer(personas.borough_b, email=f"extra{n}@example.org")
        fail_five_times(client, f"extra{n}@example.org", ips=[f"192.0.2.{n}"] * 5)
    with CaptureQueriesContext(connection) as large:
        assert admin_client.get(url).status_code == 200
    assert len(large) == len(small)


# --- every sign-in form counts against the same account ------------------------------------


@pytest.mark.parametrize(
    ("credentials", "expected"),
    [
        ({"email": "Someone@Example.org", "password": "x"}, "someone@example.org"),
        ({"login": " SOMEONE@example.org "}, "someone@example.org"),
        ({"username": "someone@EXAMPLE.org"}, "someone@example.org"),
        ({"password": "x"}, None),
    ],
)
def test_the_account_is_read_from_whichever_field_a_form_uses(credentials, expected):
    from django.test import RequestFactory

    from core.axes import sign_in_account

    assert sign_in_account(RequestFactory().post("/", {}), credentials) == expected
    assert sign_in_account(RequestFactory().post("/", credentials), None) == expected


@pytest.mark.django_db
def test_failures_through_a_form_that_sends_username_count_against_the_account(client, personas):
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    email = personas.supplier_a_member.email
    for n in range(3):
        attempt(client, email, "wrong", ip=f"198.51.100.{n + 40}")
    for n in range(2):
        request = RequestFactory().post(
            "/admin/login/", {"username": email.upper()}, REMOTE_ADDR=f"198.51.100.{n + 50}"
        )
        assert authenticate(request, username=email.upper(), password="wrong") is None
    assert AuditEvent.objects.filter(action="auth.sign_in_failed", actor_label=email).count() == 5

    response = attempt(client, email, PASSWORD, ip="192.0.2.97")

    assert response.status_code == 429


# --- behind a reverse proxy -------------------------------------------------------------


def attempt_via_proxy(client, email, password, forwarded_for):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.mark.django_db
def test_behind_a_proxy_each_person_is_counted_by_their_own_address(client, personas, settings):
    settings.PORTAL_PROXY_COUNT = 1
    for n in range(5):
        attempt_via_proxy(client, f"guess{n}@example.org", "wrong", "203.0.113.66")

    locked = attempt_via_proxy(client, personas.supplier_b_admin.email, PASSWORD, "203.0.113.66")
    other = attempt_via_proxy(client, personas.supplier_a_admin.email, PASSWORD, "198.51.100.9")

    assert locked.status_code == 429
    assert other.status_code == 302
    assert "_auth_user_id" in client.session
    failed = AuditEvent.objects.filter(action="auth.sign_in_failed")
    assert {event.data["ip"] for event in failed} == {"203.0.113.66"}
    signed_in = AuditEvent.objects.get(action="auth.signed_in")
    assert signed_in.data["ip"] == "198.51.100.9"


@pytest.mark.django_db
def test_behind_a_proxy_an_address_made_up_by_the_client_is_ignored(client, personas, settings):
    settings.PORTAL_PROXY_COUNT = 1
    for n in range(5):
        # The client sends its own X-Forwarded-For; the proxy appends the real address.
        attempt_via_proxy(client, f"guess{n}@example.org", "wrong", f"192.0.2.{n}, 203.0.113.67")

    response = attempt_via_proxy(
        client, personas.supplier_b_admin.email, PASSWORD, "192.0.2.200, 203.0.113.67"
    )

    assert response.status_code == 429


@pytest.mark.django_db
def test_without_a_proxy_a_forwarded_for_header_changes_nothing(client, personas, settings):
    settings.PORTAL_PROXY_COUNT = 0
    for n in range(5):
        attempt_via_proxy(client, f"guess{n}@example.org", "wrong", f"192.0.2.{n}")

    response = attempt_via_proxy(client, personas.supplier_b_admin.email, PASSWORD, "192.0.2.9")

    assert response.status_code == 429
    assert AuditEvent.objects.filter(action="auth.sign_in_failed").first().data["ip"] == "10.0.0.2"
