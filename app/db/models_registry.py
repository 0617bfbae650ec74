"""Imports every domain's models so ``Base.metadata`` is complete for Alembic."""

from __future__ import annotations


def import_all() -> None:
    import app.drivers.models
    import app.notifications.models
    import app.stations.models
    import app.tokens.models  # noqa: F401
