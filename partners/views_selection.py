"""The borough's selection dashboard: the requests to participate in a procurement.

Before the participation deadline the borough learns only how many requests have been
submitted. After it: each request received with its flags, each evaluator's progress, every
evaluator's weighted score beside the consensus once moderated, what disqualifies a request,
and the proposed or confirmed shortlist. A constant number of queries whatever the number of
requests, questions or evaluators.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from core.calendar import london_date
from procurements.permissions import is_lead_officer
from procurements.sections import uk_datetime_text
from procurements.views.common import procurement_for_view

from .permissions_selection import (
    can_decide_exclusions,
    can_decide_shortlist,
    can_moderate,
    can_see_selection_dashboard,
    in_selection,
)
from .selectors_assessment import (
    assessed_requests,
    evaluator_progress,
    evaluators_of,
    live_shortlist,
    ranking,
)
from .selectors_selection import requests_open_to_the_borough, submitted_count
from .submission import published_questions


@login_required
def selection(request, pk: int):
    """404 for anyone who may not see the procurement in the builder; a named evaluator is
    sent to their own page (they do not see the others' scores)."""
    procurement = procurement_for_view(request, pk)
    if not can_see_selection_dashboard(request.user, procurement):
        return redirect("partners:selection-assess", pk=procurement.pk)
    is_open = requests_open_to_the_borough(procurement)
    context = {
        "page_title": f"Requests to participate – {procurement.title}",
        "procurement": procurement,
        "is_open": is_open,
        "deadline": uk_datetime_text(procurement.participation_deadline),
    }
    if not is_open:
        context["count"] = submitted_count(procurement)
        return render(request, "partners/selection/requests.html", context)
    questions = published_questions(procurement)
    rows = assessed_requests(
        procurement=procurement, on=london_date(timezone.now()), questions=questions
    )
    evaluators = evaluators_of(procurement)
    ranked = ranking(rows, questions)
    rank_of = {candidate.request_id: position for position, candidate in ranked}
    live = live_shortlist(procurement)
    context.update(
        {
            "count": len(rows),
            "rows": [
                {
                    "row": row,
                    "moderated": row.moderated(questions),
                    "waiting": len(row.to_be_completed_by([e.pk for e in evaluators])),
                    "rank": rank_of.get(row.request.pk),
                    "why_not": row.disqualified_because(questions),
                    "side_by_side": [
                        {
                            "evaluator": evaluator,
                            "review": row.reviews.get(evaluator.pk),
                            "total": row.evaluator_totals.get(evaluator.pk),
                        }
                        for evaluator in evaluators
                    ],
                }
                for row in rows
            ],
            "evaluators": evaluators,
            "progress": evaluator_progress(evaluators, rows),
            "in_selection": in_selection(procurement),
            "may_moderate": can_moderate(request.user, procurement, live=live is not None),
            "may_decide_exclusions": can_decide_exclusions(
                request.user, procurement, live=live is not None
            ),
            "is_lead": is_lead_officer(request.user, procurement),
            "live": live,
            "may_decide": live is not None and can_decide_shortlist(request.user, live),
            "qualifying": len(ranked),
        }
    )
    return render(request, "partners/selection/requests.html", context)
