from django.urls import path

from . import views

app_name = "ip_rights"

urlpatterns = [
    path("<int:pk>/ip-terms/", views.ip_terms_edit, name="ip-terms"),
]
