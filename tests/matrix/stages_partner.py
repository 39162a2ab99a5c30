"""Permission-matrix entries: the partner's own R&D phases (/procurements/my-phases/) and the
old confirmation address, which leads to the final report's form."""

from __future__ import annotations

from typing import Any

from tests.matrix.stages_progress import sample_active_procurement
from tests.permission_matrix import LOGIN, Entry, PatternInfo, Redirect, outcomes


def _participation_in_progress(personas, info: PatternInfo) -> dict[str, Any]:
    """Organisation A's participation in the first phase, in progress."""
    from stages.models import ParticipationStatus, StageParticipation

    procurement = sample_active_procurement(personas)
    participation = StageParticipation.objects.get(
        partnership__procurement=procurement,
        partnership__request__organisation=personas.org_a,
        status=ParticipationStatus.IN_PROGRESS,
    )
    return {"pk": participation.pk}


ENTRIES: list = [
    Entry(
        "stages:partner-phases",
        outcomes(404, suppliers=200, anonymous=LOGIN),
        why="Every supplier sees its own organisation's phases (none for most); officers use "
        "the procurement's Stages page and get 404.",
    ),
    Entry(
        "stages:partner-phase-submit",
        outcomes(
            404,
            supplier_a_admin=Redirect("/procurements/my-phases/"),
            supplier_a_member=403,
            anonymous=LOGIN,
        ),
        kwargs=_participation_in_progress,
        why="Organisation A's phase in progress: its administrator is sent to the final "
        "report's form, which moves the phase to review; its other members get 403; another "
        "supplier, the consortium member of no request here and every officer 404.",
    ),
]
