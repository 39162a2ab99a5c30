from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Accounts, audit, documents and calendar"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import audit_hooks  # noqa: F401  (sign-in and admin audit hooks)
