"""`python -m acs_emulator`: connection string first, exit 0 on SIGTERM, one-line flag errors."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from azure.communication.rooms import RoomsClient
from azure.core.credentials import AzureKeyCredential

from acs_emulator.cli import main

REPO_ROOT = Path(__file__).resolve().parents[2]


def run_cli(*flags: str, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "acs_emulator", *flags]
    return subprocess.run(
        command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )


def parse(connection_string: str) -> tuple[str, str]:
    fields = dict(part.split("=", 1) for part in connection_string.strip().split(";") if part)
    return fields["endpoint"].rstrip("/"), fields["accesskey"]


def test_prints_a_working_connection_string_first_and_exits_0_on_sigterm() -> None:
    command = [sys.executable, "-m", "acs_emulator", "--port", "0"]
    with subprocess.Popen(
        command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        first_line = process.stdout.readline()
        endpoint, key = parse(first_line)
        with RoomsClient(endpoint, AzureKeyCredential(key), retry_total=0) as rooms:
            assert list(rooms.list_rooms()) == []
        process.send_signal(signal.SIGTERM)
        exit_code = process.wait(timeout=10)

    assert first_line.startswith("endpoint=http://127.0.0.1:")
    assert exit_code == 0


def test_exits_0_on_sigint_without_a_traceback() -> None:
    command = [sys.executable, "-m", "acs_emulator", "--port", "0"]
    with subprocess.Popen(
        command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdout.readline()
        process.send_signal(signal.SIGINT)
        exit_code = process.wait(timeout=10)
        errors = process.stderr.read()

    assert exit_code == 0
    assert "Traceback" not in errors


def test_given_access_key_is_the_one_in_the_connection_string() -> None:
    key = "ZW11bGF0b3Itc2VjcmV0LWtleS0wMTIzNDU2Nzg5YWI="
    command = [sys.executable, "-m", "acs_emulator", "--port", "0", "--access-key", key, "--tls"]
    with subprocess.Popen(
        command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        first_line = process.stdout.readline()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)

    assert first_line.startswith("endpoint=https://127.0.0.1:")
    assert first_line.strip().endswith(f"/;accesskey={key}")


@pytest.mark.parametrize(
    "flags",
    [
        ["--error-rate", "2"],
        ["--throttle-rate", "-0.1"],
        ["--latency-ms", "soon"],
        ["--port", "70000"],
        ["--access-key", "not base64!"],
        ["--event-grid-webhook", "ftp://example.com/events"],
        ["--no-such-flag"],
    ],
)
def test_bad_flags_exit_2_with_one_line_and_no_traceback(flags: list[str]) -> None:
    result = run_cli("--port", "0", *flags)

    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("acs-emulator: error: ")
    assert result.stdout == ""


def test_help_describes_the_flags_and_exits_0() -> None:
    result = run_cli("--help")

    assert result.returncode == 0
    assert all(
        flag in result.stdout
        for flag in ["--host", "--port", "--data-dir", "--tls", "--seed", "--event-grid-webhook"]
    )


def test_main_returns_2_for_a_bad_flag_when_called_with_argv(
    capsys: pytest.CaptureFixture[str],
) -> None:
    exit_code = main(["--error-rate", "nope"])

    assert exit_code == 2
    assert capsys.readouterr().err.count("\n") == 1
