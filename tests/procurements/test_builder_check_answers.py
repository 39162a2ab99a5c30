"""Check your answers: one card per section, Change links while a draft, what is not completed."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from procurements.models import Procurement, ProcurementStatus, SectionStatus
from procurements.registry import builder_sections
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def procurement(personas):
    return factories.ProcurementFactory(
        borough=personas.borough_a,
        lead_officer=personas.officer_a,
        title="Falls at home",
        problem="Older residents fall at night",
        cpv_codes=["73000000-2", "85000000"],
        participation_deadline=datetime(2026, 1, 15, 17, 0, tzinfo=UTC),
        section_status={"challenge": SectionStatus.COMPLETED},
    )


def _url(procurement):
    return reverse("procurements:check-answers", kwargs={"pk": procurement.pk})


def _not_completed(html: str) -> list[str]:
    listing = re.search(r'id="sections-not-completed">(.*?)</ul>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", listing[1]) if listing else []


def test_every_section_has_a_card_with_its_answers(personas, login, procurement):
    html = login(personas.officer_a).get(_url(procurement)).content.decode()

    assert html.count('class="govuk-summary-card"') == len(builder_sections())
    assert "Older residents fall at night" in html
    assert "73000000-2" in html and "85000000" in html
    assert "15 January 2026 at 5pm" in html  # winter: UK time is UTC
    assert "Not entered" in html


def test_change_links_lead_to_each_section_while_it_is_a_draft(personas, login, procurement):
    html = login(personas.officer_a).get(_url(procurement)).content.decode()

    for section in builder_sections():
        assert reverse(section.url_name, kwargs={"pk": procurement.pk}) in html
    assert '>Change<span class="govuk-visually-hidden"> the challenge</span>' in html


def test_sections_not_completed_are_listed(personas, login, procurement):
    html = login(personas.officer_a).get(_url(procurement)).content.decode()

    titles = {section.title for section in builder_sections()}
    assert set(_not_completed(html)) == titles - {"The challenge"}


def test_nobody_gets_change_links_once_submitted(personas, login, procurement):
    Procurement.objects.filter(pk=procurement.pk).update(status=ProcurementStatus.AWAITING_APPROVAL)

    html = login(personas.officer_a).get(_url(procurement)).content.decode()

    assert reverse("procurements:challenge", kwargs={"pk": procurement.pk}) not in html
    assert "Older residents fall at night" in html


def test_borough_members_read_it_without_change_links(personas, login, procurement):
    response = login(personas.approver_a).get(_url(procurement))

    assert response.status_code == 200
    assert reverse("procurements:challenge", kwargs={"pk": procurement.pk}) not in (
        response.content.decode()
    )


def test_other_boroughs_and_suppliers_get_404(personas, login, procurement):
    assert login(personas.officer_b).get(_url(procurement)).status_code == 404
    assert login(personas.supplier_a_member).get(_url(procurement)).status_code == 404


def test_answers_show_as_text_and_lists_not_as_python_values(personas, login, procurement):
    html = login(personas.officer_a).get(_url(procurement)).content.decode()

    assert "<li>73000000-2</li>" in html and "<li>85000000</li>" in html
    assert "Older residents fall at night" in html
    assert "(&#x27;label&#x27;" not in html and "('label'" not in html
