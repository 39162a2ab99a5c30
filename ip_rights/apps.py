from django.apps import AppConfig


class IpRightsConfig(AppConfig):
    name = "ip_rights"
    verbose_name = "IP rights"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The IP terms section of the procurement builder.
        from . import sections  # noqa: F401
