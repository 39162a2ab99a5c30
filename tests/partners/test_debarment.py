"""The debarment list: entries in force on the day match a request's lead or any consortium
member, by Companies House number, or by name where the entry has no number; superusers
keep the list in the admin, and every change is audited."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from core.models import SupplierOrganisation
from partners.debarment import debarment_matches, debarment_matches_for, debarment_name
from partners.models import DebarmentEntry
from tests.partners.consortia_samples import events, lead_request, member_c

DAY = date(2027, 3, 15)


def entry(name="Omega Shell Ltd", number="", **fields) -> DebarmentEntry:
    """An unsaved entry, in force from a year before DAY, not expiring."""
    values = {"debarred_on": DAY - timedelta(days=365), "grounds": "Fraud", **fields}
    return DebarmentEntry(supplier_name=name, companies_house_number=number, **values)


def organisation(name="Omega Shell Ltd", number="") -> SupplierOrganisation:
    return SupplierOrganisation(name=name, companies_house_number=number)


def matches(entries, organisations, on=DAY):
    return debarment_matches_for(organisations, entries, on=on)


# --- names as the list compares them ----------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Omega Shell Ltd",
        "OMEGA SHELL LIMITED",
        "omega shell ltd.",
        "Omega-Shell  Ltd",
        "Omega Shell",
        "Omega Shell PLC",
        "Omega Shell LLP",
        "Omega Shell C.I.C.",
        "  Omega,  Shell (Ltd) ",
    ],
)
def test_name_variants_compare_equal(name):
    assert debarment_name(name) == debarment_name("Omega Shell Limited") == "omegashell"


@pytest.mark.parametrize(
    "name", ["Omega Shell Holdings Ltd", "Omega Shells Ltd", "Omega", "Limited Omega Shell Co"]
)
def test_other_names_do_not(name):
    assert debarment_name(name) != "omegashell"


def test_only_a_final_company_form_word_is_dropped_and_never_the_whole_name():
    assert debarment_name("Limited Editions Ltd") == "limitededitions"
    assert debarment_name("Ltd") == "ltd"
    assert debarment_name("Straße Labs GmbH") == debarment_name("STRASSE LABS GMBH")


# --- matching -------------------------------------------------------------------------------


def test_a_number_matches_however_it_was_typed():
    org = organisation(name="Quite Another Name", number="SC012345")
    debarred = entry(name="Omega Shell Ltd", number="sc01 2345")

    assert matches([debarred], [org]) == [(org, debarred)]


def test_a_number_without_its_leading_zeros_matches():
    org = organisation(name="Quite Another Name", number="00123456")
    debarred = entry(number="123456")

    assert matches([debarred], [org]) == [(org, debarred)]


def test_an_entry_with_a_number_matches_by_number_only():
    same_name_other_number = organisation(number="01234567")
    same_name_no_number = organisation(number="")
    debarred = entry(number="07654321")

    assert matches([debarred], [same_name_other_number, same_name_no_number]) == []


def test_an_entry_without_a_number_matches_by_name_whatever_the_organisations_number():
    org = organisation(name="OMEGA-SHELL LIMITED", number="01234567")
    debarred = entry(name="Omega Shell Ltd")

    assert matches([debarred], [org]) == [(org, debarred)]
    assert matches([debarred], [organisation(name="Omega Shell Holdings Ltd")]) == []


def test_an_entry_is_in_force_from_its_first_day_to_its_expiry_inclusive():
    org = organisation()

    starts_today = entry(debarred_on=DAY)
    starts_tomorrow = entry(debarred_on=DAY + timedelta(days=1))
    expires_today = entry(expires_on=DAY)
    expired_yesterday = entry(expires_on=DAY - timedelta(days=1))

    assert matches([starts_today], [org]) == [(org, starts_today)]
    assert matches([starts_tomorrow], [org]) == []
    assert matches([expires_today], [org]) == [(org, expires_today)]
    assert matches([expired_yesterday], [org]) == []


# --- a request, its lead and its members --------------------------------------------------------


@pytest.mark.django_db
def test_a_debarred_consortium_member_is_found(personas):
    request = lead_request(personas)
    member_c(personas, request)
    DebarmentEntry.objects.create(
        supplier_name="Someone Else Ltd", grounds="Fraud", debarred_on=DAY
    )
    by_name = DebarmentEntry.objects.create(
        supplier_name="GAMMA SENSORS LIMITED", grounds="Bribery", debarred_on=DAY
    )

    assert debarment_matches(request, on=DAY) == [(personas.org_c, by_name)]
    assert debarment_matches(request, on=DAY - timedelta(days=1)) == []


@pytest.mark.django_db
def test_the_lead_is_found_by_its_number_and_members_of_a_request_made_alone_are_not_checked(
    personas,
):
    request = lead_request(personas, is_consortium=False)
    member_c(personas, request)  # left over from when it was a consortium
    lead_entry = DebarmentEntry.objects.create(
        supplier_name="A different name",
        companies_house_number=personas.org_a.companies_house_number.lstrip("0").lower(),
        grounds="Fraud",
        debarred_on=DAY,
        expires_on=DAY + timedelta(days=30),
    )
    DebarmentEntry.objects.create(supplier_name="Gamma Sensors Ltd", grounds="X", debarred_on=DAY)

    assert debarment_matches(request, on=DAY) == [(personas.org_a, lead_entry)]
    assert debarment_matches(request, on=DAY + timedelta(days=31)) == []


# --- the admin ---------------------------------------------------------------------------------

ADD = reverse("admin:partners_debarmententry_add")


def form_data(**fields) -> dict:
    return {
        "supplier_name": "Omega Shell Ltd",
        "companies_house_number": " sc01 2345 ",
        "grounds": "Fraud (PA 2023 Sch. 6 para. 8)",
        "debarred_on": "2027-01-05",
        "expires_on": "",
        **fields,
    }


@pytest.mark.django_db
def test_a_superuser_adds_changes_and_removes_entries_and_each_is_audited(personas, login):
    client = login(personas.superuser)

    assert client.get(ADD).status_code == 200
    assert client.post(ADD, form_data()).status_code == 302
    debarred = DebarmentEntry.objects.get()
    assert debarred.companies_house_number == "SC012345"
    change = reverse("admin:partners_debarmententry_change", args=[debarred.pk])
    assert client.post(change, form_data(expires_on="2030-01-04")).status_code == 302
    delete = reverse("admin:partners_debarmententry_delete", args=[debarred.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302

    assert not DebarmentEntry.objects.exists()
    [added] = events("admin.add")
    [changed] = events("admin.change")
    [deleted] = events("admin.delete")
    assert added.actor == changed.actor == deleted.actor == personas.superuser
    assert added.data["values"]["companies_house_number"] == "SC012345"
    assert changed.data["fields"] == ["expires_on"]
    assert deleted.target_id == str(debarred.pk)


@pytest.mark.django_db
def test_the_admin_refuses_a_bad_number_and_an_expiry_before_the_debarment(personas, login):
    client = login(personas.superuser)

    bad_number = client.post(ADD, form_data(companies_house_number="12-AB"))
    backwards = client.post(ADD, form_data(expires_on="2026-12-31"))

    assert "Enter a Companies House number in the correct format" in bad_number.content.decode()
    assert "The expiry date must be on or after the date of debarment" in (
        backwards.content.decode()
    )
    assert not DebarmentEntry.objects.exists()


@pytest.mark.django_db
def test_nobody_but_a_superuser_edits_the_list(personas, login):
    debarred = DebarmentEntry.objects.create(
        supplier_name="Omega Shell Ltd", grounds="Fraud", debarred_on=DAY
    )
    change = reverse("admin:partners_debarmententry_change", args=[debarred.pk])
    delete = reverse("admin:partners_debarmententry_delete", args=[debarred.pk])
    changelist = reverse("admin:partners_debarmententry_changelist")
    client = login(personas.borough_admin_a)  # staff, with the borough administrators' group

    assert client.get(changelist).status_code == 403
    assert client.post(ADD, form_data()).status_code == 403
    assert client.post(change, form_data(supplier_name="Renamed")).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403

    debarred.refresh_from_db()
    assert debarred.supplier_name == "Omega Shell Ltd"
    assert DebarmentEntry.objects.count() == 1
    assert events("admin.add") == events("admin.change") == events("admin.delete") == []


@pytest.mark.django_db
def test_requests_and_their_parts_are_not_in_the_admin():
    from django.contrib import admin

    from partners import models

    registered = set(admin.site._registry)
    assert models.DebarmentEntry in registered
    for model in (
        models.ParticipationRequest,
        models.RequestSubmission,
        models.RequestAnswer,
        models.EvidenceFile,
        models.EvidenceLibraryItem,
        models.ConsortiumMember,
        models.Subcontractor,
        models.ExclusionDeclaration,
    ):
        assert model not in registered
