"""The procurement's task list: every registered section with its status, and who sees links."""

import itertools
import re

import pytest
from django.urls import reverse

from core.models import OfficerRole
from procurements.models import (
    AwardCriterion,
    MinimumRequirement,
    Procurement,
    ProcurementStatus,
)
from procurements.registry import builder_sections
from tests import factories
from tests.query_budget import assert_query_budget

pytestmark = pytest.mark.django_db
_serial = itertools.count(1)


@pytest.fixture
def procurement(personas):
    return factories.ProcurementFactory(
        borough=personas.borough_a, lead_officer=personas.officer_a, title="Falls at home"
    )


def _url(procurement):
    return reverse("procurements:task-list", kwargs={"pk": procurement.pk})


def _status_of(html: str, key: str) -> str:
    match = re.search(rf'id="section-{key}-status">\s*(.*?)\s*</div>', html, re.S)
    assert match, f"no status for {key}"
    return re.sub(r"<[^>]+>", "", match[1]).strip()


def _page(client, procurement) -> str:
    response = client.get(_url(procurement))
    assert response.status_code == 200
    return response.content.decode()


def test_every_registered_section_is_listed_under_its_group(personas, login, procurement):
    html = _page(login(personas.officer_a), procurement)

    for section in builder_sections():
        assert section.title in html
        assert section.group in html
        assert reverse(section.url_name, kwargs={"pk": procurement.pk}) in html
    assert 'class="govuk-task-list"' in html
    assert f"You have completed 0 of {len(builder_sections())} sections" in html
    assert "Draft" in html
    assert reverse("procurements:check-answers", kwargs={"pk": procurement.pk}) in html


def test_statuses_move_from_not_started_to_in_progress_to_completed(personas, login, procurement):
    client = login(personas.officer_a)
    challenge = reverse("procurements:challenge", kwargs={"pk": procurement.pk})
    market_gap = reverse("procurements:market-gap", kwargs={"pk": procurement.pk})

    before = _page(client, procurement)
    client.post(challenge, {"problem": "Older residents fall at night", "completed": "no"})
    half = _page(client, procurement)
    client.post(
        market_gap, {"market_gap": "Nothing detects falls unobtrusively", "completed": "yes"}
    )
    after = _page(client, procurement)

    assert _status_of(before, "challenge") == "Not started"
    assert _status_of(half, "challenge") == "In progress"
    assert _status_of(after, "market-gap") == "Completed"
    assert _status_of(after, "timetable") == "Not started"
    assert f"You have completed 1 of {len(builder_sections())} sections" in after


def test_a_section_marked_in_progress_without_content_shows_in_progress(
    personas, login, procurement
):
    client = login(personas.officer_a)
    client.post(
        reverse("procurements:market-gap", kwargs={"pk": procurement.pk}), {"completed": "no"}
    )

    assert _status_of(_page(client, procurement), "market-gap") == "In progress"


@pytest.mark.parametrize("persona", ["approver_a", "evaluator_a", "borough_admin_a"])
def test_borough_members_who_may_not_edit_see_the_list_without_links(
    personas, login, procurement, persona
):
    procurement.evaluators.add(personas.evaluator_a)  # evaluators see only their own
    html = _page(login(getattr(personas, persona)), procurement)

    assert "The challenge" in html
    assert reverse("procurements:challenge", kwargs={"pk": procurement.pk}) not in html
    assert "govuk-task-list__link" not in html


def test_after_submission_nobody_gets_section_links(personas, login, procurement):
    Procurement.objects.filter(pk=procurement.pk).update(status=ProcurementStatus.AWAITING_APPROVAL)

    html = _page(login(personas.officer_a), procurement)

    assert "Awaiting approval" in html
    assert "govuk-task-list__link" not in html


def test_other_boroughs_and_suppliers_get_404_and_anonymous_people_sign_in(
    personas, login, client, procurement
):
    assert client.get(_url(procurement)).status_code == 302
    assert login(personas.officer_b).get(_url(procurement)).status_code == 404
    assert login(personas.supplier_a_admin).get(_url(procurement)).status_code == 404


def test_the_task_list_queries_do_not_grow_with_the_sections_contents(personas, login, procurement):
    client = login(personas.officer_a)

    def add(n):
        for _ in range(n):
            i = next(_serial)
            evaluator = factories.officer(personas.borough_a, OfficerRole.EVALUATOR)
            procurement.evaluators.add(evaluator)
            MinimumRequirement.objects.create(procurement=procurement, text=f"Need {i}", order=i)
            criterion = AwardCriterion.objects.create(
                procurement=procurement, kind="quality", name=f"Quality {i}", weight=1, order=i
            )
            criterion.sub_criteria.create(name=f"Part {i}")

    assert_query_budget(client, _url(procurement), add_rows=add, sizes=(1, 20), most=30)
