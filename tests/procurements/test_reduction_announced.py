"""The award criteria section says whether the tenderers may be reduced between rounds of
negotiation by applying the award criteria (RULES.md point 7); the ITT announces it and the
answer is frozen at publication with the rest."""

import re

import pytest
from django.urls import reverse

from core.exceptions import ApplicationError
from core.models import AuditEvent
from procurements.models import Procurement, ProcurementStatus
from procurements.selectors_publication import itt_documents
from procurements.services.amendments import procurement_amend
from procurements.services.criteria import procurement_award_settings_save
from procurements.services.publication import publication_content
from tests.procurements.publication_samples import announced_procurement
from tests.procurements.test_itt import published, read

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]

SETTINGS = {"scoring_scale": "0-10", "price_formula": "lowest_over_price", "completed": "no"}


def _ticked(page: str) -> list[str]:
    """The answers ticked on the page."""
    inputs = re.findall(r"<input[^>]*name=\"reduce_between_rounds\"[^>]*>", page)
    assert len(inputs) == 2
    return [re.search(r'value="(\w+)"', i).group(1) for i in inputs if "checked" in i]


def _url(procurement):
    return reverse("procurements:award-criteria", kwargs={"pk": procurement.pk})


def test_the_lead_officer_says_yes_and_it_is_saved_and_audited(procurement, officer):
    page = officer.get(_url(procurement)).text
    assert "May the number of tenderers be reduced between rounds of negotiation" in page
    assert _ticked(page) == ["no"]

    response = officer.post(_url(procurement), SETTINGS | {"reduce_between_rounds": "yes"})

    assert response.status_code == 302
    procurement.refresh_from_db()
    assert procurement.reduce_between_rounds is True
    event = AuditEvent.objects.filter(action="procurement.award_settings_saved").get()
    assert event.data["reduce_between_rounds"] is True
    assert event.data["changed"] == ["scoring_scale", "reduce_between_rounds"]
    page = officer.get(_url(procurement)).text
    assert _ticked(page) == ["yes"]


def test_no_answer_is_refused_with_a_message_and_nothing_is_saved(procurement, officer):
    response = officer.post(_url(procurement), SETTINGS)

    assert response.status_code == 200
    assert "Select yes if the number of tenderers may be reduced between rounds" in response.text
    assert 'href="#id_reduce_between_rounds_0"' in response.text
    procurement.refresh_from_db()
    assert procurement.scoring_scale == "0-5"
    assert not AuditEvent.objects.filter(action="procurement.award_settings_saved").exists()


def test_saving_without_the_answer_leaves_it_as_it_was(procurement, personas):
    Procurement.objects.filter(pk=procurement.pk).update(reduce_between_rounds=True)

    procurement_award_settings_save(
        actor=personas.officer_a,
        procurement=procurement,
        scoring_scale="0-10",
        price_formula="lowest_over_price",
    )

    procurement.refresh_from_db()
    assert procurement.reduce_between_rounds is True


@pytest.mark.parametrize(
    ("answer", "announced"),
    [
        (True, "Yes: the number of tenderers may be reduced between rounds of negotiation"),
        (False, "No: every tenderer is invited to each round of negotiation"),
    ],
)
def test_the_answer_is_in_the_itt_content(personas, answer, announced):
    procurement = announced_procurement(personas, reduce_between_rounds=answer)

    sections = {s["key"]: s["content"] for s in publication_content(procurement)["sections"]}

    assert sections["award-criteria"]["reduce_between_rounds"].startswith(announced)


def test_the_published_itt_announces_it_and_it_cannot_be_amended(
    personas, django_capture_on_commit_callbacks
):
    procurement = published(
        personas, django_capture_on_commit_callbacks, reduce_between_rounds=True
    )

    [itt] = itt_documents(procurement)
    _, text = read(itt)
    assert "Tenderers reduced between rounds" in text
    assert "may be reduced between rounds of negotiation by applying the award criteria" in text
    assert procurement.status == ProcurementStatus.PUBLISHED
    with pytest.raises(ApplicationError):
        procurement_award_settings_save(
            actor=personas.officer_a,
            procurement=procurement,
            scoring_scale=procurement.scoring_scale,
            price_formula=procurement.price_formula,
            reduce_between_rounds=False,
        )
    with pytest.raises(ApplicationError):
        procurement_amend(
            actor=personas.officer_a,
            procurement=procurement,
            changes={"reduce_between_rounds": False},
            reason="Fewer rounds",
        )
    procurement.refresh_from_db()
    assert procurement.reduce_between_rounds is True
