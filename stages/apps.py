from django.apps import AppConfig


class StagesConfig(AppConfig):
    name = "stages"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.page_links import SUPPLIER_HOME, PageLink
        from partners.contract_hooks import register_contracts_entered
        from procurements.registry import PROCUREMENT_PAGES

        # The phase plan's builder section in the procurement's task list.
        from . import sections  # noqa: F401
        from .services_participation import participations_create

        # Entering the contracts starts every partner in the first announced phase.
        register_contracts_entered(participations_create)
        PROCUREMENT_PAGES.register(
            PageLink(
                "Stages",
                "stages:progress",
                "Every partner's progress through every phase: a table, a timeline and a "
                "funnel of the partners still in each phase.",
                order=70,
            )
        )
        SUPPLIER_HOME.register(
            PageLink(
                "Your R&D phases",
                "stages:partner-phases",
                "Each phase of your partnerships: its state, dates, aims and intermediate "
                "targets, what you must do next, and submitting a phase for review.",
                order=29,
            )
        )
