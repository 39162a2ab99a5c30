"""The final purchase: the lead officer records a partner's result against every performance
level agreed in its contract and the price; the purchase is refused where a level is not met
or the price is above the maximum cost agreed, and the borough may decline to buy with its
reasons instead (RULES.md points 10 and 11; PCR 2015 reg. 31(2)). Only once the partner has
passed every phase, once, by the lead officer; the partnership ends purchased or completed and
the procurement closes when none remains active."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent
from partners.models import Partnership, PartnershipStatus
from procurements.models import Procurement, ProcurementStatus
from stages.models import ParticipationStatus, PurchaseDecision, PurchaseOutcome
from stages.services_purchase import purchase_decline, purchase_record
from tests.stages.gate_samples import passed, under_review
from tests.stages.purchase_samples import all_phases_passed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]

BOUGHT = "stages.purchase_bought"
DECLINED = "stages.purchase_declined"
MAXIMUM = Decimal("900000")
RESULTS = [
    {"measured": "97% within a minute", "met": True},
    {"measured": "0.4 a week per home", "met": True},
]


@pytest.fixture
def personas(shared_personas):
    """The module's personas: its sample is built once (tests/stages/conftest.py)."""
    return shared_personas


@pytest.fixture
def sample(shared_sample):
    return shared_sample


@pytest.fixture
def reached(personas, sample):
    """Organisation A's partnership, every phase passed."""
    return all_phases_passed(personas, sample, personas.org_a)


def buy(actor, partnership, **overrides):
    arguments = {
        "results": RESULTS,
        "price": Decimal("850000"),
        "order_reference": "",
        "reason": "Every level met within the budget.",
        **overrides,
    }
    return purchase_record(actor=actor, partnership=partnership, **arguments)


def events(action, partnership) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, target_id=str(partnership.pk)))


def fresh(partnership) -> Partnership:
    return Partnership.objects.get(pk=partnership.pk)


def nothing_decided(partnership) -> None:
    assert not PurchaseDecision.objects.filter(partnership=partnership).exists()
    assert fresh(partnership).status == PartnershipStatus.ACTIVE


# --- buying -------------------------------------------------------------------------------------


