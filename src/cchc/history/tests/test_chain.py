"""Properties of the keyed chain (pure, no database): any single change to a history is found.

A random history of up to a dozen entries is sealed, then one thing is done to it as someone with
write access to the table but without the key would: edit an entry, delete one, cut the tail,
swap or renumber entries, or forge a seal with another key. ``chain.verify`` must find every one
of these and accept every untouched history.
"""

from __future__ import annotations

import hashlib

from hypothesis import assume, given
from hypothesis import strategies as st

from cchc.history import chain

KEY = b"k" * 32
OTHER_KEY = b"o" * 32
KEYS = {chain.key_id(KEY): KEY}

notes = st.text(max_size=12)
histories = st.lists(st.tuples(notes, st.integers(-5, 5)), min_size=1, max_size=12)


def seal_all(contents, key=KEY, owner=7) -> list[chain.Entry]:
    """Seal ``contents`` (note, number) as one owner's history, as the services do."""
    entries, previous = [], chain.GENESIS
    for sequence, (note, number) in enumerate(contents, start=1):
        entries.append(make_entry(owner, sequence, previous, note, number, key))
        previous = entries[-1].seal
    return entries


def make_entry(owner, sequence, previous, note, number, key=KEY, seal=None) -> chain.Entry:
    payload = {
        "owner": owner,
        "sequence": sequence,
        "previous": previous,
        "key": chain.key_id(key),
        "note": note,
        "data": {"n": number, "ghi chú": "Hồ sơ"},
    }
    return chain.Entry(
        sequence, previous, seal or chain.seal(key, payload), chain.key_id(key), payload
    )


def head(entries) -> tuple[int, str]:
    return len(entries), entries[-1].seal if entries else chain.GENESIS


def check(entries, recorded) -> chain.Break | None:
    return chain.verify(entries, recorded[0], recorded[1], KEYS)


def stored(entry: chain.Entry, **payload) -> chain.Entry:
    """The entry as read back after someone changed its columns (the seal column untouched)."""
    changed = {**entry.payload, **payload}
    return chain.Entry(changed["sequence"], changed["previous"], entry.seal, entry.key_id, changed)


@given(histories)
def test_an_untouched_history_verifies(contents):
    entries = seal_all(contents)
    assert check(entries, head(entries)) is None


def test_an_empty_history_with_an_empty_head_verifies():
    assert check([], (0, chain.GENESIS)) is None


@given(histories, st.data())
def test_editing_any_entry_is_found(contents, data):
    entries = seal_all(contents)
    index = data.draw(st.integers(0, len(entries) - 1))
    field = data.draw(st.sampled_from(["note", "data", "owner"]))
    old = entries[index].payload[field]
    new = {"note": f"{old}!", "data": {"n": 99}, "owner": 8}[field]
    assume(new != old)
    entries[index] = stored(entries[index], **{field: new})
    found = check(entries, head(seal_all(contents)))
    assert found == chain.Break(index + 1, chain.CONTENT_CHANGED)


@given(histories, st.data())
def test_deleting_any_entry_is_found(contents, data):
    entries = seal_all(contents)
    recorded = head(entries)
    index = data.draw(st.integers(0, len(entries) - 1))
    del entries[index]
    found = check(entries, recorded)
    assert found is not None
    if index == len(contents) - 1:  # the newest: only the head on the owner row shows it
        reason = chain.NO_HISTORY if index == 0 else chain.SHORTER_THAN_HEAD
        assert found.reason == reason
    else:
        assert found == chain.Break(index + 1, chain.MISSING_ENTRY)


@given(histories, st.data())
def test_cutting_the_tail_or_everything_is_found(contents, data):
    entries = seal_all(contents)
    recorded = head(entries)
    keep = data.draw(st.integers(0, len(entries) - 1))
    found = check(entries[:keep], recorded)
    if keep == 0:
        assert found == chain.Break(0, chain.NO_HISTORY, f"0/{len(contents)}")
    else:
        assert found == chain.Break(keep + 1, chain.SHORTER_THAN_HEAD, f"{keep}/{len(contents)}")


@given(histories, st.data())
def test_deleting_then_renumbering_is_found(contents, data):
    """Close the gap by renumbering the later entries: their seals no longer match."""
    assume(len(contents) >= 2)
    entries = seal_all(contents)
    recorded = head(entries)
    index = data.draw(st.integers(0, len(entries) - 1))
    rest = entries[:index] + [
        stored(entry, sequence=entry.sequence - 1) for entry in entries[index + 1 :]
    ]
    assert check(rest, recorded) is not None


