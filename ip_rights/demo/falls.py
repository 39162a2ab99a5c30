"""The demo's "Falls prevention at home": every section completed, awaiting approval. Its
selection questionnaire and IP terms are the borough's standard ones, used by every demo
procurement; the publication tests build their procurements from this plan too."""

from __future__ import annotations

from decimal import Decimal

from ip_rights.models import BenefitShare, ForegroundOwner
from partners.models import QuestionKind, QuestionTopic
from procurements.models import Sector
from stages.models import PhaseKind

from .common import criteria

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
FALLS_CRITERIA = criteria(
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
