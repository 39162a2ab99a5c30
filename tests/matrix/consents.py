"""Permission-matrix entries: the pages of the consents."""

from __future__ import annotations

ENTRIES: list = []
