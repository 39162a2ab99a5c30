"""Print a new master key for the tender box (the SEALING_MASTER_KEY setting)."""

from django.core.management.base import BaseCommand

from core.sealing import new_master_key_text


class Command(BaseCommand):
    help = "Print a new random SEALING_MASTER_KEY (32 bytes, URL-safe base64)."

    def handle(self, *args, **options):
        self.stdout.write(new_master_key_text())
