"""Permission-matrix entries: the supplier's pages of the sealed tender box (``tenders:*``)."""

from __future__ import annotations

from typing import Any

from tests.permission_matrix import LOGIN, Entry, PatternInfo, outcomes


def sample_submitted_proposal(personas):
    """Round 1 of a call of borough A in tendering (organisations A, B and C invited), with
    organisation A's proposal complete, a text file in it, and submission 1."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from partners.services_tenders import (
        proposal_file_add,
        proposal_save,
        proposal_start,
        proposal_submit,
    )
    from partners.tender_content import answerable_criteria
    from tests.partners.tender_samples import round_opened, tendering

    tender = tendering(personas)
    tender_round = round_opened(personas, tender)
    proposal = proposal_start(actor=personas.supplier_a_admin, tender_round=tender_round)
    criterion = answerable_criteria(tender.procurement)[0]
    proposal_save(
        actor=personas.supplier_a_admin,
        proposal=proposal,
        answers={str(criterion.pk): "Our sensors in two care homes."},
        prices={"1": "75000", "2": "150000"},
        background_ip="None brought.",
    )
    record = proposal_file_add(
        actor=personas.supplier_a_admin,
        proposal=proposal,
        upload=SimpleUploadedFile("plan.txt", b"A work plan.\n", content_type="text/plain"),
    )
    proposal_submit(actor=personas.supplier_a_admin, proposal=proposal)
    return proposal, criterion, record


def _kwargs(personas, info: PatternInfo) -> dict[str, Any]:
    proposal, criterion, record = sample_submitted_proposal(personas)
    if "<int:round_pk>" in info.route:
        return {"round_pk": proposal.round_id}
    values: dict[str, Any] = {"pk": proposal.pk}
    if "<int:criterion_pk>" in info.route:
        values["criterion_pk"] = criterion.pk
    if "<uuid:token>" in info.route:
        values["token"] = record.token
    if "<int:number>" in info.route:
        values["number"] = 1
    return values


# The proposal's lead organisation's people, and nobody else: anyone else, officers
# included, may not know the proposal exists.
LEAD_PAGE = outcomes(404, supplier_a_admin=200, supplier_a_member=200, anonymous=LOGIN)
POST_ONLY = outcomes(405, anonymous=LOGIN)

ENTRIES: list = [
    Entry(
        "tenders:list",
        outcomes(404, suppliers=200, anonymous=LOGIN),
        why="Every supplier sees its own organisation's invitations to tender (none for most); "
        "people who are not in a supplier organisation have no such page.",
    ),
    *[
        Entry(f"tenders:{name}", POST_ONLY, kwargs=_kwargs, why=why)
        for name, why in [
            ("start", "Starting a proposal is a POST; the page tests check who may."),
            ("file-remove", "Removing a file is a POST, by the lead organisation's people."),
            ("restart", "Starting again is a POST, by an organisation admin of the lead."),
        ]
    ],
    *[
        Entry(f"tenders:{name}", LEAD_PAGE, kwargs=_kwargs, why=why)
        for name, why in [
            ("proposal", "The task list of the proposal: the lead organisation's people only."),
            ("answer", "Any member of the lead organisation answers the award criteria."),
            ("prices", "Any member of the lead organisation gives the prices per phase."),
            ("background-ip", "Any member of the lead organisation declares background IP."),
            ("files", "The sealed files, listed for the lead organisation's people only."),
            ("file", "A sealed file, opened for the lead organisation (audited)."),
            ("submit", "The check page; only an organisation admin sees the button."),
            ("receipt", "A receipt with the submission as submitted, for its organisation."),
            ("withdraw", "The confirmation page; only an organisation admin may withdraw."),
        ]
    ],
]
