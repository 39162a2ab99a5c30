"""The evaluation of an opened round's tenders: the panel, the conflicts declarations, reading
the tenders for evaluation, each member's blind marks and the lead officer's consensus.

The law: every evaluator declares conflicts of interest before seeing any tender (PA 2023
ss.81-83); each scores every tender against every criterion of their part on the published
scale, with a reason, without seeing the others' marks (issue 5 point 4); quality and price
are evaluated separately; the lead officer moderates each criterion to a consensus with a
reason; every decision is recorded with its reasons (PCR 2015 reg. 84). Reading a sealed
tender is recorded, and so is every refused attempt (Annex IV (g)).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_record
from core.exceptions import ApplicationError, PermissionRefused
from core.mail import absolute_url, send_after_commit
from core.models import OfficerRole, User
from core.permissions import has_role
from procurements.models import AwardCriterion, CriterionKind, Procurement
from procurements.permissions import is_lead_officer

from .evaluation_ranking import evaluated_proposals, round_tenders
from .models import (
    Evaluation,
    EvaluationPart,
    EvaluationPurpose,
    PanelMember,
    Proposal,
    ProposalFile,
    RoundKind,
    TenderConsensus,
    TenderReview,
    TenderRound,
    TenderScore,
)
from .permissions_evaluation import (
    can_mark,
    can_moderate,
    decision_taken,
    evaluation_purpose_refusal,
    is_panel_member,
    may_sit_on,
)
from .scoring import Mark, scale_maximum
from .selectors_tenders import standing_submission
from .services_common import REASON_MAX_LENGTH
from .services_tenders import file_content, submission_content
from .tender_content import announced_phases, money

PART_FIELDS = {
    EvaluationPart.QUALITY: "quality_evaluators",
    EvaluationPart.PRICE: "price_evaluators",
}


def _audit(*, actor: User, action: str, target: Any, **data: Any) -> None:
    audit_record(actor=actor, action=action, target=target, data=data)


def _refuse(errors: dict[str, str], message: str) -> None:
    if errors:
        raise ApplicationError(message, extra={"errors": errors})


def part_of(criterion: AwardCriterion) -> str:
    """The part of the panel that marks ``criterion``."""
    return EvaluationPart.PRICE if criterion.kind == CriterionKind.PRICE else EvaluationPart.QUALITY


def part_criteria(procurement: Procurement, part: str) -> list[AwardCriterion]:
    """The criteria a part marks: price marks the price criterion, quality all the others
    (quality and social value)."""
    criteria = procurement.award_criteria.order_by("order", "pk")
    if part == EvaluationPart.PRICE:
        return list(criteria.filter(kind=CriterionKind.PRICE))
    return list(criteria.exclude(kind=CriterionKind.PRICE))


# --- the panel --------------------------------------------------------------------------------


def _panel_errors(procurement: Procurement, chosen: Mapping[str, list[User]]) -> dict[str, str]:
    errors = {}
    for part, people in chosen.items():
        label = EvaluationPart(part).label.lower()
        if not people:
            errors[PART_FIELDS[part]] = f"Choose at least one {label} evaluator"
        elif any(not may_sit_on(person, procurement, part) for person in people):
            errors[PART_FIELDS[part]] = f"Choose {label} evaluators among the borough's " + (
                "evaluators" if part == EvaluationPart.QUALITY else "evaluators and officers"
            )
    return errors


@transaction.atomic
def evaluation_start(
    *,
    actor: User,
    tender_round: TenderRound,
    quality_evaluators: Iterable[User],
    price_evaluators: Iterable[User],
) -> Evaluation:
    """The lead officer starts the evaluation of an opened round and names the panel. The
    final round's tenders are evaluated for the award (the procurement moves to evaluation);
    an earlier round's only to reduce the tenderers, where the ITT announced it (RULES.md
    point 7). Each panel member is told by e-mail."""
    procurement = Procurement.objects.select_for_update(of=("self",)).get(
        pk=tender_round.procurement_id
    )
    tender_round = (
        TenderRound.objects.select_for_update(of=("self",))
        .select_related("procurement__borough")
        .get(pk=tender_round.pk)
    )
    tender_round.procurement = procurement
    if not is_lead_officer(actor, procurement):
        raise PermissionRefused("Only the lead officer starts the evaluation of the tenders.")
    if Evaluation.objects.filter(round=tender_round).exists():
        raise ApplicationError(f"The tenders of round {tender_round.number} are already evaluated.")
    refusal = evaluation_purpose_refusal(tender_round)
    if refusal:
        raise ApplicationError(refusal)
    tenders = evaluated_proposals_of(tender_round)
    if not tenders:
        raise ApplicationError(
            f"No tender was submitted in round {tender_round.number}: there is nothing to "
            "evaluate. End the procurement instead: its termination notice tells the market."
        )
    chosen = {
        EvaluationPart.QUALITY: list(dict.fromkeys(quality_evaluators)),
        EvaluationPart.PRICE: list(dict.fromkeys(price_evaluators)),
    }
    _refuse(_panel_errors(procurement, chosen), "The panel could not be named")
    final = tender_round.kind == RoundKind.FINAL
    evaluation = Evaluation.objects.create(
        procurement=procurement,
        round=tender_round,
        purpose=EvaluationPurpose.AWARD if final else EvaluationPurpose.REDUCTION,
        started_by=actor,
    )
    PanelMember.objects.bulk_create(
        [
            PanelMember(evaluation=evaluation, evaluator=person, part=part)
            for part, people in chosen.items()
            for person in people
        ]
    )
    # An evaluator on the panel is named on the procurement, so its pages are theirs to see
    # (the borough's officers see them already).
    named = set(procurement.evaluators.values_list("pk", flat=True))
    newly_named = [
        person
        for person in dict.fromkeys(p for people in chosen.values() for p in people)
        if person.pk not in named and has_role(person, procurement.borough, OfficerRole.EVALUATOR)
    ]
    procurement.evaluators.add(*newly_named)
    if final:
        procurement.start_evaluation()
        procurement.save(update_fields=["status", "updated_at"])
    _tell_panel(evaluation, chosen)
    _audit(
        actor=actor,
        action="evaluation.started",
        target=evaluation,
        procurement_id=procurement.pk,
        round=tender_round.number,
        purpose=evaluation.purpose,
        tenders=len(tenders),
        quality=[p.pk for p in chosen[EvaluationPart.QUALITY]],
        price=[p.pk for p in chosen[EvaluationPart.PRICE]],
        named_on_procurement=sorted({p.pk for p in newly_named}),
    )
    return evaluation


def evaluated_proposals_of(tender_round: TenderRound) -> list[Proposal]:
    return round_tenders(tender_round.pk)


def _tell_panel(evaluation: Evaluation, chosen: Mapping[str, list[User]]) -> None:
    url = absolute_url(
        reverse(
            "partners:evaluation-mine",
            kwargs={"pk": evaluation.procurement_id, "round_pk": evaluation.round_id},
        )
    )
    parts: dict[User, list[str]] = {}
    for part, people in chosen.items():
        for person in people:
            parts.setdefault(person, []).append(EvaluationPart(part).label.lower())
    for person, labels in parts.items():
        send_after_commit(
            template="partners/evaluation/email/panel_named",
            context={
                "evaluation": evaluation,
                "procurement": evaluation.procurement,
                "parts": " and ".join(labels),
                "url": url,
            },
            recipients=[person.email],
        )


# --- conflicts of interest ----------------------------------------------------------------


def conflict_field(proposal_id: int) -> str:
    return f"tender_{proposal_id}"


def _seat_or_refuse(actor: User, evaluation: Evaluation, part: str) -> None:
    if not evaluation.panel.filter(evaluator_id=actor.pk, part=part).exists():
        raise PermissionRefused(
            f"Only the {EvaluationPart(part).label.lower()} evaluators of this panel do this."
        )


@transaction.atomic
def conflicts_declare(
    *,
    actor: User,
    evaluation: Evaluation,
    part: str,
    declarations: Mapping[int, tuple[bool | None, str]],
) -> list[TenderReview]:
    """The panel member declares, for every tender of the round, whether they have a conflict
    of interest (PA 2023 ss.81-83), before seeing any. ``declarations`` maps each proposal's
    id to (has conflict, details). Made once for each part they sit on."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    _seat_or_refuse(actor, evaluation, part)
    tenders = evaluated_proposals(evaluation)
    if TenderReview.objects.filter(proposal__in=tenders, evaluator=actor, part=part).exists():
        raise ApplicationError("You have already declared your conflicts of interest.")
    errors = {}
    for proposal in tenders:
        has_conflict, details = declarations.get(proposal.pk, (None, ""))
        name = proposal.request.organisation.name
        key = conflict_field(proposal.pk)
        if has_conflict is None:
            errors[key] = f"Say whether you have a conflict with {name}"
        elif has_conflict and not details.strip():
            errors[f"{key}_details"] = f"Describe your conflict of interest with {name}"
        elif len(details) > REASON_MAX_LENGTH:
            errors[f"{key}_details"] = (
                f"Describe your conflict with {name} in {REASON_MAX_LENGTH:,} characters or fewer"
            )
    _refuse(errors, "Declare whether you have a conflict with each tenderer")
    now = timezone.now()
    reviews = TenderReview.objects.bulk_create(
        [
            TenderReview(
                proposal=proposal,
                evaluator=actor,
                part=part,
                has_conflict=bool(declarations[proposal.pk][0]),
                conflict_details=declarations[proposal.pk][1].strip()
                if declarations[proposal.pk][0]
                else "",
                declared_at=now,
            )
            for proposal in tenders
        ]
    )
    _audit(
        actor=actor,
        action="evaluation.conflicts_declared",
        target=evaluation,
        part=part,
        tenders=len(tenders),
        conflicts_with=[p.pk for p in tenders if declarations[p.pk][0]],
    )
    return reviews


