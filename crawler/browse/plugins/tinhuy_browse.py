"""Datasette plugin for `tinhuy browse`: search as the archive indexes, a month facet,
and article bodies shown as paragraphs of text. Loaded with --plugins-dir."""

from __future__ import annotations

import html
from typing import Any

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.utils import escape_fts, escape_sqlite, path_with_added_args, path_with_removed_args
from markupsafe import Markup

from pipelines.archive.search_index import fold_for_search


@hookimpl(trylast=True)
def prepare_connection(conn: Any) -> None:
    # The index holds đ folded to d (the tokenizer folds marks, and đ is a letter),
    # so the search box must fold it too; trylast so that this replaces Datasette's
    # own escape_fts, which its search SQL calls.
    conn.create_function(
        "escape_fts", 1, lambda q: escape_fts(fold_for_search(q)), deterministic=True
    )


@hookimpl
def render_cell(value: Any, column: str, table: str | None) -> Markup | None:
    if table == "articles" and column == "body" and isinstance(value, str):
        # Paragraphs are separated by blank lines; HTML would run them together.
        return Markup(
            '<div style="white-space: pre-wrap; max-height: 20em; overflow: auto; '
            f'min-width: 30em">{html.escape(value)}</div>'
        )
    return None


@hookimpl
def register_facet_classes() -> list[type[Facet]]:
    return [MonthFacet]


class MonthFacet(Facet):
    """Counts by `YYYY-MM` of an ISO date column (`_facet_month=published`); a value
    filters with `published__startswith=YYYY-MM`."""

    type = "month"

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        results: list[dict[str, Any]] = []
        timed_out: list[str] = []
        args = dict(self.get_querystring_pairs())
        size = self.get_facet_size()
        for source_and_config in self.get_configs():
            config = source_and_config["config"]
            column = config.get("column") or config["simple"]
            month = f"substr({escape_sqlite(column)}, 1, 7)"
            sql = (
                f"select {month} as value, count(*) as count from ({self.sql}) "
                f"where {escape_sqlite(column)} glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]*' "
                f"group by value order by value desc limit {size + 1}"
            )
            try:
                rows = (
                    await self.ds.execute(
                        self.database,
                        sql,
                        self.params,
                        truncate=False,
                        custom_time_limit=self.ds.setting("facet_time_limit_ms"),
                    )
                ).rows
            except QueryInterrupted:  # a facet too slow is left out, as Datasette does
                timed_out.append(column)
                continue
            key = f"{column}__startswith"
            values = []
            for row in rows[:size]:
                selected = args.get(key) == row["value"]
                change = path_with_removed_args if selected else path_with_added_args
                values.append(
                    {
                        "value": row["value"],
                        "label": row["value"],
                        "count": row["count"],
                        "toggle_url": self.ds.absolute_url(
                            self.request, change(self.request, {key: row["value"]})
                        ),
                        "selected": selected,
                    }
                )
            results.append(
                {
                    "name": f"{column} (month)",
                    "type": self.type,
                    "results": values,
                    "hideable": source_and_config["source"] != "metadata",
                    "toggle_url": path_with_removed_args(self.request, {"_facet_month": column}),
                    "truncated": len(rows) > size,
                }
            )
        return results, timed_out