@given(histories, st.data())
def test_swapping_two_entries_is_found(contents, data):
    """Reorder: two entries exchange places and sequence numbers (their seals kept)."""
    assume(len(contents) >= 2)
    entries = seal_all(contents)
    recorded = head(entries)
    i, j = sorted(data.draw(st.lists(st.integers(0, len(entries) - 1), min_size=2,
                                     max_size=2, unique=True)))  # fmt: skip
    swapped = list(entries)
    swapped[i] = stored(entries[j], sequence=i + 1)
    swapped[j] = stored(entries[i], sequence=j + 1)
    assert check(swapped, recorded) is not None


@given(histories, notes)
def test_appending_an_entry_beyond_the_head_is_found(contents, note):
    entries = seal_all(contents)
    recorded = head(entries)
    extra = make_entry(7, len(entries) + 1, entries[-1].seal, note, 0)
    found = check([*entries, extra], recorded)
    assert found.reason == chain.LONGER_THAN_HEAD


@given(histories, st.data())
def test_a_rewritten_newest_entry_with_a_recomputed_plain_hash_is_found(contents, data):
    """Issue 8's attack: edit the newest entry, recompute an unkeyed SHA-256, move the head."""
    entries = seal_all(contents)
    newest = entries[-1]
    edited = {**newest.payload, "note": f"{newest.payload['note']}*"}
    forged = hashlib.sha256(chain.canonical(edited)).hexdigest()
    entries[-1] = chain.Entry(newest.sequence, newest.previous, forged, newest.key_id, edited)
    found = check(entries, (len(entries), forged))
    assert found == chain.Break(len(entries), chain.CONTENT_CHANGED)


@given(histories)
def test_a_history_resealed_with_another_key_is_found(contents):
    """Someone without the key reseals the whole history with a key of their own."""
    entries = seal_all(contents, key=OTHER_KEY)
    found = check(entries, head(entries))
    assert found == chain.Break(1, chain.UNKNOWN_KEY, chain.key_id(OTHER_KEY))


@given(histories)
def test_a_forged_seal_under_the_known_key_id_is_found(contents):
    """… or claims the real key's id for seals made with another key."""
    entries = [
        chain.Entry(e.sequence, e.previous, e.seal, chain.key_id(KEY), e.payload)
        for e in seal_all(contents, key=OTHER_KEY)
    ]
    found = check(entries, head(entries))
    assert found is not None


@given(histories, histories)
def test_another_owners_history_does_not_pass_for_this_one(contents, others):
    """Entries copied from another owner's history: the owner id is sealed in."""
    theirs = seal_all(others, owner=8)
    assert check(theirs, head(theirs)) is None
    copied = [stored(entry, owner=7) for entry in theirs]
    assert check(copied, head(theirs)) == chain.Break(1, chain.CONTENT_CHANGED)


@given(histories)
def test_a_head_that_does_not_match_the_newest_entry_is_found(contents):
    entries = seal_all(contents)
    found = check(entries, (len(entries), "f" * 64))
    assert found == chain.Break(len(entries), chain.HEAD_MISMATCH)


def test_heads_digest_depends_on_every_head_and_their_order():
    heads = [(1, 3, "a" * 64), (2, 1, "b" * 64), (5, 7, "c" * 64)]
    digests = {chain.heads_digest(heads)}
    for changed in (
        [(1, 2, "a" * 64), *heads[1:]],
        [heads[0], (2, 1, "d" * 64), heads[2]],
        heads[:2],
        list(reversed(heads)),
        [*heads, (6, 1, "e" * 64)],
    ):
        digests.add(chain.heads_digest(changed))
    assert len(digests) == 6


def test_key_ids_name_keys_without_revealing_them():
    assert chain.key_id(KEY) != chain.key_id(OTHER_KEY)
    assert len(chain.key_id(KEY)) == chain.KEY_ID_LENGTH
    assert chain.key_id(KEY) not in KEY.hex()
    ring = chain.KeyRing(KEY, (OTHER_KEY,))
    assert ring.current_id == chain.key_id(KEY)
    assert ring.by_id() == {chain.key_id(KEY): KEY, chain.key_id(OTHER_KEY): OTHER_KEY}
