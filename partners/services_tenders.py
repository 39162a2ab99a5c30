"""The sealed tender box: rounds, proposals, their sealed submissions and files, opening by
two authorised officers, and reading what was opened (RULES.md, Annex IV rules (a)-(g)).

(a) the time of receipt is the server's clock, on the receipt with the SHA-256 of what was
    submitted; (b) nothing is readable before the deadline: everything a supplier writes is
    sealed (core.sealing) and only the round's count of proposals is shown; (c) only the lead
    officer sets or changes the opening date, and only before the deadline; (d)-(f) opening
    needs two different authorised officers after the opening date, and only they read what
    was opened; (g) every access and every refused attempt is an audit event.

Refusals that touch the box are recorded even though the service's own transaction rolls
back: ``_refusing`` writes them in a transaction of their own.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import wraps
from typing import Any

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_record
from core.calendar import london_date
from core.exceptions import ApplicationError, PermissionRefused
from core.mail import absolute_url, send_after_commit
from core.models import User
from core.sealing import (
    key_id,
    master_key,
    new_data_key,
    open_bytes,
    open_stream,
    seal_bytes,
    seal_stream,
    unwrap_key,
    wrap_key,
)
from procurements.models import Procurement
from procurements.rules import REGIMES
from procurements.sections import uk_date_text, uk_datetime_text

from .evidence import evidence_check
from .models import (
    PROPOSAL_CHANGEABLE,
    ParticipationRequest,
    Proposal,
    ProposalFile,
    ProposalStatus,
    ProposalSubmission,
    ReductionEntry,
    RequestStatus,
    RoundKind,
    RoundStatus,
    TenderBox,
    TenderRound,
)
from .permissions_tenders import (
    can_confirm_opening,
    can_manage_rounds,
    can_read_opened,
    can_read_opened_proposal,
    can_request_opening,
    is_box_officer,
    proposal_organisation_admin,
    proposal_organisation_member,
    round_takes_proposals,
)
from .services_common import organisation_admin_emails, procurement_lock
from .submission import content_sha256
from .tender_content import (
    ANSWER_MAX_LENGTH,
    BACKGROUND_IP_MAX_LENGTH,
    announced_phases,
    answerable_criteria,
    content_problems,
    empty_content,
    money,
)


class TenderBoxRefused(PermissionRefused):
    """An attempt on the sealed box that the rules refuse: it is recorded in the audit
    trail even though nothing else is written."""


class ProposalIncomplete(ApplicationError):
    """What a proposal still needs before it can be submitted (``extra["problems"]``)."""


class RoundClosed(ApplicationError):
    """The round's deadline has passed (or the round is not taking proposals)."""


def _audit(*, actor: User, action: str, target: Any, **data: Any) -> None:
    audit_record(actor=actor, action=action, target=target, data=data)


def _refusing(action: str) -> Callable:
    """Run the service; if it refuses with ``TenderBoxRefused``, record ``action`` with the
    actor and the reason in a transaction of its own, then refuse."""

    def decorate(service: Callable) -> Callable:
        @wraps(service)
        def run(*args, actor: User, **kwargs):
            try:
                return service(*args, actor=actor, **kwargs)
            except TenderBoxRefused as refusal:
                target = refusal.extra.get("target")
                with transaction.atomic():
                    audit_record(
                        actor=actor,
                        action=action,
                        target=target,
                        data={"reason": refusal.message, **refusal.extra.get("data", {})},
                    )
                raise

        return run

    return decorate


def _refuse(message: str, *, target: Any, **data: Any) -> TenderBoxRefused:
    return TenderBoxRefused(message, extra={"target": target, "data": data})


# --- keys ------------------------------------------------------------------------------------


