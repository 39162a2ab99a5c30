"""Load the demo borough's procurements (development settings only; run by ``seed_demo``).

Everything is made through the services an officer's pages use, so the audit
trail is the one a real officer would leave. Each procurement is keyed by its
title within the demo borough: one that exists is left as it is, so running the
command again creates nothing.

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
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from core.calendar import LONDON, bank_holidays_seed, london_date, working_day_on_or_after
from core.models import Borough, User
from ip_rights.models import BenefitShare, ForegroundOwner
from ip_rights.services import ip_terms_save
from partners.models import DebarmentEntry, ParticipationRequest, QuestionKind, QuestionTopic
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
from partners.submission import exclusion_grounds, published_questions
from procurements.models import (
    CriterionKind,
    PriceFormula,
    Procurement,
    Regime,
    ScoringScale,
    Sector,
)
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
from stages.models import PhaseKind
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

BOROUGH_SLUG = "kingsmead"
OFFICER = "officer@example.org"
APPROVER = "approver@example.org"
EVALUATOR = "evaluator@example.org"

FALLS = "Falls prevention at home"
HEATING = "Low-carbon heating for council homes"
LONELINESS = "Loneliness in later life"
SCHOOL_STREETS = "Cleaner air on the way to school"
DISCHARGE = "Safer homes after hospital discharge"
TITLES = [FALLS, HEATING, LONELINESS, SCHOOL_STREETS, DISCHARGE]
SUPPLIERS = [f"supplier-{letter}@example.org" for letter in "abcdef"]

NOON = time(12, 0)


def _criteria(
    quality_subs: list[str],
    social_subs: list[str],
    price: str = "The total price for the research and pilot phases.",
) -> list:
    """The borough's usual weighting (quality 60, price 30, social value 10)."""
    return [
        (
            CriterionKind.QUALITY,
            "Quality of the proposed solution and research plan",
            60,
            "How well the proposal would meet the outcomes, and how credible the plan to get "
            "there is.",
            quality_subs,
        ),
        (CriterionKind.PRICE, "Price", 30, price, []),
        (
            CriterionKind.SOCIAL_VALUE,
            "Social value",
            10,
            "Commitments under the borough's social value policy.",
            social_subs,
        ),
    ]


# --- "Falls prevention at home" ----------------------------------------------------------------

