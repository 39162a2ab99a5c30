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
                "Requests for consent",
                "tenders:consents",
                "Boroughs asking to share a specific item of your information with other "
                "tenderers: give or refuse consent to each.",
                order=27,
            ),
            PageLink(
                "Your partnerships",
                "tenders:partnerships",
                "Your partnership contracts: the agreed price of each phase, the final "
                "purchase's maximum cost and performance levels, and the IP terms.",
                order=28,
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
                "Consent to share",
                "partners:consents",
                "Ask a tenderer's consent to share one item of its information, and see every "
                "answer.",
                order=25,
            )
        )
        PROCUREMENT_PAGES.register(
            PageLink(
                "Partnerships",
                "partners:partnerships",
                "After standstill, enter the partnership contracts; then each partner's prices "
                "per phase, caps and IP terms.",
                order=60,
            )
        )
        PROCUREMENT_PAGES.register(
            PageLink(
                "Evaluation",
                "partners:evaluation",
                "Start the evaluation of an opened round, follow the panel's conflicts "
                "declarations and marks, moderate each tender and see the price-quality ranking.",
                order=30,
            )
        )
        PROCUREMENT_PAGES.register(
            PageLink(
                "Award",
                "partners:award",
                "The ranking of the final tenders, the award decision and its approval, the "
                "assessment summaries, the contract award notice and the standstill period.",
                order=40,
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
