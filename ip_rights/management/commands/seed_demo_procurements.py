"""Load the demo borough's procurements (development settings only; run by ``seed_demo``).

Everything is made through the services an officer's pages use, so the audit
trail is the one a real officer would leave. Each procurement is keyed by its
title within the demo borough: one that exists is left as it is, so running the
command again creates nothing. What each one holds is in ``ip_rights.demo``.

- "Falls prevention at home": every section completed and submitted for
  approval by the lead officer, for the approver to review. Its timetable is
  computed from today so the publication rules pass.
- "Low-carbon heating for council homes": a draft with only the challenge and
  the market gap filled in, to show the task list in progress, and a published
  market engagement notice (UK2) with two events, so it is public already.
- "Loneliness in later life": published (version 1, the UK4 tender notice and
  the ITT), with a question answered to everyone, one answered to the asker
  only and one waiting for the officer.
- "Cleaner air on the way to school": published, then amended once (version 2
  and its ITT): clearer outcome measures and a later deadline.
- "Safer homes after hospital discharge": published, with five requests to participate
  submitted (one from a consortium whose member has confirmed, one from an organisation
  on the debarment list), then its participation deadline passed: in selection, for the
  evaluator to score, the lead officer to moderate and the approver to confirm the
  shortlist. Only three are to be invited, so the shortlist rule shows.
- "Digital support for unpaid carers": the same five suppliers, then the whole of
  selection (marks, moderation, shortlist confirmed): in tendering, with the letters.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from core.calendar import LONDON, bank_holidays_seed, london_date, working_day_on_or_after
from core.models import Borough, User
from ip_rights.demo.carers import (
    CARERS_DECISION_REASON,
    CARERS_PLAN,
    CARERS_PROPOSALS,
    CARERS_REQUESTS,
    CARERS_SHORTLIST_REASON,
)
from ip_rights.demo.common import (
    APPROVER,
    BOROUGH_SLUG,
    CARERS,
    DISCHARGE,
    EVALUATOR,
    FALLS,
    HEATING,
    LONELINESS,
    NOON,
    OFFICER,
    SCHOOL_STREETS,
    SUPPLIERS,
    TITLES,
    timetable,
)
from ip_rights.demo.discharge import DISCHARGE_DEBARMENT, DISCHARGE_PLAN, DISCHARGE_REQUESTS
from ip_rights.demo.falls import FALLS_IP_TERMS, FALLS_PLAN, FALLS_SELECTION
from ip_rights.demo.published import (
    DEMO_ANSWERS,
    DEMO_MEMBER_ROLE,
    HEATING_CHALLENGE,
    HEATING_ENGAGEMENT,
    HEATING_EVENTS,
    HEATING_MARKET_GAP,
    LONELINESS_A_PRIVATE,
    LONELINESS_A_PUBLIC,
    LONELINESS_PLAN,
    LONELINESS_Q_OPEN,
    LONELINESS_Q_PRIVATE,
    LONELINESS_Q_PUBLIC,
    LONELINESS_Q_PUBLIC_EDITED,
    SCHOOL_STREETS_MEASURES_AMENDED,
    SCHOOL_STREETS_PLAN,
)
from ip_rights.services import ip_terms_save
from partners.models import (
    DebarmentEntry,
    ParticipationRequest,
    QuestionKind,
    RequestStatus,
    TenderRound,
)
from partners.scoring import Mark
from partners.selectors_assessment import assessed_requests, proposed_request_ids, ranking
from partners.services import selection_question_add, selection_questionnaire_mark
from partners.services_consortia import (
    DeclarationAnswer,
    consortium_member_add,
    consortium_member_confirm,
    declarations_save,
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
    proposal_file_add,
    proposal_save,
    proposal_start,
    proposal_submit,
    round_open,
)
from partners.submission import exclusion_grounds, published_questions
from partners.tender_content import answerable_criteria
from procurements.models import PriceFormula, Procurement, ScoringScale
from procurements.rules import REGIMES
from procurements.services.amendments import procurement_amend
from procurements.services.approval import (
    procurement_approve,
    procurement_publish,
    procurement_submit_for_approval,
)
from procurements.services.builder import (
    procurement_challenge_save,
    procurement_create,
    procurement_market_gap_save,
    procurement_team_save,
    procurement_timetable_save,
)
from procurements.services.closing import procurement_close_participation
from procurements.services.criteria import (
    procurement_award_settings_save,
    procurement_criterion_add,
    procurement_subcriterion_add,
)
from procurements.services.engagement import (
    engagement_event_add,
    interest_register,
    market_engagement_publish,
    market_engagement_save,
)
from procurements.services.questions import (
    question_answer_privately,
    question_ask,
    question_publish_answer,
)
from procurements.services.requirements import (
    procurement_requirement_add,
    procurement_requirements_mark,
)
from stages.services import (
    gate_criterion_add,
    instalment_add,
    performance_level_add,
    phase_add,
    phase_plan_mark,
    purchase_terms_save,
    target_add,
    termination_condition_add,
)


class Command(BaseCommand):
    help = "Load the demo borough's procurements (idempotent; development only; run by seed_demo)."

    def handle(self, *args, **options):
        if not settings.DEMO_ACCOUNTS_ENABLED:
            raise CommandError(
                "Demo procurements exist only with the development settings "
                "(DJANGO_SETTINGS_MODULE=portal.settings.dev)."
            )
        borough = Borough.objects.filter(slug=BOROUGH_SLUG).first()
        emails = [OFFICER, APPROVER, EVALUATOR, *SUPPLIERS]
        people = {user.email: user for user in User.objects.filter(email__in=emails)}
        if borough is None or len(people) < len(emails):
            raise CommandError("Load the demo borough and officers first: manage.py seed_demo")
        today = london_date(timezone.now())
        # Deadlines are computed on the working-day calendar: make sure its years are there.
        bank_holidays_seed(first_year=today.year, last_year=today.year + 2)
        officer, approver, evaluator = people[OFFICER], people[APPROVER], people[EVALUATOR]
        suppliers = [people[email] for email in SUPPLIERS]
        # The services e-mail approvers, officers and suppliers as they go; the demo
        # people have no inboxes, so those e-mails are not printed over the output.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            self._seed(borough, officer, approver, evaluator, today, suppliers)
        self._print(borough)

    def _seed(self, borough, officer, approver, evaluator, today, suppliers) -> None:
        team = (borough, officer, approver, evaluator, today)
        existing = set(
            Procurement.objects.filter(borough=borough, title__in=TITLES).values_list(
                "title", flat=True
            )
        )
        if FALLS not in existing:
            with transaction.atomic():
                self._complete(*team, title=FALLS, plan=FALLS_PLAN)
        if HEATING not in existing:
            with transaction.atomic():
                self._heating(borough, officer, today)
        if LONELINESS not in existing:
            with transaction.atomic():
                self._loneliness(*team, suppliers)
        if SCHOOL_STREETS not in existing:
            with transaction.atomic():
                self._school_streets(*team, suppliers)
        if DISCHARGE not in existing:
            with transaction.atomic():
                self._discharge(*team, suppliers)
        if CARERS not in existing:
            with transaction.atomic():
                self._carers(*team, suppliers)

    # --- the procurements ---

    def _complete(
        self, borough, officer, approver, evaluator, today: date, *, title: str, plan: dict
    ) -> Procurement:
        """Every section completed from ``plan``, then submitted for approval by the lead
        officer. The selection questionnaire and the IP terms are the borough's standard ones."""
        procurement = procurement_create(actor=officer, borough=borough, title=title)
        procurement_challenge_save(
            actor=officer, procurement=procurement, completed=True, **plan["challenge"]
        )
        procurement_market_gap_save(
            actor=officer, procurement=procurement, completed=True, **plan["market_gap"]
        )
        for text in plan["requirements"]:
            procurement_requirement_add(actor=officer, procurement=procurement, text=text)
        procurement_requirements_mark(actor=officer, procurement=procurement, completed=True)
        for question in FALLS_SELECTION:
            selection_question_add(actor=officer, procurement=procurement, data=question)
        selection_questionnaire_mark(actor=officer, procurement=procurement, completed=True)
        procurement_timetable_save(
            actor=officer,
            procurement=procurement,
            completed=True,
            **{**timetable(today), **plan.get("timetable", {})},
        )
        self._award_criteria(officer, procurement, plan["criteria"])
        self._phase_plan(officer, procurement, plan)
        ip_terms_save(actor=officer, procurement=procurement, data=FALLS_IP_TERMS, completed=True)
        procurement_team_save(
            actor=officer,
            procurement=procurement,
            completed=True,
            lead_officer=officer,
            approver=approver,
            evaluators=[evaluator],
        )
        procurement_submit_for_approval(actor=officer, procurement=procurement)
        return procurement

    def _published(self, borough, officer, approver, evaluator, today, *, title, plan):
        """Complete, approved by the approver and published by the lead officer: version 1,
        the UK4 tender notice and the ITT (rendered at once with the development settings)."""
        procurement = self._complete(
            borough, officer, approver, evaluator, today, title=title, plan=plan
        )
        procurement_approve(
            actor=approver, procurement=procurement, comments="Clear outcomes. Approved."
        )
        return procurement_publish(actor=officer, procurement=procurement)

    def _loneliness(self, borough, officer, approver, evaluator, today, suppliers) -> None:
        """Published, with questions: one answer published to everyone, one answered to the
        asker only, one waiting for an answer."""
        procurement = self._published(
            borough, officer, approver, evaluator, today,
            title=LONELINESS, plan=LONELINESS_PLAN,
        )  # fmt: skip
        first, second = suppliers[:2]
        interest_register(actor=second, procurement=procurement)
        public = question_ask(actor=first, procurement=procurement, text=LONELINESS_Q_PUBLIC)
        question_publish_answer(
            actor=officer,
            question=public,
            public_text=LONELINESS_Q_PUBLIC_EDITED,
            answer=LONELINESS_A_PUBLIC,
        )
        private = question_ask(actor=second, procurement=procurement, text=LONELINESS_Q_PRIVATE)
        question_answer_privately(
            actor=officer,
            question=private,
            answer=LONELINESS_A_PRIVATE,
            reason="The question is about this supplier's own registration, not the documents.",
        )
        question_ask(actor=first, procurement=procurement, text=LONELINESS_Q_OPEN)
        self._request_submitted(
            procurement, lead=first, answers=DEMO_ANSWERS, member=(second, DEMO_MEMBER_ROLE, 30)
        )

    def _request_submitted(
        self,
        procurement: Procurement,
        *,
        lead: User,
        answers: dict,
        member: tuple[User, str, int] | None = None,
        conflict: str = "",
        declared: dict[str, DeclarationAnswer] | None = None,
    ) -> ParticipationRequest:
        """The lead's organisation requests to participate, alone or as the lead of a
        consortium (``member``: who, their role, their share of the work): the member's
        organisation confirms and declares, the lead answers, declares and submits. Every
        exclusion ground is declared not to apply except those the lead ``declared``; a
        ``conflict`` is declared with those details."""
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

    def _discharge(self, borough, officer, approver, evaluator, today, suppliers) -> None:
        """Published, five requests submitted, then in selection for the demo people to
        assess."""
        procurement = self._published(
            borough, officer, approver, evaluator, today,
            title=DISCHARGE, plan=DISCHARGE_PLAN,
        )  # fmt: skip
        self._received(procurement, DISCHARGE_REQUESTS, suppliers, today)

    def _received(
        self, procurement: Procurement, plans: list[dict], suppliers: list[User], today: date
    ) -> list[ParticipationRequest]:
        """The requests of ``plans`` submitted, then the participation deadline passes and
        the procurement moves to selection through the same service the scheduled task uses.

        The services refuse a request after the deadline, so the requests come first and
        the deadline is then moved to this moment; the questions deadline moves with it, so
        the timetable still reads in order."""
        people = {user.email: user for user in suppliers}
        requests = []
        for plan in plans:
            member = plan.get("member")
            requests.append(
                self._request_submitted(
                    procurement,
                    lead=people[plan["lead"]],
                    answers=plan["answers"],
                    member=(people[member[0]], *member[1:]) if member else None,
                    conflict=plan.get("conflict", ""),
                    declared=plan.get("declared"),
                )
            )
        entry = dict(DISCHARGE_DEBARMENT)
        debarred_on = today - timedelta(days=entry.pop("days_ago"))
        DebarmentEntry.objects.get_or_create(
            companies_house_number=entry.pop("companies_house_number"),
            defaults={
                **entry,
                "debarred_on": debarred_on,
                "expires_on": debarred_on + timedelta(days=3 * 365),
            },
        )
        closed_at = timezone.now()
        Procurement.objects.filter(pk=procurement.pk).update(
            participation_deadline=closed_at, question_deadline=closed_at
        )
        procurement_close_participation(pk=procurement.pk)
        return requests

    def _carers(self, borough, officer, approver, evaluator, today, suppliers) -> None:
        """Published, five requests received, then the whole of selection through the
        services the selection pages call: the evaluator declares no conflicts and completes
        marks for every request, the lead officer moderates each and proposes the system's
        ranking (three to invite), and the approver confirms it, which moves the procurement
        to tendering and asks for the letters (rendered at once with the development
        settings, once this transaction commits)."""
        procurement = self._published(
            borough, officer, approver, evaluator, today,
            title=CARERS, plan=CARERS_PLAN,
        )  # fmt: skip
        requests = self._received(procurement, CARERS_REQUESTS, suppliers, today)
        conflicts_declare(
            actor=evaluator,
            procurement=procurement,
            declarations={request.pk: (False, "") for request in requests},
        )
        questions = published_questions(procurement)
        for request, plan in zip(requests, CARERS_REQUESTS, strict=True):
            evaluator_marks_save(
                actor=evaluator,
                request=request,
                marks=_marks(questions, plan["evaluator"]),
                complete=True,
            )
        for request, plan in zip(requests, CARERS_REQUESTS, strict=True):
            consensus_save(
                actor=officer, request=request, marks=_marks(questions, plan["consensus"])
            )
        procurement.refresh_from_db()
        assessed = assessed_requests(
            procurement=procurement, on=london_date(timezone.now()), questions=questions
        )
        chosen = proposed_request_ids(ranking(assessed, questions), procurement.number_to_invite)
        shortlist = shortlist_propose(
            actor=officer, procurement=procurement, chosen=chosen, reason=CARERS_SHORTLIST_REASON
        )
        shortlist_decide(
            actor=approver, shortlist=shortlist, confirm=True, reason=CARERS_DECISION_REASON
        )
        self._carers_tenders(procurement, officer, today)

    def _carers_tenders(self, procurement: Procurement, officer: User, today: date) -> None:
        """Round 1 of tenders opened by the lead officer with the earliest deadline the
        regime allows; each invited supplier's admin answers, prices each phase within its
        maximum, declares its background IP, adds a file and submits, all sealed. Then the
        deadline and the opening date are moved to a minute ago, so two officers can open
        the box (the only change not made through a service: the demo cannot wait)."""
        rules = REGIMES[procurement.regime]
        deadline = datetime.combine(rules.earliest_tender_deadline(today), NOON, tzinfo=LONDON)
        tender_round = round_open(
            actor=officer, procurement=procurement, deadline=deadline, opens_at=deadline
        )
        criteria = {c.kind: c for c in answerable_criteria(procurement)}
        for email, plan in CARERS_PROPOSALS.items():
            admin = User.objects.get(email=email)
            proposal = proposal_start(actor=admin, tender_round=tender_round)
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
        passed = timezone.now() - timedelta(minutes=1)
        TenderRound.objects.filter(pk=tender_round.pk).update(deadline=passed, opens_at=passed)

    def _school_streets(self, borough, officer, approver, evaluator, today, suppliers) -> None:
        """Published, then amended: the outcome measures are clearer and the deadline later."""
        procurement = self._published(
            borough, officer, approver, evaluator, today,
            title=SCHOOL_STREETS, plan=SCHOOL_STREETS_PLAN,
        )  # fmt: skip
        interest_register(actor=suppliers[0], procurement=procurement)
        later = procurement.participation_deadline + timedelta(days=7)
        procurement_amend(
            actor=officer,
            procurement=procurement,
            changes={
                "outcome_measures": SCHOOL_STREETS_MEASURES_AMENDED,
                "participation_deadline": later,
            },
            reason=(
                "Suppliers asked how air quality will be measured; the measures now name the "
                "monitoring sites, and requests to participate close a week later to give "
                "time to read them."
            ),
        )

    def _heating_engagement(self, officer: User, procurement: Procurement, today: date) -> None:
        """A published preliminary market engagement notice (UK2) with two events."""
        market_engagement_save(actor=officer, procurement=procurement, **HEATING_ENGAGEMENT)
        for number, (event_title, place, online_url) in enumerate(HEATING_EVENTS, 1):
            day = working_day_on_or_after(today + timedelta(days=14 * number))
            engagement_event_add(
                actor=officer,
                procurement=procurement,
                title=event_title,
                starts_at=datetime.combine(day, time(10, 0), tzinfo=LONDON),
                ends_at=datetime.combine(day, time(12, 30), tzinfo=LONDON),
                place=place,
                online_url=online_url,
            )
        market_engagement_publish(actor=officer, procurement=procurement)

    def _award_criteria(self, officer: User, procurement: Procurement, criteria: list) -> None:
        for kind, name, weight, description, sub_criteria in criteria:
            criterion = procurement_criterion_add(
                actor=officer,
                procurement=procurement,
                kind=kind,
                name=name,
                weight=weight,
                description=description,
            )
            for sub_name in sub_criteria:
                procurement_subcriterion_add(actor=officer, criterion=criterion, name=sub_name)
        procurement_award_settings_save(
            actor=officer,
            procurement=procurement,
            scoring_scale=ScoringScale.ZERO_TO_FIVE,
            price_formula=PriceFormula.LOWEST_OVER_PRICE,
            completed=True,
        )

    def _phase_plan(self, officer: User, procurement: Procurement, plans: dict) -> None:
        for plan in plans["phases"]:
            phase = phase_add(
                actor=officer,
                procurement=procurement,
                kind=plan["kind"],
                name=plan["name"],
                duration_weeks=plan["duration_weeks"],
                max_remuneration_per_partner=plan["max_remuneration_per_partner"],
                aims=plan["aims"],
            )
            for metric, threshold, evidence in plan["targets"]:
                target_add(
                    actor=officer,
                    phase=phase,
                    metric=metric,
                    threshold=threshold,
                    evidence=evidence,
                )
            for milestone, weeks, share in plan["instalments"]:
                instalment_add(
                    actor=officer,
                    phase=phase,
                    share_percent=Decimal(share),
                    milestone=milestone,
                    weeks_after_start=weeks,
                )
            for criterion, threshold in plan["gate"]:
                gate_criterion_add(
                    actor=officer, phase=phase, criterion=criterion, threshold=threshold
                )
            for condition in plan["termination"]:
                termination_condition_add(actor=officer, phase=phase, condition=condition)
        purchase_terms_save(actor=officer, procurement=procurement, **plans["purchase"])
        for metric, level in plans["performance"]:
            performance_level_add(
                actor=officer, procurement=procurement, metric=metric, level=level
            )
        phase_plan_mark(actor=officer, procurement=procurement, completed=True)

    def _heating(self, borough: Borough, officer: User, today: date) -> None:
        procurement = procurement_create(actor=officer, borough=borough, title=HEATING)
        procurement_challenge_save(
            actor=officer, procurement=procurement, completed=True, **HEATING_CHALLENGE
        )
        # Left in progress: the officer has more to say about the market.
        procurement_market_gap_save(
            actor=officer, procurement=procurement, completed=False, **HEATING_MARKET_GAP
        )
        self._heating_engagement(officer, procurement, today)

    # --- output ---

    def _print(self, borough: Borough) -> None:
        out = self.stdout
        procurements = {
            p.title: p for p in Procurement.objects.filter(borough=borough, title__in=TITLES)
        }
        out.write("Demo procurements:")
        for title, who in (
            (FALLS, f"sign in as {APPROVER} to review it; {OFFICER} leads it"),
            (
                HEATING,
                f"sign in as {OFFICER} to carry on building it; its market engagement is public",
            ),
            (
                LONELINESS,
                "open on /opportunities/, with questions answered and one waiting; "
                f"{SUPPLIERS[0]} has submitted a request to participate as the lead of a "
                f"consortium with {SUPPLIERS[1]}'s organisation",
            ),
            (SCHOOL_STREETS, "open on /opportunities/, amended once"),
            (DISCHARGE, self._discharge_who(procurements[DISCHARGE])),
            (CARERS, self._carers_who(procurements[CARERS])),
        ):
            procurement = procurements[title]
            status = procurement.get_status_display().lower()
            out.write(f"  {procurement.reference} {title} ({status}): {who}")

    def _discharge_who(self, procurement: Procurement) -> str:
        received = procurement.participation_requests.count()
        selection = f"/procurements/{procurement.pk}/selection/"
        return (
            f"{received} requests to participate received, one from a consortium and one from "
            f"an organisation on the debarment list, {procurement.number_to_invite} to invite; "
            f"sign in as {EVALUATOR} to declare conflicts and score at {selection}assess/, "
            f"then as {OFFICER} to moderate and propose the shortlist at {selection}, then as "
            f"{APPROVER} to confirm it at {selection}shortlist/decide/"
        )

    def _carers_who(self, procurement: Procurement) -> str:
        requests = procurement.participation_requests
        invited = requests.filter(status=RequestStatus.SHORTLISTED).count()
        return (
            f"shortlist confirmed by {APPROVER}, {invited} of {requests.count()} invited to "
            "tender; each supplier reads its invitation or regret letter at /requests/ "
            "(Brightwater on its consortium invitations page); the marks and reasons at "
            f"/procurements/{procurement.pk}/selection/; the three initial tenders are sealed "
            f"and past their deadline: {OFFICER} asks to open the box at "
            f"/procurements/{procurement.pk}/tenders/ and {APPROVER} confirms"
        )


def _marks(questions: list, by_topic: dict) -> dict[int, Mark]:
    """Marks keyed by question from ``by_topic`` (topic -> (verdict or score, reason))."""
    marks = {}
    for question in questions:
        value, reason = by_topic[question.topic]
        marks[question.pk] = (
            Mark(score=value, reason=reason)
            if question.is_scored
            else Mark(passed=value, reason=reason)
        )
    return marks
