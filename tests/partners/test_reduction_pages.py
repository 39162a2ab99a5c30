"""The pages of the reduction: the ranking with the best-ranked ticked, the lead officer's
decision with its errors, the decision with its letters, the supplier's letter on its
proposal page; who may see what; a constant number of queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import GeneratedDocument
from partners.models import Reduction
from tests.partners.reduction_samples import reasons_for, reduced, reduction_evaluated

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]


def _round_url(reducing) -> str:
    return reverse(
        "partners:reduction-round",
        kwargs={"pk": reducing.procurement.pk, "evaluation_pk": reducing.evaluation.pk},
    )


def _list_url(reducing) -> str:
    return reverse("partners:reduction", kwargs={"pk": reducing.procurement.pk})


def _ticked(page: str) -> list[int]:
    inputs = re.findall(r'<input[^>]*name="continuing"[^>]*>', page)
    return [int(re.search(r'value="(\d+)"', i).group(1)) for i in inputs if "checked" in i]


def _post(reducing, continuing, *, reasons=None):
    data = {"continuing": [str(pk) for pk in continuing], "reason": "The best-ranked continue."}
    for pk, text in (reasons if reasons is not None else reasons_for(reducing, 2)).items():
        data[f"reasons_{pk}"] = text
    return data


def test_the_lead_officer_sees_the_ranking_with_the_best_ranked_ticked_and_decides(
    personas, login, django_capture_on_commit_callbacks
):
    reducing = reduction_evaluated(personas)
    officer = login(personas.officer_a)

    page = officer.get(_round_url(reducing)).text
    assert 'id="ranking"' in page and "Gamma" not in page
    assert "Supplier 3 Ltd" in page
    assert _ticked(page) == reducing.ids(0, 1)

    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(_round_url(reducing), _post(reducing, reducing.ids(0, 1)))

    assert response.status_code == 302
    assert response["Location"] == _round_url(reducing)
    page = officer.get(_round_url(reducing)).text
    assert 'id="decision"' in page and 'name="continuing"' not in page
    assert page.count("Continues</strong>") == 2
    assert page.count("Does not continue</strong>") == 1
    letter = GeneratedDocument.objects.get(kind="reduction_letter")
    assert reverse("core:document-detail", kwargs={"pk": letter.pk}) in page
    assert "Reasons for tender 3: less evidence." in page
    listing = officer.get(_list_url(reducing)).text
    assert "Decided</strong>" in listing and "View the decision" in listing


def test_passing_over_a_better_ranked_tender_is_shown_as_an_error_and_nothing_is_saved(
    personas, login
):
    reducing = reduction_evaluated(personas)
    officer = login(personas.officer_a)

    response = officer.post(
        _round_url(reducing), _post(reducing, reducing.ids(0, 2), reasons=reasons_for(reducing, 1))
    )

    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert "Beta Care CIC is ranked better than a tender you chose" in response.text
    assert 'href="#id_continuing' in response.text
    assert "Reasons for tender 2: less evidence." in response.text  # what was typed stays
    assert not Reduction.objects.exists()


def test_missing_reasons_for_a_tenderer_left_out_are_asked_for(personas, login):
    reducing = reduction_evaluated(personas)
    officer = login(personas.officer_a)

    response = officer.post(_round_url(reducing), _post(reducing, reducing.ids(0, 1), reasons={}))

    assert response.status_code == 200
    assert "Give the reasons Supplier 3 Ltd does not continue" in response.text
    assert f'href="#id_reasons_{reducing.proposals[2].pk}"' in response.text
    assert not Reduction.objects.exists()


def test_the_approver_sees_the_ranking_but_cannot_decide(personas, login):
    reducing = reduction_evaluated(personas)
    approver = login(personas.approver_a)

    page = approver.get(_round_url(reducing)).text
    response = approver.post(_round_url(reducing), _post(reducing, reducing.ids(0, 1)))

    assert 'id="ranking"' in page and 'name="continuing"' not in page
    assert response.status_code == 403
    assert not Reduction.objects.exists()


def test_not_announced_the_page_says_so_and_takes_no_decision(personas, login):
    reducing = reduction_evaluated(personas, announced=False)
    officer = login(personas.officer_a)

    page = officer.get(_round_url(reducing)).text
    response = officer.post(_round_url(reducing), _post(reducing, reducing.ids(0, 1)))

    assert "did not announce that the tenderers may be reduced" in page
    assert 'name="continuing"' not in page
    assert response.status_code == 403
    assert "did not announce" in officer.get(_list_url(reducing)).text


def test_other_boroughs_suppliers_and_swapped_ids_get_404(personas, login):
    reducing = reduction_evaluated(personas)
    other = reduction_evaluated(personas, tenderers=2)
    swapped = reverse(
        "partners:reduction-round",
        kwargs={"pk": reducing.procurement.pk, "evaluation_pk": other.evaluation.pk},
    )

    assert login(personas.officer_a).get(swapped).status_code == 404
    for persona in (personas.officer_b, personas.supplier_a_admin, personas.supplier_b_member):
        client = login(persona)
        assert client.get(_round_url(reducing)).status_code == 404
        assert client.get(_list_url(reducing)).status_code == 404
        assert client.post(_round_url(reducing), _post(reducing, [])).status_code == 404


def test_the_tenderer_left_out_finds_its_letter_on_its_proposal_page_and_no_one_else_does(
    personas, login, django_capture_on_commit_callbacks
):
    reducing = reduction_evaluated(personas)
    with django_capture_on_commit_callbacks(execute=True):
        reduced(personas, reducing)
    letter = GeneratedDocument.objects.get(kind="reduction_letter")
    letter_url = reverse("core:document-detail", kwargs={"pk": letter.pk})
    left_out = login(reducing.admins[2])
    proposal_url = reverse("tenders:proposal", kwargs={"pk": reducing.proposals[2].pk})

    page = left_out.get(proposal_url).text

    assert 'id="reduction-letter"' in page and letter_url in page
    assert "does not continue to round 2" in page
    assert left_out.get(letter_url).status_code == 200
    alpha = login(personas.supplier_a_admin)
    own = alpha.get(reverse("tenders:proposal", kwargs={"pk": reducing.proposals[0].pk})).text
    assert 'id="reduction-letter"' not in own
    assert alpha.get(letter_url).status_code == 404
    assert alpha.get(proposal_url).status_code == 404


# --- queries ----------------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    client.get(url)  # warm-up
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_pages_make_as_many_queries_for_two_tenders_as_for_four(
    personas, login, django_capture_on_commit_callbacks
):
    small = reduction_evaluated(personas, tenderers=2)
    large = reduction_evaluated(personas, tenderers=4)
    officer = login(personas.officer_a)

    undecided = [_queries(officer, _round_url(r)) for r in (small, large)]
    with django_capture_on_commit_callbacks(execute=True):
        reduced(personas, small, continuing=1)
        reduced(personas, large, continuing=1)
    decided = [_queries(officer, _round_url(r)) for r in (small, large)]
    listing = [_queries(officer, _list_url(r)) for r in (small, large)]
    supplier = login(personas.supplier_b_admin)
    own = [
        _queries(supplier, reverse("tenders:proposal", kwargs={"pk": r.proposals[1].pk}))
        for r in (small, large)
    ]

    for reducing in (small, large):
        url = reverse("tenders:proposal", kwargs={"pk": reducing.proposals[1].pk})
        assert 'id="reduction-letter"' in supplier.get(url).text
    print(f"round page undecided {undecided}, decided {decided}, list {listing}, own {own}")
    assert undecided[0] == undecided[1] <= 30
    assert decided[0] == decided[1] <= 30
    assert listing[0] == listing[1] <= 25
    assert own[0] == own[1]


def test_before_every_tender_is_moderated_the_page_says_so_and_decides_nothing(personas, login):
    reducing = reduction_evaluated(personas, moderate=False)
    officer = login(personas.officer_a)

    page = officer.get(_round_url(reducing)).text
    response = officer.post(_round_url(reducing), _post(reducing, reducing.ids(0, 1)), follow=True)

    assert 'id="unmoderated"' in page and 'name="continuing"' not in page
    assert "Moderate every tender on every criterion" in response.text
    assert not Reduction.objects.exists()
