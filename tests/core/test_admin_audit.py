import json
from datetime import date, datetime

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from core.admin.base import AuditedModelAdmin
from core.audit import audit_record
from core.calendar import LONDON, bank_holidays_seed, deadline_after_working_days
from core.models import AuditEvent, BankHoliday, Borough, OfficerMembership, OfficerRole, User
from tests import factories

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().post("/admin/")
    request.user = user
    return request


# -- bank holidays through the real admin pages --------------------------------------------------


def test_a_superuser_editing_a_bank_holiday_writes_an_admin_change_event(personas, login):
    holiday = BankHoliday.objects.create(date=date(2026, 9, 15), region="ENG", name="Late Summer")
    client = login(personas.superuser)

    response = client.post(
        reverse("admin:core_bankholiday_change", args=[holiday.pk]),
        {"date": "2026-09-15", "region": "ENG", "name": "Summer Bank Holiday", "_save": "Save"},
    )

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.change")
    assert event.actor == personas.superuser
    assert event.actor_label == "root@example.org"
    assert (event.target_type, event.target_id) == ("core.bankholiday", str(holiday.pk))
    assert event.data["fields"] == ["added_by_hand", "name"]
    assert event.data["changes"]["name"] == {"old": "Late Summer", "new": "Summer Bank Holiday"}
    assert event.data["changes"]["added_by_hand"] == {"old": False, "new": True}


def test_an_administrator_adding_a_short_notice_holiday_moves_a_deadline(personas, login):
    bank_holidays_seed(first_year=2026, last_year=2026)
    start = datetime(2026, 9, 14, 12, 0, tzinfo=LONDON)
    assert deadline_after_working_days(start, 3) == datetime(2026, 9, 17, 12, 0, tzinfo=LONDON)
    client = login(personas.superuser)

    response = client.post(
        reverse("admin:core_bankholiday_add"),
        {"date": "2026-09-16", "region": "SCT", "name": "Day of mourning", "_save": "Save"},
    )

    assert response.status_code == 302
    holiday = BankHoliday.objects.get(date=date(2026, 9, 16), region="SCT")
    assert holiday.added_by_hand
    assert deadline_after_working_days(start, 3) == datetime(2026, 9, 18, 12, 0, tzinfo=LONDON)
    event = AuditEvent.objects.get(action="admin.add")
    assert event.actor == personas.superuser
    assert event.data["values"]["name"] == "Day of mourning"


