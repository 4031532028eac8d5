"""The edition as flat rows: one per KKR place (member, substitute) and one per post."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TypedDict

from commands.bluebook.labels import Edition, text

Row = TypedDict("Row", {
    "section": str, "person_id": str, "name": str, "municipality": str, "party": str,
    "kkr_member": bool | None, "seat": str, "body": str, "body_name": str, "group": str,
    "nominated": bool | None, "from": str, "to": str, "roles": str, "status": str,
    "leave_from": str, "leave_until": str, "substitute_id": str, "substitute_name": str,
})
COLUMNS: tuple[str, ...] = tuple(Row.__annotations__)


def blank(section: str, person: Mapping[str, Any] | None) -> Row:
    """A row of `section` about `person` (or no one: a vacant seat), every other field empty."""
    person = person or {}
    return {"section": section, "person_id": text(person.get("person_id")),
            "name": text(person.get("name")), "municipality": text(person.get("municipality")),
            "party": text(person.get("party")), "kkr_member": None, "seat": "", "body": "",
            "body_name": "", "group": "", "nominated": None, "from": "", "to": "",
            "roles": "", "status": "", "leave_from": "", "leave_until": "",
            "substitute_id": "", "substitute_name": ""}


def member_row(place: Mapping[str, Any]) -> Row:
    """The member of a seat: status, roles and leave dates (never a leave's reason)."""
    row = blank("member", place.get("member"))
    leave = place.get("leave") or {}
    substitute = place.get("substitute") or {}
    row.update({"seat": text(place["seat"]), "kkr_member": True,
                "status": text(place.get("status")), "roles": ";".join(place.get("roles") or ()),
                "leave_from": text(leave.get("from")),
                "leave_until": text(leave.get("expected_until")),
                "substitute_id": text(substitute.get("person_id")),
                "substitute_name": text(substitute.get("name"))})
    return row


def substitute_rows(place: Mapping[str, Any]) -> Iterator[Row]:
    """The seat's substitute, and whoever acts for the member; `acting` marks who acts."""
    acting = place.get("acting")
    people = {p["person_id"]: p for p in (place.get("substitute"), acting) if p is not None}
    for person_id, person in people.items():
        row = blank("substitute", person)
        acts = acting is not None and acting["person_id"] == person_id
        row.update({"seat": text(place["seat"]), "kkr_member": True,
                    "status": "acting" if acts else ""})
        yield row


def place_rows(edition: Edition) -> list[Row]:
    """Every KKR place in roster order: the member, then the substitute(s) of the seat."""
    rows: list[Row] = []
    for place in edition["members"]:
        rows.append(member_row(place))
        rows.extend(substitute_rows(place))
    return rows


def post_row(person: Mapping[str, Any], post: Mapping[str, Any]) -> Row:
    row = blank("designation", person)
    substitute = post.get("substitute") or {}
    row.update({"kkr_member": bool(person.get("kkr_member")), "body": text(post["body"]),
                "body_name": text(post.get("body_name")), "group": text(post.get("group")),
                "nominated": bool(post.get("nominated")), "from": text(post.get("from")),
                "to": text(post.get("to")), "substitute_id": text(substitute.get("person_id")),
                "substitute_name": text(substitute.get("name"))})
    if post.get("substitute_for"):
        row["status"] = f"substitute for {text(post['substitute_for'].get('name'))}"
    return row


def post_rows(edition: Edition) -> list[Row]:
    """One row per post, people in the edition's order (by name), each person's posts in turn."""
    return [post_row(person, post) for person in edition["people"] for post in person["posts"]]
