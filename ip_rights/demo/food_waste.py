"""The demo's "Reducing food waste in school kitchens": taken through selection and the initial
tenders into negotiation. Four requests to participate (one from a consortium), three invited;
the three initial tenders opened by two officers; round 2, tenders after negotiation, open, with
the lead officer's notes and meeting records with two tenderers and a change notice to all
three; one tenderer has already resubmitted.

Marks are (verdict or score, reason) per question topic; scores are on the 0 to 5 scale.
"""

from __future__ import annotations

from decimal import Decimal

from partners.models import ChangePart, NoteKind, QuestionKind, QuestionTopic
from procurements.models import Sector

from .common import criteria, two_phases

INSURED = QuestionTopic.OTHER
RD = QuestionTopic.RD_CAPABILITY
INNOVATION = QuestionTopic.INNOVATIVE_SOLUTIONS

FOOD_WASTE_SELECTION = [
    {
        "kind": QuestionKind.PASS_FAIL,
        "topic": INSURED,
        "text": "Do you hold, or will you hold before the contract starts, public liability "
        "insurance of at least £5 million and employer's liability insurance of at least £5 "
        "million, and will everyone who works in a school for you have an enhanced DBS check?",
        "guidance": "Answer yes or no. A supplier that cannot answer yes is not selected.",
    },
    {
        "kind": QuestionKind.SCORED,
        "topic": RD,
        "text": "Describe your capacity in research and development relevant to this "
        "challenge: the people, facilities and partners (for example a university or a waste "
        "charity) you would use, and the research you have done on food, catering or how "
        "people eat.",
        "guidance": "Up to 1,000 words. Give evidence from the last five years.",
        "weight": 40,
    },
    {
        "kind": QuestionKind.SCORED,
        "topic": INNOVATION,
        "text": "Give up to two examples of an innovative solution you developed and put into "
        "use in schools, catering or food redistribution: what it did, how you took it from "
        "prototype to live use, and what changed as a result.",
        "guidance": "Up to 1,000 words. Name a referee for each example.",
        "weight": 60,
    },
]

