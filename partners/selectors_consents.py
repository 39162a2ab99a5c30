"""Reading consent requests: officers see their procurement's, a tenderer only those about
itself (RULES.md point 6). Every list loads what its page shows in a fixed number of
queries."""

from __future__ import annotations

from django.db.models import QuerySet

from core.models import User
from core.selectors.accounts import supplier_membership_get
from procurements.models import Procurement

from .models import ConsentRequest, ConsentStatus, ParticipationRequest
from .permissions_consents import can_see_consents


def _consents() -> QuerySet[ConsentRequest]:
    return ConsentRequest.objects.select_related(
        "procurement__borough", "request__organisation", "asked_by", "answered_by"
    )


def consent_tenderers(procurement: Procurement) -> list[ParticipationRequest]:
    """The tenderers whose information there is to share: those who submitted a proposal
    in some round of the procurement."""
    return list(
        ParticipationRequest.objects.filter(
            procurement=procurement, proposals__submissions__isnull=False
        )
        .select_related("organisation")
        .order_by("organisation__name", "pk")
        .distinct()
    )


def consent_list(*, user: User, procurement: Procurement) -> list[ConsentRequest]:
    """The procurement's consent requests, newest first, for the borough's officers."""
    if not can_see_consents(user, procurement):
        return []
    return list(
        _consents()
        .filter(procurement=procurement)
        .prefetch_related("change_notices")
        .order_by("-asked_at", "-pk")
    )


def consents_to_share(procurement: Procurement) -> list[ConsentRequest]:
    """The requests an officer might attach to a change notice: every one not refused (the
    service shares only those given)."""
    return list(
        _consents()
        .filter(procurement=procurement)
        .exclude(status=ConsentStatus.REFUSED)
        .order_by("request__organisation__name", "asked_at", "pk")
    )


def supplier_consent_list(*, user: User) -> list[ConsentRequest]:
    """The consent requests about the user's own organisation's tenders, newest first."""
    membership = supplier_membership_get(user=user)
    if membership is None:
        return []
    return list(
        _consents()
        .filter(request__organisation_id=membership.organisation_id)
        .order_by("-asked_at", "-pk")
    )


def supplier_consent_get(*, user: User, pk: int) -> ConsentRequest | None:
    """One consent request about the user's own organisation, or None."""
    membership = supplier_membership_get(user=user)
    if membership is None:
        return None
    return (
        _consents()
        .filter(pk=pk, request__organisation_id=membership.organisation_id)
        .prefetch_related("change_notices")
        .first()
    )
