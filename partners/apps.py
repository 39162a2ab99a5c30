from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The selection questionnaire section of the procurement builder.
        from core.home_links import HomeLink, register_supplier_home_link
        from procurements.registry import ProcurementLink, register_procurement_link

        from . import sections  # noqa: F401

        for link in (
            HomeLink(
                "Your requests to participate",
                "requests:list",
                "Answer a call's selection questionnaire, submit it before the deadline and "
                "keep your receipts.",
                order=10,
            ),
            HomeLink(
                "Consortium invitations",
                "requests:consortium-invitations",
                "Requests other organisations have named you in: confirm or decline, and make "
                "your exclusion declarations.",
                order=20,
            ),
            HomeLink(
                "Evidence library",
                "requests:library",
                "Company facts, case studies and accreditations to reuse in any request.",
                order=30,
            ),
        ):
            register_supplier_home_link(link)
        register_procurement_link(
            ProcurementLink(
                "Requests to participate",
                "partners:selection",
                "How many have been submitted; after the deadline, who applied and the flags "
                "to check.",
                order=10,
            )
        )
