"""URLs of the supplier pages: consortia (included by partners/urls_supplier.py)."""

urlpatterns: list = []
