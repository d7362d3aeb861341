"""Datasette plugin for `tinhuy browse`: the reading view (crawler/browse/templates/).

- SQL functions for the `search` canned query: `tinhuy_match(q)`, the FTS5 query of a
  search box's text as `tinhuy search` reads it, and `tinhuy_excerpt(text, q)`;
- template filters: JSON columns as values, bodies as paragraphs, dates as a Vietnamese
  reader writes them, the searched words highlighted, one-line excerpts;
- `_document=` and `_official=` on the articles table: the articles that cite a document
  or name an official (the links of the article page and of the facets);
- `tinhuy_article(database, id)` for the article page: its other URLs, its versions and
  its related articles as stored ones where the archive has them."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from datasette import hookimpl
from datasette.filters import FilterArguments
from jinja2 import Environment

from crawler.browse_plugins.words import excerpt, highlight, match_query

# Query-string argument -> (fact table, its column, how a filter reads).
FACT_FILTERS = {
    "_document": ("article_documents", "doc_id", "cites {}"),
    "_official": ("article_officials", "name", "names {}"),
}


@hookimpl
def prepare_connection(conn: Any) -> None:
    conn.create_function("tinhuy_match", 1, match_query, deterministic=True)
    conn.create_function("tinhuy_excerpt", 2, excerpt, deterministic=True)


@hookimpl
def prepare_jinja2_environment(env: Environment) -> None:
    env.filters["tinhuy_json"] = from_json
    env.filters["tinhuy_paragraphs"] = paragraphs
    env.filters["tinhuy_date"] = reader_date
    env.filters["tinhuy_highlight"] = highlight
    env.filters["tinhuy_excerpt"] = excerpt


def from_json(value: Any) -> Any:
    """A JSON column's value; a value that is not JSON text as it is."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def paragraphs(body: str | None, lead: str | None = None) -> list[str]:
    """The paragraphs of a body (separated by blank lines), without the lead that
    the body repeats first."""
    found = [p.strip() for p in (body or "").split("\n\n") if p.strip()]
    if found and lead and found[0] == lead.strip():
        found = found[1:]
    return found


def reader_date(value: str | None) -> str:
    """`2021-04-21T08:45:00+07:00` as `21/04/2021 08:45`, `2021-04-21` as `21/04/2021`
    (the archive's times are the site's, +07:00); anything else as it is."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return moment.strftime("%d/%m/%Y" if len(value) == 10 else "%d/%m/%Y %H:%M")


@hookimpl
def filters_from_request(request: Any, table: str) -> FilterArguments | None:
    if table != "articles":
        return None
    wheres, params, described = [], {}, []
    for arg, (fact_table, column, reads) in FACT_FILTERS.items():
        for i, value in enumerate(request.args.getlist(arg)):
            name = f"tinhuy{arg}_{i}"
            wheres.append(f"id in (select article_id from {fact_table} where {column} = :{name})")
            params[name] = value
            described.append(reads.format(value))
    return FilterArguments(wheres, params, described)


@hookimpl
def extra_template_vars(datasette: Any, view_name: str, table: str | None) -> dict[str, Any]:
    if view_name != "row" or table != "articles":
        return {}

    async def tinhuy_article(database: str, article_id: int) -> dict[str, Any]:
        db = datasette.get_database(database)
        urls = await db.execute(
            "select url, first_seen, last_seen from article_urls "
            "where article_id = ? order by first_seen, url",
            [article_id],
        )
        versions = await db.execute(
            "select id, version, title, first_seen, last_seen from article_versions "
            "where article_id = ? order by version",
            [article_id],
        )
        stored_row = await db.execute("select related from articles where id = ?", [article_id])
        related = from_json(stored_row.first()["related"]) or []
        stored = {}
        if related:
            marks = ", ".join("?" for _ in related)
            found = await db.execute(
                f"select u.url, a.id, a.title from article_urls u "
                f"join articles a on a.id = u.article_id where u.url in ({marks})",
                related,
            )
            stored = {row["url"]: row for row in found.rows}
        return {
            "urls": urls.rows,
            "versions": versions.rows,
            "related": [(url, stored.get(url)) for url in related],
        }

    return {"tinhuy_article": tinhuy_article}
