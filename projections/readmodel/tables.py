"""The read-model tables: the bitemporal interval table and the catch-up position."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    text,
)

metadata = MetaData()

# One row per version of an interval of the timeline fold: valid time [valid_from, valid_to)
# crossed with recorded time [recorded_from, recorded_to). NULL means "open". Dates and
# moments are ISO 8601 text of fixed width (YYYY-MM-DD; naive UTC YYYY-MM-DDTHH:MM:SS.ffffff),
# which sorts and compares like the values on every database, with no conversion per row.
intervals = Table(
    "kkr_intervals",
    metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True,
           autoincrement=True),
    Column("term", String(40), nullable=False),
    Column("region", String(20), nullable=False),
    Column("kind", String(12), nullable=False),
    Column("seat", String(120), nullable=False),
    Column("person_id", String(80), nullable=False),
    Column("role", String(20), nullable=False),
    Column("valid_from", String(10), nullable=False),
    Column("valid_to", String(10), nullable=True),
    Column("recorded_from", String(26), nullable=False),
    Column("recorded_to", String(26), nullable=True),
    Column("data", Text, nullable=False),
    # The current versions, with every column a "valid on a day" filter reads: a roster
    # visits the table only for the rows that hold on its day (recorded_to too, or SQLite
    # would not see that the index covers the query).
    Index("kkr_intervals_current_on", "term", "valid_from", "valid_to", "recorded_from", "kind",
          "person_id", "recorded_to", sqlite_where=text("recorded_to IS NULL"),
          postgresql_where=text("recorded_to IS NULL")),
    # The versions closed after a moment: few when the moment is recent.
    Index("kkr_intervals_closed", "term", "recorded_to",
          sqlite_where=text("recorded_to IS NOT NULL"),
          postgresql_where=text("recorded_to IS NOT NULL")),
    # The terms' own rows (one or two versions per term among hundreds of thousands): a
    # partial index costs writes nothing for every other row. Queries must say
    # `kind = 'term'` literally (projections.views.query.IS_TERM, and the plain SQL of
    # projections.views.reads) for the planner to take it.
    Index("kkr_intervals_terms", "region", "valid_from", sqlite_where=text("kind = 'term'"),
          postgresql_where=text("kind = 'term'")),
    Index("kkr_intervals_by_person", "person_id"),
    Index("kkr_intervals_by_identity", "term", "kind", "seat", "person_id", "role",
          "valid_from"),
)

# Indexes of earlier versions that the ones above replace: dropped when the tables are created.
# (With kkr_intervals_by_term (term, valid_from) beside kkr_intervals_closed, SQLite could
# take either for the versions closed since a moment, by the order the indexes were made in.)
OBSOLETE_INDEXES = ("kkr_intervals_current", "kkr_intervals_by_term", "kkr_intervals_by_region")

tracking = Table(
    "kkr_projection_tracking",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("position", BigInteger, nullable=False),
)
