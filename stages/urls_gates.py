"""URLs of the running phases: gates (filled by that area's views)."""

urlpatterns: list = []