# --- reading a tender for evaluation ----------------------------------------------------------


@dataclass
class TenderForEvaluation:
    """What a member of one part sees of a tender: quality members the answers per criterion,
    the files and the background IP; price members the price per phase with its announced
    maximum and the total. Never both."""

    proposal: Proposal
    part: str
    submission_number: int
    sha256: str
    answers: list[tuple[AwardCriterion, str]] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)
    background_ip: str = ""
    prices: list[dict] = field(default_factory=list)
    total: Decimal | None = None


def schedule_total(content: dict) -> Decimal | None:
    """The total price of a price schedule, or None when a phase price cannot be read."""
    values = [money(value) for value in content.get("prices", {}).values()]
    if not values or any(value is None for value in values):
        return None
    return sum(values, Decimal(0))


def _review_or_refuse(actor: User, proposal: Proposal, part: str) -> TenderReview:
    """The member's declared review without a conflict, for a part of the panel they sit on;
    otherwise the attempt is recorded (in a transaction of its own) and refused."""
    evaluation = Evaluation.objects.filter(round_id=proposal.round_id).first()
    on_panel = evaluation is not None and is_panel_member(actor, evaluation, part)
    review = TenderReview.objects.filter(
        proposal=proposal, evaluator_id=actor.pk, part=part
    ).first()
    if on_panel and review is not None and not review.has_conflict:
        return review
    if not on_panel:
        reason = "Only the members of the evaluation panel for this part read the tenders."
    elif review is None:
        reason = "Declare your conflicts of interest before you open any tender."
    else:
        reason = "You declared a conflict of interest with this tenderer."
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="evaluation.read_refused",
            target=proposal,
            data={"reason": reason, "part": part},
        )
    raise PermissionRefused(reason)


