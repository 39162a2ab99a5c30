"""Print the portal's benchmark figures (run with `make benchmark`).

Runs against a throw-away PostgreSQL database (`portal_benchmark`) with the
test settings, so the figures are for the real database, not SQLite. Each
figure is the median of several repeats where that is cheap.
"""

import os
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def timed(fn, repeat: int = 5) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def line(name: str, value: str) -> None:
    print(f"  {name:<58} {value}")


@contextmanager
def throwaway_database(name: str) -> Iterator[None]:
    """A fresh PostgreSQL database ``name`` for the figures, dropped afterwards."""
    setup_test_environment()
    connection.settings_dict["TEST"]["NAME"] = name
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def bench_audit() -> None:
    from core.audit import audit_record, audit_verify
    from core.models import AuditEvent

    print("Audit trail")
    n = 2000
    start = time.perf_counter()
    for i in range(n):
        audit_record(actor=None, action="benchmark.event", data={"i": i, "why": "benchmark"})
    elapsed = time.perf_counter() - start
    line(f"audit_record, {n} events, one transaction each", f"{n / elapsed:,.0f} events/s")
    extra = 18000
    for i in range(extra):
        audit_record(actor=None, action="benchmark.bulk", data={"i": i})
    total = AuditEvent.objects.count()
    seconds = timed(audit_verify, repeat=3)
    line(
        f"verify_audit over {total:,} events", f"{seconds:.2f} s ({total / seconds:,.0f} events/s)"
    )


def bench_calendar() -> None:
    from core.calendar import add_working_days, deadline_after_working_days

    print("Working days")
    n = 500
    seconds = timed(lambda: [add_working_days(date(2026, 12, 20), 25) for _ in range(n)], 3)
    line(
        "add_working_days(25) across Christmas (one query each)",
        f"{seconds / n * 1000:.2f} ms/call",
    )
    from django.utils import timezone

    now = timezone.now()
    seconds = timed(lambda: [deadline_after_working_days(now, 8) for _ in range(n)], 3)
    line("deadline_after_working_days(8) (standstill)", f"{seconds / n * 1000:.2f} ms/call")


def bench_documents(superuser, borough) -> None:
    from pypdf import PdfReader

    from core.models import GeneratedDocument
    from core.services.documents import document_request
    from portal.celery import app

    app.conf.task_always_eager = True

    print("Documents (WeasyPrint, PDF/UA-1, Celery eager in this process)")
    runs = []
    pages = 0
    for _ in range(3):
        start = time.perf_counter()
        document = document_request(kind="audit_extract", target=borough, actor=superuser)
        runs.append(time.perf_counter() - start)
        document = GeneratedDocument.objects.get(pk=document.pk)
        assert document.status == "ready", document.error
        with document.file.open("rb") as fh:
            pages = len(PdfReader(fh).pages)
    line(f"request and render an audit extract ({pages} pages)", f"{statistics.median(runs):.2f} s")


def page_figures(client: Client, url: str) -> tuple[int, float]:
    settings.DEBUG = True
    reset_queries()
    client.get(url)
    queries = len(connection.queries)
    settings.DEBUG = False
    seconds = timed(lambda: client.get(url), repeat=7)
    return queries, seconds


SELECTION_TITLE = "Benchmark call in selection"


def _first_opportunity_url() -> str:
    from procurements.models import Procurement

    return f"/opportunities/{Procurement.objects.order_by('pk').values_list('pk', flat=True)[0]}/"


