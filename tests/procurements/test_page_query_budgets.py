"""The task list, check your answers and the approver's review page make the same number
of queries however much every section holds (its own rows and those the apps above add)."""

import itertools
from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import OfficerRole
from ip_rights.models import IPTerms
from partners.models import SelectionQuestion
from procurements.models import AwardCriterion, MinimumRequirement, Procurement, ProcurementStatus
from stages.models import GateCriterion, IntermediateTarget, Phase, TerminationCondition
from tests import factories
from tests.query_budget import assert_query_budget

pytestmark = pytest.mark.django_db

_serial = itertools.count()


@pytest.fixture
def procurement(personas):
    procurement = factories.ProcurementFactory(
        borough=personas.borough_a, lead_officer=personas.officer_a, title="Falls at home"
    )
    IPTerms.objects.create(procurement=procurement)
    return procurement


def _grow(personas, procurement):
    def add(n):
        for _ in range(n):
            i = next(_serial)
            procurement.evaluators.add(factories.officer(personas.borough_a, OfficerRole.EVALUATOR))
            MinimumRequirement.objects.create(procurement=procurement, text=f"Need {i}", order=i)
            criterion = AwardCriterion.objects.create(
                procurement=procurement, kind="quality", name=f"Quality {i}", weight=1, order=i
            )
            criterion.sub_criteria.create(name=f"Part {i}")
            SelectionQuestion.objects.create(
                procurement=procurement,
                kind="scored",
                topic="rd_capability",
                text=f"Question {i}",
                weight=1,
                order=i,
            )
            phase = Phase.objects.create(
                procurement=procurement,
                kind="research",
                name=f"Phase {i}",
                order=i,
                duration_weeks=4,
                max_remuneration_per_partner=Decimal("1000"),
            )
            IntermediateTarget.objects.create(phase=phase, metric="Falls", threshold="-10%")
            GateCriterion.objects.create(phase=phase, criterion="Works", threshold="Pass")
            TerminationCondition.objects.create(phase=phase, condition="Fails the gate")

    return add


@pytest.mark.parametrize("name", ["procurements:task-list", "procurements:check-answers"])
def test_builder_pages_do_not_grow_with_what_the_sections_hold(personas, login, procurement, name):
    url = reverse(name, kwargs={"pk": procurement.pk})

    assert_query_budget(
        login(personas.officer_a), url, add_rows=_grow(personas, procurement), most=30
    )


def test_the_review_page_does_not_grow_with_what_the_sections_hold(personas, login, procurement):
    Procurement.objects.filter(pk=procurement.pk).update(status=ProcurementStatus.AWAITING_APPROVAL)
    url = reverse("procurements:review", kwargs={"pk": procurement.pk})

    assert_query_budget(
        login(personas.approver_a), url, add_rows=_grow(personas, procurement), most=40
    )