FALLS_CHALLENGE = {
    "problem": (
        "Around 1,900 Kingsmead residents aged 65 and over fall at home each year, and one in "
        "three of the falls that lead to a hospital admission happens at night, between 10pm "
        "and 7am, often on the way to the bathroom. Many of these residents live alone. Some "
        "lie on the floor for hours before anyone knows, which makes injuries, pressure sores "
        "and the fear of falling again worse. Pendant alarms help only when they are worn and "
        "the person is able to press them; most night-time falls go unreported until morning."
    ),
    "outcomes": (
        "Fewer falls at home that lead to a hospital admission among older residents; a fall "
        "that does happen at night is known about, and help arrives, within minutes rather "
        "than hours; residents feel safe staying in their own homes, and carers and families "
        "are reassured, without cameras in the home or anything the resident must remember "
        "to wear."
    ),
    "outcome_measures": (
        "Emergency hospital admissions for falls among participating residents aged 65 and "
        "over, compared with a matched group over 12 months (Hospital Episode Statistics and "
        "the borough's care records); the time from a night-time fall to help arriving, from "
        "the community alarm service's logs; the number of long lies (an hour or more on the "
        "floor); and residents' own confidence, using the Falls Efficacy Scale International "
        "(FES-I) at the start and after six months."
    ),
    "users_affected": (
        "Older residents living at home, especially those who live alone or have had a fall "
        "before; their families and unpaid carers; the borough's adult social care and "
        "community alarm teams; the local NHS trust's urgent community response and ambulance "
        "services."
    ),
    "sector": Sector.HEALTH_AND_CARE,
    "cpv_codes": ["73000000-2", "33000000-0", "85000000-9"],
}
FALLS_MARKET_GAP = {
    "market_gap": (
        "Pendant and wrist-worn alarms depend on the resident wearing and pressing them, and "
        "most are taken off at night. Automatic fall detectors on the market have high false "
        "alarm rates in the home (pets, dropped objects, a resident sitting down heavily) and "
        "do not predict falls. Camera-based systems are not acceptable to residents. No "
        "product or service we found detects night-time falls reliably without a camera or "
        "wearable, and none helps prevent the fall by spotting a change in how a resident "
        "moves around their home."
    ),
    "market_engagement_evidence": (
        "A preliminary market engagement notice was published and two supplier open days were "
        "held with 23 organisations, including 14 SMEs. Suppliers confirmed that existing "
        "sensors need further research and development to reach the accuracy needed. A "
        "resident panel of 18 older people and carers set out what they would accept at home."
    ),
}
FALLS_REQUIREMENTS = [
    "No camera or microphone recording may be used in a resident's home, and no resident "
    "may be asked to wear a device at night.",
    "A suspected fall must raise an alert with the borough's 24-hour community alarm "
    "service within two minutes, using its existing alarm receiving centre.",
    "All personal data must be processed in the UK, in line with UK GDPR and the Data "
    "Protection Act 2018, with a data protection impact assessment agreed with the borough "
    "before any equipment is installed.",
]
FALLS_SELECTION = [
    {
        "kind": QuestionKind.PASS_FAIL,
        "topic": QuestionTopic.OTHER,
        "text": "Do you hold, or will you hold before the contract starts, public and product "
        "liability insurance of at least £5 million and professional indemnity insurance of "
        "at least £2 million?",
        "guidance": "Answer yes or no. A supplier that cannot answer yes is not selected.",
    },
    {
        "kind": QuestionKind.SCORED,
        "topic": QuestionTopic.RD_CAPABILITY,
        "text": "Describe your capacity in research and development relevant to this "
        "challenge: the people, facilities and partners (for example a university or an NHS "
        "trust) you would use, and the research you have done.",
        "guidance": "Up to 1,000 words. Give evidence from the last five years.",
        "weight": 60,
    },
    {
        "kind": QuestionKind.SCORED,
        "topic": QuestionTopic.INNOVATIVE_SOLUTIONS,
        "text": "Give up to two examples of an innovative solution you developed and put into "
        "use with a public body, a care provider or in people's homes: what it did, how you "
        "took it from prototype to live use, and what changed for the people who used it.",
        "guidance": "Up to 1,000 words. Name a referee for each example.",
        "weight": 40,
    },
]
FALLS_CRITERIA = _criteria(
    [
        "Approach to detecting night-time falls and spotting a rising risk of falling",
        "Acceptability to older residents and carers, and how they are involved",
        "Research, development and pilot plan, with its risks and how they are managed",
        "Data protection, information security and clinical safety",
    ],
    [
        "Local employment, apprenticeships and skills in Kingsmead",
        "Digital inclusion support for older residents",
    ],
    price="The total price for the research, prototype and pilot phases.",
)
FALLS_PHASES = [
    {
        "kind": PhaseKind.RESEARCH,
        "name": "Research",
        "duration_weeks": 12,
        "max_remuneration_per_partner": Decimal("60000"),
        "aims": "Understand night-time falls in Kingsmead homes with residents and carers, and "
        "show in the laboratory that the sensing approach can detect falls accurately.",
        "targets": [
            ("Residents and carers involved in co-design", "At least 20", "Workshop records"),
            ("Fall detection in laboratory trials", "At least 90% of simulated falls", ""),
        ],
        "instalments": [("Research plan agreed", None, 30), ("Research report accepted", None, 70)],
        "gate": [
            (
                "Laboratory detection accuracy",
                "Pass: at least 90% of simulated falls detected with no more than one false "
                "alarm per home per week",
            ),
            (
                "Acceptability to residents",
                "Scored 0 to 5 by the evaluation panel from the co-design findings; 3 or more "
                "passes",
            ),
        ],
        "termination": [
            "The partner does not meet the gate criteria of the research phase.",
            "The research shows the approach cannot meet the minimum requirements.",
        ],
    },
    {
        "kind": PhaseKind.DEVELOPMENT,
        "name": "Prototype",
        "duration_weeks": 20,
        "max_remuneration_per_partner": Decimal("150000"),
        "aims": "Build a working prototype, connect it to the community alarm service and test "
        "it in 10 volunteer homes.",
        "targets": [
            ("Prototype installed in volunteer homes", "10 homes", "Installation records"),
            ("Alerts received by the alarm receiving centre", "Within 2 minutes", "Test logs"),
        ],
        "instalments": [
            ("Prototype demonstrated to the borough", None, 40),
            ("", 20, 60),
        ],
        "gate": [
            (
                "Performance in volunteer homes",
                "Pass: at least 90% of test falls detected and alerted within 2 minutes",
            ),
            (
                "Data protection impact assessment",
                "Pass: agreed with the borough's data protection officer",
            ),
        ],
        "termination": [
            "The partner does not meet the gate criteria of the prototype phase.",
            "The prototype cannot be connected to the community alarm service.",
        ],
    },
    {
        "kind": PhaseKind.PILOT,
        "name": "Pilot",
        "duration_weeks": 26,
        "max_remuneration_per_partner": Decimal("250000"),
        "aims": "Run the solution in 150 homes of older residents for six months and measure "
        "its effect on falls, long lies and hospital admissions.",
        "targets": [
            ("Homes in the pilot", "At least 150", "Installation records"),
            ("Long lies among pilot residents", "Down by 50% against the matched group", ""),
        ],
        "instalments": [
            ("Pilot homes installed", None, 30),
            ("", 13, 30),
            ("Pilot evaluation report accepted", None, 40),
        ],
        "gate": [
            (
                "Falls leading to hospital admission",
                "Pass: fewer admissions per 1,000 pilot residents than in the matched group",
            ),
            (
                "Resident satisfaction",
                "Pass: at least 80% of pilot residents would keep the solution",
            ),
        ],
        "termination": [
            "The partner does not meet the gate criteria of the pilot phase.",
            "A serious incident shows the solution is not safe to use in residents' homes.",
        ],
    },
]
FALLS_PURCHASE = {
    "max_cost": Decimal("1200000"),
    "scope": "Supply, installation, monitoring and support of the solution in up to 2,000 homes "
    "of older residents for four years.",
    # 3 partners x (60,000 + 150,000 + 250,000) + 1,200,000 = 2,580,000.
    "estimated_value": Decimal("2600000"),
}
FALLS_PERFORMANCE = [
    ("Night-time falls detected", "At least 95%"),
    ("False alarms", "No more than one per home per month"),
    ("Time from a fall to an alert", "Under 2 minutes"),
]
FALLS_IP_TERMS = {
    "foreground_owner": ForegroundOwner.PARTNER,
    "licence_scope": "A free, non-exclusive, irrevocable licence to use, copy and adapt the "
    "results for the borough's own services and to share them with other UK public bodies.",
    "licence_term": "Perpetual",
    "licence_sublicensable": True,
    "benefit_share": BenefitShare.REVENUE_SHARE,
    "benefit_percentage": Decimal("5"),
    "benefit_trigger": "Sales of the solution to other buyers in the five years after the pilot.",
    "background_ip_rules": "Each partner keeps its background IP and grants the borough a free "
    "licence to it only as far as needed to use the results.",
    "confidentiality_note": "",
}

