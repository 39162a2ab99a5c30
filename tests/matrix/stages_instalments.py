"""Permission-matrix entries: the stages instalments pages."""

from __future__ import annotations

ENTRIES: list = []
