"""Publishing freezes version 1 of everything announced, publishes the notices of the regime
and asks for the ITT; the officer page shows them; the public routes give the ITT and the
notices to anyone, and nothing of a procurement that was never published."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from core.calendar import london_date
from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent, DocumentStatus, GeneratedDocument
from core.services.documents import DOCUMENT_MAX_ATTEMPTS, document_fail, document_render
from ip_rights.demo.falls import FALLS_MARKET_GAP
from procurements.models import (
    EngagementEvent,
    MarketEngagement,
    MinimumRequirement,
    Notice,
    NoticeKind,
    Procurement,
    ProcurementStatus,
    PublicationVersion,
    Regime,
)
from procurements.registry import builder_sections
from procurements.sections import uk_date_text, uk_datetime_text
from procurements.selectors_publication import itt_documents, itt_latest_ready
from procurements.services.approval import PublicationRulesBroken, procurement_publish
from procurements.services.notices import notice_publish
from procurements.services.publication import (
    FIRST_VERSION_REASON,
    event_when_text,
    itt_retry,
    market_engagement_notice_content,
    publication_content,
    publication_version_create,
)
from stages.models import Phase
from tests import factories
from tests.permission_matrix import PASSWORD_ONLY
from tests.procurements.publication_samples import (
    TITLE,
    announced_procurement,
    lines,
    ready_itt,
)
from tests.query_budget import assert_query_budget
from tests.signing_in import force_sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]

ANNOUNCED = [
    "challenge",
    "market-gap",
    "minimum-requirements",
    "selection-questionnaire",
    "timetable",
    "award-criteria",
    "phase-plan",
    "ip-terms",
]


def publish(personas, procurement, capture, *, execute=False) -> Procurement:
    """Publish as the lead officer; the ITT is rendered only when ``execute``."""
    with capture(execute=execute):
        procurement_publish(actor=personas.officer_a, procurement=procurement)
    return Procurement.objects.get(pk=procurement.pk)


def what_was_announced(procurement) -> dict:
    """Every version and notice of ``procurement`` as stored, to compare before and after."""
    return {
        "versions": list(
            PublicationVersion.objects.filter(procurement=procurement)
            .order_by("number")
            .values("pk", "number", "content", "reason", "created_at")
        ),
        "notices": list(
            Notice.objects.filter(procurement=procurement)
            .order_by("pk")
            .values("pk", "kind", "version_id", "content", "published_at")
        ),
    }


def page_url(procurement) -> str:
    return reverse("procurements:publication", kwargs={"pk": procurement.pk})


def retry_url(procurement) -> str:
    return reverse("procurements:itt-retry", kwargs={"pk": procurement.pk})


def itt_url(procurement) -> str:
    return reverse("opportunities:itt-download", kwargs={"pk": procurement.pk})


# --- version 1 -----------------------------------------------------------------------------


def test_publishing_freezes_version_1_with_every_announced_section(
    personas, django_capture_on_commit_callbacks
):
    procurement = publish(
        personas, announced_procurement(personas), django_capture_on_commit_callbacks
    )

    [version] = PublicationVersion.objects.filter(procurement=procurement)
    assert (version.number, version.reason) == (1, FIRST_VERSION_REASON)
    assert version.created_by == personas.officer_a
    content = version.content
    assert json.loads(json.dumps(content)) == content
    assert (content["reference"], content["title"]) == (procurement.reference, TITLE)
    assert (content["borough"], content["regime"]) == ("London Borough of Aldgate", "pa2023")
    keys = [section["key"] for section in content["sections"]]
    assert keys == ANNOUNCED
    assert keys == [section.key for section in builder_sections() if section.announce]
    assert "team" not in keys
    announced = {section["key"]: section["content"] for section in content["sections"]}
    assert all(section["itt_template"] for section in content["sections"])
    assert announced["challenge"]["cpv_codes"] == ["73000000-2", "33000000-0", "85000000-9"]
    assert announced["challenge"]["sector"] == "Health and social care"
    assert announced["market-gap"]["market_gap"] == FALLS_MARKET_GAP["market_gap"]
    assert [r["number"] for r in announced["minimum-requirements"]["requirements"]] == [1, 2, 3]
    assert announced["timetable"]["participation_deadline"] == uk_datetime_text(
        procurement.participation_deadline
    )
    assert announced["timetable"]["max_partners"] == "3"
    criteria = announced["award-criteria"]["criteria"]
    assert [c["weight"] for c in criteria] == ["60%", "30%", "10%"]
    assert len(criteria[0]["sub_criteria"]) == 4
    assert announced["award-criteria"]["total_weight"] == "100%"
    questions = announced["selection-questionnaire"]["questions"]
    assert [q["weight"] for q in questions] == ["", "60%", "40%"]
    research = announced["phase-plan"]["phases"][0]
    assert (research["name"], research["duration"]) == ("Research", "12 weeks")
    assert research["max_remuneration_per_partner"] == "£60,000.00"
    assert [i["share"] for i in research["instalments"]] == ["30%", "70%"]
    assert len(research["gate_criteria"]) == 2 and len(research["termination_conditions"]) == 2
    assert announced["phase-plan"]["purchase"]["max_cost"] == "£1,200,000.00"
    assert announced["phase-plan"]["estimated_value"] == "£2,600,000.00"
    assert announced["ip-terms"]["benefit_share"] == "A share of the revenue"
    assert announced["ip-terms"]["benefit_percentage"] == "5%"
    assert announced["ip-terms"]["licence_sublicensable"] == "Yes"

    event = AuditEvent.objects.get(action="procurement.version_created")
    assert (event.actor, event.target_id) == (personas.officer_a, str(procurement.pk))
    assert (event.data["number"], event.data["sections"]) == (1, ANNOUNCED)

    # Frozen: what changes afterwards does not change the version.
    MinimumRequirement.objects.filter(procurement=procurement).update(text="Changed later")
    version.refresh_from_db()
    assert version.content == content


def test_publishing_sets_the_notice_date_to_the_day_it_is_published(
    personas, django_capture_on_commit_callbacks
):
    """Planned for a week ahead, published today: the documents, the ITT and the tender
    notice all give today, and the audit event says both."""
    draft = announced_procurement(personas)
    planned = draft.notice_date
    today = london_date(timezone.now())
    assert planned > today

    procurement = publish(personas, draft, django_capture_on_commit_callbacks)

    assert procurement.notice_date == today == london_date(procurement.published_at)
    version = PublicationVersion.objects.get(procurement=procurement)
    timetable = {s["key"]: s["content"] for s in version.content["sections"]}["timetable"]
    assert timetable["notice_date"] == uk_date_text(today)
    notice = Notice.objects.get(procurement=procurement, kind=NoticeKind.UK4)
    assert lines(notice, "Timetable (UK time)", "Date of this notice") == [uk_date_text(today)]
    event = AuditEvent.objects.get(action="procurement.published")
    assert event.data["notice_date"] == {
        "planned": planned.isoformat(),
        "actual": today.isoformat(),
    }


def test_a_notice_date_already_passed_is_also_set_to_the_day_of_publication(
    personas, django_capture_on_commit_callbacks
):
    today = london_date(timezone.now())
    planned = today - timedelta(days=3)
    procurement = publish(
        personas,
        announced_procurement(personas, notice_date=planned),
        django_capture_on_commit_callbacks,
    )

    assert procurement.notice_date == today
    event = AuditEvent.objects.get(action="procurement.published")
    assert event.data["notice_date"]["planned"] == planned.isoformat()


def test_the_itt_is_requested_in_the_transaction_and_enqueued_only_after_commit(
    personas, django_capture_on_commit_callbacks
):
    procurement = announced_procurement(personas)
    with django_capture_on_commit_callbacks() as callbacks:
        procurement_publish(actor=personas.officer_a, procurement=procurement)
        [document] = itt_documents(procurement)
        assert document.status == DocumentStatus.PENDING

    version = PublicationVersion.objects.get(procurement=procurement)
    assert document.object_id == str(version.pk) and document.version_number == 1
    assert document.requested_by == personas.officer_a
    assert document.title == f"Invitation to tender: {procurement.reference} {TITLE}, version 1"
    assert len(callbacks) == 3  # the render task, the approver's e-mail, the followers' e-mails


def test_nothing_is_published_or_enqueued_when_the_publication_rolls_back(
    personas, django_capture_on_commit_callbacks
):
    procurement = announced_procurement(personas)
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        procurement_publish(actor=personas.officer_a, procurement=procurement)
        raise RuntimeError("the database connection dropped")

    assert callbacks == []
    assert Procurement.objects.get(pk=procurement.pk).status == ProcurementStatus.APPROVED
    assert not PublicationVersion.objects.exists()
    assert not Notice.objects.exists()
    assert not GeneratedDocument.objects.filter(kind="itt").exists()


def test_a_refused_publication_freezes_nothing(personas):
    procurement = announced_procurement(personas, number_to_invite=2)
    with pytest.raises(PublicationRulesBroken):
        procurement_publish(actor=personas.officer_a, procurement=procurement)
    assert not PublicationVersion.objects.exists() and not Notice.objects.exists()


def test_a_new_version_needs_a_published_procurement_and_a_borough_officer(
    personas, django_capture_on_commit_callbacks
):
    draft = announced_procurement(personas, status=ProcurementStatus.DRAFT)
    with pytest.raises(ApplicationError, match="publish it before"):
        publication_version_create(procurement=draft, actor=personas.officer_a, reason="Why")
    procurement = publish(
        personas, announced_procurement(personas), django_capture_on_commit_callbacks
    )
    for who in ("approver_a", "borough_admin_a", "officer_b", "supplier_a_admin"):
        with pytest.raises(PermissionRefused, match="Only the borough's procurement officers"):
            publication_version_create(
                procurement=procurement, actor=getattr(personas, who), reason="Why"
            )
    another_officer = factories.officer(personas.borough_a)
    with django_capture_on_commit_callbacks():
        version = publication_version_create(
            procurement=procurement, actor=another_officer, reason="  Deadline moved.  "
        )
    assert (version.number, version.reason) == (2, "Deadline moved.")


# --- the notices ---------------------------------------------------------------------------


def test_under_pa_2023_publishing_publishes_a_uk4_tender_notice(
    personas, django_capture_on_commit_callbacks
):
    procurement = publish(
        personas, announced_procurement(personas), django_capture_on_commit_callbacks
    )

    [notice] = Notice.objects.filter(procurement=procurement)
    assert notice.kind == NoticeKind.UK4
    assert notice.version == PublicationVersion.objects.get(procurement=procurement)
    assert notice.created_by == personas.officer_a
    assert notice.content["title"] == f"UK4 tender notice: {TITLE}"
    assert lines(notice, "Contracting authority", "Name") == ["London Borough of Aldgate"]
    assert lines(notice, "The procurement", "Reference") == [procurement.reference]
    assert lines(notice, "The procurement", "Description of the challenge")[0].startswith(
        "Around 1,900 Kingsmead residents"
    )
    assert lines(notice, "The procurement", "CPV codes") == [
        "73000000-2",
        "33000000-0",
        "85000000-9",
    ]
    assert lines(notice, "The procurement", "Estimated value, excluding VAT") == ["£2,600,000.00"]
    assert lines(notice, "The procurement", "Lots")[0].startswith("None")
    assert "Competitive flexible procedure" in lines(notice, "Procedure", "Procedure")[0]
    assert "innovation partnership" in lines(notice, "Procedure", "Procedure")[0]
    assert lines(notice, "Procedure", "Maximum number of partners") == ["3"]
    assert lines(notice, "Procedure", "Number of suppliers to be invited to tender") == ["5"]
    assert lines(notice, "Award", "Award basis") == [
        "Best price-quality ratio (most advantageous tender)"
    ]
    assert lines(notice, "Award", "Award criteria and weights") == [
        "Quality: Quality of the proposed solution and research plan, 60%",
        "Price: Price, 30%",
        "Social value: Social value, 10%",
    ]
    assert lines(notice, "Timetable (UK time)", "Deadline for requests to participate") == [
        uk_datetime_text(procurement.participation_deadline)
    ]
    assert lines(notice, "Procurement documents", "Where to find them") == [
        f"{django_settings.PORTAL_BASE_URL.rstrip('/')}/opportunities/{procurement.pk}/"
    ]
    # No engagement notice: the evidence given is the reasons (PA 2023 s.17).
    assert lines(notice, "Preliminary market engagement", "Reasons and what was done") == [
        FALLS_MARKET_GAP["market_engagement_evidence"]
    ]
    event = AuditEvent.objects.get(action="procurement.notice_published")
    assert (event.data["kind"], event.data["version"]) == ("uk4", 1)


def test_under_pcr_2015_publishing_publishes_a_contract_notice(
    personas, django_capture_on_commit_callbacks
):
    procurement = announced_procurement(
        personas, regime=Regime.PCR2015, market_engagement_evidence=""
    )
    procurement = publish(personas, procurement, django_capture_on_commit_callbacks)

    [notice] = Notice.objects.filter(procurement=procurement)
    assert notice.kind == NoticeKind.PCR_CONTRACT_NOTICE
    assert notice.content["title"] == f"Contract notice: {TITLE}"
    assert "regulation 31" in lines(notice, "Procedure", "Procedure")[0]
    assert lines(notice, "Preliminary market engagement", "Carried out") == ["No"]


def test_under_pcr_2015_the_documents_say_when_the_procedure_began(
    personas, django_capture_on_commit_callbacks
):
    procurement = announced_procurement(
        personas, regime=Regime.PCR2015, procedure_began_on=date(2025, 2, 3)
    )
    procurement = publish(personas, procurement, django_capture_on_commit_callbacks)

    version = PublicationVersion.objects.get(procurement=procurement)
    timetable = {s["key"]: s["content"] for s in version.content["sections"]}["timetable"]
    assert timetable["procedure_began_on"] == "3 February 2025"


def test_publishing_under_pcr_2015_is_refused_without_the_day_the_procedure_began(
    personas, django_capture_on_commit_callbacks
):
    procurement = announced_procurement(personas, regime=Regime.PCR2015, procedure_began_on=None)

    with pytest.raises(PublicationRulesBroken) as refusal, django_capture_on_commit_callbacks():
        procurement_publish(actor=personas.officer_a, procurement=procurement)

    assert [breach.rule for breach in refusal.value.extra["breaches"]] == ["regime_applies"]
    assert not PublicationVersion.objects.filter(procurement=procurement).exists()


def test_publishing_freezes_the_indicative_start_and_each_phases_dates(
    personas, django_capture_on_commit_callbacks
):
    procurement = publish(
        personas, announced_procurement(personas), django_capture_on_commit_callbacks
    )
    start = procurement.indicative_start_date
    research_ends = start + timedelta(weeks=12) - timedelta(days=1)  # Research: 12 weeks

    version = PublicationVersion.objects.get(procurement=procurement)
    timetable = {s["key"]: s["content"] for s in version.content["sections"]}["timetable"]
    assert timetable["indicative_start_date"] == uk_date_text(start)
    assert [row["label"] for row in timetable["partnership_dates"]] == [
        "Phase 1: Research",
        "Phase 2: Prototype",
        "Phase 3: Pilot",
    ]
    assert timetable["partnership_dates"][0]["dates"] == (
        f"{uk_date_text(start)} to {uk_date_text(research_ends)}"
    )
    frozen = version.content

    # Changing the phase plan or the start afterwards does not change the version.
    Phase.objects.filter(procurement=procurement).update(duration_weeks=2)
    Procurement.objects.filter(pk=procurement.pk).update(
        indicative_start_date=start + timedelta(days=7)
    )
    version.refresh_from_db()
    assert version.content == frozen


def _engagement(procurement, personas, *, published=True) -> MarketEngagement:
    engagement = MarketEngagement.objects.create(
        procurement=procurement,
        title="Night-time falls: what could work?",
        summary="We want to hear how falls at night could be detected without a wearable.",
        contact_email="falls@aldgate.example.org",
        published_at=timezone.now() - timedelta(days=30) if published else None,
        published_by=personas.officer_a if published else None,
    )
    # 10 June 2026 is in British Summer Time: 09:30 UTC is 10:30am in London.
    EngagementEvent.objects.create(
        engagement=engagement,
        title="Supplier open day",
        starts_at=datetime(2026, 6, 10, 9, 30, tzinfo=UTC),
        ends_at=datetime(2026, 6, 10, 12, 0, tzinfo=UTC),
        place="Aldgate Town Hall",
        online_url="https://meet.example.org/falls",
    )
    return engagement


def test_a_published_market_engagement_gets_a_uk2_before_the_uk4(
    personas, django_capture_on_commit_callbacks
):
    procurement = announced_procurement(personas)
    _engagement(procurement, personas)
    procurement = publish(personas, procurement, django_capture_on_commit_callbacks)

    uk2, uk4 = Notice.objects.filter(procurement=procurement).order_by("published_at", "pk")
    assert (uk2.kind, uk4.kind) == (NoticeKind.UK2, NoticeKind.UK4)
    assert uk2.content["title"] == (
        "UK2 preliminary market engagement notice: Night-time falls: what could work?"
    )
    assert lines(uk2, "Engagement events", "Supplier open day") == [
        "10 June 2026, 10:30am to 1pm",
        "Place: Aldgate Town Hall",
        "Online: https://meet.example.org/falls",
    ]
    assert lines(uk2, "Contact", "E-mail") == ["falls@aldgate.example.org"]
    # Only what the engagement says: nothing of the draft behind it.
    assert "Kingsmead" not in json.dumps(uk2.content)
    assert lines(uk4, "Preliminary market engagement", "Carried out") == ["Yes"]
    assert lines(uk4, "Preliminary market engagement", "Notice")[0].startswith(uk2.content["title"])


def test_the_event_time_reads_the_same_on_the_officer_page_the_public_page_and_the_notice(
    personas, django_capture_on_commit_callbacks, login
):
    procurement = announced_procurement(personas)
    _engagement(procurement, personas)
    procurement = publish(personas, procurement, django_capture_on_commit_callbacks)
    when = "10 June 2026, 10:30am to 1pm"

    uk2 = Notice.objects.get(procurement=procurement, kind=NoticeKind.UK2)
    assert lines(uk2, "Engagement events", "Supplier open day")[0] == when
    officer_page = login(personas.officer_a).get(
        reverse("procurements:engagement", kwargs={"pk": procurement.pk})
    )
    assert f'<td class="govuk-table__cell">{when}</td>' in officer_page.content.decode()
    engagement_only = announced_procurement(personas, status=ProcurementStatus.DRAFT)
    _engagement(engagement_only, personas)
    public_page = Client().get(reverse("opportunities:detail", kwargs={"pk": engagement_only.pk}))
    assert f'<dd class="govuk-summary-list__value">{when}</dd>' in public_page.content.decode()


def test_an_engagement_notice_already_published_is_not_published_again(
    personas, django_capture_on_commit_callbacks
):
    procurement = announced_procurement(personas)
    engagement = _engagement(procurement, personas)
    earlier = notice_publish(
        procurement=procurement,
        kind=NoticeKind.UK2,
        content=market_engagement_notice_content(engagement),
        actor=personas.officer_a,
    )
    procurement = publish(personas, procurement, django_capture_on_commit_callbacks)

    assert list(Notice.objects.filter(procurement=procurement, kind=NoticeKind.UK2)) == [earlier]
    uk4 = Notice.objects.get(procurement=procurement, kind=NoticeKind.UK4)
    assert lines(uk4, "Preliminary market engagement", "Notice")[0].startswith(
        earlier.content["title"]
    )


def test_an_engagement_that_was_never_published_gets_no_notice(
    personas, django_capture_on_commit_callbacks
):
    procurement = announced_procurement(personas)
    _engagement(procurement, personas, published=False)
    publish(personas, procurement, django_capture_on_commit_callbacks)
    assert list(Notice.objects.values_list("kind", flat=True)) == [NoticeKind.UK4]


@pytest.mark.parametrize(
    ("starts", "ends", "expected"),
    [
        # 7 December is in Greenwich Mean Time: UTC is London time.
        (datetime(2026, 12, 7, 10, 0, tzinfo=UTC), None, "7 December 2026 at 10am"),
        (
            datetime(2026, 12, 7, 10, 0, tzinfo=UTC),
            datetime(2026, 12, 7, 12, 30, tzinfo=UTC),
            "7 December 2026, 10am to 12:30pm",
        ),
        (
            datetime(2026, 12, 7, 10, 0, tzinfo=UTC),
            datetime(2026, 12, 8, 16, 0, tzinfo=UTC),
            "7 December 2026 at 10am to 8 December 2026 at 4pm",
        ),
        # In British Summer Time 23:30 UTC is already the next day in London.
        (
            datetime(2026, 6, 10, 20, 0, tzinfo=UTC),
            datetime(2026, 6, 10, 23, 30, tzinfo=UTC),
            "10 June 2026 at 9pm to 11 June 2026 at 12:30am",
        ),
        (
            datetime(2026, 6, 10, 11, 0, tzinfo=UTC),
            datetime(2026, 6, 10, 11, 0, tzinfo=UTC) + timedelta(hours=1),
            "10 June 2026, midday to 1pm",
        ),
    ],
)
def test_event_times_read_the_same_on_every_page_and_notice(starts, ends, expected):
    assert event_when_text(starts, ends) == expected


# --- a failed ITT, the officer page and generating it again -------------------------------------


def test_a_failed_itt_leaves_it_published_the_page_says_so_and_generating_again_works(
    personas, django_capture_on_commit_callbacks, settings, media_root, tmp_path, login
):
    procurement = publish(
        personas, announced_procurement(personas), django_capture_on_commit_callbacks
    )
    announced = what_was_announced(procurement)
    [failed] = itt_documents(procurement)
    # The storage is broken for every attempt: the worker gives up.
    occupied = tmp_path / "occupied"
    occupied.write_text("a file where the media directory should be")
    settings.MEDIA_ROOT = occupied / "media"
    for _ in range(DOCUMENT_MAX_ATTEMPTS - 1):
        with pytest.raises(OSError):
            document_render(document_id=failed.pk)
    document_render(document_id=failed.pk)
    failed.refresh_from_db()
    assert failed.status == DocumentStatus.FAILED
    assert Procurement.objects.get(pk=procurement.pk).status == ProcurementStatus.PUBLISHED
    # Nothing announced changes: the same version with the same content, the same notices.
    assert what_was_announced(procurement) == announced
    settings.MEDIA_ROOT = media_root

    client = login(personas.officer_a)
    html = client.get(page_url(procurement)).content.decode()
    assert "The ITT of version 1 could not be generated" in html
    assert "NotADirectoryError" in html
    assert retry_url(procurement) in html and "Generate the ITT again" in html
    assert Client().get(itt_url(procurement)).status_code == 404  # nothing ready yet

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry_url(procurement))
    assert response.status_code == 302
    assert response["Location"] == page_url(procurement)
    again, still_failed = itt_documents(procurement)
    assert still_failed.pk == failed.pk and still_failed.status == DocumentStatus.FAILED
    assert again.status == DocumentStatus.READY and again.requested_by == personas.officer_a
    event = AuditEvent.objects.get(action="procurement.itt_retried")
    assert event.actor == personas.officer_a
    assert (event.data["failed_document_id"], event.data["document_id"]) == (failed.pk, again.pk)
    assert "NotADirectoryError" in event.data["error"]
    # Generating it again announces nothing new either: no new version, no new notice.
    assert what_was_announced(procurement) == announced

    html = client.get(page_url(procurement)).content.decode()
    assert "could not be generated" not in html
    assert reverse("core:document-download", args=[again.pk]) in html
    response = Client().get(itt_url(procurement))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content).startswith(b"%PDF")

    response = client.post(retry_url(procurement), follow=True)
    assert "The ITT of version 1 is ready: there is nothing to generate again." in (
        response.content.decode()
    )
    assert itt_documents(procurement).count() == 2
    assert what_was_announced(procurement) == announced


def test_only_the_borough_officers_generate_again_and_only_a_failed_itt(
    personas, django_capture_on_commit_callbacks, login
):
    procurement = publish(
        personas, announced_procurement(personas), django_capture_on_commit_callbacks
    )
    [document] = itt_documents(procurement)
    with pytest.raises(ApplicationError, match="is waiting to be generated"):
        itt_retry(actor=personas.officer_a, procurement=procurement)

    document_fail(document_id=document.pk, error="RuntimeError: the layout failed")
    for who in ("approver_a", "borough_admin_a", "evaluator_a", "officer_b", "supplier_a_admin"):
        with pytest.raises(PermissionRefused, match="Only the borough's procurement officers"):
            itt_retry(actor=getattr(personas, who), procurement=procurement)
    assert login(personas.approver_a).post(retry_url(procurement)).status_code == 403
    html = login(personas.approver_a).get(page_url(procurement)).content.decode()
    assert "could not be generated" in html and retry_url(procurement) not in html

    draft = factories.ProcurementFactory(borough=personas.borough_a)
    with pytest.raises(ApplicationError, match="has not been published"):
        itt_retry(actor=personas.officer_a, procurement=draft)
    assert itt_documents(procurement).count() == 1
    assert not AuditEvent.objects.filter(action="procurement.itt_retried").exists()

    another_officer = factories.officer(personas.borough_a)
    with django_capture_on_commit_callbacks():
        itt_retry(actor=another_officer, procurement=procurement)
    assert [d.status for d in itt_documents(procurement)] == ["pending", "failed"]


def test_the_officer_page_lists_versions_and_notices_and_the_task_list_links_to_it(
    personas, django_capture_on_commit_callbacks, login
):
    draft = announced_procurement(personas)
    client = login(personas.officer_a)
    assert client.get(page_url(draft)).status_code == 404  # approved, never published
    assert page_url(draft) not in client.get(draft.get_absolute_url()).content.decode()

    procurement = publish(personas, draft, django_capture_on_commit_callbacks)
    assert page_url(procurement) in client.get(procurement.get_absolute_url()).content.decode()
    html = client.get(page_url(procurement)).content.decode()
    assert "Version 1" in html and FIRST_VERSION_REASON in html
    assert escape(personas.officer_a.get_full_name()) in html  # O'Brien is escaped
    assert "Waiting to be generated" in html
    notice = Notice.objects.get(procurement=procurement)
    notice_url = reverse(
        "opportunities:notice", kwargs={"pk": procurement.pk, "notice_pk": notice.pk}
    )
    assert notice_url in html and f"UK4 tender notice: {TITLE}" in html
    assert login(personas.officer_b).get(page_url(procurement)).status_code == 404


def test_the_officer_page_makes_a_constant_number_of_queries(
    personas, django_capture_on_commit_callbacks, login
):
    procurement = publish(
        personas, announced_procurement(personas), django_capture_on_commit_callbacks
    )

    def add_rows(count: int) -> None:
        for _ in range(count):
            number = PublicationVersion.objects.filter(procurement=procurement).count() + 1
            version = PublicationVersion.objects.create(
                procurement=procurement, number=number, content={}, created_by=personas.officer_a
            )
            ready_itt(version)
            Notice.objects.create(
                procurement=procurement,
                kind=NoticeKind.UK4,
                version=version,
                content={"title": f"Notice {number}", "sections": []},
                created_by=personas.officer_a,
            )

    assert_query_budget(
        login(personas.officer_a), page_url(procurement), add_rows=add_rows, most=12
    )


# --- the public routes -------------------------------------------------------------------------


def test_the_public_itt_is_the_latest_ready_one(personas, django_capture_on_commit_callbacks):
    procurement = publish(
        personas, announced_procurement(personas), django_capture_on_commit_callbacks
    )
    assert itt_latest_ready(procurement) is None
    first = PublicationVersion.objects.get(procurement=procurement)
    first_itt = ready_itt(first)
    assert itt_latest_ready(procurement) == first_itt

    with django_capture_on_commit_callbacks():
        second = publication_version_create(
            procurement=procurement, actor=personas.officer_a, reason="Deadline moved."
        )
    # While version 2's ITT is being generated, people still get version 1's.
    assert itt_latest_ready(procurement) == first_itt
    second_itt = ready_itt(second)
    ready_itt(first)  # a newer document of an older version does not win
    latest = itt_latest_ready(procurement)
    assert latest == second_itt and latest.version_number == 2


def test_anyone_reads_a_published_notice(personas, django_capture_on_commit_callbacks):
    procurement = publish(
        personas, announced_procurement(personas), django_capture_on_commit_callbacks
    )
    notice = Notice.objects.get(procurement=procurement)
    url = reverse("opportunities:notice", kwargs={"pk": procurement.pk, "notice_pk": notice.pk})
    response = Client().get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"UK4 tender notice: {TITLE}" in html
    assert "Best price-quality ratio (most advantageous tender)" in html
    assert "It refers to version 1 of the procurement documents." in html
    other = factories.ProcurementFactory(borough=personas.borough_a)
    wrong = reverse("opportunities:notice", kwargs={"pk": other.pk, "notice_pk": notice.pk})
    assert Client().get(wrong).status_code == 404


def test_the_engagement_notice_is_public_before_the_call_is_published(personas):
    procurement = announced_procurement(personas, status=ProcurementStatus.DRAFT)
    engagement = _engagement(procurement, personas)
    notice = notice_publish(
        procurement=procurement,
        kind=NoticeKind.UK2,
        content=market_engagement_notice_content(engagement),
        actor=personas.officer_a,
    )
    url = reverse("opportunities:notice", kwargs={"pk": procurement.pk, "notice_pk": notice.pk})
    assert Client().get(url).status_code == 200
    MarketEngagement.objects.filter(pk=engagement.pk).update(published_at=None)
    assert Client().get(url).status_code == 404


def test_nothing_of_a_procurement_never_published_is_public_whoever_asks(personas):
    """A draft holding a version, a ready ITT and a notice (as if written by mistake): the
    public routes answer 404 to everyone, its own officers included."""
    draft = announced_procurement(personas, status=ProcurementStatus.APPROVED)
    version = PublicationVersion.objects.create(
        procurement=draft, number=1, content={}, created_by=personas.officer_a
    )
    ready_itt(version)
    notice = Notice.objects.create(
        procurement=draft,
        kind=NoticeKind.UK4,
        version=version,
        content={"title": "UK4 tender notice: not yet", "sections": []},
        created_by=personas.officer_a,
    )
    urls = [
        itt_url(draft),
        reverse("opportunities:notice", kwargs={"pk": draft.pk, "notice_pk": notice.pk}),
    ]
    for name, user in personas.all().items():
        if name == PASSWORD_ONLY:
            continue  # sent to sign in from every page (the permission matrix checks it)
        client = Client()
        if getattr(user, "is_authenticated", False):
            force_sign_in(client, user)
        for url in urls:
            assert client.get(url).status_code == 404, (name, url)

    # The same routes answer once it is published: the 404s above were the state's doing.
    Procurement.objects.filter(pk=draft.pk).update(
        status=ProcurementStatus.PUBLISHED, published_at=timezone.now()
    )
    for url in urls:
        assert Client().get(url).status_code == 200, url


# --- in the browser: the page with a failed ITT passes axe-core, and generating again works --


@pytest.mark.browser
def test_an_officer_generates_a_failed_itt_again_in_the_browser(browser_page, personas):
    procurement = announced_procurement(
        personas, status=ProcurementStatus.PUBLISHED, published_at=timezone.now()
    )
    version = PublicationVersion.objects.create(
        procurement=procurement,
        number=1,
        content=publication_content(procurement),
        reason=FIRST_VERSION_REASON,
        created_by=personas.officer_a,
    )
    failed = GeneratedDocument(
        kind="itt",
        target=version,
        title="Invitation to tender",
        status=DocumentStatus.FAILED,
        attempts=DOCUMENT_MAX_ATTEMPTS,
        error="OSError: the storage was unreachable",
    )
    failed.save()
    browser = browser_page
    browser.page.set_default_timeout(60_000)  # the ITT is rendered while the button waits

    browser.sign_in_as(personas.officer_a).visit(procurement.get_absolute_url())
    browser.click_link("Publication: versions, the invitation to tender and notices")
    assert "The ITT of version 1 could not be generated" in browser.text()
    browser.click_button("Generate the ITT again")
    assert "The ITT is being generated again." in browser.text()
    assert "Ready" in browser.page.locator("table").first.inner_text()
    assert itt_latest_ready(procurement).version_number == 1


def test_the_tender_notice_gives_the_indicative_start_and_each_phases_dates(
    personas, django_capture_on_commit_callbacks
):
    draft = announced_procurement(personas)
    procurement = publish(personas, draft, django_capture_on_commit_callbacks)

    notice = Notice.objects.get(procurement=procurement, kind=NoticeKind.UK4)
    start = procurement.indicative_start_date
    assert lines(notice, "Timetable (UK time)", "Indicative start of the partnership") == [
        uk_date_text(start)
    ]
    phases = lines(notice, "Timetable (UK time)", "Indicative dates of the phases")
    first = procurement.phases.order_by("order").first()
    assert len(phases) == procurement.phases.count()
    assert phases[0].startswith(f"Phase 1: {first.name}: {uk_date_text(start)} to ")
