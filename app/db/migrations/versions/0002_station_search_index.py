"""Station search index on SQLite: live stations only, and a narrow filter table.

Revision ID: 0002_station_search_index
Revises: 0001_stations
Create Date: 2026-11-22

The first search joined every R*Tree candidate to its full ``locations`` row to filter
it and compute its distance. At a million connectors a city centre gives hundreds of
candidates, and reading those wide rows (documents and summary) dominated the query.
Measured alternatives on that data set (see ``benchmarks/stations``):

- R*Tree auxiliary columns were no faster: SQLite fetches them with a lookup per row;
- power and free EVSEs as extra R*Tree dimensions were ten times slower: their ranges
  dwarf the degrees of latitude and longitude, so the tree stopped clustering by place.

What works: the R*Tree holds only stations a driver can use (published, with at least
one EVSE) and answers the plain spatial search alone, with the distance computed from
the point it stores (32-bit floats: centimetres). Filters join ``locations_search``, a
narrow copy of the search projection keyed by the same integer, dozens of rows per
page. Triggers keep both in step with every write. PostgreSQL needs no change here.
"""

from __future__ import annotations

from alembic import op

revision = "0002_station_search_index"
down_revision = "0001_stations"
branch_labels = None
depends_on = None

_LIVE = "NEW.publish AND NEW.evse_count > 0"
_FILTER_COLUMNS = (
    "max_power_w",
    "available_evse_count",
    "standards_mask",
    "operator_key",
    "plug_and_charge",
    "ad_hoc_payment",
)
_WATCHED = ("lat", "lon", "publish", "evse_count", *_FILTER_COLUMNS)


def _insert_live(prefix: str) -> str:
    values = ", ".join(f"{prefix}.{c}" for c in _FILTER_COLUMNS)
    return (
        "INSERT INTO locations_rtree SELECT "
        f"{prefix}.pk, {prefix}.lat, {prefix}.lat, {prefix}.lon, {prefix}.lon "
        f"WHERE {prefix}.publish AND {prefix}.evse_count > 0; "
        f"INSERT INTO locations_search SELECT {prefix}.pk, {values} "
        f"WHERE {prefix}.publish AND {prefix}.evse_count > 0;"
    )


def _drop_index() -> None:
    for trigger in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS locations_rtree_{trigger}")
    op.execute("DROP TABLE IF EXISTS locations_rtree")
    op.execute("DROP TABLE IF EXISTS locations_search")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _drop_index()
    op.execute(
        "CREATE VIRTUAL TABLE locations_rtree USING rtree(id, min_lat, max_lat, min_lon, max_lon)"
    )
    op.execute(
        "CREATE TABLE locations_search (pk INTEGER PRIMARY KEY, max_power_w INTEGER NOT NULL, "
        "available_evse_count INTEGER NOT NULL, standards_mask INTEGER NOT NULL, "
        "operator_key VARCHAR(100), plug_and_charge BOOLEAN NOT NULL, "
        "ad_hoc_payment BOOLEAN NOT NULL)"
    )
    op.execute(
        "CREATE TRIGGER locations_rtree_insert AFTER INSERT ON locations "
        f"BEGIN {_insert_live('NEW')} END"
    )
    op.execute(
        f"CREATE TRIGGER locations_rtree_update AFTER UPDATE OF {', '.join(_WATCHED)} "  # noqa: S608
        "ON locations BEGIN DELETE FROM locations_rtree WHERE id = OLD.pk; "
        f"DELETE FROM locations_search WHERE pk = OLD.pk; {_insert_live('NEW')} END"
    )
    op.execute(
        "CREATE TRIGGER locations_rtree_delete AFTER DELETE ON locations BEGIN "
        "DELETE FROM locations_rtree WHERE id = OLD.pk; "
        "DELETE FROM locations_search WHERE pk = OLD.pk; END"
    )
    op.execute(
        "INSERT INTO locations_rtree SELECT pk, lat, lat, lon, lon FROM locations "
        "WHERE publish AND evse_count > 0"
    )
    op.execute(
        f"INSERT INTO locations_search SELECT pk, {', '.join(_FILTER_COLUMNS)} "  # noqa: S608
        "FROM locations WHERE publish AND evse_count > 0"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _drop_index()
    op.execute(
        "CREATE VIRTUAL TABLE locations_rtree USING rtree(id, min_lat, max_lat, min_lon, max_lon)"
    )
    op.execute(
        "CREATE TRIGGER locations_rtree_insert AFTER INSERT ON locations BEGIN "
        "INSERT INTO locations_rtree VALUES (NEW.pk, NEW.lat, NEW.lat, NEW.lon, NEW.lon); END"
    )
    op.execute(
        "CREATE TRIGGER locations_rtree_update AFTER UPDATE OF lat, lon ON locations BEGIN "
        "UPDATE locations_rtree SET min_lat = NEW.lat, max_lat = NEW.lat, "
        "min_lon = NEW.lon, max_lon = NEW.lon WHERE id = NEW.pk; END"
    )
    op.execute(
        "CREATE TRIGGER locations_rtree_delete AFTER DELETE ON locations BEGIN "
        "DELETE FROM locations_rtree WHERE id = OLD.pk; END"
    )
    op.execute("INSERT INTO locations_rtree SELECT pk, lat, lat, lon, lon FROM locations")
