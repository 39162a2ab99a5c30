"""Reducing the tenderers between rounds of negotiation by applying the award criteria,
where the documents said so (RULES.md point 7; PCR 2015 reg. 31(3)-(4) with reg. 29(18)-(19);
PA 2023 s.20(4)); every decision recorded with its reasons (PCR 2015 reg. 84).

The lead officer evaluates an earlier round's tenders (``services_evaluation``, purpose
reduction) and, once every tender is moderated, decides who continues: the best-ranked
compliant tenders, never passing over a tender for a worse-ranked one and never splitting
tenders ranked equal (equal treatment, PCR 2015 reg. 18). A tender whose price schedule was
not accepted is not compliant and never continues: its entry is recorded after the ranked
ones (rank = number ranked + 1, total 0.00) with the reason "price schedule not accepted".
At least one tenderer continues. Deciding that every tenderer continues records that the
round is not reduced after all (with the reasons), and the next round may then follow.

Each tenderer that does not continue gets a letter (a generated PDF) with its marks and
reasons per criterion, its points, total and rank; each that continues a short e-mail. The
next round then invites only those who continue (``services_negotiation.round_tenderers``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse

from core.audit import audit_record
from core.exceptions import ApplicationError, PermissionRefused
from core.mail import absolute_url, send_after_commit
from core.models import User
from core.services.documents import document_request
from procurements.permissions import is_lead_officer

from .award_scoring import RankedTender
from .documents_reduction import LETTER_KIND
from .evaluation_ranking import EvaluationRanking, evaluation_ranking
from .models import Evaluation, ParticipationRequest, Reduction, ReductionEntry
from .permissions_reduction import reduction_refusal
from .services_common import (
    organisation_admin_emails,
    procurement_lock,
    text_problem,
)

NOT_COMPLIANT_REASON = "The price schedule was not accepted: the tender is not compliant."


def _audit(*, actor: User, action: str, target: Any, **data: Any) -> None:
    audit_record(actor=actor, action=action, target=target, data=data)


def continuing_problem(ranking: EvaluationRanking, continuing: set[int]) -> str:
    """Why ``continuing`` (proposal ids) cannot continue, or "": only compliant, ranked
    tenders; at least one continues and at least one does not; no tender passed over for a
    worse-ranked one, and tenders ranked equal continue together or not at all."""
    ranks = {row.tender.key: row.rank for row in ranking.ranked}
    if continuing - set(ranks):
        return (
            "Only compliant, ranked tenders can continue: a tender whose price schedule was not "
            "accepted cannot"
        )
    if not continuing:
        return "Choose at least one tenderer to continue to the next round"
    cut = max(ranks[pk] for pk in continuing)
    left_out = [row for row in ranking.ranked if row.tender.key not in continuing]
    passed_over = [row for row in left_out if row.rank < cut]
    if passed_over:
        return (
            f"{passed_over[0].tender.name} is ranked better than a tender you chose: the best-"
            "ranked tenders continue, none is passed over for a worse-ranked one"
        )
    tied = [row for row in left_out if row.rank == cut]
    if tied:
        return (
            f"{tied[0].tender.name} is ranked equal with a tender you chose: tenders ranked "
            "equal continue together or not at all"
        )
    return ""


def _input_errors(
    ranking: EvaluationRanking, continuing: set[int], reason: str, reasons: dict[int, str]
) -> dict[str, str]:
    errors = {}
    problem = continuing_problem(ranking, continuing)
    if problem:
        errors["continuing"] = problem
    problem = text_problem(reason, required=True, missing="Give the reasons for this reduction")
    if problem:
        errors["reason"] = problem
    for row in ranking.ranked:
        pk = row.tender.key
        out = pk not in continuing
        problem = text_problem(
            reasons.get(pk, ""),
            required=out,
            missing=f"Give the reasons {row.tender.name} does not continue: its letter says them",
        )
        if problem:
            errors[f"reasons_{pk}"] = problem
    for proposal in ranking.not_compliant:
        problem = text_problem(reasons.get(proposal.pk, ""), required=False, missing="")
        if problem:
            errors[f"reasons_{proposal.pk}"] = problem
    return errors


def _entries(
    ranking: EvaluationRanking, continuing: set[int], reasons: dict[int, str]
) -> list[ReductionEntry]:
    entries = [
        ReductionEntry(
            proposal=ranking.proposals[row.tender.key],
            rank=row.rank,
            total=row.total,
            continues=row.tender.key in continuing,
            reasons=reasons.get(row.tender.key, ""),
        )
        for row in ranking.ranked
    ]
    after = len(ranking.ranked) + 1
    entries += [
        ReductionEntry(
            proposal=proposal,
            rank=after,
            total=Decimal("0.00"),
            continues=False,
            reasons=" ".join(filter(None, [NOT_COMPLIANT_REASON, reasons.get(proposal.pk, "")])),
        )
        for proposal in ranking.not_compliant
    ]
    return entries


def _letter_extra(row: RankedTender | None, ranking: EvaluationRanking, continuing: int) -> dict:
    return {
        "compliant": row is not None,
        "quality_points": str(row.quality_points) if row else "",
        "price_points": str(row.price_points) if row else "",
        "ranked": len(ranking.ranked),
        "continuing": continuing,
    }


def _tell_and_write(actor: User, reduction: Reduction, ranking: EvaluationRanking) -> int:
    """A letter requested for each tenderer that does not continue (rendered in the
    background once this commits), an e-mail to each that continues. Returns the letters."""
    rows = {row.tender.key: row for row in ranking.ranked}
    entries = list(
        reduction.entries.select_related("proposal__request__organisation").prefetch_related(
            "proposal__request__members__organisation"
        )
    )
    continuing = [entry for entry in entries if entry.continues]
    letters = 0
    for entry in entries:
        if entry.continues:
            continue
        entry.reduction = reduction
        document_request(
            kind=LETTER_KIND,
            target=entry,
            actor=actor,
            context_extra=_letter_extra(rows.get(entry.proposal_id), ranking, len(continuing)),
        )
        letters += 1
    _tell_continuing(reduction.evaluation, [entry.proposal.request for entry in continuing])
    return letters


def _tell_continuing(evaluation: Evaluation, requests: list[ParticipationRequest]) -> None:
    """A short e-mail to the admins of each continuing tenderer (its lead and every
    consortium member), once the transaction commits."""
    for request in requests:
        organisations = [request.organisation, *(m.organisation for m in request.members.all())]
        send_after_commit(
            template="partners/reduction/email/continues",
            context={
                "organisation": request.organisation,
                "procurement": evaluation.procurement,
                "tender_round": evaluation.round,
                "continuing": len(requests),
                "url": absolute_url(reverse("tenders:list")),
            },
            recipients=[e for org in organisations for e in organisation_admin_emails(org)],
        )


@transaction.atomic
def reduction_decide(
    *,
    actor: User,
    evaluation: Evaluation,
    continuing: Iterable[int],
    reason: str,
    reasons: Mapping[int, str] | None = None,
) -> Reduction:
    """The lead officer decides which tenderers of an earlier round continue to the next,
    with the reasons for the reduction and, per tenderer, the reasons its letter gives
    (required for each ranked tenderer that does not continue). Refused unless the ITT
    announced it, every tender is moderated, no later round has begun and no reduction of
    the round is decided yet."""
    procurement = procurement_lock(evaluation.procurement_id)
    evaluation = Evaluation.objects.select_related("round").get(pk=evaluation.pk)
    evaluation.procurement = procurement
    evaluation.round.procurement = procurement
    if not is_lead_officer(actor, procurement):
        raise PermissionRefused("Only the lead officer decides to reduce the tenderers.")
    refusal = reduction_refusal(evaluation)
    if refusal:
        raise ApplicationError(refusal)
    ranking = evaluation_ranking(evaluation)
    if not ranking.complete:
        names = ", ".join(p.request.organisation.name for p in ranking.unmoderated)
        raise ApplicationError(
            "Moderate every tender on every criterion before you reduce the tenderers"
            + (f": {names} still to do." if names else ".")
        )
    chosen = {int(pk) for pk in continuing}
    reasons = {int(pk): (text or "").strip() for pk, text in (reasons or {}).items()}
    reason = (reason or "").strip()
    errors = _input_errors(ranking, chosen, reason, reasons)
    if errors:
        raise ApplicationError("The tenderers could not be reduced", extra={"errors": errors})
    reduction = Reduction.objects.create(evaluation=evaluation, reason=reason, decided_by=actor)
    entries = _entries(ranking, chosen, reasons)
    for entry in entries:
        entry.reduction = reduction
    ReductionEntry.objects.bulk_create(entries)
    letters = _tell_and_write(actor, reduction, ranking)
    _audit(
        actor=actor,
        action="partners.tenderers_reduced",
        target=procurement,
        reduction_id=reduction.pk,
        round=evaluation.round.number,
        reason=reason,
        continuing=sorted(chosen),
        not_continuing=sorted(e.proposal_id for e in entries if not e.continues),
        ranks={str(e.proposal_id): e.rank for e in entries},
        totals={str(e.proposal_id): str(e.total) for e in entries},
        reasons={str(e.proposal_id): e.reasons for e in entries},
        letters=letters,
    )
    return reduction
