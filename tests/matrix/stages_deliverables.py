"""Permission-matrix entries: the stages deliverables pages."""

from __future__ import annotations

ENTRIES: list = []