def box_key(procurement: Procurement, *, create: bool = False) -> bytes:
    """The procurement's data key, unwrapped with the master key from the environment
    (``SealingUnavailable`` without one). With ``create`` a box is made if it has none."""
    master = master_key()
    box = TenderBox.objects.filter(procurement=procurement).first()
    if box is None:
        if not create:
            raise ApplicationError("This procurement has no tender box yet.")
        data_key = new_data_key()
        TenderBox.objects.create(
            procurement=procurement,
            wrapped_key=wrap_key(data_key, master),
            master_key_id=key_id(master),
        )
        return data_key
    if box.master_key_id != key_id(master):
        raise ApplicationError(
            "The tender box was sealed with another master key than the portal has now: "
            "restore SEALING_MASTER_KEY before anything is sealed or opened."
        )
    return unwrap_key(bytes(box.wrapped_key), master)


def _seal_json(content: dict, key: bytes, aad: bytes) -> bytes:
    return seal_bytes(json.dumps(content, sort_keys=True).encode(), key, aad=aad)


def _open_json(sealed: bytes, key: bytes, aad: bytes) -> dict:
    return json.loads(open_bytes(bytes(sealed), key, aad=aad))


# --- rounds ----------------------------------------------------------------------------------


def _round_lock(pk: int) -> TenderRound:
    return (
        TenderRound.objects.select_for_update(of=("self",))
        .select_related("procurement__borough")
        .get(pk=pk)
    )


def invited_requests(procurement: Procurement) -> list[ParticipationRequest]:
    return list(
        ParticipationRequest.objects.filter(
            procurement=procurement, status=RequestStatus.SHORTLISTED
        )
        .select_related("organisation")
        .prefetch_related("members__organisation")
        .order_by("organisation__name", "pk")
    )


def tell_tenderers(requests: list[ParticipationRequest], template: str, **context: Any) -> None:
    """One e-mail per tenderer, to the admins of its lead and of every consortium member, once
    the transaction commits (``partners/tenders/email/<template>``)."""
    for request in requests:
        organisations = [request.organisation, *(m.organisation for m in request.members.all())]
        recipients = [e for org in organisations for e in organisation_admin_emails(org)]
        send_after_commit(
            template=f"partners/tenders/email/{template}",
            context={
                "organisation": request.organisation,
                "url": absolute_url(reverse("tenders:list")),
                **context,
            },
            recipients=recipients,
        )


def _tell_invited(procurement: Procurement, template: str, **context: Any) -> None:
    tell_tenderers(invited_requests(procurement), template, procurement=procurement, **context)


def deadline_errors(
    procurement: Procurement,
    *,
    deadline: datetime,
    opens_at: datetime,
    now: datetime,
    later_round: bool = False,
) -> dict[str, str]:
    """What is wrong with a round's deadline and opening date: the deadline before the
    regime's minimum period from today (for first tenders, or for a later round's
    resubmission), or the opening date before the deadline."""
    errors = {}
    rules = REGIMES[procurement.regime]
    if later_round:
        earliest = rules.earliest_resubmission_deadline(london_date(now))
        days, source = rules.min_resubmission_days, rules.resubmission_source
    else:
        earliest = rules.earliest_tender_deadline(london_date(now))
        days, source = rules.min_tender_days, rules.tender_source
    if london_date(deadline) < earliest:
        errors["deadline"] = (
            f"The deadline for tenders must be on or after {uk_date_text(earliest)}: at least "
            f"{days} days from today ({source})"
        )
    if opens_at < deadline:
        errors["opens_at"] = "The opening date must be at or after the deadline for tenders"
    return errors


