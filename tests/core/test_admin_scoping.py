import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.urls import reverse

from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent, OfficerMembership, OfficerRole, User
from core.permissions import can_manage_borough_people, is_borough_admin
from core.services.accounts import (
    BOROUGH_ADMIN_GROUP,
    officer_create,
    officer_role_grant,
    officer_role_revoke,
    totp_register,
)
from tests.factories import TOTP_SECRET

USERS = reverse("admin:core_user_changelist")
ADD_USER = reverse("admin:core_user_add")


def change_url(user):
    return reverse("admin:core_user_change", args=[user.pk])


@pytest.fixture
def admin_a(personas):
    """A borough administrator of A, made the way the portal makes them."""
    user = officer_create(
        actor=personas.superuser,
        email="people-admin-a@example.org",
        full_name="Aldgate People Admin",
        borough=personas.borough_a,
        roles=[OfficerRole.BOROUGH_ADMIN],
        password="admin-a-password-2026",
    )
    totp_register(user=user, secret=TOTP_SECRET)
    return user


def membership_inline(rows, initial=0):
    data = {
        "officer_memberships-TOTAL_FORMS": str(len(rows)),
        "officer_memberships-INITIAL_FORMS": str(initial),
        "officer_memberships-MIN_NUM_FORMS": "0",
        "officer_memberships-MAX_NUM_FORMS": "1000",
    }
    for n, (borough, role) in enumerate(rows):
        data[f"officer_memberships-{n}-borough"] = str(borough.pk) if borough else ""
        data[f"officer_memberships-{n}-role"] = role
    return data


# --- the borough administrator role and its object permission --------------------------


@pytest.mark.django_db
def test_granting_borough_admin_gives_staff_access_and_the_permission_on_that_borough_only(
    personas, admin_a
):
    assert admin_a.is_staff and not admin_a.is_superuser
    assert admin_a.groups.filter(name=BOROUGH_ADMIN_GROUP).exists()
    assert can_manage_borough_people(admin_a, personas.borough_a)
    assert not can_manage_borough_people(admin_a, personas.borough_b)
    assert is_borough_admin(admin_a, personas.borough_a)
    event = AuditEvent.objects.filter(action="role.granted", target_id=str(admin_a.pk)).get()
    assert event.actor == personas.superuser
    assert event.data["role"] == "borough_admin"


@pytest.mark.django_db
def test_revoking_borough_admin_removes_the_permission_and_staff_access(personas, admin_a):
    officer_role_revoke(
        actor=personas.superuser,
        user=admin_a,
        borough=personas.borough_a,
        role=OfficerRole.BOROUGH_ADMIN,
    )
    admin_a = User.objects.get(pk=admin_a.pk)  # fresh permission caches
    assert not admin_a.is_staff
    assert not can_manage_borough_people(admin_a, personas.borough_a)
    assert not Group.objects.get(name=BOROUGH_ADMIN_GROUP).user_set.filter(pk=admin_a.pk).exists()
    assert AuditEvent.objects.filter(action="role.revoked", target_id=str(admin_a.pk)).exists()


@pytest.mark.django_db
def test_a_borough_admin_cannot_create_officers_or_grant_roles_in_another_borough(
    personas, admin_a
):
    with pytest.raises(PermissionRefused):
        officer_create(
            actor=admin_a,
            email="intruder@example.org",
            full_name="Intruder",
            borough=personas.borough_b,
            roles=[OfficerRole.OFFICER],
        )
    with pytest.raises(PermissionRefused):
        officer_role_grant(
            actor=admin_a, user=personas.officer_b, borough=personas.borough_b, role="approver"
        )
    assert not User.objects.filter(email="intruder@example.org").exists()


@pytest.mark.django_db
def test_an_account_is_never_both_officer_and_supplier(personas):
    with pytest.raises(ApplicationError, match="cannot be both an officer and a supplier"):
        officer_role_grant(
            actor=personas.superuser,
            user=personas.supplier_a_member,
            borough=personas.borough_a,
            role=OfficerRole.OFFICER,
        )
    assert not OfficerMembership.objects.filter(user=personas.supplier_a_member).exists()


