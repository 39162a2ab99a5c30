"""A partner that has reached the final purchase, for the tests of the purchase and of the
partner's withdrawal.

``all_phases_passed(personas, sample, organisation)`` passes every phase of
``organisation``'s partnership in ``sample`` (a ``tests.stages.running_samples.Running``) at
its gate, phase by phase, through the services the pages call
(``tests.stages.gate_samples.passed``: the partner's final report, the assessors' marks, the
lead officer's moderation and the approver's pass, which starts the next phase).
"""

from __future__ import annotations

from partners.models import Partnership
from tests.stages.gate_samples import passed


def all_phases_passed(personas, sample, organisation) -> Partnership:
    """Every phase of ``organisation``'s partnership passed at its gate, in order; returns
    the partnership, fresh from the database."""
    for number in range(1, len(sample.phases) + 1):
        passed(personas, sample, organisation, number)
    partnership = sample.partnership_of(organisation)
    return Partnership.objects.select_related("procurement", "request__organisation").get(
        pk=partnership.pk
    )
