from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from slack_standin import demo_workspace

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"


def test_users_are_found_by_id_and_by_name() -> None:
    workspace = demo_workspace()

    assert workspace.user("ana") is workspace.user("U06ANA1001")


def test_channels_and_groups_are_found_by_name_with_or_without_sigil() -> None:
    workspace = demo_workspace()

    assert workspace.channel("#design").id == "C0DESIGN"
    assert workspace.usergroup("@design").id == "S0DESIGN"


def test_an_unknown_name_raises_key_error() -> None:
    with pytest.raises(KeyError, match="zed"):
        demo_workspace().user("zed")


def test_humans_leave_out_bots_and_deactivated_people() -> None:
    names = [u.name for u in demo_workspace().humans()]

    assert names == ["ana", "ben", "cho", "dev", "eve"]


def test_general_holds_every_active_person() -> None:
    workspace = demo_workspace()

    assert workspace.channel("general").members == [u.id for u in workspace.humans()]


def test_each_demo_workspace_is_independent() -> None:
    first, second = demo_workspace(), demo_workspace()

    first.channel("design").members.clear()

    assert second.channel("design").members != []


def test_display_name_covers_users_channels_and_groups() -> None:
    workspace = demo_workspace()
    names = [workspace.display_name(i) for i in ("U06BEN1002", "C0DESIGN", "S0DESIGN", "X1")]

    assert names == ["ben", "design", "design", "X1"]


def test_the_demo_workspace_grants_exactly_the_manifests_bot_scopes() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())

    assert sorted(demo_workspace().scopes) == sorted(manifest["oauth_config"]["scopes"]["bot"])


def test_the_demo_workspace_unfurls_exactly_the_manifests_domains() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())

    assert demo_workspace().unfurl_domains == manifest["features"]["unfurl_domains"]


def test_a_workspace_adopts_a_manifests_unfurl_domains_and_functions() -> None:
    step = {"title": "Create room", "description": "", "input_parameters": {}}
    manifest = {"features": {"unfurl_domains": ["a.example"]}, "functions": {"create": step}}

    workspace = demo_workspace().adopt_manifest(manifest)

    assert workspace.unfurl_domains == ["a.example"]
    assert workspace.functions == {"create": step}
