"""The procurement's task list: every registered section with its status, and who sees links."""

import itertools
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import DocumentStatus, GeneratedDocument, OfficerRole
from procurements.models import (
    Amendment,
    AwardCriterion,
    MinimumRequirement,
    Procurement,
    ProcurementStatus,
    PublicationVersion,
)
from procurements.registry import builder_sections
from tests import factories
from tests.query_budget import assert_query_budget

pytestmark = pytest.mark.django_db
_serial = itertools.count(1)


@pytest.fixture
def procurement(personas):
    return factories.ProcurementFactory(
        borough=personas.borough_a, lead_officer=personas.officer_a, title="Falls at home"
    )


def _url(procurement):
    return reverse("procurements:task-list", kwargs={"pk": procurement.pk})


def _status_of(html: str, key: str) -> str:
    match = re.search(rf'id="section-{key}-status">\s*(.*?)\s*</div>', html, re.S)
    assert match, f"no status for {key}"
    return re.sub(r"<[^>]+>", "", match[1]).strip()


def _page(client, procurement) -> str:
    response = client.get(_url(procurement))
    assert response.status_code == 200
    return response.content.decode()


def test_every_registered_section_is_listed_under_its_group(personas, login, procurement):
    html = _page(login(personas.officer_a), procurement)

    for section in builder_sections():
        assert section.title in html
        assert section.group in html
        assert reverse(section.url_name, kwargs={"pk": procurement.pk}) in html
    assert 'class="govuk-task-list"' in html
    assert f"You have completed 0 of {len(builder_sections())} sections" in html
    assert "Draft" in html
    assert reverse("procurements:check-answers", kwargs={"pk": procurement.pk}) in html


def test_statuses_move_from_not_started_to_in_progress_to_completed(personas, login, procurement):
    client = login(personas.officer_a)
    challenge = reverse("procurements:challenge", kwargs={"pk": procurement.pk})
    market_gap = reverse("procurements:market-gap", kwargs={"pk": procurement.pk})

    before = _page(client, procurement)
    client.post(challenge, {"problem": "Older residents fall at night", "completed": "no"})
    half = _page(client, procurement)
    client.post(
        market_gap, {"market_gap": "Nothing detects falls unobtrusively", "completed": "yes"}
    )
    after = _page(client, procurement)

    assert _status_of(before, "challenge") == "Not started"
    assert _status_of(half, "challenge") == "In progress"
    assert _status_of(after, "market-gap") == "Completed"
    assert _status_of(after, "timetable") == "Not started"
    assert f"You have completed 1 of {len(builder_sections())} sections" in after


def test_a_section_marked_in_progress_without_content_shows_in_progress(
    personas, login, procurement
):
    client = login(personas.officer_a)
    client.post(
        reverse("procurements:market-gap", kwargs={"pk": procurement.pk}), {"completed": "no"}
    )

    assert _status_of(_page(client, procurement), "market-gap") == "In progress"


@pytest.mark.parametrize("persona", ["approver_a", "evaluator_a", "borough_admin_a"])
def test_borough_members_who_may_not_edit_see_the_list_without_links(
    personas, login, procurement, persona
):
    procurement.evaluators.add(personas.evaluator_a)  # evaluators see only their own
    html = _page(login(getattr(personas, persona)), procurement)

    assert "The challenge" in html
    assert reverse("procurements:challenge", kwargs={"pk": procurement.pk}) not in html
    assert "govuk-task-list__link" not in html


def test_after_submission_nobody_gets_section_links(personas, login, procurement):
    Procurement.objects.filter(pk=procurement.pk).update(status=ProcurementStatus.AWAITING_APPROVAL)

    html = _page(login(personas.officer_a), procurement)

    assert "Awaiting approval" in html
    assert "govuk-task-list__link" not in html


