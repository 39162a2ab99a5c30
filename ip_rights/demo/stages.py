"""The steps that run an active demo procurement's R&D phases, through the services the stages
pages call (RULES.md points 8 and 9; PA 2023 ss.20, 68 and 80): the lead officer names the
gates' assessors; each partner's organisation administrator submits progress reports,
deliverables with measured values and evidence files, and each phase's final report, which
puts the phase under review at its gate; the lead officer asks for more evidence and the
partner answers; the assessor scores a participation under review, the lead officer moderates
it and the approver passes the partner to its next phase or terminates it on an announced
condition; the partner claims its instalments, which the lead officer approves or withholds
and records as paid. The stage-gate reports each decision requests are rendered within the
command, as the worker would.

The demo cannot wait for phases to take weeks: every step happens on the day the demo is
loaded, so a phase starts, is reported on, decided and paid the same day, and each payment is
recorded as made today (its approval's day: a payment is never dated before its approval).
Nothing here is changed other than through a service.

Partners are named by their organisation administrator's e-mail, phases by their number in
the plan (1 is the first), targets and gate criteria by their order in the phase.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.calendar import london_date
from core.models import DocumentStatus
from core.selectors.documents import latest_documents_of
from core.services.documents import document_render
from stages.documents_gate import GATE_KINDS
from stages.models import (
    Deliverable,
    GateDecision,
    GateOutcome,
    Instalment,
    StageParticipation,
)
from stages.services_deliverables import deliverable_submit, evidence_request
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

from .flow import Seeding

# --- what a partner submits --------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """A small PDF of evidence: its file name, its heading and its paragraphs."""

    name: str
    heading: str
    paragraphs: tuple[str, ...]

    def upload(self) -> SimpleUploadedFile:
        """The PDF, rendered in memory as a partner would upload it."""
        from weasyprint import HTML  # imported here: pango loads slowly

        body = "".join(f"<p>{escape(text)}</p>" for text in self.paragraphs)
        html = (
            '<!doctype html><html lang="en-GB"><head><meta charset="utf-8">'
            f"<title>{escape(self.heading)}</title>"
            "<style>body { font-family: Arial, 'Liberation Sans', sans-serif; }</style>"
            f"</head><body><h1>{escape(self.heading)}</h1>{body}</body></html>"
        )
        return SimpleUploadedFile(
            self.name, HTML(string=html).write_pdf(), content_type="application/pdf"
        )


@dataclass(frozen=True)
class Report:
    """A progress report, deliverable or final report: its kind, title and summary, the
    values measured against the phase's targets (target number -> (value, note)) and its
    evidence file."""

    kind: str
    title: str
    summary: str
    values: dict[int, tuple[str, str]] = field(default_factory=dict)
    evidence: Evidence | None = None


def participation_of(seeding: Seeding, partner: str, phase: int) -> StageParticipation:
    """The participation of the partner (its administrator's e-mail) in the plan's phase
    numbered ``phase``."""
    organisation_id = seeding.team.suppliers[partner].supplier_membership.organisation_id
    found = StageParticipation.objects.select_related("phase", "partnership").filter(
        partnership__procurement=seeding.procurement,
        partnership__request__organisation_id=organisation_id,
    )
    return list(found.order_by("phase__order", "phase__pk"))[phase - 1]


def _submit(
    seeding: Seeding, partner: str, phase: int, report: Report, answers=None
) -> Deliverable:
    participation = participation_of(seeding, partner, phase)
    targets = list(participation.phase.targets.order_by("order", "pk"))
    return deliverable_submit(
        actor=seeding.team.suppliers[partner],
        participation=participation,
        kind=report.kind,
        title=report.title,
        summary=report.summary,
        measurements={targets[n - 1].pk: value for n, value in report.values.items()},
        files=[report.evidence.upload()] if report.evidence else [],
        answers=answers,
    )


@dataclass(frozen=True)
class Submitted:
    """The partner's administrator submits ``report`` in its phase ``phase``; a final report
    puts the phase under review at its gate."""

    partner: str
    phase: int
    report: Report

    def __call__(self, seeding: Seeding) -> None:
        _submit(seeding, self.partner, self.phase, self.report)


@dataclass(frozen=True)
class EvidenceAnswered:
    """The lead officer asks the partner for more evidence about its latest deliverable of
    phase ``phase`` (``request``); the partner answers with ``answer``, which cites the
    request."""

    partner: str
    phase: int
    request: str
    answer: Report

    def __call__(self, seeding: Seeding) -> None:
        participation = participation_of(seeding, self.partner, self.phase)
        asked = evidence_request(
            actor=seeding.team.officer,
            participation=participation,
            request=self.request,
            deliverable=participation.deliverables.order_by("-submitted_at", "-pk").first(),
        )
        _submit(seeding, self.partner, self.phase, self.answer, answers=asked)


# --- the gates ---------------------------------------------------------------------------------


def assessors_named(seeding: Seeding) -> None:
    """The lead officer names the evaluator as the assessor of every phase's gate."""
    for phase in seeding.procurement.phases.order_by("order", "pk"):
        gate_assessors_name(
            actor=seeding.team.officer, phase=phase, assessors=[seeding.team.evaluator]
        )


def _marks(participation: StageParticipation, marks: Sequence[tuple]) -> dict[int, GateMark]:
    """``marks`` (score, meets, reason, evidence reference) in the order of the gate's
    criteria, keyed by criterion."""
    criteria = participation.phase.gate_criteria.order_by("order", "pk")
    return {
        criterion.pk: GateMark(score=s, meets=m, reason=r, evidence_reference=e)
        for criterion, (s, m, r, e) in zip(criteria, marks, strict=True)
    }


@dataclass(frozen=True)
class GateScored:
    """The evaluator completes its marks of the partner's phase under review, then the lead
    officer moderates every criterion to ``consensus``; each a (score, meets, reason,
    evidence reference) per gate criterion."""

    partner: str
    phase: int
    marks: tuple[tuple, ...]
    consensus: tuple[tuple, ...]

    def __call__(self, seeding: Seeding) -> None:
        participation = participation_of(seeding, self.partner, self.phase)
        gate_marks_save(
            actor=seeding.team.evaluator,
            participation=participation,
            marks=_marks(participation, self.marks),
            complete=True,
        )
        gate_consensus_save(
            actor=seeding.team.officer,
            participation=participation,
            marks=_marks(participation, self.consensus),
        )


@dataclass(frozen=True)
class GateDecided:
    """The approver decides the partner's gate with ``reason``: a pass (its next phase starts
    today), or, with ``condition`` (the number of one of the phase's announced termination
    conditions), a termination on that condition, which ends its contract and publishes the
    contract termination notice (UK11)."""

    partner: str
    phase: int
    reason: str
    condition: int | None = None

    def __call__(self, seeding: Seeding) -> None:
        participation = participation_of(seeding, self.partner, self.phase)
        condition = None
        if self.condition is not None:
            conditions = participation.phase.termination_conditions.order_by("order", "pk")
            condition = list(conditions)[self.condition - 1]
        gate_decide(
            actor=seeding.team.approver,
            participation=participation,
            outcome=GateOutcome.PASS if condition is None else GateOutcome.TERMINATE,
            reason=self.reason,
            condition=condition,
        )


def gate_reports_rendered(seeding: Seeding) -> None:
    """Render the waiting stage-gate reports and letters of the procurement's decisions with
    the render task's own service, as the worker does once a decision commits; the task the
    commit then runs finds them ready and leaves them as they are."""
    decisions = GateDecision.objects.filter(participation__phase__procurement=seeding.procurement)
    ids = list(decisions.values_list("pk", flat=True))
    for kind in GATE_KINDS:
        documents = latest_documents_of(kind=kind, model=GateDecision, ids=ids)
        for document in documents.values():
            if document.status == DocumentStatus.PENDING:
                document_render(document_id=document.pk)


# --- the money ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claimed:
    """The partner claims instalment ``number`` of its phase ``phase`` in full, with
    ``evidence`` and the deliverable of that phase titled ``deliverable``; the lead officer
    then approves it (``approval``, its reasons) and, if ``paid``, records it as paid today,
    or withholds it (``withheld``, its reasons); with neither, the claim waits."""

    partner: str
    phase: int
    number: int
    evidence: str
    deliverable: str
    approval: str | None = None
    paid: bool = False
    withheld: str | None = None

    def __call__(self, seeding: Seeding) -> None:
        participation = participation_of(seeding, self.partner, self.phase)
        instalment = list(Instalment.objects.filter(participation=participation))[self.number - 1]
        officer = seeding.team.officer
        instalment = instalment_claim(
            actor=seeding.team.suppliers[self.partner],
            instalment=instalment,
            amount=instalment.amount,
            evidence=self.evidence,
            deliverable=participation.deliverables.get(title=self.deliverable),
        )
        if self.withheld is not None:
            instalment_withhold(actor=officer, instalment=instalment, reason=self.withheld)
        elif self.approval is not None:
            instalment = instalment_approve(
                actor=officer, instalment=instalment, reason=self.approval
            )
            if self.paid:
                instalment_mark_paid(
                    actor=officer, instalment=instalment, paid_on=london_date(timezone.now())
                )
