"""Consortia: the lead names registered organisations as members, each member confirms or
declines from its own account, subcontractors are declared; nothing changes after the
participation deadline, and nobody outside the request may see it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError, PermissionRefused
from core.models import SupplierRole
from partners.models import (
    ConsortiumMember,
    ExclusionDeclaration,
    ParticipationRequest,
    RequestAnswer,
    RequestStatus,
    SelectionQuestion,
    Subcontractor,
)
from partners.services_consortia import (
    DeclarationAnswer,
    consortium_member_add,
    consortium_member_change,
    consortium_member_confirm,
    consortium_member_decline,
    consortium_member_remove,
    declarations_save,
    subcontractor_add,
    subcontractor_remove,
)
from partners.submission import exclusion_grounds, submission_problems
from procurements.models import Procurement
from tests import factories
from tests.partners.consortia_samples import events, lead_request, member_c, open_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_a(personas):
    return lead_request(personas)


@pytest.fixture
def c_member(personas):
    """A member (not an admin) of organisation C."""
    return factories.supplier(personas.org_c, email="c-member@example.org")


def add_c(personas, request, **fields):
    values = {"organisation": "Gamma Sensors Ltd", "role": "Sensors", "share_of_work": 30}
    return consortium_member_add(
        actor=personas.supplier_a_member, request=request, **{**values, **fields}
    )


# --- adding members ------------------------------------------------------------------------------


def test_any_member_of_the_lead_adds_a_registered_organisation_by_its_number_however_typed(
    personas, request_a, django_capture_on_commit_callbacks, mailoutbox
):
    personas.org_c.companies_house_number = "SC012345"
    personas.org_c.save()

    with django_capture_on_commit_callbacks(execute=True):
        member = add_c(personas, request_a, organisation=" sc01 2345 ", role=" Sensors ")

    assert (member.organisation, member.role, member.share_of_work) == (
        personas.org_c,
        "Sensors",
        30,
    )
    assert member.confirmed_at is None
    [event] = events("partners.consortium_member_added")
    assert event.actor == personas.supplier_a_member
    assert event.target_id == str(request_a.pk)
    assert event.data == {
        "request_id": request_a.pk,
        "status": "draft",
        "member_id": member.pk,
        "organisation_id": personas.org_c.pk,
    }
    [mail] = mailoutbox
    assert mail.to == [personas.consortium_member.email]
    assert "Alpha Robotics Ltd has named Gamma Sensors Ltd" in mail.body
    assert reverse("requests:consortium-invitations") in mail.body


def test_a_number_without_its_leading_zeros_finds_the_organisation(personas, request_a):
    personas.org_c.companies_house_number = "00123456"
    personas.org_c.save()

    assert add_c(personas, request_a, organisation="123456").organisation == personas.org_c


def test_an_exact_name_finds_the_organisation_whatever_its_case(personas, request_a):
    assert add_c(personas, request_a, organisation="gamma sensors LTD").organisation == (
        personas.org_c
    )


def test_an_organisation_not_registered_on_the_portal_must_register_first(personas, request_a):
    with pytest.raises(ApplicationError) as refused:
        add_c(personas, request_a, organisation="Zeta Devices Ltd")

    assert "must register on the portal first" in refused.value.message
    assert "Zeta Devices Ltd" in refused.value.message
    assert refused.value.extra["errors"]["organisation"] == refused.value.message
    assert not ConsortiumMember.objects.exists()


def test_a_name_two_organisations_share_asks_for_the_number(personas, request_a):
    factories.SupplierOrganisationFactory(name="Gamma Sensors Ltd")

    with pytest.raises(ApplicationError, match="Enter its Companies House number instead"):
        add_c(personas, request_a)
    assert not ConsortiumMember.objects.exists()


def test_the_lead_is_not_its_own_member_and_a_member_is_named_once(personas, request_a):
    with pytest.raises(ApplicationError, match="Alpha Robotics Ltd leads this request"):
        add_c(personas, request_a, organisation="Alpha Robotics Ltd")
    add_c(personas, request_a)
    with pytest.raises(ApplicationError, match="already a member of this consortium"):
        add_c(personas, request_a, share_of_work=10)

    assert ConsortiumMember.objects.count() == 1


def test_role_and_share_are_checked_with_the_organisation(personas, request_a):
    with pytest.raises(ApplicationError) as refused:
        add_c(personas, request_a, organisation="Nobody Ltd", role="  ", share_of_work=100)

    assert set(refused.value.extra["errors"]) == {"organisation", "role", "share_of_work"}
    assert not ConsortiumMember.objects.exists()


def test_members_are_added_only_to_a_request_made_as_a_consortium(personas):
    alone = lead_request(personas, is_consortium=False)

    with pytest.raises(ApplicationError, match="Choose to apply as a consortium first"):
        add_c(personas, alone)
    assert not ConsortiumMember.objects.exists()


@pytest.mark.parametrize("who", ["supplier_b_admin", "consortium_member", "officer_a", "superuser"])
def test_nobody_outside_the_lead_organisation_changes_its_consortium(personas, request_a, who):
    member = member_c(personas, request_a)
    actor = getattr(personas, who)

    with pytest.raises(PermissionRefused):
        consortium_member_add(
            actor=actor,
            request=request_a,
            organisation=personas.org_b.name,
            role="Care",
            share_of_work=10,
        )
    with pytest.raises(PermissionRefused):
        consortium_member_change(actor=actor, member=member, role="Other", share_of_work=5)
    with pytest.raises(PermissionRefused):
        consortium_member_remove(actor=actor, member=member)
    with pytest.raises(PermissionRefused):
        subcontractor_add(actor=actor, request=request_a, name="Delta", work="Testing")

    assert list(ConsortiumMember.objects.values_list("role", flat=True)) == ["Sensors and data"]
    assert not Subcontractor.objects.exists()


# --- changing and removing ---------------------------------------------------------------------


def test_changing_a_confirmed_members_terms_clears_its_confirmation(
    personas, request_a, django_capture_on_commit_callbacks, mailoutbox
):
    member = member_c(personas, request_a)
    consortium_member_confirm(actor=personas.consortium_member, member=member)

    with django_capture_on_commit_callbacks(execute=True):
        changed = consortium_member_change(
            actor=personas.supplier_a_admin,
            member=member,
            role="Sensors and data",
            share_of_work=40,
        )

    member.refresh_from_db()
    assert (member.share_of_work, member.confirmed_at, member.confirmed_by) == (40, None, None)
    assert changed.confirmed_at is None
    [event] = events("partners.consortium_member_changed")
    assert event.data["fields"] == ["share_of_work"]
    assert event.data["confirmation_cleared"] is True
    [mail] = mailoutbox
    assert mail.to == [personas.consortium_member.email]
    assert "must confirm again" in mail.body


def test_changing_the_role_of_an_unconfirmed_member_records_nothing_was_cleared(
    personas, request_a
):
    member = member_c(personas, request_a)

    consortium_member_change(
        actor=personas.supplier_a_admin, member=member, role="Data platform", share_of_work=30
    )

    member.refresh_from_db()
    assert member.role == "Data platform"
    [event] = events("partners.consortium_member_changed")
    assert event.data["fields"] == ["role"]
    assert event.data["confirmation_cleared"] is False


def test_saving_the_same_terms_keeps_the_confirmation_and_records_nothing(personas, request_a):
    member = member_c(personas, request_a)
    consortium_member_confirm(actor=personas.consortium_member, member=member)

    consortium_member_change(
        actor=personas.supplier_a_admin, member=member, role="Sensors and data", share_of_work=30
    )

    member.refresh_from_db()
    assert member.confirmed_at is not None
    assert events("partners.consortium_member_changed") == []


def test_removing_a_member_removes_the_declarations_it_made_in_the_request(personas, request_a):
    member = member_c(personas, request_a)
    declare_all(personas.consortium_member, request_a, personas.org_c)
    declare_all(personas.supplier_a_admin, request_a, personas.org_a)
    grounds = len(exclusion_grounds(request_a.procurement))

    consortium_member_remove(actor=personas.supplier_a_member, member=member)

    assert not ConsortiumMember.objects.exists()
    assert not ExclusionDeclaration.objects.filter(organisation=personas.org_c).exists()
    assert ExclusionDeclaration.objects.filter(organisation=personas.org_a).count() == grounds
    [event] = events("partners.consortium_member_removed")
    assert event.data["declarations_removed"] == grounds
    assert event.data["organisation_id"] == personas.org_c.pk


# --- confirming and declining, by the member -----------------------------------------------------


def test_only_an_admin_of_the_member_organisation_confirms(personas, request_a, c_member):
    member = member_c(personas, request_a)

    for someone in (personas.supplier_a_admin, personas.supplier_b_admin, c_member):
        with pytest.raises(PermissionRefused, match="Only an organisation admin of Gamma"):
            consortium_member_confirm(actor=someone, member=member)
    member.refresh_from_db()
    assert member.confirmed_at is None

    consortium_member_confirm(actor=personas.consortium_member, member=member)

    member.refresh_from_db()
    assert member.confirmed_by == personas.consortium_member
    assert member.confirmed_at is not None
    [event] = events("partners.consortium_member_confirmed")
    assert event.actor == personas.consortium_member
    assert event.data["member_id"] == member.pk


def test_confirming_twice_keeps_the_first_confirmation(personas, request_a):
    member = member_c(personas, request_a)
    first = consortium_member_confirm(actor=personas.consortium_member, member=member).confirmed_at

    again = consortium_member_confirm(actor=personas.consortium_member, member=member)

    assert again.confirmed_at == first
    assert len(events("partners.consortium_member_confirmed")) == 1


def test_declining_removes_the_member_and_tells_the_lead_with_the_reason(
    personas, request_a, django_capture_on_commit_callbacks, mailoutbox
):
    member = member_c(personas, request_a)
    declare_all(personas.consortium_member, request_a, personas.org_c)

    with django_capture_on_commit_callbacks(execute=True):
        consortium_member_decline(
            actor=personas.consortium_member, member=member, reason=" No capacity this year. "
        )

    assert not ConsortiumMember.objects.exists()
    assert not ExclusionDeclaration.objects.filter(organisation=personas.org_c).exists()
    [event] = events("partners.consortium_member_declined")
    assert event.actor == personas.consortium_member
    # The lead is told the reason; the audit trail, which the borough reads, is not.
    assert event.data["reason_given"] is True
    assert "No capacity this year." not in str(event.data)
    [mail] = mailoutbox
    assert mail.to == [personas.supplier_a_admin.email]  # the lead's admins, not its members
    assert "Gamma Sensors Ltd has declined" in mail.body
    assert "No capacity this year." in mail.body


def test_a_member_who_is_not_an_admin_cannot_decline(personas, request_a, c_member):
    member = member_c(personas, request_a)

    with pytest.raises(PermissionRefused):
        consortium_member_decline(actor=c_member, member=member)
    with pytest.raises(PermissionRefused):
        consortium_member_decline(actor=personas.supplier_a_admin, member=member)

    assert ConsortiumMember.objects.filter(pk=member.pk).exists()


# --- the participation window and the request's state --------------------------------------------


def test_nothing_changes_from_the_second_after_the_deadline(personas, request_a, clock):
    member = member_c(personas, request_a)
    deadline = request_a.procurement.participation_deadline

    clock(deadline - timedelta(seconds=1))
    consortium_member_change(
        actor=personas.supplier_a_admin, member=member, role="Sensors", share_of_work=30
    )
    clock(deadline + timedelta(seconds=1))
    closed = "Requests to participate closed at"
    with pytest.raises(ApplicationError, match=closed):
        consortium_member_change(
            actor=personas.supplier_a_admin, member=member, role="Late", share_of_work=30
        )
    with pytest.raises(ApplicationError, match=closed):
        add_c(personas, request_a, organisation=personas.org_b.name)
    with pytest.raises(ApplicationError, match=closed):
        consortium_member_remove(actor=personas.supplier_a_admin, member=member)
    with pytest.raises(ApplicationError, match=closed):
        consortium_member_confirm(actor=personas.consortium_member, member=member)
    with pytest.raises(ApplicationError, match=closed):
        consortium_member_decline(actor=personas.consortium_member, member=member)
    with pytest.raises(ApplicationError, match=closed):
        subcontractor_add(actor=personas.supplier_a_admin, request=request_a, name="D", work="W")

    member.refresh_from_db()
    assert (member.role, member.confirmed_at) == ("Sensors", None)
    assert ConsortiumMember.objects.count() == 1
    assert not Subcontractor.objects.exists()


@pytest.mark.parametrize("status", [RequestStatus.WITHDRAWN, RequestStatus.SHORTLISTED])
def test_a_request_that_is_not_draft_or_submitted_keeps_its_consortium(personas, request_a, status):
    member = member_c(personas, request_a)
    ParticipationRequest.objects.filter(pk=request_a.pk).update(status=status)

    with pytest.raises(ApplicationError):
        consortium_member_confirm(actor=personas.consortium_member, member=member)
    with pytest.raises(ApplicationError):
        add_c(personas, request_a, organisation=personas.org_b.name)

    member.refresh_from_db()
    assert member.confirmed_at is None
    assert ConsortiumMember.objects.count() == 1


def test_a_submitted_request_may_still_change_its_consortium_before_the_deadline(
    personas, request_a
):
    ParticipationRequest.objects.filter(pk=request_a.pk).update(status=RequestStatus.SUBMITTED)

    member = add_c(personas, request_a)

    assert member.pk is not None


# --- subcontractors -------------------------------------------------------------------------------


def test_subcontractors_are_declared_and_removed_by_the_lead(personas):
    request = lead_request(personas, is_consortium=False)

    subcontractor = subcontractor_add(
        actor=personas.supplier_a_member,
        request=request,
        name="  Delta   Labs Ltd ",
        companies_house_number="1234567",
        work="Usability testing with residents",
    )
    assert (subcontractor.name, subcontractor.companies_house_number) == (
        "Delta Labs Ltd",
        "01234567",
    )
    subcontractor_remove(actor=personas.supplier_a_admin, subcontractor=subcontractor)

    assert not Subcontractor.objects.exists()
    [added] = events("partners.subcontractor_added")
    [removed] = events("partners.subcontractor_removed")
    assert added.data["subcontractor_id"] == removed.data["subcontractor_id"] == subcontractor.pk
    assert "Delta" not in str(added.data)


def test_a_subcontractor_needs_a_name_and_its_work_and_a_real_number_if_any(personas, request_a):
    with pytest.raises(ApplicationError) as refused:
        subcontractor_add(
            actor=personas.supplier_a_admin,
            request=request_a,
            name=" ",
            companies_house_number="12-AB",
            work="",
        )

    assert set(refused.value.extra["errors"]) == {"name", "companies_house_number", "work"}
    assert not Subcontractor.objects.exists()


# --- the audit trail keeps no content ------------------------------------------------------------


def test_the_audit_trail_holds_no_role_share_or_reason_of_the_lead(personas, request_a):
    member = add_c(personas, request_a, role="Secret sauce engineering", share_of_work=37)
    consortium_member_change(
        actor=personas.supplier_a_admin, member=member, role="Hidden role", share_of_work=41
    )

    data = [
        event.data
        for action in ("partners.consortium_member_added", "partners.consortium_member_changed")
        for event in events(action)
    ]
    assert len(data) == 2
    # Ids are numbers too (and may be 37 or 41): only what is not an id is looked at.
    recorded = [
        value
        for item in data
        for key, value in item.items()
        if not (key == "id" or key.endswith("_id") or key.endswith("_ids"))
    ]
    for secret in ("Secret sauce", "Hidden role"):
        assert secret not in str(recorded)
    for share in (37, 41):
        assert share not in recorded and str(share) not in map(str, recorded)


# --- what the submit page still asks for ---------------------------------------------------------


def declare_all(actor, request, organisation) -> None:
    declarations_save(
        actor=actor,
        request=request,
        organisation=organisation,
        answers={
            ground.key: DeclarationAnswer(applies=False)
            for ground in exclusion_grounds(request.procurement)
        },
    )


def test_submission_waits_for_each_member_to_confirm_and_declare(personas, request_a):
    request_a.has_conflict = False
    request_a.save()
    declare_all(personas.supplier_a_admin, request_a, personas.org_a)
    member = add_c(personas, request_a)
    consortium = reverse("requests:consortium", kwargs={"pk": request_a.pk})
    declarations = reverse(
        "requests:exclusions", kwargs={"pk": request_a.pk, "organisation_pk": personas.org_c.pk}
    )

    problems = {problem.message: problem.url for problem in submission_problems(request_a)}
    assert problems["Gamma Sensors Ltd has not confirmed it is in the consortium"] == consortium
    [undeclared] = [m for m in problems if m.startswith("Gamma Sensors Ltd: declare whether")]
    assert problems[undeclared] == declarations
    assert len(problems) == 2

    consortium_member_confirm(actor=personas.consortium_member, member=member)
    assert [p.message for p in submission_problems(request_a)] == [undeclared]
    declare_all(personas.consortium_member, request_a, personas.org_c)
    assert submission_problems(request_a) == []

    consortium_member_change(
        actor=personas.supplier_a_admin, member=member, role="Other", share_of_work=30
    )
    assert [p.message for p in submission_problems(request_a)] == [
        "Gamma Sensors Ltd has not confirmed it is in the consortium"
    ]


# --- the lead's pages --------------------------------------------------------------------------


def test_the_lead_sees_its_members_their_terms_and_confirmations(personas, request_a, login):
    confirmed = member_c(personas, request_a)
    consortium_member_confirm(actor=personas.consortium_member, member=confirmed)
    ConsortiumMember.objects.create(
        request=request_a, organisation=personas.org_b, role="Care homes", share_of_work=20
    )
    Subcontractor.objects.create(request=request_a, name="Delta Labs Ltd", work="Testing")

    page = login(personas.supplier_a_member).get(
        reverse("requests:consortium", kwargs={"pk": request_a.pk})
    )

    text = page.content.decode()
    assert page.status_code == 200
    for expected in ("Gamma Sensors Ltd", "Sensors and data", "30%", "Confirmed"):
        assert expected in text
    for expected in ("Beta Care CIC", "Care homes", "Waiting for confirmation", "keeps 50%"):
        assert expected in text
    assert "Delta Labs Ltd" in text


@pytest.mark.parametrize("who", ["supplier_b_admin", "consortium_member", "officer_a"])
def test_another_organisation_gets_404_and_changes_nothing(personas, request_a, login, who):
    member = member_c(personas, request_a)
    client = login(getattr(personas, who))
    add = reverse("requests:consortium-member-add", kwargs={"pk": request_a.pk})
    change = reverse(
        "requests:consortium-member-change", kwargs={"pk": request_a.pk, "member_pk": member.pk}
    )
    remove = reverse(
        "requests:consortium-member-remove", kwargs={"pk": request_a.pk, "member_pk": member.pk}
    )

    assert client.get(reverse("requests:consortium", kwargs={"pk": request_a.pk})).status_code == (
        404
    )
    data = {"organisation": "Beta Care CIC", "role": "Care", "share_of_work": "10"}
    assert client.post(add, data).status_code == 404
    assert client.post(change, {"role": "Taken", "share_of_work": "60"}).status_code == 404
    assert client.post(remove).status_code == 404

    assert list(ConsortiumMember.objects.values_list("role", flat=True)) == ["Sensors and data"]


def test_adding_a_member_on_the_page(personas, request_a, login):
    client = login(personas.supplier_a_admin)
    url = reverse("requests:consortium-member-add", kwargs={"pk": request_a.pk})

    response = client.post(
        url,
        {
            "organisation": personas.org_c.companies_house_number,
            "role": "Sensors",
            "share_of_work": "25",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("requests:consortium", kwargs={"pk": request_a.pk})
    assert ConsortiumMember.objects.get().organisation == personas.org_c


def test_a_refused_member_keeps_what_was_typed(personas, request_a, login):
    client = login(personas.supplier_a_admin)
    url = reverse("requests:consortium-member-add", kwargs={"pk": request_a.pk})

    response = client.post(
        url, {"organisation": "Zeta Devices Ltd", "role": "Radar prototypes", "share_of_work": "15"}
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "must register on the portal first" in text
    assert 'value="Zeta Devices Ltd"' in text
    assert 'value="Radar prototypes"' in text
    assert 'value="15"' in text
    assert not ConsortiumMember.objects.exists()


def test_a_change_after_the_deadline_is_refused_on_the_page_and_keeps_what_was_typed(
    personas, request_a, login
):
    member = member_c(personas, request_a)
    client = login(personas.supplier_a_admin)
    deadline = timezone.now() - timedelta(seconds=1)
    Procurement.objects.filter(pk=request_a.procurement_id).update(participation_deadline=deadline)
    url = reverse(
        "requests:consortium-member-change", kwargs={"pk": request_a.pk, "member_pk": member.pk}
    )

    response = client.post(url, {"role": "Typed too late", "share_of_work": "45"})

    text = response.content.decode()
    assert response.status_code == 200
    assert "Requests to participate closed at" in text
    assert 'value="Typed too late"' in text
    member.refresh_from_db()
    assert member.role == "Sensors and data"


def test_removing_a_subcontractor_on_the_page(personas, request_a, login):
    subcontractor = Subcontractor.objects.create(request=request_a, name="Delta", work="Tests")
    client = login(personas.supplier_a_member)
    url = reverse(
        "requests:subcontractor-remove",
        kwargs={"pk": request_a.pk, "subcontractor_pk": subcontractor.pk},
    )

    assert "Are you sure you want to remove Delta?" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not Subcontractor.objects.exists()


# --- the member's pages --------------------------------------------------------------------------


def test_a_member_sees_the_call_the_lead_its_terms_and_the_other_members_only(
    personas, request_a, login
):
    member_c(personas, request_a)
    ConsortiumMember.objects.create(
        request=request_a, organisation=personas.org_b, role="Care homes pilot", share_of_work=20
    )
    question = SelectionQuestion.objects.create(
        procurement=request_a.procurement,
        kind="scored",
        topic="rd_capability",
        text="Q",
        weight=100,
    )
    RequestAnswer.objects.create(
        request=request_a,
        question=question,
        text="The lead's confidential answer",
        updated_by=personas.supplier_a_admin,
    )
    request_a.has_conflict = True
    request_a.conflict_details = "The lead's conflict details"
    request_a.save()
    Subcontractor.objects.create(request=request_a, name="Delta Labs Ltd", work="Hidden work")

    page = login(personas.consortium_member).get(reverse("requests:consortium-invitations"))

    text = page.content.decode()
    assert page.status_code == 200
    procurement = request_a.procurement
    for shown in (procurement.reference, procurement.title, "Alpha Robotics Ltd"):
        assert shown in text
    for shown in ("Sensors and data", "30%", "Beta Care CIC", "Waiting for your confirmation"):
        assert shown in text
    for hidden in ("confidential answer", "conflict details", "Care homes pilot", "Delta Labs"):
        assert hidden not in text


def test_the_member_admin_confirms_on_the_page(personas, request_a, login):
    member = member_c(personas, request_a)
    url = reverse("requests:consortium-invitation-confirm", kwargs={"pk": request_a.pk})

    response = login(personas.consortium_member).post(url)

    assert response["Location"] == reverse("requests:consortium-invitations")
    member.refresh_from_db()
    assert member.confirmed_by == personas.consortium_member


def test_confirming_is_for_the_member_admin_only_on_the_page(personas, request_a, login, c_member):
    member = member_c(personas, request_a)
    url = reverse("requests:consortium-invitation-confirm", kwargs={"pk": request_a.pk})

    assert login(c_member).post(url).status_code == 403
    for outsider in (personas.supplier_a_admin, personas.supplier_b_admin):
        assert login(outsider).post(url).status_code == 404

    member.refresh_from_db()
    assert member.confirmed_at is None


def test_declining_on_the_page_with_a_reason(personas, request_a, login):
    member_c(personas, request_a)
    client = login(personas.consortium_member)
    url = reverse("requests:consortium-invitation-decline", kwargs={"pk": request_a.pk})

    assert "Decline to join the consortium led by Alpha" in client.get(url).content.decode()
    response = client.post(url, {"reason": "Not this year"})

    assert response["Location"] == reverse("requests:consortium-invitations")
    assert not ConsortiumMember.objects.exists()


def test_the_invitations_page_makes_the_same_queries_for_one_or_many_consortia(
    personas, login, django_assert_num_queries
):
    client = login(personas.consortium_member)
    url = reverse("requests:consortium-invitations")

    def add_consortia(count: int) -> None:
        for _ in range(count):
            request = ParticipationRequest.objects.create(
                procurement=open_call(personas),
                organisation=factories.SupplierOrganisationFactory(),
                is_consortium=True,
                created_by=personas.supplier_a_admin,
            )
            member_c(personas, request)
            ConsortiumMember.objects.create(
                request=request,
                organisation=factories.SupplierOrganisationFactory(),
                role="Other",
                share_of_work=10,
            )

    add_consortia(1)
    client.get(url)  # the first visit may fill caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    add_consortia(4)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count('class="govuk-summary-card"') == 5


def test_only_suppliers_open_the_invitations_page(personas, login):
    assert login(personas.officer_a).get(
        reverse("requests:consortium-invitations")
    ).status_code == (403)


def test_the_supplier_membership_role_matters_for_the_confirm_button(personas, request_a, login):
    member_c(personas, request_a)
    c_plain = factories.supplier(personas.org_c, SupplierRole.MEMBER, email="c2@example.org")

    text = login(c_plain).get(reverse("requests:consortium-invitations")).content.decode()

    assert "An organisation admin of Gamma Sensors Ltd confirms or declines." in text
    assert (
        reverse("requests:consortium-invitation-confirm", kwargs={"pk": request_a.pk}) not in text
    )
