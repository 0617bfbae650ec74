"""The application factory: it only assembles settings, plugins and routers."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, YamlRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme, Server

from app import __version__
from app.core.db import create_engine, provide_db_session, sessionmaker_for
from app.core.errors import exception_handlers
from app.core.input_guards import refuse_nul_characters
from app.core.logging import RequestIdMiddleware, configure_logging
from app.core.settings import IdentityMode, Settings, load_settings
from app.drivers.controllers import (
    AdminDriverController,
    FavouriteController,
    MeController,
    VehicleController,
)
from app.health.controllers import HealthController
from app.identity.controllers import DevTokenController
from app.identity.dependencies import (
    build_token_verifier,
    identity_lifespan,
    provide_optional_principal,
    provide_principal,
)
from app.notifications.controllers import DeviceController, NotificationController
from app.notifications.dependencies import notifications_lifespan, provide_push_sender
from app.stations.controllers import StationController
from app.stations.dependencies import provide_station_service, stations_lifespan
from app.tokens.controllers import AdminTokenController, RfidCardController, TokenController

OPENAPI_PATH = "/openapi"


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="EMSP driver API",
        version=__version__,
        description=(
            "The API behind the driver's mobile app: station search with live status, "
            "charging, payments and Plug & Charge. Errors are RFC 9457 problem details."
        ),
        path=OPENAPI_PATH,
        render_plugins=[JsonRenderPlugin(), YamlRenderPlugin()],
        servers=[Server(url="/")],
        use_handler_docstrings=True,
        components=Components(
            security_schemes={
                "bearerAuth": SecurityScheme(
                    type="http",
                    scheme="bearer",
                    bearer_format="JWT",
                    description="A Firebase ID token (or, in dev identity mode, a dev token)",
                )
            }
        ),
    )


@asynccontextmanager
async def _database(app: Litestar) -> AsyncGenerator[None, None]:
    settings: Settings = app.state.settings
    engine = create_engine(settings)
    app.state.db_engine = engine
    app.state.db_sessionmaker = sessionmaker_for(engine)
    try:
        yield
    finally:
        await engine.dispose()


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or load_settings()
    settings.check_production()
    configure_logging(settings.log_level, settings.log_format)
    # Dev tokens can be minted only where the app verifies them (never in production).
    dev_identity = settings.effective_identity_mode is IdentityMode.DEV
    return Litestar(
        route_handlers=[
            HealthController,
            StationController,
            MeController,
            VehicleController,
            FavouriteController,
            AdminDriverController,
            DeviceController,
            NotificationController,
            TokenController,
            RfidCardController,
            AdminTokenController,
            *([DevTokenController] if dev_identity else []),
        ],
        dependencies={
            "db_session": Provide(provide_db_session),
            "principal": Provide(provide_principal),
            "optional_principal": Provide(provide_optional_principal),
            "station_service": Provide(provide_station_service, sync_to_thread=False),
            "push_sender": Provide(provide_push_sender, sync_to_thread=False),
        },
        lifespan=[_database, stations_lifespan, identity_lifespan, notifications_lifespan],
        exception_handlers=exception_handlers(),
        before_request=refuse_nul_characters,
        middleware=[DefineMiddleware(RequestIdMiddleware, access_log_enabled=settings.access_log)],
        cors_config=CORSConfig(allow_origins=list(settings.cors_origins))
        if settings.cors_origins
        else None,
        openapi_config=openapi_config(),
        state=State({"settings": settings, "identity_verifier": build_token_verifier(settings)}),
        debug=settings.debug,
    )
