"""A supplier never sees another organisation's request: every page of a request answers
404 to anyone outside its lead organisation, by GET or POST, whatever id they try, and
nothing changes. The borough's people get 404 too: they see nothing before the deadline."""

import pytest
from django.urls import reverse

from partners.models import (
    ConsortiumMember,
    ParticipationRequest,
    RequestAnswer,
    RequestSubmission,
)
from partners.services_requests import request_submit

from .request_samples import a_request, answer_everything, open_call, questions

pytestmark = pytest.mark.django_db

OUTSIDERS = (
    "supplier_b_admin",
    "supplier_b_member",
    "consortium_member",
    "officer_a",
    "approver_a",
    "superuser",
)


@pytest.fixture
def submitted(personas):
    """Supplier A's request, submitted, leading a consortium with C (which has confirmed)."""
    request = a_request(personas, open_call(personas))
    answer_everything(personas, request)
    request_submit(actor=personas.supplier_a_admin, request=request)
    ParticipationRequest.objects.filter(pk=request.pk).update(is_consortium=True)
    ConsortiumMember.objects.create(
        request=request,
        organisation=personas.org_c,
        role="Sensors",
        share_of_work=20,
        confirmed_by=personas.consortium_member,
    )
    request.refresh_from_db()
    return request


def pages(request) -> list[str]:
    question = questions(request.procurement)[1]
    names = [
        ("detail", {}),
        ("answer", {"question_pk": question.pk}),
        ("conflicts", {}),
        ("applying-as", {}),
        ("submit", {}),
        ("receipt", {"number": 1}),
        ("withdraw", {}),
        ("restart", {}),
    ]
    return [
        reverse(f"requests:{name}", kwargs={"pk": request.pk, **kwargs}) for name, kwargs in names
    ]


def get_status(page: str) -> int:
    """Starting again is a POST: a GET is refused as such before anything is looked up."""
    return 405 if page.endswith("/restart/") else 404


def snapshot(request):
    request.refresh_from_db()
    return (
        request.status,
        request.is_consortium,
        request.has_conflict,
        list(RequestAnswer.objects.values_list("text", "meets")),
        RequestSubmission.objects.count(),
    )


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_every_page_of_another_organisations_request_is_404(personas, login, submitted, persona):
    client = login(getattr(personas, persona))
    before = snapshot(submitted)
    posted = {"text": "intruder", "meets": "no", "has_conflict": "yes", "details": "x"}

    for page in pages(submitted):
        assert client.get(page).status_code == get_status(page), page
        assert client.post(page, {**posted, "is_consortium": "alone"}).status_code == 404, page

    assert snapshot(submitted) == before


def test_the_lead_organisations_people_see_every_page(personas, login, submitted):
    for persona in ("supplier_a_admin", "supplier_a_member"):
        client = login(getattr(personas, persona))
        for page in pages(submitted):
            expected = 405 if page.endswith("/restart/") else 200
            assert client.get(page).status_code == expected, (persona, page)


def test_ids_that_do_not_exist_look_the_same_as_ids_of_others(personas, login, submitted):
    client = login(personas.supplier_a_admin)
    missing = ParticipationRequest.objects.order_by("-pk").first().pk + 1000

    for page in pages(submitted):
        guessed = page.replace(f"/requests/{submitted.pk}/", f"/requests/{missing}/", 1)
        assert client.get(guessed).status_code == get_status(guessed), guessed
        assert client.post(guessed).status_code == 404, guessed
    assert (
        client.get(
            reverse("requests:receipt", kwargs={"pk": submitted.pk, "number": 2})
        ).status_code
        == 404
    )
    no_question = reverse("requests:answer", kwargs={"pk": submitted.pk, "question_pk": 999999})
    assert client.get(no_question).status_code == 404


def test_the_list_shows_only_the_organisations_own_requests(personas, login, submitted):
    other = a_request(
        personas,
        submitted.procurement,
        organisation=personas.org_b,
        created_by=personas.supplier_b_admin,
    )

    page_a = login(personas.supplier_a_member).get(reverse("requests:list")).content.decode()
    page_b = login(personas.supplier_b_member).get(reverse("requests:list")).content.decode()

    assert f'id="request-{submitted.pk}"' in page_a and f'id="request-{other.pk}"' not in page_a
    assert f'id="request-{other.pk}"' in page_b and f'id="request-{submitted.pk}"' not in page_b
    assert "Submitted" in page_a
