"""Records that change only through services are read-only in the admin, for superusers only.

The permission matrix opens every admin page with GET; these tests send what a form
would, and check that nothing is changed or deleted, whoever asks.
"""

import pytest
from django.urls import reverse

from tests.permission_matrix import (
    sample_builder_procurement,
    sample_document,
    sample_ip_terms,
    sample_phase_plan,
    sample_selection_question,
)

# (admin URL prefix, a sample, a field a change form would send, the value it would send)
READ_ONLY = [
    ("procurements_procurement", sample_builder_procurement, "title", "Changed in the admin"),
    ("stages_phase", sample_phase_plan, "name", "Changed in the admin"),
    (
        "stages_purchaseterms",
        lambda personas: sample_phase_plan(personas).procurement.purchase_terms,
        "scope",
        "Changed in the admin",
    ),
    ("partners_selectionquestion", sample_selection_question, "text", "Changed in the admin"),
    ("ip_rights_ipterms", sample_ip_terms, "licence_term", "Changed in the admin"),
    ("core_generateddocument", sample_document, "title", "Changed in the admin"),
]
IDS = [prefix for prefix, *_ in READ_ONLY]


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "sample", "field", "value"), READ_ONLY, ids=IDS)
def test_a_superuser_sees_every_field_but_cannot_change_it(
    personas, login, prefix, sample, field, value
):
    obj = sample(personas)
    before = getattr(obj, field)
    client = login(personas.superuser)
    url = reverse(f"admin:{prefix}_change", args=[obj.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert f'name="{field}"' not in page.content.decode()  # shown, not editable
    assert client.post(url, {field: value}).status_code == 403

    obj.refresh_from_db()
    assert getattr(obj, field) == before


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "sample", "field", "value"), READ_ONLY, ids=IDS)
def test_nobody_deletes_or_adds_through_the_admin(personas, login, prefix, sample, field, value):
    obj = sample(personas)
    client = login(personas.superuser)

    delete = reverse(f"admin:{prefix}_delete", args=[obj.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()
    assert client.post(reverse(f"admin:{prefix}_add"), {field: value}).status_code == 403
    changelist = client.post(
        reverse(f"admin:{prefix}_changelist"),
        {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
    )
    assert changelist.status_code in (200, 302)  # the admin offers no deletion to run
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "sample", "field", "value"), READ_ONLY, ids=IDS)
def test_a_borough_administrator_cannot_open_or_change_them(
    personas, login, prefix, sample, field, value
):
    obj = sample(personas)
    before = getattr(obj, field)
    client = login(personas.borough_admin_a)
    url = reverse(f"admin:{prefix}_change", args=[obj.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, {field: value}).status_code == 403
    assert client.get(reverse(f"admin:{prefix}_changelist")).status_code == 403
    obj.refresh_from_db()
    assert getattr(obj, field) == before


@pytest.mark.django_db
def test_a_phase_shows_its_rows_read_only(personas, login):
    phase = sample_phase_plan(personas)
    page = login(personas.superuser).get(reverse("admin:stages_phase_change", args=[phase.pk]))

    text = page.content.decode()
    assert "Falls detected" in text and "Misses the gate threshold" in text
    assert 'name="targets-0-metric"' not in text
