import json
from io import StringIO

import pytest
from django.core.management import CommandError, ManagementUtility, call_command
from django.db import connection

from core.audit import audit_compute_hash, audit_record

pytestmark = pytest.mark.django_db


def _chain(n=5):
    return [audit_record(actor=None, action=f"test.step{i}", data={"i": i}) for i in range(n)]


def _behind_the_applications_back(sql, params):
    """Change the table as someone with database access could, past the trigger."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER USER")


def _verify():
    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def test_a_clean_chain_is_verified():
    _chain(5)

    assert _verify().strip() == "Audit trail verified: 5 events, chain intact."


def test_an_empty_trail_is_verified():
    assert _verify().strip() == "Audit trail verified: 0 events, chain intact."


def test_a_changed_row_is_named_with_its_hash_mismatch():
    events = _chain(5)
    _behind_the_applications_back(
        "UPDATE core_auditevent SET data = %s::jsonb WHERE id = %s",
        [json.dumps({"i": 99}), events[2].pk],
    )

    with pytest.raises(CommandError) as refused:
        _verify()

    message = str(refused.value)
    assert f"event #{events[2].pk} (test.step2," in message
    assert "hash does not match content" in message


def test_a_changed_row_with_a_recomputed_hash_breaks_the_next_link():
    events = _chain(5)
    forged = events[2]
    new_hash = audit_compute_hash(
        created_at=forged.created_at,
        actor_id=None,
        actor_label=forged.actor_label,
        action="test.forged",
        target_type="",
        target_id="",
        target_label="",
        data=forged.data,
        prev_hash=forged.prev_hash,
    )
    _behind_the_applications_back(
        "UPDATE core_auditevent SET action = 'test.forged', hash = %s WHERE id = %s",
        [new_hash, forged.pk],
    )

    with pytest.raises(CommandError) as refused:
        _verify()

    message = str(refused.value)
    assert f"event #{events[3].pk} (test.step3," in message
    assert "link to previous event is broken" in message
    assert f"event #{events[2].pk} was changed" in message


def test_a_deleted_middle_row_is_named_by_the_event_after_it():
    events = _chain(5)
    _behind_the_applications_back("DELETE FROM core_auditevent WHERE id = %s", [events[2].pk])

    with pytest.raises(CommandError) as refused:
        _verify()

    message = str(refused.value)
    assert f"event #{events[3].pk} (test.step3," in message
    assert "link to previous event is broken" in message


def test_a_deleted_first_row_is_noticed():
    events = _chain(3)
    _behind_the_applications_back("DELETE FROM core_auditevent WHERE id = %s", [events[0].pk])

    with pytest.raises(CommandError) as refused:
        _verify()

    assert f"event #{events[1].pk} (test.step1," in str(refused.value)
    assert "earlier events are missing" in str(refused.value)


def test_the_command_exits_non_zero_from_the_command_line(capsys):
    events = _chain(3)
    _behind_the_applications_back(
        "UPDATE core_auditevent SET actor_label = 'someone else' WHERE id = %s", [events[1].pk]
    )

    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "verify_audit"]).execute()

    assert exited.value.code == 1
    assert f"event #{events[1].pk}" in capsys.readouterr().err
