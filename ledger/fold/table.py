"""The fold's handler table: which handler applies each kind of stored fact. Explicit and
complete (a test holds it against every event class); corrections are not folded but applied
to the facts first (`corrections.corrected`)."""

from __future__ import annotations

from ledger.events import (
    ChairElected,
    EventRedated,
    EventRetracted,
    LeaveEnded,
    LeaveStarted,
    MayorChanged,
    MemberAppointed,
    MembershipEnded,
    PartyChanged,
    SubstituteAppointed,
    TermConstituted,
    TermEnded,
    TermEvent,
)
from ledger.fold import on_changes, on_constitution, on_roles
from ledger.fold.timeline import HandlerTable

HANDLERS = HandlerTable(
    facts={
        TermConstituted: on_constitution.constitute,
        TermEnded: on_constitution.end_term,
        LeaveStarted: on_changes.start_leave,
        LeaveEnded: on_changes.end_leave,
        MembershipEnded: on_changes.end_membership,
        PartyChanged: on_changes.change_party,
        SubstituteAppointed: on_changes.appoint_substitute,
        MemberAppointed: on_changes.appoint_member,
        MayorChanged: on_changes.change_mayor,
        ChairElected: on_roles.elect_chair,
    },
    timer=on_roles.fire_timer,
)

CORRECTIONS: tuple[type[TermEvent], ...] = (EventRetracted, EventRedated)
