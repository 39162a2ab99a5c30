"""Print how long a stage-gate report takes to render (run with `make benchmark`).

Renders the report of a phase with 10 partners, each with 4 intermediate targets, 4 gate
criteria marked with reasons and 2 instalments, and the letter to one partner, through
``render_pdf`` (WeasyPrint, PDF/UA-1) as the worker does, from a context shaped as
``stages.documents_gate`` freezes it. Needs no database. Prints figures only.
"""

import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from benchmarks.run import line  # noqa: E402

REPEAT = 5
PARTNERS = 10
CRITERIA = 4
REASON = (
    "The partner's final report shows the monitoring ran in every pilot home for the whole "
    "phase; the incident log matches the alerts sent, and the interviews with carers back it."
)


def _money(paid: str) -> dict:
    return {
        "cap": "£75,000.00",
        "committed": "£75,000.00",
        "claimed": "£0.00",
        "approved": "£0.00",
        "paid": paid,
        "withheld": "£0.00",
    }


def partner(number: int, *, decided: bool) -> dict:
    terminated = number % 3 == 0
    return {
        "name": f"Partner {number} Ltd",
        "reference": f"BEN-2026-001-P{number}",
        "consortium_members": [],
        "state": "decided" if decided else "awaiting",
        "state_label": "Decided at this gate"
        if decided
        else "Awaiting its gate decision: under review at the gate",
        "started_on": "1 June 2026",
        "review_requested_at": "24 August 2026 at 5pm",
        "targets": [
            {
                "metric": f"Target {t}: homes monitored without a gap",
                "threshold": "At least 20",
                "evidence": "The monitoring log",
                "value": f"{18 + t} homes",
                "note": "Measured over the last four weeks",
            }
            for t in range(1, 5)
        ],
        "marks": [
            {
                "criterion": f"Criterion {c}",
                "threshold": "6 or more out of 10",
                "score": 4 if terminated else 7,
                "meets": not terminated,
                "reason": REASON,
                "evidence_reference": "Final report, section 2",
            }
            for c in range(1, CRITERIA + 1)
        ],
        "recommendation": "does_not_meet" if terminated else "meets",
        "decision": {
            "outcome": "Terminate this partner" if terminated else "Pass to the next phase",
            "terminated": terminated,
            "condition": "An intermediate target of the phase is not met" if terminated else "",
            "reason": REASON,
            "decided_at": "1 September 2026 at 10am",
            "decided_by": "Approver A",
            "recommendation_meets": not terminated,
            "is_this": number == PARTNERS,
        }
        if decided
        else None,
        "phase_money": _money("£30,000.00"),
        "contract_money": {**_money("£30,000.00"), "cap": "£225,000.00"},
        "instalments": [
            {
                "milestone": "Interim report accepted",
                "amount": "£30,000.00",
                "claimed": "£30,000.00",
                "status": "Paid",
                "paid_on": "20 July 2026",
                "reason": "",
            },
            {
                "milestone": "Final report accepted",
                "amount": "£45,000.00",
                "claimed": "",
                "status": "Scheduled",
                "paid_on": "",
                "reason": "",
            },
        ],
    }


def common() -> dict:
    return {
        "borough": "Benchmark Borough",
        "reference": "BEN-2026-001",
        "procurement_title": "Falls prevention at home",
        "phase": {
            "name": "Research and prototype",
            "order": 1,
            "kind": "Research",
            "aims": "Show that falls can be detected within a minute in real homes.",
            "max_remuneration": "£80,000.00",
        },
        "decided_at": "1 September 2026 at 10am",
        "decision_date": "1 September 2026",
        "decided_by": "Approver A",
        "score_maximum": 10,
    }


def bench(name: str, template: str, context: dict) -> None:
    from pypdf import PdfReader

    from core.documents import render_pdf

    runs, pdf = [], b""
    for _ in range(REPEAT):
        start = time.perf_counter()
        pdf = render_pdf(template=template, context=context)
        runs.append(time.perf_counter() - start)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    seconds = statistics.median(runs)
    line(
        f"{name} ({pages} pages, {len(pdf) / 1024:,.0f} KiB)",
        f"{seconds:.2f} s ({seconds / pages * 1000:.0f} ms/page)",
    )


def main() -> None:
    partners = [partner(n, decided=n > PARTNERS // 2) for n in range(1, PARTNERS + 1)]
    this = partners[-1]
    report = {
        **common(),
        "version": PARTNERS - PARTNERS // 2,
        "decision": {**this["decision"], "partner": this["name"]},
        "partners": partners,
        "decided_count": PARTNERS - PARTNERS // 2,
        "awaiting_count": PARTNERS // 2,
    }
    letter = {
        **common(),
        "organisation": this["name"],
        "consortium_members": [],
        "partner": this,
    }
    print(f"Stage-gate report rendering (WeasyPrint, PDF/UA-1), median of {REPEAT} renders")
    bench(
        f"report: {PARTNERS} partners, {CRITERIA} criteria, 4 targets each",
        "stages/documents/gate_report.html",
        report,
    )
    bench("letter: one partner's part", "stages/documents/gate_letter.html", letter)


if __name__ == "__main__":
    main()
