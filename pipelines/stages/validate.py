"""Which items are not articles worth storing, and why."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

REQUIRED = ("title", "body")


def problems(item: Mapping[str, Any]) -> list[str]:
    """Reasons to drop the item; empty when it can be stored."""
    reasons = [f"no {field}" for field in REQUIRED if not item.get(field)]
    if item.get("is_article") is False:
        reasons.insert(0, "not an article page")
    return reasons
