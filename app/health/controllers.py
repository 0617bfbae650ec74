"""Liveness and readiness probes for orchestrators and load balancers."""

from __future__ import annotations

from litestar import Controller, get
from litestar.datastructures import State
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.core.errors import ServiceUnavailableError, problem_responses
from app.db.migrations_runner import head_revision
from app.health.schemas import Liveness, Readiness

_LIVE = Liveness()


class HealthController(Controller):
    path = "/health"
    tags = ["health"]

    @get("/live", operation_id="getLiveness", summary="Liveness probe", cache=False)
    async def live(self) -> Liveness:
        """Answers while the process can serve requests; touches nothing else."""
        return _LIVE

    @get(
        "/ready",
        operation_id="getReadiness",
        summary="Readiness probe",
        responses=problem_responses(503),
    )
    async def ready(self, state: State) -> Readiness:
        """Ready when the database answers and its schema is at the latest migration."""
        try:
            async with state.db_engine.connect() as connection:
                result = await connection.execute(text("SELECT version_num FROM alembic_version"))
                revision = result.scalar_one_or_none()
        except SQLAlchemyError as exc:
            raise ServiceUnavailableError("the database is not reachable or not migrated") from exc
        if revision != head_revision():
            raise ServiceUnavailableError(
                f"database schema is at {revision}, the code expects {head_revision()}; "
                "run `emsp db upgrade`"
            )
        return Readiness(status="ok", database="ok", schema_revision=revision)
