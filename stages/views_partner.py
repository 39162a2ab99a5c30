"""The partner's own R&D phases (RULES.md points 8 and 9; PCR 2015 reg. 31(2) and (7)).

A supplier sees every active partnership of its organisation, each phase in order with its
state, dates, aims and intermediate targets, and what it must do next; consortium members
see the same, read-only. An administrator of the partner's organisation submits the phase
in progress for review at its gate with the phase's final report (``views_deliverables``).

Anyone without a supplier organisation (officers included: they use the procurement's
Stages page) gets 404; another supplier gets 404 for a participation that is not theirs;
a member who may not submit gets 403.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.selectors.accounts import supplier_membership_get

from .forms_partner import SubmitForReviewForm
from .models import DeliverableKind
from .selectors_partner import PartnerPhases, partner_participation_get, partner_phases_list
from .services_participation import can_submit_for_review
from .views_progress import TAGS

TEMPLATES = "stages/partner"
ADMIN_ONLY = "Only an administrator of the partner's organisation submits its phase for review."


def _sections(found: list[PartnerPhases]) -> list[dict]:
    """Each partnership with its phases, each phase's tag class and, on the phase its
    administrator may submit, the confirmation form (its ids unique on the page)."""
    return [
        {
            "entry": entry,
            "rows": [
                {
                    "row": row,
                    "tag": TAGS[row.participation.status],
                    "form": SubmitForReviewForm(auto_id=f"phase-{row.participation.pk}-%s")
                    if row.can_be_submitted
                    else None,
                }
                for row in entry.phases
            ],
        }
        for entry in found
    ]


@login_required
@require_GET
def partner_phases(request):
    """Every active partnership of the user's organisation with its phases."""
    membership = supplier_membership_get(user=request.user)
    if membership is None:
        raise Http404("Only suppliers have R&D phases")
    return render(
        request,
        f"{TEMPLATES}/phases.html",
        {
            "page_title": "Your R&D phases",
            "organisation": membership.organisation,
            "partnerships": _sections(partner_phases_list(user=request.user)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_phase_submit(request, pk: int):
    """A phase goes to review at its gate with its final report (the measured value of every
    target and its evidence): this address, once a confirmation, leads to that form."""
    participation = partner_participation_get(user=request.user, pk=pk)
    if participation is None:
        raise Http404("No such phase")
    if not can_submit_for_review(request.user, participation):
        raise PermissionDenied(ADMIN_ONLY)
    final_report = reverse("stages:partner-deliverable-add", kwargs={"pk": participation.pk})
    return redirect(f"{final_report}?kind={DeliverableKind.FINAL_REPORT.value}")
