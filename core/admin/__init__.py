"""Django admin for core, one module per area."""
