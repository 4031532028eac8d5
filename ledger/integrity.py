"""The hash chain: each event carries the hash of the previous event of its stream.

The hash is taken over the event exactly as stored: its topic, stream, version and the
stored state bytes (canonical JSON: sorted keys, no spaces, UTF-8), so `kkr verify` can
recompute it from the rows alone, without re-serialising anything.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

import orjson

GENESIS = "0" * 64


def canonical_json(state: dict[str, Any]) -> bytes:
    """The one serialisation of a stored state: what is stored is what is hashed.

    orjson writes exactly the bytes of `json.dumps(sort_keys=True, separators=(",", ":"),
    ensure_ascii=False)` (keys in code point order, non-ASCII as UTF-8, the same escapes),
    about twenty times faster; the few values it cannot take (integers beyond 64 bits) go
    through the json module, which then gives the same bytes it always gave.

    The bytes are copied to their own size: orjson's result keeps the whole buffer it wrote
    into (about 4 KiB of memory for an event of a few hundred bytes), and every event of a
    loaded term keeps its stored bytes.
    """
    try:
        return bytes(memoryview(orjson.dumps(state, option=orjson.OPT_SORT_KEYS)))
    except TypeError:
        return json.dumps(state, sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False).encode()


# What may begin a stream: the event's class name -> (the kind in the stream's uuid5 name, the
# field that names it). A term (`ledger.term`), a body (`ledger.body`), a person's council
# membership (`ledger.councillor`).
STREAM_STARTS = {
    "TermConstituted": ("term", "term"),
    "BodyRegistered": ("body", "body"),
    "CouncilMembershipEnded": ("council", "person_id"),
}


def _stream_label(topic: str, state: dict[str, Any]) -> str:
    """How problems and the digest name a stream: `region/year`, `body:<slug>`, `council:<id>`."""
    start = STREAM_STARTS.get(topic.rpartition(":")[2])
    if start is None or start[0] == "term":
        return str(state.get("term", ""))
    return f"{start[0]}:{state.get(start[1], '')}"


def event_hash(topic: str, originator_id: UUID, version: int, state: bytes) -> str:
    header = f"{topic}\n{originator_id}\n{version}\n".encode()
    return hashlib.sha256(header + state).hexdigest()


@dataclass(frozen=True)
class StoredRecord:
    """One row of the event table as stored: what verification trusts nothing beyond."""

    position: int
    stream: UUID
    version: int
    topic: str
    state: bytes


@dataclass(frozen=True)
class Problem:
    event_id: str
    term: str
    problem: str


@dataclass
class StreamHead:
    term: str = ""
    version: int = 0
    hash: str = ""


class ChainVerifier:
    """Recomputes every stream's chain from the stored rows, read once in storage order.

    Each event must follow the previous one of its stream (versions 1..n, in order), link to
    the hash of that stored event, and the first must be a genuine constitution of its term.
    Memory is one head per stream, so a million events verify in constant space per term.
    """

    def __init__(self, digest: dict[str, Any] | None = None) -> None:
        self.heads: dict[UUID, StreamHead] = {}
        self.problems: list[Problem] = []
        self.checked = 0
        self.kept = {UUID(stream): (int(kept["version"]), str(kept["hash"]), str(kept["term"]))
                     for stream, kept in (digest or {}).get("streams", {}).items()}

    def check(self, record: StoredRecord) -> None:
        self.checked += 1
        head = self.heads.setdefault(record.stream, StreamHead())
        event_id = f"{record.stream}:{record.version}"
        try:
            state = json.loads(record.state)
            assert isinstance(state, dict)
        except (ValueError, AssertionError):
            self.problems.append(Problem(event_id, head.term, "payload is not readable JSON"))
            return
        if record.version == 1:
            head.term = _stream_label(record.topic, state)
        problem = self._link_problem(record, state, head)
        if problem:
            self.problems.append(Problem(event_id, head.term, problem))
        if record.version > head.version:
            head.version = record.version
            head.hash = event_hash(record.topic, record.stream, record.version, record.state)
            kept = self.kept.get(record.stream)
            if kept is not None and kept[0] == record.version and kept[1] != head.hash:
                self.problems.append(Problem(event_id, head.term, "differs from the digest"))

    @staticmethod
    def _link_problem(record: StoredRecord, state: dict[str, Any], head: StreamHead) -> str:
        link = state.get("previous_hash")
        if record.version == 1:
            start = STREAM_STARTS.get(record.topic.rpartition(":")[2])
            genuine = (link == GENESIS and start is not None and record.stream == uuid5(
                NAMESPACE_URL, f"kkr:{start[0]}:{state.get(start[1])}"))
            return "" if genuine else ("the first event of the stream is not a genuine start of "
                                       "a term, a body or a council membership")
        if record.version <= head.version:
            return "stored out of order (rows reordered or inserted)"
        if record.version != head.version + 1:
            missing = range(head.version + 1, record.version)
            return (f"event(s) {', '.join(f'{record.stream}:{v}' for v in missing)} before this "
                    "one are missing (deleted)")
        if link != head.hash:
            return (f"its link does not match the stored event {record.stream}:{head.version}: "
                    "that event was modified, or this one was (or was inserted)")
        return ""

    def finish(self) -> None:
        """Streams shorter than the digest says were truncated (or deleted whole)."""
        for stream, (version, _hash, term) in self.kept.items():
            head = self.heads.get(stream)
            if head is None or head.version < version:
                self.problems.append(Problem(f"{stream}:{version}", term, "stream truncated: "
                                             "events recorded in the digest are gone"))

    def digest(self) -> dict[str, Any]:
        streams = {str(stream): {"term": head.term, "version": head.version, "hash": head.hash}
                   for stream, head in sorted(self.heads.items(), key=lambda kv: kv[1].term)}
        lines = "\n".join(f"{s} {h['version']} {h['hash']}" for s, h in sorted(streams.items()))
        return {"streams": streams, "root": hashlib.sha256(lines.encode()).hexdigest()}