@transaction.atomic
def round_open(
    *, actor: User, procurement: Procurement, deadline: datetime, opens_at: datetime
) -> TenderRound:
    """The lead officer invites the shortlisted suppliers to submit their initial tenders by
    ``deadline``; the box may be opened from ``opens_at``. Refused without a master key: no
    proposal may be stored unencrypted."""
    procurement = procurement_lock(procurement.pk)
    if not can_manage_rounds(actor, procurement):
        raise PermissionRefused(
            "Only the lead officer opens a round of tenders, once the shortlist is confirmed."
        )
    if procurement.tender_rounds.exists():
        raise ApplicationError("The first round of tenders is already open.")
    now = timezone.now()
    errors = deadline_errors(procurement, deadline=deadline, opens_at=opens_at, now=now)
    if errors:
        raise ApplicationError("The round could not be opened", extra={"errors": errors})
    box_key(procurement, create=True)
    tender_round = TenderRound.objects.create(
        procurement=procurement,
        number=1,
        kind=RoundKind.INITIAL,
        deadline=deadline,
        opens_at=opens_at,
        created_by=actor,
    )
    _tell_invited(
        procurement,
        "round_opened",
        tender_round=tender_round,
        deadline=uk_datetime_text(deadline),
    )
    _audit(
        actor=actor,
        action="tenders.round_opened",
        target=procurement,
        round_id=tender_round.pk,
        number=1,
        deadline=deadline.isoformat(),
        opens_at=opens_at.isoformat(),
    )
    return tender_round


@_refusing("tenders.opening_date_refused")
@transaction.atomic
def round_opening_date_set(*, actor: User, tender_round: TenderRound, opens_at: datetime):
    """Only the lead officer, only before the deadline; audited and announced to the invited
    suppliers (Annex IV (c))."""
    tender_round = _round_lock(tender_round.pk)
    procurement = tender_round.procurement
    now = timezone.now()
    if not can_manage_rounds(actor, procurement):
        raise _refuse(
            "Only the lead officer sets or changes the opening date.", target=tender_round
        )
    if now >= tender_round.deadline:
        raise _refuse(
            "The deadline for tenders has passed: the opening date can no longer change.",
            target=tender_round,
        )
    if opens_at < tender_round.deadline:
        message = "The opening date must be at or after the deadline for tenders"
        raise ApplicationError(message, extra={"errors": {"opens_at": message}})
    before = tender_round.opens_at
    tender_round.opens_at = opens_at
    tender_round.save(update_fields=["opens_at"])
    _tell_invited(
        procurement,
        "opening_date_changed",
        tender_round=tender_round,
        opens_at=uk_datetime_text(opens_at),
    )
    _audit(
        actor=actor,
        action="tenders.opening_date_changed",
        target=tender_round,
        before=before.isoformat(),
        after=opens_at.isoformat(),
    )
    return tender_round


@_refusing("tenders.opening_refused")
@transaction.atomic
def opening_request(*, actor: User, tender_round: TenderRound) -> TenderRound:
    """The first of two authorised officers asks for the box to be opened, after the
    opening date."""
    tender_round = _round_lock(tender_round.pk)
    now = timezone.now()
    if not can_request_opening(actor, tender_round, now=now):
        raise _refuse(_opening_refusal(actor, tender_round, now), target=tender_round)
    tender_round.opening_requested_by = actor
    tender_round.opening_requested_at = now
    tender_round.save(update_fields=["opening_requested_by", "opening_requested_at"])
    _audit(actor=actor, action="tenders.opening_requested", target=tender_round)
    return tender_round


@_refusing("tenders.opening_refused")
@transaction.atomic
def opening_confirm(*, actor: User, tender_round: TenderRound) -> TenderRound:
    """A second, different authorised officer opens the box."""
    tender_round = _round_lock(tender_round.pk)
    now = timezone.now()
    if not can_confirm_opening(actor, tender_round, now=now):
        raise _refuse(_opening_refusal(actor, tender_round, now), target=tender_round)
    tender_round.open(by=actor)
    tender_round.save(update_fields=["status", "opened_by", "opened_at"])
    received = tender_round.proposals.filter(status=ProposalStatus.SUBMITTED).count()
    _audit(
        actor=actor,
        action="tenders.round_opened_by_two",
        target=tender_round,
        first=tender_round.opening_requested_by_id,
        proposals=received,
    )
    return tender_round


