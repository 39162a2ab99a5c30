"""The contract termination notice (UK11, PA 2023 s.80): published within 30 days of a
partnership contract ending early, when a partner is terminated at a stage gate or withdraws
(RULES.md, notices). Under PCR 2015 no notice is published when a contract ends early: the
decision and its reasons are recorded (reg. 84) and the partner is told.

Composed and published in the transaction of the decision that ends the contract, so it is
never late: the 30 days start on the day it ends.
"""

from __future__ import annotations

from datetime import date

from core.models import User
from partners.models import Partnership
from procurements.models import Notice, NoticeKind, Regime
from procurements.sections import pounds_text, uk_date_text
from procurements.services.notices import (
    authority_section,
    notice_field,
    notice_publish,
    notice_section,
    procurement_section,
)

# Within 30 days of the end of the contract (PA 2023 s.80; RULES.md time limits).
NOTICE_DAYS = 30


def contract_termination_notice_publish(
    *, actor: User, partnership: Partnership, ended_on: date, how: str, reason: str
) -> Notice | None:
    """Publish the UK11 of ``partnership``'s contract ending on ``ended_on``: ``how`` says in
    a sentence how it ended (terminated at a gate citing the condition, or withdrawn) and
    ``reason`` why. Returns the notice, or None under PCR 2015 (none is published)."""
    procurement = partnership.procurement
    if procurement.regime != Regime.PA2023:
        return None
    content = {
        "title": f"{NoticeKind.UK11.label}: {procurement.title}",
        "sections": [
            authority_section(procurement),
            procurement_section(procurement),
            notice_section(
                "The contract",
                [
                    notice_field("Contract", partnership.reference),
                    notice_field("Supplier", partnership.request.organisation.name),
                    notice_field("Signed", uk_date_text(partnership.signed_on)),
                    notice_field("Value", pounds_text(partnership.total_price)),
                ],
            ),
            notice_section(
                "Termination",
                [
                    notice_field("Date the contract ended", uk_date_text(ended_on)),
                    notice_field("How it ended", how),
                    notice_field("Reason", reason),
                ],
            ),
        ],
    }
    return notice_publish(
        procurement=procurement, kind=NoticeKind.UK11, content=content, actor=actor
    )
