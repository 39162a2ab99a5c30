from django.apps import AppConfig


class IpRightsConfig(AppConfig):
    name = "ip_rights"
    default_auto_field = "django.db.models.BigAutoField"
