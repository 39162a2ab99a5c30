"""The audit trail: append an event, compute its hash, verify the chain.

Every event's ``hash`` is a SHA-256 over a canonical JSON of its content and
``prev_hash``, the hash of the event before it (the first event links to
``GENESIS_HASH``). Changing any stored field breaks that event's hash;
removing or reordering events breaks the next event's link. ``prev_hash`` and
``hash`` are both unique, so two events can never claim the same predecessor.

Writers are serialised: on PostgreSQL ``audit_record`` takes a transaction
level advisory lock before it reads the last hash, so concurrent transactions
queue for the chain's tail instead of forking it. The lock is held until the
surrounding transaction ends, which is why services record the audit event as
the last write of their transaction. This relies on READ COMMITTED (Django's
default): the read after the lock sees every event committed before it. On
SQLite the single writer does the same.

The hash covers, in this canonical form (``audit_hash_payload``)::

    {"action", "actor_id", "actor_label", "created_at" (UTC ISO 8601 with
     microseconds), "data", "prev_hash", "target_id", "target_label",
     "target_type"}

serialised with sorted keys and compact separators.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from core.models import AuditEvent

GENESIS_HASH = "0" * 64
# Any constant works; it only has to be the same for every writer. ("audit" in ASCII.)
AUDIT_ADVISORY_LOCK_KEY = 0x6175646974

HASH_MISMATCH = "hash does not match content"
LINK_BROKEN = "link to previous event is broken"

_ACTOR_LABEL_MAX = AuditEvent._meta.get_field("actor_label").max_length
_TARGET_LABEL_MAX = AuditEvent._meta.get_field("target_label").max_length
_ACTION_MAX = AuditEvent._meta.get_field("action").max_length


def audit_normalise_data(data: dict | None) -> dict:
    """Return ``data`` as plain JSON (what the database will give back).

    Values JSON does not know (dates, Decimals, UUIDs, model instances) become
    their ``str()``; keys become strings. Whole floats become ints because
    PostgreSQL's ``jsonb`` may hand ``1e+20`` back as ``100000000000000000000``.
    """
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise TypeError("audit data must be a dict")
    plain = json.loads(json.dumps(data, default=str, allow_nan=False))
    return _whole_floats_to_int(plain)


def _whole_floats_to_int(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _whole_floats_to_int(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_whole_floats_to_int(item) for item in value]
    return value


def _created_at_text(created_at: datetime) -> str:
    if timezone.is_naive(created_at):
        raise ValueError("audit timestamps must be timezone-aware")
    return created_at.astimezone(UTC).isoformat(timespec="microseconds")


def audit_hash_payload(
    *,
    created_at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    target_type: str,
    target_id: str,
    target_label: str,
    data: dict,
    prev_hash: str,
) -> bytes:
    """The canonical bytes an event's hash is computed over."""
    payload = {
        "action": action,
        "actor_id": actor_id,
        "actor_label": actor_label,
        "created_at": _created_at_text(created_at),
        "data": _whole_floats_to_int(data),
        "prev_hash": prev_hash,
        "target_id": target_id,
        "target_label": target_label,
        "target_type": target_type,
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return text.encode("ascii")


def audit_compute_hash(**fields: Any) -> str:
    """SHA-256 (hex) of ``audit_hash_payload(**fields)``; the one hash for record and verify."""
    return hashlib.sha256(audit_hash_payload(**fields)).hexdigest()


def audit_event_hash(event: AuditEvent) -> str:
    """Recompute the hash a stored (or about to be stored) event should carry."""
    return audit_compute_hash(
        created_at=event.created_at,
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        action=event.action,
        target_type=event.target_type,
        target_id=event.target_id,
        target_label=event.target_label,
        data=event.data,
        prev_hash=event.prev_hash,
    )


def _lock_chain_tail() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_ADVISORY_LOCK_KEY])


def _describe_target(target: Model | None) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    if target.pk is None:
        raise ValueError("an audit target must be saved first (it has no primary key)")
    meta = target._meta
    return (
        f"{meta.app_label}.{meta.model_name}",
        str(target.pk),
        str(target)[:_TARGET_LABEL_MAX],
    )


def audit_record(
    *,
    actor: Any = None,
    action: str,
    target: Model | None = None,
    data: dict | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Append one event to the audit trail and return it.

    ``actor`` is the ``User`` who acted, or ``None`` for the system or an
    anonymous person (an ``AnonymousUser`` counts as ``None``); then
    ``actor_label`` says who it was, e.g. the e-mail address tried at sign-in,
    and defaults to ``"system"``. For a user it defaults to their e-mail.
    ``target`` is the saved model instance acted on, or ``None``. ``data`` is a
    JSON-able dict; it is stored exactly as hashed (see ``audit_normalise_data``).

    Runs in its own savepoint (or transaction): if the caller's transaction
    rolls back, the event goes with it.
    """
    if not action or len(action) > _ACTION_MAX:
        raise ValueError(f"an audit action is 1 to {_ACTION_MAX} characters")
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if actor_label is None:
        actor_label = actor.get_username() if actor is not None else "system"
    target_type, target_id, target_label = _describe_target(target)
    event = AuditEvent(
        actor=actor,
        actor_label=actor_label[:_ACTOR_LABEL_MAX],
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label,
        data=audit_normalise_data(data),
    )
    with transaction.atomic():
        _lock_chain_tail()
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event.prev_hash = last or GENESIS_HASH
        # Taken under the lock, so time order and id order agree.
        event.created_at = timezone.now()
        event.hash = audit_event_hash(event)
        event.save(force_insert=True)
    return event


def audit_role_change(*, actor: Any, membership: Model, granted: bool) -> AuditEvent:
    """Record ``role.granted`` or ``role.revoked`` for an ``OfficerMembership``.

    The target is the person, so their history shows every role they held;
    ``data`` has membership_id, borough_id, borough, role and user (e-mail).
    Call it while the membership still has its primary key (before deleting).
    """
    return audit_record(
        actor=actor,
        action="role.granted" if granted else "role.revoked",
        target=membership.user,
        data={
            "membership_id": membership.pk,
            "borough_id": membership.borough_id,
            "borough": str(membership.borough),
            "role": membership.role,
            "user": membership.user.email,
        },
    )


@dataclass(frozen=True)
class AuditVerification:
    """What ``audit_verify`` found.

    ``ok`` is True when every event's hash matches its content and links to
    the event before it. Otherwise ``broken`` is the first event that does not
    and ``reason`` says why: ``HASH_MISMATCH`` (the row was changed) or
    ``LINK_BROKEN`` (the event before it is missing or was changed).
    ``checked`` counts the events examined, including the broken one.
    """

    checked: int
    broken: AuditEvent | None = None
    reason: str = ""
    previous_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None


def audit_verify(*, chunk_size: int = 2000) -> AuditVerification:
    """Walk the whole trail in id order and stop at the first broken event.

    Memory stays flat whatever the size of the trail (a server-side cursor on
    PostgreSQL). It cannot see events removed from the end of the trail:
    nothing comes after them to break.
    """
    expected_prev = GENESIS_HASH
    previous_id = None
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=chunk_size):
        checked += 1
        if audit_event_hash(event) != event.hash:
            return AuditVerification(checked, event, HASH_MISMATCH, previous_id)
        if event.prev_hash != expected_prev:
            return AuditVerification(checked, event, LINK_BROKEN, previous_id)
        expected_prev = event.hash
        previous_id = event.pk
    return AuditVerification(checked)
