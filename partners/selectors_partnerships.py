"""Reading the partnership contracts: the procurement's for the borough, a partner's own for
its people. Each reads in a fixed number of queries whatever the number of partners."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from core.models import User
from core.selectors.accounts import supplier_membership_get
from procurements.models import Notice, NoticeKind, Procurement

from .models import Partnership
from .permissions_partnerships import can_see_partnerships

# The contract details notice: UK7 under PA 2023, the contract award notice under PCR 2015.
CONTRACT_NOTICE_KINDS = (NoticeKind.UK7, NoticeKind.PCR_CONTRACT_AWARD)


def _partnerships() -> QuerySet[Partnership]:
    return Partnership.objects.select_related(
        "procurement__borough", "request__organisation", "award_entry", "entered_by"
    ).prefetch_related("request__members__organisation")


def partnership_list(*, user: User, procurement: Procurement) -> list[Partnership]:
    """The procurement's partnerships in reference order, for the borough's people."""
    if not can_see_partnerships(user, procurement):
        return []
    return list(_partnerships().filter(procurement=procurement).order_by("reference"))


def contract_notice(procurement: Procurement) -> Notice | None:
    """The contract details notice published when the contracts were entered."""
    return (
        Notice.objects.filter(procurement=procurement, kind__in=CONTRACT_NOTICE_KINDS)
        .order_by("-published_at", "-pk")
        .first()
    )


def _organisation_filter(user: User) -> Q | None:
    membership = supplier_membership_get(user=user)
    if membership is None:
        return None
    organisation = membership.organisation_id
    return Q(request__organisation_id=organisation) | Q(
        request__members__organisation_id=organisation
    )


def supplier_partnership_list(*, user: User) -> list[Partnership]:
    """The partnerships of the user's own organisation (as partner or consortium member)."""
    found = _organisation_filter(user)
    if found is None:
        return []
    return list(_partnerships().filter(found).distinct().order_by("-entered_at", "reference"))


def supplier_partnership_get(*, user: User, pk: int) -> Partnership | None:
    """One partnership of the user's own organisation, or None."""
    found = _organisation_filter(user)
    if found is None:
        return None
    return _partnerships().filter(found, pk=pk).distinct().first()
