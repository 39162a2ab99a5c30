"""Permission-matrix entries: the partner's own R&D phases (/procurements/my-phases/) and the
confirmation that submits its phase in progress for review."""

from __future__ import annotations

from typing import Any

from tests.matrix.stages_progress import sample_active_procurement
from tests.permission_matrix import LOGIN, Entry, PatternInfo, outcomes


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
        outcomes(404, supplier_a_admin=200, supplier_a_member=403, anonymous=LOGIN),
        kwargs=_participation_in_progress,
        why="Organisation A's phase in progress: its administrator confirms the submission; "
        "its other members get 403; another supplier, the consortium member of no request "
        "here and every officer 404.",
    ),
]
