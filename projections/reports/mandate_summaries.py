"""The trail's one-line summaries of the mandates' facts (design/mandates.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ledger.events import Fact
from ledger.mandate_events import (
    BodyDissolved,
    BodyRegistered,
    CouncilMembershipEnded,
    Designated,
    DesignationEnded,
    PostsAllocated,
    PostsDefined,
)
from ledger.vocabulary import COUNCIL_END_REASONS, DESIGNATION_END_REASONS

Who = Callable[[str], str]


def _registered(event: BodyRegistered, who: Who) -> str:
    after = f", successor of {event.successor_of}" if event.successor_of else ""
    return f"body {event.name} registered ({event.kind.replace('_', ' ')}, KKR " \
           f"{event.region}{after})"


def _posts(event: PostsDefined, who: Who) -> str:
    how = [f"{event.kkr_seats} KKR seat(s)"]
    how += ["nominated only"] if event.nominated else []
    how += ["personal substitutes"] if event.substitutes else []
    how += ["open to non-councillors"] if event.eligibility == "open" else []
    how += [f"until {event.until}"] if event.until else []
    return "posts: " + ", ".join(how)


def _allocated(event: PostsAllocated, who: Who) -> str:
    seats = ", ".join(f"{group} {n}" for group, n in sorted(event.seats.items()) if n)
    lots = f"; lot won by {', '.join(lot.winner for lot in event.lots)}" if event.lots else ""
    return f"seats allocated by d'Hondt: {seats}{lots}"


def _designated(event: Designated, who: Who) -> str:
    group = f" for {event.group}" if event.group else ""
    deputy = f", substitute {event.substitute.name}" if event.substitute else ""
    return f"{event.person.name} ({event.person.municipality}) designated{group}{deputy}"


def _designation_ended(event: DesignationEnded, who: Who) -> str:
    return f"{who(event.person_id)} left the body " \
           f"({DESIGNATION_END_REASONS[event.reason].label})"


def _dissolved(event: BodyDissolved, who: Who) -> str:
    return "dissolved" + (f"; succeeded by {event.successor}" if event.successor else "")


def _council_ended(event: CouncilMembershipEnded, who: Who) -> str:
    return f"{who(event.person_id)} off the council " \
           f"({COUNCIL_END_REASONS[event.reason].label})"


MANDATE_SUMMARIES: dict[type[Fact], Callable[[Any, Who], str]] = {
    BodyRegistered: _registered,
    PostsDefined: _posts,
    PostsAllocated: _allocated,
    Designated: _designated,
    DesignationEnded: _designation_ended,
    BodyDissolved: _dissolved,
    CouncilMembershipEnded: _council_ended,
}
