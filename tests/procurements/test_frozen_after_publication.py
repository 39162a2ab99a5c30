"""What is announced is frozen at publication: no builder section service changes a published
procurement, its pages refuse as they do for anything but a draft, and an amendment cannot
reach the minimum requirements or the award criteria (PCR 2015 reg. 31; RULES.md points 1, 5)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent
from ip_rights.models import IPTerms
from ip_rights.services import ip_terms_save
from partners.models import SelectionQuestion
from partners.services import (
    selection_question_add,
    selection_question_change,
    selection_question_remove,
    selection_questionnaire_mark,
)
from procurements.models import (
    Amendment,
    AwardCriterion,
    AwardSubCriterion,
    MinimumRequirement,
    ProcurementStatus,
)
from procurements.services import builder, criteria, requirements
from procurements.services.amendments import NEVER_AMENDED_MESSAGE, procurement_amend
from procurements.services.sections import procurement_section_mark
from stages import services as stages
from stages.models import (
    GateCriterion,
    InstalmentScheduleItem,
    IntermediateTarget,
    PerformanceLevel,
    Phase,
    PurchaseTerms,
    TerminationCondition,
)
from tests import factories
from tests.procurements.test_amendments import published_procurement

pytestmark = pytest.mark.django_db

# States after publication: the call is open, later steps, and a cancelled one.
AFTER_PUBLICATION = [
    ProcurementStatus.PUBLISHED,
    ProcurementStatus.SELECTION,
    ProcurementStatus.NEGOTIATION,
    ProcurementStatus.CANCELLED,
]


class Published:
    """A published procurement of borough A, led by officer A, with a row of every section."""

    def __init__(self, personas, status):
        self.personas = personas
        self.procurement = published_procurement(personas, status=status)
        p = self.procurement
        self.requirement = MinimumRequirement.objects.get(procurement=p)
        self.criterion = AwardCriterion.objects.filter(procurement=p).first()
        self.subcriterion = AwardSubCriterion.objects.create(
            criterion=self.criterion, name="Methodology"
        )
        self.phase = factories.phase_with_a_row_of_each_kind(p)
        self.target = self.phase.targets.get()
        self.instalment = self.phase.instalments.get()
        self.gate_criterion = self.phase.gate_criteria.get()
        self.condition = self.phase.termination_conditions.get()
        self.terms = PurchaseTerms.objects.get(procurement=p)
        self.level = self.terms.performance_levels.get()
        self.ip_terms = IPTerms.objects.create(procurement=p, foreground_owner="partner")
        self.question = SelectionQuestion.objects.create(
            procurement=p,
            kind="scored",
            topic="rd_capability",
            text="Describe your research and development team",
            weight=100,
        )


def _actor(f: Published):
    return f.personas.officer_a  # the lead officer, a procurement officer of the borough


# Every write a builder section offers, as (name, call). Each call changes something.
WRITES = {
    # procurements: the challenge, market gap, timetable, team and the completed answers
    "challenge": lambda f: builder.procurement_challenge_save(
        actor=_actor(f), procurement=f.procurement, completed=False, problem="Changed",
        outcomes="o", outcome_measures="m", users_affected="u", sector="health_care",
        cpv_codes=["85000000-9"],
    ),
    "market gap": lambda f: builder.procurement_market_gap_save(
        actor=_actor(f), procurement=f.procurement, completed=False, market_gap="Changed",
        market_engagement_evidence="",
    ),
    "timetable": lambda f: builder.procurement_timetable_save(
        actor=_actor(f), procurement=f.procurement, completed=False, regime="pcr2015",
        notice_date=None, question_deadline=None, participation_deadline=None,
        indicative_tender_date=None, max_partners=5, number_to_invite=6,
    ),
    "team": lambda f: builder.procurement_team_save(
        actor=_actor(f), procurement=f.procurement, completed=False,
        lead_officer=f.personas.officer_a, approver=None, evaluators=[],
    ),
    "section mark": lambda f: procurement_section_mark(
        actor=_actor(f), procurement=f.procurement, key="challenge", completed=True
    ),
    # minimum requirements
    "requirement add": lambda f: requirements.procurement_requirement_add(
        actor=_actor(f), procurement=f.procurement, text="A new requirement"
    ),
    "requirement change": lambda f: requirements.procurement_requirement_change(
        actor=_actor(f), requirement=f.requirement, text="Changed"
    ),
    "requirement remove": lambda f: requirements.procurement_requirement_remove(
        actor=_actor(f), requirement=f.requirement
    ),
    "requirements mark": lambda f: requirements.procurement_requirements_mark(
        actor=_actor(f), procurement=f.procurement, completed=False
    ),
    # award criteria and sub-criteria
    "criterion add": lambda f: criteria.procurement_criterion_add(
        actor=_actor(f), procurement=f.procurement, kind="social_value", name="S", weight=10
    ),
    "criterion change": lambda f: criteria.procurement_criterion_change(
        actor=_actor(f), criterion=f.criterion, kind="quality", name="Q", weight=70
    ),
    "criterion remove": lambda f: criteria.procurement_criterion_remove(
        actor=_actor(f), criterion=f.criterion
    ),
    "subcriterion add": lambda f: criteria.procurement_subcriterion_add(
        actor=_actor(f), criterion=f.criterion, name="Team"
    ),
    "subcriterion remove": lambda f: criteria.procurement_subcriterion_remove(
        actor=_actor(f), subcriterion=f.subcriterion
    ),
    "award settings": lambda f: criteria.procurement_award_settings_save(
        actor=_actor(f), procurement=f.procurement, scoring_scale="0-10",
        price_formula="difference_from_lowest",
    ),
    # stages: the phase plan and the final purchase
    "phase add": lambda f: stages.phase_add(
        actor=_actor(f), procurement=f.procurement, kind="pilot", name="Pilot"
    ),
    "phase change": lambda f: stages.phase_change(actor=_actor(f), phase=f.phase, name="Changed"),
    "phase remove": lambda f: stages.phase_remove(actor=_actor(f), phase=f.phase),
    "target add": lambda f: stages.target_add(
        actor=_actor(f), phase=f.phase, metric="Alerts", threshold="99%"
    ),
    "target remove": lambda f: stages.target_remove(actor=_actor(f), target=f.target),
    "instalment add": lambda f: stages.instalment_add(
        actor=_actor(f), phase=f.phase, share_percent=Decimal("10"), weeks_after_start=8
    ),
    "instalment remove": lambda f: stages.instalment_remove(
        actor=_actor(f), instalment=f.instalment
    ),
    "gate criterion add": lambda f: stages.gate_criterion_add(
        actor=_actor(f), phase=f.phase, criterion="Cost", threshold="Under budget"
    ),
    "gate criterion remove": lambda f: stages.gate_criterion_remove(
        actor=_actor(f), criterion=f.gate_criterion
    ),
    "termination condition add": lambda f: stages.termination_condition_add(
        actor=_actor(f), phase=f.phase, condition="Stops reporting"
    ),
    "termination condition remove": lambda f: stages.termination_condition_remove(
        actor=_actor(f), condition=f.condition
    ),
    "purchase terms": lambda f: stages.purchase_terms_save(
        actor=_actor(f), procurement=f.procurement, max_cost=Decimal("1"), scope="Changed"
    ),
    "performance level add": lambda f: stages.performance_level_add(
        actor=_actor(f), procurement=f.procurement, metric="Uptime", level="99.9%"
    ),
    "performance level remove": lambda f: stages.performance_level_remove(
        actor=_actor(f), level=f.level
    ),
    "phase plan mark": lambda f: stages.phase_plan_mark(
        actor=_actor(f), procurement=f.procurement, completed=False
    ),
    # ip_rights: the IP terms
    "ip terms": lambda f: ip_terms_save(
        actor=_actor(f), procurement=f.procurement, data={"foreground_owner": "borough"},
        completed=False,
    ),
    # partners: the selection questionnaire
    "selection question add": lambda f: selection_question_add(
        actor=_actor(f), procurement=f.procurement,
        data={"kind": "pass_fail", "topic": "rd_capability", "text": "Are you insured?"},
    ),
    "selection question change": lambda f: selection_question_change(
        actor=_actor(f), question=f.question, data={"text": "Changed"}
    ),
    "selection question remove": lambda f: selection_question_remove(
        actor=_actor(f), question=f.question
    ),
    "selection questionnaire mark": lambda f: selection_questionnaire_mark(
        actor=_actor(f), procurement=f.procurement, completed=False
    ),
}  # fmt: skip


# What each section's rows look like, to show that a refused write left them alone.
def snapshot(f: Published) -> dict:
    p = f.procurement
    procurement = type(p).objects.get(pk=p.pk)
    return {
        "procurement": [
            getattr(procurement, name)
            for name in (
                "problem", "market_gap", "regime", "max_partners", "lead_officer_id",
                "approver_id", "scoring_scale", "price_formula", "section_status",
                "estimated_value",
            )
        ],
        "requirements": list(MinimumRequirement.objects.filter(procurement=p).values()),
        "criteria": list(AwardCriterion.objects.filter(procurement=p).values()),
        "subcriteria": list(AwardSubCriterion.objects.filter(criterion__procurement=p).values()),
        "phases": list(Phase.objects.filter(procurement=p).values()),
        "targets": list(IntermediateTarget.objects.filter(phase__procurement=p).values()),
        "instalments": list(InstalmentScheduleItem.objects.filter(phase__procurement=p).values()),
        "gates": list(GateCriterion.objects.filter(phase__procurement=p).values()),
        "conditions": list(TerminationCondition.objects.filter(phase__procurement=p).values()),
        "terms": list(PurchaseTerms.objects.filter(procurement=p).values()),
        "levels": list(PerformanceLevel.objects.filter(purchase_terms__procurement=p).values()),
        "ip": list(IPTerms.objects.filter(procurement=p).values("foreground_owner")),
        "questions": list(SelectionQuestion.objects.filter(procurement=p).values()),
    }  # fmt: skip


@pytest.mark.parametrize("status", AFTER_PUBLICATION)
@pytest.mark.parametrize("write", sorted(WRITES))
def test_no_builder_service_changes_a_published_procurement(personas, status, write):
    published = Published(personas, status)
    before = snapshot(published)
    events = AuditEvent.objects.count()

    with pytest.raises(PermissionRefused, match="only while it is a draft"):
        WRITES[write](published)

    assert snapshot(published) == before
    assert AuditEvent.objects.count() == events


def test_every_builder_write_is_covered_and_works_on_a_draft(personas):
    """The list above is complete, and each write really changes a draft (so a refusal
    after publication is the state's doing, not a broken call)."""
    for write, call in sorted(WRITES.items()):
        draft = Published(personas, ProcurementStatus.DRAFT)
        before = snapshot(draft)
        call(draft)
        assert snapshot(draft) != before, f"{write} changed nothing on a draft"


# -- the pages ---------------------------------------------------------------------------------


def section_urls(f: Published) -> list[str]:
    pk = f.procurement.pk
    phase = {"pk": pk, "phase_pk": f.phase.pk}
    names = [
        ("procurements:challenge", {"pk": pk}),
        ("procurements:market-gap", {"pk": pk}),
        ("procurements:timetable", {"pk": pk}),
        ("procurements:team", {"pk": pk}),
        ("procurements:minimum-requirements", {"pk": pk}),
        ("procurements:minimum-requirement-add", {"pk": pk}),
        (
            "procurements:minimum-requirement-change",
            {"pk": pk, "requirement_pk": f.requirement.pk},
        ),
        (
            "procurements:minimum-requirement-remove",
            {"pk": pk, "requirement_pk": f.requirement.pk},
        ),
        ("procurements:award-criteria", {"pk": pk}),
        ("procurements:award-criterion-add", {"pk": pk}),
        ("procurements:award-criterion-change", {"pk": pk, "criterion_pk": f.criterion.pk}),
        ("procurements:award-criterion-remove", {"pk": pk, "criterion_pk": f.criterion.pk}),
        ("procurements:award-subcriterion-add", {"pk": pk, "criterion_pk": f.criterion.pk}),
        (
            "procurements:award-subcriterion-remove",
            {"pk": pk, "criterion_pk": f.criterion.pk, "subcriterion_pk": f.subcriterion.pk},
        ),
        ("stages:phase-plan", {"pk": pk}),
        ("stages:phase-add", {"pk": pk}),
        ("stages:phase-detail", phase),
        ("stages:phase-change", phase),
        ("stages:phase-remove", phase),
        ("stages:phase-item-add", {**phase, "item": "targets"}),
        ("stages:purchase-terms", {"pk": pk}),
        ("stages:performance-level-add", {"pk": pk}),
        ("ip_rights:ip-terms", {"pk": pk}),
        ("partners:selection-questionnaire", {"pk": pk}),
        ("partners:selection-question-add", {"pk": pk}),
        ("partners:selection-question-change", {"pk": pk, "question_pk": f.question.pk}),
        ("partners:selection-question-remove", {"pk": pk, "question_pk": f.question.pk}),
    ]
    return [reverse(name, kwargs=kwargs) for name, kwargs in names]


def post_only_urls(f: Published) -> list[str]:
    pk = f.procurement.pk
    return [
        reverse(
            "stages:phase-item-remove",
            kwargs={"pk": pk, "phase_pk": f.phase.pk, "item": "targets", "item_pk": f.target.pk},
        ),
        reverse("stages:performance-level-remove", kwargs={"pk": pk, "level_pk": f.level.pk}),
    ]


@pytest.mark.parametrize("who, status_code", [("officer_a", 403), ("officer_b", 404)])
def test_the_section_pages_of_a_published_procurement_refuse(personas, login, who, status_code):
    published = Published(personas, ProcurementStatus.PUBLISHED)
    before = snapshot(published)
    client = login(getattr(personas, who))

    get_only = reverse(
        "stages:phase-detail",
        kwargs={"pk": published.procurement.pk, "phase_pk": published.phase.pk},
    )
    for url in section_urls(published):
        assert client.get(url).status_code == status_code, url
        if url != get_only:
            posted = client.post(url, {"completed": "yes", "text": "x"})
            assert posted.status_code == status_code, url
    for url in post_only_urls(published):
        assert client.post(url).status_code == status_code, url

    assert snapshot(published) == before


def test_the_task_list_of_a_published_procurement_links_to_no_section_page(personas, login):
    published = Published(personas, ProcurementStatus.PUBLISHED)

    page = login(personas.officer_a).get(published.procurement.get_absolute_url()).content
    page = page.decode()

    for url in section_urls(published):
        assert f'href="{url}"' not in page

    # The same check finds the section pages on a draft's task list.
    draft = Published(personas, ProcurementStatus.DRAFT)
    page = login(personas.officer_a).get(draft.procurement.get_absolute_url()).content.decode()
    linked = [url for url in section_urls(draft) if f'href="{url}"' in page]
    assert len(linked) >= 9, linked


# -- amendments cannot reach them --------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"minimum_requirements": ["Works with a wearable"]},
        {"award_criteria": [{"name": "Q", "weight": 90}]},
        {"award_sub_criteria": [{"name": "Team"}]},
        {"weights": [90, 10]},
        {"scoring_scale": "0-10"},
        {"price_formula": "difference_from_lowest"},
    ],
)
def test_an_amendment_cannot_change_minimum_requirements_or_award_criteria(personas, changes):
    published = Published(personas, ProcurementStatus.PUBLISHED)
    before = snapshot(published)

    with pytest.raises(ApplicationError) as refused:
        procurement_amend(
            actor=personas.officer_a,
            procurement=published.procurement,
            changes={**changes, "problem": "Also a new problem."},
            reason="They must change.",
        )

    assert refused.value.message == NEVER_AMENDED_MESSAGE
    assert "cancel this procurement and start a new one" in refused.value.message
    assert snapshot(published) == before
    assert not Amendment.objects.exists()