FALLS_PLAN = {
    "challenge": FALLS_CHALLENGE,
    "market_gap": FALLS_MARKET_GAP,
    "requirements": FALLS_REQUIREMENTS,
    "criteria": FALLS_CRITERIA,
    "phases": FALLS_PHASES,
    "purchase": FALLS_PURCHASE,
    "performance": FALLS_PERFORMANCE,
}


def _two_phases(research: dict, pilot: dict) -> list[dict]:
    """A research phase and a pilot, each with its targets, one instalment at its start and
    one at its end, and the gate it must pass."""
    phases = []
    for kind, name, weeks, cap, plan in (
        (PhaseKind.RESEARCH, "Research and prototype", 16, Decimal("80000"), research),
        (PhaseKind.PILOT, "Pilot", 26, Decimal("200000"), pilot),
    ):
        phases.append(
            {
                "kind": kind,
                "name": name,
                "duration_weeks": weeks,
                "max_remuneration_per_partner": cap,
                "aims": plan["aims"],
                "targets": plan["targets"],
                "instalments": [
                    (f"{name} plan agreed", None, 30),
                    (f"{name} report accepted", None, 70),
                ],
                "gate": plan["gate"],
                "termination": [
                    f"The partner does not meet the gate criteria of the {name.lower()} phase.",
                    *plan["termination"],
                ],
            }
        )
    return phases


# --- "Low-carbon heating for council homes" ------------------------------------------------------

