from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent, SupplierInvitation, SupplierMembership, SupplierRole, User
from core.services.accounts import INVITATION_USED, supplier_invite
from tests import factories

INVITE = reverse("core:organisation-invite")
NEW_PASSWORD = "a-long-enough-secret-2026"


@pytest.fixture
def invitation(personas):
    return SupplierInvitation.objects.create(
        organisation=personas.org_a,
        email="newcomer@alpha.example",
        role=SupplierRole.MEMBER,
        invited_by=personas.supplier_a_admin,
    )


def accept_url(invitation):
    return reverse("core:invitation-accept", kwargs={"token": invitation.token})


# --- inviting ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_admin_invites_a_colleague_and_the_email_goes_after_commit(
    login, personas, django_capture_on_commit_callbacks
):
    client = login(personas.supplier_a_admin)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(INVITE, {"email": "Colleague@Alpha.example", "role": "admin"})

    assert response["Location"] == reverse("core:organisation-members")
    invitation = SupplierInvitation.objects.get()
    assert (invitation.email, invitation.role) == ("colleague@alpha.example", "admin")
    assert len(callbacks) == 1
    message = mail.outbox[-1]
    assert message.to == ["colleague@alpha.example"]
    assert personas.org_a.name in message.subject
    assert f"http://testserver{accept_url(invitation)}" in message.body
    assert "innovation partnership procurements" in message.body
    assert AuditEvent.objects.filter(action="supplier.invited", actor=personas.supplier_a_admin)
    members_page = client.get(reverse("core:organisation-members")).content.decode()
    assert "colleague@alpha.example" in members_page


@pytest.mark.django_db
def test_no_invitation_email_leaves_when_the_transaction_rolls_back(personas):
    with pytest.raises(RuntimeError), transaction.atomic():
        supplier_invite(
            actor=personas.supplier_a_admin,
            organisation=personas.org_a,
            email="never@alpha.example",
            role=SupplierRole.MEMBER,
        )
        raise RuntimeError("something later failed")
    assert mail.outbox == []
    assert not SupplierInvitation.objects.exists()


@pytest.mark.django_db
def test_inviting_someone_already_in_the_organisation_says_so(login, personas):
    response = login(personas.supplier_a_admin).post(
        INVITE, {"email": personas.supplier_a_member.email, "role": "member"}
    )
    html = response.content.decode()
    assert "is already a member of Alpha Robotics Ltd" in html
    assert "There is a problem" in html
    assert not SupplierInvitation.objects.exists()


@pytest.mark.django_db
def test_an_invalid_address_is_refused_and_kept(login, personas):
    response = login(personas.supplier_a_admin).post(INVITE, {"email": "not-an-address"})
    html = response.content.decode()
    assert "Enter an e-mail address in the correct format" in html
    assert 'value="not-an-address"' in html


@pytest.mark.django_db
def test_members_and_other_organisations_admins_cannot_invite(personas):
    for actor in [personas.supplier_a_member, personas.supplier_b_admin, personas.officer_a]:
        with pytest.raises(PermissionRefused):
            supplier_invite(actor=actor, organisation=personas.org_a, email="x@example.org")


