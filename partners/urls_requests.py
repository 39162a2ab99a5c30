"""URLs of the supplier pages: requests (included by partners/urls_supplier.py)."""

urlpatterns: list = []
