"""Amending a published procurement: what may change, the deadline rule, the new version, the
record of the changes, the audit event and the e-mails to interested suppliers."""

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.calendar import LONDON, london_date, working_day_on_or_after
from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent, BankHoliday, OfficerRole
from procurements.models import (
    Amendment,
    AwardCriterion,
    InterestRegistration,
    MinimumRequirement,
    Notice,
    NoticeKind,
    Procurement,
    ProcurementStatus,
    PublicationVersion,
    Regime,
)
from procurements.rules import REGIMES, amendment_deadline_breaches
from procurements.sections import uk_date_text, uk_datetime_text
from procurements.services.amendments import (
    NEVER_AMENDED_MESSAGE,
    NOTHING_CHANGED,
    AmendmentRefused,
    procurement_amend,
)
from procurements.services.approval import procurement_publish
from tests import factories
from tests.procurements.publication_samples import (
    TITLE,
    announced_procurement,
    at_noon,
    lines,
    today,
)
from tests.query_budget import assert_query_budget

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bank_holidays")]


def published_procurement(personas, *, days_ago: int = 30, **fields) -> Procurement:
    """A procurement of borough A published ``days_ago`` days ago, led by officer A, with its
    first version, a minimum requirement and award criteria; its deadlines are still open."""
    published_at = timezone.now() - timedelta(days=days_ago)
    values = {
        "borough": personas.borough_a,
        "lead_officer": personas.officer_a,
        "approver": personas.approver_a,
        "status": ProcurementStatus.PUBLISHED,
        "published_at": published_at,
        "notice_date": london_date(published_at),
        "problem": "Older residents fall at home and lie undiscovered.",
        "outcomes": "Falls are noticed within minutes.",
        "outcome_measures": "Time from a fall to help arriving.",
        "users_affected": "Residents over 75 living alone.",
        "market_gap": "No product detects falls without a wearable.",
        "question_deadline": at_noon(working_day_on_or_after(today() + timedelta(days=10))),
        "participation_deadline": at_noon(working_day_on_or_after(today() + timedelta(days=30))),
        "indicative_tender_date": today() + timedelta(days=60),
        "number_to_invite": 3,
        "max_partners": 2,
    }
    values.update(fields)
    procurement = factories.ProcurementFactory(**values)
    MinimumRequirement.objects.create(procurement=procurement, text="Works without a wearable")
    AwardCriterion.objects.create(procurement=procurement, kind="quality", name="Q", weight=60)
    AwardCriterion.objects.create(procurement=procurement, kind="price", name="P", weight=40)
    PublicationVersion.objects.create(
        procurement=procurement, number=1, content={}, created_by=personas.officer_a
    )
    return procurement


def follow(personas, procurement) -> None:
    """Supplier A follows the procurement (its member registered; its admin is told too)."""
    InterestRegistration.objects.create(
        procurement=procurement,
        organisation=personas.org_a,
        registered_by=personas.supplier_a_member,
    )


def reloaded(procurement) -> Procurement:
    return Procurement.objects.get(pk=procurement.pk)


def closing_soon(personas) -> Procurement:
    """Published, questions closed yesterday, requests to participate close in about two days:
    less time than an amendment must leave."""
    return published_procurement(
        personas,
        question_deadline=timezone.now() - timedelta(days=1),
        participation_deadline=at_noon(working_day_on_or_after(today() + timedelta(days=2))),
    )


def earliest_after_amendment(procurement) -> date:
    return REGIMES[procurement.regime].earliest_deadline_after_amendment(today())


# -- the amendment and its record ------------------------------------------------------------


