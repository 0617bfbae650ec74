"""Stations: locations, EVSEs, connectors, and a spatial index per database.

Revision ID: 0001_stations
Revises:
Create Date: 2026-11-22

Spatial index, by database (why each):
- SQLite: an R*Tree virtual table kept in step by triggers. SQLite answers a bounding
  box from it in microseconds and the triggers mean no writer can forget it.
- PostgreSQL with PostGIS available: a generated ``geom`` point with a GiST index; the
  same column serves the geography work later features need (service areas, routes).
- PostgreSQL without PostGIS (managed databases that do not allow the extension): a
  GiST expression index on the core ``point(lon, lat)`` type, which answers the same
  bounding-box question with no extension at all.
Distances are computed exactly (haversine) on the candidates from the index, the same
formula on every database, so results agree everywhere.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.dialects import postgresql

revision = "0001_stations"
down_revision = None
branch_labels = None
depends_on = None

_pk = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_doc = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_ts = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "locations",
        sa.Column("pk", _pk, primary_key=True, autoincrement=True),
        sa.Column("public_id", sa.Uuid(), nullable=False),
        sa.Column("country_code", sa.String(2), nullable=False),
        sa.Column("party_id", sa.String(3), nullable=False),
        sa.Column("location_id", sa.String(36), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("publish", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(255)),
        sa.Column("city", sa.String(45), nullable=False),
        sa.Column("postal_code", sa.String(10)),
        sa.Column("country", sa.String(3), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("time_zone", sa.String(255), nullable=False),
        sa.Column("operator_name", sa.String(100)),
        sa.Column("operator_key", sa.String(100)),
        sa.Column("last_updated", _ts, nullable=False),
        sa.Column("document", _doc, nullable=False),
        sa.Column("max_power_w", sa.Integer(), nullable=False),
        sa.Column("standards_mask", sa.BigInteger(), nullable=False),
        sa.Column("evse_count", sa.Integer(), nullable=False),
        sa.Column("available_evse_count", sa.Integer(), nullable=False),
        sa.Column("plug_and_charge", sa.Boolean(), nullable=False),
        sa.Column("ad_hoc_payment", sa.Boolean(), nullable=False),
        sa.Column("twentyfourseven", sa.Boolean(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_at", _ts, nullable=False),
        sa.Column("updated_at", _ts, nullable=False),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_locations")),
        sa.UniqueConstraint(
            "country_code",
            "party_id",
            "location_id",
            name=op.f("uq_locations_country_code_party_id_location_id"),
        ),
        sa.UniqueConstraint("public_id", name=op.f("uq_locations_public_id")),
    )
    op.create_index(op.f("ix_locations_operator_key"), "locations", ["operator_key"])
    op.create_index(op.f("ix_locations_last_updated"), "locations", ["last_updated"])

    op.create_table(
        "evses",
        sa.Column("pk", _pk, primary_key=True, autoincrement=True),
        sa.Column("location_pk", _pk, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(36), nullable=False),
        sa.Column("evse_id", sa.String(48)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("last_updated", _ts, nullable=False),
        sa.Column("document", _doc, nullable=False),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_evses")),
        sa.ForeignKeyConstraint(
            ["location_pk"],
            ["locations.pk"],
            name=op.f("fk_evses_location_pk_locations"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("location_pk", "uid", name=op.f("uq_evses_location_pk_uid")),
    )
    op.create_index(op.f("ix_evses_evse_id"), "evses", ["evse_id"])

    op.create_table(
        "connectors",
        sa.Column("pk", _pk, primary_key=True, autoincrement=True),
        sa.Column("evse_pk", _pk, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("connector_id", sa.String(36), nullable=False),
        sa.Column("standard", sa.String(64), nullable=False),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("power_type", sa.String(16), nullable=False),
        sa.Column("max_power_w", sa.Integer(), nullable=False),
        sa.Column("last_updated", _ts, nullable=False),
        sa.Column("document", _doc, nullable=False),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_connectors")),
        sa.ForeignKeyConstraint(
            ["evse_pk"], ["evses.pk"], name=op.f("fk_connectors_evse_pk_evses"), ondelete="CASCADE"
        ),
        sa.UniqueConstraint(
            "evse_pk", "connector_id", name=op.f("uq_connectors_evse_pk_connector_id")
        ),
    )
    _create_spatial_index()


def _create_spatial_index() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE locations_rtree "
            "USING rtree(id, min_lat, max_lat, min_lon, max_lon)"
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
        return
    if _postgis_wanted() and _try_enable_postgis():
        op.execute(
            "ALTER TABLE locations ADD COLUMN geom geometry(Point, 4326) "
            "GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED"
        )
        op.execute("CREATE INDEX ix_locations_geom ON locations USING gist (geom)")
    else:
        op.execute("CREATE INDEX ix_locations_point ON locations USING gist (point(lon, lat))")


def _postgis_wanted() -> bool:
    return str(context.config.attributes.get("postgis", "auto")) != "off"


def _try_enable_postgis() -> bool:
    bind = op.get_bind()
    available = bind.execute(
        sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")
    ).scalar()
    if not available:
        return False
    savepoint = bind.begin_nested()
    try:
        bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS postgis"))
    except sa.exc.DBAPIError:
        # Installed on the server but not ours to enable (managed databases): fall back.
        savepoint.rollback()
        return False
    savepoint.commit()
    return True


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for trigger in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS locations_rtree_{trigger}")
        op.execute("DROP TABLE IF EXISTS locations_rtree")
    op.drop_table("connectors")
    op.drop_table("evses")
    op.drop_index(op.f("ix_locations_last_updated"), table_name="locations")
    op.drop_index(op.f("ix_locations_operator_key"), table_name="locations")
    op.drop_table("locations")
