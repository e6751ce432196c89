"""The headers every join-page response carries: a strict Content-Security-Policy (scripts only
from RoomBot itself plus the one inline import map, by nonce; connections only to RoomBot and
the Microsoft hosts the Calling SDK needs), no framing, no referrer, no caching of anything
personal."""

from __future__ import annotations

import secrets
from typing import Final

# Where the web Calling SDK connects: configuration, signalling, TURN, conversation and
# telemetry hosts (shared/reference/JOIN.md §1.5, Microsoft's network-requirements page).
SDK_CONNECT: Final = (
    "https://*.communication.azure.com",
    "https://*.communication.microsoft.com",
    "wss://*.communication.microsoft.com",
    "https://*.skype.com",
    "wss://*.skype.com",
    "https://*.microsoft.com",
    "wss://*.microsoft.com",
    "https://*.teams.microsoft.com",
)


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def page_headers(nonce: str, *, extra_connect: str | None = None) -> dict[str, str]:
    connect = (*SDK_CONNECT, extra_connect) if extra_connect else SDK_CONNECT
    policy = "; ".join(
        (
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            "img-src 'self' data: blob:",
            "media-src 'self' blob:",
            "worker-src 'self' blob:",
            "connect-src 'self' " + " ".join(connect),
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'self'",
        )
    )
    return {
        "Content-Security-Policy": policy,
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
        # Camera and microphone for this page only; nothing else may ask.
        "Permissions-Policy": "camera=(self), microphone=(self), display-capture=(self)",
    }