HEATING_CHALLENGE = {
    "problem": (
        "About 4,200 of the borough's council homes are heated by individual gas boilers, and "
        "a third are flats in 1960s and 1970s blocks with little space for a heat pump or hot "
        "water cylinder. Tenants in these homes face some of the highest heating bills in the "
        "borough, and the borough has committed to net zero in its own housing by 2040."
    ),
    "outcomes": (
        "Homes heated without gas at a running cost no higher than today's for tenants, "
        "installed with little disruption in an occupied flat."
    ),
    "outcome_measures": (
        "Tenants' heating costs from metered data, carbon emissions per home, the time a home "
        "is without heating during installation, and tenant satisfaction."
    ),
    "users_affected": "Council tenants, the housing repairs service and leaseholders in mixed "
    "blocks.",
    "sector": Sector.LOW_CARBON,
    "cpv_codes": ["73000000-2", "45331000-6"],
}
HEATING_MARKET_GAP = {
    "market_gap": (
        "Heat pumps on the market need outdoor space or a cylinder cupboard that most of these "
        "flats do not have, and communal systems need works to the whole block at once."
    ),
    "market_engagement_evidence": "",
}


# --- "Loneliness in later life" (published, with questions and answers) -----------------------

LONELINESS_CHALLENGE = {
    "problem": (
        "About 6,000 Kingsmead residents aged 75 and over live alone, and a third of them say "
        "they often or always feel lonely. Loneliness raises the risk of depression, dementia "
        "and emergency admissions, and lonely residents are hard to reach: they are the least "
        "likely to come to a lunch club or answer a letter. Befriending services have long "
        "waiting lists and cannot tell who needs them most."
    ),
    "outcomes": (
        "Lonely older residents are found early, are in touch with people and activities they "
        "choose, and say they feel less lonely; fewer of them are admitted to hospital in an "
        "emergency."
    ),
    "outcome_measures": (
        "The UCLA three-item loneliness scale at the start and after six and twelve months; "
        "emergency admissions compared with a matched group; the number of residents reached "
        "who were not known to any service."
    ),
    "users_affected": (
        "Residents aged 75 and over who live alone; their families; the borough's adult "
        "social care, libraries and voluntary sector partners; GP practices."
    ),
    "sector": Sector.HEALTH_AND_CARE,
    "cpv_codes": ["73000000-2", "85300000-2"],
}
LONELINESS_Q_PUBLIC = (
    "We are Assistive Robotics Lab. May a consortium with a charity as lead take part, "
    "and must every member answer the selection questionnaire?"
)
LONELINESS_Q_PUBLIC_EDITED = (
    "May a consortium with a charity as lead take part, and must every member answer the "
    "selection questionnaire?"
)
LONELINESS_A_PUBLIC = (
    "Yes. A consortium may take part with any member as its lead, including a charity. The "
    "lead answers the selection questionnaire for the consortium and says which member brings "
    "which capability; every member makes the exclusion declarations."
)
LONELINESS_Q_PRIVATE = (
    "Our Companies House number changed after a merger last month. Will our account still "
    "work for a request to participate?"
)
LONELINESS_A_PRIVATE = (
    "Yes. Ask your organisation's administrator to update the number on your organisation's "
    "profile before you submit; the request is made in the organisation's name."
)
LONELINESS_Q_OPEN = "Will the borough share anonymised data on who uses its befriending services?"

# --- "Cleaner air on the way to school" (published, then amended) -----------------------------

SCHOOL_STREETS_CHALLENGE = {
    "problem": (
        "Nitrogen dioxide near eleven Kingsmead primary schools exceeds the World Health "
        "Organization guideline at drop-off and pick-up times. Children walk along the most "
        "polluted roads, and parents say the traffic is a reason they drive."
    ),
    "outcomes": (
        "Children breathe cleaner air on the way to school; more families walk, cycle or "
        "scoot; the streets around schools are calmer at the start and end of the day."
    ),
    "outcome_measures": (
        "Nitrogen dioxide at the school gates at drop-off and pick-up; the share of children "
        "who walk, cycle or scoot (hands-up surveys)."
    ),
    "users_affected": "Pupils, parents and staff of the eleven schools; residents of the streets.",
    "sector": Sector.TRANSPORT,
    "cpv_codes": ["73000000-2", "90731000-0"],
}
SCHOOL_STREETS_MEASURES_AMENDED = (
    "Nitrogen dioxide at the borough's diffusion-tube sites at each school gate, averaged "
    "over drop-off (8am to 9am) and pick-up (3pm to 4pm) each school week; the share of "
    "children who walk, cycle or scoot, from the termly hands-up surveys."
)

