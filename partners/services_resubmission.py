"""Starting a proposal in a later round from the tenderer's own tender of the round before.

After a change notice a tenderer usually changes part of its tender, not all of it: its new
proposal starts as a copy of its submission that stands in the round before (answers, prices,
background IP and files), still sealed, for it to change and submit again before the new
deadline. Each piece goes in through the same services as when the tenderer types it (so the
checks and the audit trail are the ones a typed proposal has); files are copied by unsealing
and sealing again under the new file's own name, chunk by chunk.
"""

from __future__ import annotations

import tempfile
from typing import Any

from django.core.files import File
from django.db import transaction

from core.audit import audit_record
from core.exceptions import ApplicationError
from core.models import User

from .models import Proposal, ProposalFile, ProposalStatus, TenderRound
from .selectors_tenders import standing_submission
from .services_tenders import (
    file_content,
    proposal_file_add,
    proposal_save,
    proposal_start,
    submission_content,
)

SPOOL_BYTES = 1024 * 1024


def _standing_submission(proposal: Proposal):
    """The submission that stands in the round before, of the same tenderer, or None."""
    previous = (
        Proposal.objects.filter(
            round__procurement_id=proposal.round.procurement_id,
            round__number=proposal.round.number - 1,
            request_id=proposal.request_id,
            status=ProposalStatus.SUBMITTED,
        )
        .select_related("round__procurement")
        .first()
    )
    if previous is None:
        return None
    submission = standing_submission(previous)
    if submission is not None:
        submission.proposal = previous  # its round and procurement already loaded
    return submission


def _copy_file(actor: User, proposal: Proposal, record: ProposalFile) -> None:
    name, chunks = file_content(record)
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as plain:
        for chunk in chunks:
            plain.write(chunk)
        plain.seek(0)
        proposal_file_add(actor=actor, proposal=proposal, upload=File(plain, name=name))


def _carry(actor: User, proposal: Proposal, content: dict[str, Any], previous) -> list[str]:
    """Copy ``content`` into the new proposal; the names of what could not be copied."""
    left = []
    try:
        proposal_save(
            actor=actor,
            proposal=proposal,
            answers=content.get("answers", {}),
            prices=content.get("prices", {}),
            background_ip=content.get("background_ip", ""),
        )
    except ApplicationError:
        # A price the announced maximum no longer allows: the rest is copied, the prices
        # are for the tenderer to give again.
        proposal_save(
            actor=actor,
            proposal=proposal,
            answers=content.get("answers", {}),
            background_ip=content.get("background_ip", ""),
        )
        left.append("prices")
    tokens = [item["token"] for item in content.get("files", [])]
    for record in ProposalFile.objects.filter(proposal=previous, token__in=tokens).order_by(
        "uploaded_at", "pk"
    ):
        _copy_file(actor, proposal, record)
    return left


@transaction.atomic
def proposal_start_from_previous(
    *, actor: User, tender_round: TenderRound
) -> tuple[Proposal, bool]:
    """``proposal_start``; in a later round a new proposal starts as a copy of the tenderer's
    submission that stands in the round before. A proposal already started is returned as it
    is. The flag says whether a copy was made."""
    started = set(Proposal.objects.filter(round=tender_round).values_list("pk", flat=True))
    proposal = proposal_start(actor=actor, tender_round=tender_round)
    if proposal.pk in started or tender_round.number == 1:
        return proposal, False
    submission = _standing_submission(proposal)
    if submission is None:
        return proposal, False
    left = _carry(actor, proposal, submission_content(submission), submission.proposal)
    audit_record(
        actor=actor,
        action="tenders.proposal_carried_over",
        target=proposal,
        data={
            "from_proposal": submission.proposal_id,
            "from_submission": submission.number,
            "not_copied": left,
        },
    )
    proposal.refresh_from_db()
    return proposal, True
