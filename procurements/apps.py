from django.apps import AppConfig


class ProcurementsConfig(AppConfig):
    name = "procurements"
    default_auto_field = "django.db.models.BigAutoField"