LONELINESS_PLAN = {
    "challenge": LONELINESS_CHALLENGE,
    "market_gap": {
        "market_gap": (
            "Befriending and social prescribing services rely on referrals, so they reach "
            "residents who are already known. Data tools on the market predict health risk, "
            "not loneliness, and none has been shown to find lonely older people who use no "
            "service, or to connect them with activities they stay with."
        ),
        "market_engagement_evidence": (
            "Conversations with eight suppliers and four voluntary organisations in the "
            "spring, and a survey of 300 residents aged 75 and over, showed no product that "
            "does both."
        ),
    },
    "requirements": [
        "No resident may be contacted on the strength of a prediction alone without a human "
        "check by the borough or its voluntary sector partners.",
        "All personal data must be processed in the UK, in line with UK GDPR, with a data "
        "protection impact assessment agreed before any data is shared.",
    ],
    "criteria": _criteria(
        [
            "How lonely residents not known to any service will be found",
            "How residents are connected with people and activities they choose",
            "Research and pilot plan, with its risks and how they are managed",
        ],
        ["Volunteering and local groups supported in Kingsmead"],
    ),
    "phases": _two_phases(
        {
            "aims": "Co-design the approach with residents and test it on past, anonymised "
            "data and with 50 volunteers.",
            "targets": [
                ("Residents involved in co-design", "At least 30", "Workshop records"),
                ("Lonely volunteers found by the approach", "At least 70%", "Evaluation report"),
            ],
            "gate": [
                ("Finding lonely residents", "Pass: at least 70% of lonely volunteers found"),
            ],
            "termination": ["The approach cannot work without data the borough cannot share."],
        },
        {
            "aims": "Run the service for six months with 500 residents aged 75 and over.",
            "targets": [
                ("Residents reached who used no service", "At least 200", "Service records"),
                ("Loneliness score after six months", "Down by 1 point on average", ""),
            ],
            "gate": [
                ("Loneliness", "Pass: UCLA score down by at least 1 point on average"),
            ],
            "termination": ["A safeguarding incident shows the service is not safe."],
        },
    ),
    "purchase": {
        "max_cost": Decimal("600000"),
        "scope": "The service for up to 6,000 residents aged 75 and over for three years.",
        # 3 partners x (80,000 + 200,000) + 600,000 = 1,440,000.
        "estimated_value": Decimal("1500000"),
    },
    "performance": [
        ("Residents reached who used no service", "At least 40% of those reached"),
        ("Residents who say they feel less lonely", "At least 60% after six months"),
    ],
}
SCHOOL_STREETS_PLAN = {
    "challenge": SCHOOL_STREETS_CHALLENGE,
    "market_gap": {
        "market_gap": (
            "School streets closures need staff at every gate and cannot be used on main "
            "roads, where most of these schools are. Air quality sensors measure the problem "
            "but do not change it. Nothing on the market changes how families travel on the "
            "busy roads at the school gates."
        ),
        "market_engagement_evidence": (
            "Meetings with five transport technology suppliers and the eleven head teachers, "
            "and a survey of 1,200 parents in the summer term."
        ),
    },
    "requirements": [
        "No solution may stop emergency vehicles or buses reaching the school gates.",
        "No child may be identified or tracked by the solution.",
    ],
    "criteria": _criteria(
        [
            "How the solution lowers nitrogen dioxide at the gates at drop-off and pick-up",
            "How it makes walking, cycling and scooting the easier choice",
            "Research and pilot plan, with its risks and how they are managed",
        ],
        ["Work with pupils and local businesses in Kingsmead"],
    ),
    "phases": _two_phases(
        {
            "aims": "Design the solution with two schools and test it at one gate for a term.",
            "targets": [
                ("Nitrogen dioxide at the test gate", "Down by 15% at drop-off", "Tube results"),
            ],
            "gate": [("Air at the test gate", "Pass: nitrogen dioxide down by at least 15%")],
            "termination": ["The solution would stop buses or emergency vehicles."],
        },
        {
            "aims": "Run the solution at six schools for two terms.",
            "targets": [
                ("Children who walk, cycle or scoot", "Up by 10 points", "Hands-up surveys"),
            ],
            "gate": [("Active travel", "Pass: up by at least 10 points at four of six schools")],
            "termination": ["The solution makes a road less safe for children."],
        },
    ),
    "purchase": {
        "max_cost": Decimal("500000"),
        "scope": "The solution at all eleven schools for three years.",
        # 3 partners x (80,000 + 200,000) + 500,000 = 1,340,000.
        "estimated_value": Decimal("1400000"),
    },
    "performance": [
        ("Nitrogen dioxide at the gates", "Below 40 µg/m³ at drop-off"),
        ("Children who walk, cycle or scoot", "At least 70%"),
    ],
}