def _grow_published(borough, officer, size: int) -> None:
    """``size`` published procurements of ``borough``, closing on successive days, each with
    a minimum requirement and a published answer, the first with ``size`` answers."""
    from datetime import timedelta

    from django.utils import timezone

    from procurements.models import ClarificationQuestion, MinimumRequirement, Procurement
    from tests import factories

    now = timezone.now()
    have = Procurement.objects.filter(borough=borough).count()
    for number in range(have, size):
        procurement = factories.ProcurementFactory(
            borough=borough, lead_officer=officer, problem="Residents fall at home at night"
        )
        Procurement.objects.filter(pk=procurement.pk).update(
            status="published",
            published_at=now,
            participation_deadline=now + timedelta(days=30 + number),
            question_deadline=now + timedelta(days=20),
        )
        MinimumRequirement.objects.create(procurement=procurement, text="Works without a camera")
    first = Procurement.objects.filter(borough=borough).order_by("pk").first()
    org = factories.SupplierOrganisationFactory()
    asker = factories.supplier(org)
    for _ in range(first.questions.count(), size):
        question = ClarificationQuestion.objects.create(
            procurement=first, organisation=org, asked_by=asker, text="May a charity lead?"
        )
        question.publish_answer(public_text="May a charity lead?", answer="Yes.", by=officer)
        question.save()


def _grow_requests(borough, officer, supplier, size: int) -> None:
    """The supplier's organisation has a draft request on each published procurement, and a
    procurement in selection has ``size`` requests received, each from its own organisation
    with a frozen submission."""
    from django.utils.timezone import now

    from core.models import OfficerRole
    from partners.models import (
        ConsensusScore,
        EvaluatorReview,
        EvaluatorScore,
        ParticipationRequest,
        RequestStatus,
        RequestSubmission,
        SelectionQuestion,
    )
    from procurements.models import Procurement
    from tests import factories

    organisation = supplier.supplier_membership.organisation
    for procurement in Procurement.objects.filter(borough=borough, status="published").exclude(
        participation_requests__organisation=organisation
    ):
        ParticipationRequest.objects.create(
            procurement=procurement, organisation=organisation, created_by=supplier
        )
    closed = Procurement.objects.filter(borough=borough, title=SELECTION_TITLE).first()
    if closed is None:
        closed = factories.ProcurementFactory(
            borough=borough, lead_officer=officer, title=SELECTION_TITLE
        )
        Procurement.objects.filter(pk=closed.pk).update(status="selection")
        SelectionQuestion.objects.create(
            procurement=closed, kind="pass_fail", topic="other", text="Insured?", order=1
        )
        for number, topic in enumerate(("rd_capability", "innovative_solutions"), start=2):
            SelectionQuestion.objects.create(
                procurement=closed, kind="scored", topic=topic, text=topic, weight=50, order=number
            )
        # Three evaluators mark every request; the lead officer moderates each.
        closed.evaluators.add(
            *(factories.officer(borough, OfficerRole.EVALUATOR) for _ in range(3))
        )
    questions = list(closed.selection_questions.all())
    evaluators = list(closed.evaluators.all())
    for _ in range(closed.participation_requests.count(), size):
        lead = factories.SupplierOrganisationFactory()
        admin = factories.supplier(lead)
        request = ParticipationRequest.objects.create(
            procurement=closed, organisation=lead, created_by=admin
        )
        ParticipationRequest.objects.filter(pk=request.pk).update(status=RequestStatus.SUBMITTED)
        RequestSubmission.objects.create(
            request=request,
            number=1,
            sha256="0" * 64,
            submitted_by=admin,
            content={
                "organisation": {
                    "id": lead.pk,
                    "name": lead.name,
                    "companies_house_number": lead.companies_house_number,
                },
                "consortium": [],
                "exclusion_declarations": [],
                "conflict_of_interest": {"declared": False},
            },
        )
        for evaluator in evaluators:
            EvaluatorReview.objects.create(
                request=request, evaluator=evaluator, has_conflict=False, completed_at=now()
            )
        for question in questions:
            mark = {"score": 3} if question.kind == "scored" else {"passed": True}
            mark |= {"request": request, "question_id": question.pk, "reason": "Sound evidence."}
            for evaluator in evaluators:
                EvaluatorScore.objects.create(evaluator=evaluator, **mark)
            ConsensusScore.objects.create(moderated_by=officer, **mark)


