"""Charging tokens: every driver's app token and the RFID cards they order.

Revision ID: 0005_tokens
Revises: 0004_notifications
Create Date: 2026-11-23

``uid`` is unique per (country_code, party_id): OCPI asks uid and type to be unique
within the eMSP, and we hold the stricter rule so a card's chip id names one token.
Ordered cards have no uid yet; NULLs never collide in a unique constraint on SQLite or
PostgreSQL. A partial unique index keeps one APP_USER token per driver even when two
first requests race. ``driver_id`` restricts deletion: drivers are anonymised, never
deleted, and tokens stay for the sessions and CDRs that name them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_tokens"
down_revision = "0004_notifications"
branch_labels = None
depends_on = None

_ts = sa.DateTime(timezone=True)
_APP_USER = sa.text("type = 'APP_USER'")


def upgrade() -> None:
    op.create_table(
        "tokens",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("driver_id", sa.Uuid(), nullable=False),
        sa.Column("country_code", sa.String(2), nullable=False),
        sa.Column("party_id", sa.String(3), nullable=False),
        sa.Column("uid", sa.String(36)),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("contract_id", sa.String(36), nullable=False),
        sa.Column("visual_number", sa.String(64)),
        sa.Column("issuer", sa.String(64), nullable=False),
        sa.Column("group_id", sa.String(36)),
        sa.Column("valid", sa.Boolean(), nullable=False),
        sa.Column("whitelist", sa.String(16), nullable=False),
        sa.Column("language", sa.String(2)),
        sa.Column("default_profile_type", sa.String(16)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("shipping_reference", sa.String(64)),
        sa.Column("created_at", _ts, nullable=False),
        sa.Column("updated_at", _ts, nullable=False),
        sa.Column("last_updated", _ts, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tokens")),
        sa.ForeignKeyConstraint(
            ["driver_id"],
            ["drivers.id"],
            name=op.f("fk_tokens_driver_id_drivers"),
            ondelete="RESTRICT",
        ),
        sa.UniqueConstraint(
            "country_code", "party_id", "uid", name=op.f("uq_tokens_country_code_party_id_uid")
        ),
    )
    op.create_index("ix_tokens_driver_id", "tokens", ["driver_id"])
    op.create_index("ix_tokens_last_updated_id", "tokens", ["last_updated", "id"])
    op.create_index(
        "uq_tokens_app_user_driver_id",
        "tokens",
        ["driver_id"],
        unique=True,
        sqlite_where=_APP_USER,
        postgresql_where=_APP_USER,
    )


def downgrade() -> None:
    op.drop_index("uq_tokens_app_user_driver_id", table_name="tokens")
    op.drop_index("ix_tokens_last_updated_id", table_name="tokens")
    op.drop_index("ix_tokens_driver_id", table_name="tokens")
    op.drop_table("tokens")
