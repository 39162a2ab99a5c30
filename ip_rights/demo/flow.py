"""The steps that take a demo procurement along the procedure, each through the services the
pages call, so the audit trail is the one real people would leave.

A demo procurement is a title, its steps in order and what a new user does with it. Steps are
small callables that take the ``Seeding`` (the demo team, and what earlier steps made) and
carry it one stage further: published, requests received, shortlist confirmed, a round of
tenders opened, tenders submitted, the deadline passed, the box opened by two officers, a
later round (of tenders after negotiation, or the final tenders), negotiation, a change
notice. The evaluation of the final tenders, the award and standstill are the steps of
``ip_rights.demo.award``.

The only changes not made through a service move a deadline the demo cannot wait for into
the past: the participation deadline in ``RequestsReceived`` (once the requests are in), a
round's deadline and opening date in ``deadline_passed`` (once the tenders are in), and the
last day of standstill in ``award.standstill_over`` (once the contract award notice is out).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.calendar import LONDON, london_date
from core.models import Borough, User
from partners.models import (
    AwardDecision,
    DebarmentEntry,
    Evaluation,
    ParticipationRequest,
    QuestionKind,
    RoundKind,
    RoundStatus,
    TenderRound,
)
from partners.scoring import Mark
from partners.selectors_assessment import assessed_requests, proposed_request_ids, ranking
from partners.services_consortia import (
    DeclarationAnswer,
    consortium_member_add,
    consortium_member_confirm,
    declarations_save,
)
from partners.services_negotiation import (
    change_notice_issue,
    negotiation_note_add,
    round_next,
    round_tenderers,
)
from partners.services_requests import (
    request_answer_save,
    request_conflicts_save,
    request_consortium_choice,
    request_start,
    request_submit,
)
from partners.services_selection import (
    conflicts_declare,
    consensus_save,
    evaluator_marks_save,
    shortlist_decide,
    shortlist_propose,
)
from partners.services_tenders import (
    opening_confirm,
    opening_request,
    proposal_file_add,
    proposal_save,
    proposal_start,
    proposal_submit,
    round_open,
)
from partners.submission import exclusion_grounds, published_questions
from partners.tender_content import answerable_criteria
from procurements.models import Procurement
from procurements.rules import REGIMES
from procurements.services.closing import procurement_close_participation

from .building import procurement_completed, procurement_published
from .common import NOON

# --- the demo procurement and its seeding ----------------------------------------------------


@dataclass(frozen=True)
class Team:
    """The demo borough's people (suppliers by e-mail) and the day the demo is loaded."""

    borough: Borough
    officer: User
    approver: User
    evaluator: User
    suppliers: dict[str, User]
    today: date


@dataclass
class Seeding:
    """One demo procurement on its way: the team, and what the steps made so far (the
    requests to participate in the order of their plans, the latest round of tenders, the
    evaluation of the final tenders and the award decision)."""

    team: Team
    title: str
    procurement: Procurement | None = None
    requests: list[ParticipationRequest] = field(default_factory=list)
    tender_round: TenderRound | None = None
    evaluation: Evaluation | None = None
    decision: AwardDecision | None = None


Step = Callable[[Seeding], None]


@dataclass(frozen=True)
class DemoProcurement:
    """A demo procurement: its title (the key that keeps seeding idempotent), the steps that
    make it, and what a new user can do with it, told from the procurement made."""

    title: str
    steps: tuple[Step, ...]
    who: Callable[[Procurement], str]

    def seed(self, team: Team) -> Procurement:
        seeding = Seeding(team=team, title=self.title)
        for step in self.steps:
            step(seeding)
        return seeding.procurement


# --- building and publishing -----------------------------------------------------------------


@dataclass(frozen=True)
class Completed:
    """Every section completed from ``plan`` and submitted for approval by the lead officer."""

    plan: dict

    def __call__(self, seeding: Seeding) -> None:
        team = seeding.team
        seeding.procurement = procurement_completed(
            borough=team.borough,
            officer=team.officer,
            approver=team.approver,
            evaluator=team.evaluator,
            today=team.today,
            title=seeding.title,
            plan=self.plan,
        )


