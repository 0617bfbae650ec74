"""Refuse text that cannot be stored: the NUL character (U+0000).

PostgreSQL's text type cannot hold U+0000 and SQLite would store it silently, so the
same request would fail on one database and succeed on the other. No field of this API
has a use for it, so it is refused up front, in the path, the query and JSON bodies,
with a 400 problem naming the reason, before any handler or database sees it.
"""

from __future__ import annotations

import re
from typing import Any

from litestar import Request

from app.core.errors import InvalidInputError

# "\u0000" in JSON text, but not "\\u0000" (an escaped backslash followed by "u0000").
_JSON_NUL = re.compile(rb"(?:^|[^\\])(?:\\\\)*\\u0000")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class NulCharacterError(InvalidInputError):
    problem_type = "nul-character"
    title = "NUL character in input"


async def refuse_nul_characters(request: Request[Any, Any, Any]) -> None:
    """Litestar ``before_request`` hook; raises :class:`NulCharacterError`."""
    scope = request.scope
    query = scope.get("query_string", b"")
    if "\x00" in scope["path"] or b"\x00" in query or b"%00" in query.lower():
        raise NulCharacterError("the URL contains a NUL character (U+0000)")
    if request.method in _BODY_METHODS:
        body = await request.body()
        if b"\x00" in body or _JSON_NUL.search(body):
            raise NulCharacterError("the body contains a NUL character (U+0000)")
