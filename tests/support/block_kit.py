"""Reading Block Kit surfaces in tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def every_object(node: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in a surface (blocks, elements, text objects), depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from every_object(value)
    elif isinstance(node, list):
        for value in node:
            yield from every_object(value)
