"""What keeps the evaluation and the award honest beyond the marks themselves: once the
evaluation has started, the panel reads tenders only through it (their own part, after their
declarations); a member of the panel is named on the procurement so its pages are theirs; a
lead officer who declared a conflict with a tenderer does not moderate its tender; a debarred
supplier is not awarded; the summaries compare every tender with the one awarded; and when no
tender is compliant the procurement is ended with its termination notice."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent, OfficerRole
from partners.documents_award import most_advantageous
from partners.models import AwardEntry, DebarmentEntry
from partners.selectors_evaluation import member_rows
from partners.services_award import award_propose
from partners.services_evaluation import consensus_save, marks_save
from partners.services_tenders import TenderBoxRefused, submission_read
from procurements.models import Notice, NoticeKind, ProcurementStatus
from procurements.services.amendments import procurement_cancel
from tests import factories
from tests.partners.award_samples import best_ranked, evaluated
from tests.partners.evaluation_samples import (
    all_declared,
    evaluation_started,
    final_tenders_opened,
    member_marks,
    moderated,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]


def _latest(proposal):
    return proposal.submissions.order_by("-number").first()


def test_once_evaluated_the_panel_reads_tenders_only_through_the_evaluation(personas, login):
    final = final_tenders_opened(personas)
    # Before the evaluation, every authorised officer of the box reads the opened tenders.
    assert submission_read(actor=personas.officer_a, submission=_latest(final.proposal_a))

    evaluation_started(personas, final)  # officer A sits on the price panel

    with pytest.raises(TenderBoxRefused, match="being evaluated"):
        submission_read(actor=personas.officer_a, submission=_latest(final.proposal_a))
    refused = AuditEvent.objects.filter(action="tenders.read_refused").latest("pk")
    assert refused.actor_id == personas.officer_a.pk
    assert "being evaluated" in refused.data["reason"]
    page = login(personas.officer_a).get(
        reverse(
            "partners:tenders-proposal",
            kwargs={"pk": final.procurement.pk, "proposal_pk": final.proposal_a.pk},
        )
    )
    assert "Our final answer." not in page.content.decode()
    # The approver is not on the panel and still reads the box.
    content = submission_read(actor=personas.approver_a, submission=_latest(final.proposal_a))
    assert content["answers"]


def test_a_panel_member_is_named_on_the_procurement_so_their_pages_open(personas, login):
    final = final_tenders_opened(personas)
    newcomer = factories.officer(personas.borough_a, OfficerRole.EVALUATOR)
    assert not final.procurement.evaluators.filter(pk=newcomer.pk).exists()

    evaluation = evaluation_started(personas, final, quality=[newcomer])

    assert final.procurement.evaluators.filter(pk=newcomer.pk).exists()
    started = AuditEvent.objects.get(action="evaluation.started")
    assert started.data["named_on_procurement"] == [newcomer.pk]
    mine = reverse(
        "partners:evaluation-mine",
        kwargs={"pk": final.procurement.pk, "round_pk": evaluation.round_id},
    )
    assert login(newcomer).get(mine).status_code == 200
    # The procurement's "Evaluation" link takes a panel member to their own list.
    overview = reverse("partners:evaluation", kwargs={"pk": final.procurement.pk})
    assert login(newcomer).get(overview).url == mine


def test_a_lead_officer_with_a_declared_conflict_does_not_moderate_that_tender(personas):
    final = final_tenders_opened(personas)
    evaluation = evaluation_started(personas, final)
    all_declared(
        evaluation,
        conflicts={(personas.officer_a.pk, final.proposal_a.pk): "My sister runs it."},
    )

    with pytest.raises(PermissionRefused, match="conflict of interest with this tenderer"):
        consensus_save(
            actor=personas.officer_a, proposal=final.proposal_a, marks=member_marks(evaluation)
        )
    assert not final.proposal_a.consensus.exists()


def test_a_debarred_tenderer_is_not_awarded(personas):
    sample = evaluated(personas)
    winner = sample.proposals[0]
    DebarmentEntry.objects.create(
        supplier_name=winner.request.organisation.name,
        grounds="Debarred after a finding of fraud.",
        debarred_on=date(2026, 1, 5),
    )

    with pytest.raises(ApplicationError) as refused:
        award_propose(
            actor=personas.officer_a,
            evaluation=sample.evaluation,
            awarded=best_ranked(sample),
            reason="The best-ranked tender.",
        )
    problem = refused.value.extra["errors"]["awarded"]
    assert "debarment list" in problem
    assert winner.request.organisation.name in problem
    assert not sample.procurement.award_decisions.exists()


def test_the_most_advantageous_tender_is_the_one_awarded_when_two_share_first_place():
    first_not_awarded = AwardEntry(pk=1, rank=1, awarded=False)
    first_awarded = AwardEntry(pk=2, rank=1, awarded=True)
    third = AwardEntry(pk=3, rank=3, awarded=False)
    entries = [first_not_awarded, first_awarded, third]

    assert most_advantageous(entries, third) is first_awarded
    assert most_advantageous(entries, first_not_awarded) is first_awarded
    assert most_advantageous(entries, first_awarded) is first_awarded


def test_without_a_compliant_tender_the_procurement_is_ended_with_a_termination_notice(
    personas, login
):
    final = final_tenders_opened(personas)
    evaluation = evaluation_started(personas, final)
    moderated(personas, evaluation, scores={final.proposal_a.pk: None, final.proposal_b.pk: None})
    board = reverse(
        "partners:evaluation-round",
        kwargs={"pk": final.procurement.pk, "round_pk": evaluation.round_id},
    )
    cancel = reverse("procurements:cancel", kwargs={"pk": final.procurement.pk})
    html = login(personas.officer_a).get(board).content.decode()
    assert "No tender is compliant" in html
    assert cancel in html

    procurement_cancel(
        actor=personas.officer_a,
        procurement=final.procurement,
        reason="No tender met the price requirements: none can be awarded.",
    )

    final.procurement.refresh_from_db()
    assert final.procurement.status == ProcurementStatus.CANCELLED
    [notice] = Notice.objects.filter(procurement=final.procurement, kind=NoticeKind.UK12)
    assert "No tender met the price requirements" in str(notice.content)


def test_a_member_on_both_parts_sees_each_parts_progress_apart(personas):
    final = final_tenders_opened(personas)
    both = personas.evaluator_a
    evaluation = evaluation_started(personas, final, quality=[both], price=[both])
    all_declared(evaluation)
    quality = {
        pk: mark
        for pk, mark in member_marks(evaluation).items()
        if final.procurement.award_criteria.get(pk=pk).kind != "price"
    }
    marks_save(actor=both, proposal=final.proposal_a, part="quality", marks=quality)

    rows = member_rows(both, evaluation, ["quality", "price"])

    def state(part):
        return next(r["state"][0] for r in rows[part] if r["proposal"] == final.proposal_a)

    assert state("quality") == "In progress"
    assert state("price") == "Not started"
