"""Seed the bank holidays of all four nations, 2015 to 2035."""

from django.db import migrations


def seed(apps, schema_editor):
    from core.calendar import bank_holidays_seed

    bank_holidays_seed(first_year=2015, last_year=2035, model=apps.get_model("core", "BankHoliday"))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_documents_one_in_flight"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
