"""Permission-matrix entries: the pages of the reduction."""

from __future__ import annotations

ENTRIES: list = []
