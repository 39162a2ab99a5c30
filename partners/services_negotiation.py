"""Rounds after the initial tenders: negotiation with each tenderer (notes and records of
meetings, seen by that tenderer and the borough only), change notices sent in writing to every
tenderer still in the procedure at once, and later rounds up to the final tenders, which are
not negotiated (RULES.md points 5 and 6; PCR 2015 reg. 31; PA 2023 s.54(4)-(5)).

Minimum requirements and award criteria are never negotiated: a change notice that names them
is refused. Every later deadline leaves the tenderers at least the regime's
``min_resubmission_days`` to resubmit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.audit import audit_record
from core.calendar import london_date
from core.exceptions import ApplicationError, PermissionRefused
from core.models import OfficerRole, User
from core.permissions import has_role, is_organisation_member
from procurements.models import Procurement, ProcurementStatus
from procurements.rules import REGIMES
from procurements.sections import uk_date_text, uk_datetime_text

from .models import (
    NEVER_CHANGED,
    ChangeNotice,
    ChangePart,
    NegotiationNote,
    NoteKind,
    ParticipationRequest,
    ProposalStatus,
    RequestStatus,
    RoundKind,
    RoundStatus,
    TenderRound,
)
from .permissions_tenders import (
    TENDERING,
    can_manage_rounds,
    is_box_officer,
    round_takes_proposals,
)
from .selectors_reduction import reduced_out_requests, undecided_reduction
from .services_common import procurement_lock
from .services_consents import consents_for_sharing, consents_shared_record
from .services_tenders import (
    _round_lock,
    box_key,
    deadline_errors,
    invited_requests,
    tell_tenderers,
)

NOTE_MAX_LENGTH = 10_000
CHANGE_NOTICE_MAX_LENGTH = 10_000
LATER_KINDS = (RoundKind.NEGOTIATION, RoundKind.FINAL)


def _audit(*, actor: User, action: str, target: Any, **data: Any) -> None:
    audit_record(actor=actor, action=action, target=target, data=data)


# --- who is still in the procedure -----------------------------------------------------------


def _requests(queryset: QuerySet) -> list[ParticipationRequest]:
    return list(
        queryset.filter(status=RequestStatus.SHORTLISTED)
        .select_related("organisation")
        .prefetch_related("members__organisation")
        .order_by("organisation__name", "pk")
        .distinct()
    )


def round_tenderers(tender_round: TenderRound) -> list[ParticipationRequest]:
    """The requests whose proposal in ``tender_round`` was submitted (and not withdrawn): the
    tenderers invited to the round after it. Where the tenderers of ``tender_round`` were
    reduced by applying the award criteria (RULES.md point 7), only those who continue."""
    return _requests(
        ParticipationRequest.objects.filter(
            proposals__round=tender_round, proposals__status=ProposalStatus.SUBMITTED
        ).exclude(pk__in=reduced_out_requests(tender_round))
    )


def previous_round(tender_round: TenderRound) -> TenderRound | None:
    return TenderRound.objects.filter(
        procurement_id=tender_round.procurement_id, number=tender_round.number - 1
    ).first()


def remaining_tenderers(tender_round: TenderRound) -> list[ParticipationRequest]:
    """Who may tender in ``tender_round``: every invited supplier in round 1, afterwards the
    ones who submitted in the round before and, if its tenderers were reduced, continue."""
    before = previous_round(tender_round)
    if before is None:
        return invited_requests(tender_round.procurement)
    return round_tenderers(before)


def latest_round(procurement: Procurement) -> TenderRound | None:
    return procurement.tender_rounds.order_by("-number").first()


# --- negotiation notes -----------------------------------------------------------------------


def may_negotiate(user: User, procurement: Procurement) -> bool:
    """A procurement officer of the borough (the lead officer is one)."""
    return has_role(user, procurement.borough, OfficerRole.OFFICER)


@transaction.atomic
def negotiation_note_add(
    *,
    actor: User,
    tender_round: TenderRound,
    request: ParticipationRequest,
    kind: str,
    text: str,
    met_on: date | None = None,
) -> NegotiationNote:
    """A note of the negotiation with one tenderer, or the record of a meeting with it, on an
    opened round that is not the final one; the tenderer must have submitted in it."""
    tender_round = _round_lock(tender_round.pk)
    procurement = tender_round.procurement
    if not may_negotiate(actor, procurement):
        raise PermissionRefused("Only the borough's procurement officers negotiate with tenderers.")
    if tender_round.kind == RoundKind.FINAL:
        raise ApplicationError("The final tender round cannot be negotiated.")
    if procurement.status not in TENDERING:
        raise ApplicationError("This procurement is not in tendering or negotiation.")
    if tender_round.status != RoundStatus.OPENED:
        raise ApplicationError(
            "Negotiation begins once the tenders of the round are opened: "
            "open the tender box first."
        )
    if request.procurement_id != procurement.pk or request.pk not in {
        r.pk for r in round_tenderers(tender_round)
    }:
        raise ApplicationError(
            "Negotiate only with a tenderer whose proposal in this round was submitted."
        )
    errors = {}
    if kind not in NoteKind.values:
        errors["kind"] = "Choose a negotiation note or a record of a meeting"
    text = (text or "").strip()
    if not text:
        errors["text"] = "Enter the note"
    elif len(text) > NOTE_MAX_LENGTH:
        errors["text"] = f"The note must be {NOTE_MAX_LENGTH:,} characters or fewer"
    if kind == NoteKind.MEETING_RECORD:
        if met_on is None:
            errors["met_on"] = "Enter the date of the meeting"
        elif met_on > london_date(timezone.now()):
            errors["met_on"] = "The date of the meeting must be today or in the past"
    else:
        met_on = None
    if errors:
        raise ApplicationError("The note could not be added", extra={"errors": errors})
    note = NegotiationNote.objects.create(
        round=tender_round,
        request=request,
        kind=kind,
        text=text,
        met_on=met_on,
        written_by=actor,
    )
    _audit(
        actor=actor,
        action="tenders.negotiation_note_added",
        target=note,
        round_id=tender_round.pk,
        request_id=request.pk,
        kind=kind,
    )
    return note


def negotiation_notes_for(user: User, tender_round: TenderRound) -> list[NegotiationNote]:
    """The notes of ``tender_round`` that ``user`` may read: all of them for the borough's
    officers and approvers, otherwise only those with the user's own organisation's request
    (as its lead or as a consortium member)."""
    notes = (
        NegotiationNote.objects.filter(round=tender_round)
        .select_related("request__organisation", "written_by")
        .order_by("request__organisation__name", "written_at", "pk")
    )
    if is_box_officer(user, tender_round.procurement):
        return list(notes)
    return [
        note
        for note in notes.prefetch_related("request__members__organisation")
        if is_organisation_member(user, note.request.organisation)
        or any(is_organisation_member(user, m.organisation) for m in note.request.members.all())
    ]


# --- change notices --------------------------------------------------------------------------


def _parts_errors(parts: list[str]) -> str | None:
    never = [NEVER_CHANGED[p] for p in parts if p in NEVER_CHANGED]
    if never:
        return (
            f"{' and '.join(never)} cannot be changed: minimum requirements and award criteria "
            "are never negotiated (RULES.md point 5)"
        )
    unknown = [p for p in parts if p not in ChangePart.values]
    if unknown:
        return f"Choose what changes from the list: {', '.join(unknown)} is not one of them"
    if not parts:
        return "Choose what the notice changes"
    return None


@transaction.atomic
def change_notice_issue(
    *,
    actor: User,
    tender_round: TenderRound,
    parts: list[str],
    text: str,
    shared_items: Iterable[int] = (),
) -> ChangeNotice:
    """The lead officer changes the tender documents for the latest round, while it takes
    proposals: in writing to every tenderer still in the procedure at once, with at least the
    regime's resubmission time left before the round's deadline.

    ``shared_items`` are consent requests whose items the notice shares with every remaining
    tenderer: each must be of this procurement and its tenderer's consent given, or nothing
    is issued (RULES.md point 6; PCR 2015 reg. 31(13))."""
    tender_round = _round_lock(tender_round.pk)
    procurement = procurement_lock(tender_round.procurement_id)
    if not can_manage_rounds(actor, procurement):
        raise PermissionRefused("Only the lead officer issues change notices.")
    now = timezone.now()
    latest = latest_round(procurement)
    if latest.pk != tender_round.pk or not round_takes_proposals(tender_round, now=now):
        raise ApplicationError(
            "A change notice is issued for the latest round while it takes proposals."
        )
    parts = list(dict.fromkeys(parts or []))
    errors = {}
    problem = _parts_errors(parts)
    if problem:
        if any(p in NEVER_CHANGED for p in parts):
            raise ApplicationError(problem, extra={"errors": {"parts": problem}})
        errors["parts"] = problem
    text = (text or "").strip()
    if not text:
        errors["text"] = "Enter what changes"
    elif len(text) > CHANGE_NOTICE_MAX_LENGTH:
        errors["text"] = f"The notice must be {CHANGE_NOTICE_MAX_LENGTH:,} characters or fewer"
    if errors:
        raise ApplicationError("The change notice could not be issued", extra={"errors": errors})
    consents = consents_for_sharing(procurement, shared_items)
    rules = REGIMES[procurement.regime]
    earliest = rules.earliest_resubmission_deadline(london_date(now))
    if london_date(tender_round.deadline) < earliest:
        raise ApplicationError(
            f"The deadline of round {tender_round.number}, "
            f"{uk_datetime_text(tender_round.deadline)}, leaves the tenderers too little time "
            f"to resubmit: it must be on or after {uk_date_text(earliest)}, at least "
            f"{rules.min_resubmission_days} days from today ({rules.resubmission_source}). "
            "Move the deadline first."
        )
    previous = procurement.change_notices.order_by("-number").first()
    notice = ChangeNotice.objects.create(
        procurement=procurement,
        number=(previous.number if previous else 0) + 1,
        issued_for=tender_round,
        parts=parts,
        text=text,
        issued_by=actor,
    )
    consents_shared_record(actor=actor, notice=notice, consents=consents)
    tenderers = remaining_tenderers(tender_round)
    tell_tenderers(
        tenderers,
        "change_notice",
        procurement=procurement,
        notice=notice,
        tender_round=tender_round,
        parts=notice.parts_display(),
        deadline=uk_datetime_text(tender_round.deadline),
        shared_items=consents,
    )
    _audit(
        actor=actor,
        action="tenders.change_notice_issued",
        target=notice,
        number=notice.number,
        parts=parts,
        round_id=tender_round.pk,
        tenderers=len(tenderers),
        shared_items=[consent.pk for consent in consents],
    )
    return notice


# --- later rounds ----------------------------------------------------------------------------


@transaction.atomic
def round_next(
    *,
    actor: User,
    procurement: Procurement,
    kind: str,
    deadline: datetime,
    opens_at: datetime,
) -> TenderRound:
    """The lead officer invites the tenderers who submitted in the latest (opened) round to a
    round of negotiated or final tenders. The first later round moves the procurement into
    negotiation; after the final tenders there is no further round."""
    procurement = procurement_lock(procurement.pk)
    if not can_manage_rounds(actor, procurement):
        raise PermissionRefused("Only the lead officer opens a round of tenders.")
    if kind not in LATER_KINDS:
        raise ApplicationError(
            "A later round is a round of negotiated tenders or the final tenders.",
            extra={"errors": {"kind": "Choose negotiated tenders or final tenders"}},
        )
    latest = latest_round(procurement)
    if latest is None:
        raise ApplicationError("Open the round of initial tenders first.")
    if latest.kind == RoundKind.FINAL:
        raise ApplicationError("After the final tenders there is no further round.")
    if latest.status != RoundStatus.OPENED:
        raise ApplicationError(
            f"The tenders of round {latest.number} must be opened before the next round."
        )
    if undecided_reduction(latest) is not None:
        # Who is invited depends on the reduction (RULES.md point 7): it comes first.
        raise ApplicationError(
            f"The tenders of round {latest.number} are being evaluated to reduce the "
            "tenderers: decide the reduction first (you may decide that every tenderer "
            "continues), then open the next round with those who continue."
        )
    now = timezone.now()
    errors = deadline_errors(
        procurement, deadline=deadline, opens_at=opens_at, now=now, later_round=True
    )
    if errors:
        raise ApplicationError("The round could not be opened", extra={"errors": errors})
    tenderers = round_tenderers(latest)
    if not tenderers:
        raise ApplicationError(
            f"Nobody submitted a proposal in round {latest.number}: there is no tenderer to invite."
        )
    box_key(procurement)
    if procurement.status == ProcurementStatus.TENDERING:
        procurement.start_negotiation()
        procurement.save(update_fields=["status", "updated_at"])
    tender_round = TenderRound.objects.create(
        procurement=procurement,
        number=latest.number + 1,
        kind=kind,
        deadline=deadline,
        opens_at=opens_at,
        created_by=actor,
    )
    tell_tenderers(
        tenderers,
        "round_opened",
        procurement=procurement,
        tender_round=tender_round,
        deadline=uk_datetime_text(deadline),
    )
    _audit(
        actor=actor,
        action="tenders.round_opened",
        target=procurement,
        round_id=tender_round.pk,
        number=tender_round.number,
        kind=kind,
        deadline=deadline.isoformat(),
        opens_at=opens_at.isoformat(),
        tenderers=[r.pk for r in tenderers],
    )
    return tender_round


# --- moving a deadline -----------------------------------------------------------------------


@transaction.atomic
def round_deadline_extend(
    *, actor: User, tender_round: TenderRound, deadline: datetime
) -> TenderRound:
    """The lead officer moves a round's deadline later, before it passes (for example to give
    tenderers time to answer a change notice). Never earlier, since tenderers plan for the
    deadline announced; the opening date follows if it would fall before the new deadline.
    Audited, and every tenderer of the round is told at once."""
    tender_round = _round_lock(tender_round.pk)
    procurement = tender_round.procurement
    now = timezone.now()
    if not can_manage_rounds(actor, procurement):
        raise PermissionRefused("Only the lead officer moves the deadline for tenders.")
    if not round_takes_proposals(tender_round, now=now):
        raise ApplicationError(
            "The deadline for this round has passed: the box is sealed and the deadline can no "
            "longer move."
        )
    if deadline <= tender_round.deadline:
        message = (
            "The new deadline must be later than the one announced, "
            f"{uk_datetime_text(tender_round.deadline)}: a deadline is only ever moved later"
        )
        raise ApplicationError(message, extra={"errors": {"deadline": message}})
    before = tender_round.deadline
    tender_round.deadline = deadline
    tender_round.opens_at = max(tender_round.opens_at, deadline)
    tender_round.save(update_fields=["deadline", "opens_at"])
    tell_tenderers(
        remaining_tenderers(tender_round),
        "deadline_moved",
        procurement=procurement,
        tender_round=tender_round,
        before=uk_datetime_text(before),
        deadline=uk_datetime_text(deadline),
    )
    _audit(
        actor=actor,
        action="tenders.deadline_moved",
        target=tender_round,
        before=before.isoformat(),
        after=deadline.isoformat(),
    )
    return tender_round
