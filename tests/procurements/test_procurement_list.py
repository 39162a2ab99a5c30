"""The officer's list of procurements: scoped to their boroughs, paginated, constant queries."""

import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from procurements.models import Procurement, ProcurementStatus
from tests import factories
from tests.query_budget import assert_query_budget

pytestmark = pytest.mark.django_db
LIST = reverse("procurements:list")
_serial = itertools.count(1)


def _procurement(personas, borough=None, **fields):
    return factories.ProcurementFactory(
        borough=borough or personas.borough_a, lead_officer=personas.officer_a, **fields
    )


def test_officers_see_their_boroughs_procurements_in_every_state(personas, login):
    draft = _procurement(personas, title="Falls at home")
    submitted = _procurement(personas, title="Cooler schools")
    Procurement.objects.filter(pk=submitted.pk).update(status=ProcurementStatus.AWAITING_APPROVAL)

    for persona in ("officer_a", "approver_a", "borough_admin_a"):
        html = login(getattr(personas, persona)).get(LIST).content.decode()
        assert draft.reference in html and "Falls at home" in html, persona
        assert submitted.reference in html and "Awaiting approval" in html, persona


def test_an_evaluator_sees_only_the_procurements_they_are_named_on(personas, login):
    named = _procurement(personas, title="Falls at home")
    named.evaluators.add(personas.evaluator_a)
    other = _procurement(personas, title="Cooler schools")
    client = login(personas.evaluator_a)

    html = client.get(LIST).content.decode()

    assert named.reference in html
    assert other.reference not in html
    task_list = reverse("procurements:task-list", kwargs={"pk": other.pk})
    assert client.get(task_list).status_code == 404


def test_an_officer_of_another_borough_never_sees_borough_a_procurements(personas, login):
    theirs = _procurement(personas, title="Falls at home")
    mine = factories.ProcurementFactory(
        borough=personas.borough_b, lead_officer=personas.officer_b, title="Bowfield bins"
    )

    html = login(personas.officer_b).get(LIST).content.decode()

    assert "Bowfield bins" in html and mine.reference in html
    assert "Falls at home" not in html and theirs.reference not in html


@pytest.mark.parametrize("persona", ["supplier_a_admin", "supplier_b_member", "superuser"])
def test_people_who_are_not_officers_are_refused(personas, login, persona):
    _procurement(personas)

    assert login(getattr(personas, persona)).get(LIST).status_code == 403


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get(LIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_create_button_shows_only_for_procurement_officers(personas, login):
    create = reverse("procurements:create")

    assert create in login(personas.officer_a).get(LIST).content.decode()
    assert create not in login(personas.approver_a).get(LIST).content.decode()


def test_newest_first_with_the_deadline_in_uk_time(personas, login):
    _procurement(personas, title="Older one")
    summer = datetime(2026, 7, 1, 16, 30, tzinfo=ZoneInfo("UTC"))  # 5:30pm in London (BST)
    _procurement(personas, title="Newer one", participation_deadline=summer)

    html = login(personas.officer_a).get(LIST).content.decode()

    assert html.index("Newer one") < html.index("Older one")
    assert "1 July 2026 at 5:30pm" in html


def test_the_list_is_paginated_by_25(personas, login):
    for n in range(27):
        _procurement(personas, title=f"Challenge number {n:02d}")
    client = login(personas.officer_a)

    first = client.get(LIST).content.decode()
    second = client.get(LIST + "?page=2").content.decode()

    assert first.count("Challenge number") == 25
    assert second.count("Challenge number") == 2
    assert 'class="govuk-pagination"' in first
    assert "27 procurements" in first


def test_the_list_makes_the_same_number_of_queries_for_1_and_50_procurements(personas, login):
    client = login(personas.officer_a)

    def add(n):
        for _ in range(n):
            borough = personas.borough_a if next(_serial) % 2 else personas.borough_b
            factories.ProcurementFactory(borough=borough, lead_officer=personas.officer_a)

    assert_query_budget(client, LIST, add_rows=add, sizes=(1, 50), most=10)


def test_the_officer_home_links_to_the_list_and_to_creation_for_procurement_officers(
    personas, login
):
    officer_home = login(personas.officer_a).get(reverse("core:officer-home")).content.decode()
    approver_home = login(personas.approver_a).get(reverse("core:officer-home")).content.decode()

    assert LIST in officer_home and reverse("procurements:create") in officer_home
    assert LIST in approver_home and reverse("procurements:create") not in approver_home
