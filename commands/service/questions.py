"""Every reading question, answered as the data of the JSON contract (DESIGN.md §3.2): the
same call for the CLI and the web. Targets are checked before the ledger is opened."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from commands.service.session import Session
from ledger.errors import BadInput
from ledger.vocabulary import SEVERITIES

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from ledger.events import Fact
    from projections.reports.audit_view import Finding
    from projections.views.export import TermRows

Window = tuple[date | None, date | None]


@dataclass(frozen=True)
class Target:
    """REGION, REGION/YEAR or nothing (every region), as a user names it."""

    term: str | None = None
    region: str | None = None

    @classmethod
    def parse(cls, text: str | None) -> Target:
        from ledger.geography import region_slug

        if text is None:
            return cls()
        if "/" in text:
            from ledger.values import TermId  # pydantic: only for this form

            return cls(term=str(TermId.parse(text)))
        return cls(region=region_slug(text))


def roster(session: Session, target: Target, on: date, moment: datetime) -> dict[str, Any]:
    """The roster of a term, of a region's term in force, or of all five (`--all`)."""
    from projections.views.roster import all_rosters, roster_of_region, roster_of_term

    with session.reader() as conn:
        if target.term is not None:
            return roster_of_term(conn, target.term, on, moment)
        if target.region is not None:
            return roster_of_region(conn, target.region, on, moment)
        return all_rosters(conn, on, moment)


def mandates(session: Session, region: str | None, on: date,
             moment: datetime) -> dict[str, Any]:
    """The bodies in existence on `on` (of `region`, or of all five) and their seats."""
    from projections.views.mandates import mandates as build

    with session.reader() as conn:
        return build(conn, on, moment, region)


def bluebook(session: Session, region: str, on: date, moment: datetime) -> dict[str, Any]:
    """The Blå Bog edition of a KKR on `on`: its roster and every designated person."""
    from projections.views.bluebook import bluebook as build

    with session.reader() as conn:
        return build(conn, region, on, moment)


def who(session: Session, person: str, moment: datetime) -> dict[str, Any]:
    from projections.views.who import places_of

    with session.reader() as conn:
        return places_of(conn, person, moment)


def explain(session: Session, person: str, on: date, moment: datetime) -> dict[str, Any]:
    from projections.reports.explain import explain as build
    from projections.views.people import resolve_person

    projector = session.caught_up()
    with projector.engine.connect() as conn:
        result = build(conn, projector.ledger, resolve_person(conn, person, moment), on, moment)
    for row in result["explanation"]:
        row["rule_ids"] = " ".join(row["rules"])
    return result


def trail(session: Session, term: str | None, moment: datetime, since: datetime | None = None,
          limit: int | None = None) -> dict[str, Any]:
    from projections.reports.trail import StreamName
    from projections.reports.trail import trail as build

    result = build(session.ledger, StreamName.parse(term) if term else None, moment, since)
    result["events"] = result["events"][:limit]
    for row in result["events"]:
        row["late"] = f"+{row['retroactive_days']}d" if row["retroactive_days"] else ""
    return result


def diff(session: Session, term: str, start: date, end: date,
         moment: datetime) -> dict[str, Any]:
    from ledger.values import TermId
    from projections.reports.diff import diff as build

    if end < start:
        raise BadInput("--to: must not be before --from")
    return build(session.ledger, TermId.parse(term), start, end, moment)


def audit(session: Session, target: Target, day: date, moment: datetime, *,
          on: date | None = None, window: Window | None = None,
          least: str = "info") -> dict[str, Any]:
    """Findings of the terms named (or in force on `day`, or during `window`), as of `day`;
    with `on` only those holding that day, with `window` those overlapping it."""
    from projections.reports.audit import audit_term, by_date_and_gravity, summary

    projector = session.caught_up()
    terms = terms_for(session, target, None if window else day, moment, during=window)
    found = [f for term in terms
             for f in audit_term(term, facts_of(session, term, moment), day, on)]
    with projector.engine.connect() as conn:
        found += by_date_and_gravity(_overlaps_of(conn, set(terms), moment, on))
        regions = {target.region} if target.region else {t.split("/")[0] for t in terms}
        bodies, body_findings = _body_findings(session, conn, regions, day, moment)
    found += [f for f in body_findings if on is None or f.covers(on)]
    findings = [f for f in found
                if SEVERITIES.index(f.severity) <= SEVERITIES.index(least)
                and (window is None or f.overlaps(*window))]
    return {"findings": [f.as_json(day) for f in findings], "as_of": day.isoformat(),
            "known_at": moment.isoformat(), "terms": terms, "bodies": bodies,
            "summary": summary(findings)}


