"""The supplier's pages of requests to participate, consortia and the evidence library,
under /requests/ (namespace ``requests``)."""

from . import urls_consortia, urls_evidence, urls_requests

app_name = "requests"

urlpatterns = [
    *urls_requests.urlpatterns,
    *urls_consortia.urlpatterns,
    *urls_evidence.urlpatterns,
]
