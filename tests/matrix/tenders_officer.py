"""Permission-matrix entries: the borough's pages of the sealed tender box
(``partners:tenders*``)."""

from __future__ import annotations

from typing import Any

from tests.permission_matrix import LOGIN, Entry, PatternInfo, outcomes


def sample_opened_round(personas):
    """Round 1 of a call of borough A in tendering, organisation A's proposal submitted with
    a text file, the deadline passed and the box opened by officer A and approver A."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from partners.services_tenders import (
        opening_confirm,
        opening_request,
        proposal_file_add,
        proposal_save,
        proposal_start,
        proposal_submit,
    )
    from partners.tender_content import answerable_criteria
    from tests.partners.tender_samples import pass_the_deadline, round_opened, tendering

    tender = tendering(personas)
    tender_round = round_opened(personas, tender)
    admin = personas.supplier_a_admin
    proposal = proposal_start(actor=admin, tender_round=tender_round)
    criterion = answerable_criteria(tender.procurement)[0]
    proposal_save(
        actor=admin,
        proposal=proposal,
        answers={str(criterion.pk): "Our sensors in two care homes."},
        prices={"1": "75000", "2": "150000"},
        background_ip="None brought.",
    )
    record = proposal_file_add(
        actor=admin,
        proposal=proposal,
        upload=SimpleUploadedFile("plan.txt", b"A work plan.\n", content_type="text/plain"),
    )
    proposal_submit(actor=admin, proposal=proposal)
    pass_the_deadline(tender_round)
    opening_request(actor=personas.officer_a, tender_round=tender_round)
    opening_confirm(actor=personas.approver_a, tender_round=tender_round)
    return proposal, record


def _kwargs(personas, info: PatternInfo) -> dict[str, Any]:
    proposal, record = sample_opened_round(personas)
    values: dict[str, Any] = {"pk": proposal.round.procurement_id}
    if "<int:round_pk>" in info.route:
        values["round_pk"] = proposal.round_id
    if "<int:proposal_pk>" in info.route:
        values["proposal_pk"] = proposal.pk
    if "<uuid:token>" in info.route:
        values["token"] = record.token
    return values


# The box's authorised officers (the borough's procurement officers and approvers) see its
# pages; the borough's other people who know the procurement (its administrator, the
# evaluators named on it) get 403 on the pages and 404 for what is in the box; anyone else
# may not know the procurement exists.
BOX_PAGE = outcomes(
    404,
    officer_a=200,
    approver_a=200,
    evaluator_a=403,
    borough_admin_a=403,
    anonymous=LOGIN,
)
BOX_CONTENT = outcomes(404, officer_a=200, approver_a=200, anonymous=LOGIN)

ENTRIES: list = [
    Entry(
        "partners:tenders",
        BOX_PAGE,
        kwargs=_kwargs,
        why="The rounds, only the count before opening, then the proposals and the record of "
        "every attempt and access: for the box's authorised officers.",
    ),
    Entry(
        "partners:tenders-opening-date",
        BOX_PAGE,
        kwargs=_kwargs,
        why="The lead officer's form before the deadline; other authorised officers (and the "
        "lead after the deadline) are told why they cannot change it.",
    ),
    Entry(
        "partners:tenders-open",
        outcomes(405, anonymous=LOGIN),
        kwargs=_kwargs,
        why="Asking to open and confirming are POSTs; the service decides and records refusals.",
    ),
    Entry(
        "partners:tenders-proposal",
        BOX_CONTENT,
        kwargs=_kwargs,
        why="An opened proposal, read by an authorised officer (recorded); refused and "
        "recorded for anyone else who knows the procurement, who sees 404.",
    ),
    Entry(
        "partners:tenders-file",
        BOX_CONTENT,
        kwargs=_kwargs,
        why="A file of an opened proposal, as an attachment, for an authorised officer (recorded).",
    ),
]
