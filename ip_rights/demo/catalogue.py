"""The demo borough's procurements, in the order they are made: each a title, the steps that
take it to where a new user finds it, and what that user can do with it (printed by
``seed_demo``). The steps are in ``flow``; the data in the modules named after each one."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta

from django.urls import reverse

from core.calendar import LONDON, working_day_on_or_after
from core.models import SupplierMembership
from partners.models import LIVE_AWARD, ProposalStatus, RequestStatus, RoundKind
from procurements.models import Procurement, ProcurementStatus
from procurements.sections import uk_date_text, uk_datetime_text
from procurements.services.amendments import procurement_amend
from procurements.services.builder import (
    procurement_challenge_save,
    procurement_create,
    procurement_market_gap_save,
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
from stages.models import Instalment, InstalmentStatus, StageParticipation

from .award import AwardPublished, Evaluated, contracts_entered_today, standstill_over
from .carers import (
    CARERS_DECISION_REASON,
    CARERS_PLAN,
    CARERS_PROPOSALS,
    CARERS_REQUESTS,
    CARERS_SHORTLIST_REASON,
)
from .common import (
    APPROVER,
    CARERS,
    DAMP_MOULD,
    DISCHARGE,
    EVALUATOR,
    FALLS,
    FOOD_WASTE,
    HEATING,
    LONELINESS,
    OFFICER,
    SCHOOL_STREETS,
    SUPPLIERS,
    WARM_HOMES,
)
from .damp_mould import (
    DAMP_MOULD_APPROVAL_REASON,
    DAMP_MOULD_AWARD_REASON,
    DAMP_MOULD_AWARD_REASONS,
    DAMP_MOULD_DECISION_REASON,
    DAMP_MOULD_EVALUATION,
    DAMP_MOULD_FINAL_TENDERS,
    DAMP_MOULD_MEMBER,
    DAMP_MOULD_NOTES,
    DAMP_MOULD_PARTNERS,
    DAMP_MOULD_PLAN,
    DAMP_MOULD_PROPOSALS,
    DAMP_MOULD_REQUESTS,
    DAMP_MOULD_SHORTLIST_REASON,
    DAMP_MOULD_STAGES,
)
from .discharge import DISCHARGE_DEBARMENT, DISCHARGE_PLAN, DISCHARGE_REQUESTS
from .falls import FALLS_PLAN
from .flow import (
    Completed,
    DemoProcurement,
    Negotiated,
    NextRound,
    Published,
    RequestsReceived,
    Seeding,
    TendersSubmitted,
    request_submitted,
    tendered_and_opened,
    tenders_opened,
    through_initial_tenders,
    through_negotiation,
)
from .food_waste import (
    FOOD_WASTE_CHANGE_NOTICE,
    FOOD_WASTE_DECISION_REASON,
    FOOD_WASTE_NOTES,
    FOOD_WASTE_PLAN,
    FOOD_WASTE_PROPOSALS,
    FOOD_WASTE_REQUESTS,
    FOOD_WASTE_RESUBMISSIONS,
    FOOD_WASTE_SHORTLIST_REASON,
)
from .published import (
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
from .warm_homes import (
    WARM_HOMES_APPROVAL_REASON,
    WARM_HOMES_AWARD_REASON,
    WARM_HOMES_AWARD_REASONS,
    WARM_HOMES_CHANGE_NOTICE,
    WARM_HOMES_DECISION_REASON,
    WARM_HOMES_EVALUATION,
    WARM_HOMES_FINAL_TENDERS,
    WARM_HOMES_NOTES,
    WARM_HOMES_PLAN,
    WARM_HOMES_PROPOSALS,
    WARM_HOMES_REQUESTS,
    WARM_HOMES_RESUBMISSIONS,
    WARM_HOMES_SHORTLIST_REASON,
)

# --- steps of one procurement only -----------------------------------------------------------


def heating_draft(seeding: Seeding) -> None:
    """A draft with the challenge completed and the market gap in progress (the officer has
    more to say about the market), and a published preliminary market engagement notice
    (UK2) with two events."""
    officer, today = seeding.team.officer, seeding.team.today
    procurement = procurement_create(
        actor=officer, borough=seeding.team.borough, title=seeding.title
    )
    procurement_challenge_save(
        actor=officer, procurement=procurement, completed=True, **HEATING_CHALLENGE
    )
    procurement_market_gap_save(
        actor=officer, procurement=procurement, completed=False, **HEATING_MARKET_GAP
    )
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
    seeding.procurement = procurement


def loneliness_questions(seeding: Seeding) -> None:
    """Questions: one answer published to everyone, one answered to the asker only, one
    waiting for an answer; and a consortium's request to participate, submitted."""
    procurement, officer = seeding.procurement, seeding.team.officer
    first, second = (seeding.team.suppliers[email] for email in SUPPLIERS[:2])
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
    request_submitted(
        procurement, lead=first, answers=DEMO_ANSWERS, member=(second, DEMO_MEMBER_ROLE, 30)
    )


