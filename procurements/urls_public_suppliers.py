"""urls_public_suppliers"""

urlpatterns: list = []
