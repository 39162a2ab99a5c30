from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.page_links import SUPPLIER_HOME, PageLink
        from procurements.registry import PROCUREMENT_PAGES

        # The selection questionnaire section and the document kinds: selection letters,
        # letters to tenderers not continuing after a reduction, assessment summaries.
        from . import documents, documents_award, documents_reduction, sections  # noqa: F401

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
                "Invitations to tender",
                "tenders:list",
                "Submit your proposal in the sealed tender box before the deadline, and keep "
                "your receipts.",
                order=25,
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
        PROCUREMENT_PAGES.register(
            PageLink(
                "Tenders",
                "partners:tenders",
                "Open a round of tenders; until the box is opened, how many proposals were "
                "submitted; then the proposals, and every attempt and access.",
                order=20,
            )
        )
