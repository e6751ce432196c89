"""The Dockerfile's essentials, checked as text (Docker does not run here) plus its healthcheck,
run for real against a local HTTP server."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCKERFILE = REPO / "Dockerfile"
DOCKERIGNORE = REPO / ".dockerignore"

Instruction = tuple[str, str]


def instructions() -> list[Instruction]:
    """(KEYWORD, arguments) for each instruction, continuation lines joined, comments dropped."""
    text = DOCKERFILE.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    parsed = []
    for line in joined.splitlines():
        keyword, _, arguments = line.strip().partition(" ")
        if keyword:
            parsed.append((keyword.upper(), arguments.strip()))
    return parsed


def stages() -> list[list[Instruction]]:
    """The instructions of each build stage, each list starting with its FROM."""
    found: list[list[Instruction]] = []
    for instruction in instructions():
        if instruction[0] == "FROM":
            found.append([])
        found[-1].append(instruction)
    return found


def arguments_of(keyword: str) -> list[str]:
    """The final stage's (the image's) arguments to `keyword`."""
    return [arguments for found, arguments in stages()[-1] if found == keyword]


def test_the_image_builds_on_slim_python_3_11() -> None:
    assert arguments_of("FROM") == ["python:3.11-slim"]


def test_a_node_stage_builds_the_vendored_calling_sdk_from_the_lock_file() -> None:
    *builders, _image = stages()
    (node,) = [stage for stage in builders if stage[0][1].startswith("node:")]
    assert node[0][1].split() == ["node:20-slim", "AS", "web-vendor"]
    runs = [arguments for keyword, arguments in node if keyword == "RUN"]
    assert runs[0].startswith("npm ci")  # the lock file, never a fresh resolve
    assert runs[-1] == "npm run build"
    copied = [arguments for keyword, arguments in node if keyword == "COPY"]
    assert "bot/web/package-lock.json" in copied[0].split()


def test_the_image_takes_only_the_vendor_build_from_the_node_stage() -> None:
    from_node = [copy for copy in arguments_of("COPY") if copy.startswith("--from=")]
    assert from_node == ["--from=web-vendor /web/static/vendor ./bot/web/static/vendor"]
    assert not any("node_modules" in copy for copy in arguments_of("COPY"))


def test_dependencies_are_installed_from_the_lock_file_without_dev_tools() -> None:
    syncs = [run for run in arguments_of("RUN") if "uv sync" in run]
    assert syncs
    assert all("--frozen" in run and "--no-dev" in run for run in syncs)


def test_the_app_runs_as_a_non_root_user() -> None:
    keywords = [keyword for keyword, _ in instructions()]
    users = arguments_of("USER")
    assert users
    assert users[-1] not in {"root", "0", "0:0"}
    assert keywords.index("USER") < keywords.index("CMD")


def test_the_image_serves_http_mode_on_port_3000() -> None:
    assert arguments_of("EXPOSE") == ["3000"]
    assert [json.loads(cmd) for cmd in arguments_of("CMD")] == [["roombot", "serve"]]


def healthcheck_command() -> str:
    (healthcheck,) = arguments_of("HEALTHCHECK")
    _options, _, command = healthcheck.partition(" CMD ")
    assert command.startswith("python "), healthcheck
    return command


class _Health(BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        self.send_response(self.status if self.path == "/healthz" else 404)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def health_server() -> Iterator[HTTPServer]:
    server = HTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def run_healthcheck(port: int) -> int:
    # The image's `python` is the venv's; here it is the interpreter running the tests.
    command = healthcheck_command().replace("python ", f"{sys.executable} ", 1)
    env = {**os.environ, "PORT": str(port)}
    done = subprocess.run(
        ["sh", "-c", command], env=env, capture_output=True, check=False, timeout=30
    )
    return done.returncode


def test_the_healthcheck_passes_when_healthz_answers_ok(health_server: HTTPServer) -> None:
    assert run_healthcheck(health_server.server_port) == 0


def test_the_healthcheck_fails_when_healthz_answers_an_error(
    health_server: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_Health, "status", 503)
    assert run_healthcheck(health_server.server_port) != 0


def test_the_build_context_leaves_out_secrets_and_local_state() -> None:
    ignored = set(DOCKERIGNORE.read_text(encoding="utf-8").split())
    assert {".env", ".venv", ".roombot", ".git"} <= ignored
    # A developer's npm install and vendor build stay out: the node stage makes its own.
    assert {"**/node_modules", "bot/web/static/vendor"} <= ignored