@dataclass(frozen=True)
class Published(Completed):
    """Completed, approved by the approver and published by the lead officer."""

    def __call__(self, seeding: Seeding) -> None:
        super().__call__(seeding)
        seeding.procurement = procurement_published(
            officer=seeding.team.officer,
            approver=seeding.team.approver,
            procurement=seeding.procurement,
        )


# --- requests to participate and selection ---------------------------------------------------


def request_submitted(
    procurement: Procurement,
    *,
    lead: User,
    answers: dict,
    member: tuple[User, str, int] | None = None,
    conflict: str = "",
    declared: dict[str, DeclarationAnswer] | None = None,
) -> ParticipationRequest:
    """The lead's organisation requests to participate, alone or as the lead of a consortium
    (``member``: who, their role, their share of the work): the member's organisation
    confirms and declares, the lead answers, declares and submits. Every exclusion ground is
    declared not to apply except those the lead ``declared``; a ``conflict`` is declared with
    those details."""
    request = request_start(actor=lead, procurement=procurement)
    declarers = [(request.organisation, lead)]
    if member is not None:
        person, role, share = member
        request_consortium_choice(actor=lead, request=request, is_consortium=True)
        member_organisation = person.supplier_membership.organisation
        place = consortium_member_add(
            actor=lead,
            request=request,
            organisation=member_organisation.name,
            role=role,
            share_of_work=share,
        )
        consortium_member_confirm(actor=person, member=place)
        declarers.insert(0, (member_organisation, person))
    for organisation, person in declarers:
        own = (declared or {}) if person == lead else {}
        declarations_save(
            actor=person,
            request=request,
            organisation=organisation,
            answers={
                ground.key: own.get(ground.key, DeclarationAnswer(applies=False))
                for ground in exclusion_grounds(procurement)
            },
        )
    for question in published_questions(procurement):
        scored = question.kind == QuestionKind.SCORED
        request_answer_save(
            actor=lead,
            request=request,
            question=question,
            meets=None if scored else True,
            text=answers.get(question.topic, "") if scored else "",
        )
    request_conflicts_save(
        actor=lead, request=request, has_conflict=bool(conflict), details=conflict
    )
    request_submit(actor=lead, request=request)
    return request


@dataclass(frozen=True)
class RequestsReceived:
    """The requests of ``plans`` submitted, then the participation deadline passes and the
    procurement moves to selection through the same service the scheduled task uses. The
    ``debarment`` entry, if any, is put on the debarment list (once).

    The services refuse a request after the deadline, so the requests come first and the
    deadline is then moved to this moment; the questions deadline moves with it, so the
    timetable still reads in order."""

    plans: list[dict]
    debarment: dict | None = None

    def __call__(self, seeding: Seeding) -> None:
        people = seeding.team.suppliers
        for plan in self.plans:
            member = plan.get("member")
            seeding.requests.append(
                request_submitted(
                    seeding.procurement,
                    lead=people[plan["lead"]],
                    answers=plan["answers"],
                    member=(people[member[0]], *member[1:]) if member else None,
                    conflict=plan.get("conflict", ""),
                    declared=plan.get("declared"),
                )
            )
        if self.debarment is not None:
            _debarment_listed(self.debarment, today=seeding.team.today)
        closed_at = timezone.now()
        Procurement.objects.filter(pk=seeding.procurement.pk).update(
            participation_deadline=closed_at, question_deadline=closed_at
        )
        procurement_close_participation(pk=seeding.procurement.pk)
        seeding.procurement.refresh_from_db()


def _debarment_listed(entry: dict, *, today: date) -> None:
    entry = dict(entry)
    debarred_on = today - timedelta(days=entry.pop("days_ago"))
    DebarmentEntry.objects.get_or_create(
        companies_house_number=entry.pop("companies_house_number"),
        defaults={
            **entry,
            "debarred_on": debarred_on,
            "expires_on": debarred_on + timedelta(days=3 * 365),
        },
    )


def marks_of(
    items: Iterable,
    planned: dict,
    *,
    key: Callable[[object], Hashable],
    scored: Callable[[object], bool],
) -> dict[int, Mark]:
    """Marks keyed by the id of each of ``items`` (selection questions, or award criteria)
    from ``planned`` (``key(item)`` -> (verdict or score, reason)): a score where
    ``scored(item)``, a verdict otherwise."""
    marks = {}
    for item in items:
        value, reason = planned[key(item)]
        marks[item.pk] = (
            Mark(score=value, reason=reason) if scored(item) else Mark(passed=value, reason=reason)
        )
    return marks


