"""The public opportunities list and an opportunity's page make the same number of queries
with 1 row as with 50: results, requirements, answered questions, notices, amendments,
events."""

import itertools
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from procurements.models import (
    Amendment,
    ClarificationQuestion,
    EngagementEvent,
    MarketEngagement,
    MinimumRequirement,
    Notice,
    Procurement,
    PublicationVersion,
    Sector,
)
from tests import factories
from tests.procurements.publication_samples import published_opportunity
from tests.query_budget import assert_query_budget

pytestmark = pytest.mark.django_db

SIZES = (1, 50)
_serial = itertools.count(1)


def _published(personas, borough=None) -> Procurement:
    number = next(_serial)
    now = timezone.now()
    return published_opportunity(
        personas,
        borough,
        closes=now + timedelta(days=number),
        questions_until=now + timedelta(days=1),
        title=f"Falls at home {number}",
        problem="Older residents fall at home",
        sector=Sector.HEALTH_AND_CARE,
    )


def _engagement(personas) -> MarketEngagement:
    procurement = factories.ProcurementFactory(
        borough=personas.borough_b, lead_officer=personas.officer_b
    )
    return MarketEngagement.objects.create(
        procurement=procurement,
        title=f"Engagement {next(_serial)}",
        summary="Tell us what works",
        published_at=timezone.now(),
    )


@pytest.mark.parametrize("persona", ["anonymous", "supplier_a_admin"])
def test_the_list_does_not_grow_with_the_results(personas, login, persona):
    client = login(getattr(personas, persona))

    def add(n):
        for _ in range(n):
            _published(personas, personas.borough_b if next(_serial) % 2 else None)
            _engagement(personas)

    assert_query_budget(client, reverse("opportunities:list"), add_rows=add, most=10, sizes=SIZES)


def test_a_filtered_list_does_not_grow_with_the_results(personas, client):
    def add(n):
        for _ in range(n):
            _published(personas)

    url = reverse("opportunities:list") + "?q=falls+home&sector=health_care&status=open"
    assert_query_budget(client, url, add_rows=add, most=10, sizes=SIZES)


def _grow_opportunity(personas, procurement):
    def add(n):
        for _ in range(n):
            i = next(_serial)
            MinimumRequirement.objects.create(procurement=procurement, text=f"Need {i}", order=i)
            question = ClarificationQuestion.objects.create(
                procurement=procurement,
                organisation=personas.org_a,
                asked_by=personas.supplier_a_admin,
                text=f"Question {i}",
            )
            question.publish_answer(
                public_text=f"Question {i}", answer=f"Answer {i}", by=personas.officer_a
            )
            question.save()
            Notice.objects.create(
                procurement=procurement,
                kind="uk4",
                content={"title": f"Notice {i}", "sections": []},
                created_by=personas.officer_a,
            )
            version = PublicationVersion.objects.create(
                procurement=procurement, number=i, content={}, created_by=personas.officer_a
            )
            Amendment.objects.create(
                procurement=procurement,
                number=i,
                reason=f"Reason {i}",
                changes=[
                    {"field": "problem", "label": "The problem", "before": "a", "after": "b"},
                    {
                        "field": "outcomes",
                        "label": "The outcomes wanted",
                        "before": "",
                        "after": "c",
                    },
                ],
                version=version,
                created_by=personas.officer_a,
            )

    return add


@pytest.mark.parametrize("persona", ["anonymous", "supplier_a_admin", "officer_a"])
def test_an_opportunity_does_not_grow_with_its_questions_notices_amendments_and_requirements(
    personas, login, persona
):
    procurement = _published(personas)
    url = reverse("opportunities:detail", kwargs={"pk": procurement.pk})

    assert_query_budget(
        login(getattr(personas, persona)),
        url,
        add_rows=_grow_opportunity(personas, procurement),
        most=15,
        sizes=SIZES,
    )


def test_an_engagement_does_not_grow_with_its_events_and_notices(personas, client):
    engagement = _engagement(personas)
    url = reverse("opportunities:detail", kwargs={"pk": engagement.procurement_id})

    def add(n):
        for _ in range(n):
            i = next(_serial)
            EngagementEvent.objects.create(
                engagement=engagement,
                title=f"Supplier day {i}",
                starts_at=timezone.now() + timedelta(days=i),
                place="Town hall",
            )
            Notice.objects.create(
                procurement=engagement.procurement,
                kind="uk2",
                content={"title": f"Notice {i}", "sections": []},
                created_by=personas.officer_b,
            )

    assert_query_budget(client, url, add_rows=add, most=10, sizes=SIZES)
