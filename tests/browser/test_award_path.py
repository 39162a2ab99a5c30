"""From the invitation to tender to the partnerships, in a real browser, as the people do it.

The shortlist is confirmed (three suppliers invited, the third never tenders). Through the
pages: the lead officer invites the initial tenders; the admins of organisations A and B
submit theirs; one officer asks to open the tender box and the approver confirms; the lead
officer opens a negotiation round and issues a change notice, which both tenderers read
before they resubmit; the lead officer opens the final round and both submit final tenders,
opened by two again. The lead officer starts the evaluation naming the panel (evaluator A on
quality, the lead officer on price); each member declares conflicts and marks blind, with
reasons; the lead officer moderates, the ranking shows, the award is proposed and the
approver approves it. A real Celery worker renders the assessment summaries, which download
as PDFs holding the consensus scores; the lead officer publishes the contract award notice
(UK6) and standstill begins, during which the contracts cannot be entered. The lead officer
then enters the contracts, the procurement is active and each partner reads its own
partnership.

Two moves of the clock are not made through the pages, since a test cannot wait for them:
each round's deadline is moved into the past (``pass_the_deadline``), and the standstill
period of 8 working days from the UK6 (PA 2023 s.51) is ended (``standstill_over``).

Every page on the way passes axe-core (the harness checks each page it loads).
"""

from __future__ import annotations

import io
import re
import uuid
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core.calendar import london_date
from partners.models import AwardDecision, Partnership, ProposalStatus, RoundKind, TenderRound
from procurements.models import Procurement, ProcurementStatus
from tests.browser.test_publication_path import _date_group
from tests.core.test_documents_worker import _published_for_real_to, _worker
from tests.partners.award_samples import standstill_over
from tests.partners.tender_samples import pass_the_deadline, tendering

pytestmark = [pytest.mark.browser, pytest.mark.worker]

QUALITY = "Quality of the solution"
# What each tenderer writes and prices in each round: A is better and cheaper in the end.
TENDERS = {
    "a": {
        1: ("Falls sensors in every flat, first draft.", "78,000", "190,000"),
        2: (
            "Falls sensors after the change notice, with the new pilot homes.",
            "76,000",
            "180,000",
        ),
        3: (
            "Our final method: sensors, a night call line and monthly reviews.",
            "75,000",
            "170,000",
        ),
    },
    "b": {
        1: ("A wearable alarm for each resident.", "79,000", "199,000"),
        2: ("A wearable alarm, reworked for the new pilot homes.", "79,000", "195,000"),
        3: ("Our final offer: a wearable alarm and a weekly visit.", "80,000", "195,000"),
    },
}
CHANGE = "The pilot now covers 40 homes in two estates instead of 20 in one."


def _press(page, role: str, name: str):
    """Click the first ``role`` whose accessible name contains ``name`` (it may carry words
    only screen readers hear) and check the page it leads to."""
    with page.page.expect_navigation():
        page.page.get_by_role(role, name=name).first.click()
    return page.check_accessibility()


def _deadline_and_opening(page) -> None:
    later = london_date(timezone.now()) + timedelta(days=40)
    _date_group(page, "Deadline for tenders", later, "12:00")
    _date_group(page, "Opening date of the tender box", later, "12:00")


def _mailed_path(to: str, fragment: str) -> str:
    """The path of the portal's link to ``fragment`` in the latest e-mail to ``to``."""
    for message in reversed(mail.outbox):
        if to in message.to:
            for url in re.findall(r"https?://\S+", message.body):
                if fragment in url:
                    return urlparse(url).path
    raise AssertionError(f"No e-mail to {to} links to {fragment}")


def _pdf_text(page, link_name: str) -> str:
    with page.page.expect_download() as download:
        page.page.get_by_role("link", name=link_name).first.click()
    data = download.value.path().read_bytes()
    assert data.startswith(b"%PDF")
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)


# --- the tenderers ---------------------------------------------------------------------------


