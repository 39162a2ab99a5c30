"""Permission-matrix entries: publication."""

ENTRIES: list = []
