"""Permission-matrix entries: the stages gates pages."""

from __future__ import annotations

ENTRIES: list = []
