"""Errors as part of the API: a domain exception tree and RFC 9457 problem details.

Services raise :class:`DomainError` subclasses that carry their HTTP status. Every
exception that leaves a handler, expected or not, is rendered as
``application/problem+json``; an unexpected one is logged with its request id and
answered with a 500 that reveals nothing internal.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, ClassVar

import msgspec
import structlog
from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    NotFoundException,
    ValidationException,
)
from litestar.openapi import ResponseSpec
from litestar.types import ExceptionHandlersMap
from sqlalchemy.exc import DataError

from app.core.request_context import current_request_id

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPE_BASE = "https://emsp.dev/problems/"

log = structlog.get_logger("app.errors")


class FieldError(msgspec.Struct, frozen=True):
    """One invalid input field."""

    field: str = msgspec.field(name="field")
    message: str = ""
    source: str | None = None


class ProblemDetail(msgspec.Struct, omit_defaults=True, frozen=True):
    """RFC 9457 problem details, extended with the request id and field errors."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = msgspec.field(default=None, name="requestId")
    errors: list[FieldError] | None = None


class DomainError(Exception):
    """Base of all expected business errors; subclasses fix status and problem type."""

    status_code: ClassVar[int] = HTTPStatus.BAD_REQUEST
    problem_type: ClassVar[str] = "bad-request"
    title: ClassVar[str] = "Bad request"

    def __init__(self, detail: str, *, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors


class InvalidInputError(DomainError):
    status_code = HTTPStatus.BAD_REQUEST
    problem_type = "invalid-input"
    title = "Invalid input"


class NotFoundError(DomainError):
    status_code = HTTPStatus.NOT_FOUND
    problem_type = "not-found"
    title = "Not found"


class ConflictError(DomainError):
    status_code = HTTPStatus.CONFLICT
    problem_type = "conflict"
    title = "Conflict"


class UnauthenticatedError(DomainError):
    status_code = HTTPStatus.UNAUTHORIZED
    problem_type = "unauthenticated"
    title = "Authentication required"


class ForbiddenError(DomainError):
    status_code = HTTPStatus.FORBIDDEN
    problem_type = "forbidden"
    title = "Forbidden"


class ServiceUnavailableError(DomainError):
    status_code = HTTPStatus.SERVICE_UNAVAILABLE
    problem_type = "service-unavailable"
    title = "Service unavailable"


_STATUS_DESCRIPTIONS = {
    400: "Invalid input (problem details list the fields)",
    401: "Authentication required",
    403: "Not allowed for this identity",
    404: "No such resource",
    409: "Conflicts with the current state",
    422: "Well-formed but not acceptable",
    503: "A dependency is unavailable",
}


def problem_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI declarations of the problem responses a route can give."""
    return {
        status: ResponseSpec(
            data_container=ProblemDetail,
            description=_STATUS_DESCRIPTIONS.get(status, HTTPStatus(status).phrase),
            media_type=PROBLEM_JSON,
            generate_examples=False,
        )
        for status in statuses
    }


def problem_response(
    problem: ProblemDetail, headers: dict[str, str] | None = None
) -> Response[Any]:
    return Response(
        content=msgspec.json.encode(problem),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def _problem(
    request: Request[Any, Any, Any],
    *,
    status: int,
    problem_type: str,
    title: str,
    detail: str | None,
    errors: list[FieldError] | None = None,
) -> ProblemDetail:
    return ProblemDetail(
        type=PROBLEM_TYPE_BASE + problem_type,
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path,
        request_id=current_request_id(),
        errors=errors,
    )


def _source_name(source: Any) -> str | None:
    # Litestar reports where a bad value came from as a ParamType enum ("query", "path").
    if source is None:
        return None
    return str(getattr(source, "value", source))


def _validation_errors(extra: Any) -> list[FieldError]:
    if not isinstance(extra, list):
        return []
    errors = []
    for item in extra:
        if not isinstance(item, dict):
            continue
        source = _source_name(item.get("source"))
        field = str(item.get("key") or item.get("field") or "")
        if source in {"query", "path"}:
            # Litestar names the Python parameter; the client sent the camelCase wire name.
            field = _camel(field)
        errors.append(FieldError(field=field, message=str(item.get("message", "")), source=source))
    return errors


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def handle_domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    return problem_response(
        _problem(
            request,
            status=exc.status_code,
            problem_type=exc.problem_type,
            title=exc.title,
            detail=exc.detail,
            errors=exc.errors,
        )
    )


def handle_validation_error(
    request: Request[Any, Any, Any], exc: ValidationException
) -> Response[Any]:
    return problem_response(
        _problem(
            request,
            status=HTTPStatus.BAD_REQUEST,
            problem_type="invalid-input",
            title="Invalid input",
            detail=exc.detail if exc.detail != "Validation failed" else "The request is invalid",
            errors=_validation_errors(exc.extra) or None,
        )
    )


def handle_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    slug = phrase.lower().replace(" ", "-").replace("'", "")
    if status >= 500:
        log.error("http_error", status=status, detail=exc.detail)
    return problem_response(
        _problem(
            request,
            status=status,
            problem_type=slug,
            title=phrase,
            detail=exc.detail if exc.detail != phrase else None,
        ),
        headers=dict(exc.headers) if exc.headers else None,
    )


def handle_data_error(request: Request[Any, Any, Any], exc: DataError) -> Response[Any]:
    # The database refused a value the API let through (out of range, not representable):
    # the client's data, not a server fault; the detail stays generic, the log has it.
    log.warning("database_refused_value", error_type=type(exc.orig).__name__)
    return problem_response(
        _problem(
            request,
            status=HTTPStatus.BAD_REQUEST,
            problem_type="invalid-input",
            title="Invalid input",
            detail="a value in the request cannot be stored (out of range or not representable)",
        )
    )


def handle_unexpected_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.error("unhandled_error", error_type=type(exc).__name__, path=request.url.path, exc_info=exc)
    return problem_response(
        _problem(
            request,
            status=HTTPStatus.INTERNAL_SERVER_ERROR,
            problem_type="internal-error",
            title="Internal server error",
            detail="The server could not complete the request; quote the request id.",
        )
    )


def exception_handlers() -> ExceptionHandlersMap:
    return {
        DomainError: handle_domain_error,
        ValidationException: handle_validation_error,
        NotFoundException: handle_http_exception,
        HTTPException: handle_http_exception,
        DataError: handle_data_error,
        Exception: handle_unexpected_error,
    }


__all__ = [
    "PROBLEM_JSON",
    "ConflictError",
    "DomainError",
    "FieldError",
    "ForbiddenError",
    "InvalidInputError",
    "NotFoundError",
    "ProblemDetail",
    "ServiceUnavailableError",
    "UnauthenticatedError",
    "exception_handlers",
    "problem_response",
    "problem_responses",
]
