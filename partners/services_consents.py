"""Consent to share one specific item of a tenderer's information (RULES.md point 6; PCR 2015
reg. 31(13); PA 2023 s.21(5)): a tenderer's proposed solution or other confidential
information is never revealed to the other participants without its consent to that item.
There is no blanket waiver: each request names the item exactly as it would be shared and
why, and a change notice may share it only once the tenderer has given its consent.

Item texts are confidential: the audit trail records who asked, answered and shared what
request, never the text itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse

from core.audit import audit_record
from core.exceptions import ApplicationError, PermissionRefused
from core.mail import absolute_url, send_after_commit
from core.models import User
from core.permissions import is_organisation_admin
from procurements.models import Procurement

from .models import ChangeNotice, ConsentRequest, ConsentStatus, ParticipationRequest
from .permissions_consents import can_answer_consent, can_ask_consent
from .selectors_consents import consent_tenderers
from .services_common import organisation_admin_emails, procurement_lock

ITEM_MAX_LENGTH = 5_000
PURPOSE_MAX_LENGTH = 2_000
NOTE_MAX_LENGTH = 2_000
EMAILS = "partners/consents/email"


def _audit(*, actor: User, action: str, target: Any, **data: Any) -> None:
    audit_record(actor=actor, action=action, target=target, data=data)


def _text_error(value: str, *, missing: str, name: str, limit: int) -> str | None:
    if not value:
        return missing
    if len(value) > limit:
        return f"{name} must be {limit:,} characters or fewer"
    return None


@transaction.atomic
def consent_ask(
    *, actor: User, request: ParticipationRequest, item: str, purpose: str
) -> ConsentRequest:
    """The lead officer asks a tenderer (one that submitted a proposal in some round) for
    consent to share ``item``, exactly as it would be shared, for ``purpose``. The
    tenderer's organisation admins are told by e-mail."""
    procurement = procurement_lock(request.procurement_id)
    if not can_ask_consent(actor, procurement):
        raise PermissionRefused("Only the lead officer asks a tenderer's consent to share.")
    if request.pk not in {r.pk for r in consent_tenderers(procurement)}:
        raise ApplicationError(
            "Ask only a tenderer that submitted a proposal in this procurement.",
            extra={"errors": {"request": "Choose a tenderer that submitted a proposal"}},
        )
    item, purpose = (item or "").strip(), (purpose or "").strip()
    errors = {
        field: problem
        for field, problem in [
            (
                "item",
                _text_error(
                    item,
                    missing="Enter the item exactly as it would be shared",
                    name="The item",
                    limit=ITEM_MAX_LENGTH,
                ),
            ),
            (
                "purpose",
                _text_error(
                    purpose,
                    missing="Enter why and with whom it would be shared",
                    name="The purpose",
                    limit=PURPOSE_MAX_LENGTH,
                ),
            ),
        ]
        if problem
    }
    if errors:
        raise ApplicationError("The consent could not be asked", extra={"errors": errors})
    # The procurement is locked: a second click (or a second officer) asking the same tenderer
    # about the same item while it waits asks nothing new.
    waiting = ConsentRequest.objects.filter(
        procurement=procurement, request=request, item=item, status=ConsentStatus.ASKED
    ).first()
    if waiting is not None:
        return waiting
    consent = ConsentRequest.objects.create(
        procurement=procurement, request=request, item=item, purpose=purpose, asked_by=actor
    )
    send_after_commit(
        template=f"{EMAILS}/asked",
        context={
            "procurement": procurement,
            "consent": consent,
            "organisation": request.organisation,
            "url": absolute_url(reverse("tenders:consent", kwargs={"pk": consent.pk})),
        },
        recipients=organisation_admin_emails(request.organisation),
    )
    _audit(
        actor=actor,
        action="consents.asked",
        target=consent,
        procurement_id=procurement.pk,
        request_id=request.pk,
    )
    return consent


def _consent_lock(pk: int) -> ConsentRequest:
    return (
        ConsentRequest.objects.select_for_update(of=("self",))
        .select_related("procurement__borough", "request__organisation", "asked_by")
        .get(pk=pk)
    )


@transaction.atomic
def consent_answer(
    *, actor: User, consent: ConsentRequest, give: bool, note: str = ""
) -> ConsentRequest:
    """An organisation admin of the tenderer gives or refuses consent to share the item,
    with an optional note. Answered once: the officer who asked is told by e-mail."""
    consent = _consent_lock(consent.pk)
    if not is_organisation_admin(actor, consent.request.organisation):
        raise PermissionRefused("Only an organisation admin of the tenderer answers.")
    if not can_answer_consent(actor, consent):
        raise ApplicationError(
            f"This request has already been answered: {consent.get_status_display().lower()}."
        )
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        message = f"The note must be {NOTE_MAX_LENGTH:,} characters or fewer"
        raise ApplicationError(message, extra={"errors": {"note": message}})
    if give:
        consent.give(by=actor, note=note)
    else:
        consent.refuse(by=actor, note=note)
    consent.save(update_fields=["status", "answered_by", "answered_at", "answer_note"])
    procurement = consent.procurement
    send_after_commit(
        template=f"{EMAILS}/answered",
        context={
            "procurement": procurement,
            "consent": consent,
            "organisation": consent.request.organisation,
            "url": absolute_url(reverse("partners:consents", kwargs={"pk": procurement.pk})),
        },
        recipients=[consent.asked_by.email],
    )
    _audit(
        actor=actor,
        action="consents.given" if give else "consents.refused",
        target=consent,
        procurement_id=procurement.pk,
        request_id=consent.request_id,
        with_note=bool(note),
    )
    return consent


def _blocked(consent: ConsentRequest) -> str:
    organisation = consent.request.organisation.name
    if consent.status == ConsentStatus.REFUSED:
        return f"{organisation} refused its consent to this item: it cannot be shared"
    return f"Sharing is blocked until {organisation} gives its consent to this item"


def consents_for_sharing(procurement: Procurement, ids: Iterable[int]) -> list[ConsentRequest]:
    """The consent requests ``ids`` locked, each given and of ``procurement``; otherwise the
    sharing is refused, naming the tenderer whose consent is missing (RULES.md point 6)."""
    wanted = list(dict.fromkeys(int(pk) for pk in ids))
    if not wanted:
        return []
    found = {
        consent.pk: consent
        for consent in ConsentRequest.objects.select_for_update(of=("self",))
        .select_related("request__organisation")
        .filter(pk__in=wanted, procurement=procurement)
        .order_by("pk")
    }
    for pk in wanted:
        consent = found.get(pk)
        if consent is None:
            message = "Share only items of this procurement's tenderers, with their consent"
        elif consent.status != ConsentStatus.GIVEN:
            message = _blocked(consent)
        else:
            continue
        raise ApplicationError(message, extra={"errors": {"shared_items": message}})
    return [found[pk] for pk in wanted]


def consents_shared_record(
    *, actor: User, notice: ChangeNotice, consents: list[ConsentRequest]
) -> None:
    """Attach the consented items to ``notice`` and record each sharing."""
    if not consents:
        return
    notice.shared_items.add(*consents)
    for consent in consents:
        _audit(
            actor=actor,
            action="consents.shared",
            target=consent,
            notice_id=notice.pk,
            notice_number=notice.number,
            request_id=consent.request_id,
        )
