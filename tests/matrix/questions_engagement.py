"""Permission-matrix entries: questions_engagement."""

ENTRIES: list = []
