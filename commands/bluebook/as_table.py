"""The Blå Bog as plain-text columns for a terminal, laid out as the CLI's other tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from commands.bluebook.labels import Edition, name_of, roles_in_danish, text

MEMBER_COLUMNS = ("seat", "municipality", "party", "member", "status", "acting", "substitute",
                  "roles")
POST_COLUMNS = ("body", "group", "kind", "from", "to", "substitute")
BODY_COLUMNS = ("body", "name", "seats", "vacant")


def columns(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Left-aligned columns two spaces apart, the header underlined (as `print_table`)."""
    cells = [list(header), *(list(row) for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
             for row in cells]
    return [lines[0], "  ".join("-" * w for w in widths), *lines[1:]]


def status(place: Mapping[str, Any]) -> str:
    """`active`, or `on leave FROM → UNTIL` with the leave's dates only (never its reason)."""
    if place.get("status") != "on_leave":
        return text(place.get("status"))
    leave = place.get("leave") or {}
    return f"on leave {text(leave.get('from'))} → {text(leave.get('expected_until'))}".rstrip()


def member_line(place: Mapping[str, Any]) -> list[str]:
    member = name_of(place.get("member")) or "(vacant)"
    return [text(place["seat"]), text(place.get("municipality")), text(place.get("party")),
            member, status(place), name_of(place.get("acting")),
            name_of(place.get("substitute")), roles_in_danish(place.get("roles") or ())]


def post_line(post: Mapping[str, Any]) -> list[str]:
    kind = "nominated" if post.get("nominated") else "designated"
    if post.get("substitute_for"):
        kind = f"substitute for {name_of(post['substitute_for'])}"
    return [text(post.get("body_name") or post["body"]), text(post.get("group")), kind,
            text(post.get("from")), text(post.get("to")), name_of(post.get("substitute"))]


def person_line(person: Mapping[str, Any]) -> str:
    where = ", ".join(v for v in (text(person.get("municipality")), text(person.get("party"))) if v)
    membership = "KKR member" if person.get("kkr_member") else "not a KKR member"
    return f"{text(person.get('name'))} ({where}) — {membership}"


def designations(people: Sequence[Mapping[str, Any]]) -> list[str]:
    """One heading line per person, then each of their posts indented on its own line."""
    lines = columns(POST_COLUMNS, [post_line(post) for p in people for post in p["posts"]])
    posts = iter(lines[2:])
    out = ["  " + lines[0], "  " + lines[1]]
    for person in people:
        out.append(person_line(person))
        out.extend("  " + next(posts) for _ in person["posts"])
    return out


def render_table(data: Edition) -> str:
    """The heading, the members, the designations per person, and the bodies' vacancies."""
    bodies = [[text(b["body"]), text(b.get("name")), text(b.get("seats")), text(b.get("vacant"))]
              for b in data.get("bodies") or ()]
    lines = [f"KKR {data['region_name']} — Blå Bog on {data['on']} "
             f"(as known at {data['known_at']})",
             f"Term: {data.get('term') or 'none in force'}", "", "Members",
             *columns(MEMBER_COLUMNS, [member_line(p) for p in data["members"]]), "",
             "Designations", *designations(data["people"]), "",
             "Bodies", *columns(BODY_COLUMNS, bodies)]
    return "\n".join(lines) + "\n"