def _marks(questions: list, by_topic: dict) -> dict[int, Mark]:
    """Marks keyed by question from ``by_topic`` (topic -> (verdict or score, reason))."""
    return marks_of(
        questions,
        by_topic,
        key=lambda question: question.topic,
        scored=lambda question: question.is_scored,
    )


@dataclass(frozen=True)
class ShortlistConfirmed:
    """The whole of selection through the services the selection pages call: the evaluator
    declares no conflicts and completes the marks of ``plans`` (their "evaluator" marks) for
    every request, the lead officer moderates each (their "consensus" marks) and proposes the
    system's ranking, and the approver confirms it, which moves the procurement to tendering
    and asks for the letters (rendered at once with the development settings, once the
    transaction commits)."""

    plans: list[dict]
    proposal_reason: str
    decision_reason: str

    def __call__(self, seeding: Seeding) -> None:
        team, procurement, requests = seeding.team, seeding.procurement, seeding.requests
        conflicts_declare(
            actor=team.evaluator,
            procurement=procurement,
            declarations={request.pk: (False, "") for request in requests},
        )
        questions = published_questions(procurement)
        for request, plan in zip(requests, self.plans, strict=True):
            evaluator_marks_save(
                actor=team.evaluator,
                request=request,
                marks=_marks(questions, plan["evaluator"]),
                complete=True,
            )
        for request, plan in zip(requests, self.plans, strict=True):
            consensus_save(
                actor=team.officer, request=request, marks=_marks(questions, plan["consensus"])
            )
        procurement.refresh_from_db()
        assessed = assessed_requests(
            procurement=procurement, on=london_date(timezone.now()), questions=questions
        )
        chosen = proposed_request_ids(ranking(assessed, questions), procurement.number_to_invite)
        shortlist = shortlist_propose(
            actor=team.officer, procurement=procurement, chosen=chosen, reason=self.proposal_reason
        )
        shortlist_decide(
            actor=team.approver, shortlist=shortlist, confirm=True, reason=self.decision_reason
        )
        procurement.refresh_from_db()


# --- rounds of tenders -----------------------------------------------------------------------


def _at_noon(day: date) -> datetime:
    return datetime.combine(day, NOON, tzinfo=LONDON)


def first_round_opened(seeding: Seeding) -> None:
    """Round 1, the initial tenders, opened by the lead officer with the earliest deadline the
    regime allows; the box may be opened from the deadline."""
    rules = REGIMES[seeding.procurement.regime]
    deadline = _at_noon(rules.earliest_tender_deadline(seeding.team.today))
    seeding.tender_round = round_open(
        actor=seeding.team.officer,
        procurement=seeding.procurement,
        deadline=deadline,
        opens_at=deadline,
    )


@dataclass(frozen=True)
class NextRound:
    """The next round (``kind``: tenders after negotiation, or the final tenders) opened by
    the lead officer for the tenderers of the round before, with the earliest deadline the
    regime allows for resubmission. The first such round moves the procurement into
    negotiation."""

    kind: str

    def __call__(self, seeding: Seeding) -> None:
        rules = REGIMES[seeding.procurement.regime]
        deadline = _at_noon(rules.earliest_resubmission_deadline(seeding.team.today))
        seeding.tender_round = round_next(
            actor=seeding.team.officer,
            procurement=seeding.procurement,
            kind=self.kind,
            deadline=deadline,
            opens_at=deadline,
        )
        seeding.procurement.refresh_from_db()


@dataclass(frozen=True)
class TendersSubmitted:
    """In the latest round, each tenderer's organisation admin (keyed by e-mail) answers the
    criteria that are not price (by criterion kind), prices each phase within its maximum,
    declares its background IP, adds a file and submits: all sealed until the box is opened."""

    proposals: dict[str, dict]

    def __call__(self, seeding: Seeding) -> None:
        criteria = {c.kind: c for c in answerable_criteria(seeding.procurement)}
        for email, plan in self.proposals.items():
            admin = seeding.team.suppliers[email]
            proposal = proposal_start(actor=admin, tender_round=seeding.tender_round)
            proposal_save(
                actor=admin,
                proposal=proposal,
                answers={str(criteria[kind].pk): text for kind, text in plan["answers"].items()},
                prices=plan["prices"],
                background_ip=plan["background_ip"],
            )
            name, text = plan["file"]
            proposal_file_add(
                actor=admin, proposal=proposal, upload=SimpleUploadedFile(name, text.encode())
            )
            proposal_submit(actor=admin, proposal=proposal)


