"""Files uploaded the v2 way: reserve an id, POST the bytes, then complete."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass

from slack_standin.wire import ApiError


@dataclass
class UploadedFile:
    id: str
    name: str
    length: int
    data: bytes | None = None
    title: str | None = None
    completed: bool = False

    @property
    def mimetype(self) -> str:
        return mimetypes.guess_type(self.name)[0] or "application/octet-stream"


class Uploads:
    def __init__(self) -> None:
        self._files: dict[str, UploadedFile] = {}

    def reserve(self, file_id: str, name: str, length: int) -> UploadedFile:
        self._files[file_id] = UploadedFile(file_id, name, length)
        return self._files[file_id]

    def receive(self, file_id: str, data: bytes) -> UploadedFile:
        found = self.get(file_id)
        if found is None or found.completed:
            raise ApiError("file_not_found", status=404)
        found.data = data
        return found

    def complete(self, file_id: str, title: str | None) -> UploadedFile:
        found = self.get(file_id)
        # Completing before the bytes arrived is the classic v2 mistake; refuse it.
        if found is None or found.data is None or found.completed:
            raise ApiError("file_not_found")
        found.title = title or found.name
        found.completed = True
        return found

    def get(self, file_id: str) -> UploadedFile | None:
        return self._files.get(file_id)
