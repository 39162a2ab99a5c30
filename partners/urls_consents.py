"""The borough's pages of the consents under /procurements/<pk>/ (namespace ``partners``)."""

urlpatterns: list = []
