"""Permission-matrix entries: the pages of the award."""

from __future__ import annotations

ENTRIES: list = []
