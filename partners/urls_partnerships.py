"""The borough's pages of the partnerships under /procurements/<pk>/ (namespace ``partners``)."""

urlpatterns: list = []
