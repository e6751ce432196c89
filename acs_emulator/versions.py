"""api-version handling: the versions served and the service's answer for the others."""

from __future__ import annotations

from typing import TYPE_CHECKING

from acs_emulator.errors import ApiError

if TYPE_CHECKING:
    from acs_emulator.wire import Request

ROOMS_VERSIONS = ("2023-06-14", "2024-04-15", "2025-03-13")
COLLABORATOR_SINCE = "2025-03-13"
# The identity versions the Python SDK knows; they behave alike here.
IDENTITY_VERSIONS = ("2021-03-07", "2022-06-01", "2022-10-01", "2023-10-01")


def requested_version(
    request: Request, supported: tuple[str, ...], continued_from: str | None = None
) -> str:
    """The api-version to serve. A continuation request falls back to its first page's version,
    because Python sends `ApiVersion.V2025_03_13` there and JS may send none (ACS_REST.md §0.2)."""
    value = request.query.get("api-version")
    if value in supported:
        return str(value)
    if continued_from is not None:
        return continued_from
    if value is None:
        raise ApiError(
            400, "ApiVersionUnspecified", "An API version is required, but was not specified."
        )
    raise ApiError(
        400,
        "UnsupportedApiVersion",
        f"The HTTP resource that matches the request URI '{request.scheme}://{request.host}"
        f"{request.raw_path}' does not support the API version '{value}'.",
    )
