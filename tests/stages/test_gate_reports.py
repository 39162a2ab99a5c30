"""The stage-gate reports: at every gate decision the phase's report (a new version covering
every partner of the phase) and the decided partner's letter (its own part only) are requested
in the decision's transaction and rendered after it commits to tagged PDFs that carry the
targets and results, the marks and reasons, the decision with its condition, and the money."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader

from core.models import AuditEvent, DocumentStatus, GeneratedDocument
from core.selectors.documents import document_may_read
from core.services.documents import document_render
from stages.documents_gate import (
    LETTER_KIND,
    REPORT_KIND,
    gate_reports_request,
)
from stages.models import (
    Deliverable,
    DeliverableKind,
    GateConsensus,
    GateDecision,
    GateOutcome,
    Instalment,
    InstalmentStatus,
    MeasuredValue,
    ParticipationStatus,
    StageParticipation,
)
from tests.stages.running_samples import running

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]

REASON = "The pilot homes were monitored as planned and the falls were detected in time."


# --- the sample's gate, built as the gate decision service leaves it -------------------------


def measure(participation: StageParticipation, values, *, by) -> Deliverable:
    """A final report with one measured value per intermediate target, in order."""
    deliverable = Deliverable.objects.create(
        participation=participation,
        kind=DeliverableKind.FINAL_REPORT,
        title="Final report",
        summary="What the phase achieved.",
        submitted_by=by,
    )
    for target, value in zip(participation.phase.targets.order_by("order"), values, strict=False):
        MeasuredValue.objects.create(deliverable=deliverable, target=target, value=value)
    return deliverable


@transaction.atomic
def decide(
    personas,
    participation: StageParticipation,
    *,
    terminate: bool = False,
    scores=(7, 6),
    reason: str = REASON,
) -> GateDecision:
    """The gate decision on ``participation`` with its moderated marks, as
    ``stages.services_gate_decisions.gate_decide`` makes it (the rows, the transition, then
    ``gate_reports_request`` in the same transaction). One place to swap for the service."""
    participation = (
        StageParticipation.objects.select_for_update(of=("self",))
        .select_related("phase", "partnership__request__organisation")
        .get(pk=participation.pk)
    )
    now = timezone.now()
    if participation.status == ParticipationStatus.IN_PROGRESS:
        participation.submit_for_review(at=now)
    name = participation.partnership.request.organisation.name
    criteria = list(participation.phase.gate_criteria.order_by("order"))
    for criterion, score in zip(criteria, scores, strict=True):
        GateConsensus.objects.create(
            participation=participation,
            criterion=criterion,
            score=score,
            meets=score >= 6,
            reason=f"{name} scored {score} on {criterion.criterion.lower()}",
            evidence_reference="Final report, section 2",
            moderated_by=personas.officer_a,
        )
    condition = participation.phase.termination_conditions.first() if terminate else None
    decision = GateDecision.objects.create(
        participation=participation,
        outcome=GateOutcome.TERMINATE if terminate else GateOutcome.PASS,
        recommendation_meets=all(score >= 6 for score in scores),
        condition=condition,
        reason=reason,
        decided_by=personas.approver_a,
        decided_at=now,
    )
    if terminate:
        participation.terminate(at=now)
    else:
        participation.pass_gate(at=now)
    participation.save(update_fields=["status", "review_requested_at", "decided_at"])
    gate_reports_request(actor=personas.approver_a, decision=decision)
    return decision


def pay_first_instalment(participation: StageParticipation, *, by) -> Instalment:
    """The first instalment claimed, approved and paid (the instalment services' end state)."""
    instalment = participation.instalments.order_by("schedule_item__order").first()
    instalment.claim(by=by, amount=instalment.amount, evidence="Interim report accepted.")
    instalment.approve(by=by)
    instalment.mark_paid(by=by, on=timezone.localdate())
    instalment.save()
    return instalment


def document_of(decision: GateDecision, kind: str) -> GeneratedDocument:
    return GeneratedDocument.objects.get(kind=kind, object_id=str(decision.pk))


def rendered_text(decision: GateDecision, kind: str) -> str:
    """Render the document as the worker does; the PDF's text, whitespace folded."""
    document = document_of(decision, kind)
    if document.status == DocumentStatus.PENDING:
        document = document_render(document_id=document.pk)
    assert document.status == DocumentStatus.READY, document.error
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True  # tagged
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def sample(personas):
    found = running(personas)
    a = found.participation(personas.org_a, 1)
    b = found.participation(personas.org_b, 1)
    measure(a, ["24 homes", "93%"], by=personas.supplier_a_admin)
    measure(b, ["11 homes", "70%"], by=personas.supplier_b_admin)
    pay_first_instalment(a, by=personas.officer_a)
    return found


# --- requesting ---------------------------------------------------------------------------------


def test_a_decision_requests_both_documents_rendered_only_after_it_commits(
    personas, sample, django_capture_on_commit_callbacks
):
    participation = sample.participation(personas.org_a, 1)
    with django_capture_on_commit_callbacks() as callbacks:
        decision = decide(personas, participation)
        assert {
            d.status for d in GeneratedDocument.objects.filter(kind__in=[REPORT_KIND, LETTER_KIND])
        } == {DocumentStatus.PENDING}

    assert len(callbacks) == 2
    report, letter = document_of(decision, REPORT_KIND), document_of(decision, LETTER_KIND)
    assert report.title.endswith("Research and prototype, version 1")
    assert letter.title.endswith("Research and prototype – Alpha Robotics Ltd")
    assert report.requested_by == personas.approver_a
    requested = AuditEvent.objects.filter(action="document.requested").values_list(
        "data__kind", flat=True
    )
    assert set(requested) >= {REPORT_KIND, LETTER_KIND}


def test_nothing_is_requested_when_the_decision_is_rolled_back(
    personas, sample, django_capture_on_commit_callbacks
):
    participation = sample.participation(personas.org_a, 1)
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        decide(personas, participation)
        raise RuntimeError("the decision fails after the reports were requested")

    assert callbacks == []
    assert not GateDecision.objects.exists()
    assert not GeneratedDocument.objects.filter(kind__in=[REPORT_KIND, LETTER_KIND]).exists()


def test_the_decision_stands_when_a_documents_content_cannot_be_prepared(
    personas, sample, monkeypatch
):
    import stages.documents_gate as gate

    def broken(**kwargs):
        raise ValueError("a broken content")

    # The dataclass is frozen: replace the registered kind with a copy whose content fails.
    from dataclasses import replace

    from core.documents import _KINDS

    monkeypatch.setitem(_KINDS, LETTER_KIND, replace(gate.GATE_LETTER, build_context=broken))
    decision = decide(personas, sample.participation(personas.org_a, 1))

    assert GateDecision.objects.filter(pk=decision.pk).exists()
    assert document_of(decision, REPORT_KIND).status == DocumentStatus.PENDING
    assert not GeneratedDocument.objects.filter(kind=LETTER_KIND).exists()
    event = AuditEvent.objects.get(action="stages.gate_report_not_prepared")
    assert event.data["kind"] == LETTER_KIND
    assert "a broken content" in event.data["error"]


# --- what the report says -------------------------------------------------------------------------


def test_the_report_carries_targets_results_marks_decision_condition_and_money(personas, sample):
    decision = decide(
        personas, sample.participation(personas.org_b, 1), terminate=True, scores=(3, 4)
    )

    text = rendered_text(decision, REPORT_KIND)

    assert "Stage-gate report: Research and prototype" in text
    assert "Version 1" in text or "version 1" in text
    # Partner B: decided, terminated on the announced condition, with its reason.
    assert "Beta Care CIC" in text
    assert "Terminate this partner" in text
    assert "An intermediate target of the phase is not met" in text
    assert REASON in text
    assert "11 homes" in text and "70%" in text
    assert "Beta Care CIC scored 3 on targets met" in text
    assert "3 out of 10" in text
    assert "does not meet every announced threshold" in text
    # Partner A: still awaiting its decision, with its results and money so far.
    assert "Alpha Robotics Ltd" in text
    assert "Awaiting its gate decision" in text
    assert "24 homes" in text and "93%" in text
    # Money: each phase's committed £75,000.00 (40/60 instalments), A's first paid.
    assert "£75,000.00" in text
    assert "£30,000.00" in text and "£45,000.00" in text
    assert "£225,000.00" in text  # the whole contract committed (75,000 + 150,000)
    assert timezone.localdate().strftime("%B %Y") in text  # A's paid date


def test_two_decisions_at_one_gate_make_versions_1_and_2_the_second_covering_both(personas, sample):
    first = decide(personas, sample.participation(personas.org_b, 1), terminate=True, scores=(3, 4))
    second = decide(personas, sample.participation(personas.org_a, 1))

    one, two = document_of(first, REPORT_KIND), document_of(second, REPORT_KIND)
    assert (one.context["version"], two.context["version"]) == (1, 2)
    assert two.title.endswith("version 2")
    assert [p["state"] for p in one.context["partners"]] == ["awaiting", "decided"]
    assert [p["state"] for p in two.context["partners"]] == ["decided", "decided"]
    text = rendered_text(second, REPORT_KIND)
    assert "Pass to the next phase" in text and "Terminate this partner" in text
    assert "Partners awaiting their decision 0" in text
    # The first version still reads as it did: A awaiting.
    assert "Awaiting its gate decision" in rendered_text(first, REPORT_KIND)


def test_the_letter_gives_the_partner_its_own_part_and_nothing_of_the_other(personas, sample):
    decide(personas, sample.participation(personas.org_b, 1), terminate=True, scores=(3, 4))
    decision = decide(personas, sample.participation(personas.org_a, 1))

    text = rendered_text(decision, LETTER_KIND)

    assert "Alpha Robotics Ltd" in text
    assert "Pass to the next phase" in text
    assert "24 homes" in text and "Alpha Robotics Ltd scored 7 on targets met" in text
    assert "£30,000.00" in text  # its paid instalment
    for other in ("Beta Care CIC", "11 homes", "70%", "scored 3", "Terminate this partner"):
        assert other not in text
    context = document_of(decision, LETTER_KIND).context
    assert "Beta Care CIC" not in str(context)


def test_the_terminated_partners_letter_cites_the_condition(personas, sample):
    decision = decide(
        personas, sample.participation(personas.org_b, 1), terminate=True, scores=(3, 4)
    )

    text = rendered_text(decision, LETTER_KIND)

    assert "Terminate this partner" in text
    assert (
        "The announced condition relied on: An intermediate target of the phase is not met" in text
    )
    assert "Your partnership ends at this phase" in text
    assert "Alpha Robotics Ltd" not in text


# --- who may read --------------------------------------------------------------------------------


def test_the_borough_reads_both_and_each_partner_only_its_own_letter(personas, sample):
    decision = decide(personas, sample.participation(personas.org_a, 1))
    report, letter = document_of(decision, REPORT_KIND), document_of(decision, LETTER_KIND)

    for person in (personas.officer_a, personas.approver_a, personas.borough_admin_a):
        assert document_may_read(user=person, document=report)
        assert document_may_read(user=person, document=letter)
    for person in (personas.supplier_a_admin, personas.supplier_a_member):
        assert not document_may_read(user=person, document=report)
        assert document_may_read(user=person, document=letter)
    for person in (
        personas.supplier_b_admin,
        personas.supplier_b_member,
        personas.officer_b,
        personas.evaluator_a,
        personas.consortium_member,
    ):
        assert not document_may_read(user=person, document=report)
        assert not document_may_read(user=person, document=letter)


def test_money_counts_claims_approvals_payments_and_withholdings(personas, sample):
    a = sample.participation(personas.org_a, 1)
    second = a.instalments.order_by("schedule_item__order").last()
    second.claim(by=personas.supplier_a_admin, amount=Decimal("40000"), evidence="Final report.")
    second.withhold(by=personas.officer_a, reason="The final report is not accepted yet.")
    second.save()

    decision = decide(personas, a)

    money = document_of(decision, LETTER_KIND).context["partner"]["phase_money"]
    assert money == {
        "cap": "£75,000.00",
        "committed": "£75,000.00",
        "claimed": "£0.00",
        "approved": "£0.00",
        "paid": "£30,000.00",
        "withheld": "£40,000.00",
    }
    assert Instalment.objects.filter(status=InstalmentStatus.WITHHELD).count() == 1
