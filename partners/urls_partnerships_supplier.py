"""The supplier's pages of the partnerships under /tenders/ (namespace ``tenders``)."""

urlpatterns: list = []