def test_the_lead_officer_buys_a_result_that_meets_every_level_within_the_maximum(
    personas, sample, reached, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        decision = buy(personas.officer_a, reached, reason="  Every level met.  ")

    assert decision.outcome == PurchaseOutcome.BOUGHT
    assert decision.price == Decimal("850000")
    assert decision.order_reference == f"{sample.procurement.reference}-PO-1"
    assert decision.reason == "Every level met."
    assert decision.decided_by == personas.officer_a
    assert decision.results == [
        {
            "metric": "Falls detected",
            "level": "95% within a minute",
            "measured": "97% within a minute",
            "met": True,
        },
        {
            "metric": "False alarms",
            "level": "Under 1 a week per home",
            "measured": "0.4 a week per home",
            "met": True,
        },
    ]
    assert fresh(reached).status == PartnershipStatus.PURCHASED
    [event] = events(BOUGHT, reached)
    assert event.actor_id == personas.officer_a.pk
    assert event.data["order_reference"] == decision.order_reference
    assert event.data["price"] == "850000"
    assert event.data["reason"] == "Every level met."
    assert len(callbacks) == 1
    [message] = mailoutbox
    assert message.to == [personas.supplier_a_admin.email]
    assert "Your result is bought" in message.subject
    assert decision.order_reference in message.body
    assert "£850,000.00" in message.body


def test_nothing_is_sent_before_the_purchase_commits(
    personas, reached, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        buy(personas.officer_a, reached)
    assert mailoutbox == []
    assert len(callbacks) == 1


def test_a_refused_purchase_sends_nothing(
    personas, reached, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ApplicationError),
    ):
        buy(personas.officer_a, reached, price=MAXIMUM + 1)
    assert callbacks == []
    assert mailoutbox == []
    assert events(BOUGHT, reached) == []


def test_the_purchase_order_reference_given_is_kept_and_the_next_is_numbered(
    personas, sample, reached
):
    other = all_phases_passed(personas, sample, personas.org_b)
    first = buy(personas.officer_a, reached, order_reference=" PO/2026/17 ")
    second = buy(personas.officer_a, other)
    assert first.order_reference == "PO/2026/17"
    assert second.order_reference == f"{sample.procurement.reference}-PO-1"


def test_a_purchase_order_reference_already_used_is_refused(personas, sample, reached):
    other = all_phases_passed(personas, sample, personas.org_b)
    buy(personas.officer_a, reached, order_reference="PO-17")
    with pytest.raises(ApplicationError) as refused:
        buy(personas.officer_a, other, order_reference="PO-17")
    assert refused.value.extra["errors"]["order_reference"].startswith(
        "This purchase order reference is already used"
    )
    nothing_decided(other)


def test_generated_references_number_on_from_the_last(personas, sample, reached):
    other = all_phases_passed(personas, sample, personas.org_b)
    assert buy(personas.officer_a, reached).order_reference.endswith("-PO-1")
    assert buy(personas.officer_a, other).order_reference.endswith("-PO-2")


# --- the agreed levels and the maximum cost ---------------------------------------------------


@pytest.mark.parametrize(
    ("index", "metric", "level"),
    [(0, "Falls detected", "95% within a minute"), (1, "False alarms", "Under 1 a week per home")],
)
def test_a_result_below_an_agreed_level_cannot_be_bought(personas, reached, index, metric, level):
    results = [dict(result) for result in RESULTS]
    results[index]["met"] = False
    with pytest.raises(ApplicationError) as refused:
        buy(personas.officer_a, reached, results=results)
    assert refused.value.message == (
        f"The result does not meet the agreed performance level for {metric} ({level}): it "
        "cannot be bought. You may decline to buy instead."
    )
    assert refused.value.extra["errors"] == {f"met_{index}": refused.value.message}
    nothing_decided(reached)
    assert events(BOUGHT, reached) == []


def test_a_price_above_the_maximum_cost_is_refused_and_says_the_maximum(personas, reached):
    with pytest.raises(ApplicationError) as refused:
        buy(personas.officer_a, reached, price=MAXIMUM + Decimal("0.01"))
    assert refused.value.message == (
        "The price is above the maximum cost agreed in the contract, £900,000.00: the result "
        "cannot be bought at this price"
    )
    assert list(refused.value.extra["errors"]) == ["price"]
    nothing_decided(reached)


def test_a_price_of_exactly_the_maximum_cost_is_accepted(personas, reached):
    decision = buy(personas.officer_a, reached, price=MAXIMUM)
    assert decision.price == MAXIMUM
    assert fresh(reached).status == PartnershipStatus.PURCHASED


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"price": None}, "price", "Enter the price of the purchase"),
        ({"price": Decimal("0")}, "price", "Enter a price above £0"),
        ({"reason": "  "}, "reason", "Give your reasons for buying"),
        (
            {"results": [{"measured": " ", "met": True}, RESULTS[1]]},
            "measured_0",
            "Enter the measured value for Falls detected",
        ),
        (
            {"results": [RESULTS[0], {"measured": "0.4", "met": None}]},
            "met_1",
            "Select whether the result meets the agreed performance level for False alarms",
        ),
    ],
)
def test_missing_input_is_refused_naming_the_field(personas, reached, overrides, field, message):
    with pytest.raises(ApplicationError) as refused:
        buy(personas.officer_a, reached, **overrides)
    assert refused.value.extra["errors"] == {field: message}
    nothing_decided(reached)


def test_a_result_for_each_agreed_level_is_needed(personas, reached):
    with pytest.raises(ApplicationError, match="each of the 2 agreed performance levels"):
        buy(personas.officer_a, reached, results=RESULTS[:1])
    nothing_decided(reached)


def test_every_problem_is_named_at_once(personas, reached):
    results = [{"measured": "", "met": False}, RESULTS[1]]
    with pytest.raises(ApplicationError) as refused:
        buy(personas.officer_a, reached, results=results, price=MAXIMUM * 2, reason="")
    assert set(refused.value.extra["errors"]) == {"measured_0", "met_0", "price", "reason"}


def test_a_contract_with_no_maximum_cost_cannot_be_bought(personas, reached):
    Partnership.objects.filter(pk=reached.pk).update(purchase_max_cost=None)
    with pytest.raises(ApplicationError, match="agreed no maximum cost"):
        buy(personas.officer_a, fresh(reached))
    nothing_decided(reached)


# --- source states ------------------------------------------------------------------------------


def test_a_partner_in_its_first_phase_has_not_reached_the_purchase(personas, sample):
    partnership = sample.partnership_of(personas.org_a)
    for call in (
        lambda: buy(personas.officer_a, partnership),
        lambda: purchase_decline(actor=personas.officer_a, partnership=partnership, reason="No."),
    ):
        with pytest.raises(ApplicationError) as refused:
            call()
        assert refused.value.message.startswith(
            f"{partnership.reference} has not passed every phase"
        )
    nothing_decided(partnership)


@pytest.mark.parametrize(
    "last", [ParticipationStatus.IN_PROGRESS, ParticipationStatus.UNDER_REVIEW]
)
def test_a_partner_whose_last_phase_is_not_passed_has_not_reached_the_purchase(
    personas, sample, last
):
    passed(personas, sample, personas.org_a, 1)  # which starts phase 2
    if last == ParticipationStatus.UNDER_REVIEW:
        under_review(sample, personas.org_a, 2)
    second = sample.participation(personas.org_a, 2)
    assert second.status == last
    partnership = fresh(second.partnership)
    with pytest.raises(ApplicationError, match="has not passed every phase"):
        buy(personas.officer_a, partnership)
    nothing_decided(partnership)


