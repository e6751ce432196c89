"""The vendored ACS web Calling SDK that bot/web/build.mjs writes to bot/web/static/vendor/.

The files are built from npm, never committed (the SDK's licence: shared/reference/JOIN.md §1.6),
so a checkout has none until someone runs BUILD_COMMAND. build.mjs also writes vendor.json: each
served file with the first 12 hex characters of its sha256 and its size, the package versions,
and which file answers each bare specifier of the page's import map. `load_vendor` reads it, so
the server can serve every file under a content-addressed, immutable URL (`url_name`) and
name the missing build in its error instead of answering 404s to the browser.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Final

VENDOR_DIR: Final = Path(__file__).parent / "static" / "vendor"
MANIFEST: Final = "vendor.json"
BUILD_COMMAND: Final = "cd bot/web && npm ci && npm run build"

_DIGEST = re.compile(r"[0-9a-f]{12}")


class VendorBuildError(RuntimeError):
    """The vendor build is missing, stale or damaged; the message says how to rebuild it."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"{problem}. Build the join page's vendored Calling SDK: {BUILD_COMMAND}")


@dataclass(frozen=True)
class VendorFile:
    name: str
    digest: str  # the first 12 hex characters of the file's sha256
    size: int

    @property
    def url_name(self) -> str:
        """The name with the digest before its extension (communication-calling.<digest>.js):
        a new build gives a new URL, so a response may be cached forever (immutable)."""
        path = PurePosixPath(self.name)
        return f"{path.stem}.{self.digest}{path.suffix}"


@dataclass(frozen=True)
class VendorBuild:
    directory: Path
    files: tuple[VendorFile, ...]
    versions: dict[str, str]  # npm package -> version, as package.json pins them
    bundled: dict[str, str]  # every package the two shims contain -> version (for NOTICES)
    imports: dict[str, str]  # bare specifier ("@azure/logger") -> file name, for the import map

    def file(self, name: str) -> VendorFile:
        """The file called `name` (KeyError if the build has none)."""
        for found in self.files:
            if found.name == name:
                return found
        raise KeyError(name)

    def by_url_name(self, url_name: str) -> VendorFile | None:
        """The file a content-addressed URL names, or None (unknown or from an older build)."""
        return next((f for f in self.files if f.url_name == url_name), None)

    def path(self, file: VendorFile) -> Path:
        return self.directory / file.name


def load_vendor(directory: Path = VENDOR_DIR) -> VendorBuild:
    """Reads `directory`/vendor.json and checks that every file it lists is there at its size
    (a cheap stat: a half-copied or hand-edited build fails here, at startup, not per request)."""
    try:
        raw = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise VendorBuildError(f"{directory / MANIFEST} does not exist") from None
    except (OSError, ValueError) as error:
        raise VendorBuildError(f"{directory / MANIFEST} cannot be read ({error})") from error
    build = _parse(raw, directory)
    for file in build.files:
        path = build.path(file)
        if not path.is_file() or path.stat().st_size != file.size:
            raise VendorBuildError(f"{path} is missing or not the size vendor.json says")
    return build


def _parse(raw: Any, directory: Path) -> VendorBuild:
    where = directory / MANIFEST
    try:
        files = tuple(_file(entry) for entry in raw["files"])
        build = VendorBuild(
            directory=directory,
            files=files,
            versions=_strings(raw["versions"]),
            bundled=_strings(raw["bundled"]),
            imports=_strings(raw["imports"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise VendorBuildError(f"{where} is not what build.mjs writes ({error!r})") from error
    names = {file.name for file in files}
    unlisted = sorted(set(build.imports.values()) - names)
    if unlisted:
        raise VendorBuildError(f"{where} maps imports to unlisted files {unlisted}")
    return build


def _file(entry: Any) -> VendorFile:
    name, digest, size = entry["name"], entry["sha256"], entry["size"]
    # The name becomes part of a URL and a path under the vendor directory: a bare file name only.
    if not isinstance(name, str) or not name or PurePosixPath(name).name != name:
        raise ValueError(f"bad file name {name!r}")
    if not isinstance(digest, str) or not _DIGEST.fullmatch(digest):
        raise ValueError(f"bad sha256 prefix {digest!r} for {name}")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise ValueError(f"bad size {size!r} for {name}")
    return VendorFile(name=name, digest=digest, size=size)


def _strings(mapping: Any) -> dict[str, str]:
    if not isinstance(mapping, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
    ):
        raise ValueError(f"expected an object of strings, got {mapping!r}")
    return dict(mapping)
