"""URLs of the supplier pages: evidence (included by partners/urls_supplier.py)."""

urlpatterns: list = []
