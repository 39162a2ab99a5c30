"""The officer's Stages page: every partner's progress through every phase at once.

The same data three ways: a table (partners as rows, phases as columns, each cell the state
and its dates), a Gantt-like timeline and a funnel of the partners still in each phase, both
drawn as SVG images whose text equivalent is the table (WCAG 2.2 1.1.1 and 1.4.1: every bar
carries its state in words, not in colour alone).

The page loads the procurement with ``procurement_for_view`` (404 for anyone who may not know
it: suppliers, other boroughs) and is for the borough's officers, approvers and
administrators (403 for its other people).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from procurements.views.common import procurement_for_view

from .models import GateAssessor, ParticipationStatus, StageParticipation
from .selectors_progress import Progress, can_see_progress, progress_get

BOROUGH_ONLY = "Only the borough's officers, approvers and administrators see the stages."

# GOV.UK colours per state, with a text colour that contrasts with each (4.5:1 or better).
STATE_COLOURS = {
    ParticipationStatus.NOT_STARTED: ("#f3f2f1", "#0b0c0c"),
    ParticipationStatus.IN_PROGRESS: ("#1d70b8", "#ffffff"),
    ParticipationStatus.UNDER_REVIEW: ("#ffdd00", "#0b0c0c"),
    ParticipationStatus.PASSED: ("#00703c", "#ffffff"),
    ParticipationStatus.TERMINATED: ("#d4351c", "#ffffff"),
}
NO_RECORD = ("#ffffff", "#0b0c0c")
TAGS = {
    ParticipationStatus.NOT_STARTED: "govuk-tag--grey",
    ParticipationStatus.IN_PROGRESS: "govuk-tag--blue",
    ParticipationStatus.UNDER_REVIEW: "govuk-tag--yellow",
    ParticipationStatus.PASSED: "govuk-tag--green",
    ParticipationStatus.TERMINATED: "govuk-tag--red",
}

WIDTH = 960
NAME_WIDTH = 240
HEADER = 40
ROW = 40
BAR = 28
GAP = 4
COUNT_WIDTH = 120


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    fill: str
    ink: str
    label: str

    @property
    def text_x(self) -> int:
        return self.x + self.width // 2

    @property
    def text_y(self) -> int:
        return self.y + self.height // 2 + 5


@dataclass(frozen=True)
class Label:
    x: int
    y: int
    text: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    labels: list[Label]
    bars: list[Bar]


def _short(text: str, most: int = 28) -> str:
    return text if len(text) <= most else f"{text[: most - 1]}…"


def _columns(progress: Progress) -> list[tuple[int, int]]:
    """Each phase's x and width: proportional to its announced weeks (one week each when a
    phase gives none), across the chart after the names."""
    weeks = [phase.duration_weeks or 1 for phase in progress.phases]
    total = sum(weeks) or 1
    span = WIDTH - NAME_WIDTH
    columns, x = [], NAME_WIDTH
    for count in weeks:
        width = span * count // total
        columns.append((x, width))
        x += width
    return columns


def timeline_chart(progress: Progress) -> Chart:
    """One row per partner, one bar per phase, coloured by state and labelled with it."""
    columns = _columns(progress)
    labels = [
        Label(x=x + GAP, y=HEADER - 14, text=_short(phase.name, max(4, width // 9)))
        for phase, (x, width) in zip(progress.phases, columns, strict=True)
    ]
    bars = []
    for row, partner in enumerate(progress.partners):
        y = HEADER + row * ROW
        labels.append(Label(x=0, y=y + BAR // 2 + 5, text=_short(partner.name)))
        for cell, (x, width) in zip(partner.cells, columns, strict=True):
            fill, ink = STATE_COLOURS.get(cell.status, NO_RECORD)
            bars.append(Bar(x + GAP, y, max(width - 2 * GAP, 1), BAR, fill, ink, cell.status_label))
    return Chart(WIDTH, HEADER + len(progress.partners) * ROW, labels, bars)


def funnel_chart(progress: Progress) -> Chart:
    """One bar per phase, as long as the share of partners still in it, followed by the
    number in words."""
    most = len(progress.partners) or 1
    span = WIDTH - NAME_WIDTH - COUNT_WIDTH
    labels, bars = [], []
    for row, step in enumerate(progress.funnel):
        y = row * ROW
        labels.append(Label(x=0, y=y + BAR // 2 + 5, text=_short(step.phase.name)))
        width = max(span * step.still_in // most, 1)
        bars.append(Bar(NAME_WIDTH, y, width, BAR, "#1d70b8", "#ffffff", ""))
        count = f"{step.still_in} partner{'' if step.still_in == 1 else 's'}"
        labels.append(Label(x=NAME_WIDTH + width + 8, y=y + BAR // 2 + 5, text=count))
    return Chart(WIDTH, max(len(progress.funnel) * ROW, ROW), labels, bars)


def table_rows(progress: Progress) -> list[dict]:
    """The table's rows: each partner with its cells and their tag classes."""
    return [
        {
            "partner": partner,
            "cells": [
                {"cell": cell, "tag": TAGS.get(cell.status, "govuk-tag--grey")}
                for cell in partner.cells
            ],
        }
        for partner in progress.partners
    ]


def assessor_seat(user, procurement) -> GateAssessor | None:
    """The user's seat at a gate of ``procurement``: the latest phase with a partner under
    review, else the latest phase they were named for; None if they assess no gate."""
    seats = GateAssessor.objects.filter(phase__procurement=procurement, user=user).annotate(
        waiting=Exists(
            StageParticipation.objects.filter(
                phase=OuterRef("phase"), status=ParticipationStatus.UNDER_REVIEW
            )
        )
    )
    return seats.order_by("-waiting", "-phase__order", "-pk").first()


@login_required
@require_GET
def progress(request, pk: int):
    """Every partner's progress through every phase: table, timeline and funnel."""
    procurement = procurement_for_view(request, pk)
    if not can_see_progress(request.user, procurement):
        seat = assessor_seat(request.user, procurement)
        if seat is None:
            raise PermissionDenied(BOROUGH_ONLY)
        # A gate's assessor follows the task list's "Stages" link to the gate they assess.
        return redirect("stages:gate", pk=procurement.pk, phase_pk=seat.phase_id)
    found = progress_get(user=request.user, procurement=procurement)
    return render(
        request,
        "stages/progress/page.html",
        {
            "procurement": procurement,
            "caption": f"{procurement.reference} {procurement.title}",
            "page_title": f"Stages – {procurement.title}",
            "progress": found,
            "rows": table_rows(found),
            "timeline": timeline_chart(found),
            "funnel": funnel_chart(found),
        },
    )