def _body_findings(session: Session, conn: Connection, regions: set[str], day: date,
                   moment: datetime) -> tuple[list[str], list[Finding]]:
    """The bodies of `regions` (their stream labels) and their findings (design/mandates.md)."""
    from ledger.fold.body_book import BODY_STREAM_PREFIX
    from ledger.values import body_uuid
    from projections.reports.audit import by_date_and_gravity
    from projections.reports.mandate_audit import audit_body
    from projections.views.reads import body_labels, off_council

    labels = body_labels(conn, moment, regions)
    if not labels:
        return [], []
    away = off_council(conn, moment)
    found = []
    for label in labels:
        stream = body_uuid(label.removeprefix(BODY_STREAM_PREFIX))
        facts = [f for f in session.ledger.stream(stream) if f.timestamp <= moment]
        found += audit_body(label, facts, day, away)
    return labels, by_date_and_gravity(found)


def _overlaps_of(conn: Connection, terms: set[str], moment: datetime,
                 on: date | None) -> list[Finding]:
    """B1.3: terms of the audited ones' regions in force together (with `on`: that day)."""
    from projections.reports.overlaps import overlapping_terms
    from projections.views.query import all_terms

    return [f for f in overlapping_terms(all_terms(conn, moment), terms)
            if on is None or f.covers(on)]


def replay(session: Session, term: str, until: date | None, moment: datetime,
           tick: Callable[[], None] | None = None,
           started: Callable[[int], None] | None = None) -> dict[str, Any]:
    """The term replayed fact by fact with its daily checks, and its digest beside the
    ledger's (`started(n)` hears how many facts it replays, `tick` each one replayed)."""
    from ledger.values import TermId
    from projections.reports.replay import facts_replayed, ledger_listing, replay_term, report

    name = str(TermId.parse(term))
    projector = session.caught_up()
    facts = facts_of(session, name, moment)
    if started is not None:
        started(facts_replayed(facts, until))
    result = replay_term(name, facts, until, tick)
    with projector.engine.connect() as conn:
        listing = ledger_listing(conn, name, moment, until)
    return report(result, listing, moment)


@dataclass(frozen=True)
class Export:
    """The rows of the terms exported, to be shown as plain JSON, CSV, Popolo or a table."""

    terms: list[TermRows]
    on: date | None  # None: the whole period
    moment: datetime
    bodies: list[TermRows]  # the bodies of the exported terms' regions (design/mandates.md)


def export(session: Session, target: Target, on: date | None, moment: datetime) -> Export:
    """The memberships of the terms named (or in force on `on`; every term for a period)."""
    from projections.views.export import load_terms
    from projections.views.export_bodies import load_bodies

    projector = session.caught_up()
    terms = terms_for(session, target, on, moment, named_in_force=True)
    with projector.engine.connect() as conn:
        bodies = load_bodies(conn, {t.split("/")[0] for t in terms}, moment)
        return Export(load_terms(conn, terms, moment), on, moment, bodies)


def verify(session: Session, digest: dict[str, Any] | None = None) -> dict[str, Any]:
    verifier = session.ledger.verify(digest)
    return {"ok": not verifier.problems, "events_checked": verifier.checked,
            "problems": [vars(p) for p in verifier.problems]}


def digest(session: Session) -> dict[str, Any]:
    return session.ledger.verify().digest()


def facts_of(session: Session, term: str, moment: datetime) -> list[Fact]:
    """The term's stored facts recorded by `moment`; NotFound when it has none."""
    from ledger.values import TermId
    from projections.reports.history import events_known_at

    return events_known_at(session.ledger, TermId.parse(term), moment)


def terms_for(session: Session, target: Target, on: date | None, moment: datetime, *,
              named_in_force: bool = False, during: Window | None = None) -> list[str]:
    """TERM as named (in force on `on` if asked); REGION: its term in force on `on`; none:
    every term in force on `on` (every term in the ledger when `on` is None). With `during`,
    REGION or none: the terms in force on some day of that window."""
    from projections.views.export import select_terms

    with session.projector.engine.connect() as conn:
        return select_terms(conn, moment, on if target.term is None or named_in_force else None,
                            term=target.term, region=target.region, during=during)

