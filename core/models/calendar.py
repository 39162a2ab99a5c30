"""Bank holidays, kept as data an administrator can edit."""

from django.db import models

from .accounts import Nation


class BankHoliday(models.Model):
    """A bank holiday in one part of the UK.

    Seeded from the ``holidays`` package; an administrator adds a holiday
    announced at short notice, and deadlines already running move with it.
    """

    date = models.DateField(db_index=True)
    region = models.CharField(max_length=3, choices=Nation.choices)
    name = models.CharField(max_length=120)
    added_by_hand = models.BooleanField(default=False)

    class Meta:
        ordering = ["date", "region"]
        constraints = [
            models.UniqueConstraint(fields=["date", "region"], name="core_bank_holiday_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d %B %Y} {self.name} ({self.get_region_display()})"
