"""urls_engagement"""

urlpatterns: list = []