def _latest_submission(proposal: Proposal):
    submission = standing_submission(proposal)
    if submission is None:
        raise ApplicationError("This tender has no submission to evaluate.")
    return submission


def tender_read(*, actor: User, proposal: Proposal, part: str) -> TenderForEvaluation:
    """The latest submission of a tender as the member's part sees it; the access is
    recorded. Refused, and recorded, before the member has declared for it or when they have
    a conflict with it (PA 2023 s.83)."""
    _review_or_refuse(actor, proposal, part)
    submission = _latest_submission(proposal)
    content = submission_content(submission)
    procurement = proposal.round.procurement
    seen = TenderForEvaluation(
        proposal=proposal,
        part=part,
        submission_number=submission.number,
        sha256=submission.sha256,
    )
    if part == EvaluationPart.QUALITY:
        answers = content.get("answers", {})
        seen.answers = [
            (criterion, answers.get(str(criterion.pk), ""))
            for criterion in part_criteria(procurement, part)
        ]
        seen.files = list(content.get("files", []))
        seen.background_ip = content.get("background_ip", "")
    else:
        prices = content.get("prices", {})
        seen.prices = [
            {"phase": phase, "price": money(prices.get(str(phase.number), ""))}
            for phase in announced_phases(procurement)
        ]
        seen.total = schedule_total(content)
    with transaction.atomic():
        _audit(
            actor=actor,
            action="evaluation.tender_read",
            target=proposal,
            part=part,
            submission=submission.number,
        )
    return seen


