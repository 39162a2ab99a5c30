"""urls_questions"""

urlpatterns: list = []
