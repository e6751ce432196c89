"""A session-wide scan for leaked secrets: Slack tokens, signing secrets, ACS keys and tokens.

Registered from tests/conftest.py. For every test it keeps what the test showed the world:

- the captured stdout, stderr and log sections of each report (logs at INFO, production's level),
- the body of every call the Slack stand-in received (posts, updates, views, ephemerals, files),
- every audit record the test's database holds at teardown,
- output of `roombot` subprocesses, handed over with `record(source, text)`.

Secrets are known by value (harvested from the test's fixtures: emulator access keys, stand-in
bot tokens, signing secrets, every `SecretStr` in a Settings) and by shape (Slack tokens,
`accesskey=` in a connection string, JWTs). At the end a leak fails the session with a list
naming the test, the place and the kind of secret, never the secret itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final

import pytest
from pydantic import BaseModel, SecretStr
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import Engine, select
from sqlmodel import Session

from slack_standin import RunningStandin
from storage.models import AuditEventRow

SLACK_TOKEN: Final = "Slack token"
SIGNING_SECRET: Final = "Slack signing secret"
ACS_KEY: Final = "ACS access key"
ACS_TOKEN: Final = "ACS access token"
OTHER_SECRET: Final = "secret setting"

SHAPES: Final[tuple[tuple[re.Pattern[str], str], ...]] = (
    # Real tokens: the prefix, then at least six token characters (xoxb-1-2-abc…, xapp-1-A…).
    (re.compile(r"\b(?:xox[abeoprs]|xapp)-[0-9A-Za-z][0-9A-Za-z-]{5,}"), SLACK_TOKEN),
    # A connection string's key; "accesskey=local" is not a key, nor is an empty or masked value.
    (re.compile(r"(?i)accesskey=(?!local\b)[A-Za-z0-9+/]{8,}"), ACS_KEY),
    (re.compile(r"\beyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}"), ACS_TOKEN),
)
# Secrets used by the suite that live in module constants rather than fixtures.
KNOWN_TEST_SECRETS: Final = {
    "server-test-signing-secret": SIGNING_SECRET,
    "manifest-test-secret": SIGNING_SECRET,
    "test-secret": SIGNING_SECRET,
    # The join page's tests (tests/bot/web/join_site.py): its session secret and client secret.
    "session-secret-for-join-tests-0123456789": OTHER_SECRET,
    "client-secret-for-join-tests": OTHER_SECRET,
}
_MIN_SECRET: Final = 6  # shorter values ("s", "x") would match everywhere and prove nothing
_ATTRIBUTE_KINDS: Final = (
    ("signing_secret", SIGNING_SECRET),
    ("access_key", ACS_KEY),
    ("connection_string", ACS_KEY),
    ("token", SLACK_TOKEN),
    ("secret", OTHER_SECRET),
)
_OUR_PACKAGES: Final = ("bot.", "acs_emulator.", "tests.", "storage.")
# oauth.v2.access carries the client secret to Slack by design; it is not something shown.
_PRIVATE_SLACK_METHODS: Final = ("oauth.", "auth.", "apps.")


@dataclass(frozen=True)
class Leak:
    where: str  # test node id
    source: str  # e.g. "Captured log call", "slack chat.postMessage", "audit records"
    kind: str

    def __str__(self) -> str:
        return f"{self.kind} in {self.source} of {self.where}"


@dataclass
class SecretScanner:
    """Texts seen and secrets known; `leaks()` matches them. No pytest needed to use it."""

    secrets: dict[str, str] = field(default_factory=lambda: dict(KNOWN_TEST_SECRETS))
    texts: dict[tuple[str, str, int], str] = field(default_factory=dict)

    def add_secret(self, value: str, kind: str) -> None:
        value = value.strip()
        if len(value) >= _MIN_SECRET and value.lower() != "local":
            self.secrets.setdefault(value, kind)
        for key in re.findall(r"(?i)accesskey=([^;\s\"']+)", value):
            self.add_secret(key, ACS_KEY)

    def add_text(self, where: str, source: str, text: str) -> None:
        if text:
            self.texts[(where, source, hash(text))] = text

    def leaks(self) -> list[Leak]:
        found: dict[Leak, None] = {}
        for (where, source, _), text in self.texts.items():
            for kind in self._kinds_in(text):
                found[Leak(where, source, kind)] = None
        return list(found)

    def _kinds_in(self, text: str) -> Iterator[str]:
        for pattern, kind in SHAPES:
            if pattern.search(text):
                yield kind
        for value, kind in self.secrets.items():
            if value in text:
                yield kind


def harvest(scanner: SecretScanner, roots: Iterable[object]) -> None:
    """Learn the secret values held by fixtures (and the objects they hold, a few levels down)."""
    seen: set[int] = set()
    for root in roots:
        _harvest(scanner, root, seen, depth=3)


def _harvest(scanner: SecretScanner, obj: object, seen: set[int], depth: int) -> None:
    if id(obj) in seen or depth < 0 or isinstance(obj, str | bytes | int | float | type(None)):
        return
    seen.add(id(obj))
    if isinstance(obj, SecretStr):
        scanner.add_secret(obj.get_secret_value(), OTHER_SECRET)
    elif isinstance(obj, SignatureVerifier):
        scanner.add_secret(obj.signing_secret, SIGNING_SECRET)
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            _attribute(scanner, name, getattr(obj, name, None), seen, depth)
    elif type(obj).__module__.startswith(_OUR_PACKAGES) and hasattr(obj, "__dict__"):
        for name, value in list(vars(obj).items()):
            _attribute(scanner, name, value, seen, depth)


def _attribute(
    scanner: SecretScanner, name: str, value: object, seen: set[int], depth: int
) -> None:
    if isinstance(value, str):
        kind = next((k for part, k in _ATTRIBUTE_KINDS if part in name.lower()), None)
        if kind is not None and not name.lower().endswith(("_id", "_url", "_path")):
            scanner.add_secret(value, kind)
    else:
        _harvest(scanner, value, seen, depth - 1)


def slack_call_text(call: Any) -> str | None:
    """What a stand-in call showed (its JSON body), or None for calls that carry credentials."""
    if str(call.method).startswith(_PRIVATE_SLACK_METHODS):
        return None
    return json.dumps(call.args, default=str)


def audit_text(engine: Engine) -> str:
    """Every audit record in the test's database, as one text."""
    try:
        with Session(engine) as session:
            rows = session.exec(select(AuditEventRow)).all()  # type: ignore[call-overload]
    except Exception:  # a test may have dropped or never migrated its tables
        return ""
    return "\n".join(repr(row) for row in rows)


