"""The borough's pages of the reduction under /procurements/<pk>/ (namespace ``partners``)."""

urlpatterns: list = []
