"""The borough's page of the requests to participate in a procurement."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from core.calendar import london_date
from procurements.sections import uk_datetime_text
from procurements.views.common import procurement_for_view

from .selectors_selection import (
    requests_open_to_the_borough,
    requests_received,
    submitted_count,
)


@login_required
def selection(request, pk: int):
    """Before the deadline, how many requests are submitted; after it, each request received
    with its flags. 404 for anyone who may not see the procurement in the builder."""
    procurement = procurement_for_view(request, pk)
    is_open = requests_open_to_the_borough(procurement)
    rows = requests_received(procurement=procurement, on=london_date(timezone.now()))
    context = {
        "page_title": f"Requests to participate – {procurement.title}",
        "procurement": procurement,
        "is_open": is_open,
        "rows": rows,
        "count": len(rows) if is_open else submitted_count(procurement),
        "deadline": uk_datetime_text(procurement.participation_deadline),
    }
    return render(request, "partners/selection/requests.html", context)