def deadline_passed(seeding: Seeding) -> None:
    """The latest round's deadline and opening date moved to a minute ago, so two officers
    can open the box: the only change not made through a service (the demo cannot wait)."""
    passed = timezone.now() - timedelta(minutes=1)
    TenderRound.objects.filter(pk=seeding.tender_round.pk).update(deadline=passed, opens_at=passed)
    seeding.tender_round.refresh_from_db()


def tenders_opened(seeding: Seeding) -> None:
    """The latest round's box opened by two different authorised officers: the lead officer
    asks, the approver confirms (Annex IV (e))."""
    team = seeding.team
    opening_request(actor=team.officer, tender_round=seeding.tender_round)
    seeding.tender_round = opening_confirm(actor=team.approver, tender_round=seeding.tender_round)


# --- negotiation -----------------------------------------------------------------------------


def _opened_round(procurement: Procurement) -> TenderRound:
    return procurement.tender_rounds.filter(status=RoundStatus.OPENED).order_by("-number")[0]


@dataclass(frozen=True)
class Negotiated:
    """The lead officer's notes of the negotiation on the latest opened round: ``notes`` are
    (the tenderer's admin's e-mail, the kind of note, its text); a meeting is recorded as held
    today. Each tenderer sees only the notes with it."""

    notes: list[tuple[str, str, str]]

    def __call__(self, seeding: Seeding) -> None:
        team = seeding.team
        opened = _opened_round(seeding.procurement)
        tenderers = {request.organisation_id: request for request in round_tenderers(opened)}
        for email, kind, text in self.notes:
            organisation = team.suppliers[email].supplier_membership.organisation
            negotiation_note_add(
                actor=team.officer,
                tender_round=opened,
                request=tenderers[organisation.pk],
                kind=kind,
                text=text,
                met_on=team.today,
            )


@dataclass(frozen=True)
class ChangeNoticeIssued:
    """A change notice for the latest round (``parts`` of the documents, and what changes),
    sent by the lead officer in writing to every tenderer still in the procedure at once."""

    parts: list[str]
    text: str

    def __call__(self, seeding: Seeding) -> None:
        change_notice_issue(
            actor=seeding.team.officer,
            tender_round=seeding.tender_round,
            parts=self.parts,
            text=self.text,
        )


def through_initial_tenders(
    *,
    plan: dict,
    requests: list[dict],
    shortlist_reasons: tuple[str, str],
    proposals: dict[str, dict],
    debarment: dict | None = None,
) -> tuple[Step, ...]:
    """The steps from publication to sealed initial tenders past their deadline: published,
    ``requests`` received, the shortlist confirmed (the officer's and the approver's reasons),
    round 1 opened, ``proposals`` submitted, and the deadline passed."""
    return (
        Published(plan),
        RequestsReceived(requests, debarment=debarment),
        ShortlistConfirmed(requests, *shortlist_reasons),
        first_round_opened,
        TendersSubmitted(proposals),
        deadline_passed,
    )


def through_negotiation(
    *, notes: list[tuple[str, str, str]], change_notice: dict
) -> tuple[Step, ...]:
    """The steps from sealed initial tenders past their deadline into negotiation: round 1
    opened by two officers, round 2 (tenders after negotiation) opened, the lead officer's
    ``notes`` and the ``change_notice`` to every tenderer."""
    return (
        tenders_opened,
        NextRound(RoundKind.NEGOTIATION),
        Negotiated(notes),
        ChangeNoticeIssued(**change_notice),
    )


def tendered_and_opened(proposals: dict[str, dict]) -> tuple[Step, ...]:
    """``proposals`` submitted in the latest round, its deadline passed, and its box opened by
    two officers."""
    return (TendersSubmitted(proposals), deadline_passed, tenders_opened)
