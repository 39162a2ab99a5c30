"""The phase plan's database constraints hold whatever code writes the rows."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from stages.models import (
    InstalmentScheduleItem,
    Phase,
    PhaseKind,
    PurchaseTerms,
)
from tests.factories import ProcurementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def phase():
    procurement = ProcurementFactory()
    return Phase.objects.create(procurement=procurement, kind=PhaseKind.RESEARCH, name="Discovery")


def _refused(make) -> bool:
    try:
        with transaction.atomic():
            make()
    except IntegrityError:
        return True
    return False


def test_a_phase_of_zero_weeks_is_refused_by_the_database(phase):
    assert _refused(lambda: Phase.objects.filter(pk=phase.pk).update(duration_weeks=0))


def test_a_phase_paying_nothing_or_less_is_refused_by_the_database(phase):
    assert _refused(
        lambda: Phase.objects.filter(pk=phase.pk).update(max_remuneration_per_partner=0)
    )
    assert _refused(
        lambda: Phase.objects.filter(pk=phase.pk).update(max_remuneration_per_partner=-5)
    )


def test_a_phase_of_an_unknown_kind_is_refused_by_the_database(phase):
    assert _refused(lambda: Phase.objects.filter(pk=phase.pk).update(kind="marketing"))


def test_a_phase_may_be_saved_without_duration_or_remuneration_while_a_draft(phase):
    phase.full_clean()

    assert phase.duration_weeks is None
    assert phase.max_remuneration_per_partner is None


@pytest.mark.parametrize("share", [Decimal("0"), Decimal("-1"), Decimal("100.01")])
def test_an_instalment_share_outside_0_to_100_is_refused_by_the_database(phase, share):
    assert _refused(
        lambda: InstalmentScheduleItem.objects.create(
            phase=phase, weeks_after_start=2, share_percent=share
        )
    )


def test_an_instalment_of_the_whole_remuneration_is_accepted(phase):
    item = InstalmentScheduleItem.objects.create(
        phase=phase, milestone="Report accepted", share_percent=Decimal("100")
    )

    assert item.trigger == "Report accepted"


def test_an_instalment_needs_exactly_one_trigger(phase):
    assert _refused(lambda: InstalmentScheduleItem.objects.create(phase=phase, share_percent=50))
    assert _refused(
        lambda: InstalmentScheduleItem.objects.create(
            phase=phase, milestone="Prototype built", weeks_after_start=3, share_percent=50
        )
    )


def test_full_clean_explains_an_instalment_with_two_triggers(phase):
    item = InstalmentScheduleItem(
        phase=phase, milestone="Prototype built", weeks_after_start=3, share_percent=50
    )

    with pytest.raises(ValidationError) as raised:
        item.full_clean()

    assert "either a milestone or a number of weeks" in str(raised.value)


def test_an_instalment_due_some_weeks_after_the_start_says_so(phase):
    item = InstalmentScheduleItem(phase=phase, weeks_after_start=1, share_percent=10)

    assert item.trigger == "1 week after the phase starts"


def test_the_purchase_maximum_cost_must_be_positive():
    procurement = ProcurementFactory()

    assert _refused(lambda: PurchaseTerms.objects.create(procurement=procurement, max_cost=0))


def test_a_procurement_has_one_set_of_purchase_terms_at_most():
    procurement = ProcurementFactory()
    PurchaseTerms.objects.create(procurement=procurement, max_cost=1000)

    assert _refused(lambda: PurchaseTerms.objects.create(procurement=procurement, max_cost=2000))