FOOD_WASTE_PLAN = {
    "challenge": {
        "problem": (
            "Kingsmead School Meals, the borough's own catering service, cooks about 14,500 "
            "lunches a day in the kitchens of 58 primary schools. Audits in 2025 found that "
            "about a quarter of the food it prepares is thrown away: 75 grams a meal on "
            "average, around 200 tonnes a school year, worth about £400,000. Most of it is "
            "plate waste, food pupils take and do not eat, above all the youngest, who have "
            "20 minutes to eat; the rest is cooked for pupils who are absent or choose "
            "something else on the day. Since every primary pupil in London became entitled "
            "to free school meals, more pupils take a lunch and the numbers on any day are "
            "harder to predict. Since 31 March 2025 schools must also separate food waste for "
            "collection, and the borough pays for every tonne collected."
        ),
        "outcomes": (
            "Pupils eat more of the lunch they are served and less food is thrown away; "
            "kitchens cook the number of meals that will be eaten; food that is still safe to "
            "eat reaches families and community groups rather than the bin; the catering "
            "service spends less on food and on collections, without any pupil going hungry."
        ),
        "outcome_measures": (
            "Grams of food wasted per meal served in each pilot kitchen, split into plate, "
            "preparation and over-production waste, against a four-week baseline audit; the "
            "share of pupils taking a school lunch; the cost of food bought per meal served; "
            "tonnes of food waste collected and the carbon saved, using WRAP's conversion "
            "factors; and pupils' own view of lunch, asked every term."
        ),
        "users_affected": (
            "Primary pupils and their parents and carers; the cooks and kitchen staff of "
            "Kingsmead School Meals; head teachers and school business managers; the "
            "borough's waste and recycling service; food banks, community fridges and holiday "
            "activity clubs that could take surplus food."
        ),
        "sector": Sector.WASTE,
        "cpv_codes": ["73000000-2", "55524000-9", "90500000-2"],
    },
    "market_gap": {
        "market_gap": (
            "Food waste trackers on the market are made for restaurants, hotels and staff "
            "canteens: a chef weighs and photographs waste at one station and reads a weekly "
            "report. A school kitchen serves 300 pupils in under an hour with staff who have "
            "no time to log anything, and the best guide to how many of each meal to cook, "
            "the morning register and pupils' choices, sits in school systems the kitchen "
            "cannot see. No product we found measures plate waste without slowing service, "
            "forecasts meals from the register and gets safe surplus to local groups the same "
            "day."
        ),
        "market_engagement_evidence": (
            "A survey of the cooks of all 58 kitchens, lunchtime observations in six schools "
            "with a panel of 36 pupils, and a supplier day with 17 organisations, 11 of them "
            "SMEs or voluntary organisations."
        ),
    },
    "requirements": [
        "Every meal served must still meet the School Food Standards (the Requirements for "
        "School Food Regulations 2014), and no pupil may be given a smaller portion or refused "
        "a meal to reduce waste.",
        "No camera or other device may record images or sounds of pupils; all personal data "
        "must be processed in the UK, in line with UK GDPR, with a data protection impact "
        "assessment agreed before use in a school.",
        "Surplus food may be passed on only in line with the Food Standards Agency's guidance "
        "on redistribution and the borough's food safety management system, with a record "
        "that traces every batch.",
    ],
    "selection": FOOD_WASTE_SELECTION,
    "criteria": criteria(
        [
            "How waste is measured without slowing lunch service",
            "How kitchens forecast and cook the number of meals that will be eaten",
            "Research and pilot plan, with its risks and how they are managed",
        ],
        [
            "Surplus food for local families and community groups",
            "Local jobs, training and volunteering in Kingsmead",
        ],
        weights=(50, 30, 20),
    ),
    "phases": two_phases(
        {
            "aims": "Design the solution with cooks, pupils and the catering service, and test "
            "it in the kitchens of three primary schools for six weeks.",
            "targets": [
                (
                    "School cooks and pupils involved in design",
                    "At least 12 cooks and 60 pupils",
                    "Workshop records",
                ),
                ("Waste measured against a manual weigh", "Within 5%", "Weekly manual audits"),
            ],
            "gate": [
                (
                    "Accuracy",
                    "Pass: waste measured within 5% of a manual weigh in all three kitchens",
                ),
            ],
            "termination": [
                "Kitchen staff cannot use the solution in the time they have to serve lunch."
            ],
        },
        {
            "aims": "Run the solution for two school terms in up to 15 primary schools.",
            "targets": [
                (
                    "Food wasted per meal served",
                    "Down by 25% against each school's baseline",
                    "Daily measurements, checked by audit",
                ),
                (
                    "Pupils taking a school lunch",
                    "No fewer than before the pilot",
                    "Catering service records",
                ),
            ],
            "gate": [
                (
                    "Food waste",
                    "Pass: down by at least 25% against the baseline, with no fall "
                    "in the number of pupils taking a school lunch",
                ),
            ],
            "termination": [
                "Pupils eat less of their lunch, or fewer take one, because of the solution."
            ],
        },
        maxima=("60000", "150000"),
    ),
    "purchase": {
        "max_cost": Decimal("450000"),
        "scope": "The solution in every primary school kitchen of Kingsmead School Meals for "
        "three years.",
        # 3 partners x (60,000 + 150,000) + 450,000 = 1,080,000.
        "estimated_value": Decimal("1100000"),
    },
    "performance": [
        ("Food wasted per meal served", "No more than 50 grams on average"),
        ("Surplus food passed on safely rather than thrown away", "At least 80% of it"),
    ],
    # Four requests for three places.
    "timetable": {"number_to_invite": 3},
}

