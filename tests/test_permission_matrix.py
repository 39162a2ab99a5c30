"""Every URL pattern says who gets what, and every persona gets exactly that.

A new URL fails `test_every_url_pattern_has_exactly_one_entry` until an entry in
tests/permission_matrix.py says what each persona gets from it.
"""

import pytest
from django.test import Client

from tests.permission_matrix import (
    ENTRIES,
    PERSONAS,
    SESSION_METHODS,
    agrees,
    entries_for,
    observed,
    suggestion,
    url_patterns,
)
from tests.signing_in import force_sign_in

PATTERNS = url_patterns()


def test_every_url_pattern_has_exactly_one_entry():
    missing = [info for info in PATTERNS if not entries_for(info)]
    ambiguous = {info.key: entries_for(info) for info in PATTERNS if len(entries_for(info)) > 1}

    problems = []
    if missing:
        problems.append(
            "These URL patterns have no entry in tests/permission_matrix.py; add one saying "
            "what each persona gets:\n" + "\n".join(suggestion(info) for info in missing)
        )
    for key, entries in ambiguous.items():
        problems.append(
            f"{key} is matched by {len(entries)} entries: "
            + ", ".join(entry.match for entry in entries)
        )
    assert not problems, "\n\n".join(problems)


def test_every_entry_matches_a_url_pattern():
    stale = [entry.match for entry in ENTRIES if not any(entry.matches(i) for i in PATTERNS)]

    assert not stale, f"Entries that match no URL pattern (remove or rename them): {stale}"


def _request_as(persona_name, user, url):
    client = Client()
    if getattr(user, "is_authenticated", False):
        force_sign_in(client, user, methods=SESSION_METHODS.get(persona_name))
    try:
        return observed(client.get(url))
    except Exception as error:  # a crash is an outcome to report, not to hide
        return f"raised {type(error).__name__}: {error}"


@pytest.mark.parametrize("info", PATTERNS, ids=[info.key for info in PATTERNS])
def test_each_persona_gets_what_the_matrix_says(info, personas):
    entries = entries_for(info)
    assert len(entries) == 1, f"{info.key} needs exactly one entry, has {len(entries)}"
    entry = entries[0]
    expected = entry.expected(info)
    url = entry.url(personas, info)
    people = personas.all()

    wrong = []
    for name in PERSONAS:
        actual = _request_as(name, people[name], url)
        if not agrees(expected[name], actual):
            wrong.append(f"  {name:<18} expected {expected[name]!s:<28} got {actual}")

    assert not wrong, f"GET {url} ({info.key}):\n" + "\n".join(wrong)