def _opening_refusal(actor: User, tender_round: TenderRound, now: datetime) -> str:
    if tender_round.status == RoundStatus.OPENED:
        return "This round is already open."
    if not is_box_officer(actor, tender_round.procurement):
        return "Only the borough's procurement officers and approvers may open the tender box."
    if now < tender_round.opens_at:
        return (
            "The tender box cannot be opened before its opening date, "
            f"{uk_datetime_text(tender_round.opens_at)} (UK time)."
        )
    if tender_round.opening_requested_by_id == actor.pk:
        return "Opening needs two different people: another authorised officer must confirm it."
    return "Ask for the box to be opened first: a second officer then confirms it."


# --- proposals -------------------------------------------------------------------------------


def _proposal_lock(pk: int) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("round__procurement__borough", "request__organisation")
        .get(pk=pk)
    )


def _refuse_unless_changeable(actor: User, proposal: Proposal, *, now: datetime, admin=False):
    allowed = (
        proposal_organisation_admin(actor, proposal)
        if admin
        else proposal_organisation_member(actor, proposal)
    )
    if not allowed:
        raise PermissionRefused(
            f"Only {'an organisation admin' if admin else 'people'} of "
            f"{proposal.request.organisation.name} can "
            f"{'submit or withdraw' if admin else 'change'} this proposal."
        )
    if not round_takes_proposals(proposal.round, now=now):
        raise RoundClosed(
            f"Tenders for this round closed at {uk_datetime_text(proposal.round.deadline)} "
            "(UK time). Nothing can be changed, submitted or withdrawn after the deadline."
        )
    if proposal.status == ProposalStatus.WITHDRAWN:
        raise ApplicationError(
            "This proposal has been withdrawn. Start it again before you change or submit it."
        )


@transaction.atomic
def proposal_start(*, actor: User, tender_round: TenderRound) -> Proposal:
    """An invited supplier (the lead, for a consortium) starts its proposal."""
    tender_round = _round_lock(tender_round.pk)
    request = next(
        (
            r
            for r in invited_requests(tender_round.procurement)
            if r.organisation.memberships.filter(user=actor).exists()
        ),
        None,
    )
    if request is None:
        raise PermissionRefused("Only the suppliers invited to tender can submit a proposal.")
    if (
        tender_round.number > 1
        and not Proposal.objects.filter(
            round__procurement=tender_round.procurement_id,
            round__number=tender_round.number - 1,
            request=request,
            status=ProposalStatus.SUBMITTED,
        )
        # A tenderer reduced out after the round before is no longer invited (RULES.md 7).
        .exclude(pk__in=ReductionEntry.objects.filter(continues=False).values("proposal_id"))
        .exists()
    ):
        raise PermissionRefused(
            f"Only the tenderers who submitted a proposal in round {tender_round.number - 1} "
            f"and continue can tender in round {tender_round.number}."
        )
    existing = Proposal.objects.filter(round=tender_round, request=request).first()
    if existing is not None:
        return existing
    if not round_takes_proposals(tender_round, now=timezone.now()):
        raise RoundClosed(
            f"Tenders for this round closed at {uk_datetime_text(tender_round.deadline)} (UK time)."
        )
    key = box_key(tender_round.procurement)
    proposal = Proposal.objects.create(round=tender_round, request=request, created_by=actor)
    proposal.sealed_draft = _seal_json(empty_content(), key, proposal.draft_aad)
    proposal.save(update_fields=["sealed_draft"])
    _audit(actor=actor, action="tenders.proposal_started", target=proposal)
    return proposal


def proposal_content(proposal: Proposal) -> dict[str, Any]:
    """The working content, opened: only for the proposal's own organisation's pages (the
    views ask ``proposal_organisation_member`` first)."""
    key = box_key(proposal.round.procurement)
    return _open_json(proposal.sealed_draft, key, proposal.draft_aad)


def _price_errors(prices: dict[str, str], proposal: Proposal) -> dict[str, str]:
    errors = {}
    for phase in announced_phases(proposal.round.procurement):
        given = str(prices.get(str(phase.number), "")).strip()
        if not given:
            continue
        value = money(given)
        if value is None:
            errors[f"price_{phase.number}"] = (
                f"Enter the price for phase {phase.number} in pounds, like 75000 or 75,000.00"
            )
        elif phase.maximum is not None and value > phase.maximum:
            errors[f"price_{phase.number}"] = (
                f"The price for phase {phase.number} must be no more than the maximum "
                f"announced, £{phase.maximum:,.2f}"
            )
    return errors


