"""The partner's own R&D phases on one page (RULES.md points 8 to 10; PCR 2015 reg. 31(2) and
(7)): every partnership of its organisation, whatever its state, with what it must do next,
each phase in order with its state, dates, aims and intermediate targets, its gate result and
letter, its instalments and payments against the agreed price, the contract's money, and the
purchase decision; consortium members see the same, read-only. An administrator of the
partner's organisation submits the phase in progress for review at its gate with the phase's
final report (``views_deliverables``), claims instalments (``views_instalments``) and may
withdraw (``views_purchase``).

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

from .models import DeliverableKind
from .selectors_money import partner_money_list
from .selectors_partner import PartnerPhases, partner_participation_get, partner_phases_list
from .selectors_purchase import purchase_for_partner
from .selectors_reports import partner_letters
from .services_participation import can_submit_for_review
from .views_instalments import TAGS as INSTALMENT_TAGS
from .views_progress import TAGS

TEMPLATES = "stages/partner"
ADMIN_ONLY = "Only an administrator of the partner's organisation submits its phase for review."


def _sections(user, found: list[PartnerPhases]) -> list[dict]:
    """Each partnership with its phases (each with its tag, its instalments and its gate
    letter), its money, its purchase decision and what the partner must do next. The money,
    letters and purchase decisions are read once for all the partnerships."""
    money = {entry.money.partnership.pk: entry for entry in partner_money_list(user=user)}
    letters = partner_letters(user, [entry.partnership.pk for entry in found])
    purchases = purchase_for_partner(user=user)
    sections = []
    for entry in found:
        partnership = entry.partnership
        purchase = purchases.get(partnership.pk)
        own_money = money.get(partnership.pk)
        phase_money = (
            {row.participation.pk: row for row in own_money.money.phases} if own_money else {}
        )
        claimable = own_money.claimable_ids if own_money else set()
        sections.append(
            {
                "entry": entry,
                "purchase": purchase,
                "next_step": entry.next_step(purchase),
                "money": own_money.money if own_money else None,
                "claimable": claimable,
                "rows": [
                    {
                        "row": row,
                        "tag": TAGS[row.participation.status],
                        "money": phase_money.get(row.participation.pk),
                        "letter": letters.get(row.participation.pk),
                    }
                    for row in entry.phases
                ],
            }
        )
    return sections


@login_required
@require_GET
def partner_phases(request):
    """Every partnership of the user's organisation with its phases, gates and money."""
    membership = supplier_membership_get(user=request.user)
    if membership is None:
        raise Http404("Only suppliers have R&D phases")
    return render(
        request,
        f"{TEMPLATES}/phases.html",
        {
            "page_title": "Your R&D phases",
            "organisation": membership.organisation,
            "partnerships": _sections(request.user, partner_phases_list(user=request.user)),
            "tags": INSTALMENT_TAGS,
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