def test_an_officer_amends_the_problem_and_a_new_version_records_it(personas):
    procurement = published_procurement(personas)

    amendment = procurement_amend(
        actor=personas.officer_a,
        procurement=procurement,
        changes={"problem": "Residents fall at home at night and lie undiscovered."},
        reason="The problem happens mostly at night.",
    )

    assert reloaded(procurement).problem == "Residents fall at home at night and lie undiscovered."
    assert amendment.number == 1
    assert amendment.reason == "The problem happens mostly at night."
    assert amendment.changes == [
        {
            "field": "problem",
            "label": "The problem",
            "before": "Older residents fall at home and lie undiscovered.",
            "after": "Residents fall at home at night and lie undiscovered.",
        }
    ]
    assert amendment.created_by == personas.officer_a
    latest = procurement.versions.order_by("-number").first()
    assert amendment.version == latest
    assert latest.number == 2
    assert latest.reason == "The problem happens mostly at night."
    assert reloaded(procurement).status == ProcurementStatus.PUBLISHED


def test_the_amendment_is_audited_with_its_changes_and_reason(personas):
    procurement = published_procurement(personas)
    new_deadline = at_noon(working_day_on_or_after(today() + timedelta(days=40)))

    procurement_amend(
        actor=personas.officer_a,
        procurement=procurement,
        changes={"participation_deadline": new_deadline, "outcomes": procurement.outcomes},
        reason="More time for consortia to form.",
    )

    [event] = AuditEvent.objects.filter(action="procurement.amended")
    assert event.actor == personas.officer_a
    assert event.target_id == str(procurement.pk)
    assert event.data["reason"] == "More time for consortia to form."
    assert event.data["amendment"] == 1
    assert event.data["version"] == 2
    # Only what changed is recorded, shown as UK time text.
    assert event.data["changes"] == [
        {
            "field": "participation_deadline",
            "label": "Deadline for requests to participate",
            "before": uk_datetime_text(procurement.participation_deadline),
            "after": uk_datetime_text(new_deadline),
        }
    ]


def test_amendments_are_numbered_in_turn(personas):
    procurement = published_procurement(personas)
    first = procurement_amend(
        actor=personas.officer_a,
        procurement=procurement,
        changes={"outcomes": "Falls are noticed within five minutes."},
        reason="A measurable outcome.",
    )
    colleague = factories.officer(personas.borough_a, OfficerRole.OFFICER)
    second = procurement_amend(
        actor=colleague,
        procurement=procurement,
        changes={"users_affected": "Residents over 70 living alone."},
        reason="Wider group of residents.",
    )

    assert (first.number, second.number) == (1, 2)
    assert (first.version.number, second.version.number) == (2, 3)
    assert second.created_by == colleague


def test_interested_suppliers_are_emailed_the_changes_and_reason_only_after_commit(
    personas, django_capture_on_commit_callbacks
):
    procurement = published_procurement(personas)
    follow(personas, procurement)

    with django_capture_on_commit_callbacks(execute=True):
        procurement_amend(
            actor=personas.officer_a,
            procurement=procurement,
            changes={"market_gap": "No product detects falls without a camera or a wearable."},
            reason="Cameras are not acceptable to residents.",
        )
        assert mail.outbox == []  # nothing before the commit

    emails = [email for email in mail.outbox if procurement.reference in email.subject]
    assert sorted(address for email in emails for address in email.to) == [
        personas.supplier_a_admin.email,
        personas.supplier_a_member.email,
    ]
    assert all(len(email.to) == 1 for email in emails)  # nobody sees anyone else's address
    email = emails[0]
    assert email.subject == f"Amendment 1 to {procurement.reference} {procurement.title}"
    assert "Cameras are not acceptable to residents." in email.body
    assert "Before: No product detects falls without a wearable." in email.body
    assert "Now: No product detects falls without a camera or a wearable." in email.body
    assert reverse("opportunities:detail", kwargs={"pk": procurement.pk}) in email.body
    assert personas.supplier_b_admin.email not in [a for e in mail.outbox for a in e.to]


# -- the revised tender notice -----------------------------------------------------------------


def published_for_real(personas, django_capture_on_commit_callbacks, **fields) -> Procurement:
    """Published by the lead officer, with version 1 and the tender notice of its regime."""
    procurement = announced_procurement(personas, **fields)
    with django_capture_on_commit_callbacks():
        procurement_publish(actor=personas.officer_a, procurement=procurement)
    return reloaded(procurement)


