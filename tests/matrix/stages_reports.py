"""Permission-matrix entries: the stages reports pages."""

from __future__ import annotations

ENTRIES: list = []
