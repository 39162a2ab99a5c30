"""The demo's "Keeping older residents warm and well at home": taken through selection, a round
of negotiation and the final tenders to an approved award in standstill. Four requests to
participate (one from a consortium), three invited; the initial tenders opened by two officers;
negotiation with two tenderers and a change notice to all three; the tenders after negotiation
and then the final tenders opened; the final tenders evaluated (the evaluator on quality and
social value, the lead officer on price), moderated, and two partnerships awarded, as the ITT
allows.

Every price schedule is accepted as compliant: each phase is within its maximum and the totals
add up, so all three final tenders are ranked and the ranking decides. Kingsmead Care and
Repair's consortium is first on quality; Homeward is second with the lowest price; Assistive
Robotics scores a little better than Homeward on social value but its higher price leaves it
third, outside the two partnerships.

Marks are (verdict or score, reason) per selection question topic or award criterion kind;
scores are on the 0 to 5 scale.
"""

from __future__ import annotations

from decimal import Decimal

from partners.models import ChangePart, NoteKind, QuestionTopic
from procurements.models import CriterionKind, Sector

from .common import criteria, two_phases

INSURED = QuestionTopic.OTHER
RD = QuestionTopic.RD_CAPABILITY
INNOVATION = QuestionTopic.INNOVATIVE_SOLUTIONS
QUALITY = CriterionKind.QUALITY
PRICE = CriterionKind.PRICE
SOCIAL = CriterionKind.SOCIAL_VALUE

CARE_AND_REPAIR = "supplier-d@example.org"
HOMEWARD = "supplier-c@example.org"
ROBOTICS = "supplier-a@example.org"

WARM_HOMES_PLAN = {
    "challenge": {
        "problem": (
            "About 38,000 Kingsmead residents are 65 or older, and an estimated 6,400 of their "
            "households cannot afford to heat their homes properly. Every winter more older "
            "residents die than in the rest of the year, and emergency admissions of residents "
            "over 75 for chest infections, heart conditions and falls rise by about a third "
            "between November and March. Many of them keep one room warm, or none, to save "
            "money; damp and mould follow. Grants for insulation and heating, and the help "
            "the borough and the NHS already offer, reach too few of them in time: the people "
            "most at risk are often known only once they are admitted to hospital."
        ),
        "outcomes": (
            "Older residents at risk from a cold home are found before winter, with their "
            "consent; their homes are kept warm enough to stay well at a cost they can "
            "afford; problems are put right before they become emergencies; fewer are "
            "admitted to hospital in winter."
        ),
        "outcome_measures": (
            "The number of households at risk identified before 1 November; the share of "
            "their living rooms at 18°C or warmer on winter evenings, measured with the "
            "resident's consent; their energy bills and the grants they received; emergency "
            "admissions in winter, compared with a matched group; and residents' own view of "
            "their warmth and health at the start and end of each winter."
        ),
        "users_affected": (
            "Residents aged 65 and over and their families and carers; GP practices and the "
            "community health teams; the borough's adult social care, housing and public "
            "health teams; housing associations and private landlords; energy advice charities "
            "and installers of insulation and heating."
        ),
        "sector": Sector.HEALTH_AND_CARE,
        "cpv_codes": ["73000000-2", "71314300-5", "85300000-2"],
    },
    "market_gap": {
        "market_gap": (
            "Smart thermostats and room sensors assume broadband and a smartphone; energy "
            "advice services wait to be asked; risk tools in GP systems flag frailty, not a "
            "cold home. Nothing on the market finds the older residents at risk with their "
            "consent, knows when their homes are too cold, and gets heating, repairs, grants "
            "and a visit to them within days."
        ),
        "market_engagement_evidence": (
            "Home visits with 48 older residents over the 2025 winter, a workshop with three "
            "GP practices and the hospital discharge team, and a supplier day with 21 "
            "organisations, 14 of them SMEs or voluntary organisations."
        ),
    },
    "requirements": [
        "No information from a resident's health or care record may be used without the "
        "resident's consent or a lawful basis set out in a data protection impact assessment "
        "agreed with the borough; all personal data must be processed in the UK under UK GDPR.",
        "Anything fitted in a home must work without the resident owning a smartphone or "
        "having broadband, cost the resident nothing, and be removed at their request.",
        "Insulation and heating work must be carried out by installers certified under PAS "
        "2030 and TrustMark, and no resident may be left without heating while work is done.",
    ],
    "criteria": criteria(
        [
            "How older residents at risk from a cold home are found, with their consent",
            "How a home that is too cold is noticed, and help reaches it within days",
            "Research and pilot plan, with its risks and how they are managed",
        ],
        ["Local jobs, training and volunteering in Kingsmead"],
    ),
    "phases": two_phases(
        {
            "aims": "Design the service with 30 older residents, two GP practices and the "
            "borough's housing team, and test it in 60 homes for eight weeks of winter.",
            "targets": [
                ("Older residents involved in design", "At least 30", "Workshop records"),
                (
                    "Homes in the test at risk and not known to the borough",
                    "At least 20",
                    "Referral records",
                ),
            ],
            "gate": [
                ("Reach", "Pass: at least 20 homes at risk found that were not known"),
            ],
            "termination": ["Residents will not consent to the monitoring the design needs."],
        },
        {
            "aims": "Run the service through a whole winter, November to March, for 600 "
            "households in three neighbourhoods.",
            "targets": [
                (
                    "Living rooms at 18°C or warmer on winter evenings",
                    "At least 80% of the homes",
                    "Readings, with consent",
                ),
                (
                    "Emergency admissions in winter",
                    "Down by 10% against a matched group",
                    "NHS data, evaluated independently",
                ),
            ],
            "gate": [
                ("Warmth", "Pass: at least 80% of living rooms at 18°C or warmer"),
            ],
            "termination": ["A resident comes to harm because the service failed to act."],
        },
        maxima=("70000", "180000"),
    ),
    "purchase": {
        "max_cost": Decimal("500000"),
        "scope": "The service for every older resident at risk from a cold home in Kingsmead "
        "for three winters.",
        # 2 partners x (70,000 + 180,000) + 500,000 = 1,000,000.
        "estimated_value": Decimal("1050000"),
    },
    "performance": [
        ("Living rooms at 18°C or warmer on winter evenings", "At least 85% of the homes"),
        ("Emergency admissions in winter of people in the service", "Down by 15%"),
    ],
    # Four requests for three places; up to two partners.
    "timetable": {"number_to_invite": 3, "max_partners": 2},
}