def tender_file_read(
    *, actor: User, proposal: Proposal, record: ProposalFile
) -> tuple[str, Iterator[bytes]]:
    """A file of the tender's latest submission, for a quality member who declared no
    conflict with it; recorded, and refused (recorded) otherwise."""
    _review_or_refuse(actor, proposal, EvaluationPart.QUALITY)
    content = submission_content(_latest_submission(proposal))
    if str(record.token) not in {f["token"] for f in content.get("files", [])}:
        raise ApplicationError("This file is not part of the tender evaluated.")
    with transaction.atomic():
        _audit(actor=actor, action="evaluation.file_read", target=proposal, file=str(record.token))
    return file_content(record)


# --- marks ------------------------------------------------------------------------------------


def mark_field(criterion_id: int) -> str:
    return f"c{criterion_id}_mark"


def reason_field(criterion_id: int) -> str:
    return f"c{criterion_id}_reason"


def mark_errors(
    criteria: list[AwardCriterion], marks: Mapping[int, Mark], *, maximum: int, every: bool
) -> dict[str, str]:
    """What is wrong with ``marks``: a score off the published scale, or a mark without a
    reason, is always refused; with ``every`` each criterion needs a mark and a reason. A
    quality mark is a score, a price mark whether the schedule is accepted (``passed``)."""
    errors = {}
    for criterion in criteria:
        mark = marks.get(criterion.pk, Mark())
        is_price = criterion.kind == CriterionKind.PRICE
        value = mark.passed if is_price else mark.score
        what = f"{criterion.name}:"
        if not is_price and value is not None and not 0 <= value <= maximum:
            errors[mark_field(criterion.pk)] = (
                f"{what} give a score from 0 to {maximum}, the published scale"
            )
        elif value is None and (every or mark.reason.strip()):
            errors[mark_field(criterion.pk)] = (
                f"{what} say whether the price schedule is accepted as compliant"
                if is_price
                else f"{what} give a score from 0 to {maximum}"
            )
        if len(mark.reason) > REASON_MAX_LENGTH:
            errors[reason_field(criterion.pk)] = (
                f"{what} the reason must be {REASON_MAX_LENGTH:,} characters or fewer"
            )
        elif not mark.reason.strip() and (value is not None or every):
            errors[reason_field(criterion.pk)] = f"{what} give the reason for your mark"
    return errors


def _write_marks(model, *, proposal, criteria, marks, total, **identity) -> int:
    """Write the given marks; the price mark carries the schedule's total (computed from the
    submission, never typed)."""
    now = timezone.now()
    written = 0
    for criterion in criteria:
        mark = marks.get(criterion.pk)
        is_price = criterion.kind == CriterionKind.PRICE
        if mark is None or (mark.passed if is_price else mark.score) is None:
            continue
        keys = {k: v for k, v in identity.items() if k != "moderated_by"}
        model.objects.update_or_create(
            proposal=proposal,
            criterion=criterion,
            **keys,
            defaults={
                "score": None if is_price else mark.score,
                "price_accepted": mark.passed if is_price else None,
                "price": total if is_price else None,
                "reason": mark.reason.strip(),
                "updated_at": now,
                **{k: v for k, v in identity.items() if k == "moderated_by"},
            },
        )
        written += 1
    return written


def _proposal_lock(pk: int) -> Proposal:
    """The tender's row locked, after its procurement's: the award and the reduction lock
    the procurement first too, so two requests never wait for each other in a circle."""
    procurement_id = Proposal.objects.values_list("round__procurement_id", flat=True).get(pk=pk)
    Procurement.objects.select_for_update(of=("self",)).only("pk").get(pk=procurement_id)
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("round__procurement__borough", "request__organisation")
        .get(pk=pk)
    )


def _total_for(proposal: Proposal, criteria: list[AwardCriterion]) -> Decimal | None:
    if not any(c.kind == CriterionKind.PRICE for c in criteria):
        return None
    return schedule_total(submission_content(_latest_submission(proposal)))


