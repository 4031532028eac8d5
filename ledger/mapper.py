"""Stores pydantic events as JSON and loads them back through their upcasters."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent, Transcoder, Transcoding
from eventsourcing.utils import get_topic, resolve_topic
from pydantic import BaseModel

from ledger.errors import DamagedEvent
from ledger.integrity import canonical_json, event_hash

# Where an event keeps its stored bytes and chain hash (see Fact).
STORED_BYTES, STORED_HASH = "_stored_bytes", "_stored_hash"


def stored_state(event: BaseModel) -> dict[str, Any]:
    """The stored form of an event: JSON types only, without the stream coordinates."""
    state = event.model_dump(mode="json", exclude={"originator_id", "originator_version"})
    class_version = getattr(type(event), "class_version", 1)
    if class_version > 1:
        state["class_version"] = class_version
    return state


def encoded_state(event: Any) -> bytes:
    """The stored bytes of an event: as loaded from the store, or as it will be stored."""
    kept = event.__dict__
    encoded: bytes | None = kept.get(STORED_BYTES)
    if encoded is None:
        encoded = kept[STORED_BYTES] = canonical_json(stored_state(event))
    return encoded


def hash_of(event: Any) -> str:
    """The chain hash of an event over its stored bytes (what `verify` recomputes); once."""
    kept = event.__dict__
    known: str | None = kept.get(STORED_HASH)
    if known is None:
        known = kept[STORED_HASH] = event_hash(
            get_topic(type(event)), event.originator_id, event.originator_version,
            encoded_state(event))
    return known


@lru_cache(maxsize=4096)  # a stream's events are read together
def _uuid_text(stream: UUID) -> str:
    return str(stream)


def upcast(cls: type[Any], state: dict[str, Any]) -> dict[str, Any]:
    """Bring a stored state up to the class's `class_version` (`upcast_v1_v2`, ...)."""
    version = state.pop("class_version", 1)
    while version < getattr(cls, "class_version", 1):
        getattr(cls, f"upcast_v{version}_v{version + 1}")(state)
        version += 1
    return state


class JSONBytesTranscoder(Transcoder):
    """Canonical JSON: pydantic has already turned dates and UUIDs into strings."""

    def encode(self, obj: Any) -> bytes:
        return canonical_json(obj)

    def decode(self, data: bytes) -> Any:
        return json.loads(data)

    def register(self, transcoding: Transcoding) -> None:
        raise NotImplementedError("events are pydantic models; no transcodings needed")


class PydanticMapper(Mapper[UUID]):
    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        assert isinstance(domain_event, BaseModel)
        return StoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=get_topic(type(domain_event)),
            state=encoded_state(domain_event),
        )

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        """The event of the stored record; DamagedEvent (one line, naming it) when the record
        cannot be read as one."""
        try:
            return self._decoded(stored_event)
        except Exception as error:  # any failure to decode a stored record is damage
            event_id = f"{_uuid_text(stored_event.originator_id)}:" \
                f"{stored_event.originator_version}"
            reason = str(error).strip().splitlines()[0] if str(error).strip() else \
                type(error).__name__
            raise DamagedEvent(f"stored event {event_id} cannot be read ({reason}); run "
                               "`kkr verify` to find what was changed") from None

    def _decoded(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        cls = resolve_topic(stored_event.topic)
        state = bytes(stored_event.state)
        if getattr(cls, "class_version", 1) == 1 and state.endswith(b"}") and state != b"{}":
            # Current format: pydantic parses the stored bytes with the stream coordinates
            # put after the stored keys (the last of two equal keys wins), with no dict built.
            stream = _uuid_text(stored_event.originator_id)
            version = stored_event.originator_version
            event = cls.model_validate_json(
                b'%s,"originator_id":"%s","originator_version":%d}' % (
                    state[:-1], stream.encode(), version))
            event.__dict__["event_id"] = f"{stream}:{version}"  # the cached property's value
        else:
            loaded = upcast(cls, dict(self.transcoder.decode(state)))
            event = cls.model_validate(
                {**loaded, "originator_id": stored_event.originator_id,
                 "originator_version": stored_event.originator_version})
        event.__dict__[STORED_BYTES] = state
        return event  # type: ignore[no-any-return]
