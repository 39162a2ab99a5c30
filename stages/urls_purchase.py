"""URLs of the running phases: purchase (filled by that area's views)."""

urlpatterns: list = []
