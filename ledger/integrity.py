"""The hash chain: each event carries the hash of the previous event of its stream.

The hash is taken over a canonical serialisation of the event as stored (topic, stream,
version and the stored state), so `kkr verify` can recompute it from the rows alone.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from uuid import UUID


def canonical_bytes(topic: str, originator_id: UUID, version: int, state: dict[str, Any]) -> bytes:
    document = {"topic": topic, "stream": str(originator_id), "version": version, "state": state}
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(topic: str, originator_id: UUID, version: int, state: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(topic, originator_id, version, state)).hexdigest()
