"""The package stands alone (DESIGN.md dependency rules) and its small pure parts behave."""

from __future__ import annotations

import ast
import ipaddress
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509

from acs_emulator.timefmt import datetime_to_ticks, format_ticks, parse_iso8601
from acs_emulator.tls import ensure_certificate

PACKAGE = Path(__file__).resolve().parents[2] / "acs_emulator"


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    roots = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    roots |= {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and not node.level
    }
    return roots


def test_emulator_imports_only_the_stdlib_cryptography_and_itself() -> None:
    allowed = set(sys.stdlib_module_names) | {"cryptography", "acs_emulator", "__future__"}

    foreign = {str(path.name): imported_roots(path) - allowed for path in PACKAGE.glob("*.py")}

    assert {name: roots for name, roots in foreign.items() if roots} == {}


def test_importing_the_package_starts_no_threads_and_writes_nothing(tmp_path: Path) -> None:
    probe = (
        "import threading, acs_emulator, acs_emulator.cli, acs_emulator.__main__;"
        "print(threading.active_count())"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "1"
    assert list(tmp_path.iterdir()) == []


def test_timestamps_print_seven_fraction_digits_like_dotnet() -> None:
    ticks = datetime_to_ticks(datetime(2023, 10, 3, 5, 9, 30, tzinfo=UTC)) + 4_945_394

    assert format_ticks(ticks) == "2023-10-03T05:09:30.4945394+00:00"


def test_timestamps_drop_trailing_zero_digits_like_dotnet() -> None:
    assert (
        format_ticks(parse_iso8601("2023-06-30T00:00:00.5000000Z") or 0)
        == "2023-06-30T00:00:00.5+00:00"
    )
    assert format_ticks(parse_iso8601("2023-06-30T00:00:00Z") or 0) == "2023-06-30T00:00:00+00:00"


def test_offsets_are_converted_to_utc_and_naive_times_read_as_utc() -> None:
    assert parse_iso8601("2024-01-01T02:00:00+02:00") == parse_iso8601("2024-01-01T00:00:00")


def test_impossible_dates_do_not_parse() -> None:
    assert parse_iso8601("2024-02-30T00:00:00Z") is None


def test_certificate_names_localhost_and_loopback_and_is_reused(tmp_path: Path) -> None:
    cert_path, _ = ensure_certificate(tmp_path, "127.0.0.1")
    first = cert_path.read_bytes()

    ensure_certificate(tmp_path, "127.0.0.1")

    names = (
        x509.load_pem_x509_certificate(first)
        .extensions.get_extension_for_class(x509.SubjectAlternativeName)
        .value
    )
    assert ipaddress.ip_address("127.0.0.1") in names.get_values_for_type(x509.IPAddress)
    assert "localhost" in names.get_values_for_type(x509.DNSName)
    assert cert_path.read_bytes() == first


def test_private_key_file_is_readable_only_by_its_owner(tmp_path: Path) -> None:
    _, key_path = ensure_certificate(tmp_path, "127.0.0.1")

    assert key_path.stat().st_mode & 0o077 == 0