def test_other_boroughs_and_suppliers_get_404_and_anonymous_people_sign_in(
    personas, login, client, procurement
):
    assert client.get(_url(procurement)).status_code == 302
    assert login(personas.officer_b).get(_url(procurement)).status_code == 404
    assert login(personas.supplier_a_admin).get(_url(procurement)).status_code == 404


def test_the_task_list_queries_do_not_grow_with_the_sections_contents(personas, login, procurement):
    client = login(personas.officer_a)

    def add(n):
        for _ in range(n):
            i = next(_serial)
            evaluator = factories.officer(personas.borough_a, OfficerRole.EVALUATOR)
            procurement.evaluators.add(evaluator)
            MinimumRequirement.objects.create(procurement=procurement, text=f"Need {i}", order=i)
            criterion = AwardCriterion.objects.create(
                procurement=procurement, kind="quality", name=f"Quality {i}", weight=1, order=i
            )
            criterion.sub_criteria.create(name=f"Part {i}")

    assert_query_budget(client, _url(procurement), add_rows=add, sizes=(1, 20), most=30)


def test_market_engagement_has_its_own_group_before_check_and_submit(personas, login, procurement):
    html = _page(login(personas.officer_a), procurement)

    groups = re.findall(r'<h2 class="govuk-heading-m"[^>]*>(\d+)\. ([^<]+)</h2>', html)
    names = [name for _, name in groups]
    assert names[-2:] == ["Talk to the market", "Check and submit"]
    assert [int(number) for number, _ in groups] == list(range(1, len(groups) + 1))
    market = html.split("Talk to the market</h2>")[1].split("Check and submit</h2>")[0]
    assert reverse("procurements:engagement", kwargs={"pk": procurement.pk}) in market
    assert reverse("procurements:questions", kwargs={"pk": procurement.pk}) not in html


@pytest.mark.parametrize("persona", ["approver_a", "borough_admin_a"])
def test_people_who_may_not_edit_are_not_told_how_many_sections_they_completed(
    personas, login, procurement, persona
):
    html = _page(login(getattr(personas, persona)), procurement)

    assert "You have completed" not in html
    assert "Talk to the market" in html


# --- once published ----------------------------------------------------------------------


def _published(procurement) -> Procurement:
    Procurement.objects.filter(pk=procurement.pk).update(
        status=ProcurementStatus.PUBLISHED, published_at=timezone.now() - timedelta(days=2)
    )
    return Procurement.objects.get(pk=procurement.pk)


def _version(procurement, personas, number: int) -> PublicationVersion:
    return PublicationVersion.objects.create(
        procurement=procurement, number=number, content={}, created_by=personas.officer_a
    )


def _itt(version, status: str, **fields) -> GeneratedDocument:
    document = GeneratedDocument(
        kind="itt", target=version, title=f"ITT {version.number}", status=status, **fields
    )
    document.save()
    return document


def _links(procurement) -> dict[str, str]:
    pk = procurement.pk
    return {
        "opportunity": reverse("opportunities:detail", kwargs={"pk": pk}),
        "itt": reverse("opportunities:itt-download", kwargs={"pk": pk}),
        "publication": reverse("procurements:publication", kwargs={"pk": pk}),
        "questions": reverse("procurements:questions", kwargs={"pk": pk}),
        "engagement": reverse("procurements:engagement", kwargs={"pk": pk}),
    }


def test_a_published_task_list_links_to_the_public_page_and_the_ready_itt(
    personas, login, procurement
):
    procurement = _published(procurement)
    _itt(_version(procurement, personas, 1), DocumentStatus.READY)
    links = _links(procurement)

    html = _page(login(personas.officer_a), procurement)

    published = html.split('id="published-heading"')[1].split("</section>")[0]
    assert f'href="{links["opportunity"]}">See the public opportunity page</a>' in published
    assert (
        f'href="{links["itt"]}">Download the invitation to tender, version 1 (PDF)</a>' in published
    )
    assert f'href="{links["publication"]}"' in published
    assert "it can only be changed by an amendment" in html
    # Nothing left to complete or approve.
    assert "You have completed" not in html
    assert 'id="approval"' not in html and "Approval</h2>" not in html
    market = html.split("Talk to the market</h2>")[1]
    assert links["engagement"] in market and links["questions"] in market
    assert "Check and submit" not in html


