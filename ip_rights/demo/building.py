"""Building a demo procurement from its plan through the builder's services, section by
section, as the lead officer's pages do; then approval by the approver and publication.

A plan is a dict with the sections' content: ``challenge``, ``market_gap``, ``requirements``,
``criteria``, ``phases``, ``purchase``, ``performance``, and optionally ``selection`` (the
selection questionnaire; the borough's standard one otherwise) and ``timetable`` (what
differs from the usual timetable).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.models import Borough, User
from ip_rights.services import ip_terms_save
from partners.services import selection_question_add, selection_questionnaire_mark
from procurements.models import PriceFormula, Procurement, ScoringScale
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
from procurements.services.criteria import (
    procurement_award_settings_save,
    procurement_criterion_add,
    procurement_subcriterion_add,
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

from .common import timetable
from .falls import FALLS_IP_TERMS, FALLS_SELECTION


def procurement_completed(
    *,
    borough: Borough,
    officer: User,
    approver: User,
    evaluator: User,
    today: date,
    title: str,
    plan: dict,
) -> Procurement:
    """Every section completed from ``plan``, then submitted for approval by the lead officer.
    The IP terms are the borough's standard ones."""
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
    for question in plan.get("selection", FALLS_SELECTION):
        selection_question_add(actor=officer, procurement=procurement, data=question)
    selection_questionnaire_mark(actor=officer, procurement=procurement, completed=True)
    procurement_timetable_save(
        actor=officer,
        procurement=procurement,
        completed=True,
        **{**timetable(today), **plan.get("timetable", {})},
    )
    award_criteria_save(officer, procurement, plan["criteria"])
    phase_plan_save(officer, procurement, plan)
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


def procurement_published(*, officer: User, approver: User, procurement: Procurement):
    """Approved by the approver and published by the lead officer: version 1, the UK4 tender
    notice and the ITT (rendered at once with the development settings)."""
    procurement_approve(
        actor=approver, procurement=procurement, comments="Clear outcomes. Approved."
    )
    return procurement_publish(actor=officer, procurement=procurement)


def award_criteria_save(officer: User, procurement: Procurement, criteria: list) -> None:
    """The criteria of ``criteria`` (kind, name, weight, description, sub-criteria), scored on
    the 0 to 5 scale with price scored as the lowest price over the tender's price."""
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


def phase_plan_save(officer: User, procurement: Procurement, plans: dict) -> None:
    """The phases with their targets, instalments, gate criteria and termination conditions,
    the purchase terms and the performance levels of the final purchase."""
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
                actor=officer, phase=phase, metric=metric, threshold=threshold, evidence=evidence
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
            gate_criterion_add(actor=officer, phase=phase, criterion=criterion, threshold=threshold)
        for condition in plan["termination"]:
            termination_condition_add(actor=officer, phase=phase, condition=condition)
    purchase_terms_save(actor=officer, procurement=procurement, **plans["purchase"])
    for metric, level in plans["performance"]:
        performance_level_add(actor=officer, procurement=procurement, metric=metric, level=level)
    phase_plan_mark(actor=officer, procurement=procurement, completed=True)
