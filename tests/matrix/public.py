"""Permission-matrix entries: the public opportunities list and an opportunity's page.

Both are for everyone, signed in or not. The session that skipped the authenticator app
(officer_password_only) is signed out and sent to sign in from every page, these included,
as from the public home page. That an unpublished procurement is a 404 for everyone is
checked in tests/procurements/test_public_opportunities.py.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.permission_matrix import Entry, PatternInfo, outcomes


def sample_public_procurement(personas):
    """A procurement of borough A whose call is published and open."""
    from django.utils import timezone

    from tests.procurements.publication_samples import published_opportunity

    now = timezone.now()
    return published_opportunity(
        personas,
        title="Falls at home",
        closes=now + timedelta(days=30),
        questions_until=now + timedelta(days=10),
    )


def _public_kwargs(personas, info: PatternInfo) -> dict[str, Any]:
    return {"pk": sample_public_procurement(personas).pk}


ENTRIES = [
    Entry("opportunities:list", outcomes(200), why="Anyone may look for opportunities."),
    Entry(
        "opportunities:detail",
        outcomes(200),
        kwargs=_public_kwargs,
        why="A published procurement is public, whoever asks.",
    ),
]
