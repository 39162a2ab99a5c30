from django.contrib import admin
from django.urls import include, path
from health_check.views import HealthCheckView

from portal.health import health_checks

urlpatterns = [
    path("health/", HealthCheckView.as_view(checks=health_checks()), name="health"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("core.urls")),
]