def later_deadline(procurement, days: int = 7) -> datetime:
    return at_noon(
        working_day_on_or_after(london_date(procurement.participation_deadline) + timedelta(days))
    )


def test_an_amendment_publishes_a_revised_uk4_with_the_new_deadline_and_keeps_the_old_one(
    personas, django_capture_on_commit_callbacks
):
    procurement = published_for_real(personas, django_capture_on_commit_callbacks)
    [original] = Notice.objects.filter(procurement=procurement)
    as_published = Notice.objects.filter(pk=original.pk).values().get()
    old_deadline = procurement.participation_deadline
    new_deadline = later_deadline(procurement)

    with django_capture_on_commit_callbacks():
        amendment = procurement_amend(
            actor=personas.officer_a,
            procurement=procurement,
            changes={"participation_deadline": new_deadline},
            reason="More time for consortia to form.",
        )

    # The notice published before is exactly as it was.
    assert Notice.objects.filter(pk=original.pk).values().get() == as_published
    assert lines(original, "Timetable (UK time)", "Deadline for requests to participate") == [
        uk_datetime_text(old_deadline)
    ]
    revised = Notice.objects.filter(procurement=procurement).exclude(pk=original.pk).get()
    assert revised.kind == original.kind == NoticeKind.UK4
    assert revised.version == amendment.version and revised.version.number == 2
    assert revised.created_by == personas.officer_a
    assert revised.content["title"] == f"UK4 tender notice: {TITLE} (revised: amendment 1)"
    assert lines(revised, "Timetable (UK time)", "Deadline for requests to participate") == [
        uk_datetime_text(new_deadline)
    ]
    assert lines(revised, "Procurement documents", "Version") == ["Version 2"]
    assert lines(revised, "Revised tender notice", "This notice replaces") == [
        f"UK4 tender notice: {TITLE}, published {uk_date_text(today())}"
    ]
    assert lines(revised, "Revised tender notice", "Amendment") == [
        f"Amendment 1, made {uk_date_text(today())}"
    ]
    assert lines(revised, "Revised tender notice", "Reason for the change") == [
        "More time for consortia to form."
    ]
    assert lines(revised, "Revised tender notice", "What changed") == [
        f"Deadline for requests to participate: was {uk_datetime_text(old_deadline)}; "
        f"now {uk_datetime_text(new_deadline)}"
    ]
    event = AuditEvent.objects.get(action="procurement.amended")
    assert event.data["notice_id"] == revised.pk
    published = AuditEvent.objects.filter(action="procurement.notice_published").order_by("pk")
    assert [(e.data["kind"], e.data["version"]) for e in published] == [("uk4", 1), ("uk4", 2)]


def test_under_pcr_2015_each_amendment_publishes_a_contract_notice_corrigendum(
    personas, django_capture_on_commit_callbacks
):
    procurement = published_for_real(
        personas,
        django_capture_on_commit_callbacks,
        regime=Regime.PCR2015,
        market_engagement_evidence="",
    )
    with django_capture_on_commit_callbacks():
        procurement_amend(
            actor=personas.officer_a,
            procurement=procurement,
            changes={"outcomes": "Falls are noticed within five minutes."},
            reason="A measurable outcome.",
        )
        procurement_amend(
            actor=personas.officer_a,
            procurement=procurement,
            changes={"participation_deadline": later_deadline(procurement)},
            reason="More time.",
        )

    original, first, second = Notice.objects.filter(procurement=procurement).order_by("pk")
    assert {original.kind, first.kind, second.kind} == {NoticeKind.PCR_CONTRACT_NOTICE}
    assert original.content["title"] == f"Contract notice: {TITLE}"
    assert first.content["title"] == f"Contract notice: {TITLE} (revised: amendment 1)"
    assert second.content["title"] == f"Contract notice: {TITLE} (revised: amendment 2)"
    heading = "Changes to the contract notice (corrigendum)"
    assert lines(first, "The procurement", "Outcomes wanted") == [
        "Falls are noticed within five minutes."
    ]
    # Each revision replaces the latest notice before it.
    assert lines(second, heading, "This notice replaces")[0].startswith(first.content["title"])
    assert lines(second, heading, "What changed")[0].startswith(
        "Deadline for requests to participate: was "
    )
    assert "regulation 31" in lines(second, "Procedure", "Procedure")[0]


