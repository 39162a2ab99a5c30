"""The public opportunity page and the supplier pages behind it agree: with the ask page on
whether questions may be asked, and with each other on whether an opportunity exists."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from procurements.models import MarketEngagement, Procurement, ProcurementStatus
from tests import factories
from tests.procurements.publication_samples import published_opportunity

pytestmark = pytest.mark.django_db


def test_an_open_call_without_a_question_deadline_offers_no_question(personas, login):
    procurement = published_opportunity(personas)
    Procurement.objects.filter(pk=procurement.pk).update(question_deadline=None)
    client = login(personas.supplier_a_admin)
    ask = reverse("opportunities:ask", kwargs={"pk": procurement.pk})

    html = client.get(reverse("opportunities:detail", kwargs={"pk": procurement.pk})).content

    assert f'href="{ask}"'.encode() not in html
    assert b"This opportunity does not take clarification questions." in client.get(ask).content


def _cancelled_before_anything_was_published(personas) -> Procurement:
    procurement = factories.ProcurementFactory(borough=personas.borough_a)
    Procurement.objects.filter(pk=procurement.pk).update(status=ProcurementStatus.CANCELLED)
    return procurement


@pytest.mark.parametrize("name", ["detail", "follow", "unfollow", "ask", "my-questions"], ids=str)
def test_a_procurement_never_published_does_not_exist_on_any_public_page(personas, login, name):
    for procurement in (
        factories.ProcurementFactory(borough=personas.borough_a),
        _cancelled_before_anything_was_published(personas),
    ):
        url = reverse(f"opportunities:{name}", kwargs={"pk": procurement.pk})
        client = login(personas.supplier_a_admin)
        response = client.post(url) if name in ("follow", "unfollow") else client.get(url)
        assert response.status_code == 404, (name, procurement.status)


@pytest.mark.parametrize("name", ["detail", "ask", "my-questions"], ids=str)
def test_a_published_market_engagement_exists_on_every_public_page(personas, login, name):
    procurement = factories.ProcurementFactory(borough=personas.borough_a)
    MarketEngagement.objects.create(
        procurement=procurement,
        title="Talk to us about warm homes",
        summary="We want to learn what could keep older flats warm.",
        published_at=timezone.now() - timedelta(days=1),
    )
    url = reverse(f"opportunities:{name}", kwargs={"pk": procurement.pk})

    response = login(personas.supplier_a_admin).get(url)

    assert response.status_code == 200
    assert b"Talk to us about warm homes" in response.content
    assert (
        Client().get(reverse("opportunities:detail", kwargs={"pk": procurement.pk})).status_code
        == 200
    )
