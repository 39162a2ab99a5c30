"""The evaluation and award pages at 10 and at 50 tenders: queries and median time.

A procurement in evaluation has a final round of ``size`` tenders and four award criteria
(three of quality, one of price); three quality evaluators and one price evaluator have
declared, marked and completed every tender, and the lead officer has moderated each. The
figures are for the real database (a throw-away PostgreSQL database, the test settings).

    DJANGO_SETTINGS_MODULE=portal.settings.test .venv/bin/python benchmarks/evaluation.py
"""

from __future__ import annotations

import os
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.utils import timezone

from benchmarks.run import line, page_figures, throwaway_database
from core.models import OfficerRole

QUALITY = (("Quality of the solution", 30), ("Delivery plan", 20), ("Social value", 20))


def _procurement(borough, officer, approver):
    from partners.models import Evaluation, EvaluationPart, PanelMember, TenderRound
    from procurements.models import AwardCriterion, CriterionKind, Procurement
    from tests import factories

    procurement = factories.ProcurementFactory(
        borough=borough, lead_officer=officer, approver=approver, title="Benchmark evaluation"
    )
    Procurement.objects.filter(pk=procurement.pk).update(status="evaluation", max_partners=3)
    for order, (name, weight) in enumerate(QUALITY, start=1):
        kind = CriterionKind.SOCIAL_VALUE if name == "Social value" else CriterionKind.QUALITY
        AwardCriterion.objects.create(
            procurement=procurement, kind=kind, name=name, weight=weight, order=order
        )
    AwardCriterion.objects.create(
        procurement=procurement, kind=CriterionKind.PRICE, name="Price", weight=30, order=9
    )
    past = timezone.now() - timedelta(days=1)
    tender_round = TenderRound.objects.create(
        procurement=procurement,
        number=1,
        kind="final",
        deadline=past,
        opens_at=past,
        created_by=officer,
        opening_requested_by=officer,
        opened_by=approver,
        opened_at=past,
    )
    TenderRound.objects.filter(pk=tender_round.pk).update(status="opened")
    evaluation = Evaluation.objects.create(
        procurement=procurement, round=tender_round, purpose="award", started_by=officer
    )
    evaluators = [factories.officer(borough, OfficerRole.EVALUATOR) for _ in range(3)]
    procurement.evaluators.add(*evaluators)
    PanelMember.objects.bulk_create(
        [PanelMember(evaluation=evaluation, evaluator=e, part=EvaluationPart.QUALITY)
         for e in evaluators]
        + [PanelMember(evaluation=evaluation, evaluator=officer, part=EvaluationPart.PRICE)]
    )  # fmt: skip
    return procurement, tender_round, evaluation, evaluators


def _grow(procurement, tender_round, officer, evaluators, size: int) -> None:
    """Tenders up to ``size``, each declared, marked, completed and moderated."""
    from partners.models import (
        ParticipationRequest,
        Proposal,
        ProposalSubmission,
        TenderConsensus,
        TenderReview,
        TenderScore,
    )
    from tests import factories

    criteria = list(procurement.award_criteria.all())
    now = timezone.now()
    for number in range(tender_round.proposals.count(), size):
        organisation = factories.SupplierOrganisationFactory()
        admin = factories.supplier(organisation)
        request = ParticipationRequest.objects.create(
            procurement=procurement, organisation=organisation, created_by=admin
        )
        ParticipationRequest.objects.filter(pk=request.pk).update(status="shortlisted")
        proposal = Proposal.objects.create(round=tender_round, request=request, created_by=admin)
        Proposal.objects.filter(pk=proposal.pk).update(status="submitted", submitted_at=now)
        ProposalSubmission.objects.create(
            proposal=proposal, number=1, sealed_content=b"", sha256="0" * 64, submitted_by=admin
        )
        price = Decimal(200000 + 1000 * number)
        seats = [(e, "quality") for e in evaluators] + [(officer, "price")]
        for person, part in seats:
            TenderReview.objects.create(
                proposal=proposal, evaluator=person, part=part, has_conflict=False,
                completed_at=now,
            )  # fmt: skip
        for criterion in criteria:
            mark = {"reason": "Well evidenced.", "criterion": criterion, "proposal": proposal}
            if criterion.kind == "price":
                mark |= {"price_accepted": True, "price": price}
                TenderScore.objects.create(evaluator=officer, **mark)
            else:
                mark |= {"score": 1 + (number + criterion.order) % 5}
                for person in evaluators:
                    TenderScore.objects.create(evaluator=person, **mark)
            TenderConsensus.objects.create(moderated_by=officer, **mark)


def main() -> None:
    with throwaway_database("portal_benchmark_evaluation"):
        from django.test import Client
        from django.urls import reverse

        from tests import factories
        from tests.signing_in import force_sign_in

        borough = factories.BoroughFactory(name="Benchmark Borough", slug="benchmark")
        officer = factories.officer(borough, OfficerRole.OFFICER)
        approver = factories.officer(borough, OfficerRole.APPROVER)
        procurement, tender_round, _evaluation, evaluators = _procurement(
            borough, officer, approver
        )
        kwargs = {"pk": procurement.pk, "round_pk": tender_round.pk}
        print(
            f"Evaluation pages on PostgreSQL, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}"
        )
        print("  (queries; median time over 7 requests, in-process client)")
        for size in (10, 50):
            _grow(procurement, tender_round, officer, evaluators, size)
            first = tender_round.proposals.order_by("pk").first()
            pages = [
                ("evaluation dashboard with the ranking", officer,
                 reverse("partners:evaluation-round", kwargs=kwargs)),
                ("an evaluator's list", evaluators[0],
                 reverse("partners:evaluation-mine", kwargs=kwargs)),
                ("moderation of one tender (4 members' marks)", officer,
                 reverse("partners:evaluation-moderate",
                         kwargs={**kwargs, "proposal_pk": first.pk})),
                ("award: ranking and proposal form", officer,
                 reverse("partners:award", kwargs={"pk": procurement.pk})),
            ]  # fmt: skip
            print(f"  at {size} tenders:")
            for name, person, url in pages:
                client = Client()
                force_sign_in(client, person)
                response = client.get(url)
                if response.status_code != 200:
                    line(f"  {name}", f"HTTP {response.status_code}")
                    continue
                queries, seconds = page_figures(client, url)
                line(f"  {name}", f"{queries} queries, {seconds * 1000:.1f} ms")


if __name__ == "__main__":
    main()
