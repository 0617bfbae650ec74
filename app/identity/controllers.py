"""The dev identity route, mounted only when the identity mode is dev."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from litestar import Controller, post
from litestar.datastructures import State
from litestar.params import JSONBody

from app.core.errors import problem_responses
from app.core.settings import Settings
from app.identity.dev_tokens import issue_dev_token
from app.identity.schemas import DevToken, DevTokenCreate


class DevTokenController(Controller):
    path = "/v1/dev/tokens"
    tags = ["dev identity"]

    @post(
        "/",
        operation_id="createDevToken",
        summary="Issue a signed driver token (dev identity mode only)",
        responses=problem_responses(400),
    )
    async def create(self, data: JSONBody[DevTokenCreate], state: State) -> DevToken:
        """Sign a token for any uid and roles, so the API can be used with curl.

        This route exists only with `EMSP_IDENTITY_MODE=dev`, which production refuses;
        with Firebase identity the app signs nothing and drivers sign in with Firebase.
        """
        settings: Settings = state.settings
        ttl = data.ttl_seconds or settings.dev_token_ttl_s
        now = int(time.time())
        roles = sorted(set(data.roles))
        token = issue_dev_token(
            settings.secret_key,
            uid=data.uid,
            roles=roles,
            email=data.email,
            name=data.name,
            ttl_s=ttl,
            now=now,
        )
        return DevToken(
            token=token,
            uid=data.uid,
            roles=roles,
            expires_at=datetime.fromtimestamp(now + ttl, UTC),
        )
