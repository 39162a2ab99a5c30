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
        from .documents_gate import register_gate_documents
        from .services_participation import participations_create

        # Entering the contracts starts every partner in the first announced phase.
        register_contracts_entered(participations_create)
        # The stage-gate report and each partner's letter, rendered at every gate decision.
        register_gate_documents()
        PROCUREMENT_PAGES.register(
            PageLink(
                "Stages",
                "stages:progress",
                "Every partner's progress through every phase: a table, a timeline and a "
                "funnel of the partners still in each phase.",
                order=70,
            )
        )
        PROCUREMENT_PAGES.register(
            PageLink(
                "Money",
                "stages:money",
                "Each partner's instalments per phase against the agreed prices and the "
                "contract's total: claims to decide, payments to record, and claims unpaid for "
                "over 30 days.",
                order=72,
            )
        )
        PROCUREMENT_PAGES.register(
            PageLink(
                "Purchase",
                "stages:purchase",
                "Each partner's standing for the final purchase, the agreed performance levels "
                "and maximum cost, and the decisions.",
                order=74,
            )
        )
        PROCUREMENT_PAGES.register(
            PageLink(
                "Stage-gate reports",
                "stages:reports",
                "Every stage-gate report by phase and version, and each partner's letter; "
                "generate again any that failed.",
                order=75,
            )
        )
        SUPPLIER_HOME.register(
            PageLink(
                "Your R&D phases",
                "stages:partner-phases",
                "Each phase of your partnerships: its state, dates, aims and intermediate "
                "targets, what you must do next, your deliverables, and the final report that "
                "submits a phase for review.",
                order=29,
            )
        )
        SUPPLIER_HOME.register(
            PageLink(
                "Your instalments and payments",
                "stages:partner-money",
                "Each instalment of your partnerships: its state, amounts and caps, and "
                "claiming it.",
                order=31,
            )
        )