# --- the heating procurement's market engagement (UK2) ----------------------------------------

HEATING_ENGAGEMENT = {
    "title": "Low-carbon heating for council flats: tell us what is possible",
    "summary": (
        "The borough wants to hear from manufacturers, installers, researchers and housing "
        "providers about low-carbon heating that could work in 1960s council flats with no "
        "outdoor space. Come to an event or write to us: what would need to be developed, how "
        "long it would take, and what a pilot in ten flats would cost."
    ),
    "contact_email": "procurement@kingsmead.example.org",
}
HEATING_EVENTS = [
    ("Supplier open day at the Civic Centre", "Kingsmead Civic Centre, Market Street", ""),
    ("Online question and answer session", "", "https://meet.kingsmead.example.org/heating"),
]


DEMO_MEMBER_ROLE = "Co-design with residents and volunteer outreach"
DEMO_ANSWERS = {
    QuestionTopic.RD_CAPABILITY: (
        "Our research team of six (two PhD engineers, a clinical lead and three designers) has "
        "run three funded trials of assistive technology in people's homes since 2022, each "
        "with ethics approval and a published evaluation."
    ),
    QuestionTopic.INNOVATIVE_SOLUTIONS: (
        "We take prototypes from the bench to a pilot in under nine months: our last one, a "
        "voice companion for people living alone, went from three homes to 200 with a housing "
        "association, and is now bought by two councils."
    ),
    QuestionTopic.OTHER: "Our audited accounts for the last three years are attached.",
}


# --- "Safer homes after hospital discharge" (in selection) -------------------------------------