FOOD_WASTE_REQUESTS = [
    {
        "lead": "supplier-e@example.org",
        "answers": {
            RD: (
                "Our software team of 15 includes two registered dietitians and a data "
                "scientist who forecasts demand for hospital meals; our research with the "
                "University of Salford on how children choose food on screens was published in "
                "2025."
            ),
            INNOVATION: (
                "A morning meal choice on the classroom whiteboard, with pictures for children "
                "who cannot yet read, used by 22 primary schools in Salford: over-production "
                "fell by 31% in a year. Referee: the city council's school catering manager."
            ),
        },
        "evaluator": {
            INSURED: (True, "Certificates for both covers provided."),
            RD: (4, "A strong team with published research on children's choices."),
            INNOVATION: (
                4,
                "Live in 22 schools with a measured fall in over-production; it does not yet "
                "measure plate waste.",
            ),
        },
        "consensus": {
            INSURED: (True, "Both covers evidenced by current certificates."),
            RD: (4, "Agreed: strong, relevant research capability."),
            INNOVATION: (
                5,
                "Raised from 4 at moderation: the Salford results were measured against a "
                "baseline and checked by the council, the best evidence received.",
            ),
        },
    },
    {
        "lead": "supplier-b@example.org",
        "member": (
            "supplier-d@example.org",
            "Same-day collection of surplus food in its vans and delivery to community pantries",
            25,
        ),
        "answers": {
            RD: (
                "We run community fridges and an anaerobic digester serving 40 schools in "
                "Lewisham and Greenwich; with London South Bank University we studied which "
                "surplus food community groups can use. Kingsmead Care and Repair would run "
                "collections with its vans and drivers."
            ),
            INNOVATION: (
                "A surplus food route that collects from 14 supermarkets and 9 school kitchens "
                "each afternoon and stocks six community fridges by 5pm, with every batch "
                "traced: 62 tonnes passed on in 2025. Referee: the borough's food poverty lead."
            ),
        },
        "evaluator": {
            INSURED: (True, "Certificates for both covers provided."),
            RD: (
                3,
                "Practical research on redistribution; less on reducing waste in the kitchen.",
            ),
            INNOVATION: (4, "A live, traced surplus route that already includes schools."),
        },
        "consensus": {
            INSURED: (True, "Both covers evidenced for the lead and the member."),
            RD: (3, "Agreed: credible on redistribution, thinner on prevention."),
            INNOVATION: (4, "Agreed: the route is in use and its records are good."),
        },
    },
    {
        "lead": "supplier-a@example.org",
        "answers": {
            RD: (
                "Our six researchers design low-cost sensors and the software around them; "
                "with the University of Kingsmead's computer vision group we trained a model "
                "that recognises food types in a bin to within 8% by weight."
            ),
            INNOVATION: (
                "A weighing station for the University of Kingsmead's refectory that tells "
                "the chef each day which dishes come back uneaten; waste fell by 18% in a "
                "term. Referee: the university's head of catering."
            ),
        },
        "evaluator": {
            INSURED: (True, "Certificates for both covers provided."),
            RD: (
                4,
                "Sound sensing and computer vision research with a local university.",
            ),
            INNOVATION: (
                3,
                "A real result, but in a university refectory, not with young children.",
            ),
        },
        "consensus": {
            INSURED: (True, "Both covers evidenced by current certificates."),
            RD: (4, "Agreed: the strongest sensing capability received."),
            INNOVATION: (
                3,
                "Agreed: proven in catering, not yet in a primary school at lunchtime.",
            ),
        },
    },
    {
        "lead": "supplier-c@example.org",
        "answers": {
            RD: (
                "Our two data scientists built the meal ordering tool a hospital trust uses "
                "on its wards; we have no research on schools or children's food."
            ),
            INNOVATION: (
                "Ward meal ordering on a tablet at the bedside, which cut the meals the trust "
                "throws away by 12%. Referee: the trust's head of facilities."
            ),
        },
        "evaluator": {
            INSURED: (True, "Certificates for both covers provided."),
            RD: (3, "Capable forecasting, all of it in hospitals."),
            INNOVATION: (2, "A measured result, in a setting far from a school kitchen."),
        },
        "consensus": {
            INSURED: (True, "Both covers evidenced by current certificates."),
            RD: (
                2,
                "Lowered from 3 at moderation: no research with children or schools, and no "
                "research partner named.",
            ),
            INNOVATION: (2, "Agreed: relevant idea, different setting."),
        },
    },
]

FOOD_WASTE_SHORTLIST_REASON = (
    "The three highest-ranked requests, the number the invitation to tender announced. "
    "Homeward Health Technologies ranked fourth: its experience is in hospitals, with no "
    "research with children or schools."
)
FOOD_WASTE_DECISION_REASON = "Checked the marks and the moderation reasons. Confirmed."

# The initial tenders, sealed in round 1 before its deadline: answers to the criteria that are
# not price (by criterion kind), a price per phase within the maxima announced (£60,000 and
# £150,000), the background IP each brings, and a file.
FOOD_WASTE_PROPOSALS = {
    "supplier-e@example.org": {
        "answers": {
            "quality": (
                "Pupils choose their lunch on the classroom whiteboard at registration, with "
                "pictures, and the kitchen sees the numbers for each dish by 9.45am. Research "
                "(16 weeks): co-design with cooks and a pupil panel in three schools, and the "
                "link to the schools' register. Pilot (26 weeks): up to 15 schools, with "
                "waste weighed by the kitchen staff once a day."
            ),
            "social_value": (
                "Two apprenticeships in software development for Kingsmead residents aged 18 "
                "to 24, and lessons on food and waste for Year 5 pupils in every pilot school."
            ),
        },
        "prices": {"1": "52000", "2": "138000"},
        "background_ip": (
            "The meal choice software (our copyright since 2022), licensed to the borough for "
            "the partnership's term at no charge."
        ),
        "file": ("Method statement.txt", "Method statement: morning choice, forecast, weigh."),
    },
    "supplier-b@example.org": {
        "answers": {
            "quality": (
                "A surplus food route for school kitchens: cooks log what is left by 1.30pm, "
                "Kingsmead Care and Repair collects it by 3pm and it is in community fridges "
                "by 5pm, traced batch by batch. Research: three schools and two fridges. Pilot: "
                "up to 15 schools and six fridges."
            ),
            "social_value": (
                "Six volunteering places a term for parents, and food for the borough's "
                "holiday activity clubs in the summer holidays."
            ),
        },
        "prices": {"1": "47500", "2": "124000"},
        "background_ip": "None: everything is developed in the partnership.",
        "file": ("Surplus route.txt", "Surplus route: collection times, fridges, records."),
    },
    "supplier-a@example.org": {
        "answers": {
            "quality": (
                "A weighing station at each kitchen's scraping point, with a camera over the "
                "bin that recognises what is thrown away; the cook reads each dish's waste on "
                "a tablet the next morning and adjusts the quantities."
            ),
            "social_value": "Work experience for Year 10 pupils from two Kingsmead schools.",
        },
        "prices": {"1": "58000", "2": "146500"},
        "background_ip": (
            "The weighing station's design and recognition model (our copyright); the borough "
            "receives a licence to use them during the partnership and on the purchase."
        ),
        "file": ("Station design.txt", "Station design: scales, camera, tablet report."),
    },
}

