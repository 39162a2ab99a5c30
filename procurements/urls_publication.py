"""The officer page of what a procurement published, and asking again for its ITT."""

from django.urls import path

from .views import publication

urlpatterns: list = [
    path("<int:pk>/publication/", publication.publication, name="publication"),
    path(
        "<int:pk>/publication/itt/generate-again/",
        publication.itt_retry_request,
        name="itt-retry",
    ),
]
