from django.apps import AppConfig


class StagesConfig(AppConfig):
    name = "stages"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The phase plan's builder section in the procurement's task list.
        from . import sections  # noqa: F401
