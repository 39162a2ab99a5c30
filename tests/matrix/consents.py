"""Permission-matrix entries: the pages of consent to share a tenderer's information (the
borough's under /procurements/<pk>/consents/, the tenderer's under /tenders/consents/)."""

from __future__ import annotations

from typing import Any

from tests.matrix.negotiation import BOX_PAGE, LEAD_PAGE
from tests.permission_matrix import LOGIN, Entry, PatternInfo, outcomes


def sample_consent(personas):
    """Round 1 (organisations A and B submitted) opened, and the lead officer asking
    organisation A's consent to share one item."""
    from partners.services_consents import consent_ask
    from tests.partners.tender_samples import initial_tenders_opened, tendering

    tender = tendering(personas)
    initial_tenders_opened(personas, tender)
    request = next(r for r in tender.invited if r.organisation_id == personas.org_a.pk)
    return consent_ask(
        actor=personas.officer_a,
        request=request,
        item="Our pilot ran in two care homes.",
        purpose="In a change notice to every tenderer.",
    )


def _procurement(personas, info: PatternInfo) -> dict[str, Any]:
    return {"pk": sample_consent(personas).procurement_id}


def _consent(personas, info: PatternInfo) -> dict[str, Any]:
    return {"pk": sample_consent(personas).pk}


ENTRIES: list = [
    Entry(
        "partners:consents",
        BOX_PAGE,
        kwargs=_procurement,
        why="The procurement's consent requests, for the tender box's officers; the borough's "
        "other people get 403, another borough and every supplier 404.",
    ),
    Entry(
        "partners:consents-ask",
        LEAD_PAGE,
        kwargs=_procurement,
        why="Only the lead officer asks a tenderer's consent, while tendering or negotiating.",
    ),
    Entry(
        "tenders:consents",
        outcomes(404, suppliers=200, anonymous=LOGIN),
        why="Every supplier sees the requests about its own organisation (none for most).",
    ),
    Entry(
        "tenders:consent",
        outcomes(404, supplier_a_admin=200, supplier_a_member=200, anonymous=LOGIN),
        kwargs=_consent,
        why="A request about organisation A: its people only; another supplier, the borough's "
        "officers and everyone else 404.",
    ),
]