def _tender(page, admin, tender_round: TenderRound, text: str, prices: tuple[str, str]):
    """``admin`` starts the organisation's proposal in ``tender_round`` from its invitations,
    answers, prices, declares background IP and submits."""
    page.sign_in_as(admin).visit(reverse("core:supplier-home"))
    page.click_link("Invitations to tender")
    assert f"round {tender_round.number}, {tender_round.get_kind_display().lower()}" in page.text()
    _press(page, "button", "Start your proposal")
    assert f"Round {tender_round.number}" in page.text()
    if tender_round.number > 1:
        assert "Change notice 1: Specification" in page.text()
        assert CHANGE in page.text()
    page.click_link(f"Criterion 1: {QUALITY}")
    page.fill("Your answer", text)
    page.click_button("Save and continue")
    page.click_link("Prices per phase")
    page.fill("Phase 1: Research and prototype", prices[0])
    page.fill("Phase 2: Pilot", prices[1])
    page.click_button("Save your prices")
    page.click_link("Background intellectual property")
    page.fill(
        "Describe the background intellectual property you bring",
        f"Background IP of {admin.supplier_membership.organisation.name}: our sensor firmware.",
    )
    page.click_button("Save")
    page.click_link("Check and submit your proposal")
    assert text in page.text()
    page.click_button("Submit the proposal")
    proposal = tender_round.proposals.get(request__organisation__memberships__user=admin)
    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.submissions.order_by("-number").first().sha256 in page.text()


def _both_tender(page, personas, tender_round: TenderRound) -> None:
    for key, admin in (("a", personas.supplier_a_admin), ("b", personas.supplier_b_admin)):
        text, *prices = TENDERS[key][tender_round.number]
        _tender(page, admin, tender_round, text, tuple(prices))


def _opened_by_two(page, personas, tender_round: TenderRound) -> None:
    """The deadline passes; officer A asks to open the box and approver A confirms."""
    pass_the_deadline(tender_round)
    tenders = reverse("partners:tenders", kwargs={"pk": tender_round.procurement_id})
    page.sign_in_as(personas.officer_a).visit(tenders)
    assert f"Round {tender_round.number}" in page.text()
    assert "2 proposals submitted so far" in page.text()
    page.click_button("Ask to open the tender box")
    assert "another authorised officer must now confirm it" in page.text()
    page.sign_in_as(personas.approver_a).visit(tenders)
    page.click_button("Confirm and open")
    assert f"Round {tender_round.number} is open: the proposals submitted are listed." in (
        page.text()
    )


def _next_round(page, procurement, kind_label: str, tenderers: list[str]) -> TenderRound:
    """The lead officer, on the tenders page, opens the next round to ``tenderers`` (those
    who submitted in the round before) only."""
    page.visit(reverse("partners:tenders", kwargs={"pk": procurement.pk}))
    number = procurement.tender_rounds.count() + 1
    page.click_link(f"Open round {number}")
    invited = page.page.locator("#tenderers").inner_text()
    assert invited.splitlines() == tenderers, invited
    page.page.get_by_label(kind_label, exact=True).check()
    _deadline_and_opening(page)
    page.click_button(f"Open round {number}")
    assert f"Round {number} is open for tenders." in page.text()
    return procurement.tender_rounds.get(number=number)


# --- the panel -------------------------------------------------------------------------------


def _declare_and_mark(page, part: str, marks: dict) -> None:
    """The panel member, on their list of tenders to evaluate, declares no conflict with any
    tenderer and marks every tender of ``part`` with a reason."""
    page.click_link(f"Declare your conflicts of interest for the {part} evaluation")
    for name in marks:
        page.page.get_by_role(
            "group", name=f"Do you have a conflict of interest with {name}?"
        ).get_by_label("No", exact=True).check()
    page.click_button("Record my declaration")
    assert "Your declaration is recorded" in page.text()
    for name, (mark, reason) in marks.items():
        page.click_link(name)
        assert "The other panel members' marks" not in page.text()
        if part == "quality":
            assert "Price schedule" not in page.text()
            page.page.get_by_label(f"Score for {QUALITY}", exact=True).select_option(mark)
            page.fill(f"Reason for the mark for {QUALITY}", reason)
        else:
            assert QUALITY not in page.text()
            page.page.get_by_label("Yes, accepted as compliant", exact=True).check()
            page.fill("Reason for the mark for Price", reason)
        page.click_button("Complete my marks")
        assert f"Your marks for {name} are complete." in page.text()


