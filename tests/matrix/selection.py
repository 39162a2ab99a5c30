"""Permission-matrix entries: the borough's page of requests to participate."""

from __future__ import annotations

from tests.permission_matrix import LOGIN, Entry, outcomes


def _kwargs(personas, info):
    from tests.procurements.publication_samples import published_opportunity

    return {"pk": published_opportunity(personas).pk}


ENTRIES: list = [
    Entry(
        "partners:selection",
        outcomes(
            404,
            officer_a=200,
            approver_a=200,
            evaluator_a=404,  # not named on it: evaluators are invited per procurement
            borough_admin_a=200,
            anonymous=LOGIN,
        ),
        kwargs=_kwargs,
        why="Whoever sees the procurement in the builder sees the requests page; before the "
        "deadline it shows only how many were submitted.",
    ),
]