# -- what cannot be amended --------------------------------------------------------------------


@pytest.mark.parametrize("key", ["minimum_requirements", "award_criteria", "award_basis"])
def test_minimum_requirements_and_award_criteria_cannot_be_amended(personas, key):
    procurement = published_procurement(personas)

    with pytest.raises(ApplicationError) as refused:
        procurement_amend(
            actor=personas.officer_a,
            procurement=procurement,
            changes={key: ["Anything"], "problem": "A new problem."},
            reason="Change them.",
        )

    assert refused.value.message == NEVER_AMENDED_MESSAGE
    assert reloaded(procurement).problem == procurement.problem
    assert not Amendment.objects.exists()
    assert procurement.versions.count() == 1


def test_a_part_that_is_not_amendable_is_refused_naming_what_can_change(personas):
    procurement = published_procurement(personas)

    with pytest.raises(ApplicationError, match=r"An amendment cannot change title\. It can change"):
        procurement_amend(
            actor=personas.officer_a,
            procurement=procurement,
            changes={"title": "Something else"},
            reason="A better title.",
        )
    assert not Amendment.objects.exists()


def test_an_amendment_that_changes_nothing_is_refused(personas):
    procurement = published_procurement(personas)

    with pytest.raises(ApplicationError) as refused:
        procurement_amend(
            actor=personas.officer_a,
            procurement=procurement,
            changes={
                "problem": procurement.problem,
                "participation_deadline": procurement.participation_deadline,
            },
            reason="Nothing really.",
        )

    assert refused.value.message == NOTHING_CHANGED
    assert procurement.versions.count() == 1


def test_an_amendment_needs_a_reason(personas):
    procurement = published_procurement(personas)

    with pytest.raises(AmendmentRefused) as refused:
        procurement_amend(
            actor=personas.officer_a,
            procurement=procurement,
            changes={"problem": "A new problem."},
            reason="   ",
        )

    assert "reason" in refused.value.errors
    assert reloaded(procurement).problem == procurement.problem


def test_a_challenge_text_cannot_be_emptied(personas):
    procurement = published_procurement(personas)

    with pytest.raises(AmendmentRefused) as refused:
        procurement_amend(
            actor=personas.officer_a,
            procurement=procurement,
            changes={"market_gap": ""},
            reason="Remove it.",
        )

    assert set(refused.value.errors) == {"market_gap"}


def test_a_refused_amendment_changes_nothing_and_sends_nothing(
    personas, django_capture_on_commit_callbacks
):
    procurement = published_procurement(personas)
    follow(personas, procurement)

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ApplicationError):
        procurement_amend(
            actor=personas.officer_a,
            procurement=procurement,
            changes={"problem": "A new problem.", "award_criteria": []},
            reason="Both.",
        )

    assert callbacks == []
    assert not AuditEvent.objects.filter(action="procurement.amended").exists()
    assert not Notice.objects.filter(procurement=procurement).exists()


# -- deadlines ---------------------------------------------------------------------------------


def test_a_changed_deadline_in_the_past_is_refused(personas):
    procurement = published_procurement(personas)
    yesterday = timezone.now() - timedelta(days=1)

    with pytest.raises(AmendmentRefused) as refused:
        procurement_amend(
            actor=personas.officer_a,
            procurement=procurement,
            changes={"question_deadline": yesterday},
            reason="Close questions.",
        )

    assert "is in the past" in refused.value.errors["question_deadline"]
    assert reloaded(procurement).question_deadline == procurement.question_deadline