def test_deleting_a_bank_holiday_in_the_admin_records_what_was_deleted(personas, login):
    holiday = BankHoliday.objects.create(date=date(2026, 9, 16), region="NIR", name="Mistake")
    client = login(personas.superuser)

    response = client.post(
        reverse("admin:core_bankholiday_delete", args=[holiday.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not BankHoliday.objects.filter(pk=holiday.pk).exists()
    event = AuditEvent.objects.get(action="admin.delete")
    assert event.target_id == str(holiday.pk)
    assert event.data["values"] == {
        "date": "2026-09-16",
        "region": "NIR",
        "name": "Mistake",
        "added_by_hand": False,
    }


def test_saving_without_a_change_writes_no_event(personas, login):
    holiday = BankHoliday.objects.create(
        date=date(2026, 9, 16), region="ENG", name="Hand-made", added_by_hand=True
    )
    client = login(personas.superuser)

    client.post(
        reverse("admin:core_bankholiday_change", args=[holiday.pk]),
        {"date": "2026-09-16", "region": "ENG", "name": "Hand-made", "_save": "Save"},
    )

    assert not AuditEvent.objects.filter(action__startswith="admin.").exists()


# -- the audit trail's own admin ------------------------------------------------------------------


def test_a_superuser_can_read_the_audit_trail_but_not_change_it(personas, login):
    event = audit_record(actor=personas.officer_a, action="test.readable", data={"x": 1})
    client = login(personas.superuser)

    assert client.get(reverse("admin:core_auditevent_changelist")).status_code == 200
    detail = client.get(reverse("admin:core_auditevent_change", args=[event.pk]))
    assert detail.status_code == 200
    assert b"test.readable" in detail.content
    assert client.get(reverse("admin:core_auditevent_add")).status_code == 403
    assert client.get(reverse("admin:core_auditevent_delete", args=[event.pk])).status_code == 403
    client.post(reverse("admin:core_auditevent_change", args=[event.pk]), {"action": "forged"})
    assert AuditEvent.objects.get(pk=event.pk).action == "test.readable"


def test_a_borough_administrator_cannot_open_the_audit_trail(personas, login):
    client = login(personas.borough_admin_a)

    response = client.get(reverse("admin:core_auditevent_changelist"))

    assert response.status_code == 403


# -- the mixin on other models -------------------------------------------------------------------


def test_password_hashes_are_never_written_to_the_trail(personas):
    model_admin = AuditedModelAdmin(User, admin.site)
    user = User.objects.get(pk=personas.officer_a.pk)
    old_hash = user.password
    user.set_password("a-new-long-passphrase")
    user.full_name = "Olive Officer"

    model_admin.save_model(_request(personas.superuser), user, form=None, change=True)

    event = AuditEvent.objects.get(action="admin.change")
    assert event.data["fields"] == ["full_name", "password"]
    assert "password" not in event.data["changes"]
    stored = json.dumps(event.data)
    assert old_hash not in stored
    assert user.password not in stored


def test_a_membership_added_changed_and_removed_records_role_events(personas):
    model_admin = AuditedModelAdmin(OfficerMembership, admin.site)
    request = _request(personas.superuser)
    person = factories.UserFactory(email="new-officer@example.org")
    membership = OfficerMembership(
        user=person, borough=personas.borough_a, role=OfficerRole.EVALUATOR
    )

    model_admin.save_model(request, membership, form=None, change=False)
    membership.role = OfficerRole.APPROVER
    model_admin.save_model(request, membership, form=None, change=True)
    model_admin.delete_model(request, membership)

    events = list(AuditEvent.objects.order_by("id"))
    assert [(e.action, e.data["role"]) for e in events] == [
        ("role.granted", "evaluator"),
        ("role.revoked", "evaluator"),
        ("role.granted", "approver"),
        ("role.revoked", "approver"),
    ]
    for event in events:
        assert event.actor == personas.superuser
        assert (event.target_type, event.target_id) == ("core.user", str(person.pk))
        assert event.data["borough"] == "London Borough of Aldgate"
        assert event.data["user"] == "new-officer@example.org"


class _MembershipInline(admin.TabularInline):
    model = OfficerMembership
    fields = ["user", "role"]
    extra = 0


class _BoroughAdmin(AuditedModelAdmin):
    inlines = [_MembershipInline]


def test_memberships_edited_inline_record_role_events(personas):
    model_admin = _BoroughAdmin(Borough, admin.site)
    borough = personas.borough_a
    officer = OfficerMembership.objects.get(user=personas.officer_a, borough=borough)
    evaluator = OfficerMembership.objects.get(user=personas.evaluator_a, borough=borough)
    memberships = list(OfficerMembership.objects.filter(borough=borough).order_by("pk"))
    post = {
        "name": borough.name,
        "slug": borough.slug,
        "nation": borough.nation,
        "identifier": borough.identifier,
        "authority_type": borough.authority_type,
        "memberships-TOTAL_FORMS": str(len(memberships) + 1),
        "memberships-INITIAL_FORMS": str(len(memberships)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for i, membership in enumerate(memberships):
        role = membership.role
        if membership == officer:
            role = OfficerRole.APPROVER
        post |= {
            f"memberships-{i}-id": str(membership.pk),
            f"memberships-{i}-borough": str(borough.pk),
            f"memberships-{i}-user": str(membership.user_id),
            f"memberships-{i}-role": role,
        }
        if membership == evaluator:
            post[f"memberships-{i}-DELETE"] = "on"
    new = len(memberships)
    post |= {
        f"memberships-{new}-borough": str(borough.pk),
        f"memberships-{new}-user": str(personas.officer_b.pk),
        f"memberships-{new}-role": OfficerRole.EVALUATOR,
    }
    request = RequestFactory().post("/admin/", post)
    request.user = personas.superuser
    form = model_admin.get_form(request, borough, change=True)(request.POST, instance=borough)
    formsets, _ = model_admin._create_formsets(request, borough, change=True)
    assert form.is_valid(), form.errors
    assert all(formset.is_valid() for formset in formsets), [f.errors for f in formsets]

    model_admin.save_model(request, form.save(commit=False), form, change=True)
    model_admin.save_related(request, form, formsets, change=True)

    roles = [(e.action, e.target_id, e.data["role"]) for e in AuditEvent.objects.order_by("id")]
    assert roles == [
        ("role.revoked", str(personas.evaluator_a.pk), "evaluator"),
        ("role.granted", str(personas.officer_b.pk), "evaluator"),
        ("role.revoked", str(personas.officer_a.pk), "officer"),
        ("role.granted", str(personas.officer_a.pk), "approver"),
    ]
