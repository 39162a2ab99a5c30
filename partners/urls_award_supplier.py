"""The supplier's pages of the award under /tenders/ (namespace ``tenders``)."""

urlpatterns: list = []
