"""The fold's handler table and the rules it may refuse each kind of stored fact with.

Explicit and complete (tests hold both tables against every event class); corrections are not
folded but applied to the facts first (`corrections.corrected`).
"""

from __future__ import annotations

from ledger.events import (
    ChairElected,
    EventRedated,
    EventRetracted,
    Fact,
    LeaveEnded,
    LeaveStarted,
    MayorChanged,
    MemberAppointed,
    MembershipEnded,
    PartyChanged,
    SubstituteAppointed,
    TermConstituted,
    TermEnded,
)
from ledger.fold import corrections, council_book, on_body, on_changes, on_constitution, on_roles
from ledger.fold.book import HandlerTable
from ledger.mandate_events import (
    BodyDissolved,
    BodyRegistered,
    CouncilMembershipEnded,
    Designated,
    DesignationEnded,
    PostsAllocated,
    PostsDefined,
)

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

BODY_HANDLERS = HandlerTable(
    facts={
        BodyRegistered: on_body.register,
        PostsDefined: on_body.define_posts,
        PostsAllocated: on_body.allocate,
        Designated: on_body.designate,
        DesignationEnded: on_body.end_designation,
        BodyDissolved: on_body.dissolve,
    },
    timer=on_body.no_timers,
)

COUNCIL_HANDLERS = HandlerTable(
    facts={CouncilMembershipEnded: council_book.end_council_membership},
    timer=council_book.no_timers,
)


RULES: dict[type[Fact], tuple[str, ...]] = {
    TermConstituted: ("B1.0", "B1.1", "B1.2", "B1.3", "B1.4"),
    TermEnded: ("B1.3",),
    LeaveStarted: ("B1.3", "B1.6", "B1.7"),
    LeaveEnded: ("B1.3", "B1.7"),
    MembershipEnded: ("B1.3", "B1.9", "B1.10"),
    PartyChanged: ("B1.3", "B1.9"),
    SubstituteAppointed: ("B1.0", "B1.2", "B1.3", "B1.14"),
    MemberAppointed: ("B1.0", "B1.2", "B1.3", "B1.11", "B1.13"),
    MayorChanged: ("B1.0", "B1.2", "B1.3"),
    ChairElected: ("B1.3", "B1.4", "B1.16"),
    EventRetracted: (corrections.RULE,),
    EventRedated: (corrections.RULE,),
    BodyRegistered: ("FO2.2",),
    PostsDefined: ("FO2.2", "FO3.8b", "END"),
    PostsAllocated: ("FO2.2", "FO3.8a", "FO3.8b", "END"),
    Designated: ("FO2.2", "FO3.8", "FO3.8b", "FO3.8c", "END"),
    DesignationEnded: ("FO2.2", "END"),
    BodyDissolved: ("FO2.2", "END"),
    CouncilMembershipEnded: ("END",),
}
"""The rule ids the ledger may refuse each kind of fact with: a command is refused with one of
them, and a stored fact the fold cannot apply is reported by the audit (`unapplied_fact`)
under it. Every kind of fact can be violated (at the least by falling outside its term,
B1.3; a correction by naming a fact that cannot be corrected); a kind that truly could not
would be listed with `()` and a comment saying why."""