@transaction.atomic
def marks_save(
    *,
    actor: User,
    proposal: Proposal,
    part: str,
    marks: Mapping[int, Mark],
    complete: bool = False,
) -> int:
    """Save the member's marks for a tender, each with its reason; with ``complete`` every
    criterion of their part must be marked, and their marks then stand (and the others'
    marks for the tender become visible to them)."""
    proposal = _proposal_lock(proposal.pk)
    review = (
        TenderReview.objects.select_for_update()
        .filter(proposal=proposal, evaluator_id=actor.pk, part=part)
        .first()
    )
    evaluation = Evaluation.objects.get(round_id=proposal.round_id)
    if not can_mark(actor, review) or decision_taken(evaluation):
        raise PermissionRefused(
            "You can mark a tender only as a member of its panel who has declared no conflict "
            "with it, before you complete your marks and before a decision rests on them."
        )
    procurement = proposal.round.procurement
    criteria = part_criteria(procurement, part)
    maximum = scale_maximum(procurement.scoring_scale)
    _refuse(
        mark_errors(criteria, marks, maximum=maximum, every=complete),
        "Your marks could not be saved",
    )
    written = _write_marks(
        TenderScore,
        proposal=proposal,
        criteria=criteria,
        marks=marks,
        total=_total_for(proposal, criteria),
        evaluator=actor,
    )
    if complete:
        review.completed_at = timezone.now()
        review.save(update_fields=["completed_at"])
    _audit(
        actor=actor,
        action="evaluation.marks_completed" if complete else "evaluation.marks_saved",
        target=proposal,
        part=part,
        marks={str(c.pk): _mark_value(marks.get(c.pk)) for c in criteria if c.pk in marks},
    )
    return written


def _mark_value(mark: Mark | None) -> Any:
    if mark is None:
        return None
    return mark.score if mark.score is not None else mark.passed


def outstanding_members(evaluation: Evaluation, proposal: Proposal) -> list[PanelMember]:
    """The panel seats still to declare or complete their marks for ``proposal`` before it
    can be moderated."""
    reviews = {(r.evaluator_id, r.part): r for r in TenderReview.objects.filter(proposal=proposal)}
    return [
        seat
        for seat in evaluation.panel.select_related("evaluator")
        if (review := reviews.get((seat.evaluator_id, seat.part))) is None
        or (not review.has_conflict and review.completed_at is None)
    ]


@transaction.atomic
def consensus_save(*, actor: User, proposal: Proposal, marks: Mapping[int, Mark]) -> int:
    """The lead officer's consensus for every criterion of a tender, each with its reason,
    once every panel member without a conflict has completed their marks for it; the price
    consensus carries the schedule's total. It may change until an award or a reduction is
    decided on the evaluation."""
    proposal = _proposal_lock(proposal.pk)
    evaluation = Evaluation.objects.select_related("procurement__borough").get(
        round_id=proposal.round_id
    )
    if not can_moderate(actor, evaluation):
        raise PermissionRefused(
            "Only the lead officer moderates, until an award or a reduction is decided."
        )
    if TenderReview.objects.filter(proposal=proposal, evaluator=actor, has_conflict=True).exists():
        raise PermissionRefused(
            "You declared a conflict of interest with this tenderer, so you cannot moderate its "
            "tender. Another officer must lead the evaluation of it."
        )
    waiting = outstanding_members(evaluation, proposal)
    if waiting:
        raise ApplicationError(
            "Wait for every panel member to complete their marks before you moderate: "
            + ", ".join(
                f"{s.evaluator.get_full_name() or s.evaluator.email} ({s.get_part_display()})"
                for s in waiting
            )
            + " still to do."
        )
    for part in EvaluationPart.values:
        if not TenderReview.objects.filter(
            proposal=proposal, part=part, completed_at__isnull=False
        ).exists():
            raise ApplicationError(
                f"No {part} evaluator without a conflict has marked this tender: the panel "
                "needs another member for it."
            )
    procurement = evaluation.procurement
    criteria = list(procurement.award_criteria.order_by("order", "pk"))
    _refuse(
        mark_errors(criteria, marks, maximum=scale_maximum(procurement.scoring_scale), every=True),
        "The consensus could not be saved",
    )
    written = _write_marks(
        TenderConsensus,
        proposal=proposal,
        criteria=criteria,
        marks=marks,
        total=_total_for(proposal, criteria),
        moderated_by=actor,
    )
    _audit(
        actor=actor,
        action="evaluation.moderated",
        target=proposal,
        evaluation_id=evaluation.pk,
        consensus={str(c.pk): _mark_value(marks.get(c.pk)) for c in criteria},
        reasons={str(c.pk): marks[c.pk].reason.strip() for c in criteria},
    )
    return written
