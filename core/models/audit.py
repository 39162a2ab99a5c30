"""The audit trail: an append-only, hash-chained record of every decision."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    """One thing that happened, who did it and why.

    ``hash`` covers this event's content and ``prev_hash``, the previous
    event's hash, so changing or removing any row breaks the chain from there
    on (``manage.py verify_audit``). On PostgreSQL a trigger refuses UPDATE,
    DELETE and TRUNCATE on this table.
    """

    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    # No database constraint and no cascade: deleting a user must never touch
    # the record (the trigger would refuse it anyway).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    # Unique: two events can never claim the same predecessor (no fork in the chain).
    prev_hash = models.CharField(max_length=64, unique=True)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} by {self.actor_label or 'system'}"
