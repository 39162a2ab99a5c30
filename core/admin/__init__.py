"""Django admin for core, one module per area."""

from . import accounts, audit, calendar, documents  # noqa: F401
