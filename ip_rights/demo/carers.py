"""The demo's "Digital support for unpaid carers": taken through selection to a confirmed
shortlist. Five requests to participate (one from a consortium, one from the organisation on
the debarment list), every one marked by the evaluator and moderated by the lead officer with
reasons; three of the four that qualify are invited to tender, as the ITT announced.

Marks are (verdict or score, reason) per question topic; scores are on the 0 to 5 scale.
"""

from __future__ import annotations

from decimal import Decimal

from partners.models import QuestionTopic
from procurements.models import Sector

from .common import criteria, two_phases
from .discharge import SENTINEL_DECLARED

INSURED = QuestionTopic.OTHER
RD = QuestionTopic.RD_CAPABILITY
INNOVATION = QuestionTopic.INNOVATIVE_SOLUTIONS

CARERS_PLAN = {
    "challenge": {
        "problem": (
            "About 21,000 Kingsmead residents look after a relative, partner or friend "
            "without pay, and one in four of them cares for 50 hours a week or more. Only "
            "2,300 are known to the borough's carers service. Most find out what help there "
            "is, from a carer's assessment to a break, only when they reach a crisis, and "
            "those who work or care at night cannot reach the service in office hours. "
            "Carers tell us they repeat their story to every service and that nobody asks how "
            "they are until something goes wrong."
        ),
        "outcomes": (
            "Unpaid carers are known to the borough early, find the help they are entitled to "
            "when they need it, at any time of day, and keep their own health, work and "
            "friendships; fewer caring arrangements break down in a crisis."
        ),
        "outcome_measures": (
            "The number of carers known to the borough, and the share of them identified "
            "before a crisis; carers' assessments completed within 28 days; carer-reported "
            "quality of life on the Carer Experience Scale at the start and after six and "
            "twelve months; emergency respite placements and hospital admissions of the "
            "people cared for, compared with a matched group."
        ),
        "users_affected": (
            "Unpaid carers of every age in Kingsmead, young carers included; the people they "
            "care for; the borough's adult social care and carers service; GP practices, "
            "schools and the voluntary organisations that support carers."
        ),
        "sector": Sector.HEALTH_AND_CARE,
        "cpv_codes": ["73000000-2", "85300000-2", "72000000-5"],
    },
    "market_gap": {
        "market_gap": (
            "Carers' apps on the market are directories or diaries: they do not find carers "
            "who have not asked for help, cannot start a carer's assessment or book a break, "
            "and do not share what a carer has said with the services that need to know. "
            "Care records hold the cared-for person, not the carer. No product we found does "
            "all three with the consent of the carer."
        ),
        "market_engagement_evidence": (
            "A survey of 640 carers, three workshops with the Kingsmead Carers' Forum and a "
            "supplier day with 19 organisations, 12 of them SMEs or voluntary organisations."
        ),
    },
    "requirements": [
        "Nothing may be shared about a carer or the person they care for without the "
        "carer's recorded consent, except where the law requires it to keep someone safe.",
        "The service must be usable by carers who do not use the internet, by telephone and "
        "in person, and meet the Web Content Accessibility Guidelines 2.2 at level AA online.",
        "All personal data must be processed in the UK, in line with UK GDPR, with a data "
        "protection impact assessment agreed before any data is shared.",
    ],
    "criteria": criteria(
        [
            "How carers who are not known to any service will be found, with their consent",
            "How carers reach help, assessments and breaks at any time of day",
            "Research and pilot plan, with its risks and how they are managed",
        ],
        ["Volunteering, peer support and carers' employment in Kingsmead"],
    ),
    "phases": two_phases(
        {
            "aims": "Design the service with 40 carers, the carers service and two GP "
            "practices, and test it with 100 carers for three months.",
            "targets": [
                ("Carers involved in design", "At least 40", "Workshop records"),
                ("Carers in the test who were not known to the borough", "At least 50", ""),
            ],
            "gate": [
                ("Reach", "Pass: at least 50 carers found who were not known to the borough"),
            ],
            "termination": ["Carers will not give their consent to the sharing the design needs."],
        },
        {
            "aims": "Run the service for six months across the borough for 1,000 carers.",
            "targets": [
                ("Carers' assessments completed within 28 days", "At least 80%", "Care records"),
                ("Carer Experience Scale after six months", "Up by 10% on average", ""),
            ],
            "gate": [
                ("Carers' quality of life", "Pass: Carer Experience Scale up by at least 10%"),
            ],
            "termination": ["A safeguarding incident shows the service is not safe."],
        },
    ),
    "purchase": {
        "max_cost": Decimal("650000"),
        "scope": "The service for every unpaid carer in Kingsmead for three years.",
        # 3 partners x (80,000 + 200,000) + 650,000 = 1,490,000.
        "estimated_value": Decimal("1500000"),
    },
    "performance": [
        ("Carers known to the borough", "At least 6,000 by the end of the first year"),
        ("Carers who say they found help when they needed it", "At least 75%"),
    ],
    # Five requests, one from a debarred supplier: four qualify for three places.
    "timetable": {"number_to_invite": 3},
}

