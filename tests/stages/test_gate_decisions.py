"""The approver's gate decision: pass starts the next phase, terminate ends the contract on an
announced condition, publishes the UK11 under PA 2023 and tells the partner (RULES.md point
9; PCR 2015 reg. 31(2); PA 2023 s.80)."""

import pytest
from django.core import mail

from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent, OfficerRole
from partners.models import PartnershipStatus
from procurements.models import NoticeKind, ProcurementStatus, Regime
from stages.models import (
    GateDecision,
    GateOutcome,
    ParticipationStatus,
    StageParticipation,
    TerminationCondition,
)
from stages.services_gate_decisions import gate_decide
from tests import factories
from tests.stages.gate_samples import (
    assessors_named,
    fresh,
    passed,
    scored,
    scored_and_moderated,
    terminated,
    under_review,
)
from tests.stages.running_samples import member_c_joins, running

pytestmark = pytest.mark.usefixtures("media_root", "bank_holidays")


def _decide(participation, actor, outcome=GateOutcome.PASS, reason="Met.", condition=None):
    return gate_decide(
        actor=actor,
        participation=participation,
        outcome=outcome,
        reason=reason,
        condition=condition,
    )


def test_a_pass_starts_the_partners_next_phase_and_is_audited(
    personas, django_capture_on_commit_callbacks
):
    sample = running(personas)
    participation = scored_and_moderated(personas, sample, personas.org_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decision = _decide(participation, personas.approver_a)

    assert decision.outcome == GateOutcome.PASS and decision.recommendation_meets
    assert fresh(participation).status == ParticipationStatus.PASSED
    following = sample.participation(personas.org_a, 2)
    assert following.status == ParticipationStatus.IN_PROGRESS
    assert following.started_on is not None
    assert sample.participation(personas.org_b, 2).status == ParticipationStatus.NOT_STARTED
    event = AuditEvent.objects.get(action="stages.gate_decided")
    assert event.data["outcome"] == "pass"
    assert event.data["recommendation"] == "Meets the announced thresholds"
    assert len(event.data["scores"]) == 2
    assert [m.to for m in mail.outbox] == [["a-admin@example.org"]]
    assert "Your next phase, Pilot, starts today." in mail.outbox[0].body


def test_after_the_last_phase_a_pass_starts_nothing(personas):
    sample = running(personas)
    passed(personas, sample, personas.org_a)
    decision = passed(personas, sample, personas.org_a, number=2)

    assert decision.participation.status == ParticipationStatus.PASSED
    assert sample.partnership_of(personas.org_a).status == PartnershipStatus.ACTIVE
    assert (
        StageParticipation.objects.filter(
            partnership=sample.partnership_of(personas.org_a),
            status=ParticipationStatus.IN_PROGRESS,
        ).count()
        == 0
    )


def test_a_termination_ends_the_contract_publishes_the_uk11_and_tells_the_partner(
    personas, django_capture_on_commit_callbacks
):
    sample = running(personas)
    assert sample.procurement.regime == Regime.PA2023
    participation = scored_and_moderated(personas, sample, personas.org_a, meets=False)
    condition = participation.phase.termination_conditions.order_by("order").last()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        decision = _decide(
            participation, personas.approver_a, GateOutcome.TERMINATE, "Targets missed.", condition
        )
    assert mail.outbox == []
    for callback in callbacks:
        callback()

    assert fresh(participation).status == ParticipationStatus.TERMINATED
    assert sample.participation(personas.org_a, 2).status == ParticipationStatus.TERMINATED
    partnership = sample.partnership_of(personas.org_a)
    partnership.refresh_from_db()
    assert partnership.status == PartnershipStatus.TERMINATED
    assert not decision.recommendation_meets
    notice = decision.notice
    assert notice is not None and notice.kind == NoticeKind.UK11
    text = str(notice.content)
    assert f"Terminated at the gate of {participation.phase.name}" in text
    assert condition.condition in text
    sample.procurement.refresh_from_db()
    assert sample.procurement.status == ProcurementStatus.ACTIVE  # org B still active
    [message] = mail.outbox
    assert message.to == ["a-admin@example.org"]
    assert condition.condition in message.body
    assert "Targets missed." in message.body
    assert "Agreed (Targets met)" in message.body and "3, threshold not met" in message.body
    event = AuditEvent.objects.get(action="stages.gate_decided")
    assert event.data["condition"] == condition.condition
    assert event.data["notice_id"] == notice.pk


def test_no_uk11_under_pcr_2015(personas):
    sample = running(personas)
    type(sample.procurement).objects.filter(pk=sample.procurement.pk).update(regime=Regime.PCR2015)
    decision = terminated(personas, sample, personas.org_a)
    assert decision.notice is None
    assert decision.participation.status == ParticipationStatus.TERMINATED


def test_terminating_every_partner_closes_the_procurement(personas):
    sample = running(personas)
    terminated(personas, sample, personas.org_a)
    terminated(personas, sample, personas.org_b)
    sample.procurement.refresh_from_db()
    assert sample.procurement.status == ProcurementStatus.CLOSED
    assert AuditEvent.objects.filter(action="procurement.closed").count() == 1


def test_a_termination_must_cite_a_condition_announced_for_that_phase(personas):
    sample = running(personas)
    participation = scored_and_moderated(personas, sample, personas.org_a, meets=False)
    other_phase = TerminationCondition.objects.filter(phase=sample.phases[1]).first()
    for condition, words in ((None, "Choose the announced"), (other_phase, "Only a termination")):
        with pytest.raises(ApplicationError) as refused:
            _decide(participation, personas.approver_a, GateOutcome.TERMINATE, "No.", condition)
        assert refused.value.message.startswith(words)
        assert "condition" in refused.value.extra["errors"]
    with pytest.raises(ApplicationError, match="A pass cites no termination condition"):
        _decide(
            participation,
            personas.approver_a,
            GateOutcome.PASS,
            "Yes.",
            participation.phase.termination_conditions.first(),
        )
    assert not GateDecision.objects.exists()
    assert fresh(participation).status == ParticipationStatus.UNDER_REVIEW


def test_a_blank_reason_or_an_unknown_outcome_is_refused(personas):
    sample = running(personas)
    participation = scored_and_moderated(personas, sample, personas.org_a)
    with pytest.raises(ApplicationError, match="Give the reasons") as refused:
        _decide(participation, personas.approver_a, reason="  ")
    assert "reason" in refused.value.extra["errors"]
    with pytest.raises(ApplicationError, match="Choose whether"):
        _decide(participation, personas.approver_a, outcome="maybe")
    assert not GateDecision.objects.exists()


def test_a_gate_in_progress_is_refused(personas):
    sample = running(personas)
    participation = sample.participation(personas.org_a)
    with pytest.raises(
        ApplicationError, match="is in progress: the partner has not submitted its final report"
    ):
        _decide(participation, personas.approver_a)
    with pytest.raises(ApplicationError, match="has not started"):
        _decide(sample.participation(personas.org_a, 2), personas.approver_a)


def test_a_gate_not_fully_moderated_is_refused(personas):
    sample = running(personas)
    participation = scored(personas, sample, personas.org_a)
    with pytest.raises(ApplicationError, match="Every criterion is moderated before"):
        _decide(participation, personas.approver_a)


def test_a_second_decision_on_the_same_gate_is_refused(personas):
    sample = running(personas)
    decision = passed(personas, sample, personas.org_a)
    with pytest.raises(ApplicationError) as refused:
        _decide(decision.participation, personas.approver_a)
    assert refused.value.message.startswith(
        "This gate is already decided: pass to the next phase by"
    )
    assert GateDecision.objects.count() == 1


@pytest.mark.parametrize(
    "who", ["officer_a", "evaluator_a", "borough_admin_a", "officer_b", "supplier_a_admin"]
)
def test_only_the_gates_approver_decides(personas, who):
    sample = running(personas)
    participation = scored_and_moderated(personas, sample, personas.org_a)
    with pytest.raises(PermissionRefused):
        _decide(participation, getattr(personas, who))
    assert not GateDecision.objects.exists()


def test_an_approver_who_assessed_the_gate_may_not_decide_it(personas):
    sample = running(personas)
    both = factories.officer(
        personas.borough_a, OfficerRole.OFFICER, OfficerRole.APPROVER, email="both@example.org"
    )
    assessors_named(personas, sample, people=[personas.evaluator_a, both])
    participation = under_review(sample, personas.org_a)
    with pytest.raises(PermissionRefused):
        _decide(participation, both)


def test_only_the_named_approver_decides_when_one_is_named(personas):
    sample = running(personas)
    other = factories.officer(personas.borough_a, OfficerRole.APPROVER, email="ap2@example.org")
    type(sample.procurement).objects.filter(pk=sample.procurement.pk).update(approver=other)
    participation = scored_and_moderated(personas, sample, personas.org_a)
    with pytest.raises(PermissionRefused):
        _decide(participation, personas.approver_a)
    assert _decide(participation, other).decided_by == other


def test_nothing_is_sent_when_the_decision_rolls_back(
    personas, django_capture_on_commit_callbacks, monkeypatch
):
    sample = running(personas)
    participation = scored_and_moderated(personas, sample, personas.org_a)

    def broken(**kwargs):
        raise RuntimeError("reports down")

    monkeypatch.setattr("stages.services_gate_decisions.gate_reports_request", broken)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError):
        _decide(participation, personas.approver_a)
    assert callbacks == []
    assert fresh(participation).status == ParticipationStatus.UNDER_REVIEW
    assert sample.participation(personas.org_a, 2).status == ParticipationStatus.NOT_STARTED


