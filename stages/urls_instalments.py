"""URLs of the running phases: instalments (filled by that area's views)."""

urlpatterns: list = []