def test_while_a_new_itt_is_generated_the_task_list_says_so_and_links_the_ready_one(
    personas, login, procurement
):
    procurement = _published(procurement)
    _itt(_version(procurement, personas, 1), DocumentStatus.READY)
    _itt(_version(procurement, personas, 2), DocumentStatus.PENDING)

    html = _page(login(personas.approver_a), procurement)

    assert "The invitation to tender of version 2 is being generated." in html
    assert (
        f'suppliers get <a class="govuk-link" href="{_links(procurement)["itt"]}">version 1 of '
        "the invitation to tender (PDF)</a>"
    ) in html


def test_a_failed_itt_is_shown_with_the_way_to_the_publication_page(personas, login, procurement):
    procurement = _published(procurement)
    _itt(_version(procurement, personas, 1), DocumentStatus.FAILED, error="OSError: full")
    publication = _links(procurement)["publication"]

    officer = _page(login(personas.officer_a), procurement)
    approver = _page(login(personas.approver_a), procurement)

    for html in (officer, approver):
        assert "The invitation to tender of version 1 could not be generated." in html
        assert "Suppliers cannot download it yet." in html
        assert _links(procurement)["itt"] not in html
    assert f'href="{publication}#itt-failed">Generate the ITT again on the publication page' in (
        officer
    )
    assert f'href="{publication}#itt-failed">See what went wrong on the publication page' in (
        approver
    )
    assert "Generate the ITT again" not in approver


def test_a_published_procurement_without_an_itt_says_it_is_not_generated_yet(
    personas, login, procurement
):
    procurement = _published(procurement)
    _version(procurement, personas, 1)

    html = _page(login(personas.officer_a), procurement)

    assert "The invitation to tender has not been generated yet." in html
    assert _links(procurement)["publication"] in html


def test_the_published_task_list_queries_do_not_grow_with_versions_and_itts(
    personas, login, procurement
):
    procurement = _published(procurement)

    def add(n):
        for _ in range(n):
            number = PublicationVersion.objects.filter(procurement=procurement).count() + 1
            _itt(_version(procurement, personas, number), DocumentStatus.READY)

    assert_query_budget(
        login(personas.officer_a), _url(procurement), add_rows=add, sizes=(1, 20), most=30
    )


@pytest.mark.browser
def test_a_published_task_list_and_its_public_page_pass_axe_in_the_browser(
    browser_page, personas, procurement
):
    procurement = _published(procurement)
    Procurement.objects.filter(pk=procurement.pk).update(
        participation_deadline=timezone.now() + timedelta(days=20)
    )
    _itt(_version(procurement, personas, 1), DocumentStatus.READY)
    version = _version(procurement, personas, 2)
    _itt(version, DocumentStatus.FAILED, error="OSError: the storage was unreachable")
    Amendment.objects.create(
        procurement=procurement,
        number=1,
        reason="More time for consortia to form.",
        changes=[
            {
                "field": "participation_deadline",
                "label": "Deadline for requests to participate",
                "before": "27 January 2031 at midday",
                "after": "3 February 2031 at midday",
            }
        ],
        version=version,
        created_by=personas.officer_a,
    )
    page = browser_page

    page.sign_in_as(personas.officer_a).visit(_url(procurement))
    assert "could not be generated" in page.text()
    assert "You have completed" not in page.text()
    page.click_link("See the public opportunity page")
    assert "Amendment 1" in page.text() and "More time for consortia to form." in page.text()
    assert "Download the invitation to tender, version 1" in page.text()