def school_streets_amended(seeding: Seeding) -> None:
    """Amended once: the outcome measures are clearer and the deadline a week later."""
    procurement = seeding.procurement
    interest_register(actor=seeding.team.suppliers[SUPPLIERS[0]], procurement=procurement)
    procurement_amend(
        actor=seeding.team.officer,
        procurement=procurement,
        changes={
            "outcome_measures": SCHOOL_STREETS_MEASURES_AMENDED,
            "participation_deadline": procurement.participation_deadline + timedelta(days=7),
        },
        reason=(
            "Suppliers asked how air quality will be measured; the measures now name the "
            "monitoring sites, and requests to participate close a week later to give "
            "time to read them."
        ),
    )


# --- what a new user does with each ----------------------------------------------------------


def discharge_who(procurement: Procurement) -> str:
    received = procurement.participation_requests.count()
    selection = f"/procurements/{procurement.pk}/selection/"
    return (
        f"{received} requests to participate received, one from a consortium and one from "
        f"an organisation on the debarment list, {procurement.number_to_invite} to invite; "
        f"sign in as {EVALUATOR} to declare conflicts and score at {selection}assess/, "
        f"then as {OFFICER} to moderate and propose the shortlist at {selection}, then as "
        f"{APPROVER} to confirm it at {selection}shortlist/decide/"
    )


def carers_who(procurement: Procurement) -> str:
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


def food_waste_who(procurement: Procurement) -> str:
    first, second = procurement.tender_rounds.order_by("number")
    resubmitted = sorted(
        p.request.organisation.name
        for p in second.proposals.filter(status=ProposalStatus.SUBMITTED).select_related(
            "request__organisation"
        )
    )
    tenders = f"/procurements/{procurement.pk}/tenders/"
    return (
        f"round 1's {first.proposals.count()} initial tenders opened by {OFFICER} and "
        f"{APPROVER}; round 2, tenders after negotiation, open until "
        f"{uk_datetime_text(second.deadline)} (UK time), with change notice 1 sent to every "
        f"tenderer; {', '.join(resubmitted)} has resubmitted. Sign in as {SUPPLIERS[0]} to "
        f"read its meeting record and the change notice and resubmit at /tenders/; as "
        f"{OFFICER} to read the notes at {tenders}rounds/{first.pk}/notes/ and the change "
        f"notice at {tenders}rounds/{second.pk}/change-notice/"
    )


def warm_homes_who(procurement: Procurement) -> str:
    decision = procurement.award_decisions.get(status__in=LIVE_AWARD)
    entries = list(decision.entries.select_related("proposal__request__organisation"))
    awarded = " and ".join(e.proposal.request.organisation.name for e in entries if e.awarded)
    outcomes = "; ".join(
        f"{e.proposal.request.organisation.name} at /tenders/{e.proposal_id}/award/"
        for e in entries
    )
    pages = f"/procurements/{procurement.pk}/"
    if procurement.status == ProcurementStatus.ACTIVE:
        contracts = f"contracts entered: the partnerships at {pages}partnerships/"
    else:
        contracts = (
            f"standstill ended on {uk_date_text(decision.standstill_last_day)}: enter the "
            f"contracts, signed today, at {pages}partnerships/ and the procurement is active"
        )
    return (
        f"the {len(entries)} final tenders evaluated ({EVALUATOR} on quality, {OFFICER} on "
        f"price) and moderated; the award to {awarded} approved by {APPROVER}, the assessment "
        f"summaries sent and the UK6 published. Sign in as {OFFICER}: the ranking at "
        f"{pages}evaluation/, the summaries and standstill at {pages}award/; {contracts}. "
        f"Each tenderer reads its summary: {outcomes}"
    )