@transaction.atomic
def proposal_save(
    *,
    actor: User,
    proposal: Proposal,
    answers: dict[str, str] | None = None,
    prices: dict[str, str] | None = None,
    background_ip: str | None = None,
) -> dict[str, Any]:
    """Save part of the working proposal (sealed); nothing else changes. Prices above the
    announced maximum of their phase are refused with the maximum shown."""
    proposal = _proposal_lock(proposal.pk)
    _refuse_unless_changeable(actor, proposal, now=timezone.now())
    content = proposal_content(proposal)
    errors = {}
    if answers is not None:
        for criterion_id, text in answers.items():
            if len(text) > ANSWER_MAX_LENGTH:
                errors[f"answer_{criterion_id}"] = (
                    f"The answer must be {ANSWER_MAX_LENGTH:,} characters or fewer"
                )
        content["answers"].update({k: v.strip() for k, v in answers.items()})
    if prices is not None:
        errors.update(_price_errors(prices, proposal))
        content["prices"].update(
            {k: str(money(v)) if money(v) is not None else "" for k, v in prices.items()}
        )
    if background_ip is not None:
        if len(background_ip) > BACKGROUND_IP_MAX_LENGTH:
            errors["background_ip"] = (
                f"The background IP must be described in {BACKGROUND_IP_MAX_LENGTH:,} "
                "characters or fewer"
            )
        content["background_ip"] = background_ip.strip()
    if errors:
        raise ApplicationError("The proposal could not be saved", extra={"errors": errors})
    key = box_key(proposal.round.procurement)
    proposal.sealed_draft = _seal_json(content, key, proposal.draft_aad)
    proposal.save(update_fields=["sealed_draft", "updated_at"])
    _audit(actor=actor, action="tenders.proposal_saved", target=proposal)
    return content