WARM_HOMES_REQUESTS = [
    {
        "lead": CARE_AND_REPAIR,
        "member": (
            "supplier-b@example.org",
            "Energy advice, grant applications and insulation and heating work by its "
            "certified installers",
            40,
        ),
        "answers": {
            RD: (
                "Our caseworkers visit 900 older residents a year; with London South Bank "
                "University we studied why older people do not take up heating grants (2024). "
                "Brightwater's retrofit team measured warmth before and after work in 300 homes."
            ),
            INNOVATION: (
                "A 'warm visit' that a handyperson books from one call: a heating check, a "
                "grant application and small repairs the same week; 410 homes in 2025. "
                "Referee: the borough's private sector housing manager."
            ),
        },
        "evaluator": {
            INSURED: (True, "Certificates for both covers provided, for the lead and member."),
            RD: (4, "Good practical research with a university on the take-up of grants."),
            INNOVATION: (4, "A live service in older people's homes, with numbers."),
        },
        "consensus": {
            INSURED: (True, "Both covers evidenced for the lead and the member."),
            RD: (4, "Agreed: relevant, practical research capability."),
            INNOVATION: (
                5,
                "Raised from 4 at moderation: the warm visit is the closest example received "
                "to what the borough wants, and its results are recorded home by home.",
            ),
        },
    },
    {
        "lead": HOMEWARD,
        "answers": {
            RD: (
                "Our clinical team and two data scientists built the consent-based record GP "
                "practices use to flag patients at risk; with the University of East London "
                "we are studying winter admissions of frail patients."
            ),
            INNOVATION: (
                "A winter risk list for two primary care networks: patients at risk from the "
                "cold are called by a care coordinator in October; 1,100 calls in 2025. "
                "Referee: the networks' clinical director."
            ),
        },
        "evaluator": {
            INSURED: (True, "Certificates for both covers provided."),
            RD: (4, "Strong clinical data research with a university partner."),
            INNOVATION: (3, "Finds people at risk, but does not yet warm their homes."),
        },
        "consensus": {
            INSURED: (True, "Both covers evidenced by current certificates."),
            RD: (4, "Agreed: strong research on finding patients at risk."),
            INNOVATION: (
                4,
                "Raised from 3 at moderation: the calls already lead to referrals for heating "
                "help, recorded by the networks.",
            ),
        },
    },
    {
        "lead": ROBOTICS,
        "answers": {
            RD: (
                "Our six researchers design low-cost home sensors; with the University of "
                "Kingsmead we ran three home trials with ethics approval since 2022, one on "
                "room temperature and humidity in 80 flats."
            ),
            INNOVATION: (
                "A plug-in room sensor that sends readings over the mobile network, with no "
                "broadband, for a housing association's 200 sheltered flats. Referee: the "
                "association's director of care."
            ),
        },
        "evaluator": {
            INSURED: (True, "Certificates for both covers provided."),
            RD: (4, "Sound sensing research with ethics approval and a local university."),
            INNOVATION: (3, "A live sensor, but in sheltered flats with a warden on site."),
        },
        "consensus": {
            INSURED: (True, "Both covers evidenced by current certificates."),
            RD: (4, "Agreed: the strongest sensing capability received."),
            INNOVATION: (3, "Agreed: proven in sheltered housing, not yet in ordinary homes."),
        },
    },
    {
        "lead": "supplier-e@example.org",
        "answers": {
            RD: (
                "Our software team of 15 builds NHS-assured apps; we have no research on "
                "housing, heating or energy."
            ),
            INNOVATION: (
                "A daily check-in app for people living alone, used by 3,100 people in "
                "Salford. Referee: the council's adult social care lead."
            ),
        },
        "evaluator": {
            INSURED: (True, "Certificates for both covers provided."),
            RD: (3, "Capable digital health research, none of it on cold homes."),
            INNOVATION: (3, "A large service, but it needs a smartphone."),
        },
        "consensus": {
            INSURED: (True, "Both covers evidenced by current certificates."),
            RD: (
                2,
                "Lowered from 3 at moderation: no research on housing, heating or energy, and "
                "no partner who has done it.",
            ),
            INNOVATION: (3, "Agreed: relevant reach, but residents need a smartphone."),
        },
    },
]

