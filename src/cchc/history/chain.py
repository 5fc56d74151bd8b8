"""Keyed hash chains: the arithmetic of a tamper-evident, append-only history (no Django here).

Each entry of a history is sealed with HMAC-SHA256 over a canonical JSON of its content, which
includes the seal of the entry before it. Editing an entry changes its seal; deleting one breaks the
link of the next; and because the seal is keyed, somebody who can write to the database but does
not hold the key cannot compute a valid seal for an edited or invented entry. What the chain cannot
show on its own (a missing *tail*, or a history removed whole) is caught by the chain head kept on
the protected row and by signed checkpoints (``cchc.history.services``; docs/security.md).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

GENESIS = "0" * 64  # the "previous seal" of a history's first entry
KEY_ID_LENGTH = 16


# One encoder for every call (``json.dumps`` with options builds a new one each time).
_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical(payload: Mapping) -> bytes:
    """One byte string per content: sorted keys, no spaces, UTF-8 (Vietnamese kept as is)."""
    return _ENCODER.encode(payload).encode()


def key_id(key: bytes) -> str:
    """A short public name for a key, stored beside each seal so rotation knows which key to use.

    A one-way hash with its own prefix: it names the key without helping anyone compute seals.
    """
    return hashlib.sha256(b"cchc-history-key-id\x00" + key).hexdigest()[:KEY_ID_LENGTH]


def seal(key: bytes, payload: Mapping) -> str:
    """HMAC-SHA256 of the canonical payload, hex."""
    return hmac.digest(key, canonical(payload), "sha256").hex()


def digest_of(payload: Mapping) -> str:
    """Plain SHA-256 of the canonical payload (what a checkpoint publishes)."""
    return hashlib.sha256(canonical(payload)).hexdigest()


def same(left: str, right: str) -> bool:
    return hmac.compare_digest(left or "", right or "")


@dataclass(frozen=True)
class KeyRing:
    """The key that seals new entries and the retired keys that still verify old ones."""

    current: bytes
    retired: tuple[bytes, ...] = ()

    @property
    def current_id(self) -> str:
        return key_id(self.current)

    def by_id(self) -> dict[str, bytes]:
        keys = {key_id(key): key for key in self.retired}
        keys[self.current_id] = self.current
        return keys


@dataclass(frozen=True)
class Entry:
    """What verification needs of one stored entry."""

    sequence: int
    previous: str
    seal: str
    key_id: str
    payload: Mapping  # the content as sealed, ``previous`` and ``key`` included


@dataclass(frozen=True)
class Break:
    """The first thing wrong with one history. ``sequence`` is 0 when it concerns the whole."""

    sequence: int
    reason: str
    detail: str = ""


# Reasons, stable strings (the CLI translates them; tests and scripts match on them).
MISSING_ENTRY = "missing entry"
BROKEN_LINK = "previous seal does not match"
CONTENT_CHANGED = "content changed after it was written"
UNKNOWN_KEY = "sealed with an unknown key"
SHORTER_THAN_HEAD = "entries missing at the end"
NO_HISTORY = "history missing"
LONGER_THAN_HEAD = "entries beyond the recorded head"
HEAD_MISMATCH = "head does not match the newest entry"


def verify(
    entries: Iterable[Entry], head_count: int, head_seal: str, keys: Mapping[str, bytes]
) -> Break | None:
    """The first break in one history, given its entries in sequence order and its recorded head."""
    previous = GENESIS
    expected = 1
    for entry in entries:
        if entry.sequence != expected:
            if entry.sequence > expected:
                return Break(expected, MISSING_ENTRY)
            return Break(entry.sequence, MISSING_ENTRY, "duplicate or out of order")
        if not same(entry.previous, previous):
            return Break(entry.sequence, BROKEN_LINK)
        key = keys.get(entry.key_id)
        if key is None:
            return Break(entry.sequence, UNKNOWN_KEY, entry.key_id)
        if not same(seal(key, entry.payload), entry.seal):
            return Break(entry.sequence, CONTENT_CHANGED)
        previous = entry.seal
        expected += 1
    count = expected - 1
    if count < head_count:
        if count == 0:
            return Break(0, NO_HISTORY, f"0/{head_count}")
        return Break(count + 1, SHORTER_THAN_HEAD, f"{count}/{head_count}")
    if count > head_count:
        return Break(head_count + 1, LONGER_THAN_HEAD, f"{count}/{head_count}")
    if count and not same(previous, head_seal):
        return Break(count, HEAD_MISMATCH)
    return None


def heads_digest(heads: Iterable[tuple[int, int, str]]) -> str:
    """SHA-256 over ``owner id:count:head`` lines in the given (id) order: a checkpoint's digest."""
    digest = hashlib.sha256()
    for owner, count, head in heads:
        digest.update(f"{owner}:{count}:{head}\n".encode())
    return digest.hexdigest()
