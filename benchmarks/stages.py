"""The pages that run the R&D phases, at 2 partners in 2 phases and at 10 partners in 4 phases:
queries and median time.

Each size is an active procurement made through the services as the tests make it
(``tests.stages.running_samples.running``): contracts entered, every partner in its first
phase with its instalments scheduled. The figures are for the real database (a throw-away
PostgreSQL database, the test settings).

    DJANGO_SETTINGS_MODULE=portal.settings.test .venv/bin/python benchmarks/stages.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.test.utils import teardown_test_environment

from benchmarks.run import line, page_figures, throwaway_database

SIZES = ((2, 2), (10, 4))


def _pages(sample) -> list[tuple[str, str, dict]]:
    """(label, URL name, kwargs) of each page measured, as the borough's officer sees it."""
    pk = sample.procurement.pk
    first = sample.phases[0].pk
    return [
        ("Stages (table, timeline, funnel)", "stages:progress", {"pk": pk}),
        ("Gate of the first phase", "stages:gate", {"pk": pk, "phase_pk": first}),
        ("Money", "stages:money", {"pk": pk}),
        ("Stage-gate reports", "stages:reports", {"pk": pk}),
        ("Purchase", "stages:purchase", {"pk": pk}),
    ]


# The partner's pages, as its organisation's administrator sees them.
PARTNER_PAGES = (
    ("Your R&D phases (one page)", "stages:partner-phases"),
    ("Your instalments and payments", "stages:partner-money"),
)


def _measure(partners: int, phases: int) -> None:
    from django.test import Client
    from django.urls import reverse

    from core.calendar import bank_holidays_seed
    from tests.conftest import make_personas
    from tests.signing_in import force_sign_in
    from tests.stages.running_samples import running

    bank_holidays_seed(first_year=2026, last_year=2028)
    personas = make_personas()
    sample = running(personas, partners=partners, phases=phases)
    client = Client()
    force_sign_in(client, personas.officer_a)
    for label, name, kwargs in _pages(sample):
        queries, seconds = page_figures(client, reverse(name, kwargs=kwargs))
        line(
            f"{label}, {partners} partners x {phases} phases",
            f"{queries} queries, {seconds * 1000:.0f} ms",
        )
    partner = Client()
    force_sign_in(partner, personas.supplier_a_admin)
    for label, name in PARTNER_PAGES:
        queries, seconds = page_figures(partner, reverse(name))
        line(f"{label}, {phases} phases", f"{queries} queries, {seconds * 1000:.0f} ms")


def main() -> None:
    print(f"R&D stage pages on PostgreSQL, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}")
    print("  (queries; median time over 7 requests, in-process client)")
    for partners, phases in SIZES:
        # A database per size: the personas are the same people each time.
        with throwaway_database(f"portal_benchmark_stages_{partners}"):
            _measure(partners, phases)
        teardown_test_environment()


if __name__ == "__main__":
    main()
