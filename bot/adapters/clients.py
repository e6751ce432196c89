"""Build the SDK clients, lazily and once, with RoomBot's transport and retry policy.

Clients are built on first use so the bot starts, and explains itself, while ACS is down or
misconfigured. Both are built from an explicit endpoint (never `from_connection_string`, which
turns http into https) and share nothing but the credential.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import requests
from azure.communication.identity import CommunicationIdentityClient
from azure.communication.rooms import RoomsClient
from azure.core.credentials import AzureKeyCredential
from azure.core.pipeline.transport import RequestsTransport
from requests.adapters import HTTPAdapter
from requests.utils import get_netrc_auth
from urllib3.util.retry import Retry

from bot.adapters.retry import DeadlineRetryPolicy, RetrySettings

if TYPE_CHECKING:
    from collections.abc import Callable

# A plain string: the enum default leaks as 'ApiVersion.V2025_03_13' into nextLink requests (§0.2).
ROOMS_API_VERSION = "2025-03-13"
IDENTITY_API_VERSION = "2023-10-01"
# Connections kept per client; the bot calls ACS from many listener threads at once.
POOL_SIZE = 32

T = TypeVar("T")


class Lazy(Generic[T]):
    """Builds its value on first use, exactly once, even when many threads ask together."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._value: T | None = None
        self._lock = threading.Lock()

    def get(self) -> T:
        value = self._value
        if value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._build()
                value = self._value
        return value

    @property
    def built(self) -> T | None:
        return self._value


@dataclass(frozen=True)
class ClientSettings:
    endpoint: str
    credential: Lazy[Any]  # AzureKeyCredential or an azure-identity TokenCredential
    timeout_s: float
    retry: RetrySettings


def key_credential(access_key: str) -> Lazy[Any]:
    return Lazy(lambda: AzureKeyCredential(access_key))


def entra_credential() -> Lazy[Any]:
    def build() -> Any:
        # Imported late: azure-identity is slow to import and only Entra deployments need it.
        from azure.identity import DefaultAzureCredential

        return DefaultAzureCredential()

    return Lazy(build)


@dataclass(frozen=True)
class Connected(Generic[T]):
    """An SDK client and the transport RoomBot made for it (closing it frees the sockets)."""

    client: T
    transport: RequestsTransport

    def close(self) -> None:
        self.transport.close()


def build_rooms_client(settings: ClientSettings) -> Connected[RoomsClient]:
    transport = _transport(settings)
    client = RoomsClient(
        settings.endpoint,
        settings.credential.get(),
        api_version=ROOMS_API_VERSION,
        transport=transport,
        retry_policy=_retry_policy(settings),
    )
    return Connected(client, transport)


def build_identity_client(settings: ClientSettings) -> Connected[CommunicationIdentityClient]:
    transport = _transport(settings)
    client = CommunicationIdentityClient(
        settings.endpoint,
        settings.credential.get(),
        api_version=IDENTITY_API_VERSION,
        transport=transport,
        retry_policy=_retry_policy(settings),
    )
    return Connected(client, transport)


def _retry_policy(settings: ClientSettings) -> DeadlineRetryPolicy:
    return DeadlineRetryPolicy(timeout_s=settings.timeout_s, settings=settings.retry)


def _transport(settings: ClientSettings) -> RequestsTransport:
    session = _pooled_session()
    verify = _environment_read_once(session, settings.endpoint)
    return RequestsTransport(
        session=session,
        session_owner=True,
        connection_timeout=min(settings.retry.connect_timeout_s, settings.timeout_s),
        read_timeout=settings.timeout_s,
        connection_verify=verify,
    )


def _pooled_session() -> requests.Session:
    # Built here rather than by the transport on first send: that lazy open is not thread-safe,
    # and its pool (10) is smaller than the bot's thread pool.
    session = requests.Session()
    # azure-core's policy is the only retry layer; urllib3 must not retry behind its back.
    no_retries = Retry(total=False, redirect=False, raise_on_status=False)
    adapter = HTTPAdapter(pool_maxsize=POOL_SIZE, max_retries=no_retries)
    for prefix in ("http://", "https://"):
        session.mount(prefix, adapter)
    return session


def _environment_read_once(session: requests.Session, endpoint: str) -> bool | str:
    """Read what requests takes from the environment for `endpoint` once, as RoomBot reads its
    settings, instead of on every request (~0.1-0.3 ms of CPU per ACS call, measured): the
    proxy for its host (HTTP(S)_PROXY, NO_PROXY), the CA bundle (REQUESTS_CA_BUNDLE,
    CURL_CA_BUNDLE) and ~/.netrc. Every request of a client goes to its endpoint's host.
    Returns what to verify TLS with (the transport passes it with every request)."""
    found = session.merge_environment_settings(endpoint, {}, None, None, None)
    session.proxies.update(found["proxies"])
    session.auth = get_netrc_auth(endpoint)
    session.trust_env = False
    verify: bool | str | None = found["verify"]
    return True if verify is None else verify