def test_the_reports_are_requested_inside_the_decision(personas, monkeypatch):
    sample = running(personas)
    seen = []
    monkeypatch.setattr(
        "stages.services_gate_decisions.gate_reports_request",
        lambda *, actor, decision: seen.append((actor, decision.pk)),
    )
    decision = passed(personas, sample, personas.org_a)
    assert seen == [(personas.approver_a, decision.pk)]


def test_a_consortiums_admins_are_told_and_its_members_read_the_result(
    personas, login, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    sample = running(personas)
    member_c_joins(personas, sample.partnership_of(personas.org_a).request)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decision = terminated(personas, sample, personas.org_a)
    decided = [m for m in mail.outbox if "Gate decision" in m.subject]
    assert sorted(m.to[0] for m in decided) == ["a-admin@example.org", "c@example.org"]
    url = reverse("stages:partner-gate", kwargs={"pk": decision.participation_id})
    html = login(personas.consortium_member).get(url).content.decode()
    assert "Terminate this partner" in html


def test_a_phase_ended_with_its_contract_cannot_be_decided(personas):
    sample = running(personas)
    terminated(personas, sample, personas.org_a)
    with pytest.raises(ApplicationError, match="has ended: it was terminated"):
        _decide(sample.participation(personas.org_a, 2), personas.approver_a)