def test_a_deadline_moved_to_this_moment_is_refused_and_one_second_later_accepted(personas, clock):
    """The server clock decides: a deadline at the present moment has already passed."""
    procurement = published_procurement(personas)
    moment = at_noon(working_day_on_or_after(today() + timedelta(days=1)))
    clock(moment)

    with pytest.raises(AmendmentRefused) as refused:
        procurement_amend(
            actor=personas.officer_a,
            procurement=procurement,
            changes={"question_deadline": moment},
            reason="Close questions now.",
        )
    assert "is in the past" in refused.value.errors["question_deadline"]
    assert not Amendment.objects.exists()

    procurement_amend(
        actor=personas.officer_a,
        procurement=procurement,
        changes={"question_deadline": moment + timedelta(seconds=1)},
        reason="Close questions now.",
    )
    assert reloaded(procurement).question_deadline == moment + timedelta(seconds=1)


def test_a_question_deadline_after_the_participation_deadline_is_refused(personas):
    procurement = published_procurement(personas)
    later = procurement.participation_deadline + timedelta(days=1)

    with pytest.raises(AmendmentRefused) as refused:
        procurement_amend(
            actor=personas.officer_a,
            procurement=procurement,
            changes={"question_deadline": later},
            reason="More time for questions.",
        )

    assert "is not before the participation deadline" in refused.value.errors["question_deadline"]


def test_a_deadline_question_that_has_passed_does_not_stop_another_amendment(personas):
    """An unchanged deadline that has passed is not a reason to refuse."""
    procurement = published_procurement(
        personas, question_deadline=timezone.now() - timedelta(days=2)
    )

    amendment = procurement_amend(
        actor=personas.officer_a,
        procurement=procurement,
        changes={"outcome_measures": "Minutes from a fall to help arriving."},
        reason="Clearer measure.",
    )

    assert amendment.number == 1


def test_a_participation_deadline_moved_on_to_a_bank_holiday_is_refused(personas):
    procurement = published_procurement(personas)
    # The next Christmas Day far enough ahead that only the holiday is wrong with it.
    christmas = date(today().year, 12, 25)
    if christmas < today() + timedelta(days=7):
        christmas = christmas.replace(year=christmas.year + 1)

    with pytest.raises(AmendmentRefused) as refused:
        procurement_amend(
            actor=personas.officer_a,
            procurement=procurement,
            changes={"participation_deadline": at_noon(christmas)},
            reason="Move it.",
        )

    assert "not a working day" in refused.value.errors["participation_deadline"]


def test_a_participation_deadline_moved_inside_the_minimum_period_from_publication_is_refused(
    personas,
):
    procurement = published_procurement(personas, days_ago=2)
    earlier = at_noon(working_day_on_or_after(today() + timedelta(days=15)))

    with pytest.raises(AmendmentRefused) as refused:
        procurement_amend(
            actor=personas.officer_a,
            procurement=procurement,
            changes={"participation_deadline": earlier},
            reason="Bring it forward.",
        )

    assert "must be at least 25 days" in refused.value.errors["participation_deadline"]


def test_an_amendment_close_to_the_deadline_must_move_the_deadline(personas):
    """Less than the minimum left: any amendment, even of the wording, moves the deadline."""
    procurement = closing_soon(personas)
    earliest = earliest_after_amendment(procurement)

    with pytest.raises(AmendmentRefused) as refused:
        procurement_amend(
            actor=personas.officer_a,
            procurement=procurement,
            changes={"problem": "A new problem."},
            reason="Clearer.",
        )

    message = refused.value.errors["participation_deadline"]
    assert message.endswith(
        f"move the participation deadline to {uk_date_text(earliest)} or later."
    )
    assert "at least 6 days" in message
    assert reloaded(procurement).problem == procurement.problem


