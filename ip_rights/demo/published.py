"""The demo's procurements that are built or published and still open: "Low-carbon heating
for council homes" (a draft with a published market engagement notice), "Loneliness in later
life" (published, with questions and a consortium's request) and "Cleaner air on the way to
school" (published, then amended)."""

from __future__ import annotations

from decimal import Decimal

from partners.models import QuestionTopic
from procurements.models import Sector

from .common import criteria, two_phases

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
    "criteria": criteria(
        [
            "How lonely residents not known to any service will be found",
            "How residents are connected with people and activities they choose",
            "Research and pilot plan, with its risks and how they are managed",
        ],
        ["Volunteering and local groups supported in Kingsmead"],
    ),
    "phases": two_phases(
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
    "criteria": criteria(
        [
            "How the solution lowers nitrogen dioxide at the gates at drop-off and pick-up",
            "How it makes walking, cycling and scooting the easier choice",
            "Research and pilot plan, with its risks and how they are managed",
        ],
        ["Work with pupils and local businesses in Kingsmead"],
    ),
    "phases": two_phases(
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
