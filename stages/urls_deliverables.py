"""URLs of the running phases: deliverables (filled by that area's views)."""

urlpatterns: list = []
