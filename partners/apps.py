from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The selection questionnaire section of the procurement builder.
        from . import sections  # noqa: F401
