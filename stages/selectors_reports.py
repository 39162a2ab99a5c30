"""The stage-gate reports of a procurement, and a partner's own letters, read in a constant
number of queries whatever the number of decisions (RULES.md point 9).

- ``gate_reports_list``: for the borough's officers, approvers and administrators, every gate
  decision of the procurement grouped by phase (newest first), each with its report's version
  and the latest report and partner's letter generated for it.
- ``partner_letters``: for a partner's people, the ready letters about their own partnerships'
  gate decisions, by participation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.models import DocumentStatus, GeneratedDocument
from core.selectors.accounts import supplier_membership_get
from core.selectors.documents import latest_documents_of

from .documents_gate import LETTER_KIND, REPORT_KIND
from .models import GateDecision, Phase
from .permissions import can_see_stages, partner_people_filter

if TYPE_CHECKING:
    from core.models import User
    from procurements.models import Procurement


@dataclass(frozen=True)
class ReportRow:
    """One gate decision: the version of its phase's report it made, and its documents (None
    when a document's content could not be prepared)."""

    decision: GateDecision
    version: int
    report: GeneratedDocument | None
    letter: GeneratedDocument | None

    @property
    def partner(self) -> str:
        return self.decision.participation.partnership.request.organisation.name

    @property
    def documents(self) -> list[tuple[str, str, GeneratedDocument | None]]:
        """(kind, what it is called on the page, the document) for the report and the letter."""
        return [
            (REPORT_KIND, f"Report version {self.version}", self.report),
            (LETTER_KIND, f"Letter to {self.partner}", self.letter),
        ]

    @property
    def has_failed(self) -> bool:
        return any(
            document is None or document.status == DocumentStatus.FAILED
            for _, _, document in self.documents
        )


@dataclass(frozen=True)
class PhaseReports:
    phase: Phase
    rows: list[ReportRow] = field(default_factory=list)  # newest first


def gate_reports_list(*, user: User, procurement: Procurement) -> list[PhaseReports]:
    """Every gate decision of ``procurement`` with its report and letter, grouped by phase;
    the phase decided most recently first, and in each the newest version first. Empty for
    anyone who may not see the stages."""
    if not can_see_stages(user, procurement):
        return []
    decisions = list(
        GateDecision.objects.filter(participation__phase__procurement=procurement)
        .select_related(
            "participation__phase",
            "participation__partnership__request__organisation",
            "condition",
            "decided_by",
        )
        .order_by("decided_at", "pk")
    )
    ids = [decision.pk for decision in decisions]
    reports = latest_documents_of(kind=REPORT_KIND, model=GateDecision, ids=ids)
    letters = latest_documents_of(kind=LETTER_KIND, model=GateDecision, ids=ids)
    groups: dict[int, PhaseReports] = {}
    for decision in decisions:
        phase = decision.participation.phase
        group = groups.setdefault(phase.pk, PhaseReports(phase=phase))
        group.rows.append(
            ReportRow(
                decision=decision,
                version=len(group.rows) + 1,
                report=reports.get(decision.pk),
                letter=letters.get(decision.pk),
            )
        )
    for group in groups.values():
        group.rows.reverse()
    return sorted(
        groups.values(),
        key=lambda group: (group.rows[0].decision.decided_at, group.rows[0].decision.pk),
        reverse=True,
    )


def gate_decision_of(*, procurement: Procurement, decision_pk: int) -> GateDecision | None:
    """The gate decision ``decision_pk`` if it belongs to ``procurement``."""
    return (
        GateDecision.objects.select_related(
            "participation__phase__procurement__borough",
            "participation__partnership__request__organisation",
        )
        .filter(pk=decision_pk, participation__phase__procurement=procurement)
        .first()
    )


def partner_letters(user: User, partnership_ids: Iterable[int]) -> dict[int, GeneratedDocument]:
    """Participation id -> the latest ready stage-gate letter about it, for the partnerships
    of ``partnership_ids`` of which ``user`` is one of the partner's people (its lead
    organisation or a consortium member); nothing of any other partnership. Three queries
    whatever the number of partnerships."""
    membership = supplier_membership_get(user=user)
    ids = list(partnership_ids)
    if membership is None or not ids:
        return {}
    organisation = membership.organisation_id
    own = partner_people_filter(organisation, "participation__partnership__")
    decisions = dict(
        GateDecision.objects.filter(own, participation__partnership_id__in=ids)
        .distinct()
        .values_list("pk", "participation_id")
    )
    letters = latest_documents_of(
        kind=LETTER_KIND,
        model=GateDecision,
        ids=decisions,
    )
    return {
        decisions[decision_id]: document
        for decision_id, document in letters.items()
        if document.status == DocumentStatus.READY
    }