@pytest.mark.parametrize("first", ["buy", "decline"])
def test_a_second_decision_is_refused(personas, reached, first):
    if first == "buy":
        buy(personas.officer_a, reached)
        outcome = "bought"
    else:
        purchase_decline(actor=personas.officer_a, partnership=reached, reason="Too dear.")
        outcome = "not bought"
    for call in (
        lambda: buy(personas.officer_a, reached),
        lambda: purchase_decline(actor=personas.officer_a, partnership=reached, reason="No."),
    ):
        with pytest.raises(ApplicationError) as refused:
            call()
        assert refused.value.message == (
            f"The purchase decision on {reached.reference} has already been made ({outcome}): "
            "it cannot be made again."
        )
    assert PurchaseDecision.objects.filter(partnership=reached).count() == 1


def test_a_partnership_that_ended_otherwise_cannot_be_bought(personas, reached):
    from stages.services_withdrawal import partnership_withdraw

    partnership_withdraw(actor=personas.supplier_a_admin, partnership=reached, reason="We stop.")
    with pytest.raises(ApplicationError) as refused:
        buy(personas.officer_a, reached)
    assert refused.value.message == (
        f"{reached.reference}'s contract has ended (terminated): there is no purchase to decide."
    )


# --- roles --------------------------------------------------------------------------------------

NOT_LEAD = [
    "approver_a",
    "evaluator_a",
    "borough_admin_a",
    "officer_b",
    "supplier_a_admin",
    "supplier_b_admin",
    "superuser",
]


@pytest.mark.parametrize("persona", NOT_LEAD)
def test_nobody_but_the_lead_officer_decides_the_purchase(personas, reached, persona):
    actor = getattr(personas, persona)
    with pytest.raises(PermissionRefused):
        buy(actor, reached)
    with pytest.raises(PermissionRefused):
        purchase_decline(actor=actor, partnership=reached, reason="No.")
    nothing_decided(reached)


def test_the_lead_officer_of_a_closed_procurement_decides_nothing(personas, reached):
    Procurement.objects.filter(pk=reached.procurement_id).update(status=ProcurementStatus.CLOSED)
    with pytest.raises(PermissionRefused):
        buy(personas.officer_a, fresh(reached))


# --- declining ----------------------------------------------------------------------------------


def test_the_borough_declines_to_buy_with_its_reasons(
    personas, reached, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decision = purchase_decline(
            actor=personas.officer_a, partnership=reached, reason=" The budget was withdrawn. "
        )
    assert decision.outcome == PurchaseOutcome.DECLINED
    assert decision.price is None
    assert decision.order_reference == ""
    assert decision.reason == "The budget was withdrawn."
    assert fresh(reached).status == PartnershipStatus.COMPLETED
    [event] = events(DECLINED, reached)
    assert event.actor_id == personas.officer_a.pk
    assert event.data["reason"] == "The budget was withdrawn."
    [message] = mailoutbox
    assert message.to == [personas.supplier_a_admin.email]
    assert "Your result is not bought" in message.subject
    assert "The budget was withdrawn." in message.body


def test_declining_needs_reasons(personas, reached, mailoutbox, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ApplicationError) as refused,
    ):
        purchase_decline(actor=personas.officer_a, partnership=reached, reason="   ")
    assert refused.value.extra["errors"] == {"reason": "Give your reasons for not buying"}
    nothing_decided(reached)
    assert events(DECLINED, reached) == []
    assert mailoutbox == []


# --- the end of the R&D part --------------------------------------------------------------------


def test_the_procurement_closes_when_the_last_partnership_is_decided(personas, sample, reached):
    other = all_phases_passed(personas, sample, personas.org_b)
    buy(personas.officer_a, reached)
    assert Procurement.objects.get(pk=sample.procurement.pk).status == ProcurementStatus.ACTIVE
    assert not AuditEvent.objects.filter(action="procurement.closed").exists()

    purchase_decline(actor=personas.officer_a, partnership=other, reason="One is enough.")

    assert Procurement.objects.get(pk=sample.procurement.pk).status == ProcurementStatus.CLOSED
    [closed] = AuditEvent.objects.filter(action="procurement.closed")
    assert closed.data["partnerships"] == {
        reached.reference: PartnershipStatus.PURCHASED,
        other.reference: PartnershipStatus.COMPLETED,
    }


def test_the_instalments_are_untouched_by_the_purchase(personas, reached):
    from stages.models import Instalment

    before = list(
        Instalment.objects.filter(participation__partnership=reached).values_list("pk", "status")
    )
    buy(personas.officer_a, reached)
    after = list(
        Instalment.objects.filter(participation__partnership=reached).values_list("pk", "status")
    )
    assert after == before
