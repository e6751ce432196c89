"""Static files gzipped once and kept in memory: the Calling SDK is 7.4 MB raw, 1.8 MB
gzipped, and every first join downloads it. Each file is compressed on its first request
(about half a second for the SDK), then served from memory to every client that accepts gzip."""

from __future__ import annotations

import gzip
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


class GzipCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done: dict[Path, bytes] = {}

    def get(self, path: Path) -> bytes:
        with self._lock:  # one compression per file, however many first visitors arrive
            found = self._done.get(path)
            if found is None:
                found = gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)
                self._done[path] = found
            return found


def accepts_gzip(accept_encoding: str) -> bool:
    """`gzip` listed without `q=0` (RFC 9110 §12.5.3)."""
    for part in accept_encoding.split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "x-gzip"):
            return params.replace(" ", "").lower() not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False
