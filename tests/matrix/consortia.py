"""Permission-matrix entries: consortia, subcontractors, exclusion declarations and the
debarment list."""

from __future__ import annotations

from typing import Any

from tests.permission_matrix import ADMIN_SAMPLES, LOGIN, Entry, PatternInfo, outcomes


def sample_consortium_request(personas):
    """A request of supplier A's organisation, leading a consortium with the consortium
    member's organisation (C), with one subcontractor, for a call of borough A open for a
    month."""
    from datetime import timedelta

    from django.utils import timezone

    from partners.models import ConsortiumMember, ParticipationRequest, Subcontractor
    from procurements.models import ProcurementStatus
    from tests.factories import ProcurementFactory

    now = timezone.now()
    procurement = ProcurementFactory(
        borough=personas.borough_a,
        lead_officer=personas.officer_a,
        status=ProcurementStatus.PUBLISHED,
        published_at=now - timedelta(days=1),
        participation_deadline=now + timedelta(days=30),
    )
    request = ParticipationRequest.objects.create(
        procurement=procurement,
        organisation=personas.org_a,
        is_consortium=True,
        created_by=personas.supplier_a_admin,
    )
    ConsortiumMember.objects.create(
        request=request, organisation=personas.org_c, role="Sensors", share_of_work=30
    )
    Subcontractor.objects.create(request=request, name="Delta Labs Ltd", work="Testing")
    return request


def sample_debarment_entry(personas):
    from datetime import date

    from partners.models import DebarmentEntry

    return DebarmentEntry.objects.create(
        supplier_name="Omega Shell Ltd",
        companies_house_number="09999999",
        grounds="Fraud (PA 2023 Sch. 6 para. 8)",
        debarred_on=date(2026, 1, 5),
    )


def _request_kwargs(personas, info: PatternInfo) -> dict[str, Any]:
    request = sample_consortium_request(personas)
    values: dict[str, Any] = {"pk": request.pk}
    if "<int:member_pk>" in info.route:
        values["member_pk"] = request.members.get().pk
    if "<int:subcontractor_pk>" in info.route:
        values["subcontractor_pk"] = request.subcontractors.get().pk
    if "<int:organisation_pk>" in info.route:
        values["organisation_pk"] = request.organisation_id
    return values


# The lead organisation's people, and nobody else: anyone else may not know the request exists.
LEAD_PAGE = outcomes(404, supplier_a_admin=200, supplier_a_member=200, anonymous=LOGIN)

ENTRIES: list = [
    *[
        Entry(f"requests:{name}", LEAD_PAGE, kwargs=_request_kwargs, why=why)
        for name, why in [
            ("consortium", "The lead's page of its consortium and subcontractors."),
            ("consortium-member-add", "Any member of the lead organisation names members."),
            ("consortium-member-change", "Any member of the lead organisation changes terms."),
            ("consortium-member-remove", "The confirmation page before removing a member."),
            ("subcontractor-add", "Any member of the lead organisation declares them."),
            ("subcontractor-remove", "The confirmation page before removing a subcontractor."),
            (
                "exclusions",
                "The lead's own declarations (the sample opens the lead's page): only its "
                "people; tests/partners/test_exclusion_declarations.py checks the members'.",
            ),
        ]
    ],
    Entry(
        "requests:consortium-invitations",
        outcomes(200, officers=403, superuser=403, anonymous=LOGIN),
        why="Every supplier sees the consortia its own organisation is named in.",
    ),
    Entry(
        "requests:consortium-invitation-confirm",
        outcomes(405, anonymous=LOGIN),
        kwargs=_request_kwargs,
        why="Confirming is a POST; tests/partners/test_consortia.py checks who may.",
    ),
    Entry(
        "requests:consortium-invitation-decline",
        outcomes(404, consortium_member=200, anonymous=LOGIN),
        kwargs=_request_kwargs,
        why="Only the member organisation (C, whose only person is its admin) may decline.",
    ),
]

# The debarment list is editable by superusers only (the default for admin pages).
ADMIN_SAMPLES["partners.debarmententry"] = sample_debarment_entry
