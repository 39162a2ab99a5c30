"""Permission-matrix entries: requests."""

from __future__ import annotations

ENTRIES: list = []
