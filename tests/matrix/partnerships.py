"""Permission-matrix entries: the pages of the partnerships."""

from __future__ import annotations

ENTRIES: list = []