def _phases_text(participations: list[StageParticipation]) -> str:
    return ", ".join(f"{p.phase.name} {p.get_status_display().lower()}" for p in participations)


def damp_mould_who(procurement: Procurement) -> str:
    partnerships = list(
        procurement.partnerships.select_related("request__organisation").order_by("reference")
    )
    admins = dict(
        SupplierMembership.objects.filter(user__email__in=DAMP_MOULD_PARTNERS).values_list(
            "organisation_id", "user__email"
        )
    )
    runs = {p.pk: [] for p in partnerships}
    for participation in (
        StageParticipation.objects.filter(partnership__procurement=procurement)
        .select_related("phase")
        .order_by("phase__order", "phase__pk")
    ):
        runs[participation.partnership_id].append(participation)
    partners = "; ".join(
        f"{p.reference} {p.request.organisation.name} ({admins[p.request.organisation_id]}, "
        f"contract {p.get_status_display().lower()}): {_phases_text(runs[p.pk])}"
        for p in partnerships
    )
    money = Counter(
        Instalment.objects.filter(participation__partnership__procurement=procurement).values_list(
            "status", flat=True
        )
    )
    money_text = ", ".join(
        f"{money[status]} {status.label.lower()}" for status in InstalmentStatus if money[status]
    )
    pages = f"/procurements/{procurement.pk}/stages/"
    first, second, last = partnerships
    pilot, research = runs[first.pk][-1], runs[last.pk][0]

    def gate(participation: StageParticipation, step: str) -> str:
        return reverse(
            f"stages:gate-{step}",
            kwargs={
                "pk": procurement.pk,
                "phase_pk": participation.phase_id,
                "participation_pk": participation.pk,
            },
        )

    final_report = reverse("stages:partner-deliverable-add", kwargs={"pk": pilot.pk})
    purchase = reverse(
        "stages:purchase-record", kwargs={"pk": procurement.pk, "partnership_pk": first.pk}
    )
    return (
        f"the {len(partnerships)} final tenders evaluated and all awarded by {APPROVER}; the "
        f"contracts entered by {OFFICER}, signed on {uk_date_text(first.signed_on)}, and the "
        f"phases run since: {partners}. {first.reference} is in its {pilot.phase.name} with a "
        f"progress report in; {second.reference} was terminated at the first gate on an "
        f"announced condition, its UK11 published; {last.reference} answered a request for "
        f"more evidence and waits under review for its marks. Instalments: {money_text}, at "
        f"{pages}money/; the stage-gate reports at {pages}reports/; every partner at "
        f"{pages}progress/ (as {OFFICER} or {APPROVER}). To follow {first.reference} to the "
        f"purchase, sign in as {admins[first.request.organisation_id]} to submit the "
        f"{pilot.phase.name}'s final report at {final_report}; as {EVALUATOR} to score it at "
        f"{gate(pilot, 'score')}; as {OFFICER} to moderate it at {gate(pilot, 'moderate')}; "
        f"as {APPROVER} to pass it at {gate(pilot, 'decide')}; as {OFFICER} to record the "
        f"purchase at {purchase}, and to approve and pay claims at {pages}money/. "
        f"{EVALUATOR} scores {last.reference}'s {research.phase.name} at "
        f"{gate(research, 'score')}. Each partner's administrator sees its own phases at "
        f"{reverse('stages:partner-phases')} and its money at "
        f"{reverse('stages:partner-money')} ({DAMP_MOULD_MEMBER} sees {first.reference}'s as "
        "its consortium member)"
    )


