"""Permission-matrix entries: public."""

ENTRIES: list = []
