import pytest
from django.core.management import CommandError, call_command

from core.models import AuditEvent
from ip_rights.models import IPTerms
from partners.models import SelectionQuestion
from procurements.models import (
    AwardCriterion,
    MinimumRequirement,
    Procurement,
    ProcurementStatus,
    SectionStatus,
)
from procurements.registry import builder_sections
from procurements.rules import publication_breaches
from procurements.services.sections import section_status
from stages.models import InstalmentScheduleItem, Phase

FALLS = "Falls prevention at home"
HEATING = "Low-carbon heating for council homes"


@pytest.fixture
def demo(db, settings):
    settings.DEMO_ACCOUNTS_ENABLED = True
    call_command("seed_demo")


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Procurement,
            MinimumRequirement,
            AwardCriterion,
            SelectionQuestion,
            Phase,
            InstalmentScheduleItem,
            IPTerms,
            AuditEvent,
        )
    }


def test_demo_procurements_are_refused_outside_the_development_settings(db):
    with pytest.raises(CommandError, match="development settings"):
        call_command("seed_demo_procurements")
    assert not Procurement.objects.exists()


def test_demo_procurements_need_the_demo_officers_first(db, settings):
    settings.DEMO_ACCOUNTS_ENABLED = True
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("seed_demo_procurements")
    assert not Procurement.objects.exists()


def test_falls_prevention_is_complete_and_awaits_the_demo_approver(demo):
    procurement = Procurement.objects.get(title=FALLS)

    assert procurement.status == ProcurementStatus.AWAITING_APPROVAL
    assert procurement.borough.name == "London Borough of Kingsmead"
    assert procurement.lead_officer.email == "officer@example.org"
    assert procurement.created_by.email == "officer@example.org"
    assert procurement.approver.email == "approver@example.org"
    assert [user.email for user in procurement.evaluators.all()] == ["evaluator@example.org"]
    assert publication_breaches(procurement) == []
    for section in builder_sections():
        assert section_status(procurement, section.key) == SectionStatus.COMPLETED, section.key
    assert procurement.minimum_requirements.count() == 3
    assert sorted(procurement.award_criteria.values_list("kind", "weight")) == [
        ("price", 30),
        ("quality", 60),
        ("social_value", 10),
    ]
    assert [phase.kind for phase in procurement.phases.all()] == [
        "research",
        "development",
        "pilot",
    ]
    submitted = AuditEvent.objects.get(
        action="procurement.submitted_for_approval", target_id=str(procurement.pk)
    )
    assert submitted.actor.email == "officer@example.org"


def test_low_carbon_heating_is_a_draft_with_only_the_challenge_and_market_gap(demo):
    procurement = Procurement.objects.get(title=HEATING)

    assert procurement.status == ProcurementStatus.DRAFT
    assert procurement.problem and procurement.market_gap
    statuses = {
        section.key: section_status(procurement, section.key) for section in builder_sections()
    }
    assert statuses.pop("challenge") == SectionStatus.COMPLETED
    assert statuses.pop("market-gap") == SectionStatus.IN_PROGRESS
    assert set(statuses.values()) == {SectionStatus.NOT_STARTED}


def test_seed_demo_again_creates_no_procurement_nor_audit_event_and_the_chain_holds(demo):
    counts = _counts()

    call_command("seed_demo")

    assert _counts() == counts
    assert counts["Procurement"] == 2
    assert Procurement.objects.filter(title=FALLS).count() == 1
    call_command("verify_audit")
