"""Check the audit trail's hash chain from the first event to the last."""

from django.core.management.base import BaseCommand, CommandError

from core.audit import LINK_BROKEN, audit_verify


class Command(BaseCommand):
    requires_system_checks = []  # a check of the records must not depend on URLs or templates
    help = (
        "Recompute every audit event's hash and check it links to the event before it. "
        "Exits non-zero naming the first event whose hash or link is wrong."
    )

    def handle(self, *args, **options):
        result = audit_verify()
        if result.ok:
            self.stdout.write(f"Audit trail verified: {result.checked} events, chain intact.")
            return
        event = result.broken
        reason = result.reason
        if reason == LINK_BROKEN:
            if result.previous_id is None:
                reason = f"{reason} (it should be the first event: earlier events are missing)"
            else:
                reason = (
                    f"{reason} (an event before it is missing, "
                    f"or event #{result.previous_id} was changed)"
                )
        raise CommandError(
            f"Audit trail broken at event #{event.pk} ({event.action}, "
            f"{event.created_at.isoformat()}): {reason}."
        )
