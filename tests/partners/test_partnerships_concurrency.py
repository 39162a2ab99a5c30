"""The lead officer pressing "Enter the contracts" twice at the same moment (two tabs), on
real PostgreSQL connections: one partnership per partner, one contract details notice."""

import pytest
from django.utils import timezone

from core.calendar import london_date
from core.models import AuditEvent
from partners.models import AwardStatus, Partnership
from partners.services_partnerships import contracts_enter
from procurements.models import Notice, NoticeKind
from tests.partners.award_samples import in_standstill, standstill_over
from tests.partners.test_tender_box_concurrency import at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_entering_the_contracts_twice_at_once_enters_them_once(
    personas, media_root, bank_holidays, mailoutbox
):
    decision = standstill_over(in_standstill(personas, max_partners=2))
    signed_on = london_date(timezone.now())

    results, refused, errors = at_once(
        lambda actor: [
            p.pk for p in contracts_enter(actor=actor, decision=decision, signed_on=signed_on)
        ],
        [personas.officer_a, personas.officer_a],
    )

    assert errors == []
    assert len(results) == 1 and len(refused) == 1
    assert Partnership.objects.filter(procurement=decision.procurement).count() == 2
    assert Notice.objects.filter(procurement=decision.procurement, kind=NoticeKind.UK7).count() == 1
    assert AuditEvent.objects.filter(action="partners.contracts_entered").count() == 1
    decision.refresh_from_db()
    assert decision.status == AwardStatus.CONTRACTED
