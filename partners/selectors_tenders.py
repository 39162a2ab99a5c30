"""What the supplier's tender pages read: the organisation's invitations to tender with its
proposals, one proposal (only for the people of its lead organisation), its files and
submissions, and a submission's content opened for its own organisation.

Each returns None where the user may not see the thing: the pages answer 404, so a proposal
of another supplier looks like one that does not exist.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.db.models import Max

from core.audit import audit_record
from core.models import SupplierMembership, User
from core.sealing import open_bytes

from .models import (
    ChangeNotice,
    ParticipationRequest,
    Proposal,
    ProposalFile,
    ProposalStatus,
    ProposalSubmission,
    ReductionEntry,
    RequestStatus,
    TenderRound,
)
from .permissions_tenders import proposal_organisation_member
from .services_tenders import box_key


def _organisation_ids(user: User) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        SupplierMembership.objects.filter(user=user).values_list("organisation_id", flat=True)
    )


def tender_invitations(*, user: User) -> list[dict[str, Any]]:
    """The rounds the user's organisations are invited to (as the lead of a shortlisted
    request), newest first, each with the organisation's proposal in it (or None) and the
    number of that proposal's latest submission. Five queries whatever the number of rounds
    and proposals."""
    organisations = _organisation_ids(user)
    if not organisations:
        return []
    requests = {
        request.procurement_id: request
        for request in ParticipationRequest.objects.filter(
            organisation_id__in=organisations, status=RequestStatus.SHORTLISTED
        ).select_related("organisation")
    }
    if not requests:
        return []
    rounds = list(
        TenderRound.objects.filter(procurement_id__in=requests)
        .select_related("procurement__borough")
        .order_by("-deadline", "-pk")
    )
    proposals = {
        (proposal.round_id, proposal.request_id): proposal
        for proposal in Proposal.objects.filter(
            round__in=rounds, request__in=requests.values()
        ).annotate(latest_number=Max("submissions__number"))
    }
    numbered = {(r.procurement_id, r.number): r for r in rounds}
    reduced_out = set(
        ReductionEntry.objects.filter(
            proposal_id__in=[p.pk for p in proposals.values()], continues=False
        ).values_list("proposal_id", flat=True)
    )
    rows = []
    for tender_round in rounds:
        request = requests[tender_round.procurement_id]
        if not _may_tender(tender_round, request, numbered, proposals, reduced_out):
            continue
        rows.append(
            {
                "round": tender_round,
                "request": request,
                "proposal": proposals.get((tender_round.pk, request.pk)),
            }
        )
    return rows


def _may_tender(
    tender_round, request, numbered: dict, proposals: dict, reduced_out: set[int]
) -> bool:
    """Round 1 is for every invited supplier; a later round only for those who submitted in
    the round before and were not reduced out after it (as
    ``services_negotiation.remaining_tenderers`` says), from what the page has already read."""
    if tender_round.number == 1:
        return True
    before = numbered.get((tender_round.procurement_id, tender_round.number - 1))
    proposal = proposals.get((before.pk, request.pk)) if before is not None else None
    return (
        proposal is not None
        and proposal.status == ProposalStatus.SUBMITTED
        and proposal.pk not in reduced_out
    )


def tender_round_get(*, pk: int) -> TenderRound | None:
    return TenderRound.objects.select_related("procurement__borough").filter(pk=pk).first()


def proposal_get(*, user: User, pk: int) -> Proposal | None:
    """The proposal, for the people of its lead organisation only."""
    proposal = (
        Proposal.objects.select_related(
            "round__procurement__borough", "request__organisation", "request__procurement"
        )
        .filter(pk=pk)
        .first()
    )
    if proposal is None or not proposal_organisation_member(user, proposal):
        return None
    return proposal


def proposal_file_get(*, proposal: Proposal, token) -> ProposalFile | None:
    return ProposalFile.objects.filter(proposal=proposal, token=token).first()


def proposal_submissions(*, proposal: Proposal) -> list[ProposalSubmission]:
    """The proposal's submissions, latest first."""
    return list(
        ProposalSubmission.objects.filter(proposal=proposal)
        .select_related("submitted_by")
        .order_by("-number")
    )


def proposal_submission_get(*, proposal: Proposal, number: int) -> ProposalSubmission | None:
    return (
        ProposalSubmission.objects.filter(proposal=proposal, number=number)
        .select_related("submitted_by")
        .first()
    )


def own_submission_content(*, user: User, submission: ProposalSubmission) -> dict | None:
    """What the organisation submitted, opened for its own people (its receipt page); None
    for anyone else. The reading is recorded, as every access to the box is."""
    proposal = submission.proposal
    if not proposal_organisation_member(user, proposal):
        return None
    key = box_key(proposal.round.procurement)
    aad = ProposalSubmission.aad_for(proposal.pk, submission.number)
    content = json.loads(open_bytes(bytes(submission.sealed_content), key, aad=aad))
    with transaction.atomic():
        audit_record(
            actor=user,
            action="tenders.own_submission_read",
            target=proposal,
            data={"submission": submission.number},
        )
    return content


def change_notices_for(request: ParticipationRequest) -> list[ChangeNotice]:
    """The change notices sent to this tenderer: those issued for a round it was invited to
    (round 1 for every invited supplier; a later round when it submitted in the one before
    and was not reduced out after it), with their shared items. Two queries."""
    tendered = (
        Proposal.objects.filter(request=request, status=ProposalStatus.SUBMITTED)
        .exclude(pk__in=ReductionEntry.objects.filter(continues=False).values("proposal_id"))
        .values_list("round__number", flat=True)
    )
    numbers = {1, *(number + 1 for number in tendered)}
    return list(
        ChangeNotice.objects.filter(
            procurement_id=request.procurement_id, issued_for__number__in=numbers
        )
        .prefetch_related("shared_items")
        .order_by("number")
    )


def standing_submission(proposal: Proposal) -> ProposalSubmission | None:
    """The proposal's submission that stands: its latest (none before the first)."""
    return proposal.submissions.order_by("-number").first()
