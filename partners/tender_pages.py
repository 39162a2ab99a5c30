"""What the supplier's pages of the tender box share: loading a proposal for its own
organisation (404 for anyone else), the page frame, the closed message by the server's clock,
task statuses, the problems that stop a submission linked to their pages, and a proposal's
content arranged for reading."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from core.models import SupplierRole
from procurements.sections import uk_datetime_text

from .evidence import size_text, type_label
from .models import Proposal, ProposalStatus
from .permissions_tenders import round_takes_proposals
from .selectors_tenders import (
    proposal_get,
)
from .tender_content import announced_phases, answerable_criteria, money

STATUS_TAGS = {
    ProposalStatus.DRAFT: "govuk-tag--grey",
    ProposalStatus.SUBMITTED: "govuk-tag--green",
    ProposalStatus.WITHDRAWN: "govuk-tag--orange",
}

NOT_STARTED = ("Not yet started", "govuk-tag govuk-tag--blue")
IN_PROGRESS = ("In progress", "govuk-tag govuk-tag--light-blue")
COMPLETED = ("Completed", "")
OPTIONAL = ("Optional", "")
CANNOT_START = ("Cannot start yet", "")


def posted(request):
    return request.POST if request.method == "POST" else None


def task_status(pair: tuple[str, str]) -> dict:
    return {
        "words": pair[0],
        "tag": pair[1],
        "cannot_start": pair is CANNOT_START,
    }


def proposal_or_404(request, pk: int) -> Proposal:
    proposal = proposal_get(user=request.user, pk=pk)
    if proposal is None:
        raise Http404("No such proposal")
    return proposal


def proposal_caption(proposal: Proposal) -> str:
    procurement = proposal.round.procurement
    return f"{procurement.reference} {procurement.title}"


def closed_message(proposal: Proposal) -> str:
    """Why the proposal cannot change now (the server's clock), or "" while it can."""
    tender_round = proposal.round
    if not round_takes_proposals(tender_round, now=timezone.now()):
        return (
            f"Tenders for this round closed at {uk_datetime_text(tender_round.deadline)} "
            "(UK time). Nothing can be changed, submitted or withdrawn after the deadline."
        )
    if proposal.status == ProposalStatus.WITHDRAWN:
        return (
            "This proposal has been withdrawn. Start it again from its task list before you "
            "change or submit it."
        )
    return ""


def render_page(request, template: str, proposal: Proposal, **context):
    closed = context.pop("closed", None)
    if closed is None:
        closed = closed_message(proposal)
    return render(
        request,
        f"partners/tenders/supplier/{template}",
        {
            "proposal": proposal,
            "procurement": proposal.round.procurement,
            "tender_round": proposal.round,
            "organisation": proposal.request.organisation,
            "caption": proposal_caption(proposal),
            "status_tag": STATUS_TAGS.get(proposal.status, ""),
            "deadline": uk_datetime_text(proposal.round.deadline),
            "closed": closed,
            "may_change": not closed,
            **context,
        },
    )


def organisation_admins(proposal: Proposal) -> list[str]:
    return [
        membership.user.get_full_name() or membership.user.email
        for membership in proposal.request.organisation.memberships.filter(
            role=SupplierRole.ADMIN, user__is_active=True
        )
        .select_related("user")
        .order_by("user__full_name", "user__email")
    ]


def problem_url(proposal: Proposal, what: str) -> str:
    kind, _, ident = what.partition(":")
    if kind == "answer":
        return reverse("tenders:answer", kwargs={"pk": proposal.pk, "criterion_pk": int(ident)})
    if kind == "price":
        return reverse("tenders:prices", kwargs={"pk": proposal.pk}) + f"#id_price_{ident}"
    return reverse("tenders:background-ip", kwargs={"pk": proposal.pk})


def problem_links(proposal: Proposal, problems) -> list[dict]:
    return [
        {"url": problem_url(proposal, what), "message": message, "what": what}
        for what, message in problems
    ]


def readable(proposal: Proposal, content: dict) -> dict:
    """The content of a proposal (working or submitted) arranged for reading, in page
    order, with links to the files where they can still be downloaded."""
    procurement = proposal.round.procurement
    answers = content.get("answers", {})
    prices = content.get("prices", {})
    return {
        "answers": [
            {
                "number": number,
                "criterion": criterion,
                "text": answers.get(str(criterion.pk), ""),
            }
            for number, criterion in enumerate(answerable_criteria(procurement), start=1)
        ],
        "prices": [
            {
                "phase": phase,
                "price": pounds(prices.get(str(phase.number), "")),
                "maximum": f"£{phase.maximum:,.2f}" if phase.maximum is not None else "",
            }
            for phase in announced_phases(procurement)
        ],
        "background_ip": content.get("background_ip", ""),
        "files": [
            {
                **file,
                "size_text": size_text(file.get("size", 0)),
                "type": type_label(file.get("content_type", "")),
                "url": reverse("tenders:file", kwargs={"pk": proposal.pk, "token": file["token"]}),
            }
            for file in content.get("files", [])
        ],
    }


def pounds(value: str) -> str:
    amount = money(value) if value else None
    return f"£{amount:,.2f}" if amount is not None else ""
