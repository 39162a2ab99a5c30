from django.urls import path  # noqa: F401

from .views import approval, builder  # noqa: F401

app_name = "procurements"

urlpatterns: list = []
