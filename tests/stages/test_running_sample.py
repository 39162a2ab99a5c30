"""The running sample the stage tests build on: contracts entered with every partner in the
first phase, each phase's agreed price on its participation and its instalments scheduled as
the announced shares of that price."""

from __future__ import annotations

from decimal import Decimal

import pytest

from stages.models import Instalment, InstalmentStatus, ParticipationStatus
from tests.stages.running_samples import running

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]


def test_contracts_schedule_each_phase_price_in_its_announced_instalments(personas):
    sample = running(personas)
    first = sample.participation(personas.org_a, 1)
    second = sample.participation(personas.org_a, 2)
    assert (first.status, second.status) == (
        ParticipationStatus.IN_PROGRESS,
        ParticipationStatus.NOT_STARTED,
    )
    partnership = sample.partnership_of(personas.org_a)
    prices = [Decimal(entry["price"]) for entry in partnership.phase_prices]
    assert [first.price, second.price] == prices
    assert first.price + second.price == partnership.total_price
    amounts = list(first.instalments.values_list("amount", flat=True))
    assert amounts == [first.price * Decimal("0.4"), first.price * Decimal("0.6")]
    assert set(Instalment.objects.values_list("status", flat=True)) == {InstalmentStatus.SCHEDULED}
    assert Instalment.objects.count() == 2 * 2 * 2  # partners x phases x instalments
    assert partnership.purchase_max_cost == Decimal("900000.00")
