from django.urls import path

from .views import accounts

app_name = "core"

urlpatterns = [
    path("", accounts.home, name="home"),
]
