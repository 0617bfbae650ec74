"""Production identity: Firebase Authentication ID tokens, checked by firebase-admin.

``auth.verify_id_token`` checks the RS256 signature against Google's published
certificates (fetched over HTTPS and cached per their Cache-Control), the audience
(our project id), the issuer, expiry and subject. With ``check_revoked`` it also asks
the Auth REST API whether the user's sessions were revoked or the account disabled.
firebase-admin is synchronous, so each call runs in a worker thread.

With ``FIREBASE_AUTH_EMULATOR_HOST`` set, firebase-admin skips the signature check:
production refuses to start with it (``Settings.production_problems``).
"""

from __future__ import annotations

import threading
import uuid
from typing import Any

import anyio.to_thread
import firebase_admin
import structlog
from firebase_admin import auth, credentials
from firebase_admin.exceptions import FirebaseError
from google.auth.exceptions import GoogleAuthError

from app.core.errors import ServiceUnavailableError
from app.core.settings import UnsafeConfigurationError
from app.identity.errors import ExpiredTokenError, InvalidTokenError, RevokedTokenError
from app.identity.principal import Principal, principal_from_claims

log = structlog.get_logger("app.identity.firebase")


class FirebaseTokenVerifier:
    def __init__(self, project_id: str, credentials_file: str = "") -> None:
        # Verifying ID tokens needs only the project id, but firebase-admin loads a
        # credential for every Auth client, and the revocation check and session
        # revocation call the Auth REST API with it: a service-account file, or the
        # platform's Application Default Credentials (Cloud Run, GKE) when none is given.
        try:
            self._credential: credentials.Base = (
                credentials.Certificate(credentials_file)
                if credentials_file
                else credentials.ApplicationDefault()
            )
        except (OSError, ValueError) as exc:
            raise UnsafeConfigurationError(
                [f"EMSP_FIREBASE_CREDENTIALS_FILE is not a service-account key file: {exc}"]
            ) from exc
        self._options = {"projectId": project_id}
        self._app: firebase_admin.App | None = None
        self._lock = threading.Lock()

    def _firebase_app(self) -> firebase_admin.App:
        # Registered on first use, under a name of our own, so app instances that never
        # serve (the OpenAPI export) leave nothing in firebase-admin's global registry and
        # several instances (tests, workers) never share one.
        with self._lock:
            if self._app is None:
                self._app = firebase_admin.initialize_app(
                    self._credential, self._options, name=f"emsp-identity-{uuid.uuid4().hex}"
                )
            return self._app

    async def verify(self, token: str, *, check_revoked: bool) -> Principal:
        def call() -> dict[str, Any]:
            return auth.verify_id_token(  # type: ignore[no-any-return]
                token, app=self._firebase_app(), check_revoked=check_revoked
            )

        try:
            claims = await anyio.to_thread.run_sync(call)
        # The expired and revoked errors subclass InvalidIdTokenError: test them first.
        except auth.ExpiredIdTokenError as exc:
            raise ExpiredTokenError("the token has expired; sign in again") from exc
        except auth.RevokedIdTokenError as exc:
            raise RevokedTokenError("the token was revoked; sign in again") from exc
        except auth.UserDisabledError as exc:
            raise RevokedTokenError("the account is disabled") from exc
        except (auth.InvalidIdTokenError, auth.UserNotFoundError, ValueError) as exc:
            raise InvalidTokenError("the token is not a valid Firebase ID token") from exc
        except (FirebaseError, GoogleAuthError) as exc:
            # Certificates or the Auth API unreachable, or no credential: not the
            # caller's fault, and not a reason to let anyone in.
            log.warning("firebase_unavailable", error_type=type(exc).__name__, error=str(exc))
            raise ServiceUnavailableError("the identity provider is unavailable") from exc
        return principal_from_claims(claims)

    async def revoke_sessions(self, uid: str) -> None:
        def call() -> None:
            auth.revoke_refresh_tokens(uid, app=self._firebase_app())

        try:
            await anyio.to_thread.run_sync(call)
        except auth.UserNotFoundError:
            return  # already deleted on the Firebase side: nothing left to revoke
        except (FirebaseError, GoogleAuthError) as exc:
            log.warning("firebase_unavailable", error_type=type(exc).__name__, error=str(exc))
            raise ServiceUnavailableError("the identity provider is unavailable") from exc

    def close(self) -> None:
        with self._lock:
            if self._app is not None:
                firebase_admin.delete_app(self._app)
                self._app = None
