"""List pages make the same number of queries with 3 rows as with 30."""

import itertools

import pytest
from django.http import HttpResponse
from django.urls import path

from core.audit import audit_record
from core.models import OfficerRole, SupplierInvitation, SupplierRole, User
from core.services.accounts import borough_admin_access_sync
from tests import factories
from tests.query_budget import assert_query_budget

_serial = itertools.count()


def _people(personas):
    """Adds officers of both boroughs and supplier members, half each."""

    def add(n):
        for _ in range(n):
            i = next(_serial)
            borough = personas.borough_a if i % 2 else personas.borough_b
            factories.officer(borough, OfficerRole.OFFICER, email=f"officer{i}@example.org")
            factories.supplier(personas.org_b, email=f"member{i}@example.org")

    return add


def test_admin_people_list_queries_do_not_grow_for_a_superuser(personas, login):
    client = login(personas.superuser)

    assert_query_budget(client, "/admin/core/user/", add_rows=_people(personas), most=12)


def test_admin_people_list_queries_do_not_grow_for_a_borough_administrator(personas, login):
    borough_admin_access_sync(user=personas.borough_admin_a)
    client = login(personas.borough_admin_a)

    assert_query_budget(client, "/admin/core/user/", add_rows=_people(personas), most=12)


def test_admin_borough_list_queries_do_not_grow(personas, login):
    client = login(personas.superuser)

    def add(n):
        for _ in range(n):
            factories.BoroughFactory()

    assert_query_budget(client, "/admin/core/borough/", add_rows=add, most=8)


def test_admin_audit_event_list_queries_do_not_grow(personas, login):
    client = login(personas.superuser)

    def add(n):
        for i in range(n):
            audit_record(
                actor=personas.officer_a,
                action="budget.sample",
                target=personas.borough_a,
                data={"i": i},
            )

    assert_query_budget(client, "/admin/core/auditevent/", add_rows=add, most=8)


def test_organisation_member_list_queries_do_not_grow(personas, login):
    client = login(personas.supplier_a_admin)

    def add(n):
        for _ in range(n):
            i = next(_serial)
            factories.supplier(
                personas.org_a, SupplierRole.MEMBER, email=f"colleague{i}@example.org"
            )
            SupplierInvitation.objects.create(
                organisation=personas.org_a,
                email=f"invited{i}@example.org",
                invited_by=personas.supplier_a_admin,
            )

    assert_query_budget(client, "/organisation/members/", add_rows=add, most=11)


def _one_query_per_person(request):
    emails = [user.email for user in User.objects.all()]
    names = [User.objects.get(email=email).full_name for email in emails]  # N+1 on purpose
    return HttpResponse(", ".join(names))


def _fixed_queries(request):
    return HttpResponse(str(User.objects.count()))


urlpatterns = [path("n-plus-one/", _one_query_per_person), path("fixed/", _fixed_queries)]


@pytest.mark.urls(__name__)
def test_budget_fails_a_page_whose_queries_grow_with_its_rows(db, client):
    def add(n):
        for _ in range(n):
            factories.UserFactory()

    with pytest.raises(AssertionError, match=r"queries grow with the data: \d+ with 3 rows"):
        assert_query_budget(client, "/n-plus-one/", add_rows=add, most=1000)


@pytest.mark.urls(__name__)
def test_budget_fails_a_page_over_its_maximum_and_passes_a_constant_one(db, client):
    counts = assert_query_budget(client, "/fixed/", add_rows=lambda n: None, most=1)
    assert counts.small == counts.large == 1

    with pytest.raises(AssertionError, match="over budget"):
        assert_query_budget(client, "/fixed/", add_rows=lambda n: None, most=0)
