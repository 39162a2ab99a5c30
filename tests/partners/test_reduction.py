"""Reducing the tenderers between rounds by applying the award criteria (RULES.md point 7):
only where the ITT announced it, only the best-ranked compliant tenders continue, the
decision is recorded with its scores and reasons, the tenderers not continuing get a letter
(a real PDF) and the next round invites only those who continue."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent, DocumentStatus, GeneratedDocument
from partners.models import Evaluation, Reduction, ReductionEntry, RoundKind, TenderConsensus
from partners.selectors_tenders import tender_invitations
from partners.services_negotiation import remaining_tenderers, round_next, round_tenderers
from partners.services_reduction import reduction_decide
from partners.services_tenders import proposal_start
from tests.partners.reduction_samples import reasons_for, reduced, reduction_evaluated

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]

REASON = "The best-ranked tenders continue, as the ITT announced."


def _decide(personas, reducing, continuing, *, reasons=None, actor=None, reason=REASON):
    return reduction_decide(
        actor=actor or personas.officer_a,
        evaluation=reducing.evaluation,
        continuing=continuing,
        reason=reason,
        reasons=reasons if reasons is not None else reasons_for(reducing, 0, 1, 2),
    )


def _refused_with(personas, reducing, continuing, **kwargs) -> ApplicationError:
    with pytest.raises(ApplicationError) as refused:
        _decide(personas, reducing, continuing, **kwargs)
    assert not Reduction.objects.exists()
    assert not ReductionEntry.objects.exists()
    assert not AuditEvent.objects.filter(action="partners.tenderers_reduced").exists()
    return refused.value


def _letters():
    return list(
        GeneratedDocument.objects.filter(
            kind="reduction_letter",
            content_type=ContentType.objects.get_for_model(ReductionEntry),
        ).order_by("pk")
    )


def _pdf_text(document: GeneratedDocument) -> str:
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY, document.error
    with document.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _next_round(personas, reducing):
    later = timezone.now() + timedelta(days=30)
    return round_next(
        actor=personas.officer_a,
        procurement=reducing.procurement,
        kind=RoundKind.NEGOTIATION,
        deadline=later,
        opens_at=later,
    )


# --- when it may be decided -------------------------------------------------------------------


def test_not_announced_in_the_itt_the_tenderers_cannot_be_reduced(personas):
    reducing = reduction_evaluated(personas, announced=False)

    refusal = _refused_with(personas, reducing, reducing.ids(0, 1))

    assert "did not announce that the tenderers may be reduced" in refusal.message


def test_only_the_lead_officer_decides(personas):
    reducing = reduction_evaluated(personas)

    for someone in (personas.approver_a, personas.officer_b, personas.supplier_a_admin):
        with pytest.raises(PermissionRefused):
            _decide(personas, reducing, reducing.ids(0, 1), actor=someone)

    assert not Reduction.objects.exists()


def test_every_tender_must_be_moderated_first(personas):
    reducing = reduction_evaluated(personas, moderate=False)

    refusal = _refused_with(personas, reducing, reducing.ids(0, 1))

    assert "Moderate every tender on every criterion" in refusal.message


def test_a_round_is_reduced_only_once(personas):
    reducing = reduction_evaluated(personas)
    reduced(personas, reducing)

    with pytest.raises(ApplicationError) as refused:
        _decide(personas, reducing, reducing.ids(0))

    assert "have already been reduced" in refused.value.message
    assert Reduction.objects.count() == 1


def test_no_reduction_once_a_later_round_has_begun(personas):
    reducing = reduction_evaluated(personas)
    reducing.evaluation.delete()  # evaluated, then the officer went on without reducing
    next_round = _next_round(personas, reducing)
    evaluation = Evaluation.objects.create(
        procurement=reducing.procurement,
        round=reducing.round,
        purpose="reduction",
        started_by=personas.officer_a,
    )
    reducing.evaluation = evaluation

    refusal = _refused_with(personas, reducing, reducing.ids(0, 1))

    assert f"Round {next_round.number} has begun" in refusal.message


# --- who continues ----------------------------------------------------------------------------


def test_a_better_ranked_tender_cannot_be_passed_over(personas):
    reducing = reduction_evaluated(personas)

    refusal = _refused_with(personas, reducing, reducing.ids(0, 2))

    errors = refusal.extra["errors"]
    assert errors["continuing"].startswith("Beta Care CIC is ranked better than a tender you chose")


def test_tenders_ranked_equal_continue_together(personas):
    reducing = reduction_evaluated(personas, scores={2: 4})

    refusal = _refused_with(personas, reducing, reducing.ids(0, 1))

    assert "ranked equal with a tender you chose" in refusal.extra["errors"]["continuing"]
    reduction = _decide(personas, reducing, reducing.ids(0, 1, 2)[:1])
    assert [e.continues for e in reduction.entries.order_by("rank", "pk")] == [True, False, False]


def test_no_one_continuing_is_refused(personas):
    reducing = reduction_evaluated(personas)

    nobody = _refused_with(personas, reducing, [])

    assert "Choose at least one tenderer" in nobody.extra["errors"]["continuing"]
    assert not Reduction.objects.exists()


def test_everyone_continuing_records_that_the_round_is_not_reduced_and_the_next_round_follows(
    personas,
):
    reducing = reduction_evaluated(personas)
    with pytest.raises(ApplicationError, match="decide the reduction first"):
        _next_round(personas, reducing)

    reduction = _decide(personas, reducing, reducing.ids(0, 1, 2))

    assert all(entry.continues for entry in reduction.entries.all())
    assert not _letters()
    round_2 = _next_round(personas, reducing)
    assert len(remaining_tenderers(round_2)) == 3


def test_a_tender_not_compliant_never_continues(personas):
    reducing = reduction_evaluated(personas, scores={1: None})

    refusal = _refused_with(personas, reducing, reducing.ids(0, 1))

    assert "Only compliant, ranked tenders can continue" in refusal.extra["errors"]["continuing"]


def test_the_reasons_are_required_for_those_who_do_not_continue(personas):
    reducing = reduction_evaluated(personas)

    refusal = _refused_with(personas, reducing, reducing.ids(0, 1), reasons={}, reason=" ")

    errors = refusal.extra["errors"]
    assert errors["reason"] == "Give the reasons for this reduction"
    gamma = reducing.proposals[2]
    assert errors[f"reasons_{gamma.pk}"].startswith(
        f"Give the reasons {gamma.request.organisation.name} does not continue"
    )
    assert set(errors) == {"reason", f"reasons_{gamma.pk}"}


# --- the decision -----------------------------------------------------------------------------


def test_the_decision_records_ranks_totals_reasons_and_is_audited(
    personas, django_capture_on_commit_callbacks
):
    reducing = reduction_evaluated(personas)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks() as callbacks:
        reduction = reduced(personas, reducing)
        assert not mail.outbox
        letters = _letters()
        assert [d.status for d in letters] == [DocumentStatus.PENDING]

    for callback in callbacks:
        callback()
    entries = list(reduction.entries.order_by("rank"))
    assert [(e.proposal_id, e.rank, e.continues) for e in entries] == [
        (reducing.proposals[0].pk, 1, True),
        (reducing.proposals[1].pk, 2, True),
        (reducing.proposals[2].pk, 3, False),
    ]
    assert [e.total for e in entries] == [Decimal("100.00"), Decimal("86.00"), Decimal("72.00")]
    assert entries[2].reasons == "Reasons for tender 3: less evidence."
    assert (reduction.decided_by, reduction.reason) == (personas.officer_a, REASON)
    (event,) = AuditEvent.objects.filter(action="partners.tenderers_reduced")
    assert event.actor == personas.officer_a
    assert event.data["continuing"] == sorted(reducing.ids(0, 1))
    assert event.data["not_continuing"] == reducing.ids(2)
    assert event.data["reason"] == REASON
    assert event.data["reasons"][str(reducing.proposals[2].pk)] == entries[2].reasons
    continuing_mail = [m for m in mail.outbox if "You continue to the next round" in m.subject]
    assert sorted(to for m in continuing_mail for to in m.to) == [
        "a-admin@example.org",
        "b-admin@example.org",
    ]


def test_a_tender_not_compliant_is_recorded_after_the_ranked_ones_with_the_reason(
    personas, django_capture_on_commit_callbacks
):
    reducing = reduction_evaluated(personas, scores={1: None})

    with django_capture_on_commit_callbacks(execute=True):
        reduction = _decide(personas, reducing, reducing.ids(0), reasons=reasons_for(reducing, 2))

    beta = reduction.entries.get(proposal=reducing.proposals[1])
    assert (beta.rank, beta.total, beta.continues) == (3, Decimal("0.00"), False)
    assert beta.reasons == "The price schedule was not accepted: the tender is not compliant."
    text = _pdf_text(next(d for d in _letters() if d.object_id == str(beta.pk)))
    assert "Its price schedule was not accepted" in text
    assert "Not compliant: not scored or ranked" in text


def test_the_letter_is_a_real_pdf_with_the_scores_and_reasons(
    personas, django_capture_on_commit_callbacks
):
    reducing = reduction_evaluated(personas)
    gamma = reducing.proposals[2]
    TenderConsensus.objects.filter(proposal=gamma, criterion__kind="quality").update(
        reason="The pilot plan lacks evidence of user research."
    )

    with django_capture_on_commit_callbacks(execute=True):
        reduction = reduced(personas, reducing)

    (letter,) = _letters()
    entry = reduction.entries.get(continues=False)
    assert letter.object_id == str(entry.pk)
    text = _pdf_text(letter)
    name = gamma.request.organisation.name
    assert f"Outcome: {name} does not continue to round 2" in text
    assert "Quality of the solution (weight 70%) 3 out of 5" in text
    assert "The pilot plan lacks evidence of user research." in text
    assert "£225,000.00, accepted" in text
    assert "72.00" in text and "3 of 3" in text
    assert "Reasons for tender 3: less evidence." in text
    assert REASON in text
    assert "2 tenderers continue" in text
    for other in ("Alpha Robotics Ltd", "Beta Care CIC"):
        assert other not in text


# --- the next round ---------------------------------------------------------------------------


def test_the_next_round_waits_for_the_reduction_to_be_decided(personas):
    reducing = reduction_evaluated(personas)

    with pytest.raises(ApplicationError) as refused:
        _next_round(personas, reducing)

    assert "decide the reduction first" in refused.value.message
    assert reducing.procurement.tender_rounds.count() == 1


def test_the_next_round_invites_only_those_who_continue(
    personas, django_capture_on_commit_callbacks
):
    reducing = reduction_evaluated(personas)
    reduced(personas, reducing)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        round_2 = _next_round(personas, reducing)

    invited = [r.organisation.name for r in remaining_tenderers(round_2)]
    assert invited == ["Alpha Robotics Ltd", "Beta Care CIC"]
    assert [r.organisation.name for r in round_tenderers(reducing.round)] == invited
    recipients = sorted(to for message in mail.outbox for to in message.to)
    assert recipients == ["a-admin@example.org", "b-admin@example.org"]
    (event,) = AuditEvent.objects.filter(action="tenders.round_opened", data__number=2)
    assert sorted(event.data["tenderers"]) == sorted(p.request_id for p in reducing.proposals[:2])


def test_a_tenderer_not_continuing_cannot_start_a_proposal_in_the_next_round(personas):
    reducing = reduction_evaluated(personas)
    reduced(personas, reducing)
    round_2 = _next_round(personas, reducing)

    with pytest.raises(PermissionRefused) as refused:
        proposal_start(actor=reducing.admins[2], tender_round=round_2)

    assert "continue can tender in round 2" in refused.value.message
    assert proposal_start(actor=reducing.admins[0], tender_round=round_2).round == round_2
    assert not round_2.proposals.filter(request=reducing.proposals[2].request).exists()


def test_without_a_reduction_every_tenderer_stays(personas):
    reducing = reduction_evaluated(personas)
    reducing.evaluation.delete()

    round_2 = _next_round(personas, reducing)

    assert len(remaining_tenderers(round_2)) == 3


def test_a_tenderer_not_continuing_is_not_offered_the_next_round(personas):
    reducing = reduction_evaluated(personas)
    reduced(personas, reducing)
    round_2 = _next_round(personas, reducing)

    def offered(admin) -> list[int]:
        return [row["round"].number for row in tender_invitations(user=admin)]

    assert offered(reducing.admins[0]) == [round_2.number, reducing.round.number]
    assert offered(reducing.admins[2]) == [reducing.round.number]
