from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.page_links import SUPPLIER_HOME, PageLink
        from procurements.registry import PROCUREMENT_PAGES

        # The selection questionnaire section and the selection letters document kind.
        from . import documents, sections  # noqa: F401

        for link in (
            PageLink(
                "Your requests to participate",
                "requests:list",
                "Answer a call's selection questionnaire, submit it before the deadline and "
                "keep your receipts.",
                order=10,
            ),
            PageLink(
                "Consortium invitations",
                "requests:consortium-invitations",
                "Requests other organisations have named you in: confirm or decline, and make "
                "your exclusion declarations.",
                order=20,
            ),
            PageLink(
                "Evidence library",
                "requests:library",
                "Company facts, case studies and accreditations to reuse in any request.",
                order=30,
            ),
        ):
            SUPPLIER_HOME.register(link)
        PROCUREMENT_PAGES.register(
            PageLink(
                "Requests to participate",
                "partners:selection",
                "How many have been submitted; after the deadline, who applied and the flags "
                "to check.",
                order=10,
            )
        )