# --- accepting --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_visitor_accepts_by_creating_an_account_for_the_invited_address(client, invitation):
    page = client.get(accept_url(invitation)).content.decode()
    assert "newcomer@alpha.example" in page
    assert 'name="email"' not in page  # the address is fixed by the invitation

    response = client.post(
        accept_url(invitation),
        {"full_name": "New Comer", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response["Location"] == reverse("core:supplier-home")
    user = User.objects.get(email="newcomer@alpha.example")
    assert EmailAddress.objects.get(user=user).verified
    membership = SupplierMembership.objects.get(user=user)
    assert (membership.organisation, membership.role) == (invitation.organisation, "member")
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.accepted_at is not None
    assert AuditEvent.objects.filter(action="supplier.invitation_accepted", actor=user).exists()
    assert client.get(reverse("core:supplier-home")).status_code == 200


@pytest.mark.django_db
def test_a_weak_or_mismatched_password_is_refused_with_messages(client, invitation):
    response = client.post(
        accept_url(invitation), {"full_name": "", "password1": "short", "password2": "other"}
    )
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter your full name" in html
    assert "Enter the same password in both boxes" in html
    assert not User.objects.filter(email="newcomer@alpha.example").exists()


@pytest.mark.django_db
def test_a_used_invitation_says_so_and_what_to_do(client, invitation, personas):
    invitation.accepted_at = timezone.now()
    invitation.save()
    html = client.get(accept_url(invitation)).content.decode()
    assert (
        "This invitation has already been used. Sign in instead, or ask your organisation "
        "admin for a new invitation." in html
    )
    assert INVITATION_USED in html


@pytest.mark.django_db
def test_a_used_invitation_cannot_be_used_again(client, invitation):
    data = {"full_name": "New Comer", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    client.post(accept_url(invitation), data)
    client.logout()
    response = client.post(accept_url(invitation), data)
    assert "This invitation has already been used" in response.content.decode()
    assert SupplierMembership.objects.filter(user__email="newcomer@alpha.example").count() == 1


@pytest.mark.django_db
def test_an_expired_invitation_says_so(client, invitation):
    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save()
    response = client.post(
        accept_url(invitation),
        {"full_name": "Late", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert "This invitation has expired" in response.content.decode()
    assert not User.objects.filter(email="newcomer@alpha.example").exists()


@pytest.mark.django_db
def test_a_signed_in_person_with_another_address_is_told_it_is_not_for_them(
    login, personas, invitation
):
    html = login(personas.supplier_b_member).get(accept_url(invitation)).content.decode()
    assert "This invitation was sent to newcomer@alpha.example" in html


@pytest.mark.django_db
def test_an_address_already_in_another_organisation_cannot_join(login, personas):
    invitation = SupplierInvitation.objects.create(
        organisation=personas.org_a,
        email=personas.supplier_b_member.email,
        invited_by=personas.supplier_a_admin,
    )
    client = login(personas.supplier_b_member)
    response = client.post(accept_url(invitation))
    assert "already belongs to another supplier organisation" in response.content.decode()
    assert personas.supplier_b_member.supplier_membership.organisation == personas.org_b


@pytest.mark.django_db
def test_an_officer_cannot_join_a_supplier_organisation(login, personas):
    invitation = SupplierInvitation.objects.create(
        organisation=personas.org_a,
        email=personas.officer_a.email,
        invited_by=personas.supplier_a_admin,
    )
    response = login(personas.officer_a).post(accept_url(invitation))
    assert "This is an officer account" in response.content.decode()
    assert not SupplierMembership.objects.filter(user=personas.officer_a).exists()


@pytest.mark.django_db
def test_a_signed_in_person_without_an_organisation_joins_with_one_click(login, invitation):
    person = factories.UserFactory(email="newcomer@alpha.example")
    client = login(person)
    assert "Join Alpha Robotics Ltd" in client.get(accept_url(invitation)).content.decode()

    response = client.post(accept_url(invitation))

    assert response["Location"] == reverse("core:supplier-home")
    assert person.supplier_membership.organisation == invitation.organisation


@pytest.mark.django_db
def test_a_visitor_whose_address_has_an_account_is_asked_to_sign_in_first(client, invitation):
    factories.UserFactory(email="newcomer@alpha.example")
    html = client.get(accept_url(invitation)).content.decode()
    assert "Sign in to accept the invitation" in html
    assert f"{reverse('account_login')}?next={accept_url(invitation)}" in html


@pytest.mark.django_db
def test_a_made_up_invitation_link_is_not_found(client):
    assert (
        client.get(reverse("core:invitation-accept", kwargs={"token": "nope"})).status_code == 404
    )


@pytest.mark.django_db
def test_accepting_twice_through_the_service_is_refused(invitation):
    from core.services.accounts import supplier_invitation_signup

    supplier_invitation_signup(invitation=invitation, full_name="A", password=NEW_PASSWORD)
    with pytest.raises(ApplicationError, match="already been used"):
        supplier_invitation_signup(invitation=invitation, full_name="B", password=NEW_PASSWORD)
