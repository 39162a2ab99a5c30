"""Exclusion declarations: each organisation of a request (the lead, each consortium member)
declares every ground of the regime for itself; a ground that applies needs its details;
nobody else may see or change them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError, PermissionRefused
from partners.models import ExclusionDeclaration
from partners.services_consortia import DeclarationAnswer, declaration_save, declarations_save
from partners.submission import exclusion_grounds
from procurements.models import Procurement
from tests import factories
from tests.partners.consortia_samples import events, lead_request, member_c

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_a(personas):
    request = lead_request(personas)
    member_c(personas, request)
    return request


def url(request, organisation) -> str:
    return reverse(
        "requests:exclusions", kwargs={"pk": request.pk, "organisation_pk": organisation.pk}
    )


def first_ground(request):
    return exclusion_grounds(request.procurement)[0]


# --- the service -------------------------------------------------------------------------------


def test_the_lead_declares_for_itself_and_the_audit_keeps_no_answer(personas, request_a):
    ground = first_ground(request_a)

    declaration = declaration_save(
        actor=personas.supplier_a_member,
        request=request_a,
        organisation=personas.org_a,
        ground=ground.key,
        applies=True,
        details="Fined in 2023 for a late tax return",
        self_cleaning="New finance controller",
    )

    assert (declaration.applies, declaration.details, declaration.self_cleaning) == (
        True,
        "Fined in 2023 for a late tax return",
        "New finance controller",
    )
    assert declaration.declared_by == personas.supplier_a_member
    [event] = events("partners.exclusions_declared")
    assert event.data == {
        "request_id": request_a.pk,
        "status": "draft",
        "organisation_id": personas.org_a.pk,
        "grounds": [ground.key],
        "answered": 1,
        "of": len(exclusion_grounds(request_a.procurement)),
    }


def test_a_member_declares_for_itself_by_any_of_its_people(personas, request_a):
    c_member = factories.supplier(personas.org_c, email="c-member@example.org")

    declaration = declaration_save(
        actor=c_member,
        request=request_a,
        organisation=personas.org_c,
        ground=first_ground(request_a).key,
        applies=False,
    )

    assert declaration.organisation == personas.org_c


@pytest.mark.parametrize(
    ("who", "organisation"),
    [
        ("supplier_a_admin", "org_c"),  # the lead does not declare for its member
        ("consortium_member", "org_a"),  # nor a member for the lead
        ("supplier_b_admin", "org_a"),
        ("supplier_b_admin", "org_b"),  # not part of the request at all
        ("officer_a", "org_a"),
    ],
)
def test_each_organisation_declares_for_itself_only(personas, request_a, who, organisation):
    with pytest.raises(PermissionRefused):
        declaration_save(
            actor=getattr(personas, who),
            request=request_a,
            organisation=getattr(personas, organisation),
            ground=first_ground(request_a).key,
            applies=False,
        )

    assert not ExclusionDeclaration.objects.exists()


def test_the_member_of_a_request_no_longer_made_as_a_consortium_declares_nothing(
    personas, request_a
):
    request_a.is_consortium = False
    request_a.save()

    with pytest.raises(PermissionRefused, match="not part of this request"):
        declaration_save(
            actor=personas.consortium_member,
            request=request_a,
            organisation=personas.org_c,
            ground=first_ground(request_a).key,
            applies=False,
        )


def test_a_ground_that_applies_needs_its_details_and_nothing_is_saved_without_them(
    personas, request_a
):
    grounds = exclusion_grounds(request_a.procurement)
    answers = {ground.key: DeclarationAnswer(applies=False) for ground in grounds}
    answers[grounds[2].key] = DeclarationAnswer(applies=True, details="  ")

    with pytest.raises(ApplicationError) as refused:
        declarations_save(
            actor=personas.supplier_a_admin,
            request=request_a,
            organisation=personas.org_a,
            answers=answers,
        )

    message = refused.value.extra["errors"][f"{grounds[2].key}-details"]
    assert message.startswith(f"Give the details of {grounds[2].label.lower()}")
    assert not ExclusionDeclaration.objects.exists()
    assert events("partners.exclusions_declared") == []


def test_a_ground_of_another_regime_is_refused(personas, request_a):
    with pytest.raises(ApplicationError, match="not an exclusion ground of this procurement"):
        declaration_save(
            actor=personas.supplier_a_admin,
            request=request_a,
            organisation=personas.org_a,
            ground="no_such_ground",
            applies=False,
        )
    assert not ExclusionDeclaration.objects.exists()


def test_answering_no_drops_the_details_given_before(personas, request_a):
    key = first_ground(request_a).key
    save = {
        "actor": personas.supplier_a_admin,
        "request": request_a,
        "organisation": personas.org_a,
        "ground": key,
    }
    declaration_save(**save, applies=True, details="Something", self_cleaning="Steps")

    declaration = declaration_save(**save, applies=False, details="Something", self_cleaning="x")

    assert (declaration.applies, declaration.details, declaration.self_cleaning) == (False, "", "")
    assert ExclusionDeclaration.objects.count() == 1


def test_grounds_may_wait_and_saving_the_same_answers_records_nothing(personas, request_a):
    grounds = exclusion_grounds(request_a.procurement)
    answers = {ground.key: DeclarationAnswer(applies=None) for ground in grounds}
    answers[grounds[0].key] = DeclarationAnswer(applies=False)
    save = {
        "actor": personas.supplier_a_admin,
        "request": request_a,
        "organisation": personas.org_a,
        "answers": answers,
    }

    assert declarations_save(**save) == [grounds[0].key]
    assert declarations_save(**save) == []

    assert ExclusionDeclaration.objects.count() == 1
    assert len(events("partners.exclusions_declared")) == 1


def test_declarations_close_with_the_call(personas, request_a, clock):
    deadline = request_a.procurement.participation_deadline
    save = {
        "actor": personas.consortium_member,
        "request": request_a,
        "organisation": personas.org_c,
        "ground": first_ground(request_a).key,
    }

    clock(deadline - timedelta(seconds=1))
    declaration_save(**save, applies=False)
    clock(deadline + timedelta(seconds=1))
    with pytest.raises(ApplicationError, match="Requests to participate closed at"):
        declaration_save(**save, applies=True, details="Late")

    assert ExclusionDeclaration.objects.get().applies is False


# --- the page ----------------------------------------------------------------------------------


def test_the_page_lists_every_ground_mandatory_first_with_its_source(personas, request_a, login):
    page = login(personas.supplier_a_member).get(url(request_a, personas.org_a))

    text = page.content.decode()
    assert page.status_code == 200
    grounds = exclusion_grounds(request_a.procurement)
    positions = [text.index(f'id="ground-{ground.key}"') for ground in grounds]
    mandatory = [p for p, g in zip(positions, grounds, strict=True) if g.mandatory]
    discretionary = [p for p, g in zip(positions, grounds, strict=True) if not g.mandatory]
    assert mandatory and discretionary
    assert max(mandatory) < min(discretionary)
    for ground in grounds:
        assert ground.source in text


def test_the_member_opens_its_own_page_and_nobody_else_does(personas, request_a, login):
    assert login(personas.consortium_member).get(url(request_a, personas.org_c)).status_code == 200
    assert login(personas.consortium_member).get(url(request_a, personas.org_a)).status_code == 404
    assert login(personas.supplier_a_admin).get(url(request_a, personas.org_c)).status_code == 404
    for outsider in (personas.supplier_b_admin, personas.officer_a):
        for organisation in (personas.org_a, personas.org_c, personas.org_b):
            assert login(outsider).get(url(request_a, organisation)).status_code == 404


def test_saving_on_the_page(personas, request_a, login):
    grounds = exclusion_grounds(request_a.procurement)
    data = {f"{ground.key}-applies": "no" for ground in grounds}
    data[f"{grounds[1].key}-applies"] = "yes"
    data[f"{grounds[1].key}-details"] = "A conviction in 2022, spent in 2024"

    response = login(personas.consortium_member).post(url(request_a, personas.org_c), data)

    assert response["Location"] == reverse("requests:consortium-invitations")
    declared = ExclusionDeclaration.objects.filter(organisation=personas.org_c)
    assert declared.count() == len(grounds)
    assert declared.get(applies=True).details == "A conviction in 2022, spent in 2024"


def test_missing_details_are_shown_and_what_was_typed_is_kept(personas, request_a, login):
    grounds = exclusion_grounds(request_a.procurement)
    data = {
        f"{grounds[0].key}-applies": "yes",
        f"{grounds[0].key}-self_cleaning": "We replaced the board",
        f"{grounds[1].key}-applies": "no",
    }

    response = login(personas.supplier_a_admin).post(url(request_a, personas.org_a), data)

    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text
    assert f"Give the details of {grounds[0].label.lower()}" in text
    assert "We replaced the board" in text
    assert not ExclusionDeclaration.objects.exists()


def test_a_save_after_the_deadline_is_refused_and_keeps_what_was_typed(personas, request_a, login):
    Procurement.objects.filter(pk=request_a.procurement_id).update(
        participation_deadline=timezone.now() - timedelta(seconds=1)
    )
    key = first_ground(request_a).key
    data = {f"{key}-applies": "yes", f"{key}-details": "Typed after the deadline"}

    response = login(personas.supplier_a_admin).post(url(request_a, personas.org_a), data)

    text = response.content.decode()
    assert "Requests to participate closed at" in text
    assert "Typed after the deadline" in text
    assert not ExclusionDeclaration.objects.exists()


def test_the_lead_goes_back_to_its_request_after_saving(personas, request_a, login):
    key = first_ground(request_a).key

    response = login(personas.supplier_a_member).post(
        url(request_a, personas.org_a), {f"{key}-applies": "no"}
    )

    assert response["Location"] == reverse("requests:detail", kwargs={"pk": request_a.pk})
    assert ExclusionDeclaration.objects.get().organisation == personas.org_a
