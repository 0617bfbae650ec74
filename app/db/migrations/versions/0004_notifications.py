"""Notifications: the drivers' push devices and the in-app inbox.

Revision ID: 0004_notifications
Revises: 0003_drivers
Create Date: 2026-11-22

``push_devices.fcm_token`` is unique on its own: an FCM registration token identifies
one app instance, so it can belong to one (driver, installation) at a time and moves
when it is registered elsewhere. The inbox is read one driver at a time, newest first,
with ``id`` breaking ties of equal timestamps: the index is exactly that order.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004_notifications"
down_revision = "0003_drivers"
branch_labels = None
depends_on = None

_ts = sa.DateTime(timezone=True)
_doc = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "push_devices",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("driver_id", sa.Uuid(), nullable=False),
        sa.Column("installation_id", sa.String(128), nullable=False),
        sa.Column("fcm_token", sa.String(512), nullable=False),
        sa.Column("platform", sa.String(8), nullable=False),
        sa.Column("locale", sa.String(35)),
        sa.Column("created_at", _ts, nullable=False),
        sa.Column("updated_at", _ts, nullable=False),
        sa.Column("last_error", sa.Text()),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_devices")),
        sa.ForeignKeyConstraint(
            ["driver_id"],
            ["drivers.id"],
            name=op.f("fk_push_devices_driver_id_drivers"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "driver_id",
            "installation_id",
            name=op.f("uq_push_devices_driver_id_installation_id"),
        ),
        sa.UniqueConstraint("fcm_token", name=op.f("uq_push_devices_fcm_token")),
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("driver_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("data", _doc, nullable=False),
        sa.Column("locale", sa.String(35), nullable=False),
        sa.Column("created_at", _ts, nullable=False),
        sa.Column("read_at", _ts),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.ForeignKeyConstraint(
            ["driver_id"],
            ["drivers.id"],
            name=op.f("fk_notifications_driver_id_drivers"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_notifications_driver_id_created_at",
        "notifications",
        ["driver_id", sa.text("created_at DESC"), sa.text("id DESC")],
    )


def downgrade() -> None:
    op.drop_index("ix_notifications_driver_id_created_at", table_name="notifications")
    op.drop_table("notifications")
    op.drop_table("push_devices")