CARERS_REQUESTS = [
    {
        "lead": "supplier-c@example.org",
        "member": (
            "supplier-b@example.org",
            "Peer support groups and carers' outreach through community organisations",
            30,
        ),
        "answers": {
            RD: (
                "Our clinical team and two data scientists built a consent-based record that "
                "GP practices use to flag patients who care for someone; 4,200 carers were "
                "identified in two primary care networks in 2024. Brightwater runs peer "
                "support groups for carers in three boroughs and would lead the outreach."
            ),
            INNOVATION: (
                "A carers' line that books a carer's assessment and a sitting service from "
                "one call, day or night: in Newham it cut the wait for an assessment from 61 "
                "days to 19. Referee: the borough's head of carers' services."
            ),
        },
        "evaluator": {
            INSURED: (True, "Certificates for both covers provided, valid to next March."),
            RD: (
                4,
                "Strong evidence of finding carers through GP records at scale; the research "
                "partner is named but its role in the pilot's evaluation is thin.",
            ),
            INNOVATION: (
                5,
                "A live service with a measured fall in waiting times and a named referee; "
                "directly relevant to out-of-hours access.",
            ),
        },
        "consensus": {
            INSURED: (True, "Both covers evidenced by current certificates."),
            RD: (
                4,
                "Agreed: strong, relevant capability; the evaluation role of the research "
                "partner needs to be firmed up at tender.",
            ),
            INNOVATION: (
                5,
                "Agreed: the Newham service is the closest example received to what the "
                "borough wants, with outcomes measured against a baseline.",
            ),
        },
    },
    {
        "lead": "supplier-e@example.org",
        "answers": {
            RD: (
                "Our software team of 15 and our clinical safety officer build NHS-assured "
                "digital services, with DTAC approval; our research programme with the "
                "University of Salford studies how carers use digital tools, with two "
                "peer-reviewed papers since 2023."
            ),
            INNOVATION: (
                "A carer's check-in by text and app, linked to the social care record with "
                "consent, used by 3,100 carers in Salford; 38% were new to the council. "
                "Referee: the council's carers' lead."
            ),
        },
        "evaluator": {
            INSURED: (True, "Certificates for both covers provided."),
            RD: (
                4,
                "A capable team with published research on carers' use of digital tools; "
                "clinical safety is well covered.",
            ),
            INNOVATION: (
                3,
                "Good reach in Salford, but the example does not show carers getting an "
                "assessment or a break any sooner.",
            ),
        },
        "consensus": {
            INSURED: (True, "Both covers evidenced by current certificates."),
            RD: (
                5,
                "Raised from 4 at moderation: the two peer-reviewed studies and the DTAC "
                "approval are the strongest research evidence received.",
            ),
            INNOVATION: (
                3,
                "Agreed: strong reach, but no evidence yet that carers reached help sooner.",
            ),
        },
    },
    {
        "lead": "supplier-a@example.org",
        "answers": {
            RD: (
                "We design low-cost home sensors and the software around them. Our six "
                "researchers have run three home trials with ethics approval since 2022, and "
                "work with the University of Kingsmead's rehabilitation research group."
            ),
            INNOVATION: (
                "A voice companion for people living alone that lets a family carer know "
                "when the day's routine changes, used in 200 homes with a housing "
                "association. Referee: the association's director of care."
            ),
        },
        "evaluator": {
            INSURED: (True, "Certificates for both covers provided."),
            RD: (
                3,
                "Sound research practice and a local university partner, but the research is "
                "about the person cared for rather than the carer.",
            ),
            INNOVATION: (
                4,
                "A real product in 200 homes that already keeps family carers informed.",
            ),
        },
        "consensus": {
            INSURED: (True, "Both covers evidenced by current certificates."),
            RD: (
                3,
                "Agreed: credible research capability, less of it about carers themselves.",
            ),
            INNOVATION: (
                4,
                "Agreed: the companion is in live use and its alerts reach family carers.",
            ),
        },
    },
    {
        "lead": "supplier-d@example.org",
        "answers": {
            RD: (
                "We are the borough's home improvement agency partner; our caseworkers meet "
                "about 900 carers a year on home visits. We have no research team of our own "
                "and would work with the London South Bank University housing research unit."
            ),
            INNOVATION: (
                "A carers' card that our handypeople hand out on home visits, with a number "
                "to call for a carer's assessment; 140 carers called it in its first year. "
                "Referee: the borough's carers service manager."
            ),
        },
        "evaluator": {
            INSURED: (True, "Certificates for both covers provided."),
            RD: (
                2,
                "Good local reach to carers on home visits, but no research capability of its "
                "own and the university partner's part is not described.",
            ),
            INNOVATION: (
                3,
                "A simple, local and measured idea; small in scale and not digital.",
            ),
        },
        "consensus": {
            INSURED: (True, "Both covers evidenced by current certificates."),
            RD: (
                2,
                "Agreed: research and development would rest on a partner whose role is not "
                "set out.",
            ),
            INNOVATION: (
                3,
                "Agreed: a useful way of finding carers, not yet a service they can use "
                "themselves.",
            ),
        },
    },
    {
        "lead": "supplier-f@example.org",
        "answers": {
            RD: (
                "Our engineering team of 30 designs the alarm units and software of our "
                "monitoring centre in Birmingham, which answers 40,000 homes."
            ),
            INNOVATION: (
                "A monitoring centre service that calls a named carer when an alarm is raised "
                "and the resident does not answer, used by four housing providers."
            ),
        },
        "declared": SENTINEL_DECLARED,
        "evaluator": {
            INSURED: (True, "Certificates for both covers provided."),
            RD: (
                3,
                "A large engineering team, but its work is on alarms rather than on support "
                "for carers.",
            ),
            INNOVATION: (
                2,
                "The call to a carer is useful but is a feature of an alarm service, not "
                "support for the carer.",
            ),
        },
        "consensus": {
            INSURED: (True, "Both covers evidenced by current certificates."),
            RD: (3, "Agreed: capable engineering, little of it about carers."),
            INNOVATION: (
                2,
                "Agreed. The organisation is on the debarment list and no self-cleaning "
                "evidence has been accepted, so it cannot be invited whatever its marks.",
            ),
        },
    },
]

