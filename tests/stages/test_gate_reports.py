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

from core.calendar import london_date
from core.models import AuditEvent, DocumentStatus, GeneratedDocument
from core.selectors.documents import document_may_read
from core.services.documents import document_render
from stages.documents_gate import (
    LETTER_KIND,
    REPORT_KIND,
)
from stages.models import (
    Deliverable,
    DeliverableKind,
    GateDecision,
    GateOutcome,
    Instalment,
    InstalmentStatus,
    ParticipationStatus,
    StageParticipation,
)
from stages.services_deliverables import deliverable_submit
from stages.services_gate_decisions import gate_decide
from stages.services_gates import (
    GateMark,
    gate_assessors_name,
    gate_consensus_save,
    gate_marks_save,
)
from stages.services_instalments import (
    instalment_approve,
    instalment_claim,
    instalment_mark_paid,
    instalment_withhold,
)
from tests.stages.deliverable_samples import pdf
from tests.stages.gate_samples import fresh as gate_fresh
from tests.stages.gate_samples import partner_admin
from tests.stages.running_samples import running

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]

CLAIM_EVIDENCE = "Interim report accepted."
REASON = "The pilot homes were monitored as planned and the falls were detected in time."


# --- the sample's gate, through the services the pages call -----------------------------------


def measure(participation: StageParticipation, values, *, by) -> Deliverable:
    """The partner's final report with one measured value per intermediate target, in order,
    and one evidence file: the participation moves to review."""
    targets = participation.phase.targets.order_by("order")
    return deliverable_submit(
        actor=by,
        participation=participation,
        kind=DeliverableKind.FINAL_REPORT,
        title="Final report",
        summary="What the phase achieved.",
        measurements={
            target.pk: (value, "") for target, value in zip(targets, values, strict=True)
        },
        files=[pdf("final-report.pdf")],
    )


def moderated(personas, participation: StageParticipation, *, scores=(7, 6)):
    """Under review (the final report, if not yet submitted), scored by the gate's assessors
    (evaluator A, named by officer A if nobody is) and moderated by officer A with
    ``scores``: a criterion meets its threshold at 6 or more."""
    participation = gate_fresh(participation)
    organisation = participation.partnership.request.organisation
    if participation.status == ParticipationStatus.IN_PROGRESS:
        measure(participation, ["24", "24"], by=partner_admin(organisation))
    phase = participation.phase
    if not phase.gate_assessors.exists():
        gate_assessors_name(actor=personas.officer_a, phase=phase, assessors=[personas.evaluator_a])
    criteria = list(phase.gate_criteria.order_by("order"))
    marks = {
        criterion.pk: GateMark(
            score=score,
            meets=score >= 6,
            reason=f"{organisation.name} scored {score} on {criterion.criterion.lower()}",
            evidence_reference="Final report, section 2",
        )
        for criterion, score in zip(criteria, scores, strict=True)
    }
    for seat in phase.gate_assessors.select_related("user"):
        gate_marks_save(actor=seat.user, participation=participation, marks=marks, complete=True)
    gate_consensus_save(actor=personas.officer_a, participation=participation, marks=marks)
    return gate_fresh(participation)


def decide(
    personas,
    participation: StageParticipation,
    *,
    terminate: bool = False,
    scores=(7, 6),
    reason: str = REASON,
) -> GateDecision:
    """Approver A's decision on ``participation`` through ``gate_decide`` (moderated first
    with ``scores`` unless the consensus is already recorded); a termination cites the
    phase's first announced condition."""
    if not participation.gate_consensus.exists():
        participation = moderated(personas, participation, scores=scores)
    condition = (
        participation.phase.termination_conditions.order_by("order").first() if terminate else None
    )
    return gate_decide(
        actor=personas.approver_a,
        participation=participation,
        outcome=GateOutcome.TERMINATE if terminate else GateOutcome.PASS,
        reason=reason,
        condition=condition,
    )


def pay_first_instalment(participation: StageParticipation, *, by) -> Instalment:
    """The first instalment claimed by the partner's administrator, then approved and marked
    paid today by ``by`` (the lead officer)."""
    instalment = participation.instalments.order_by("schedule_item__order").first()
    admin = partner_admin(participation.partnership.request.organisation)
    instalment_claim(
        actor=admin, instalment=instalment, amount=instalment.amount, evidence=CLAIM_EVIDENCE
    )
    instalment = instalment_approve(actor=by, instalment=instalment)
    return instalment_mark_paid(
        actor=by, instalment=instalment, paid_on=london_date(timezone.now())
    )


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
    participation = moderated(personas, sample.participation(personas.org_a, 1))
    with django_capture_on_commit_callbacks() as callbacks:
        decision = decide(personas, participation)
        assert {
            d.status for d in GeneratedDocument.objects.filter(kind__in=[REPORT_KIND, LETTER_KIND])
        } == {DocumentStatus.PENDING}

    # The two documents' renders and the partner's letter by e-mail, nothing before commit.
    assert len(callbacks) == 3
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
    participation = moderated(personas, sample.participation(personas.org_a, 1))
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
    instalment_claim(
        actor=personas.supplier_a_admin,
        instalment=second,
        amount=Decimal("40000"),
        evidence="Final report.",
    )
    instalment_withhold(
        actor=personas.officer_a, instalment=second, reason="The final report is not accepted yet."
    )

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
