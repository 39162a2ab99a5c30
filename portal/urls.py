from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from health_check.views import HealthCheckView

from core.views.accounts import admin_sign_in
from portal.health import health_checks

admin.site.site_header = f"{settings.PORTAL_NAME} administration"
admin.site.site_title = f"{settings.PORTAL_NAME} administration"
admin.site.index_title = "People, boroughs and records"
# The admin's own sign-in form would skip the authenticator app: wherever the admin
# asks someone to sign in, they go to the portal's sign-in instead.
admin.site.login = admin_sign_in

urlpatterns = [
    path("health/", HealthCheckView.as_view(checks=health_checks()), name="health"),
    path("admin/login/", admin_sign_in),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("opportunities/", include("procurements.urls_public")),
    path("procurements/", include("procurements.urls")),
    path("procurements/", include("stages.urls")),
    path("procurements/", include("ip_rights.urls")),
    path("procurements/", include("partners.urls")),
    path("requests/", include("partners.urls_supplier")),
    path("tenders/", include("partners.urls_tenders")),
    path("", include("core.urls")),
]