WARM_HOMES_SHORTLIST_REASON = (
    "The three highest-ranked requests, the number the invitation to tender announced. "
    "Northway Digital Health ranked fourth: it has no research on housing, heating or energy."
)
WARM_HOMES_DECISION_REASON = "Checked the marks and the moderation reasons. Confirmed."

# The initial tenders, sealed in round 1 before its deadline: answers to the criteria that are
# not price (by criterion kind), a price per phase within the maxima announced (£70,000 and
# £180,000), the background IP each brings, and a file.
WARM_HOMES_PROPOSALS = {
    CARE_AND_REPAIR: {
        "answers": {
            QUALITY: (
                "Caseworkers and GP practices refer residents for a warm visit; a simple "
                "thermometer card on the wall tells the resident and the caseworker when a "
                "room is too cold. Brightwater's advisers apply for grants and its installers "
                "fit insulation and heating controls."
            ),
            SOCIAL: "Four apprenticeships in retrofit work for Kingsmead residents.",
        },
        "prices": {"1": "68000", "2": "175000"},
        "background_ip": "None: everything is developed in the partnership.",
        "file": ("Warm visit.txt", "Warm visit: referral, visit, grant, repair, follow-up."),
    },
    HOMEWARD: {
        "answers": {
            QUALITY: (
                "The winter risk list, with consent, in every GP practice; a care coordinator "
                "calls each resident on it in October and refers them for help with heating."
            ),
            SOCIAL: "Two care coordinator posts for Kingsmead residents.",
        },
        "prices": {"1": "61000", "2": "162000"},
        "background_ip": (
            "The risk record (software, our copyright since 2023), licensed to the borough for "
            "the partnership's term at no charge."
        ),
        "file": ("Risk list.txt", "Risk list: who is on it, how consent is asked, who calls."),
    },
    ROBOTICS: {
        "answers": {
            QUALITY: (
                "A plug-in sensor in the living room and bedroom of each home, sending readings "
                "over the mobile network; a warden service is alerted when a room stays below "
                "16°C for a day."
            ),
            SOCIAL: "Work experience for Year 10 pupils, and volunteers to fit the sensors.",
        },
        "prices": {"1": "70000", "2": "180000"},
        "background_ip": (
            "The sensor's design and firmware (our copyright); the borough receives a licence "
            "to use them during the partnership and on the purchase."
        ),
        "file": ("Sensor design.txt", "Sensor design: readings, alerts, mobile network."),
    },
}

