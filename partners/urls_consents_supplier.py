"""The supplier's pages of the consents under /tenders/ (namespace ``tenders``)."""

urlpatterns: list = []
