"""The borough's pages of the evaluation under /procurements/<pk>/ (namespace ``partners``)."""

urlpatterns: list = []
