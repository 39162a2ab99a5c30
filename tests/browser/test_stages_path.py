"""From the last R&D phase to the purchase, in a real browser, as the people do it.

Two partners, A and B, have passed the gate of phase 1 through the services and are both in
phase 2, "Pilot", the last phase of the announced plan. Through the pages: the administrator of
A submits a progress report with a value per target and an evidence file, then claims the
phase's first instalment citing it; the lead officer approves the claim and records its
payment (PA 2023 s.68). A submits its final report (B's goes through the service): both are
under review at the gate. The lead officer names evaluator A as the gate's assessor; the
evaluator scores both partners against the announced gate criteria and completes; the lead
officer moderates. The approver passes A and terminates B, citing a termination condition the
tender documents announced (RULES.md point 9; PCR 2015 reg. 31(2)). A real Celery worker renders
the stage-gate reports: the report downloads as a PDF holding both decisions, the condition
cited and the money paid. A has passed every phase: the lead officer records its result
against the agreed performance levels, at a price within the maximum cost, and buys it
(RULES.md point 10); A's administrator sees the partnership purchased, at its price, on its
phases and its instalments. B's administrator follows the e-mail to its gate result, which
cites the condition, and downloads from its phases the letter about itself alone.

Setting up phase 1 and B's final report go through the services, as the pages would; the
worker runs from the start, so it renders the documents the sample's award and phase 1 make
too.

Every page on the way passes axe-core (the harness checks each page it loads).
"""

from __future__ import annotations

import io
import re
import time
import uuid
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core.calendar import london_date
from core.models import DocumentStatus, GeneratedDocument
from partners.models import PartnershipStatus
from stages.documents_gate import GATE_KINDS
from stages.models import (
    DeliverableKind,
    GateDecision,
    GateOutcome,
    InstalmentStatus,
    ParticipationStatus,
)
from tests.browser.test_publication_path import _date_group
from tests.core.test_documents_worker import _published_for_real_to, _worker
from tests.stages.gate_samples import fresh, passed
from tests.stages.running_samples import running
from tests.stages.test_deliverables import PDF_BYTES, final_report

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.usefixtures("bank_holidays"),
]

PILOT = "Pilot"
INTERIM = "Interim report accepted"
# Phase 2's agreed price is £150,000 (running_samples): its first instalment, 40%, is £60,000.
FIRST_INSTALMENT = "£60,000.00"
WAIT_SECONDS = 120


def _mailed_path(to: str, fragment: str) -> str:
    """The path of the portal's link to ``fragment`` in the latest e-mail to ``to``."""
    for message in reversed(mail.outbox):
        if to in message.to:
            for url in re.findall(r"https?://\S+", message.body):
                if fragment in url:
                    return urlparse(url).path
    raise AssertionError(f"No e-mail to {to} links to {fragment}")


def _evidence_file(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF_BYTES}


def _values(page, participation, value: str) -> None:
    """A value measured for every target of ``participation``'s phase."""
    for target in participation.phase.targets.order_by("order"):
        group = page.page.get_by_role("group", name=target.metric)
        group.get_by_label("Value measured", exact=True).fill(value)


def _marks(page, participation, *, score: str, meets: str, reason: str) -> None:
    """One mark per announced gate criterion, on the scoring or the moderation page."""
    for criterion in participation.phase.gate_criteria.order_by("order"):
        name = criterion.criterion
        page.page.get_by_role("group", name=f"Score for {name}").get_by_label(
            score, exact=True
        ).check()
        page.page.get_by_role(
            "group", name=f"Does it meet the announced threshold for {name}?"
        ).get_by_label(meets, exact=True).check()
        page.fill(f"Reason for your mark on {name}", f"{reason} ({name})")
        page.fill(f"Evidence reference for {name}", "Final report, section 2")