# The lead officer's notes of the negotiation on the opened initial tenders, with two of the
# tenderers: (the tenderer's admin, the kind of note, its text).
WARM_HOMES_NOTES = [
    (
        HOMEWARD,
        NoteKind.MEETING_RECORD,
        "Met on Teams with Homeward's clinical lead, the borough's public health consultant and "
        "the lead officer. The borough asked what happens after the call in October when a "
        "resident's home is cold; Homeward will set out who visits and how quickly in its "
        "tender after negotiation.",
    ),
    (
        ROBOTICS,
        NoteKind.MEETING_RECORD,
        "Met at the civic centre with Assistive Robotics' research lead and the borough's data "
        "protection officer. The borough asked whether readings could show when a resident is "
        "at home; Assistive Robotics will send only the hourly temperature and humidity.",
    ),
    (
        ROBOTICS,
        NoteKind.NOTE,
        "Assistive Robotics' initial tender assumes a warden service the borough does not "
        "have. The borough will tell all tenderers, in a change notice, who responds to alerts.",
    ),
]

WARM_HOMES_CHANGE_NOTICE = {
    "parts": [ChangePart.SPECIFICATION, ChangePart.PHASE_PLAN],
    "text": (
        "Questions raised in negotiation are answered here for every tenderer. The minimum "
        "requirements and the award criteria do not change.\n"
        "1. Who responds: the borough has no warden service. Alerts and referrals go to the "
        "borough's home support team, which visits within two working days, or the same day "
        "for a resident without heating.\n"
        "2. GP practices: the research phase may work with Eastfield Medical Centre and Marsh "
        "Lane Surgery, which have agreed to take part.\n"
        "3. The pilot runs from 1 November to 31 March in the Eastfield, Marsh Lane and "
        "Riverside neighbourhoods.\n"
        "Only a tenderer that submits a tender in round 2 takes part in later rounds."
    ),
}


def _revised(email: str, quality: str, prices: tuple[str, str], file: tuple[str, str]) -> dict:
    """A tenderer's initial tender with a new quality answer, prices and file; its social
    value and background IP as before."""
    initial = WARM_HOMES_PROPOSALS[email]
    return {
        **initial,
        "answers": {**initial["answers"], QUALITY: quality},
        "prices": dict(zip(("1", "2"), prices, strict=True)),
        "file": file,
    }


# The tenders after negotiation in round 2, answering the change notice.
WARM_HOMES_RESUBMISSIONS = {
    CARE_AND_REPAIR: _revised(
        CARE_AND_REPAIR,
        "Referrals from the two GP practices and caseworkers; the thermometer card and a "
        "monthly call; the home support team visits within two working days, with "
        "Brightwater's adviser, and its installers follow within a fortnight.",
        ("67000", "171000"),
        ("Warm visit, revised.txt", "Warm visit: home support team, advisers, installers."),
    ),
    HOMEWARD: _revised(
        HOMEWARD,
        "The winter risk list in the two practices; the coordinator's call in October, and a "
        "referral to the home support team for every resident whose home is cold.",
        ("59500", "159000"),
        ("Risk list, revised.txt", "Risk list: calls, referrals, follow-up."),
    ),
    ROBOTICS: _revised(
        ROBOTICS,
        "Sensors in the living room and bedroom sending hourly temperature and humidity only; "
        "alerts go to the home support team when a room stays below 16°C for a day.",
        ("69500", "179500"),
        ("Sensor design, revised.txt", "Sensor design: hourly readings, alerts to the team."),
    ),
}

