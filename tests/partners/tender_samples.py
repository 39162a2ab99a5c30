"""Procurements in tendering, for the tests of the tender box: a confirmed shortlist, an
announced phase plan with its maximums, award criteria, and a round of initial tenders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from partners.models import ParticipationRequest, Proposal, RequestStatus, TenderRound
from partners.services_selection import shortlist_decide
from partners.services_tenders import (
    opening_confirm,
    opening_request,
    proposal_save,
    proposal_start,
    proposal_submit,
    round_open,
)
from partners.tender_content import answerable_criteria
from procurements.models import AwardCriterion, CriterionKind, Procurement, PublicationVersion
from tests.partners.selection_samples import assess, in_selection, propose

CANARY = "CANARY-3b9f-our-secret-sensor-design"

PHASE_PLAN = {
    "key": "phase-plan",
    "content": {
        "phases": [
            {"number": 1, "name": "Research and prototype", "kind": "Research",
             "max_remuneration_per_partner": "£80,000.00"},
            {"number": 2, "name": "Pilot", "kind": "Pilot",
             "max_remuneration_per_partner": "£200,000.00"},
        ],
    },
}  # fmt: skip


@dataclass
class Tendering:
    procurement: Procurement
    invited: list[ParticipationRequest]

    def round(self) -> TenderRound:
        return self.procurement.tender_rounds.get(number=1)


def tendering(personas, *, requests: int = 3, member_c: bool = False) -> Tendering:
    """A call of borough A whose shortlist the approver has confirmed (all ``requests``
    invited), with a quality criterion, a price criterion and two announced phases."""
    selection = in_selection(personas, requests=requests, member_c=member_c)
    assess(personas, selection, scores=[max(5 - n, 1) for n in range(requests)])
    shortlist = propose(personas, selection, selection.requests)
    shortlist_decide(actor=personas.approver_a, shortlist=shortlist, confirm=True, reason="")
    procurement = Procurement.objects.get(pk=selection.procurement.pk)
    AwardCriterion.objects.create(
        procurement=procurement, kind=CriterionKind.QUALITY, name="Quality of the solution",
        weight=70, order=1,
    )  # fmt: skip
    AwardCriterion.objects.create(
        procurement=procurement, kind=CriterionKind.PRICE, name="Price", weight=30, order=2
    )
    PublicationVersion.objects.create(
        procurement=procurement,
        number=(procurement.versions.count() + 1),
        content={"sections": [PHASE_PLAN]},
        created_by=personas.officer_a,
    )
    invited = list(
        ParticipationRequest.objects.filter(
            procurement=procurement, status=RequestStatus.SHORTLISTED
        ).order_by("organisation__name")
    )
    return Tendering(procurement=procurement, invited=invited)


def round_opened(personas, tender: Tendering, *, deadline: datetime | None = None) -> TenderRound:
    """Round 1, its deadline 30 days away unless ``deadline`` says otherwise (a deadline too
    close for the rules is set afterwards, as the tests of time need)."""
    far = timezone.now() + timedelta(days=30)
    tender_round = round_open(
        actor=personas.officer_a, procurement=tender.procurement, deadline=far, opens_at=far
    )
    if deadline is not None:
        TenderRound.objects.filter(pk=tender_round.pk).update(deadline=deadline, opens_at=deadline)
        tender_round.refresh_from_db()
    return tender_round


def pass_the_deadline(tender_round: TenderRound) -> TenderRound:
    moment = timezone.now() - timedelta(seconds=1)
    TenderRound.objects.filter(pk=tender_round.pk).update(deadline=moment, opens_at=moment)
    tender_round.refresh_from_db()
    return tender_round


# --- proposals -------------------------------------------------------------------------------

PRICES_WITHIN = {"1": "75,000", "2": "£150,000.00"}


def text_file(name: str, content: bytes) -> SimpleUploadedFile:
    """A plain text upload, as a browser sends one."""
    return SimpleUploadedFile(name, content, content_type="text/plain")


def proposal_started(personas, tender_round: TenderRound, *, actor=None) -> Proposal:
    """Organisation A's proposal in ``tender_round`` (started by its admin unless told)."""
    return proposal_start(actor=actor or personas.supplier_a_admin, tender_round=tender_round)


def proposal_completed(personas, proposal: Proposal, *, text: str = "Our answer.") -> dict:
    """Every criterion answered with ``text``, a price within the maximum for each phase and
    the background IP declared, by organisation A's admin."""
    procurement = proposal.round.procurement
    return proposal_save(
        actor=personas.supplier_a_admin,
        proposal=proposal,
        answers={str(c.pk): text for c in answerable_criteria(procurement)},
        prices=dict(PRICES_WITHIN),
        background_ip=f"Background IP: {text}",
    )


# --- later rounds ----------------------------------------------------------------------------


def proposal_submitted(personas, tender_round: TenderRound, admin) -> Proposal:
    """A complete proposal of ``admin``'s organisation in ``tender_round``, submitted by
    that admin."""
    proposal = proposal_start(actor=admin, tender_round=tender_round)
    proposal_save(
        actor=admin,
        proposal=proposal,
        answers={str(c.pk): "Our answer." for c in answerable_criteria(tender_round.procurement)},
        prices=dict(PRICES_WITHIN),
        background_ip="Background IP: our sensor firmware.",
    )
    proposal_submit(actor=admin, proposal=proposal)
    proposal.refresh_from_db()
    return proposal


def opened_by_two(personas, tender_round: TenderRound) -> TenderRound:
    """Past its deadline, then opened by officer A and approver A."""
    pass_the_deadline(tender_round)
    opening_request(actor=personas.officer_a, tender_round=tender_round)
    return opening_confirm(actor=personas.approver_a, tender_round=tender_round)


def initial_tenders_opened(personas, tender: Tendering) -> TenderRound:
    """Round 1 in which organisations A and B submitted (the third invited supplier did
    not), opened by two officers."""
    tender_round = round_opened(personas, tender)
    proposal_submitted(personas, tender_round, personas.supplier_a_admin)
    proposal_submitted(personas, tender_round, personas.supplier_b_admin)
    return opened_by_two(personas, tender_round)
