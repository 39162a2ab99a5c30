"""Reads for consortia and exclusion declarations, scoped to the signed-in supplier.

A request's lead organisation sees its consortium page; a member organisation sees only the
requests it is named in (the procurement, the lead, its own role and share, the other
members' names) and its own declarations. Anything else is None: the page answers 404.
"""

from __future__ import annotations

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from core.models import SupplierOrganisation, User
from core.selectors.accounts import supplier_membership_get

from .models import ConsortiumMember, ExclusionDeclaration, ParticipationRequest


def _organisation_of(user: User) -> SupplierOrganisation | None:
    membership = supplier_membership_get(user=user)
    return membership.organisation if membership is not None else None


def request_get_for_lead(*, user: User, pk: int) -> ParticipationRequest | None:
    """The request, if the user belongs to its lead organisation."""
    organisation = _organisation_of(user)
    if organisation is None:
        return None
    return (
        ParticipationRequest.objects.select_related("procurement__borough", "organisation")
        .filter(pk=pk, organisation=organisation)
        .first()
    )


def consortium_member_list(*, request: ParticipationRequest) -> QuerySet[ConsortiumMember]:
    return request.members.select_related("organisation", "confirmed_by").order_by(
        "organisation__name", "pk"
    )


def _answered_count(organisation: SupplierOrganisation):
    answered = (
        ExclusionDeclaration.objects.filter(
            request=OuterRef("request"), organisation=organisation, applies__isnull=False
        )
        .order_by()
        .values("request")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(answered), 0)


def consortium_invitation_list(*, user: User) -> QuerySet[ConsortiumMember]:
    """The consortia the user's organisation is named in as a member, newest first, each
    with its request, procurement, lead, every member's organisation, and how many
    exclusion grounds the user's organisation has answered (``declared``)."""
    organisation = _organisation_of(user)
    if organisation is None:
        return ConsortiumMember.objects.none()
    members = ConsortiumMember.objects.select_related("organisation").order_by(
        "organisation__name", "pk"
    )
    return (
        ConsortiumMember.objects.filter(organisation=organisation, request__is_consortium=True)
        .select_related("request__procurement__borough", "request__organisation", "confirmed_by")
        .prefetch_related(Prefetch("request__members", queryset=members))
        .annotate(declared=_answered_count(organisation))
        .order_by("-request__created_at", "-pk")
    )


def consortium_invitation_get(*, user: User, request_pk: int) -> ConsortiumMember | None:
    """The user's organisation's place in the consortium of request ``request_pk``."""
    organisation = _organisation_of(user)
    if organisation is None:
        return None
    return (
        ConsortiumMember.objects.filter(
            request_id=request_pk, organisation=organisation, request__is_consortium=True
        )
        .select_related("request__procurement__borough", "request__organisation", "organisation")
        .first()
    )


def declaring_request_get(
    *, user: User, pk: int, organisation_pk: int
) -> tuple[ParticipationRequest, SupplierOrganisation] | None:
    """The request and the organisation whose exclusion declarations the user may make:
    their own organisation, when it leads the request or is a member of its consortium."""
    organisation = _organisation_of(user)
    if organisation is None or organisation.pk != organisation_pk:
        return None
    as_member = Q(is_consortium=True, members__organisation=organisation)
    request = (
        ParticipationRequest.objects.select_related("procurement__borough", "organisation")
        .filter(Q(organisation=organisation) | as_member, pk=pk)
        .distinct()
        .first()
    )
    if request is None:
        return None
    return request, organisation


def declaration_map(
    *, request: ParticipationRequest, organisation: SupplierOrganisation
) -> dict[str, ExclusionDeclaration]:
    """The organisation's declarations in this request, by ground key."""
    return {
        declaration.ground: declaration
        for declaration in ExclusionDeclaration.objects.filter(
            request=request, organisation=organisation
        )
    }
