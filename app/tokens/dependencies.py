"""Dependency providers of the tokens domain."""

from __future__ import annotations

from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from app.tokens.repositories import TokenRepository
from app.tokens.services import TokenParty, TokenService


def provide_token_service(db_session: NamedDependency[AsyncSession], state: State) -> TokenService:
    return TokenService(TokenRepository(db_session), TokenParty.from_settings(state.settings))
