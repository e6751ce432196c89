"""bot/web/vendor.py on hand-written vendor directories: no npm build needed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.web.vendor import BUILD_COMMAND, VendorBuildError, load_vendor


def write_build(directory: Path, **changes: Any) -> dict[str, Any]:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "azure-logger.js").write_bytes(b"export{};")
    manifest: dict[str, Any] = {
        "versions": {"@azure/logger": "1.3.0"},
        "bundled": {"@azure/logger": "1.3.0"},
        "imports": {"@azure/logger": "azure-logger.js"},
        "files": [{"name": "azure-logger.js", "sha256": "0123456789ab", "size": 9}],
        **changes,
    }
    (directory / "vendor.json").write_text(json.dumps(manifest), encoding="utf-8")
    return manifest


def test_it_reads_files_versions_and_the_import_map(tmp_path: Path) -> None:
    write_build(tmp_path)
    build = load_vendor(tmp_path)
    logger = build.file("azure-logger.js")
    assert (logger.digest, logger.size) == ("0123456789ab", 9)
    assert build.versions == {"@azure/logger": "1.3.0"}
    assert build.imports == {"@azure/logger": "azure-logger.js"}
    assert build.path(logger) == tmp_path / "azure-logger.js"


def test_a_url_name_carries_the_digest_before_the_extension(tmp_path: Path) -> None:
    write_build(tmp_path)
    build = load_vendor(tmp_path)
    assert build.file("azure-logger.js").url_name == "azure-logger.0123456789ab.js"
    assert build.by_url_name("azure-logger.0123456789ab.js") == build.file("azure-logger.js")
    assert build.by_url_name("azure-logger.ffffffffffff.js") is None
    assert build.by_url_name("azure-logger.js") is None


def test_a_missing_build_names_the_command_that_makes_it(tmp_path: Path) -> None:
    with pytest.raises(VendorBuildError) as raised:
        load_vendor(tmp_path / "vendor")
    assert BUILD_COMMAND == "cd bot/web && npm ci && npm run build"
    assert str(raised.value).endswith(BUILD_COMMAND)
    assert "vendor.json does not exist" in str(raised.value)


def test_a_file_of_another_size_than_listed_fails_the_load(tmp_path: Path) -> None:
    write_build(tmp_path)
    (tmp_path / "azure-logger.js").write_bytes(b"export{};//")
    with pytest.raises(VendorBuildError, match="not the size"):
        load_vendor(tmp_path)


@pytest.mark.parametrize(
    "changes",
    [
        {"files": [{"name": "../azure-logger.js", "sha256": "0123456789ab", "size": 9}]},
        {"files": [{"name": "azure-logger.js", "sha256": "XYZ", "size": 9}]},
        {"files": [{"name": "azure-logger.js", "sha256": "0123456789ab", "size": "9"}]},
        {"imports": {"@azure/logger": "elsewhere.js"}},
        {"versions": ["1.3.0"]},
    ],
    ids=["path-in-name", "bad-digest", "size-not-int", "unlisted-import", "versions-not-object"],
)
def test_a_manifest_unlike_build_mjs_output_is_refused(
    tmp_path: Path, changes: dict[str, Any]
) -> None:
    write_build(tmp_path, **changes)
    with pytest.raises(VendorBuildError, match="npm run build"):
        load_vendor(tmp_path)


def test_a_manifest_that_is_not_json_is_refused(tmp_path: Path) -> None:
    write_build(tmp_path)
    (tmp_path / "vendor.json").write_text("{", encoding="utf-8")
    with pytest.raises(VendorBuildError, match="cannot be read"):
        load_vendor(tmp_path)
