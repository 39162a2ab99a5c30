"""What the borough reads while it assesses the requests received: each request with every
evaluator's marks, the consensus, its weighted score and why it is disqualified; each
evaluator's progress; the ranking and the shortlist. A constant number of queries whatever
the number of requests, questions or evaluators.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from core.models import User
from procurements.models import Procurement

from .models import (
    ParticipationRequest,
    SelectionQuestion,
    Shortlist,
    ShortlistEntry,
    ShortlistStatus,
)
from .scoring import Candidate, Mark, failed_questions, rank, scale_maximum, weighted_total
from .selectors_selection import RECEIVED, ReceivedRequest, requests_received
from .submission import published_questions


def marks_by_question(scores) -> dict[int, Mark]:
    return {
        score.question_id: Mark(passed=score.passed, score=score.score, reason=score.reason)
        for score in scores
    }


@dataclass
class AssessedRequest:
    """A request received, with everything assessment has recorded about it."""

    received: ReceivedRequest
    reviews: dict[int, Any]  # evaluator id -> EvaluatorReview
    evaluator_marks: dict[int, dict[int, Mark]]  # evaluator id -> question id -> Mark
    consensus: dict[int, Mark]
    total: Decimal | None
    evaluator_totals: dict[int, Decimal | None]
    failed: list[int] = field(default_factory=list)
    blocked_because: list[str] = field(default_factory=list)

    @property
    def request(self) -> ParticipationRequest:
        return self.received.request

    @property
    def self_cleaning(self):
        return getattr(self.request, "self_cleaning", None)

    @property
    def discretionary_exclusion(self):
        return getattr(self.request, "discretionary_exclusion", None)

    def to_be_completed_by(self, evaluator_ids: list[int]) -> list[int]:
        """The evaluators without a conflict who have not completed their marks (those who
        have not declared yet included)."""
        return [
            pk
            for pk in evaluator_ids
            if (review := self.reviews.get(pk)) is None
            or (not review.has_conflict and review.completed_at is None)
        ]

    def moderated(self, questions: list[SelectionQuestion]) -> bool:
        return all(
            (mark := self.consensus.get(q.pk)) is not None and mark.reason for q in questions
        )

    def disqualified_because(self, questions: list[SelectionQuestion]) -> list[str]:
        reasons = [
            f"Failed question {number}: {questions[number - 1].text}" for number in self.failed
        ]
        excluded = self.discretionary_exclusion
        if excluded is not None:
            reasons.append(
                f"Excluded on a discretionary ground ({excluded.ground_label}): {excluded.reason}"
            )
        return reasons + self.blocked_because


def _blocked_because(received: ReceivedRequest, self_cleaned: bool) -> list[str]:
    """Why shortlisting is blocked: a debarment list entry in force for any of its
    organisations, or a mandatory exclusion ground declared; lifted by self-cleaning."""
    if self_cleaned:
        return []
    return [
        *(f"{name} is on the debarment list: {entry.grounds}" for name, entry in received.debarred),
        *(
            f"Mandatory exclusion ground declared ({ground})"
            for ground in received.mandatory_grounds
        ),
    ]


def assessed_requests(
    *,
    procurement: Procurement,
    on: date,
    questions: list[SelectionQuestion] | None = None,
    only: int | None = None,
) -> list[AssessedRequest]:
    """Every request received (or the one whose id is ``only``) with its assessment; empty
    before the deadline."""
    if questions is None:
        questions = published_questions(procurement)
    maximum = scale_maximum(procurement.scoring_scale)
    rows = []
    for received in requests_received(procurement=procurement, on=on, only=only):
        request = received.request
        by_evaluator: dict[int, list] = {}
        for score in request.evaluator_scores.all():
            by_evaluator.setdefault(score.evaluator_id, []).append(score)
        evaluator_marks = {pk: marks_by_question(scores) for pk, scores in by_evaluator.items()}
        consensus = marks_by_question(request.consensus_scores.all())
        rows.append(
            AssessedRequest(
                received=received,
                reviews={review.evaluator_id: review for review in request.evaluator_reviews.all()},
                evaluator_marks=evaluator_marks,
                consensus=consensus,
                total=weighted_total(questions, consensus, maximum=maximum),
                evaluator_totals={
                    pk: weighted_total(questions, marks, maximum=maximum)
                    for pk, marks in evaluator_marks.items()
                },
                failed=failed_questions(questions, consensus),
                blocked_because=_blocked_because(
                    received, getattr(request, "self_cleaning", None) is not None
                ),
            )
        )
    return rows


def candidates(
    assessed: list[AssessedRequest], questions: list[SelectionQuestion]
) -> list[Candidate]:
    """The requests as the ranking sees them: a request not yet moderated has no total."""
    return [
        Candidate(
            request_id=row.request.pk,
            name=row.request.organisation.name,
            total=row.total if row.moderated(questions) else None,
            disqualified_because=tuple(row.disqualified_because(questions)),
        )
        for row in assessed
    ]


def ranking(
    assessed: list[AssessedRequest], questions: list[SelectionQuestion]
) -> list[tuple[int, Candidate]]:
    return rank(candidates(assessed, questions))


def proposed_request_ids(ranked: list[tuple[int, Candidate]], to_invite: int | None) -> list[int]:
    """The system's proposal: the best-ranked qualifying requests, up to the number the ITT
    said would be invited (all of them when it set none)."""
    chosen = ranked if to_invite is None else ranked[:to_invite]
    return [candidate.request_id for _, candidate in chosen]


@dataclass
class EvaluatorProgress:
    evaluator: User
    declared: bool
    conflicts: int
    completed: int
    to_assess: int

    @property
    def done(self) -> bool:
        return self.declared and self.completed == self.to_assess


def evaluators_of(procurement: Procurement) -> list[User]:
    return list(procurement.evaluators.order_by("email"))


def evaluator_progress(
    evaluators: list[User], assessed: list[AssessedRequest]
) -> list[EvaluatorProgress]:
    """Per evaluator: declared for every request, conflicts, requests completed of those
    they may assess."""
    progress = []
    for evaluator in evaluators:
        reviews = [row.reviews.get(evaluator.pk) for row in assessed]
        declared = all(review is not None for review in reviews)
        open_to_them = [r for r in reviews if r is not None and not r.has_conflict]
        progress.append(
            EvaluatorProgress(
                evaluator=evaluator,
                declared=declared,
                conflicts=sum(1 for r in reviews if r is not None and r.has_conflict),
                completed=sum(1 for r in open_to_them if r.completed_at is not None),
                to_assess=len(open_to_them) if declared else len(assessed),
            )
        )
    return progress


def live_shortlist(procurement: Procurement) -> Shortlist | None:
    """The shortlist waiting for the approver or confirmed, with its entries: two queries."""
    return (
        Shortlist.objects.filter(
            procurement=procurement,
            status__in=[ShortlistStatus.PROPOSED, ShortlistStatus.CONFIRMED],
        )
        .select_related("proposed_by", "decided_by")
        .prefetch_related(
            Prefetch(
                "entries",
                queryset=ShortlistEntry.objects.select_related("request__organisation").order_by(
                    "outcome", "rank", "request__organisation__name"
                ),
            )
        )
        .first()
    )


def received_request_get(*, procurement: Procurement, pk: int) -> ParticipationRequest | None:
    """A request received in ``procurement`` (submitted before the deadline, not withdrawn),
    or None: a request of another procurement, a draft or a withdrawn one is never found."""
    return (
        ParticipationRequest.objects.filter(procurement=procurement, pk=pk, status__in=RECEIVED)
        .select_related("organisation", "procurement__borough")
        .first()
    )