def test_the_deadline_one_day_short_of_the_minimum_is_refused_and_the_minimum_accepted(personas):
    procurement = closing_soon(personas)
    earliest = earliest_after_amendment(procurement)

    with pytest.raises(AmendmentRefused) as refused:
        procurement_amend(
            actor=personas.officer_a,
            procurement=procurement,
            changes={"participation_deadline": at_noon(earliest - timedelta(days=1))},
            reason="A little more time.",
        )
    assert uk_date_text(earliest) in refused.value.errors["participation_deadline"]

    amendment = procurement_amend(
        actor=personas.officer_a,
        procurement=procurement,
        changes={"participation_deadline": at_noon(earliest)},
        reason="A little more time.",
    )
    assert amendment.changes[0]["after"] == uk_datetime_text(at_noon(earliest))


def test_a_bank_holiday_added_by_an_administrator_moves_the_earliest_deadline(personas):
    """The calendar is data: a holiday announced at short notice on the first allowed day
    moves the earliest deadline an amendment may leave to the next working day."""
    procurement = closing_soon(personas)
    first = earliest_after_amendment(procurement)
    BankHoliday.objects.create(
        date=first, region="SCT", name="Extra bank holiday", added_by_hand=True
    )
    moved = earliest_after_amendment(procurement)
    assert moved > first

    with pytest.raises(AmendmentRefused) as refused:
        procurement_amend(
            actor=personas.officer_a,
            procurement=procurement,
            changes={"participation_deadline": at_noon(first)},
            reason="More time.",
        )
    assert (
        f"move the participation deadline to {uk_date_text(moved)}"
        in (refused.value.errors["participation_deadline"])
    )
    procurement_amend(
        actor=personas.officer_a,
        procurement=procurement,
        changes={"participation_deadline": at_noon(moved)},
        reason="More time.",
    )


# The rule on fixed dates (it reads only the bank holiday table).


@pytest.mark.parametrize("regime", ["pa2023", "pcr2015"])
def test_the_rule_refuses_one_day_short_and_accepts_the_exact_minimum(regime):
    amended_on = date(2026, 3, 3)  # a Tuesday; 6 days later is Monday 9 March
    assert REGIMES[regime].earliest_deadline_after_amendment(amended_on) == date(2026, 3, 9)

    short = amendment_deadline_breaches(
        regime_key=regime, amended_on=amended_on, participation_deadline=at_noon(date(2026, 3, 8))
    )
    exact = amendment_deadline_breaches(
        regime_key=regime, amended_on=amended_on, participation_deadline=at_noon(date(2026, 3, 9))
    )

    assert [breach.rule for breach in short] == ["amendment_deadline"]
    assert "move the participation deadline to 9 March 2026 or later" in short[0].message
    assert exact == []


@pytest.mark.parametrize("regime", ["pa2023", "pcr2015"])
def test_the_rule_runs_on_past_a_bank_holiday(regime):
    # Tuesday 31 March 2026 + 6 days is Easter Monday, 6 April: the first allowed day is the 7th.
    amended_on = date(2026, 3, 31)
    assert REGIMES[regime].earliest_deadline_after_amendment(amended_on) == date(2026, 4, 7)

    on_holiday = amendment_deadline_breaches(
        regime_key=regime, amended_on=amended_on, participation_deadline=at_noon(date(2026, 4, 6))
    )
    after = amendment_deadline_breaches(
        regime_key=regime, amended_on=amended_on, participation_deadline=at_noon(date(2026, 4, 7))
    )

    assert "move the participation deadline to 7 April 2026 or later" in on_holiday[0].message
    assert after == []


def test_the_rule_counts_a_late_evening_deadline_by_its_london_date():
    amended_on = date(2026, 3, 3)
    # 23:30 London on 8 March is still 8 March (one day short), whatever UTC says.
    late = datetime(2026, 3, 8, 23, 30, tzinfo=LONDON)
    assert amendment_deadline_breaches(
        regime_key="pa2023", amended_on=amended_on, participation_deadline=late
    )


