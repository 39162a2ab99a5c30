"""Add the bank holidays of England, Wales, Scotland and Northern Ireland."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.calendar import bank_holidays_seed


class Command(BaseCommand):
    requires_system_checks = []
    help = (
        "Add bank holidays for all four UK nations from the holidays package (works offline). "
        "Safe to run again: existing rows, including ones added by hand, are never changed."
    )

    def add_arguments(self, parser):
        this_year = timezone.localdate().year
        parser.add_argument("--from", dest="first_year", type=int, default=this_year - 1)
        parser.add_argument("--to", dest="last_year", type=int, default=this_year + 10)

    def handle(self, *args, first_year, last_year, **options):
        if first_year > last_year:
            raise CommandError("--from must be a year before or equal to --to.")
        added = bank_holidays_seed(first_year=first_year, last_year=last_year)
        self.stdout.write(f"Bank holidays {first_year} to {last_year}: {added} added.")
