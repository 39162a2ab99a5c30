"""The borough's pages of the award under /procurements/<pk>/ (namespace ``partners``)."""

urlpatterns: list = []
