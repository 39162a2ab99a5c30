"""Two claims of one partner at the same moment, on real PostgreSQL connections: each service
locks the partnership row first, so the second sees the first's money and the caps hold."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from core.exceptions import ApplicationError
from stages.models import Instalment, InstalmentStatus
from stages.services_instalments import instalment_claim
from tests.stages.instalment_samples import EVIDENCE, instalments_of
from tests.stages.running_samples import running

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media_root", "bank_holidays"),
]


def at_once(calls) -> tuple[list, list, list]:
    """Run each call in its own thread and connection, released together; return what came
    back, the refusals and any other error."""
    barrier = threading.Barrier(len(calls))
    results, refused, errors = [], [], []

    def run(call):
        try:
            barrier.wait(timeout=10)
            results.append(call())
        except ApplicationError as refusal:
            refused.append(refusal)
        except Exception as error:  # reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, refused, errors


def test_two_claims_at_once_that_together_exceed_the_phase_cap_make_one_claim(personas):
    sample = running(personas)
    first, second = instalments_of(sample, personas.org_a)  # phase 1 agreed at £75,000

    def claim(instalment):
        return lambda: instalment_claim(
            actor=personas.supplier_a_admin,
            instalment=instalment,
            amount=Decimal("40000"),
            evidence=EVIDENCE,
        )

    results, refused, errors = at_once([claim(first), claim(second)])

    assert errors == []
    assert len(results) == 1 and len(refused) == 1
    assert "at most £35,000.00 can still be claimed" in refused[0].message
    claims = Instalment.objects.filter(
        pk__in=[first.pk, second.pk], status=InstalmentStatus.CLAIMED
    )
    assert claims.count() == 1