def _selection_url(page: str = "") -> str:
    from procurements.models import Procurement

    pk = Procurement.objects.filter(title=SELECTION_TITLE).values_list("pk", flat=True)[0]
    return f"/procurements/{pk}/selection/{page}"


def _first_evaluator():
    from procurements.models import Procurement

    return Procurement.objects.get(title=SELECTION_TITLE).evaluators.order_by("pk").first()


def bench_pages(personas: dict, grow) -> None:
    from tests.signing_in import force_sign_in

    print("Pages (queries; median time over 7 requests, in-process client)")
    pages = [
        ("public home", None, "/"),
        ("officer home", "officer", "/officer/"),
        ("supplier home", "supplier", "/supplier/"),
        ("organisation members", "supplier", "/organisation/members/"),
        ("admin: people (superuser)", "superuser", "/admin/core/user/"),
        ("admin: people (borough administrator)", "boroughadmin", "/admin/core/user/"),
        ("admin: audit trail", "superuser", "/admin/core/auditevent/"),
        ("procurements (officer's list)", "officer", "/procurements/"),
        ("opportunities (public list, first page of 20)", None, "/opportunities/"),
        ("opportunity (public page)", None, _first_opportunity_url),
        ("requests to participate (supplier's list)", "supplier", "/requests/"),
        ("selection dashboard (3 evaluators, moderated)", "officer", _selection_url),
        ("selection ranking and shortlist", "officer", lambda: _selection_url("shortlist/")),
        (
            "selection consensus scores CSV",
            "officer",
            lambda: _selection_url("consensus-scores.csv"),
        ),
        ("selection: an evaluator's requests", _first_evaluator, lambda: _selection_url("assess/")),
    ]
    for size in (10, 100):
        grow(size)
        print(f"  at {size} rows per list:")
        for name, persona, url in pages:
            url = url() if callable(url) else url
            client = Client()
            if persona:
                force_sign_in(client, persona() if callable(persona) else personas[persona])
            response = client.get(url)
            if response.status_code != 200:
                line(f"  {name} {url}", f"HTTP {response.status_code}")
                continue
            queries, seconds = page_figures(client, url)
            line(f"  {name}", f"{queries} queries, {seconds * 1000:.1f} ms")


def main() -> None:
    with throwaway_database("portal_benchmark"):
        from core.models import OfficerRole, SupplierMembership, SupplierRole
        from core.services.accounts import officer_create, totp_register
        from tests import factories

        borough = factories.BoroughFactory(name="Benchmark Borough", slug="benchmark")
        org = factories.SupplierOrganisationFactory(name="Benchmark Supplier Ltd")
        personas = {
            "officer": factories.officer(borough, OfficerRole.OFFICER),
            "supplier": factories.supplier(org, SupplierRole.ADMIN),
            "superuser": factories.UserFactory(is_staff=True, is_superuser=True, totp=True),
        }
        personas["boroughadmin"] = admin = officer_create(
            actor=None,
            email="bench-admin@example.org",
            full_name="Bench Admin",
            borough=borough,
            roles=[OfficerRole.BOROUGH_ADMIN],
        )
        totp_register(user=admin, secret=settings.DEMO_TOTP_SECRET)

        def grow(size: int) -> None:
            have = SupplierMembership.objects.filter(organisation=org).count()
            for _ in range(max(0, size - have)):
                factories.supplier(org)
            have = borough.memberships.count()
            for _ in range(max(0, size - have)):
                factories.officer(borough, OfficerRole.EVALUATOR)
            _grow_published(borough, personas["officer"], size)
            _grow_requests(borough, personas["officer"], personas["supplier"], size)

        print(f"Benchmarks on PostgreSQL, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}")
        bench_pages(personas, grow)
        bench_calendar()
        bench_documents(personas["superuser"], borough)
        bench_audit()


if __name__ == "__main__":
    main()
