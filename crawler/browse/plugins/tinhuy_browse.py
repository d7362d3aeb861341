"""Datasette plugin for `tinhuy browse`: search as the archive indexes, the facets of
crawler/browse_plugins/facets.py, article bodies shown as paragraphs of text and JSON
columns as the text they hold. Loaded with --plugins-dir."""

from __future__ import annotations

import html
import json
from typing import Any

from datasette import hookimpl
from datasette.facets import Facet
from markupsafe import Markup

from crawler.browse_plugins.facets import DocumentFacet, MonthFacet, OfficialFacet
from crawler.browse_plugins.words import match_query


@hookimpl(trylast=True)
def prepare_connection(conn: Any) -> None:
    # The search box reads a query as `tinhuy search` does (quoted phrases, đ folded
    # as the index holds it, operators never syntax); trylast so that this replaces
    # Datasette's own escape_fts, which its search SQL calls.
    conn.create_function("escape_fts", 1, match_query, deterministic=True)


@hookimpl
def render_cell(value: Any, column: str, table: str | None) -> Markup | None:
    if table == "articles" and column == "body" and isinstance(value, str):
        # Paragraphs are separated by blank lines; HTML would run them together.
        return Markup(
            '<div style="white-space: pre-wrap; max-height: 20em; overflow: auto; '
            f'min-width: 30em">{html.escape(value)}</div>'
        )
    if isinstance(value, str) and value[:1] in ("[", "{") and value[-1:] in ("]", "}"):
        # JSON written with \u escapes reads as the text it holds.
        try:
            parsed = json.loads(value)
        except ValueError:
            return None
        return Markup("<code>{}</code>").format(json.dumps(parsed, ensure_ascii=False))
    return None


@hookimpl
def register_facet_classes() -> list[type[Facet]]:
    return [MonthFacet, DocumentFacet, OfficialFacet]
