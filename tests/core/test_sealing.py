"""Sealing: authenticated encryption of bytes and streams under wrapped data keys."""

import io
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.sealing import (
    CHUNK_BYTES,
    MAGIC,
    PREFIX_BYTES,
    SealBroken,
    SealingUnavailable,
    key_id,
    master_key,
    master_key_problem,
    new_data_key,
    new_master_key_text,
    open_bytes,
    open_stream,
    seal_bytes,
    seal_stream,
    unwrap_key,
    wrap_key,
)

KEY = bytes(range(32))
AAD = b"proposal:7"


def _seal(data: bytes, key: bytes = KEY, aad: bytes = AAD) -> tuple[bytes, str, int]:
    target = io.BytesIO()
    digest, size = seal_stream(io.BytesIO(data), target, key, aad=aad)
    return target.getvalue(), digest, size


def _open(sealed: bytes, key: bytes = KEY, aad: bytes = AAD) -> bytes:
    return b"".join(open_stream(io.BytesIO(sealed), key, aad=aad))


@pytest.mark.parametrize(
    "size", [0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * CHUNK_BYTES]
)
def test_a_stream_opens_to_what_was_sealed_at_every_chunk_boundary(size):
    import hashlib

    canary = b"CANARY-7d1e"
    data = (canary * (size // len(canary) + 1))[:size]
    sealed, digest, sealed_size = _seal(data)

    assert _open(sealed) == data
    assert digest == hashlib.sha256(data).hexdigest()
    assert sealed_size == size
    assert canary not in sealed


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=3 * 1024), position=st.integers(min_value=0))
def test_changing_any_byte_of_a_sealed_stream_is_noticed(data, position):
    sealed, _, _ = _seal(data)
    index = position % len(sealed)
    changed = bytearray(sealed)
    changed[index] ^= 0x01

    with pytest.raises(SealBroken):
        _open(bytes(changed))


def test_a_stream_cut_after_a_whole_chunk_or_with_chunks_swapped_does_not_open():
    data = os.urandom(3 * CHUNK_BYTES + 10)
    sealed, _, _ = _seal(data)
    header = len(MAGIC) + PREFIX_BYTES
    chunk = 4 + CHUNK_BYTES + 16
    first, second = sealed[header : header + chunk], sealed[header + chunk : header + 2 * chunk]

    with pytest.raises(SealBroken):
        _open(sealed[: header + 2 * chunk])  # the last chunks dropped
    with pytest.raises(SealBroken):
        _open(sealed[:header] + second + first + sealed[header + 2 * chunk :])
    with pytest.raises(SealBroken):
        _open(sealed + b"more")


def test_a_stream_does_not_open_with_another_key_or_for_another_row():
    sealed, _, _ = _seal(b"Our price for phase 1 is 90,000 pounds.")

    with pytest.raises(SealBroken):
        _open(sealed, key=new_data_key())
    with pytest.raises(SealBroken):
        _open(sealed, aad=b"proposal:8")


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=2048), aad=st.binary(max_size=64))
def test_bytes_open_to_what_was_sealed_and_only_with_their_aad(data, aad):
    sealed = seal_bytes(data, KEY, aad=aad)

    assert open_bytes(sealed, KEY, aad=aad) == data
    with pytest.raises(SealBroken):
        open_bytes(sealed, KEY, aad=aad + b"x")


def test_a_data_key_unwraps_only_with_the_master_key_that_wrapped_it():
    data_key, master, other = new_data_key(), new_data_key(), new_data_key()
    wrapped = wrap_key(data_key, master)

    assert unwrap_key(wrapped, master) == data_key
    assert data_key not in wrapped
    with pytest.raises(SealBroken):
        unwrap_key(wrapped, other)
    assert key_id(master) != key_id(other) and len(key_id(master)) == 16


@pytest.mark.parametrize(
    "value,problem",
    [
        ("", "not set"),
        ("not base64 at all!", "not URL-safe base64"),
        ("c2hvcnQ=", "must decode to 32 bytes, not 5"),
    ],
)
def test_without_a_valid_master_key_nothing_can_be_sealed(value, problem, settings):
    settings.SEALING_MASTER_KEY = value

    assert problem in master_key_problem(value)
    with pytest.raises(SealingUnavailable, match="accepts none rather than store them"):
        master_key()


def test_a_new_master_key_is_valid(settings):
    settings.SEALING_MASTER_KEY = new_master_key_text()

    assert len(master_key()) == 32


def test_the_command_prints_a_key_the_setting_accepts(settings):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("new_sealing_key", stdout=out)
    settings.SEALING_MASTER_KEY = out.getvalue().strip()

    assert len(master_key()) == 32
