import threading
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, IntegrityError, connection, transaction

from core.audit import GENESIS_HASH, audit_event_hash, audit_record, audit_verify
from core.models import AuditEvent, Borough
from tests import factories

pytestmark = pytest.mark.django_db


def test_first_event_links_to_genesis_and_each_next_event_to_the_one_before():
    first = audit_record(actor=None, action="test.first")
    second = audit_record(actor=None, action="test.second")
    third = audit_record(actor=None, action="test.third")

    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3


def test_stored_event_rehashes_to_its_hash_after_a_round_trip_through_the_database():
    borough = factories.BoroughFactory()
    event = audit_record(
        actor=None,
        action="test.data",
        target=borough,
        data={
            "when": date(2026, 12, 24),
            "amount": Decimal("1250.50"),
            "huge": 1e20,
            "ratio": 0.1,
            3: "int key",
            "nested": {"list": [1, 2.0, "three", None, True]},
            "text": "Ysgol Gymraeg \u2013 caf\u00e9",
        },
    )

    stored = AuditEvent.objects.get(pk=event.pk)

    assert stored.data["when"] == "2026-12-24"
    assert stored.data["amount"] == "1250.50"
    assert stored.data["3"] == "int key"
    assert audit_event_hash(stored) == stored.hash == event.hash


def test_actor_and_target_are_described_for_people_who_read_the_trail():
    user = factories.UserFactory(email="officer@example.org")
    borough = factories.BoroughFactory(name="London Borough of Aldgate")

    event = audit_record(actor=user, action="test.actor", target=borough)

    assert event.actor == user
    assert event.actor_label == "officer@example.org"
    assert event.target_type == "core.borough"
    assert event.target_id == str(borough.pk)
    assert event.target_label == "London Borough of Aldgate"


def test_system_and_anonymous_actors_are_stored_without_a_user_and_with_a_label():
    system = audit_record(actor=None, action="test.system")
    anonymous = audit_record(
        actor=AnonymousUser(), action="auth.login_failed", actor_label="who@example.org"
    )

    assert (system.actor_id, system.actor_label) == (None, "system")
    assert (anonymous.actor_id, anonymous.actor_label) == (None, "who@example.org")


def test_an_unsaved_target_is_refused():
    with pytest.raises(ValueError, match="saved first"):
        audit_record(actor=None, action="test.unsaved", target=Borough(name="Nowhere"))

    assert not AuditEvent.objects.exists()


def test_an_event_is_rolled_back_with_the_transaction_that_recorded_it():
    audit_record(actor=None, action="test.kept")

    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=None, action="test.rolled_back")
        raise RuntimeError("the service failed after recording")
    after = audit_record(actor=None, action="test.after")

    assert list(AuditEvent.objects.values_list("action", flat=True)) == [
        "test.kept",
        "test.after",
    ]
    assert audit_verify().ok
    assert after.prev_hash == AuditEvent.objects.get(action="test.kept").hash


def test_a_second_event_claiming_the_same_predecessor_is_refused():
    first = audit_record(actor=None, action="test.first")
    fork = AuditEvent(action="test.fork", prev_hash=first.prev_hash)
    fork.hash = audit_event_hash(fork)

    with pytest.raises(IntegrityError), transaction.atomic():
        fork.save(force_insert=True)


def test_the_database_refuses_to_update_an_audit_event():
    event = audit_record(actor=None, action="test.original")

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE core_auditevent SET action = 'forged' WHERE id = %s", [event.pk])

    assert AuditEvent.objects.get(pk=event.pk).action == "test.original"


def test_the_database_refuses_to_delete_an_audit_event():
    event = audit_record(actor=None, action="test.original")

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_database_refuses_to_truncate_the_audit_table():
    audit_record(actor=None, action="test.original")

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # The suite disables this trigger in its test database (tests/conftest.py);
        # the migration gives every real database the trigger switched on.
        cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_no_truncate")
        cursor.execute("TRUNCATE core_auditevent")

    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    errors = []
    start = threading.Barrier(4)

    def write(n):
        try:
            start.wait()
            for i in range(15):
                with transaction.atomic():
                    audit_record(actor=None, action="test.concurrent", data={"t": n, "i": i})
        except Exception as exc:  # reported below: any error is a failure
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    result = audit_verify()
    assert result.ok
    assert result.checked == 60