def test_each_regime_gives_its_figure_and_source():
    for regime in REGIMES.values():
        assert regime.amendment_min_days_before_deadline == 6
        assert regime.amendment_source
    assert "(check)" in REGIMES["pa2023"].amendment_source
    assert "amendment_min_days_before_deadline" in REGIMES["pa2023"].to_confirm
    assert "reg. 47(3)" in REGIMES["pcr2015"].amendment_source


# -- who may amend, and when -------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["approver_a", "evaluator_a", "borough_admin_a", "officer_b", "supplier_a_admin"]
)
def test_only_procurement_officers_of_the_borough_may_amend(personas, who):
    procurement = published_procurement(personas)

    with pytest.raises(PermissionRefused):
        procurement_amend(
            actor=getattr(personas, who),
            procurement=procurement,
            changes={"problem": "A new problem."},
            reason="Because.",
        )
    assert reloaded(procurement).problem == procurement.problem


@pytest.mark.parametrize(
    "status",
    [
        ProcurementStatus.DRAFT,
        ProcurementStatus.APPROVED,
        ProcurementStatus.SELECTION,
        ProcurementStatus.CANCELLED,
    ],
)
def test_only_a_published_procurement_may_be_amended(personas, status):
    procurement = published_procurement(personas, status=status)

    with pytest.raises(ApplicationError, match="only a procurement that is published can be"):
        procurement_amend(
            actor=personas.officer_a,
            procurement=procurement,
            changes={"problem": "A new problem."},
            reason="Because.",
        )


# -- the pages ---------------------------------------------------------------------------------


def amend_post(procurement, **overrides) -> dict:
    """The amend form as the officer would post it, unchanged unless overridden."""
    local_q = procurement.question_deadline.astimezone(LONDON)
    local_p = procurement.participation_deadline.astimezone(LONDON)
    tender = procurement.indicative_tender_date
    data = {
        "problem": procurement.problem,
        "outcomes": procurement.outcomes,
        "outcome_measures": procurement.outcome_measures,
        "users_affected": procurement.users_affected,
        "market_gap": procurement.market_gap,
        "question_deadline_day": local_q.day,
        "question_deadline_month": local_q.month,
        "question_deadline_year": local_q.year,
        "question_deadline_time": local_q.strftime("%H:%M"),
        "participation_deadline_day": local_p.day,
        "participation_deadline_month": local_p.month,
        "participation_deadline_year": local_p.year,
        "participation_deadline_time": local_p.strftime("%H:%M"),
        "indicative_tender_date_day": tender.day,
        "indicative_tender_date_month": tender.month,
        "indicative_tender_date_year": tender.year,
        "sector": procurement.sector,
        "cpv_codes": ", ".join(procurement.cpv_codes),
        "market_engagement_evidence": procurement.market_engagement_evidence,
        "max_partners": procurement.max_partners or "",
        "number_to_invite": procurement.number_to_invite or "",
        "reason": "Clearer wording.",
    }
    start = procurement.indicative_start_date
    if start is not None:
        data |= {
            "indicative_start_date_day": start.day,
            "indicative_start_date_month": start.month,
            "indicative_start_date_year": start.year,
        }
    data.update(overrides)
    return data


def test_the_amend_page_is_prefilled_with_what_is_published(personas, login):
    procurement = published_procurement(personas)
    client = login(personas.officer_a)

    response = client.get(reverse("procurements:amend", kwargs={"pk": procurement.pk}))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Amend the documents" in page
    assert procurement.problem in page
    assert "Minimum requirements and award criteria cannot be amended" in page