@transaction.atomic
def proposal_file_add(*, actor: User, proposal: Proposal, upload: File) -> ProposalFile:
    """Check the file as evidence is checked (type by content, size, name), then seal its
    name and bytes; the working proposal lists it."""
    proposal = _proposal_lock(proposal.pk)
    _refuse_unless_changeable(actor, proposal, now=timezone.now())
    checked = evidence_check(name=upload.name, file=upload)
    key = box_key(proposal.round.procurement)
    record = ProposalFile(
        proposal=proposal,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    record.sealed_name = seal_bytes(checked.name.encode(), key, aad=record.name_aad)
    sealed = io.BytesIO()
    upload.seek(0)
    seal_stream(upload, sealed, key, aad=record.content_aad)
    sealed.seek(0)
    record.file.save(f"{record.token}.sealed", ContentFile(sealed.read()), save=False)
    record.save()
    content = proposal_content(proposal)
    content["files"].append(
        {
            "token": str(record.token),
            "name": checked.name,
            "size": checked.size,
            "sha256": checked.sha256,
            "content_type": checked.content_type,
        }
    )
    proposal.sealed_draft = _seal_json(content, key, proposal.draft_aad)
    proposal.save(update_fields=["sealed_draft", "updated_at"])
    _audit(
        actor=actor, action="tenders.proposal_file_added", target=proposal, file=str(record.token)
    )
    return record


@transaction.atomic
def proposal_file_remove(*, actor: User, record: ProposalFile) -> None:
    """Take a file off the working proposal; it is kept, sealed, while a submission names it."""
    proposal = _proposal_lock(record.proposal_id)
    _refuse_unless_changeable(actor, proposal, now=timezone.now())
    key = box_key(proposal.round.procurement)
    content = proposal_content(proposal)
    content["files"] = [f for f in content["files"] if f["token"] != str(record.token)]
    proposal.sealed_draft = _seal_json(content, key, proposal.draft_aad)
    proposal.save(update_fields=["sealed_draft", "updated_at"])
    named = any(
        str(record.token)
        in {
            f["token"]
            for f in _open_json(s.sealed_content, key, s.aad_for(proposal.pk, s.number))["files"]
        }
        for s in proposal.submissions.all()
    )
    if named:
        ProposalFile.objects.filter(pk=record.pk).update(in_draft=False)
    else:
        record.file.delete(save=False)
        record.delete()
    _audit(
        actor=actor, action="tenders.proposal_file_removed", target=proposal, file=str(record.token)
    )


def submission_problems(proposal: Proposal, content: dict[str, Any]) -> list[tuple[str, str]]:
    procurement = proposal.round.procurement
    return content_problems(
        content, criteria=answerable_criteria(procurement), phases=announced_phases(procurement)
    )


@transaction.atomic
def proposal_submit(*, actor: User, proposal: Proposal) -> ProposalSubmission:
    """Freeze the working proposal in a new sealed submission with the SHA-256 of its content,
    before the deadline by the server's clock. A second press with nothing changed (two
    admins at once) creates nothing and returns the submission that stands."""
    proposal = _proposal_lock(proposal.pk)
    now = timezone.now()
    _refuse_unless_changeable(actor, proposal, now=now, admin=True)
    content = proposal_content(proposal)
    problems = submission_problems(proposal, content)
    if problems:
        raise ProposalIncomplete(
            f"The proposal cannot be submitted yet: {len(problems)} thing"
            f"{'s' if len(problems) != 1 else ''} still to do.",
            extra={"problems": problems},
        )
    sha256 = content_sha256(content)
    latest = proposal.submissions.order_by("-number").first()
    if (
        latest is not None
        and latest.sha256 == sha256
        and proposal.status == ProposalStatus.SUBMITTED
    ):
        return latest
    number = (latest.number if latest else 0) + 1
    key = box_key(proposal.round.procurement)
    proposal.submit()
    proposal.submitted_at = now
    proposal.save(update_fields=["status", "submitted_at", "withdrawn_at", "updated_at"])
    submission = ProposalSubmission.objects.create(
        proposal=proposal,
        number=number,
        sealed_content=_seal_json(content, key, ProposalSubmission.aad_for(proposal.pk, number)),
        sha256=sha256,
        submitted_at=now,
        submitted_by=actor,
    )
    send_after_commit(
        template="partners/tenders/email/receipt",
        context={
            "proposal": proposal,
            "procurement": proposal.round.procurement,
            "submission": submission,
            "received": uk_datetime_text(now),
            "deadline": uk_datetime_text(proposal.round.deadline),
            "url": absolute_url(reverse("tenders:proposal", kwargs={"pk": proposal.pk})),
        },
        recipients=[actor.email, *organisation_admin_emails(proposal.request.organisation)],
    )
    _audit(
        actor=actor,
        action="tenders.proposal_submitted",
        target=proposal,
        number=number,
        sha256=sha256,
        submitted_at=now.isoformat(),
    )
    return submission


@transaction.atomic
def proposal_withdraw(*, actor: User, proposal: Proposal) -> Proposal:
    proposal = _proposal_lock(proposal.pk)
    _refuse_unless_changeable(actor, proposal, now=timezone.now(), admin=True)
    if proposal.status not in PROPOSAL_CHANGEABLE:
        raise ApplicationError("This proposal cannot be withdrawn now.")
    proposal.withdraw()
    proposal.save(update_fields=["status", "withdrawn_at", "updated_at"])
    _audit(actor=actor, action="tenders.proposal_withdrawn", target=proposal)
    return proposal


@transaction.atomic
def proposal_restart(*, actor: User, proposal: Proposal) -> Proposal:
    proposal = _proposal_lock(proposal.pk)
    if not proposal_organisation_admin(actor, proposal):
        raise PermissionRefused("Only an organisation admin can start the proposal again.")
    if not round_takes_proposals(proposal.round, now=timezone.now()):
        raise RoundClosed("Tenders for this round have closed.")
    proposal.restart()
    proposal.save(update_fields=["status", "withdrawn_at", "updated_at"])
    _audit(actor=actor, action="tenders.proposal_restarted", target=proposal)
    return proposal


# --- reading what was opened -----------------------------------------------------------------


def reading_refused_record(*, actor: User, proposal: Proposal, reason: str) -> None:
    """Record an attempt to read a proposal that has nothing the reader may see (no
    submission yet, or the box sealed) when no service was asked."""
    with transaction.atomic():
        audit_record(
            actor=actor, action="tenders.read_refused", target=proposal, data={"reason": reason}
        )


EVALUATION_READERS = (
    "This tender is being evaluated: the members of the evaluation panel read it only through "
    "the evaluation pages, their own part, and nobody reads a tender they have declared a "
    "conflict of interest with."
)


@_refusing("tenders.read_refused")
def submission_read(*, actor: User, submission: ProposalSubmission) -> dict[str, Any]:
    """The content of a submission, for an authorised officer once the round is opened; the
    access is recorded. Anyone else, or before opening: refused and recorded."""
    submission = ProposalSubmission.objects.select_related(
        "proposal__round__procurement__borough"
    ).get(pk=submission.pk)
    proposal = submission.proposal
    tender_round = proposal.round
    if not can_read_opened(actor, tender_round):
        raise _refuse(
            "The tender box is sealed: nothing in it can be read until two authorised officers "
            "have opened the round after its deadline.",
            target=proposal,
            submission=submission.number,
        )
    if not can_read_opened_proposal(actor, proposal):
        raise _refuse(EVALUATION_READERS, target=proposal, submission=submission.number)
    content = submission_content(submission)
    with transaction.atomic():
        _audit(
            actor=actor,
            action="tenders.proposal_read",
            target=proposal,
            submission=submission.number,
        )
    return content


@_refusing("tenders.read_refused")
def file_read(*, actor: User, record: ProposalFile) -> tuple[str, Iterator[bytes]]:
    """A proposal file's name and bytes: for its own organisation at any time, for authorised
    officers once the round is opened; recorded either way."""
    record = ProposalFile.objects.select_related(
        "proposal__round__procurement__borough", "proposal__request__organisation"
    ).get(pk=record.pk)
    proposal = record.proposal
    tender_round = proposal.round
    own = proposal_organisation_member(actor, proposal)
    if not (own or can_read_opened(actor, tender_round)):
        raise _refuse(
            "The tender box is sealed: its files cannot be read until it is opened.",
            target=proposal,
            file=str(record.token),
        )
    if not (own or can_read_opened_proposal(actor, proposal)):
        raise _refuse(EVALUATION_READERS, target=proposal, file=str(record.token))
    with transaction.atomic():
        _audit(actor=actor, action="tenders.file_read", target=proposal, file=str(record.token))
    return file_content(record)


# --- reading for services that have checked permission themselves ---------------------------


def submission_content(submission: ProposalSubmission) -> dict[str, Any]:
    """Unseal a submission's content WITHOUT a permission check or an audit event: only for
    services that have checked the reader's permission and record the access themselves (the
    evaluation, ``partners.services_evaluation``)."""
    key = box_key(submission.proposal.round.procurement)
    return _open_json(
        submission.sealed_content,
        key,
        ProposalSubmission.aad_for(submission.proposal_id, submission.number),
    )


def file_content(record: ProposalFile) -> tuple[str, Iterator[bytes]]:
    """A proposal file's name and bytes WITHOUT a permission check or an audit event: only for
    services that have checked the reader's permission and record the access themselves."""
    key = box_key(record.proposal.round.procurement)
    name = open_bytes(bytes(record.sealed_name), key, aad=record.name_aad).decode()
    handle = record.file.open("rb")

    def chunks() -> Iterator[bytes]:
        try:
            yield from open_stream(handle, key, aad=record.content_aad)
        finally:
            handle.close()

    return name, chunks()
