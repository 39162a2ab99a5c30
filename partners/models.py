"""Supplier side: requests to participate, proposals, evaluation, award."""