@pytest.mark.django_db
def test_a_new_officer_has_a_verified_address_and_no_password_until_they_choose_one(
    admin_a, personas
):
    officer = officer_create(
        actor=admin_a,
        email="Fresh.Officer@Aldgate.example",
        full_name="Fresh Officer",
        borough=personas.borough_a,
        roles=[OfficerRole.OFFICER, OfficerRole.EVALUATOR],
    )
    assert officer.email == "fresh.officer@aldgate.example"
    assert not officer.has_usable_password()
    assert EmailAddress.objects.get(user=officer).verified
    assert set(officer.officer_memberships.values_list("role", flat=True)) == {
        "officer",
        "evaluator",
    }
    assert AuditEvent.objects.filter(action="officer.created", actor=admin_a).exists()


# --- the admin, as a borough administrator ------------------------------------------------


@pytest.mark.django_db
def test_the_people_list_shows_only_the_officers_of_ones_own_borough(login, personas, admin_a):
    html = login(admin_a).get(USERS).content.decode()
    for visible in [personas.officer_a, personas.approver_a, personas.evaluator_a]:
        assert visible.email in html
    for hidden in [
        personas.officer_b,
        personas.supplier_a_admin,
        personas.supplier_b_member,
        personas.superuser,
    ]:
        assert hidden.email not in html
    assert personas.borough_b.name not in html


@pytest.mark.django_db
def test_another_boroughs_officer_cannot_be_opened_or_changed(login, personas, admin_a):
    client = login(admin_a)
    response = client.get(change_url(personas.officer_b))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")

    client.post(
        change_url(personas.officer_b),
        {"email": personas.officer_b.email, "full_name": "Renamed", **membership_inline([])},
    )
    personas.officer_b.refresh_from_db()
    assert personas.officer_b.full_name != "Renamed"


@pytest.mark.django_db
def test_suppliers_and_superusers_cannot_be_opened_by_a_borough_admin(login, personas, admin_a):
    client = login(admin_a)
    for person in [personas.supplier_a_admin, personas.superuser]:
        assert client.get(change_url(person)).status_code == 302


