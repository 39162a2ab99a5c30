"""Receivers that record sign-in events in the audit trail (filled in by the accounts work)."""
