"""A partner that has reached the final purchase, for the tests of the purchase and of the
partner's withdrawal.

``all_phases_passed(sample, organisation)`` passes every phase of ``organisation``'s
partnership in ``sample`` (a ``tests.stages.running_samples.Running``) at its gate, phase by
phase, through the participation's own transitions (submit for review, pass the gate, start
the next phase). This is the one place the tests make that state: once the gate-decision
service exists, swap its body for calls to that service and every test keeps working.
"""

from __future__ import annotations

from django.utils import timezone

from core.calendar import london_date
from partners.models import Partnership
from stages.models import ParticipationStatus, StageParticipation


def all_phases_passed(sample, organisation) -> Partnership:
    """Every phase of ``organisation``'s partnership passed at its gate, in order; returns
    the partnership, fresh from the database."""
    partnership = sample.partnership_of(organisation)
    now = timezone.now()
    participations = StageParticipation.objects.filter(partnership=partnership).order_by(
        "phase__order", "phase__pk"
    )
    for participation in participations:
        if participation.status == ParticipationStatus.NOT_STARTED:
            participation.start(on=london_date(now))
        participation.submit_for_review(at=now)
        participation.pass_gate(at=now)
        participation.save()
    return Partnership.objects.select_related("procurement", "request__organisation").get(
        pk=partnership.pk
    )
