"""urls_publication"""

urlpatterns: list = []
