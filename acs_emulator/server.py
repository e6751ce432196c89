"""Start and stop the emulator in-process; the interface the rest of the project codes against."""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from acs_emulator import tls
from acs_emulator.app import EmulatorApp
from acs_emulator.auth import HmacVerifier
from acs_emulator.config import EmulatorConfig, generated_access_key
from acs_emulator.event_grid import EventGridPublisher
from acs_emulator.faults import FaultInjector, FaultSettings
from acs_emulator.http_server import HttpServer
from acs_emulator.records import EmulatedRoom, RoomRecord
from acs_emulator.rooms_api import RoomsSettings
from acs_emulator.store import Store
from acs_emulator.timefmt import ticks_to_datetime
from acs_emulator.wsgi import EmulatorWsgi

if TYPE_CHECKING:
    import ssl
    from types import TracebackType

__all__ = ["EmulatedRoom", "EmulatorConfig", "RunningEmulator", "start_emulator"]


class RunningEmulator:
    """A listening emulator, serving from construction on (use start_emulator()); a context
    manager that stops it on exit."""

    def __init__(
        self,
        server: HttpServer,
        app: EmulatorApp,
        faults: FaultInjector,
        events: EventGridPublisher,
        endpoint: str,
        access_key: str,
        cert_path: Path | None,
        temporary_dir: Path | None,
    ) -> None:
        self._server = server
        self._app = app
        self._faults = faults
        self.event_grid = events  # drain(timeout), deliveries(), validated, webhook
        self._temporary_dir = temporary_dir
        self._stopped = False
        self._stop_lock = threading.Lock()
        self.access_key = access_key
        self.cert_path = cert_path
        self.endpoint = endpoint
        self.connection_string = f"endpoint={self.endpoint}/;accesskey={access_key}"

    def set_faults(
        self,
        *,
        latency_ms: int | None = None,
        error_rate: float | None = None,
        throttle_rate: float | None = None,
    ) -> None:
        self._faults.update(latency_ms, error_rate, throttle_rate)

    def set_event_grid_webhook(self, url: str | None) -> None:
        """Post calling events to `url` from now on (after the validation handshake); None
        stops. For a subscriber that learns its own URL after the emulator has started."""
        self.event_grid.set_webhook(url)

    def snapshot(self) -> dict[str, EmulatedRoom]:
        """Live rooms by id, participants in the service's order."""
        with self._app.store.reading() as tx:
            return {room.id: _emulated(room, tx.participants(room.id)) for room in tx.all_rooms()}

    def identities(self) -> set[str]:
        with self._app.store.reading() as tx:
            return tx.identity_ids()

    def request_count(self) -> int:
        return self._app.request_count

    def stop(self) -> None:
        """Idempotent. Lets in-flight responses finish, closes every connection and the store."""
        with self._stop_lock:
            if self._stopped:
                return
            self._stopped = True
        self._server.stop()
        self.event_grid.stop()
        self._app.store.close()
        if self._temporary_dir is not None:
            shutil.rmtree(self._temporary_dir, ignore_errors=True)

    def __enter__(self) -> RunningEmulator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def start_emulator(config: EmulatorConfig | None = None) -> RunningEmulator:
    """Serve in a background thread; returns once the port is listening."""
    config = config or EmulatorConfig()
    config.validate()
    access_key = config.access_key or generated_access_key()
    temporary_dir = (
        Path(tempfile.mkdtemp(prefix="acs-emulator-")) if _needs_temp_dir(config) else None
    )
    store = Store(config.data_dir)
    try:
        cert_path, ssl_context = _tls_files(config, temporary_dir)
        faults = FaultInjector(_fault_settings(config), config.seed)
        events = EventGridPublisher(clock=config.clock)
        rooms = _rooms_settings(config)
        app = EmulatorApp(store, _verifier(config, access_key), faults, rooms, events)
        wsgi = EmulatorWsgi(app, log_requests=config.log_requests)
        server = HttpServer((config.host, config.port), wsgi, ssl_context)
    except BaseException:
        _discard(store, temporary_dir)
        raise
    endpoint = f"{server.scheme}://{_url_host(config.host)}:{server.port}"
    running = RunningEmulator(
        server, app, faults, events, endpoint, access_key, cert_path, temporary_dir
    )
    running.set_event_grid_webhook(config.event_grid_webhook)  # starts its thread only if set
    return running


def _needs_temp_dir(config: EmulatorConfig) -> bool:
    """TLS needs files for the certificate; in-memory mode has no data dir to hold them."""
    return config.tls and config.data_dir is None


def _tls_files(
    config: EmulatorConfig, temporary_dir: Path | None
) -> tuple[Path | None, ssl.SSLContext | None]:
    cert_dir = config.data_dir or temporary_dir
    if not config.tls or cert_dir is None:
        return None, None
    cert_path, key_path = tls.ensure_certificate(cert_dir, config.host)
    return cert_path, tls.server_context(cert_path, key_path)


def _fault_settings(config: EmulatorConfig) -> FaultSettings:
    return FaultSettings(config.latency_ms, config.error_rate, config.throttle_rate)


def _verifier(config: EmulatorConfig, access_key: str) -> HmacVerifier:
    return HmacVerifier(access_key, max_skew_seconds=config.clock_skew_minutes * 60)


def _rooms_settings(config: EmulatorConfig) -> RoomsSettings:
    return RoomsSettings(config.max_participants, config.page_size, config.clock)


def _discard(store: Store, temporary_dir: Path | None) -> None:
    store.close()
    if temporary_dir is not None:
        shutil.rmtree(temporary_dir, ignore_errors=True)


def _url_host(host: str) -> str:
    """A host clients can connect to and put in a URL."""
    if host in ("", "0.0.0.0"):  # noqa: S104 (listening everywhere; clients use loopback)
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


def _emulated(room: RoomRecord, participants: dict[str, str]) -> EmulatedRoom:
    return EmulatedRoom(
        id=room.id,
        created_at=ticks_to_datetime(room.created_at),
        valid_from=ticks_to_datetime(room.valid_from),
        valid_until=ticks_to_datetime(room.valid_until),
        pstn_dial_out_enabled=room.pstn_dial_out_enabled,
        participants=participants,
    )