# The final tenders in round 3, which are not negotiated.
WARM_HOMES_FINAL_TENDERS = {
    CARE_AND_REPAIR: {
        **WARM_HOMES_RESUBMISSIONS[CARE_AND_REPAIR],
        "prices": {"1": "66000", "2": "168000"},
        "file": ("Final tender.txt", "Final tender: warm visits in 600 homes, one winter."),
    },
    HOMEWARD: {
        **WARM_HOMES_RESUBMISSIONS[HOMEWARD],
        "prices": {"1": "58000", "2": "156000"},
        "file": ("Final tender.txt", "Final tender: the risk list in three neighbourhoods."),
    },
    ROBOTICS: {
        **WARM_HOMES_RESUBMISSIONS[ROBOTICS],
        "prices": {"1": "69500", "2": "179000"},
        "file": ("Final tender.txt", "Final tender: sensors in 600 homes, one winter."),
    },
}


def _price_accepted(total: str) -> tuple[bool, str]:
    return (
        True,
        f"Each phase within its maximum (£70,000 and £180,000); the total of £{total} adds up.",
    )


# The evaluation of the final tenders: the evaluator's marks on quality and social value, the
# lead officer's on price (as price evaluator), and the lead officer's consensus. With the
# weights 60, 30 and 10 and price points as the lowest price over the tender's price, the
# totals are 95.44, 82.00 and 79.84 out of 100.
WARM_HOMES_EVALUATION = {
    CARE_AND_REPAIR: {
        "evaluator": {
            QUALITY: (5, "Finds residents through practices and caseworkers; acts within days."),
            SOCIAL: (4, "Four retrofit apprenticeships, paid at the London Living Wage."),
        },
        "price": {PRICE: _price_accepted("234,000")},
        "consensus": {
            QUALITY: (5, "Agreed: the most complete route from finding a resident to warmth."),
            SOCIAL: (4, "Agreed: four apprenticeships with a recognised qualification."),
            PRICE: _price_accepted("234,000"),
        },
    },
    HOMEWARD: {
        "evaluator": {
            QUALITY: (3, "Finds residents well; relies on others to warm their homes."),
            SOCIAL: (2, "Two posts; no training or volunteering."),
        },
        "price": {PRICE: _price_accepted("214,000")},
        "consensus": {
            QUALITY: (
                4,
                "Raised from 3 at moderation: since the change notice every cold home is "
                "referred to the home support team, with a follow-up call.",
            ),
            SOCIAL: (2, "Agreed: two local posts, nothing more."),
            PRICE: _price_accepted("214,000"),
        },
    },
    ROBOTICS: {
        "evaluator": {
            QUALITY: (4, "Knows at once when a home is cold; finding residents is thinner."),
            SOCIAL: (4, "Work experience and volunteering."),
        },
        "price": {PRICE: _price_accepted("248,500")},
        "consensus": {
            QUALITY: (4, "Agreed: strong on noticing cold homes, thinner on finding residents."),
            SOCIAL: (
                3,
                "Lowered from 4 at moderation: the volunteering is not yet arranged with any "
                "local organisation.",
            ),
            PRICE: _price_accepted("248,500"),
        },
    },
}

WARM_HOMES_AWARD_REASON = (
    "The two best-ranked tenders on the published criteria, up to the two partners the "
    "invitation to tender announced."
)
# Each tenderer reads its own reason in its assessment summary: nothing about another
# tenderer but the most advantageous tender's assessment, which the summary gives anyway.
WARM_HOMES_AWARD_REASONS = {
    CARE_AND_REPAIR: "Ranked first on the published criteria: the most complete route from "
    "finding a resident at risk to a warm home.",
    HOMEWARD: "Ranked second on the published criteria, within the two partnerships announced.",
    ROBOTICS: "Ranked third on the published criteria, outside the two partnerships the "
    "invitation to tender announced: its price earned 25.84 of the 30 price points.",
}
WARM_HOMES_APPROVAL_REASON = (
    "Checked the ranking, the moderation reasons and the price schedules. Approved."
)