# The lead officer's notes of the negotiation on the opened initial tenders, with two of the
# tenderers: (the tenderer's admin, the kind of note, its text).
FOOD_WASTE_NOTES = [
    (
        "supplier-e@example.org",
        NoteKind.MEETING_RECORD,
        "Met on Teams with Northway's product lead and dietitian, the head of Kingsmead School "
        "Meals and the lead officer. The borough asked how Reception and Year 1 pupils, and "
        "pupils with special educational needs, would choose; Northway described its picture "
        "menus and a mode for teaching assistants. The borough asked for the pilot price to be "
        "broken down by school. Northway will address both in its tender after negotiation.",
    ),
    (
        "supplier-e@example.org",
        NoteKind.NOTE,
        "Northway's initial tender assumes every school can send its register by 9.30am. The "
        "borough will tell all tenderers, in a change notice, how many schools can.",
    ),
    (
        "supplier-a@example.org",
        NoteKind.MEETING_RECORD,
        "Met at the civic centre with Assistive Robotics' research lead, the borough's data "
        "protection officer and the head of Kingsmead School Meals. The borough is concerned "
        "that a camera over the bin at the scraping point could record pupils' faces or "
        "hands, which the minimum requirements forbid. Assistive Robotics proposed a camera "
        "inside the bin lid, pointing down, and will show it with an outline data protection "
        "impact assessment in its tender after negotiation.",
    ),
    (
        "supplier-a@example.org",
        NoteKind.NOTE,
        "Asked Assistive Robotics to confirm that a station needs no more than a 13 amp socket "
        "and fits a standard 240-litre bin; the borough will tell all tenderers what the "
        "kitchens have.",
    ),
]

FOOD_WASTE_CHANGE_NOTICE = {
    "parts": [ChangePart.SPECIFICATION, ChangePart.PHASE_PLAN],
    "text": (
        "Questions raised in negotiation are answered here for every tenderer. The minimum "
        "requirements and the award criteria do not change.\n"
        "1. Pilot schools: the pilot will run in 12 primary schools, not up to 15: the nine "
        "whose kitchens serve more than 300 lunches a day and three smaller schools. The "
        "research phase may use the kitchens of Marsh Lane Primary, St Anne's CE Primary and "
        "Eastfield Community Primary.\n"
        "2. Registers and meal choices: 41 of the 58 schools use one school information system, "
        "which can send the morning register and each pupil's meal choice to an approved "
        "application from 9.30am; the other 17 can export the same data as a daily file. No "
        "other pupil data will be shared.\n"
        "3. Kitchens: every pilot kitchen has a 13 amp socket within two metres of its scraping "
        "point, and school Wi-Fi; none has room for equipment larger than a 240-litre bin.\n"
        "Only a tenderer that submits a tender in round 2 takes part in later rounds."
    ),
}

# The tender after negotiation that Northway has already submitted in round 2, answering the
# change notice (its social value and background IP as in its initial tender); the other two
# tenderers have not resubmitted yet.
_NORTHWAY_INITIAL = FOOD_WASTE_PROPOSALS["supplier-e@example.org"]
FOOD_WASTE_RESUBMISSIONS = {
    "supplier-e@example.org": {
        **_NORTHWAY_INITIAL,
        "answers": {
            **_NORTHWAY_INITIAL["answers"],
            "quality": (
                "Pupils choose their lunch on the classroom whiteboard at registration, with "
                "picture menus for Reception and Year 1 and a mode in which a teaching "
                "assistant chooses with a pupil. The 41 schools on the shared system send the "
                "register at 9.30am; the other 17 upload the daily file from the office. "
                "Research (16 weeks): three named schools. Pilot (26 weeks): the 12 schools, "
                "priced school by school in the attached schedule."
            ),
        },
        "prices": {"1": "49500", "2": "129000"},
        "file": ("Pilot price by school.txt", "Pilot price by school: 12 schools, 26 weeks."),
    },
}
