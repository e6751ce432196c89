"""Content negotiation for the gzipped copies bot/web/build.mjs writes beside the scripts."""

from __future__ import annotations


def accepts_gzip(accept_encoding: str) -> bool:
    """`gzip` listed without `q=0` (RFC 9110 §12.5.3)."""
    for part in accept_encoding.split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "x-gzip"):
            return params.replace(" ", "").lower() not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False
