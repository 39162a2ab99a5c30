"""The public opportunities pages: the list with its search and filters, and one opportunity."""

from django.urls import path

from .views import public

urlpatterns: list = [
    path("", public.opportunity_list_page, name="list"),
    path("<int:pk>/", public.opportunity_detail_page, name="detail"),
]
