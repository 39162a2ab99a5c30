"""Stage participations: created with the partnership contracts, one per partner per announced
phase, the first in progress from the signing date and the others not started; then the
partner's organisation administrator submits its phase in progress for review, and nobody
else, from no other state (RULES.md points 8 and 9; PCR 2015 reg. 31(7))."""

from __future__ import annotations

import pytest
from django.utils import timezone

from core.calendar import london_date
from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent
from partners.services_partnerships import contracts_enter
from stages.models import ParticipationStatus, Phase, StageParticipation
from stages.services_participation import participation_submit_for_review
from tests.partners.award_samples import in_standstill, standstill_over
from tests.stages.gate_samples import passed, terminated
from tests.stages.running_samples import running

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]

PHASES = ("Feasibility", "Prototype", "Pilot")
SUBMITTED = "stages.participation_submitted_for_review"


def announce_phases(procurement, names=PHASES) -> list[Phase]:
    """The announced plan's phases, as the builder left them at publication."""
    return [
        Phase.objects.create(procurement=procurement, kind="research", name=name, order=order)
        for order, name in enumerate(names, 1)
    ]


def contracts_entered(personas, *, tenderers: int = 2, names=PHASES):
    """Contracts entered with ``tenderers`` partners (A, B, ...) in a plan of ``names``."""
    decision = in_standstill(personas, tenderers=tenderers, max_partners=tenderers)
    phases = announce_phases(decision.procurement, names)
    partnerships = contracts_enter(
        actor=personas.officer_a,
        decision=standstill_over(decision),
        signed_on=london_date(timezone.now()),
    )
    return partnerships, phases


@pytest.fixture
def entered(personas):
    return contracts_entered(personas)


def participation_of(organisation, phase) -> StageParticipation:
    return StageParticipation.objects.select_related("partnership").get(
        partnership__request__organisation=organisation, phase=phase
    )


def submitted_events(participation) -> int:
    return AuditEvent.objects.filter(action=SUBMITTED, target_id=str(participation.pk)).count()


# --- created with the contracts -------------------------------------------------------------


def test_every_partner_gets_a_participation_in_every_phase_the_first_in_progress(personas, entered):
    partnerships, phases = entered

    assert len(partnerships) == 2
    for partnership in partnerships:
        found = list(
            StageParticipation.objects.filter(partnership=partnership).order_by("phase__order")
        )
        assert [p.phase for p in found] == phases
        assert [p.status for p in found] == [
            ParticipationStatus.IN_PROGRESS,
            ParticipationStatus.NOT_STARTED,
            ParticipationStatus.NOT_STARTED,
        ]
        assert found[0].started_on == partnership.signed_on
        assert [p.started_on for p in found[1:]] == [None, None]
        assert all(p.review_requested_at is None and p.decided_at is None for p in found)


def test_one_audit_event_per_partnership_lists_its_phases(personas, entered):
    partnerships, _ = entered

    events = AuditEvent.objects.filter(action="stages.participations_created")
    assert sorted(e.target_id for e in events) == sorted(str(p.pk) for p in partnerships)
    for event in events:
        assert event.actor == personas.officer_a
        assert [phase["name"] for phase in event.data["phases"]] == list(PHASES)
        assert [phase["status"] for phase in event.data["phases"]] == [
            "in_progress",
            "not_started",
            "not_started",
        ]


def test_a_plan_without_phases_enters_the_contracts_with_no_participation(personas):
    partnerships, _ = contracts_entered(personas, names=())

    assert len(partnerships) == 2
    assert not StageParticipation.objects.filter(partnership__in=partnerships).exists()
    assert not AuditEvent.objects.filter(action="stages.participations_created").exists()


# --- submitting for review --------------------------------------------------------------------


def test_the_partners_admin_submits_its_phase_in_progress_for_review(personas, entered):
    _, phases = entered
    participation = participation_of(personas.org_a, phases[0])

    before = timezone.now()
    done = participation_submit_for_review(
        actor=personas.supplier_a_admin, participation=participation
    )

    done.refresh_from_db()
    assert done.status == ParticipationStatus.UNDER_REVIEW
    assert done.review_requested_at >= before
    event = AuditEvent.objects.get(action=SUBMITTED, target_id=str(done.pk))
    assert event.actor == personas.supplier_a_admin
    assert event.data["phase"] == PHASES[0]
    assert event.data["partnership"] == done.partnership.reference
    # The other partner's participation is untouched.
    other = participation_of(personas.org_b, phases[0])
    assert other.status == ParticipationStatus.IN_PROGRESS


def test_a_phase_not_started_cannot_be_submitted(personas, entered):
    _, phases = entered
    later = participation_of(personas.org_a, phases[1])

    with pytest.raises(ApplicationError, match="This phase has not started"):
        participation_submit_for_review(actor=personas.supplier_a_admin, participation=later)

    later.refresh_from_db()
    assert later.status == ParticipationStatus.NOT_STARTED
    assert submitted_events(later) == 0


def test_a_phase_cannot_be_submitted_twice(personas, entered):
    _, phases = entered
    participation = participation_of(personas.org_a, phases[0])
    participation_submit_for_review(actor=personas.supplier_a_admin, participation=participation)

    with pytest.raises(ApplicationError, match="already been submitted for review"):
        participation_submit_for_review(
            actor=personas.supplier_a_admin, participation=participation
        )
    assert submitted_events(participation) == 1


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (ParticipationStatus.PASSED, "has passed its gate"),
        (ParticipationStatus.TERMINATED, "was terminated"),
    ],
)
def test_a_phase_decided_at_its_gate_cannot_be_submitted(personas, status, message):
    # The plan with gate criteria and termination conditions, decided through the gates.
    sample = running(personas)
    decide = passed if status == ParticipationStatus.PASSED else terminated
    decide(personas, sample, personas.org_a, 1)
    participation = sample.participation(personas.org_a, 1)
    before = submitted_events(participation)  # the final report's, before the gate

    with pytest.raises(ApplicationError, match=message):
        participation_submit_for_review(
            actor=personas.supplier_a_admin, participation=participation
        )
    participation.refresh_from_db()
    assert participation.status == status
    assert submitted_events(participation) == before == 1


@pytest.mark.parametrize(
    "persona", ["supplier_b_admin", "supplier_a_member", "officer_a", "approver_a", "superuser"]
)
def test_nobody_but_the_partners_admin_submits_it(personas, entered, persona):
    _, phases = entered
    participation = participation_of(personas.org_a, phases[0])

    with pytest.raises(PermissionRefused, match="administrator of the partner's organisation"):
        participation_submit_for_review(
            actor=getattr(personas, persona), participation=participation
        )

    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.IN_PROGRESS
    assert participation.review_requested_at is None
    assert submitted_events(participation) == 0
