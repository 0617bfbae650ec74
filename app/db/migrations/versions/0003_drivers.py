"""Drivers: accounts, vehicles and favourite stations.

Revision ID: 0003_drivers
Revises: 0002a_postgres_search_table
Create Date: 2026-11-23

``drivers.id`` is generated in Python (uuid4) so every database stores the same kind
of key; ``firebase_uid`` is the identity provider's uid and unique, which is what makes
"create the profile on first sign-in" safe when two first requests race.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_drivers"
down_revision = "0002a_postgres_search_table"
branch_labels = None
depends_on = None

_ts = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "drivers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("firebase_uid", sa.String(128), nullable=False),
        sa.Column("name", sa.String(200)),
        sa.Column("email", sa.String(254)),
        sa.Column("locale", sa.String(35), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("country", sa.String(2)),
        sa.Column("billing_name", sa.String(200)),
        sa.Column("billing_line1", sa.String(200)),
        sa.Column("billing_line2", sa.String(200)),
        sa.Column("billing_postal_code", sa.String(16)),
        sa.Column("billing_city", sa.String(100)),
        sa.Column("billing_country", sa.String(2)),
        sa.Column("vat_id", sa.String(20)),
        sa.Column("marketing_consent", sa.Boolean(), nullable=False),
        sa.Column("marketing_consent_at", _ts),
        sa.Column("terms_version", sa.String(32)),
        sa.Column("terms_accepted_at", _ts),
        sa.Column("created_at", _ts, nullable=False),
        sa.Column("updated_at", _ts, nullable=False),
        sa.Column("deleted_at", _ts),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drivers")),
        sa.UniqueConstraint("firebase_uid", name=op.f("uq_drivers_firebase_uid")),
    )
    op.create_table(
        "vehicles",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("driver_id", sa.Uuid(), nullable=False),
        sa.Column("make", sa.String(64), nullable=False),
        sa.Column("model", sa.String(64), nullable=False),
        sa.Column("battery_capacity_wh", sa.Integer()),
        sa.Column("connector_types", sa.JSON(), nullable=False),
        sa.Column("pcid", sa.String(18)),
        sa.Column("created_at", _ts, nullable=False),
        sa.Column("updated_at", _ts, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vehicles")),
        sa.ForeignKeyConstraint(
            ["driver_id"],
            ["drivers.id"],
            name=op.f("fk_vehicles_driver_id_drivers"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("driver_id", "pcid", name=op.f("uq_vehicles_driver_id_pcid")),
    )
    op.create_index(op.f("ix_vehicles_driver_id"), "vehicles", ["driver_id"])
    op.create_table(
        "favourite_stations",
        sa.Column("driver_id", sa.Uuid(), nullable=False),
        sa.Column("station_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", _ts, nullable=False),
        sa.PrimaryKeyConstraint("driver_id", "station_id", name=op.f("pk_favourite_stations")),
        sa.ForeignKeyConstraint(
            ["driver_id"],
            ["drivers.id"],
            name=op.f("fk_favourite_stations_driver_id_drivers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["locations.public_id"],
            name=op.f("fk_favourite_stations_station_id_locations"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(op.f("ix_favourite_stations_station_id"), "favourite_stations", ["station_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_favourite_stations_station_id"), table_name="favourite_stations")
    op.drop_table("favourite_stations")
    op.drop_index(op.f("ix_vehicles_driver_id"), table_name="vehicles")
    op.drop_table("vehicles")
    op.drop_table("drivers")