def _moderate(page, name: str, score: str) -> None:
    page.click_link(f"Moderate the tender of {name}")
    page.page.get_by_label(f"Score for {QUALITY}", exact=True).select_option(score)
    page.fill(f"Reason for the mark for {QUALITY}", f"Agreed: {name} scores {score}.")
    page.page.get_by_label("Yes, accepted as compliant", exact=True).check()
    page.fill("Reason for the mark for Price", f"The prices of {name} are within the maximums.")
    page.click_button("Save the consensus")
    assert f"The consensus for {name} is saved." in page.text()


# --- the path --------------------------------------------------------------------------------


def test_from_the_invitation_to_tender_to_the_partnerships(
    browser_page, personas, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    tender = tendering(personas)
    procurement = tender.procurement
    Procurement.objects.filter(pk=procurement.pk).update(max_partners=2)
    org_a, org_b = personas.org_a.name, personas.org_b.name
    assert len(tender.invited) == 3
    page = browser_page

    # The lead officer invites the initial tenders from the procurement's task list.
    page.sign_in_as(personas.officer_a).visit(
        reverse("procurements:task-list", kwargs={"pk": procurement.pk})
    )
    page.click_link("Tenders")
    _deadline_and_opening(page)
    page.click_button("Open round 1")
    assert "Round 1 is open for tenders." in page.text()
    first = procurement.tender_rounds.get(number=1)

    # A and B submit their initial tenders; the third invited supplier does not.
    _both_tender(page, personas, first)
    _opened_by_two(page, personas, first)

    # A negotiation round, and a change notice to both tenderers.
    page.sign_in_as(personas.officer_a)
    second = _next_round(page, procurement, "Negotiated tenders", [org_a, org_b])
    page.click_link("Issue a change notice for round 2")
    assert "every tenderer still in the procedure at once (2)" in page.text()
    page.page.get_by_label("Specification", exact=True).check()
    page.fill("What the change is", CHANGE)
    page.click_button("Issue the change notice")
    assert "Change notice 1 is issued." in page.text()
    _both_tender(page, personas, second)
    _opened_by_two(page, personas, second)

    # The final round: not negotiated, and the tenders it collects are evaluated.
    page.sign_in_as(personas.officer_a)
    final = _next_round(
        page, procurement, "Final tenders (not negotiated; no round after it)", [org_a, org_b]
    )
    assert final.kind == RoundKind.FINAL
    _both_tender(page, personas, final)
    _opened_by_two(page, personas, final)

    # The lead officer starts the evaluation and names the panel.
    page.sign_in_as(personas.officer_a).visit(
        reverse("partners:tenders", kwargs={"pk": procurement.pk})
    )
    assert "Open round 4" not in page.text()
    page.click_link("Evaluation of the opened tenders")
    page.click_link("Start the evaluation of round 3")
    page.page.get_by_role("group", name="Quality evaluators").get_by_label(
        personas.evaluator_a.email
    ).check()
    page.page.get_by_role("group", name="Price evaluators").get_by_label(
        personas.officer_a.email
    ).check()
    page.click_button("Start the evaluation")
    assert "The evaluation has started." in page.text()
    board = page.path

    # The lead officer, on the price panel, marks first from the dashboard; moderation
    # waits, and shows nobody's marks, until the quality evaluator has completed too.
    page.click_link("your tenders to evaluate for the price part")
    _declare_and_mark(
        page,
        "price",
        {org_a: ("yes", "Within every maximum."), org_b: ("yes", "Within every maximum, too.")},
    )
    page.visit(board)
    page.click_link(f"View the marks of {org_a}")
    assert "Moderation opens once every panel member has completed their marks" in page.text()
    assert "Within every maximum." not in page.text()
    # Evaluator A, who does not see the dashboard, follows the e-mail naming them.
    page.sign_in_as(personas.evaluator_a).visit(
        _mailed_path(personas.evaluator_a.email, "/evaluation/rounds/")
    )
    _declare_and_mark(
        page,
        "quality",
        {org_a: ("5", "A complete method with a night line."), org_b: ("3", "A thinner offer.")},
    )

    # The lead officer moderates both tenders; the ranking shows.
    page.sign_in_as(personas.officer_a).visit(board)
    assert "The ranking shows once every tender is moderated" in page.text()
    _moderate(page, org_a, "5")
    _moderate(page, org_b, "3")
    ranking = page.page.locator("#ranking").inner_text()
    assert ranking.index(org_a) < ranking.index(org_b)

    # The lead officer proposes the award to both.
    page.click_link("go to the award")
    page.fill("Your reasons for this award", "Both compliant tenders, up to two partners.")
    page.click_button("Propose the award to the approver")
    assert "The award is proposed." in page.text()

    # The approver approves; a real worker renders the assessment summaries while the page
    # waits for them.
    queue = f"test-award-path-{uuid.uuid4().hex[:12]}"
    with (
        _published_for_real_to(queue),
        _worker(queue=queue, media_root=settings.MEDIA_ROOT, log_path=tmp_path / "worker.log"),
    ):
        page.sign_in_as(personas.approver_a).visit(
            reverse("partners:award", kwargs={"pk": procurement.pk})
        )
        page.click_link("Decide the award")
        page.page.get_by_label("Approve the award", exact=True).check()
        page.click_button("Record my decision")
        assert "The award is approved" in page.text()
        page.page.get_by_text("Assessment summaries: 2 of 2 ready").wait_for(timeout=90_000)
        page.check_accessibility()
    assert (tmp_path / "worker.log").read_text().count("] succeeded in") == 2

    # The lead officer reads a summary, publishes the UK6 and standstill begins.
    page.sign_in_as(personas.officer_a).visit(
        reverse("partners:award", kwargs={"pk": procurement.pk})
    )
    page.click_link(f"View the summary of {org_b}")
    summary = _pdf_text(page, "Download")
    assert "3 out of 5" in summary and "5 out of 5" in summary, summary
    page.visit(reverse("partners:award", kwargs={"pk": procurement.pk}))
    page.click_button("Send the assessment summaries")
    page.click_button("Publish the contract award notice")
    assert "The standstill period runs until" in page.text()
    page.visit(reverse("partners:partnerships", kwargs={"pk": procurement.pk}))
    assert "contracts may be entered from the day after" in page.text()
    assert page.page.get_by_role("button", name="Enter the contracts").count() == 0

    # Each tenderer follows the e-mail to its outcome and downloads its summary.
    decision = AwardDecision.objects.get(procurement=procurement)
    for admin, own in ((personas.supplier_a_admin, "5"), (personas.supplier_b_admin, "3")):
        page.sign_in_as(admin).visit(_mailed_path(admin.email, "/award/"))
        assert "is to be awarded a partnership" in page.text()
        page.click_link("Read your assessment summary")
        summary = _pdf_text(page, "Download")
        assert f"{own} out of 5" in summary, summary

    # Standstill is over (see the module's docstring): the lead officer enters the contracts.
    standstill_over(decision)
    page.sign_in_as(personas.officer_a).visit(
        reverse("procurements:task-list", kwargs={"pk": procurement.pk})
    )
    page.click_link("Partnerships")
    _date_group(page, "Date the contracts were signed", london_date(timezone.now()))
    page.click_button("Enter the contracts")
    assert "2 partnership contracts entered." in page.text()
    assert Procurement.objects.get(pk=procurement.pk).status == ProcurementStatus.ACTIVE

    # Each partner sees its own partnership, at the prices of its final tender.
    for admin, key, other in (
        (personas.supplier_a_admin, "a", org_b),
        (personas.supplier_b_admin, "b", org_a),
    ):
        partnership = Partnership.objects.get(
            procurement=procurement, request__organisation__memberships__user=admin
        )
        page.sign_in_as(admin).visit(reverse("core:supplier-home"))
        page.click_link("Your partnerships")
        assert other not in page.text()
        page.click_link(partnership.reference)
        _, phase_1, phase_2 = TENDERS[key][3]
        assert f"£{phase_1}.00" in page.text() and f"£{phase_2}.00" in page.text()
