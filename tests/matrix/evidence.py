"""Permission-matrix entries: evidence."""

from __future__ import annotations

ENTRIES: list = []
