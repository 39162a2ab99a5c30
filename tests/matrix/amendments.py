"""Permission-matrix entries: amendments."""

ENTRIES: list = []