@pytest.mark.django_db
def test_a_borough_admin_changes_an_officer_of_their_borough_without_staff_powers(
    login, personas, admin_a
):
    client = login(admin_a)
    page = client.get(change_url(personas.officer_a))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="is_superuser"' not in html and 'name="is_staff"' not in html
    membership = OfficerMembership.objects.get(user=personas.officer_a)

    response = client.post(
        change_url(personas.officer_a),
        {
            "email": personas.officer_a.email,
            "full_name": "Renamed Officer",
            "is_superuser": "on",
            "is_staff": "on",
            **membership_inline([(personas.borough_a, "officer")], initial=1),
            "officer_memberships-0-id": str(membership.pk),
            "officer_memberships-0-user": str(personas.officer_a.pk),
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    officer = User.objects.get(pk=personas.officer_a.pk)
    assert officer.full_name == "Renamed Officer"
    assert not officer.is_active  # the checkbox was left unticked: switched off
    assert not officer.is_superuser and not officer.is_staff
    assert AuditEvent.objects.filter(action="admin.change", actor=admin_a).exists()


@pytest.mark.django_db
def test_a_borough_admin_creates_an_officer_in_their_borough(login, personas, admin_a):
    client = login(admin_a)
    form = client.get(ADD_USER).content.decode()
    assert personas.borough_a.name in form
    assert personas.borough_b.name not in form

    response = client.post(
        ADD_USER,
        {
            "email": "recruit@aldgate.example",
            "full_name": "New Recruit",
            **membership_inline([(personas.borough_a, "approver")]),
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    recruit = User.objects.get(email="recruit@aldgate.example")
    assert not recruit.has_usable_password()
    assert EmailAddress.objects.get(user=recruit).verified
    assert list(recruit.officer_memberships.values_list("borough", "role")) == [
        (personas.borough_a.pk, "approver")
    ]
    assert AuditEvent.objects.filter(
        action="role.granted", actor=admin_a, target_id=str(recruit.pk)
    ).exists()
    assert client.get(change_url(recruit)).status_code == 200


@pytest.mark.django_db
def test_a_borough_admin_cannot_create_an_officer_in_another_borough(login, personas, admin_a):
    response = login(admin_a).post(
        ADD_USER,
        {
            "email": "recruit@bowfield.example",
            "full_name": "Wrong Borough",
            **membership_inline([(personas.borough_b, "officer")]),
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not User.objects.filter(email="recruit@bowfield.example").exists()


@pytest.mark.django_db
def test_a_borough_admin_cannot_create_an_account_without_a_role(login, personas, admin_a):
    response = login(admin_a).post(
        ADD_USER, {"email": "orphan@example.org", "full_name": "Orphan", **membership_inline([])}
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="orphan@example.org").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    [
        "admin:core_borough_changelist",
        "admin:core_supplierorganisation_changelist",
        "admin:core_supplierinvitation_changelist",
        "admin:axes_accessattempt_changelist",
    ],
)
def test_a_borough_admin_cannot_open_boroughs_suppliers_or_lockouts(
    login, personas, admin_a, url_name
):
    assert login(admin_a).get(reverse(url_name)).status_code == 403


@pytest.mark.django_db
def test_a_borough_admin_cannot_open_another_borough(login, personas, admin_a):
    url = reverse("admin:core_borough_change", args=[personas.borough_b.pk])
    assert login(admin_a).get(url).status_code == 403


# --- the admin, as a superuser -------------------------------------------------------------


@pytest.mark.django_db
def test_a_superuser_sees_everyone_and_manages_boroughs(login, personas):
    client = login(personas.superuser)
    html = client.get(USERS).content.decode()
    for person in [personas.officer_b, personas.supplier_a_admin, personas.borough_admin_a]:
        assert person.email in html
    assert client.get(reverse("admin:core_borough_changelist")).status_code == 200
    url = reverse("admin:core_borough_change", args=[personas.borough_b.pk])
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_a_borough_admin_role_given_on_the_borough_page_grants_the_permission(login, personas):
    borough = personas.borough_b
    person = personas.officer_b
    existing = OfficerMembership.objects.get(user=person, borough=borough)
    response = login(personas.superuser).post(
        reverse("admin:core_borough_change", args=[borough.pk]),
        {
            "name": borough.name,
            "slug": borough.slug,
            "nation": borough.nation,
            "identifier": borough.identifier,
            "authority_type": borough.authority_type,
            "memberships-TOTAL_FORMS": "2",
            "memberships-INITIAL_FORMS": "1",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-id": str(existing.pk),
            "memberships-0-borough": str(borough.pk),
            "memberships-0-user": str(person.pk),
            "memberships-0-role": "officer",
            "memberships-1-borough": str(borough.pk),
            "memberships-1-user": str(person.pk),
            "memberships-1-role": "borough_admin",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    person = User.objects.get(pk=person.pk)
    assert person.is_staff
    assert can_manage_borough_people(person, borough)
    assert not can_manage_borough_people(person, personas.borough_a)
    assert AuditEvent.objects.filter(action="role.granted", target_id=str(person.pk)).exists()


@pytest.mark.django_db
def test_a_borough_admin_cannot_set_an_officers_password(login, personas, admin_a):
    url = reverse("admin:auth_user_password_change", args=[personas.officer_a.pk])
    assert login(admin_a).get(url).status_code == 403
    assert login(personas.superuser).get(url).status_code == 200


# --- whom a borough administrator may manage ---------------------------------------------


def person_form(person, memberships, **changes):
    """The change form as the admin shows it to a borough administrator, with ``changes``."""
    data = {
        "email": person.email,
        "full_name": person.full_name,
        "is_active": "on",
        **membership_inline([(m.borough, m.role) for m in memberships], initial=len(memberships)),
    }
    for n, membership in enumerate(memberships):
        data[f"officer_memberships-{n}-id"] = str(membership.pk)
        data[f"officer_memberships-{n}-user"] = str(person.pk)
    data.update(changes)
    return data


@pytest.fixture
def shared_officer(personas):
    """Officer of B who is also an evaluator in A."""
    OfficerMembership.objects.create(
        user=personas.officer_b, borough=personas.borough_a, role=OfficerRole.EVALUATOR
    )
    return personas.officer_b


@pytest.fixture
def peer_admin(personas):
    return officer_create(
        actor=personas.superuser,
        email="peer-admin-a@example.org",
        full_name="Peer Admin",
        borough=personas.borough_a,
        roles=[OfficerRole.BOROUGH_ADMIN],
    )


@pytest.mark.django_db
def test_who_a_borough_admin_may_manage(personas, admin_a, shared_officer, peer_admin):
    from core.permissions import can_manage_person

    assert can_manage_person(admin_a, personas.officer_a)
    assert can_manage_person(admin_a, personas.approver_a)
    assert not can_manage_person(admin_a, shared_officer)  # also works for borough B
    assert not can_manage_person(admin_a, peer_admin)
    assert not can_manage_person(admin_a, personas.borough_admin_a)
    assert not can_manage_person(admin_a, admin_a)  # not even their own staff flags
    assert not can_manage_person(admin_a, personas.supplier_a_admin)
    assert not can_manage_person(admin_a, personas.superuser)
    assert can_manage_person(personas.superuser, shared_officer)
    assert can_manage_person(personas.superuser, peer_admin)


@pytest.mark.django_db
def test_an_officer_who_also_works_for_another_borough_cannot_be_changed(
    login, personas, admin_a, shared_officer
):
    client = login(admin_a)
    memberships = list(OfficerMembership.objects.filter(user=shared_officer))
    in_a = [m for m in memberships if m.borough == personas.borough_a]

    assert client.get(change_url(shared_officer)).status_code == 302
    assert shared_officer.email not in client.get(USERS).content.decode()
    response = client.post(
        change_url(shared_officer),
        person_form(shared_officer, in_a, email="attacker@evil.example", is_active=""),
    )

    assert response.status_code in (302, 403)
    assert response.get("Location") != change_url(shared_officer)
    person = User.objects.get(pk=shared_officer.pk)
    assert person.email == "officer-b@example.org" and person.is_active
    assert list(EmailAddress.objects.filter(user=person).values_list("email", flat=True)) == [
        "officer-b@example.org"
    ]
    assert not AuditEvent.objects.filter(action="admin.change", actor=admin_a).exists()


@pytest.mark.django_db
def test_a_fellow_borough_admin_and_oneself_cannot_be_changed(login, personas, admin_a, peer_admin):
    client = login(admin_a)
    for person in [peer_admin, admin_a]:
        assert client.get(change_url(person)).status_code == 302
        client.post(
            change_url(person),
            person_form(person, list(person.officer_memberships.all()), email="x@evil.example"),
        )
        person.refresh_from_db()
        assert person.email != "x@evil.example" and person.is_active
    html = client.get(USERS).content.decode()
    assert peer_admin.email not in html


@pytest.mark.django_db
def test_a_changed_email_replaces_the_old_one_and_resets_go_only_to_the_new_one(
    client, login, personas, admin_a
):
    from django.core import mail

    officer = personas.officer_a
    memberships = list(OfficerMembership.objects.filter(user=officer))
    response = login(admin_a).post(
        change_url(officer), person_form(officer, memberships, email="New.Address@Aldgate.example")
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    officer.refresh_from_db()
    assert officer.email == "new.address@aldgate.example"
    addresses = list(EmailAddress.objects.filter(user=officer).values_list("email", "verified"))
    assert addresses == [("new.address@aldgate.example", True)]
    event = AuditEvent.objects.get(action="admin.change", actor=admin_a)
    assert event.data["changes"]["email"] == {
        "old": "officer-a@example.org",
        "new": "new.address@aldgate.example",
    }

    client.logout()
    mail.outbox.clear()
    client.post(reverse("account_reset_password"), {"email": "officer-a@example.org"})
    # At most allauth's "no account with this address" note: never a reset link.
    assert not any("password/reset/key" in m.body for m in mail.outbox)
    client.post(reverse("account_reset_password"), {"email": "new.address@aldgate.example"})
    assert [m.to for m in mail.outbox if "password/reset/key" in m.body] == [
        ["new.address@aldgate.example"]
    ]


@pytest.mark.django_db
def test_an_email_already_used_by_another_account_is_refused(login, personas, admin_a):
    officer = personas.officer_a
    memberships = list(OfficerMembership.objects.filter(user=officer))
    response = login(admin_a).post(
        change_url(officer), person_form(officer, memberships, email=personas.officer_b.email)
    )
    assert response.status_code == 200
    assert "Another account already uses this e-mail address." in response.content.decode()
    officer.refresh_from_db()
    assert officer.email == "officer-a@example.org"