DEMO_PROCUREMENTS = [
    DemoProcurement(
        FALLS,
        (Completed(FALLS_PLAN),),
        who=lambda _: f"sign in as {APPROVER} to review it; {OFFICER} leads it",
    ),
    DemoProcurement(
        HEATING,
        (heating_draft,),
        who=lambda _: (
            f"sign in as {OFFICER} to carry on building it; its market engagement is public"
        ),
    ),
    DemoProcurement(
        LONELINESS,
        (Published(LONELINESS_PLAN), loneliness_questions),
        who=lambda _: (
            "open on /opportunities/, with questions answered and one waiting; "
            f"{SUPPLIERS[0]} has submitted a request to participate as the lead of a "
            f"consortium with {SUPPLIERS[1]}'s organisation"
        ),
    ),
    DemoProcurement(
        SCHOOL_STREETS,
        (Published(SCHOOL_STREETS_PLAN), school_streets_amended),
        who=lambda _: "open on /opportunities/, amended once",
    ),
    DemoProcurement(
        DISCHARGE,
        (
            Published(DISCHARGE_PLAN),
            RequestsReceived(DISCHARGE_REQUESTS, debarment=DISCHARGE_DEBARMENT),
        ),
        who=discharge_who,
    ),
    DemoProcurement(
        CARERS,
        through_initial_tenders(
            plan=CARERS_PLAN,
            requests=CARERS_REQUESTS,
            shortlist_reasons=(CARERS_SHORTLIST_REASON, CARERS_DECISION_REASON),
            proposals=CARERS_PROPOSALS,
            debarment=DISCHARGE_DEBARMENT,
        ),
        who=carers_who,
    ),
    DemoProcurement(
        FOOD_WASTE,
        (
            *through_initial_tenders(
                plan=FOOD_WASTE_PLAN,
                requests=FOOD_WASTE_REQUESTS,
                shortlist_reasons=(FOOD_WASTE_SHORTLIST_REASON, FOOD_WASTE_DECISION_REASON),
                proposals=FOOD_WASTE_PROPOSALS,
            ),
            *through_negotiation(notes=FOOD_WASTE_NOTES, change_notice=FOOD_WASTE_CHANGE_NOTICE),
            TendersSubmitted(FOOD_WASTE_RESUBMISSIONS),
        ),
        who=food_waste_who,
    ),
    DemoProcurement(
        WARM_HOMES,
        (
            *through_initial_tenders(
                plan=WARM_HOMES_PLAN,
                requests=WARM_HOMES_REQUESTS,
                shortlist_reasons=(WARM_HOMES_SHORTLIST_REASON, WARM_HOMES_DECISION_REASON),
                proposals=WARM_HOMES_PROPOSALS,
            ),
            *through_negotiation(notes=WARM_HOMES_NOTES, change_notice=WARM_HOMES_CHANGE_NOTICE),
            *tendered_and_opened(WARM_HOMES_RESUBMISSIONS),
            NextRound(RoundKind.FINAL),
            *tendered_and_opened(WARM_HOMES_FINAL_TENDERS),
            Evaluated(WARM_HOMES_EVALUATION),
            AwardPublished(
                reason=WARM_HOMES_AWARD_REASON,
                reasons=WARM_HOMES_AWARD_REASONS,
                approval=WARM_HOMES_APPROVAL_REASON,
            ),
            standstill_over,
        ),
        who=warm_homes_who,
    ),
    DemoProcurement(
        DAMP_MOULD,
        (
            *through_initial_tenders(
                plan=DAMP_MOULD_PLAN,
                requests=DAMP_MOULD_REQUESTS,
                shortlist_reasons=(DAMP_MOULD_SHORTLIST_REASON, DAMP_MOULD_DECISION_REASON),
                proposals=DAMP_MOULD_PROPOSALS,
            ),
            tenders_opened,
            Negotiated(DAMP_MOULD_NOTES),
            NextRound(RoundKind.FINAL),
            *tendered_and_opened(DAMP_MOULD_FINAL_TENDERS),
            Evaluated(DAMP_MOULD_EVALUATION),
            AwardPublished(
                reason=DAMP_MOULD_AWARD_REASON,
                reasons=DAMP_MOULD_AWARD_REASONS,
                approval=DAMP_MOULD_APPROVAL_REASON,
            ),
            standstill_over,
            contracts_entered_today,
            *DAMP_MOULD_STAGES,
        ),
        who=damp_mould_who,
    ),
]
