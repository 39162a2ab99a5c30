"""The borough's view of the requests to participate in one of its procurements.

Before the participation deadline the borough learns only how many requests have been
submitted, never by whom or what they say (the procurement is still published). Once the
procurement has moved to selection, each submitted request is shown from its latest frozen
submission: the lead and the consortium, when it was received and its SHA-256, and the flags
assessment starts from: a debarment list entry in force matching any of its organisations, a
mandatory exclusion ground declared as applying, discretionary grounds declared, a conflict of
interest declared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace
from typing import Any

from django.db.models import Prefetch, QuerySet

from procurements.models import CALL_PUBLISHED, Procurement, ProcurementStatus

from .debarment import debarment_matches_for
from .models import (
    ConsensusScore,
    DebarmentEntry,
    EvaluatorReview,
    EvaluatorScore,
    ParticipationRequest,
    RequestStatus,
    RequestSubmission,
)
from .services_requests import receipt_time_text

# Requests that were submitted and not withdrawn before the deadline.
RECEIVED = (
    RequestStatus.SUBMITTED,
    RequestStatus.SHORTLISTED,
    RequestStatus.NOT_SHORTLISTED,
    RequestStatus.EXCLUDED,
)


@dataclass
class ReceivedRequest:
    request: ParticipationRequest
    submission: RequestSubmission
    organisations: list[dict[str, Any]]
    debarred: list[tuple[str, DebarmentEntry]] = field(default_factory=list)
    mandatory_grounds: list[str] = field(default_factory=list)
    discretionary_grounds: list[str] = field(default_factory=list)
    conflict_declared: bool = False

    @property
    def received_text(self) -> str:
        return receipt_time_text(self.submission.submitted_at)


def requests_open_to_the_borough(procurement: Procurement) -> bool:
    """The participation deadline has passed: the procurement has moved on from
    ``published`` to selection or later (a cancelled procurement shows none)."""
    return (
        procurement.status in CALL_PUBLISHED and procurement.status != ProcurementStatus.PUBLISHED
    )


def submitted_count(procurement: Procurement) -> int:
    """How many requests are submitted now: all the borough may know before the deadline."""
    return ParticipationRequest.objects.filter(
        procurement=procurement, status=RequestStatus.SUBMITTED
    ).count()


def _received(procurement: Procurement) -> QuerySet[ParticipationRequest]:
    """The requests received with their submissions (newest first), every evaluator's review
    and marks, the consensus, any self-cleaning evidence and discretionary exclusion: six
    queries."""
    return (
        ParticipationRequest.objects.filter(procurement=procurement, status__in=RECEIVED)
        .select_related("organisation", "self_cleaning", "discretionary_exclusion")
        .prefetch_related(
            Prefetch(
                "submissions",
                queryset=RequestSubmission.objects.order_by("-number"),
                to_attr="submissions_newest_first",
            ),
            Prefetch("evaluator_reviews", queryset=EvaluatorReview.objects.order_by("pk")),
            Prefetch("evaluator_scores", queryset=EvaluatorScore.objects.order_by("pk")),
            Prefetch("consensus_scores", queryset=ConsensusScore.objects.order_by("pk")),
        )
        .order_by("organisation__name", "pk")
    )


def requests_received(
    *, procurement: Procurement, on: date, only: int | None = None
) -> list[ReceivedRequest]:
    """Every request received (or the one whose id is ``only``), with its flags, read from its
    latest submission; empty while the deadline has not passed (see
    ``requests_open_to_the_borough``). Seven queries whatever the number of requests: the
    debarment list and ``_received``."""
    if not requests_open_to_the_borough(procurement):
        return []
    entries = list(DebarmentEntry.objects.filter(debarred_on__lte=on))
    rows = []
    received = _received(procurement)
    if only is not None:
        received = received.filter(pk=only)
    for request in received:
        if not request.submissions_newest_first:
            continue
        submission = request.submissions_newest_first[0]
        content = submission.content
        organisations = [content["organisation"], *content.get("consortium", [])]
        names = {org["id"]: org["name"] for org in organisations}
        matches = debarment_matches_for(
            [SimpleNamespace(**org) for org in organisations], entries, on=on
        )
        declared = [d for d in content.get("exclusion_declarations", []) if d.get("applies")]
        rows.append(
            ReceivedRequest(
                request=request,
                submission=submission,
                organisations=organisations,
                debarred=[(org.name, entry) for org, entry in matches],
                mandatory_grounds=[
                    f"{names.get(d['organisation_id'], '')}: {d['label']}"
                    for d in declared
                    if d.get("mandatory")
                ],
                discretionary_grounds=[
                    f"{names.get(d['organisation_id'], '')}: {d['label']}"
                    for d in declared
                    if not d.get("mandatory")
                ],
                conflict_declared=bool(content.get("conflict_of_interest", {}).get("declared")),
            )
        )
    return rows
