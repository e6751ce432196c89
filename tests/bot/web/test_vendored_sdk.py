"""The vendored Calling SDK (bot/web/build.mjs): unmodified, as vendor.json describes it, and
loadable in Chromium through an import map with nothing but localhost reachable.

The page here is a stand-in for the join page: it only proves the vendoring and the import-map
wiring (JOIN.md §7, tier 3), served by http.server under the content-addressed names
bot/web/vendor.py gives, as the real server will serve them.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from bot.web.vendor import VENDOR_DIR, VendorBuild
from tests.support.browser import unavailable

if TYPE_CHECKING:
    from playwright.sync_api import Page

WEB = VENDOR_DIR.parents[1]
SDK_PACKAGE = WEB / "node_modules" / "@azure" / "communication-calling"
# The SDK's first two lines (its file has CRLF line ends; compared line by line).
MICROSOFT_HEADER = (
    b"// Copyright (c) Microsoft Corporation. All rights reserved.",
    b"// Licensed under the Microsoft Software License Terms",
)

PAGE = """<!doctype html>
<meta charset="utf-8">
<title>vendored SDK smoke test</title>
<script type="importmap">{"imports": %s}</script>
<script type="module">
  import { CallClient } from "@azure/communication-calling";
  import { AzureCommunicationTokenCredential } from "@azure/communication-common";
  window.vendored = { CallClient, AzureCommunicationTokenCredential };
</script>
"""


def import_map(build: VendorBuild) -> dict[str, str]:
    return {spec: f"/vendor/{build.file(name).url_name}" for spec, name in build.imports.items()}


def handler_for(build: VendorBuild) -> type[BaseHTTPRequestHandler]:
    page = (PAGE % json.dumps(import_map(build))).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/":
                self.answer(page, "text/html; charset=utf-8")
                return
            found = build.by_url_name(self.path.removeprefix("/vendor/"))
            if not self.path.startswith("/vendor/") or found is None:
                self.send_error(404)
                return
            # Module scripts need a JavaScript MIME type; browsers refuse them otherwise.
            kind = "text/javascript" if found.name.endswith(".js") else "text/plain"
            self.answer(build.path(found).read_bytes(), f"{kind}; charset=utf-8")

        def answer(self, body: bytes, content_type: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def page_url(vendor_build: VendorBuild) -> Iterator[str]:
    server = ThreadingHTTPServer(("localhost", 0), handler_for(vendor_build))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        # The name localhost, not the bound address: the SDK demands a secure context.
        yield f"http://localhost:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def unsigned_jwt(claims: dict[str, Any]) -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


CONSTRUCT = """async (token) => {
  const { CallClient, AzureCommunicationTokenCredential } = window.vendored;
  const client = new CallClient();
  const credential = new AzureCommunicationTokenCredential(token);
  const accessToken = await credential.getToken();
  credential.dispose();
  return {
    isCallClient: client instanceof CallClient,
    createsCallAgents: typeof client.createCallAgent === "function",
    token: accessToken.token,
    expiresOnTimestamp: accessToken.expiresOnTimestamp,
  };
}"""


def test_the_sdk_loads_through_the_import_map_with_only_localhost_reachable(
    page: Page, page_url: str, blocked_urls: list[str]
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_url)
    page.wait_for_function("() => window.vendored !== undefined", timeout=30_000)

    exp = int(time.time()) + 3600
    # The credential only decodes `exp` (JOIN.md §1.3): an unsigned token is enough offline.
    token = unsigned_jwt({"skypeid": "acs:smoke-test", "scp": 1792, "exp": exp})
    result = page.evaluate(CONSTRUCT, token)

    assert result == {
        "isCallClient": True,
        "createsCallAgents": True,
        "token": token,
        "expiresOnTimestamp": exp * 1000,
    }
    assert errors == []
    assert all("localhost" not in url for url in blocked_urls)


def sha256_prefix(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def test_the_sdk_is_served_byte_for_byte_as_npm_ships_it(vendor_build: VendorBuild) -> None:
    shipped = SDK_PACKAGE / "dist-esm" / "sdk.bundle.js"
    if not shipped.is_file():
        unavailable(f"no {shipped}: cd bot/web && npm ci")
    served = vendor_build.path(vendor_build.file("communication-calling.js"))
    assert served.read_bytes() == shipped.read_bytes()
    copyright_line, licence_line = served.read_bytes()[:512].splitlines()[:2]
    assert copyright_line == MICROSOFT_HEADER[0]
    assert licence_line.startswith(MICROSOFT_HEADER[1])
    for notice in ("LICENSE", "NOTICES.txt"):
        assert (
            vendor_build.path(vendor_build.file(notice)).read_bytes()
            == (SDK_PACKAGE / notice).read_bytes()
        )


def test_vendor_json_describes_every_file_the_build_wrote(vendor_build: VendorBuild) -> None:
    """Each listed file, and beside each script its gzipped copy (served as is)."""
    on_disk = {p.name for p in VENDOR_DIR.iterdir()} - {"vendor.json"}
    listed = {f.name for f in vendor_build.files}
    assert on_disk == listed | {f"{name}.gz" for name in listed if name.endswith(".js")}
    for name in (n for n in listed if n.endswith(".js")):
        assert (
            gzip.decompress((VENDOR_DIR / f"{name}.gz").read_bytes())
            == (VENDOR_DIR / name).read_bytes()
        )
    for file in vendor_build.files:
        path = vendor_build.path(file)
        assert (file.digest, file.size) == (sha256_prefix(path), path.stat().st_size), file.name


def test_the_versions_are_the_pinned_ones_and_each_shim_names_its_licences(
    vendor_build: VendorBuild,
) -> None:
    pinned = json.loads((WEB / "package.json").read_text(encoding="utf-8"))["dependencies"]
    assert vendor_build.versions == pinned
    assert set(vendor_build.imports) == set(pinned)
    for shim in ("azure-logger.js", "azure-communication-common.js"):
        text = vendor_build.path(vendor_build.file(shim)).read_text(encoding="utf-8")
        banner, _, _ = text.partition("*/")
        assert banner.startswith("/*! ")
        assert "azure-shims.LICENSES.txt" in banner
