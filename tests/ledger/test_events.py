"""Events are a stored format: every class round-trips, and each links to its predecessor."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

from ledger.events import EVENT_CLASSES, GENESIS_HASH, Fact, TermConstituted
from ledger.integrity import event_hash
from ledger.mapper import hash_of
from ledger.store.application import Ledger
from ledger.values import TermId
from tests.builders import envelope, person, places

SAMPLES: dict[str, dict[str, Any]] = {
    "TermConstituted": {"originator_topic": "ledger.term:Term", "term": "nordjylland/2022",
                        "members": tuple(places()[:1]), "chair": "mayor-morsoe",
                        "election_date": date(2021, 11, 16), "votes": {"A": 10, "Ø": 3}},
    "TermEnded": {"successor": "nordjylland/2026"},
    "LeaveStarted": {"person_id": "member-0", "expected_until": date(2023, 9, 1),
                     "reason": "health", "decided_on": date(2023, 6, 2)},
    "LeaveEnded": {"person_id": "member-0"},
    "PartyChanged": {"person_id": "member-0", "party": "V", "successor_declines": True},
    "MembershipEnded": {"person_id": "member-0", "reason": "resigned"},
    "SubstituteAppointed": {"person": person("new-sub"), "for_member": "member-0",
                            "basis": "party_elected"},
    "MemberAppointed": {"person": person("new-member"), "basis": "vacancy",
                        "seat": "party:a:1", "substitute": person("new-member-sub")},
    "MayorChanged": {"municipality": "Aalborg", "person": person("new-mayor")},
    "ChairElected": {"role": "vice_chair", "person_id": "member-0", "until": date(2024, 1, 1),
                     "elected_by": "A+F"},
    "EventRetracted": {"event_id_retracted": "x:2", "reason": "typo"},
    "EventRedated": {"event_id_redated": "x:2", "reason": "wrong date"},
}


def sample(cls: type[Fact], version: int) -> Fact:
    return cls(originator_id=uuid4(), originator_version=version,
               timestamp=datetime(2023, 5, 1, 12, 0, tzinfo=UTC), effective=date(2023, 5, 1),
               source="letter 17", recorded_by="tester", command_id=f"c-{version}",
               **SAMPLES[cls.__name__])


def test_every_event_class_has_a_sample() -> None:
    assert {cls.__name__ for cls in EVENT_CLASSES} == set(SAMPLES)


def test_every_event_class_round_trips_through_the_store(store: Ledger) -> None:
    for version, cls in enumerate(EVENT_CLASSES, start=1):
        original = sample(cls, version)
        stored = store.mapper.to_stored_event(original)
        store.recorder.insert_events([stored])
        loaded = store.mapper.to_domain_event(
            store.recorder.select_events(original.originator_id)[0])
        assert type(loaded) is cls and loaded.model_dump() == original.model_dump()
        assert hash_of(loaded) == hash_of(original)


def test_each_event_carries_the_hash_of_the_previous_event_of_its_stream(
    memory_ledger: Ledger,
) -> None:
    earlier, later = TermId.parse("nordjylland/2018"), TermId.parse("nordjylland/2022")
    memory_ledger.execute(lambda u: u.constitute(earlier, envelope("2018-01-18"), places()))
    memory_ledger.execute(lambda u: u.constitute(later, envelope("2022-01-20"), places()))
    first, second = memory_ledger.stream(earlier.uuid)
    assert isinstance(first, TermConstituted) and first.previous_hash == GENESIS_HASH
    assert second.previous_hash == hash_of(first)


def test_a_loaded_event_hashes_its_stored_form(store: Ledger) -> None:
    term = TermId.parse("nordjylland/2022")
    store.execute(lambda u: u.constitute(term, envelope("2022-01-20", source="minutes"),
                                         places()))
    loaded = store.stream(term.uuid)[0]
    row = store.recorder.select_events(term.uuid)[0]
    expected = event_hash(row.topic, term.uuid, 1, row.state)
    assert hash_of(loaded) == expected