# --- the pytest plugin ---------------------------------------------------------------------------

_ACTIVE: list[SecretScanPlugin] = []


def record(source: str, text: str) -> None:
    """Hand output the plugin cannot capture itself (a subprocess's) to the running scan."""
    if _ACTIVE:
        plugin = _ACTIVE[-1]
        plugin.scanner.add_text(plugin.current, source, text)


class SecretScanPlugin:
    def __init__(self) -> None:
        self.scanner = SecretScanner()
        self.current = "(collection)"
        self._unsubscribe: list[Callable[[], None]] = []
        self._seen_calls: set[int] = set()
        self.found: list[Leak] = []

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Iterator[None]:
        self.current = item.nodeid
        self._seen_calls = set()
        try:
            return (yield)
        finally:
            fixtures = _fixtures(item)
            harvest(self.scanner, fixtures)
            for standin in _standins(fixtures):
                self._unsubscribe.append(standin.subscribe(self._slack_call))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_teardown(self, item: pytest.Item) -> Iterator[None]:
        fixtures = _fixtures(item)
        harvest(self.scanner, fixtures)
        for standin in _standins(fixtures):
            for call in standin.calls():
                self._slack_call(call)
        for engine in {id(e): e for e in fixtures if isinstance(e, Engine)}.values():
            self.scanner.add_text(item.nodeid, "audit records", audit_text(engine))
        try:
            return (yield)
        finally:
            for unsubscribe in self._unsubscribe:
                unsubscribe()
            self._unsubscribe.clear()

    def _slack_call(self, call: Any) -> None:
        if id(call) in self._seen_calls:
            return
        self._seen_calls.add(id(call))
        text = slack_call_text(call)
        if text is not None:
            self.scanner.add_text(self.current, f"slack {call.method}", text)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for name, content in report.sections:
            self.scanner.add_text(report.nodeid, name, content)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self.found = self.scanner.leaks()
        if self.found and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.found:
            return
        terminalreporter.write_sep("=", "secret scan: secrets leaked", red=True, bold=True)
        for leak in self.found:
            terminalreporter.write_line(str(leak))


def _fixtures(item: pytest.Item) -> list[object]:
    return list(getattr(item, "funcargs", {}).values())


def _standins(fixtures: Iterable[object]) -> list[Any]:
    found: dict[int, Any] = {}
    for fixture in fixtures:
        for candidate in (fixture, getattr(fixture, "standin", None)):
            if isinstance(candidate, RunningStandin):
                found[id(candidate)] = candidate
    return list(found.values())


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    # Capture INFO records (production's level) so the scan reads what production would log;
    # captured logs are shown only for failing tests, so the suite stays quiet.
    if config.getini("log_level") is None and config.option.log_level is None:
        config.option.log_level = "INFO"
    plugin = SecretScanPlugin()
    _ACTIVE.append(plugin)
    config.pluginmanager.register(plugin, "roombot-secret-scan")


def pytest_unconfigure(config: pytest.Config) -> None:
    plugin = config.pluginmanager.get_plugin("roombot-secret-scan")
    if plugin in _ACTIVE:
        _ACTIVE.remove(plugin)
