"""The one entry point the composition root uses: build both ACS gateways.

Building never raises and never touches the network. A bad setting, an unreachable endpoint or
a wrong key shows up as a domain error on the first call (and from `probe()`), so the bot can
start and tell people what is wrong.
"""

from __future__ import annotations

from typing import NoReturn

from bot.adapters.acs_errors import ENTRA_HINT, KEY_HINT, ErrorTranslator
from bot.adapters.clients import (
    ClientSettings,
    Lazy,
    build_identity_client,
    build_rooms_client,
    entra_credential,
    key_credential,
)
from bot.adapters.connection import normalise_endpoint, parse_connection_string
from bot.adapters.identity import AcsIdentityGateway
from bot.adapters.retry import RetrySettings
from bot.adapters.rooms import AcsRoomsGateway
from bot.services.errors import ConfigurationError

__all__ = ["AcsIdentityGateway", "AcsRoomsGateway", "RetrySettings", "make_acs_gateways"]


def make_acs_gateways(
    *,
    connection_string: str | None,
    endpoint: str | None = None,
    timeout_s: float = 10.0,
    retry: RetrySettings | None = None,
) -> tuple[AcsRoomsGateway, AcsIdentityGateway]:
    """Gateways for an access-key connection string, or for an endpoint with Entra ID
    (DefaultAzureCredential). Exactly one of the two. `timeout_s` bounds each call, retries
    included; `retry` tunes attempts and pauses (tests shrink them)."""
    try:
        settings = _client_settings(
            connection_string, endpoint, timeout_s, retry or RetrySettings()
        )
    except ConfigurationError as problem:
        return _misconfigured(problem.message)
    errors = ErrorTranslator(
        endpoint=settings.endpoint, auth_hint=KEY_HINT if connection_string else ENTRA_HINT
    )
    rooms = AcsRoomsGateway(Lazy(lambda: build_rooms_client(settings)), errors)
    identity = AcsIdentityGateway(Lazy(lambda: build_identity_client(settings)), errors)
    return rooms, identity


def _client_settings(
    connection_string: str | None, endpoint: str | None, timeout_s: float, retry: RetrySettings
) -> ClientSettings:
    if (connection_string is None) == (endpoint is None):
        raise ConfigurationError(
            "Configure ACS with either a connection string (ACS_CONNECTION_STRING) or an "
            "endpoint for Entra ID sign-in, not both or neither."
        )
    if not timeout_s > 0:
        raise ConfigurationError(
            f"The ACS timeout must be a positive number of seconds, not {timeout_s}."
        )
    if connection_string is not None:
        parsed = parse_connection_string(connection_string)
        return ClientSettings(parsed.endpoint, key_credential(parsed.access_key), timeout_s, retry)
    return ClientSettings(_entra_endpoint(endpoint or ""), entra_credential(), timeout_s, retry)


def _entra_endpoint(text: str) -> str:
    url = normalise_endpoint(text)
    # azure-core refuses bearer tokens over plain http; say so now rather than as a network error.
    if not url.startswith("https://"):
        raise ConfigurationError(f"Entra ID sign-in to ACS needs an https endpoint, not {url}.")
    return url


def _misconfigured(message: str) -> tuple[AcsRoomsGateway, AcsIdentityGateway]:
    """Gateways whose every call raises the configuration problem (a fresh error each time)."""

    def refuse() -> NoReturn:
        raise ConfigurationError(message)

    errors = ErrorTranslator(endpoint="(not configured)")
    return AcsRoomsGateway(Lazy(refuse), errors), AcsIdentityGateway(Lazy(refuse), errors)