DISCHARGE_PLAN = {
    "challenge": {
        "problem": (
            "About 3,400 Kingsmead residents aged 65 and over go home from hospital each year, "
            "and one in six is back in hospital within 30 days, often after a fall, a cold home "
            "or confusion over new medicines in the first fortnight. Many wait in a hospital "
            "bed for days after they are well enough to leave, because their home is not ready: "
            "a grab rail, a key safe, a bed downstairs or a working boiler. The checks and the "
            "fixes are booked separately, by phone, by the discharge team, the occupational "
            "therapists and the home improvement agency."
        ),
        "outcomes": (
            "Older residents go home on the day they are well enough, to a home that is safe "
            "and warm and set up for how they now move; fewer of them are readmitted in the "
            "first month; they and their carers know what to expect and whom to call."
        ),
        "outcome_measures": (
            "Emergency readmissions within 30 days among participating residents, compared with "
            "a matched group (the hospital trust's admissions data); the days between being "
            "medically fit and going home; the share of home hazards fixed before or within 48 "
            "hours of discharge; and residents' own view of how safe they feel at home, two and "
            "six weeks after going home."
        ),
        "users_affected": (
            "Residents aged 65 and over leaving Kingsmead General Hospital; their families and "
            "unpaid carers; the hospital's discharge team and occupational therapists; the "
            "borough's reablement service and its home improvement agency."
        ),
        "sector": Sector.HEALTH_AND_CARE,
        "cpv_codes": ["73000000-2", "85300000-2", "33000000-0"],
    },
    "market_gap": {
        "market_gap": (
            "Home assessments are made in person by occupational therapists, days after the "
            "referral, and equipment, adaptations and heating repairs are ordered from "
            "different services that do not see each other's bookings. No product or service "
            "we found assesses a home before discharge without a visit, gets the fixes and "
            "equipment in place within a day, and follows the resident through the first weeks."
        ),
        "market_engagement_evidence": (
            "Two workshops with the hospital discharge team, the home improvement agency and 15 "
            "suppliers, and interviews with 40 residents who went home from hospital last year."
        ),
    },
    "requirements": [
        "Nothing may hold up a discharge the hospital team has judged safe: the solution works "
        "alongside the existing discharge pathway, not as a new step in it.",
        "Every adaptation fitted in a resident's home must meet the borough's home adaptations "
        "standard and be fitted by an installer whose staff have an enhanced DBS check.",
        "All personal and health data must be processed in the UK, in line with UK GDPR and "
        "the NHS Data Security and Protection Toolkit.",
    ],
    "criteria": _criteria(
        [
            "How homes are assessed and made ready before the resident leaves hospital",
            "How residents and carers are supported in the first six weeks at home",
            "Research and pilot plan, with its risks and how they are managed",
        ],
        ["Local jobs and training for trades and care workers in Kingsmead"],
    ),
    "phases": _two_phases(
        {
            "aims": "Design the service with the discharge team, residents and carers, and "
            "test the remote home assessment with 40 residents before they leave hospital.",
            "targets": [
                ("Residents and carers involved in design", "At least 25", "Workshop records"),
                ("Hazards found remotely that a home visit confirms", "At least 85%", ""),
            ],
            "gate": [
                (
                    "Remote assessment",
                    "Pass: at least 85% of the hazards a home visit finds were found remotely",
                ),
            ],
            "termination": ["The assessment cannot be done without a home visit."],
        },
        {
            "aims": "Run the service for six months for 400 residents leaving hospital.",
            "targets": [
                ("Homes ready on the day of discharge", "At least 80%", "Service records"),
                ("Readmissions within 30 days", "Down by 20% against the matched group", ""),
            ],
            "gate": [
                ("Readmissions", "Pass: down by at least 20% against the matched group"),
            ],
            "termination": ["A serious incident shows the service is not safe."],
        },
    ),
    "purchase": {
        "max_cost": Decimal("700000"),
        "scope": "The service for every resident aged 65 and over leaving Kingsmead General "
        "Hospital for three years.",
        # 3 partners x (80,000 + 200,000) + 700,000 = 1,540,000.
        "estimated_value": Decimal("1600000"),
    },
    "performance": [
        ("Homes ready on the day of discharge", "At least 85%"),
        ("Readmissions within 30 days", "No more than 12% of residents supported"),
    ],
    # Five requests, one from a debarred supplier: four may qualify for three places.
    "timetable": {"number_to_invite": 3},
}
DISCHARGE_REQUESTS = [
    {
        "lead": "supplier-c@example.org",
        "member": (
            "supplier-b@example.org",
            "Warm-home checks and emergency heating repairs before the resident comes home",
            25,
        ),
        "answers": {
            QuestionTopic.RD_CAPABILITY: (
                "Our clinical team of four occupational therapists and two data scientists "
                "built a video home assessment with Barts Health that 1,100 patients have used "
                "since 2023. Brightwater, our consortium member, brings its energy advisers and "
                "the heating repair network it runs for three London boroughs."
            ),
            QuestionTopic.INNOVATIVE_SOLUTIONS: (
                'Our "ready-to-go" service books equipment, a handyperson and a heating check '
                "from one assessment: on a ward in Tower Hamlets it cut the wait between "
                "medically fit and home from 3.1 days to 1.4 over six months. Referee: the "
                "trust's head of patient flow."
            ),
        },
    },
    {
        "lead": "supplier-a@example.org",
        "answers": {
            QuestionTopic.RD_CAPABILITY: (
                "We design low-cost sensors that learn how a person moves around their home. "
                "Our six researchers have run three home trials with ethics approval since 2022 "
                "and work with the University of Kingsmead's rehabilitation research group."
            ),
            QuestionTopic.INNOVATIVE_SOLUTIONS: (
                "A sensor kit fitted on the day of discharge for 60 residents of a housing "
                "association, which told the reablement team when a resident stopped getting "
                "up at night; two falls were prevented in the first month. Referee: the "
                "association's director of care."
            ),
        },
        "conflict": (
            "One of our research advisers is a consultant geriatrician at Kingsmead General "
            "Hospital, whose discharge team would use the service. She has not helped to "
            "prepare this request and would take no part in the pilot's evaluation."
        ),
    },
    {
        "lead": "supplier-d@example.org",
        "answers": {
            QuestionTopic.RD_CAPABILITY: (
                "We are the borough's home improvement agency partner: 22 caseworkers and "
                "handypeople who fit 3,000 adaptations a year. We have no laboratory; our "
                "research partner would be the London South Bank University housing research "
                "unit, with whom we evaluated our hospital-to-home pilot in 2024."
            ),
            QuestionTopic.INNOVATIVE_SOLUTIONS: (
                "A same-day key safe and grab rail service for the hospital's discharge lounge, "
                "started in 2023: 480 residents went home the day they were ready. Referee: "
                "the hospital's discharge lead."
            ),
        },
    },
    {
        "lead": "supplier-e@example.org",
        "answers": {
            QuestionTopic.RD_CAPABILITY: (
                "Our software team of 15 and our clinical safety officer build NHS-assured "
                "remote monitoring; we hold DTAC approval and run a research programme with the "
                "Greater Manchester health innovation network on recovery after discharge."
            ),
            QuestionTopic.INNOVATIVE_SOLUTIONS: (
                "A text-message check-in for the first 28 days at home, which 2,300 patients "
                "used in Salford: readmissions fell by 11% against a matched group. Referee: "
                "the integrated care board's digital lead."
            ),
        },
    },
    {
        "lead": "supplier-f@example.org",
        "answers": {
            QuestionTopic.RD_CAPABILITY: (
                "We install and monitor community alarms in 40,000 homes, with an engineering "
                "team of 30 who design our own alarm units and a monitoring centre in Birmingham."
            ),
            QuestionTopic.INNOVATIVE_SOLUTIONS: (
                "An alarm unit that calls the resident back automatically after a missed "
                "check-in, now used by four housing providers in the West Midlands."
            ),
        },
        "declared": {
            "poor_performance": DeclarationAnswer(
                applies=True,
                details=(
                    "A county council ended our community alarm maintenance contract early "
                    "after we missed its response times, and the matter was referred for "
                    "debarment."
                ),
                self_cleaning=(
                    "We have replaced our operations director and our monitoring software, and "
                    "an independent audit of the last 12 months shows 99% of alarms answered "
                    "within 60 seconds."
                ),
            ),
        },
    },
]
DISCHARGE_DEBARMENT = {
    "supplier_name": "Sentinel Home Safety Limited",
    "companies_house_number": "08642097",
    "grounds": (
        "Breach of contract and poor performance of a public contract (PA 2023 Sch. 7 "
        "paras. 7-8): repeated failures to meet alarm response times under a county council "
        "contract, which was terminated."
    ),
    "days_ago": 120,
}


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
            **{**_timetable(today), **plan.get("timetable", {})},
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
        """Published, five requests submitted, then the participation deadline passes and
        the procurement moves to selection through the same service the scheduled task uses.

        The services refuse a request after the deadline, so the requests come first and
        the deadline is then moved to this moment; the questions deadline moves with it, so
        the timetable still reads in order."""
        procurement = self._published(
            borough, officer, approver, evaluator, today,
            title=DISCHARGE, plan=DISCHARGE_PLAN,
        )  # fmt: skip
        people = {user.email: user for user in suppliers}
        for plan in DISCHARGE_REQUESTS:
            member = plan.get("member")
            self._request_submitted(
                procurement,
                lead=people[plan["lead"]],
                answers=plan["answers"],
                member=(people[member[0]], *member[1:]) if member else None,
                conflict=plan.get("conflict", ""),
                declared=plan.get("declared"),
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


def _timetable(today: date) -> dict:
    """A PA 2023 timetable starting a week from ``today`` that the publication rules accept.

    The notice goes out on the first working day at least 5 days from today; requests to
    participate close at midday on the first working day at least 35 days after it (the
    minimum is 25, PA 2023 s.54(3)), and questions at midday on the first working day at
    least 10 days before that. Tenders are invited about six weeks after requests close, and
    the partnership is expected to start on the first working day at least 16 weeks after
    that, leaving time to negotiate, evaluate, award and stand still.
    """
    notice = working_day_on_or_after(today + timedelta(days=5))
    participation = working_day_on_or_after(notice + timedelta(days=35))
    questions = working_day_on_or_after(participation - timedelta(days=10))
    tender = working_day_on_or_after(participation + timedelta(days=42))
    return {
        "regime": Regime.PA2023,
        "notice_date": notice,
        "question_deadline": datetime.combine(questions, NOON, tzinfo=LONDON),
        "participation_deadline": datetime.combine(participation, NOON, tzinfo=LONDON),
        "indicative_tender_date": tender,
        "indicative_start_date": working_day_on_or_after(tender + timedelta(weeks=16)),
        "max_partners": 3,
        "number_to_invite": 5,
    }