def _all_rendered() -> list[GeneratedDocument]:
    """Every stage-gate report and letter (the test's database holds this procurement's
    only), once the worker has finished them all or the wait is over."""
    found: list[GeneratedDocument] = []
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        found = list(GeneratedDocument.objects.filter(kind__in=GATE_KINDS))
        if found and all(d.status in (DocumentStatus.READY, DocumentStatus.FAILED) for d in found):
            break
        time.sleep(0.5)
    return found


def _pdf_text(page, link_name: str | re.Pattern) -> str:
    with page.page.expect_download() as download:
        page.page.get_by_role("link", name=link_name, exact=True).click()
    data = download.value.path().read_bytes()
    assert data.startswith(b"%PDF")
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)


def test_from_the_last_phase_to_the_gate_the_reports_and_the_purchase(
    browser_page, personas, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = browser_page
    org_a, org_b = personas.org_a.name, personas.org_b.name
    queue = f"test-stages-path-{uuid.uuid4().hex[:12]}"
    log = tmp_path / "worker.log"
    with (
        _published_for_real_to(queue),
        _worker(queue=queue, media_root=settings.MEDIA_ROOT, log_path=log),
    ):
        # Both partners passed the gate of phase 1 through the services: both are in the Pilot.
        sample = running(personas, partners=2)
        procurement = sample.procurement
        for organisation in (personas.org_a, personas.org_b):
            passed(personas, sample, organisation, number=1)
        pilot_a = sample.participation(personas.org_a, 2)
        pilot_b = sample.participation(personas.org_b, 2)
        assert pilot_a.status == pilot_b.status == ParticipationStatus.IN_PROGRESS
        assert pilot_a.phase.name == PILOT

        # A's administrator opens its phases from its home page and submits a progress report.
        page.sign_in_as(personas.supplier_a_admin).visit(reverse("core:supplier-home"))
        page.click_link("Your R&D phases")
        page.click_link(f"{PILOT}: targets, deliverables and requests for evidence")
        page.click_button("Submit a deliverable")
        page.page.get_by_label(DeliverableKind.PROGRESS.label, exact=True).check()
        page.fill("Title", "Pilot interim report")
        page.fill("Summary", "Twenty-two homes are monitored; falls are detected in seconds.")
        _values(page, pilot_a, "22 homes")
        page.page.get_by_label("Evidence files", exact=True).set_input_files(
            _evidence_file("pilot-monitoring-log.pdf")
        )
        page.click_button("Submit")
        assert "“Pilot interim report” has been submitted." in page.text()
        assert "pilot-monitoring-log.pdf" in page.text()

        # ... and claims the Pilot's first instalment, citing that report.
        page.visit(reverse("core:supplier-home"))
        page.click_link("Your instalments and payments")
        page.click_link(f"Claim {INTERIM} of {PILOT}")
        amount = page.page.get_by_label("Amount claimed", exact=True)
        assert amount.input_value() == "60000.00"
        page.fill(
            "Evidence that the milestone is reached",
            "The interim report of the pilot: 22 homes monitored.",
        )
        deliverable = page.page.get_by_label("Deliverable that evidences it (optional)")
        deliverable.select_option(index=1)
        chosen = deliverable.locator("option:checked").inner_text()
        assert chosen.startswith("Pilot interim report (Progress report"), chosen
        page.click_button("Send the claim")
        assert f"Your claim of {FIRST_INSTALMENT} for {INTERIM} is sent to the borough." in (
            page.text()
        )

        # The lead officer approves the claim and records its payment, from the Money page.
        page.sign_in_as(personas.officer_a).visit(
            reverse("procurements:task-list", kwargs={"pk": procurement.pk})
        )
        page.click_link("Money")
        page.click_link(f"{INTERIM} of {org_a} in {PILOT}")
        assert "Pilot interim report" in page.text()
        page.click_button("Approve the claim")
        assert "The claim is approved" in page.text()
        _date_group(page, "Date of payment", london_date(timezone.now()))
        page.click_button("Record the payment")
        assert "The payment is recorded." in page.text()
        first = pilot_a.instalments.order_by("schedule_item__order").first()
        assert first.status == InstalmentStatus.PAID

        # A submits its final report: the Pilot is under review at its gate. B's goes through
        # the service.
        page.sign_in_as(personas.supplier_a_admin).visit(
            reverse("stages:partner-phase", kwargs={"pk": pilot_a.pk})
        )
        page.click_button("Submit the final report")
        page.fill("Title", "Pilot final report")
        page.fill("Summary", "Every home of the pilot is monitored; every fall was detected.")
        _values(page, pilot_a, "40 homes")
        page.page.get_by_label("Evidence files", exact=True).set_input_files(
            _evidence_file("pilot-final-report.pdf")
        )
        page.click_button("Submit")
        assert f"Your final report of {PILOT} has been submitted" in page.text()
        final_report(personas, pilot_b, actor=personas.supplier_b_admin)
        for participation in (pilot_a, pilot_b):
            assert fresh(participation).status == ParticipationStatus.UNDER_REVIEW

        # The lead officer names evaluator A as the assessor of the Pilot's gate.
        page.sign_in_as(personas.officer_a).visit(
            reverse("stages:progress", kwargs={"pk": procurement.pk})
        )
        page.click_link(f"Gate of {PILOT}")
        page.click_link("Name assessors")
        page.page.get_by_label(personas.evaluator_a.email).check()
        page.click_button("Name the assessors")
        assert "The assessors are named" in page.text()

        # Evaluator A follows the e-mail naming them and scores both partners.
        gate = reverse("stages:gate", kwargs={"pk": procurement.pk, "phase_pk": pilot_a.phase_id})
        page.sign_in_as(personas.evaluator_a).visit(_mailed_path(personas.evaluator_a.email, gate))
        page.click_link(f"Score {org_a}")
        _marks(page, pilot_a, score="8", meets="Yes", reason="Every target met")
        page.click_button("Complete my scoring")
        assert "Your scoring is complete." in page.text()
        page.visit(gate)
        page.click_link(f"Score {org_b}")
        _marks(page, pilot_b, score="3", meets="No", reason="The homes monitored fall short")
        page.click_button("Complete my scoring")
        assert "Your scoring is complete." in page.text()

        # The lead officer moderates both.
        page.sign_in_as(personas.officer_a).visit(gate)
        for name, participation, score, meets in (
            (org_a, pilot_a, "8", "Yes"),
            (org_b, pilot_b, "3", "No"),
        ):
            page.click_link(f"Moderate {name}")
            assert "Every target met" in page.text() or "fall short" in page.text()
            _marks(page, participation, score=score, meets=meets, reason="Agreed")
            page.click_button("Save the consensus")
            assert "The consensus marks are saved." in page.text()
            page.visit(gate)
        rows = page.page.locator("#gate-partners").inner_text()
        assert "Meets the announced thresholds" in rows
        assert "Does not meet the announced thresholds" in rows

        # The approver passes A and terminates B on an announced condition.
        condition = pilot_b.phase.termination_conditions.order_by("order").first()
        page.sign_in_as(personas.approver_a).visit(gate)
        page.click_link(f"Decide on {org_a}")
        page.page.get_by_label("Pass to the next phase", exact=True).check()
        page.fill("Your reasons", "Every announced threshold of the pilot is met.")
        page.click_button("Record my decision")
        assert "The gate is decided. The partner has been told." in page.text()
        page.visit(gate)
        page.click_link(f"Decide on {org_b}")
        page.page.get_by_label("Terminate this partner", exact=True).check()
        page.page.get_by_label(condition.condition, exact=True).check()
        page.fill("Your reasons", "The pilot monitored too few homes.")
        page.click_button("Record my decision")
        assert "The gate is decided. The partner has been told." in page.text()
        assert fresh(pilot_a).status == ParticipationStatus.PASSED
        assert fresh(pilot_b).status == ParticipationStatus.TERMINATED
        decision_b = GateDecision.objects.get(participation=pilot_b)
        assert decision_b.outcome == GateOutcome.TERMINATE and decision_b.condition == condition

        # The worker renders the reports (waited for here rather than on the page, which
        # reloads itself while any is in flight); the lead officer downloads the Pilot's latest.
        documents = _all_rendered()
        # Four decisions, each with a report and a letter.
        assert len(documents) == 8, [(d.kind, d.status) for d in documents]
        assert all(d.status == DocumentStatus.READY for d in documents), [
            (d.kind, d.status, d.error) for d in documents
        ]
        page.sign_in_as(personas.officer_a).visit(
            reverse("procurements:task-list", kwargs={"pk": procurement.pk})
        )
        page.click_link("Stage-gate reports")
        assert page.page.locator("#reports-rendering").count() == 0
        assert f"{org_b}: Terminate this partner, on the announced condition" in page.text()
        report = _pdf_text(page, f"Download report version 2 of {PILOT} (PDF)")
        assert "Pass to the next phase" in report, report
        assert "Terminate this partner" in report, report
        assert condition.condition in report, report
        assert FIRST_INSTALMENT in report, report
        assert "40 homes" in report, report
    # The worker rendered every document of the path (the award's too, made by the sample).
    worker_log = log.read_text()
    assert " raised " not in worker_log, worker_log
    assert worker_log.count("] succeeded in") == GeneratedDocument.objects.count() >= 8

    # A has passed every phase: the lead officer buys its result.
    page.sign_in_as(personas.officer_a).visit(
        reverse("stages:progress", kwargs={"pk": procurement.pk})
    )
    page.click_link("Purchase")
    page.click_link(f"Buy the result of {org_a}")
    for level, measured in (
        ("Falls detected", "97% within a minute"),
        ("False alarms", "0.4 a week per home"),
    ):
        page.fill(f"Measured value for {level}", measured)
        page.page.get_by_role(
            "group", name=f"Does the result meet the agreed level for {level}?"
        ).get_by_label("Yes", exact=True).check()
    page.fill("Price of the purchase", "850000")
    page.fill("Your reasons for buying", "Every agreed level is met, within the maximum cost.")
    page.click_button("Buy the result")
    partnership_a = sample.partnership_of(personas.org_a)
    partnership_a.refresh_from_db()
    assert partnership_a.status == PartnershipStatus.PURCHASED
    page.visit(reverse("stages:purchase", kwargs={"pk": procurement.pk}))
    card = page.page.locator(f"#partnership-{partnership_a.pk}").inner_text()
    assert "£850,000.00" in card, card

    # A's administrator sees its partnership purchased, at the price, and the Pilot paid.
    page.sign_in_as(personas.supplier_a_admin).visit(reverse("core:supplier-home"))
    page.click_link("Your R&D phases")
    assert "£850,000.00" in page.text()
    page.visit(reverse("core:supplier-home"))
    page.click_link("Your instalments and payments")
    assert "Partnership purchased." in page.text()
    assert f"Paid on {london_date(timezone.now()):%-d %B %Y}" in page.text()

    # B's administrator follows the e-mail to its gate result, which cites the condition.
    page.sign_in_as(personas.supplier_b_admin).visit(
        _mailed_path(personas.supplier_b_admin.email, f"/my-phases/{pilot_b.pk}/gate/")
    )
    assert "Terminate this partner" in page.text()
    assert condition.condition in page.text()
    assert "The pilot monitored too few homes." in page.text()
    # Its phases show the result too, with the letter about itself alone.
    page.click_link("Back to your R&D phases")
    assert condition.condition in page.text()
    letter = _pdf_text(page, f"letter about the gate of {PILOT} (PDF)")
    assert "Terminate this partner" in letter and condition.condition in letter, letter
    assert org_b in letter and org_a not in letter, letter
