"""Assessing the requests to participate after the deadline, and the shortlist.

Each evaluator named on the procurement first declares, for every request received, whether
they have a conflict of interest (PA 2023 ss.81-83); a declared conflict removes their
access to that request. They then score each request they may see from its frozen
submission: pass or fail for pass/fail questions, a score on the published scale for scored
ones, each with a written reason. The lead officer moderates every question of a request to a
consensus with a reason. Requests are ranked by their weighted consensus score; the lead
officer proposes a shortlist and an approver confirms or returns it (PCR 2015 reg. 65, reg.
84: every decision recorded with its reasons).

Questions are named by ``question_id``, the id a submission's answers carry (the published
questionnaire), so an assessment reads exactly what the supplier answered.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import FSMField, FSMModelMixin, transition

from procurements.models import Procurement

from .requests import ParticipationRequest


class EvaluatorReview(models.Model):
    """One evaluator's work on one request: the conflict of interest declaration made before
    seeing it, and when they completed their scores."""

    request = models.ForeignKey(
        ParticipationRequest, on_delete=models.PROTECT, related_name="evaluator_reviews"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    has_conflict = models.BooleanField()
    conflict_details = models.TextField(blank=True)
    declared_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request", "evaluator__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "evaluator"], name="partners_one_review_per_evaluator"
            ),
            models.CheckConstraint(
                condition=Q(has_conflict=False) | Q(completed_at__isnull=True),
                name="partners_review_conflicted_never_completed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} on {self.request}"


class ScoreFields(models.Model):
    """A pass/fail verdict or a score on the published scale, with its reason."""

    question_id = models.PositiveIntegerField()
    passed = models.BooleanField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"Question {self.question_id} of {self.request}"


class EvaluatorScore(ScoreFields):
    """One evaluator's mark for one question of one request."""

    request = models.ForeignKey(
        ParticipationRequest, on_delete=models.PROTECT, related_name="evaluator_scores"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["request", "question_id", "evaluator__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "evaluator", "question_id"],
                name="partners_one_score_per_evaluator_question",
            )
        ]


class ConsensusScore(ScoreFields):
    """The lead officer's moderated mark for one question of one request."""

    request = models.ForeignKey(
        ParticipationRequest, on_delete=models.PROTECT, related_name="consensus_scores"
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["request", "question_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "question_id"], name="partners_one_consensus_per_question"
            )
        ]


class SelfCleaning(models.Model):
    """The evidence an officer has recorded that a supplier has self-cleaned (PA 2023 s.58;
    PCR 2015 reg. 57(13)-(17)): it lifts the block that a debarment list entry or a declared
    mandatory exclusion ground puts on shortlisting that request."""

    request = models.OneToOneField(
        ParticipationRequest, on_delete=models.PROTECT, related_name="self_cleaning"
    )
    evidence = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Self-cleaning of {self.request}"


class DiscretionaryExclusion(models.Model):
    """An officer's decision to exclude a request on a discretionary exclusion ground of the
    regime (PA 2023 Schedule 7; PCR 2015 reg. 57(8)), with the reasons: the request does not
    qualify for the shortlist."""

    request = models.OneToOneField(
        ParticipationRequest, on_delete=models.PROTECT, related_name="discretionary_exclusion"
    )
    ground = models.CharField(max_length=64)
    ground_label = models.CharField(max_length=300)
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Exclusion of {self.request} ({self.ground_label})"


class ShortlistStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed, waiting for the approver"
    CONFIRMED = "confirmed", "Confirmed"
    RETURNED = "returned", "Returned to the lead officer"


class Outcome(models.TextChoices):
    SHORTLISTED = "shortlisted", "Invited to tender"
    NOT_SHORTLISTED = "not_shortlisted", "Not invited: ranked below the shortlist"
    EXCLUDED = "excluded", "Not invited: excluded or failed"


class Shortlist(FSMModelMixin, models.Model):
    """The lead officer's proposed shortlist and the approver's decision on it. A returned
    proposal stays on record; a new one may then be proposed."""

    procurement = models.ForeignKey(
        Procurement, on_delete=models.PROTECT, related_name="shortlists"
    )
    status = FSMField(
        max_length=16,
        choices=ShortlistStatus.choices,
        default=ShortlistStatus.PROPOSED,
        protected=True,
    )
    reason = models.TextField(help_text="Why these suppliers: the lead officer's reasons.")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["procurement", "-proposed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement"],
                condition=Q(status__in=["proposed", "confirmed"]),
                name="partners_one_live_shortlist_per_procurement",
            )
        ]

    def __str__(self) -> str:
        return f"Shortlist of {self.procurement.reference} ({self.get_status_display()})"

    @transition(status, source=ShortlistStatus.PROPOSED, target=ShortlistStatus.CONFIRMED)
    def confirm(self, *, by, reason: str) -> None:
        self._decide(by, reason)

    @transition(status, source=ShortlistStatus.PROPOSED, target=ShortlistStatus.RETURNED)
    def return_to_officer(self, *, by, reason: str) -> None:
        self._decide(by, reason)

    def _decide(self, by, reason: str) -> None:
        self.decided_by = by
        self.decided_at = timezone.now()
        self.decision_reason = reason


class ShortlistEntry(models.Model):
    """One request's place in a proposed shortlist: its rank (qualifying requests only), its
    weighted consensus score, the outcome proposed and the reasons."""

    shortlist = models.ForeignKey(Shortlist, on_delete=models.CASCADE, related_name="entries")
    request = models.ForeignKey(
        ParticipationRequest, on_delete=models.PROTECT, related_name="shortlist_entries"
    )
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    total = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["shortlist", "rank", "request__organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["shortlist", "request"], name="partners_one_entry_per_request"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request} in {self.shortlist}"
