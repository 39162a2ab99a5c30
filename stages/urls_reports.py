"""URLs of the running phases: reports (filled by that area's views)."""

urlpatterns: list = []