CARERS_SHORTLIST_REASON = (
    "The three highest-ranked requests that qualify, the number the invitation to tender "
    "announced. Kingsmead Care and Repair ranked fourth; Sentinel Home Safety is on the "
    "debarment list and no self-cleaning evidence has been accepted, so it is excluded."
)
CARERS_DECISION_REASON = (
    "Checked the marks, the moderation reasons and the exclusion against the debarment list. "
    "Confirmed."
)


# The initial tenders of the three invited suppliers, sealed in round 1 before its deadline:
# answers to the criteria that are not price (by criterion kind), a price per phase within
# the maxima announced (£80,000 and £200,000), the background IP each brings, and a file.
CARERS_PROPOSALS = {
    "supplier-c@example.org": {
        "answers": {
            "quality": (
                "Carers are found through the consent-based record GP practices already use, "
                "then offered one line, open day and night, that books an assessment and a "
                "sitting service in the same call. Research (16 weeks): co-design with 40 "
                "carers, the data-sharing agreement with two primary care networks, and a "
                "prototype of the line. Pilot (26 weeks): 1,500 carers in two neighbourhoods, "
                "evaluated by the University of East London against a matched comparison."
            ),
            "social_value": (
                "Brightwater's peer groups meet in four Kingsmead community centres; we will "
                "employ two local carers as peer coordinators at the London Living Wage."
            ),
        },
        "prices": {"1": "78000", "2": "185000"},
        "background_ip": (
            "The carer identification record (software, our copyright since 2023), licensed to "
            "the borough for the partnership's term at no charge."
        ),
        "file": ("Method statement.txt", "Method statement: research plan, risks, team."),
    },
    "supplier-e@example.org": {
        "answers": {
            "quality": (
                "A messaging service in eleven languages, recommended by pharmacists when "
                "repeat prescriptions are collected for someone else. Research: test the "
                "pharmacy route with 12 pharmacies. Pilot: the whole borough, with the carers "
                "service taking bookings from the messages."
            ),
            "social_value": "Two apprenticeships for Kingsmead residents aged 18 to 24.",
        },
        "prices": {"1": "64500", "2": "172000"},
        "background_ip": "None: everything is developed in the partnership.",
        "file": ("Pharmacy pathway.txt", "Pharmacy pathway: who says what, when, and why."),
    },
    "supplier-a@example.org": {
        "answers": {
            "quality": (
                "A voice companion for carers at home that checks in daily and offers breaks "
                "and advice, with a human call-back within the hour when a carer is not coping."
            ),
            "social_value": "Volunteering days for our staff with Kingsmead carers' groups.",
        },
        "prices": {"1": "79000", "2": "199500"},
        "background_ip": (
            "The voice companion platform (our copyright); the borough receives a licence to "
            "use it during the partnership and on the purchase."
        ),
        "file": ("Companion design.txt", "Companion design: daily check-ins and call-backs."),
    },
}
