"""Encryption at rest for sealed records (the tender box): a data key per box, wrapped by a
master key from the environment, and authenticated encryption of bytes and of streams.

- The master key is ``settings.SEALING_MASTER_KEY``: 32 bytes, URL-safe base64. Without a
  valid one ``master_key()`` raises ``SealingUnavailable`` and nothing can be sealed: the
  portal refuses to accept what it would otherwise have to store in the clear.
- A data key (32 random bytes) is wrapped with AES key wrap (RFC 3394) and stored beside
  the records it protects, with the id of the master key that wrapped it (so a rotated
  master key is noticed, not silently misused).
- ``seal_bytes`` / ``open_bytes``: AES-256-GCM with a random 96-bit nonce; ``aad`` binds the
  ciphertext to what it belongs to (a proposal's id, a file's id), so a ciphertext moved to
  another row does not open.
- ``seal_stream`` / ``open_stream``: the same, chunk by chunk (64 KiB), so a 20 MB file is
  sealed and opened in constant memory. Each chunk's nonce is a random prefix and the
  chunk's number; its associated data says whether it is the last, so chunks cannot be
  reordered, dropped or the stream cut short without ``open_stream`` noticing.

Format of a sealed stream: ``MAGIC`` (6 bytes), the nonce prefix (8 bytes), then for each
chunk its ciphertext length (4 bytes, big-endian) and the ciphertext (with its 16-byte tag).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import struct
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap, aes_key_wrap
from django.conf import settings

from core.exceptions import ApplicationError

KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
CHUNK_BYTES = 64 * 1024
MAGIC = b"IPSB1\n"
PREFIX_BYTES = 8
_LENGTH = struct.Struct(">I")


class SealingUnavailable(ApplicationError):
    """No valid master key is configured: nothing may be sealed or opened."""


class SealBroken(ApplicationError):
    """A sealed value does not open: wrong key, moved to another row, changed or cut short."""


def master_key_problem(value: str | None) -> str:
    """Why ``value`` is not a usable master key ("" when it is)."""
    if not value:
        return "SEALING_MASTER_KEY is not set"
    try:
        key = base64.urlsafe_b64decode(value.encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return "SEALING_MASTER_KEY is not URL-safe base64"
    if len(key) != KEY_BYTES:
        return f"SEALING_MASTER_KEY must decode to {KEY_BYTES} bytes, not {len(key)}"
    return ""


def master_key() -> bytes:
    value = getattr(settings, "SEALING_MASTER_KEY", "")
    problem = master_key_problem(value)
    if problem:
        raise SealingUnavailable(
            "The tender box is not available: the portal has no master key to encrypt "
            "proposals, so it accepts none rather than store them unencrypted. Tell the "
            f"portal's administrators ({problem})."
        )
    return base64.urlsafe_b64decode(value.encode("ascii"))


def key_id(key: bytes) -> str:
    """A short public name for a key (never the key): the first 16 hex digits of its
    SHA-256."""
    return hashlib.sha256(key).hexdigest()[:16]


def new_master_key_text() -> str:
    """A fresh master key as the setting wants it (for ``manage.py`` and the docs)."""
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode("ascii")


def new_data_key() -> bytes:
    return os.urandom(KEY_BYTES)


def wrap_key(data_key: bytes, master: bytes) -> bytes:
    return aes_key_wrap(master, data_key)


def unwrap_key(wrapped: bytes, master: bytes) -> bytes:
    try:
        return aes_key_unwrap(master, wrapped)
    except InvalidUnwrap:
        raise SealBroken("The data key does not unwrap with this master key.") from None


def seal_bytes(plaintext: bytes, key: bytes, *, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def open_bytes(sealed: bytes, key: bytes, *, aad: bytes) -> bytes:
    nonce, ciphertext = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, aad)
    except (InvalidTag, ValueError):
        raise SealBroken("The sealed value does not open: it was changed or moved.") from None


def _chunk_aad(aad: bytes, number: int, last: bool) -> bytes:
    return aad + struct.pack(">Q?", number, last)


def _nonce(prefix: bytes, number: int) -> bytes:
    return prefix + struct.pack(">I", number)


def _read_full(source: BinaryIO, size: int) -> bytes:
    parts, wanted = [], size
    while wanted:
        part = source.read(wanted)
        if not part:
            break
        parts.append(part)
        wanted -= len(part)
    return b"".join(parts)


def seal_stream(source: BinaryIO, target: BinaryIO, key: bytes, *, aad: bytes) -> tuple[str, int]:
    """Seal everything ``source`` gives into ``target``; return the SHA-256 and the size of
    the plaintext (the receipt's digest)."""
    digest, size = hashlib.sha256(), 0
    cipher = AESGCM(key)
    prefix = os.urandom(PREFIX_BYTES)
    target.write(MAGIC + prefix)
    number = 0
    chunk = _read_full(source, CHUNK_BYTES)
    while True:
        following = _read_full(source, CHUNK_BYTES) if len(chunk) == CHUNK_BYTES else b""
        last = not following
        digest.update(chunk)
        size += len(chunk)
        sealed = cipher.encrypt(_nonce(prefix, number), chunk, _chunk_aad(aad, number, last))
        target.write(_LENGTH.pack(len(sealed)) + sealed)
        if last:
            return digest.hexdigest(), size
        number += 1
        if number >= 2**32:
            raise ValueError("Too large to seal")
        chunk = following


def open_stream(source: BinaryIO, key: bytes, *, aad: bytes) -> Iterator[bytes]:
    """The plaintext of a sealed stream, chunk by chunk; ``SealBroken`` as soon as anything
    does not open or the stream ends before its last chunk."""
    header = _read_full(source, len(MAGIC) + PREFIX_BYTES)
    if header[: len(MAGIC)] != MAGIC or len(header) != len(MAGIC) + PREFIX_BYTES:
        raise SealBroken("This is not a sealed file.")
    prefix = header[len(MAGIC) :]
    cipher = AESGCM(key)
    number = 0
    while True:
        length = _read_full(source, _LENGTH.size)
        if len(length) != _LENGTH.size:
            raise SealBroken("The sealed file is cut short.")
        (size,) = _LENGTH.unpack(length)
        if size < TAG_BYTES or size > CHUNK_BYTES + TAG_BYTES:
            raise SealBroken("The sealed file is damaged.")
        sealed = _read_full(source, size)
        if len(sealed) != size:
            raise SealBroken("The sealed file is cut short.")
        nonce = _nonce(prefix, number)
        for last in (False, True):
            try:
                plaintext = cipher.decrypt(nonce, sealed, _chunk_aad(aad, number, last))
            except InvalidTag:
                continue
            break
        else:
            raise SealBroken("The sealed file does not open: it was changed or moved.")
        yield plaintext
        if last:
            if source.read(1):
                raise SealBroken("The sealed file has data after its last chunk.")
            return
        number += 1
