"""The evaluation of opened tenders (issue 5 point 4): the panel, conflicts declared before
any tender is read (PA 2023 ss.81-83), reading by part, blind marks with reasons on the
published scale, moderation once every member has completed, and the ranking."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail

from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent, OfficerRole
from partners.award_scoring import Tender, rank_tenders
from partners.evaluation_ranking import evaluation_ranking
from partners.models import (
    AwardDecision,
    EvaluationPart,
    EvaluationPurpose,
    Proposal,
    Reduction,
    RoundKind,
    TenderConsensus,
    TenderRound,
    TenderScore,
)
from partners.permissions_evaluation import decision_taken
from partners.scoring import Mark
from partners.selectors_evaluation import others_marks
from partners.services_evaluation import (
    consensus_save,
    evaluation_start,
    marks_save,
    tender_read,
)
from procurements.models import ProcurementStatus
from tests import factories
from tests.partners.evaluation_samples import (
    all_declared,
    all_marked,
    evaluation_started,
    final_tenders_opened,
    member_marks,
    moderated,
    schedule_total,
)
from tests.partners.tender_samples import (
    initial_tenders_opened,
    opened_by_two,
    round_opened,
    tendering,
)

pytestmark = pytest.mark.django_db


def _events(action: str):
    return AuditEvent.objects.filter(action=action)


def _quality(evaluation):
    return evaluation.procurement.award_criteria.exclude(kind="price").get()


def _price(evaluation):
    return evaluation.procurement.award_criteria.get(kind="price")


# --- starting ---------------------------------------------------------------------------------


def test_final_round_is_evaluated_for_the_award_and_the_panel_told(
    personas, django_capture_on_commit_callbacks
):
    final = final_tenders_opened(personas)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        evaluation = evaluation_started(personas, final)
    final.procurement.refresh_from_db()
    assert evaluation.purpose == EvaluationPurpose.AWARD
    assert final.procurement.status == ProcurementStatus.EVALUATION
    assert {(s.evaluator_id, s.part) for s in evaluation.panel.all()} == {
        (personas.evaluator_a.pk, EvaluationPart.QUALITY),
        (personas.officer_a.pk, EvaluationPart.PRICE),
    }
    assert sorted(m.to[0] for m in mail.outbox) == [
        "evaluator-a@example.org",
        "officer-a@example.org",
    ]
    event = _events("evaluation.started").get()
    assert event.actor == personas.officer_a
    assert event.data["tenders"] == 2


def test_nothing_is_sent_when_the_start_is_refused(personas, django_capture_on_commit_callbacks):
    final = final_tenders_opened(personas)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ApplicationError):
        evaluation_started(personas, final, price=[personas.approver_a])
    assert mail.outbox == []
    assert not _events("evaluation.started").exists()


@pytest.mark.parametrize("who", ["approver_a", "evaluator_a", "officer_b"])
def test_only_the_lead_officer_starts_it(personas, who):
    final = final_tenders_opened(personas)
    with pytest.raises(PermissionRefused):
        evaluation_start(
            actor=getattr(personas, who),
            tender_round=final.final_round,
            quality_evaluators=[personas.evaluator_a],
            price_evaluators=[personas.officer_a],
        )


def test_each_part_needs_someone_holding_a_role_that_may_evaluate_it(personas):
    final = final_tenders_opened(personas)
    with pytest.raises(ApplicationError) as refused:
        evaluation_start(
            actor=personas.officer_a,
            tender_round=final.final_round,
            quality_evaluators=[personas.officer_a],
            price_evaluators=[],
        )
    errors = refused.value.extra["errors"]
    assert "evaluators" in errors["quality_evaluators"]
    assert errors["price_evaluators"] == "Choose at least one price evaluator"


def test_a_round_is_evaluated_once(personas):
    final = final_tenders_opened(personas)
    evaluation_started(personas, final)
    with pytest.raises(ApplicationError, match="already evaluated"):
        evaluation_started(personas, final)


def test_an_earlier_round_is_evaluated_only_where_reduction_was_announced(personas):
    tender = tendering(personas)
    first = initial_tenders_opened(personas, tender)
    start = {
        "actor": personas.officer_a,
        "tender_round": first,
        "quality_evaluators": [personas.evaluator_a],
        "price_evaluators": [personas.officer_a],
    }
    with pytest.raises(ApplicationError, match="did not announce"):
        evaluation_start(**start)
    tender.procurement.reduce_between_rounds = True
    tender.procurement.save(update_fields=["reduce_between_rounds"])
    evaluation = evaluation_start(**start)
    tender.procurement.refresh_from_db()
    assert evaluation.purpose == EvaluationPurpose.REDUCTION
    assert tender.procurement.status == ProcurementStatus.TENDERING


def test_an_earlier_round_cannot_be_reduced_once_a_later_one_began(personas):
    final = final_tenders_opened(personas)
    final.procurement.reduce_between_rounds = True
    final.procurement.save(update_fields=["reduce_between_rounds"])
    with pytest.raises(ApplicationError, match="later round"):
        evaluation_start(
            actor=personas.officer_a,
            tender_round=final.tender.round(),
            quality_evaluators=[personas.evaluator_a],
            price_evaluators=[personas.officer_a],
        )


def test_a_round_without_tenders_points_to_ending_the_procurement(personas):
    tender = tendering(personas)
    empty = round_opened(personas, tender)
    TenderRound.objects.filter(pk=empty.pk).update(kind=RoundKind.FINAL)
    opened_by_two(personas, empty)
    empty.refresh_from_db()
    with pytest.raises(ApplicationError, match="End the procurement"):
        evaluation_start(
            actor=personas.officer_a,
            tender_round=empty,
            quality_evaluators=[personas.evaluator_a],
            price_evaluators=[personas.officer_a],
        )


# --- conflicts and reading ---------------------------------------------------------------------


def test_a_member_who_has_not_declared_cannot_read_a_tender_and_the_attempt_is_recorded(
    personas,
):
    final = final_tenders_opened(personas)
    evaluation_started(personas, final)
    with pytest.raises(PermissionRefused, match="Declare your conflicts"):
        tender_read(actor=personas.evaluator_a, proposal=final.proposal_a, part="quality")
    refused = _events("evaluation.read_refused").get()
    assert refused.actor == personas.evaluator_a
    assert not _events("evaluation.tender_read").exists()


def test_a_declared_conflict_closes_that_tender_only(personas):
    final = final_tenders_opened(personas)
    evaluation = evaluation_started(personas, final)
    all_declared(
        evaluation,
        conflicts={(personas.evaluator_a.pk, final.proposal_a.pk): "My brother runs it."},
    )
    with pytest.raises(PermissionRefused, match="conflict"):
        tender_read(actor=personas.evaluator_a, proposal=final.proposal_a, part="quality")
    seen = tender_read(actor=personas.evaluator_a, proposal=final.proposal_b, part="quality")
    assert seen.proposal == final.proposal_b
    with pytest.raises(ApplicationError):
        marks_save(
            actor=personas.evaluator_a,
            proposal=final.proposal_a,
            part="quality",
            marks=member_marks(evaluation),
        )


def test_quality_members_see_answers_never_prices_and_price_members_the_reverse(personas):
    final = final_tenders_opened(personas)
    evaluation = evaluation_started(personas, final)
    all_declared(evaluation)
    quality = tender_read(actor=personas.evaluator_a, proposal=final.proposal_a, part="quality")
    assert [text for _, text in quality.answers] == ["Our final answer."]
    assert quality.background_ip.startswith("Background IP")
    assert quality.prices == [] and quality.total is None
    price = tender_read(actor=personas.officer_a, proposal=final.proposal_a, part="price")
    assert price.answers == [] and price.background_ip == "" and price.files == []
    assert [line["price"] for line in price.prices] == [Decimal("75000.00"), Decimal("150000.00")]
    assert price.total == schedule_total()
    assert _events("evaluation.tender_read").count() == 2


def test_a_member_reads_only_the_part_they_sit_on(personas):
    final = final_tenders_opened(personas)
    evaluation = evaluation_started(personas, final)
    all_declared(evaluation)
    with pytest.raises(PermissionRefused, match="panel for this part"):
        tender_read(actor=personas.evaluator_a, proposal=final.proposal_a, part="price")
    # Not on the panel at all: the approver of the borough is refused too, and it is recorded.
    with pytest.raises(PermissionRefused, match="panel for this part"):
        tender_read(actor=personas.approver_a, proposal=final.proposal_a, part="quality")
    refused = _events("evaluation.read_refused").latest("pk")
    assert refused.actor_id == personas.approver_a.pk


# --- marks ------------------------------------------------------------------------------------


def _declared(personas):
    final = final_tenders_opened(personas)
    evaluation = evaluation_started(personas, final)
    all_declared(evaluation)
    return final, evaluation


def test_every_mark_needs_a_reason(personas):
    final, evaluation = _declared(personas)
    quality = _quality(evaluation)
    with pytest.raises(ApplicationError) as refused:
        marks_save(
            actor=personas.evaluator_a,
            proposal=final.proposal_a,
            part="quality",
            marks={quality.pk: Mark(score=3, reason="  ")},
        )
    assert "give the reason" in refused.value.extra["errors"][f"c{quality.pk}_reason"]
    assert not TenderScore.objects.exists()


def test_a_score_off_the_published_scale_is_refused(personas):
    final, evaluation = _declared(personas)
    quality = _quality(evaluation)
    with pytest.raises(ApplicationError) as refused:
        marks_save(
            actor=personas.evaluator_a,
            proposal=final.proposal_a,
            part="quality",
            marks={quality.pk: Mark(score=6, reason="Excellent.")},
        )
    assert "from 0 to 5" in refused.value.extra["errors"][f"c{quality.pk}_mark"]


def test_marks_are_saved_as_you_go_and_completing_needs_every_criterion(personas):
    final, evaluation = _declared(personas)
    price = _price(evaluation)
    marks_save(actor=personas.officer_a, proposal=final.proposal_a, part="price", marks={})
    with pytest.raises(ApplicationError):
        marks_save(
            actor=personas.officer_a,
            proposal=final.proposal_a,
            part="price",
            marks={},
            complete=True,
        )
    marks_save(
        actor=personas.officer_a,
        proposal=final.proposal_a,
        part="price",
        marks={price.pk: Mark(passed=True, reason="Arithmetic right, not abnormally low.")},
        complete=True,
    )
    mark = TenderScore.objects.get(proposal=final.proposal_a, evaluator=personas.officer_a)
    assert mark.price_accepted is True
    assert mark.price == schedule_total()  # computed from the schedule, never typed
    assert _events("evaluation.marks_completed").count() == 1
    with pytest.raises(PermissionRefused):
        marks_save(
            actor=personas.officer_a,
            proposal=final.proposal_a,
            part="price",
            marks={price.pk: Mark(passed=False, reason="Changed my mind.")},
        )


def test_a_member_sees_no_other_marks_until_they_complete_their_own(personas):
    second = factories.officer(
        personas.borough_a, OfficerRole.EVALUATOR, email="evaluator-two@example.org"
    )
    final = final_tenders_opened(personas)
    evaluation = evaluation_started(personas, final, quality=[personas.evaluator_a, second])
    all_declared(evaluation)
    marks = member_marks(evaluation, 2)
    proposal = final.proposal_a
    marks_save(actor=second, proposal=proposal, part="quality", marks=marks, complete=True)
    review = proposal.reviews.get(evaluator=personas.evaluator_a)
    assert others_marks(personas.evaluator_a, proposal, review) == []
    marks_save(
        actor=personas.evaluator_a,
        proposal=proposal,
        part="quality",
        marks=member_marks(evaluation, 4),
        complete=True,
    )
    review.refresh_from_db()
    seen = others_marks(personas.evaluator_a, proposal, review)
    assert [(m.evaluator, m.score) for m in seen] == [(second, 2)]


# --- moderation and ranking -------------------------------------------------------------------


def test_moderation_waits_until_every_member_has_completed(personas):
    final, evaluation = _declared(personas)
    marks_save(
        actor=personas.evaluator_a,
        proposal=final.proposal_a,
        part="quality",
        marks=member_marks(evaluation),
        complete=True,
    )
    with pytest.raises(ApplicationError, match=r"\(Price\) still to do"):
        consensus_save(
            actor=personas.officer_a, proposal=final.proposal_a, marks=member_marks(evaluation)
        )
    assert not TenderConsensus.objects.exists()


def test_only_the_lead_officer_moderates(personas):
    final = final_tenders_opened(personas)
    evaluation = evaluation_started(personas, final)
    all_marked(evaluation)
    with pytest.raises(PermissionRefused):
        consensus_save(
            actor=personas.approver_a, proposal=final.proposal_a, marks=member_marks(evaluation)
        )


def test_the_consensus_is_recorded_with_reasons_and_the_schedule_total(personas):
    final = final_tenders_opened(personas)
    evaluation = evaluation_started(personas, final)
    all_marked(evaluation)
    consensus_save(
        actor=personas.officer_a, proposal=final.proposal_a, marks=member_marks(evaluation, 5)
    )
    price = TenderConsensus.objects.get(proposal=final.proposal_a, criterion=_price(evaluation))
    assert price.price == schedule_total() and price.price_accepted is True
    event = _events("evaluation.moderated").get()
    assert event.data["consensus"][str(_quality(evaluation).pk)] == 5
    assert event.data["reasons"][str(_quality(evaluation).pk)] == "Well evidenced."


def test_the_ranking_is_the_award_arithmetic_on_the_consensus(personas):
    cheaper = {"1": "60,000", "2": "100,000"}
    final = final_tenders_opened(personas, prices_b=cheaper)
    evaluation = evaluation_started(personas, final)
    moderated(personas, evaluation, scores={final.proposal_a.pk: 5, final.proposal_b.pk: 3})
    ranking = evaluation_ranking(evaluation)
    quality = _quality(evaluation)
    expected = rank_tenders(
        [
            Tender(final.proposal_a.pk, "Alpha Robotics Ltd", {quality.pk: 5}, schedule_total()),
            Tender(final.proposal_b.pk, "Beta Care CIC", {quality.pk: 3}, schedule_total(cheaper)),
        ],
        weights={quality.pk: 70},
        price_weight=30,
        formula=final.procurement.price_formula,
        maximum=5,
    )
    assert ranking.complete
    assert ranking.ranked == expected
    assert ranking.ranked[0].tender.key == final.proposal_a.pk


def test_a_price_schedule_not_accepted_is_listed_not_ranked(personas):
    final = final_tenders_opened(personas)
    evaluation = evaluation_started(personas, final)
    moderated(personas, evaluation, scores={final.proposal_b.pk: None})
    ranking = evaluation_ranking(evaluation)
    assert ranking.not_compliant == [final.proposal_b]
    assert [r.tender.key for r in ranking.ranked] == [final.proposal_a.pk]


def test_the_consensus_stands_once_an_award_is_proposed(personas):
    final = final_tenders_opened(personas)
    evaluation = evaluation_started(personas, final)
    moderated(personas, evaluation)
    assert not decision_taken(evaluation)
    AwardDecision.objects.create(
        procurement=final.procurement,
        evaluation=evaluation,
        reason="The best-ranked tenderer.",
        proposed_by=personas.officer_a,
    )
    assert decision_taken(evaluation)
    with pytest.raises(PermissionRefused):
        consensus_save(
            actor=personas.officer_a, proposal=final.proposal_a, marks=member_marks(evaluation)
        )


def test_the_consensus_stands_once_a_reduction_is_decided(personas):
    tender = tendering(personas)
    first = initial_tenders_opened(personas, tender)
    tender.procurement.reduce_between_rounds = True
    tender.procurement.save(update_fields=["reduce_between_rounds"])
    evaluation = evaluation_start(
        actor=personas.officer_a,
        tender_round=first,
        quality_evaluators=[personas.evaluator_a],
        price_evaluators=[personas.officer_a],
    )
    moderated(personas, evaluation)
    assert evaluation_ranking(evaluation).complete
    Reduction.objects.create(
        evaluation=evaluation, reason="The two best continue.", decided_by=personas.officer_a
    )
    assert decision_taken(evaluation)
    proposal = evaluation_ranking(evaluation).ranked[0]
    with pytest.raises(PermissionRefused):
        consensus_save(
            actor=personas.officer_a,
            proposal=Proposal.objects.get(pk=proposal.tender.key),
            marks=member_marks(evaluation),
        )
