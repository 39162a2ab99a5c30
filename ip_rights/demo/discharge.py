"""The demo's "Safer homes after hospital discharge": five requests to participate received
(one from a consortium, one from an organisation on the debarment list), in selection."""

from __future__ import annotations

from decimal import Decimal

from partners.models import QuestionTopic
from partners.services_consortia import DeclarationAnswer
from procurements.models import Sector

from .common import criteria, two_phases

# --- "Safer homes after hospital discharge" (in selection) -------------------------------------

# Sentinel's own account of the contract that put it on the debarment list.
SENTINEL_DECLARED = {
    "poor_performance": DeclarationAnswer(
        applies=True,
        details=(
            "A county council ended our community alarm maintenance contract early after we "
            "missed its response times, and the matter was referred for debarment."
        ),
        self_cleaning=(
            "We have replaced our operations director and our monitoring software, and an "
            "independent audit of the last 12 months shows 99% of alarms answered within 60 "
            "seconds."
        ),
    ),
}
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
    "criteria": criteria(
        [
            "How homes are assessed and made ready before the resident leaves hospital",
            "How residents and carers are supported in the first six weeks at home",
            "Research and pilot plan, with its risks and how they are managed",
        ],
        ["Local jobs and training for trades and care workers in Kingsmead"],
    ),
    "phases": two_phases(
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
        "declared": SENTINEL_DECLARED,
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
