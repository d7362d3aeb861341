"""The facts stage: the event date of the lead, documents cited and officials named."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crawler.extract.facts import cited_documents, event_date, officials


def with_facts(item: Mapping[str, Any]) -> dict[str, Any]:
    """Event date, cited documents and officials named (crawler/extract/facts/)."""
    out = dict(item)
    body = out.get("body") or ""
    lead = out.get("lead") or body.split("\n\n", 1)[0]
    out["event_date"], out["event_part_of_day"] = event_date(lead, published=out.get("published"))
    out["documents"] = cited_documents(body)
    author = [out["author"]] if out.get("author") else []
    out["officials"] = officials(body, exclude=author)
    return out
