"""Permission-matrix entries: the pages of the evaluation."""

from __future__ import annotations

ENTRIES: list = []
