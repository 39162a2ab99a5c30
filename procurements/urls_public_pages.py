"""urls_public_pages"""

urlpatterns: list = []
