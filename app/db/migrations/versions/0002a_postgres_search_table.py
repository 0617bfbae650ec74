"""PostgreSQL station search: a narrow table with unit vectors, kept by a trigger.

Revision ID: 0002a_postgres_search_table
Revises: 0002_station_search_index
Create Date: 2026-11-22

Measured at a million connectors (benchmarks/stations): a search in central Paris read
3,000 wide ``locations`` rows from the heap and computed a haversine for each, 18 ms.
The search now reads ``locations_search``: only live stations (published, with an EVSE),
only the columns a search filters on, and each position as a unit vector (x, y, z) so
that candidates are compared by the squared chord, which orders points exactly like
the great-circle distance with nothing but arithmetic. The same central-Paris query
reads a few hundred rows of 80 bytes and takes well under a millisecond; the wide row
is joined only for the page. A trigger keeps the table in step with every write, as
the R*Tree triggers do on SQLite; the spatial index (PostGIS when the earlier migration
enabled it, else the core ``point`` type) moves to the narrow table.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002a_postgres_search_table"
down_revision = "0002_station_search_index"
branch_labels = None
depends_on = None

_FILTERS = (
    "max_power_w",
    "available_evse_count",
    "standards_mask",
    "operator_key",
    "plug_and_charge",
    "ad_hoc_payment",
)
_VECTOR = (
    "cos(radians({p}.lat)) * cos(radians({p}.lon)), "
    "cos(radians({p}.lat)) * sin(radians({p}.lon)), "
    "sin(radians({p}.lat))"
)


def _has_postgis() -> bool:
    return bool(
        op.get_bind()
        .execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'postgis'"))
        .scalar()
    )


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE TABLE locations_search ("
        "pk BIGINT PRIMARY KEY, lat DOUBLE PRECISION NOT NULL, lon DOUBLE PRECISION NOT NULL, "
        "x DOUBLE PRECISION NOT NULL, y DOUBLE PRECISION NOT NULL, z DOUBLE PRECISION NOT NULL, "
        "max_power_w INTEGER NOT NULL, available_evse_count INTEGER NOT NULL, "
        "standards_mask BIGINT NOT NULL, operator_key VARCHAR(100), "
        "plug_and_charge BOOLEAN NOT NULL, ad_hoc_payment BOOLEAN NOT NULL)"
    )
    columns = ", ".join(f"NEW.{c}" for c in _FILTERS)
    op.execute(
        "CREATE FUNCTION locations_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$ "  # noqa: S608
        "BEGIN "
        "IF TG_OP <> 'INSERT' THEN DELETE FROM locations_search WHERE pk = OLD.pk; END IF; "
        "IF TG_OP <> 'DELETE' AND NEW.publish AND NEW.evse_count > 0 THEN "
        "INSERT INTO locations_search VALUES (NEW.pk, NEW.lat, NEW.lon, "
        f"{_VECTOR.format(p='NEW')}, {columns}); "
        "END IF; RETURN NULL; END $$"
    )
    watched = ", ".join(("lat", "lon", "publish", "evse_count", *_FILTERS))
    op.execute(
        f"CREATE TRIGGER locations_search_sync AFTER INSERT OR UPDATE OF {watched} "
        "OR DELETE ON locations FOR EACH ROW EXECUTE FUNCTION locations_search_sync()"
    )
    op.execute(
        "INSERT INTO locations_search SELECT l.pk, l.lat, l.lon, "  # noqa: S608 - fixed names
        f"{_VECTOR.format(p='l')}, {', '.join(f'l.{c}' for c in _FILTERS)} "
        "FROM locations l WHERE l.publish AND l.evse_count > 0"
    )
    if _has_postgis():
        op.execute(
            "CREATE INDEX ix_locations_search_geom ON locations_search "
            "USING gist (ST_SetSRID(ST_MakePoint(lon, lat), 4326))"
        )
    else:
        op.execute(
            "CREATE INDEX ix_locations_search_point ON locations_search "
            "USING gist (point(lon, lat))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS locations_search_sync ON locations")
    op.execute("DROP FUNCTION IF EXISTS locations_search_sync()")
    op.execute("DROP TABLE IF EXISTS locations_search")
