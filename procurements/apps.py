from django.apps import AppConfig


class ProcurementsConfig(AppConfig):
    name = "procurements"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # This app's own builder sections (the apps above register theirs) and the
        # ITT document kind, which core renders.
        from . import documents, sections, sections_lists  # noqa: F401
