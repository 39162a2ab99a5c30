"""Every list page of the admin makes the same number of queries with 3 rows as with 30.

A model registered in the admin without a row maker here fails the first
test, so a new list page cannot skip its query budget.
"""

import itertools
from datetime import date, timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.utils import timezone

from core.audit import audit_record
from core.models import BankHoliday, GeneratedDocument, SupplierInvitation
from tests import factories
from tests.query_budget import assert_query_budget

_serial = itertools.count()


def _users(personas, n):
    for _ in range(n):
        factories.UserFactory(email=f"budget{next(_serial)}@example.org")


def _groups(personas, n):
    for _ in range(n):
        Group.objects.create(name=f"Group {next(_serial)}")


def _email_addresses(personas, n):
    _users(personas, n)  # each factory user has a verified address


def _authenticators(personas, n):
    for _ in range(n):
        factories.UserFactory(email=f"totp{next(_serial)}@example.org", totp=True)


def _attempts(model):
    def add(personas, n):
        for _ in range(n):
            i = next(_serial)
            fields = {"username": f"guess{i}@example.org", "ip_address": f"10.0.{i % 250}.1"}
            fields["user_agent"] = "test"
            if model is AccessAttempt:
                fields.update(failures_since_start=1, get_data="", post_data="")
            if model is AccessLog:
                fields.update(attempt_time=timezone.now())
            model.objects.create(**fields)

    return add


def _boroughs(personas, n):
    for _ in range(n):
        factories.BoroughFactory()


def _organisations(personas, n):
    for _ in range(n):
        factories.SupplierOrganisationFactory()


def _invitations(personas, n):
    for _ in range(n):
        SupplierInvitation.objects.create(
            organisation=personas.org_a,
            email=f"invited{next(_serial)}@example.org",
            invited_by=personas.supplier_a_admin,
        )


def _audit_events(personas, n):
    for i in range(n):
        audit_record(actor=personas.officer_a, action="budget.sample", data={"i": i})


def _bank_holidays(personas, n):
    start = date(2090, 1, 1) + timedelta(days=next(_serial) * 40)
    for i in range(n):
        BankHoliday.objects.create(date=start + timedelta(days=i), region="SCT", name="Test day")


def _documents(personas, n):
    for _ in range(n):
        GeneratedDocument.objects.create(
            kind="audit_extract",
            title=f"Document {next(_serial)}",
            target=factories.BoroughFactory(),  # one document in flight per target
            requested_by=personas.superuser,
        )


def _phases(personas, n):
    from stages.models import Phase

    procurement = factories.ProcurementFactory(borough=personas.borough_a)
    for i in range(n):
        Phase.objects.create(procurement=procurement, kind="research", name=f"Phase {i}")


def _purchase_terms(personas, n):
    from stages.models import PurchaseTerms

    for _ in range(n):
        procurement = factories.ProcurementFactory(borough=personas.borough_a)
        PurchaseTerms.objects.create(procurement=procurement, max_cost=100000)


def _ip_terms(personas, n):
    from ip_rights.models import IPTerms

    for _ in range(n):
        procurement = factories.ProcurementFactory(borough=personas.borough_a)
        IPTerms.objects.create(procurement=procurement, foreground_owner="partner")


def _selection_questions(personas, n):
    from partners.models import SelectionQuestion

    procurement = factories.ProcurementFactory(borough=personas.borough_a)
    for i in range(n):
        SelectionQuestion.objects.create(
            procurement=procurement, kind="scored", topic="rd_capability", text=f"Q{i}", weight=1
        )


def _debarment_entries(personas, n):
    from datetime import date

    from partners.models import DebarmentEntry

    for i in range(n):
        DebarmentEntry.objects.create(
            supplier_name=f"Debarred Supplier {i} Ltd",
            grounds="Fraud",
            debarred_on=date(2026, 1, 1),
        )


def _procurements(personas, n):
    for _ in range(n):
        factories.ProcurementFactory(borough=personas.borough_a, lead_officer=personas.officer_a)


ROW_MAKERS = {
    "procurements.Procurement": _procurements,
    "auth.Group": _groups,
    "account.EmailAddress": _email_addresses,
    "mfa.Authenticator": _authenticators,
    "axes.AccessAttempt": _attempts(AccessAttempt),
    "axes.AccessLog": _attempts(AccessLog),
    "axes.AccessFailureLog": _attempts(AccessFailureLog),
    "core.User": _users,
    "core.Borough": _boroughs,
    "core.SupplierOrganisation": _organisations,
    "core.SupplierInvitation": _invitations,
    "core.AuditEvent": _audit_events,
    "core.BankHoliday": _bank_holidays,
    "core.GeneratedDocument": _documents,
    "ip_rights.IPTerms": _ip_terms,
    "partners.SelectionQuestion": _selection_questions,
    "partners.DebarmentEntry": _debarment_entries,
    "stages.Phase": _phases,
    "stages.PurchaseTerms": _purchase_terms,
}


def test_every_admin_list_page_has_a_query_budget():
    registered = {model._meta.label for model in admin.site._registry}
    assert registered - set(ROW_MAKERS) == set(), "add a row maker for each new admin list"


@pytest.mark.parametrize("label", sorted(ROW_MAKERS))
def test_admin_list_queries_do_not_grow_with_its_rows(label, personas, login):
    model = next(m for m in admin.site._registry if m._meta.label == label)
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    client = login(personas.superuser)

    assert_query_budget(client, url, add_rows=lambda n: ROW_MAKERS[label](personas, n), most=15)
