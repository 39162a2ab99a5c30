"""What a phase's record holds for the people who may see it: the announced targets, the
partner's deliverables with their measured values and evidence files, and the borough's
requests for more evidence (RULES.md point 8; PCR 2015 reg. 31(7)).

The partner's people see their own participations (``selectors_partner``); the borough's
officers, approvers and administrators, and the assessors of the phase's gate, see every
partner's. Each record is read in a constant number of queries whatever the number of
deliverables, values and files.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from core.models import User
from partners.evidence import size_text, type_label
from procurements.models import Procurement
from procurements.sections import uk_date_text, uk_datetime_text

from .models import (
    Deliverable,
    DeliverableFile,
    DeliverableKind,
    EvidenceRequest,
    IntermediateTarget,
    MeasuredValue,
    StageParticipation,
)
from .permissions import is_partner_person
from .permissions_gates import can_see_gate
from .selectors_partner import NEXT_STEPS


@dataclass(frozen=True)
class FileRow:
    file: DeliverableFile

    @property
    def size(self) -> str:
        return size_text(self.file.size)

    @property
    def type(self) -> str:
        return type_label(self.file.content_type)


@dataclass(frozen=True)
class DeliverableRow:
    """One deliverable with its measured values (in the targets' order) and its files."""

    deliverable: Deliverable
    measurements: list[MeasuredValue]
    files: list[FileRow]

    @property
    def submitted_at(self) -> str:
        return uk_datetime_text(self.deliverable.submitted_at)

    @property
    def is_final_report(self) -> bool:
        return self.deliverable.kind == DeliverableKind.FINAL_REPORT


@dataclass(frozen=True)
class RequestRow:
    """One request for more evidence, and whether the partner has answered it."""

    request: EvidenceRequest

    @property
    def asked_at(self) -> str:
        return uk_datetime_text(self.request.asked_at)

    @property
    def answered_at(self) -> str:
        return uk_datetime_text(self.request.answered_at)

    @property
    def is_open(self) -> bool:
        return self.request.answered_at is None


@dataclass(frozen=True)
class ParticipationRecord:
    """One participation with everything submitted and asked in it, oldest first."""

    participation: StageParticipation
    deliverables: list[DeliverableRow]
    requests: list[RequestRow]

    @property
    def phase(self):
        return self.participation.phase

    @property
    def partnership(self):
        return self.participation.partnership

    @property
    def targets(self) -> list[IntermediateTarget]:
        return list(self.participation.phase.targets.all())

    @property
    def open_requests(self) -> list[EvidenceRequest]:
        return [row.request for row in self.requests if row.is_open]

    @property
    def final_report(self) -> Deliverable | None:
        finals = [row.deliverable for row in self.deliverables if row.is_final_report]
        return finals[-1] if finals else None

    @property
    def started_on(self) -> str:
        return uk_date_text(self.participation.started_on)

    @property
    def review_requested_at(self) -> str:
        return uk_datetime_text(self.participation.review_requested_at)

    @property
    def next_step(self) -> str:
        return NEXT_STEPS[self.participation.status]


def _participations():
    return StageParticipation.objects.select_related(
        "phase", "partnership__procurement__borough", "partnership__request__organisation"
    ).prefetch_related(
        Prefetch("phase__targets", queryset=IntermediateTarget.objects.order_by("order", "pk"))
    )


def participation_record(participation: StageParticipation) -> ParticipationRecord:
    """The participation's deliverables (with values and files) and requests: four queries."""
    deliverables = list(
        Deliverable.objects.filter(participation=participation)
        .select_related("submitted_by", "answers")
        .prefetch_related(
            Prefetch(
                "measurements",
                queryset=MeasuredValue.objects.select_related("target").order_by(
                    "target__order", "target__pk"
                ),
            ),
            Prefetch("files", queryset=DeliverableFile.objects.order_by("uploaded_at", "pk")),
        )
        .order_by("submitted_at", "pk")
    )
    requests = list(
        EvidenceRequest.objects.filter(participation=participation)
        .select_related("asked_by", "deliverable")
        .order_by("asked_at", "pk")
    )
    rows = [
        DeliverableRow(
            deliverable,
            list(deliverable.measurements.all()),
            [FileRow(stored) for stored in deliverable.files.all()],
        )
        for deliverable in deliverables
    ]
    return ParticipationRecord(participation, rows, [RequestRow(r) for r in requests])


def borough_participation_get(
    *, procurement: Procurement, participation_pk: int
) -> StageParticipation | None:
    """A participation of ``procurement`` (the caller has checked the user sees its stages)."""
    return (
        _participations().filter(pk=participation_pk, partnership__procurement=procurement).first()
    )


def deliverable_file_get(*, user: User, pk: int) -> DeliverableFile | None:
    """An evidence file for the borough (its officers, approvers and administrators, and the
    assessors of the phase's gate) and the partner's people; None for anyone else."""
    found = (
        DeliverableFile.objects.select_related(
            "deliverable__participation__phase__procurement__borough",
            "deliverable__participation__partnership__request__organisation",
        )
        .filter(pk=pk)
        .first()
    )
    if found is None or not getattr(user, "is_authenticated", False):
        return None
    participation = found.deliverable.participation
    if is_partner_person(user, participation.partnership) or can_see_gate(
        user, participation.phase
    ):
        return found
    return None
