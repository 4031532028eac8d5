"""The stored bytes of an event are hashed, so their serialisation must never change."""

from __future__ import annotations

import json
import tracemalloc
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from ledger.integrity import canonical_json

# Text as it can reach a stored state: any code point except lone surrogates (which the
# batch reader refuses, and which no UTF-8 store can hold).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**80), max_value=2**80) | TEXT,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(TEXT, inner, max_size=5),
    max_leaves=25,
)


def reference(state: dict[str, Any]) -> bytes:
    """The serialisation the ledger has stored since its first event."""
    return json.dumps(state, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@given(st.dictionaries(TEXT, JSON_VALUES, max_size=8))
def test_canonical_json_gives_the_bytes_the_ledger_has_always_stored(
    state: dict[str, Any],
) -> None:
    # given any JSON state, with odd Unicode, nesting and integers beyond 64 bits
    # when it is serialised for storage, then the bytes are the reference serialisation's
    assert canonical_json(state) == reference(state)


def test_canonical_json_of_a_typical_state_sorts_keys_and_keeps_unicode() -> None:
    state = {"party": "Ø", "effective": "2023-06-01", "votes": {"Å": 1, "A": 2}}
    assert canonical_json(state) == (
        '{"effective":"2023-06-01","party":"Ø","votes":{"A":2,"Å":1}}'.encode())


def test_stored_bytes_take_the_memory_of_their_length_not_of_a_write_buffer() -> None:
    # given a thousand states of a few hundred bytes each
    states = [{"n": n, "text": "x" * 300} for n in range(1000)]
    # when they are serialised and kept, as the events of a loaded term keep theirs
    tracemalloc.start()
    try:
        kept = [canonical_json(state) for state in states]
        held, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # then they hold about their length (orjson's own result holds ≈ 4 KiB each)
    assert len(kept) == 1000 and held < 1000 * 1024
