"""Permission-matrix entries: consortia."""

from __future__ import annotations

ENTRIES: list = []
