"""Print how long the invitation to tender takes to render (run with `make benchmark`).

Renders the ITT template with a version's context through ``render_pdf`` (WeasyPrint,
PDF/UA-1), as the worker does, for the demo's "Falls prevention at home" and for a long
procurement (many requirements, criteria, phases and targets), with the page count of
each. Uses a throw-away PostgreSQL database (`portal_benchmark_itt`) and the test settings.
Prints figures only.
"""

import io
import os
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from benchmarks.run import line, throwaway_database  # noqa: E402

REPEAT = 3


def itt_context(procurement) -> dict:
    from procurements.services.publication import publication_content

    return {
        **publication_content(procurement),
        "version_number": 1,
        "version_reason": "",
        "published_date": "1 June 2026",
        "first_published_date": "1 June 2026",
    }


def bench(name: str, procurement) -> None:
    from pypdf import PdfReader

    from core.documents import render_pdf

    context = itt_context(procurement)
    runs, pdf = [], b""
    for _ in range(REPEAT):
        start = time.perf_counter()
        pdf = render_pdf(template="procurements/documents/itt.html", context=context)
        runs.append(time.perf_counter() - start)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    seconds = statistics.median(runs)
    line(
        f"{name} ({pages} pages, {len(pdf) / 1024:,.0f} KiB)",
        f"{seconds:.2f} s ({seconds / pages * 1000:.0f} ms/page)",
    )


def main() -> None:
    with throwaway_database("portal_benchmark_itt"):
        from core.models import OfficerRole
        from ip_rights.demo.falls import (
            FALLS_CRITERIA,
            FALLS_REQUIREMENTS,
        )
        from tests import factories
        from tests.procurements.publication_samples import announced_procurement, long_phases

        borough = factories.BoroughFactory(name="Benchmark Borough", slug="benchmark-itt")
        people = SimpleNamespace(
            borough_a=borough,
            officer_a=factories.officer(borough, OfficerRole.OFFICER),
            approver_a=factories.officer(borough, OfficerRole.APPROVER),
        )
        demo = announced_procurement(people)
        quality, price, social = FALLS_CRITERIA
        long = announced_procurement(
            people,
            title="A long procurement",
            requirements=[
                f"{text} (variant {n})" for n in range(15) for text in FALLS_REQUIREMENTS
            ],
            criteria=[
                (quality[0], f"{quality[1]}, part {n}", 6, quality[3], quality[4] * 2)
                for n in range(10)
            ]
            + [price, social],
            phases=long_phases(count=10, rows=10),
        )

        print(f"ITT rendering (WeasyPrint, PDF/UA-1), median of {REPEAT} renders")
        bench("demo: Falls prevention at home", demo)
        bench("long: 45 requirements, 12 criteria, 10 phases x 10 rows", long)


if __name__ == "__main__":
    main()
