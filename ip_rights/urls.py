from django.urls import path  # noqa: F401

app_name = "ip_rights"

urlpatterns: list = []
