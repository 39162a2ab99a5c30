"""urls_amendments"""

urlpatterns: list = []
