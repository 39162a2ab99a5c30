"""Permission-matrix entries: the stages purchase pages."""

from __future__ import annotations

ENTRIES: list = []
