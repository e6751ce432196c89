"""Transport-neutral request and response values passed between the HTTP layer and the API."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import parse_qs, unquote

JSON_UTF8 = "application/json; charset=utf-8"


@dataclass(frozen=True)
class Request:
    method: str
    target: str  # path and query exactly as on the wire
    headers: dict[str, str]  # names lower-cased
    body: bytes
    scheme: str = "http"

    @cached_property
    def raw_path(self) -> str:
        return self.target.partition("?")[0]

    @cached_property
    def raw_query(self) -> str:
        return self.target.partition("?")[2]

    @cached_property
    def segments(self) -> list[str]:
        """Decoded path segments; empty ones dropped (a doubled slash routes like a single one)."""
        return [unquote(part) for part in self.raw_path.split("/") if part]

    @cached_property
    def query(self) -> dict[str, str]:
        return {key: values[0] for key, values in parse_qs(self.raw_query).items()}

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name.lower(), default)

    @property
    def host(self) -> str:
        return self.header("host")


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def json_bytes(payload: Any) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()


def json_response(status: int, payload: Any, content_type: str = JSON_UTF8) -> Response:
    return Response(status, json_bytes(payload), {"Content-Type": content_type})