def test_posting_the_amend_page_publishes_the_amendment(personas, login):
    procurement = published_procurement(personas)
    client = login(personas.officer_a)

    response = client.post(
        reverse("procurements:amend", kwargs={"pk": procurement.pk}),
        amend_post(procurement, outcomes="Falls are noticed within five minutes."),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("procurements:amendments", kwargs={"pk": procurement.pk})
    [amendment] = Amendment.objects.filter(procurement=procurement)
    assert [change["field"] for change in amendment.changes] == ["outcomes"]
    listing = client.get(response["Location"]).content.decode()
    assert "Amendment 1" in listing
    assert "Falls are noticed within five minutes." in listing
    assert "Falls are noticed within minutes." in listing
    assert "Clearer wording." in listing


def test_the_amend_page_shows_a_refusal_in_the_error_summary(personas, login):
    procurement = published_procurement(personas)
    client = login(personas.officer_a)

    response = client.post(
        reverse("procurements:amend", kwargs={"pk": procurement.pk}), amend_post(procurement)
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "You have not changed anything" in page
    assert not Amendment.objects.exists()


def test_the_amend_page_puts_a_deadline_refusal_on_its_field(personas, login):
    procurement = published_procurement(personas)
    client = login(personas.officer_a)

    response = client.post(
        reverse("procurements:amend", kwargs={"pk": procurement.pk}),
        amend_post(procurement, participation_deadline_year=today().year - 1),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "The deadline for requests to participate" in page
    assert "is in the past: choose a later date and time" in page
    assert 'href="#id_participation_deadline_0"' in page
    assert not Amendment.objects.exists()


@pytest.mark.parametrize("who, status_code", [("approver_a", 403), ("officer_b", 404)])
def test_people_who_may_not_amend_cannot_open_the_page(personas, login, who, status_code):
    procurement = published_procurement(personas)
    client = login(getattr(personas, who))

    url = reverse("procurements:amend", kwargs={"pk": procurement.pk})
    assert client.get(url).status_code == status_code
    assert client.post(url, amend_post(procurement, problem="X")).status_code == status_code
    assert not Amendment.objects.exists()


def test_a_draft_cannot_be_amended_from_the_page(personas, login):
    procurement = published_procurement(personas, status=ProcurementStatus.DRAFT)
    client = login(personas.officer_a)

    assert client.get(reverse("procurements:amend", kwargs={"pk": procurement.pk})).status_code == (
        403
    )


def test_the_task_list_of_a_published_procurement_links_to_amend_and_cancel(personas, login):
    procurement = published_procurement(personas)

    page = login(personas.officer_a).get(procurement.get_absolute_url()).content.decode()

    assert reverse("procurements:amend", kwargs={"pk": procurement.pk}) in page
    assert reverse("procurements:amendments", kwargs={"pk": procurement.pk}) in page
    assert reverse("procurements:cancel", kwargs={"pk": procurement.pk}) in page
    assert "Amend the documents" in page
    assert "Cancel this procurement" in page


def test_the_task_list_offers_an_approver_neither_amend_nor_cancel(personas, login):
    procurement = published_procurement(personas)

    page = login(personas.approver_a).get(procurement.get_absolute_url()).content.decode()

    assert reverse("procurements:amend", kwargs={"pk": procurement.pk}) not in page
    assert reverse("procurements:cancel", kwargs={"pk": procurement.pk}) not in page
    assert reverse("procurements:amendments", kwargs={"pk": procurement.pk}) in page


def test_the_amendments_page_makes_the_same_queries_for_1_and_50_amendments(personas, login):
    procurement = published_procurement(personas)
    client = login(personas.approver_a)
    counter = {"n": 0}

    def add_rows(count: int) -> None:
        for _ in range(count):
            counter["n"] += 1
            number = counter["n"]
            version = PublicationVersion.objects.create(
                procurement=procurement, number=number + 1, created_by=personas.officer_a
            )
            Amendment.objects.create(
                procurement=procurement,
                number=number,
                reason=f"Reason {number}",
                changes=[{"field": "problem", "label": "The problem", "before": "a", "after": "b"}],
                version=version,
                created_by=personas.officer_a,
            )

    assert_query_budget(
        client,
        reverse("procurements:amendments", kwargs={"pk": procurement.pk}),
        add_rows=add_rows,
        sizes=(1, 50),
        most=25,
    )
