"""The service's error bodies (CommunicationErrorResponse) as an exception handlers raise."""

from __future__ import annotations

from typing import Any

MALFORMED_MESSAGE = "The request could not be understood by the server due to malformed syntax."
NOT_FOUND_MESSAGE = "The server cannot find the requested resource."


class ApiError(Exception):
    """An error answer: HTTP status plus the OData-style `{"error": {...}}` body."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        target: str | None = None,
        details: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.target = target
        self.details = details
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.target is not None:
            error["target"] = self.target
        if self.details:
            error["details"] = self.details
        return {"error": error}


def detail(message: str, target: str, code: str = "BadArgument") -> dict[str, str]:
    return {"code": code, "message": message, "target": target}


def bad_request(
    message: str = MALFORMED_MESSAGE, details: list[dict[str, str]] | None = None
) -> ApiError:
    return ApiError(400, "BadRequest", message, details=details)


def not_found() -> ApiError:
    return ApiError(404, "NotFound", NOT_FOUND_MESSAGE)


def validation_error(message: str, target: str) -> ApiError:
    """Identity's 400 shape: code ValidationError with a target, no details."""
    return ApiError(400, "ValidationError", message, target=target)


def denied() -> ApiError:
    return ApiError(401, "Denied", "Denied by the resource provider.")
