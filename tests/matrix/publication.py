"""Permission-matrix entries: publication (versions, notices, the ITT).

The officer page is for whoever may see the procurement in the builder; the public
routes answer everyone alike for a published procurement (a procurement never published
is 404 for everyone there: tests/procurements/test_publication.py checks each persona).
"""

from __future__ import annotations

from typing import Any

from tests.permission_matrix import LOGIN, Entry, PatternInfo, outcomes


def sample_published(personas):
    """A published procurement of borough A, led by officer A, with version 1, its ready
    ITT (a small PDF file) and its UK4 tender notice."""
    from django.utils import timezone

    from procurements.models import Notice, NoticeKind, PublicationVersion
    from tests.factories import ProcurementFactory
    from tests.procurements.publication_samples import ready_itt

    procurement = ProcurementFactory(
        borough=personas.borough_a,
        lead_officer=personas.officer_a,
        status="published",
        published_at=timezone.now(),
        title="Falls at home",
    )
    version = PublicationVersion.objects.create(
        procurement=procurement, number=1, content={}, created_by=personas.officer_a
    )
    ready_itt(version)
    notice = Notice.objects.create(
        procurement=procurement,
        kind=NoticeKind.UK4,
        version=version,
        content={"title": "UK4 tender notice: Falls at home", "sections": []},
        created_by=personas.officer_a,
    )
    return procurement, notice


def _kwargs(personas, info: PatternInfo) -> dict[str, Any]:
    procurement, notice = sample_published(personas)
    values: dict[str, Any] = {"pk": procurement.pk}
    if "<int:notice_pk>" in info.route:
        values["notice_pk"] = notice.pk
    return values


ENTRIES: list = [
    Entry(
        "procurements:publication",
        outcomes(
            404,
            officer_a=200,
            approver_a=200,
            evaluator_a=404,  # not named on it: evaluators are invited per procurement
            borough_admin_a=200,
            anonymous=LOGIN,
        ),
        kwargs=_kwargs,
        why="Whoever sees the procurement in the builder; nobody else may know it exists.",
    ),
    Entry(
        "procurements:itt-retry",
        outcomes(405, anonymous=LOGIN),
        kwargs=_kwargs,
        why="Generating again is a POST; tests/procurements/test_publication.py checks who may.",
    ),
    Entry(
        "opportunities:itt-download",
        outcomes(200),
        kwargs=_kwargs,
        why="The ITT of a published procurement is public.",
    ),
    Entry(
        "opportunities:notice",
        outcomes(200),
        kwargs=_kwargs,
        why="The notices of a published procurement are public.",
    ),
]
