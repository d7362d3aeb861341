"""Facets of `tinhuy browse` that Datasette has no class for: the month of an ISO date
column, and the documents cited and officials named (the fact tables), each value a
link that narrows the list as the reading view's own links do."""

from __future__ import annotations

from typing import Any

from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args


class _CountsFacet(Facet):
    """A facet whose counts come from one query per configured column; a value toggles
    the query-string argument `key(column)`. Datasette labels it `column (type)`."""

    def counts_sql(self, column: str, limit: int) -> str:
        raise NotImplementedError

    def key(self, column: str) -> str:
        raise NotImplementedError

    def value_label(self, value: str) -> str:
        return value

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        results: list[dict[str, Any]] = []
        timed_out: list[str] = []
        args = self.get_querystring_pairs()
        size = self.get_facet_size()
        for source_and_config in self.get_configs():
            config = source_and_config["config"]
            column = config.get("column") or config["simple"]
            try:
                rows = (
                    await self.ds.execute(
                        self.database,
                        self.counts_sql(column, size + 1),
                        self.params,
                        truncate=False,
                        custom_time_limit=self.ds.setting("facet_time_limit_ms"),
                    )
                ).rows
            except QueryInterrupted:  # a facet too slow is left out, as Datasette does
                timed_out.append(column)
                continue
            key = self.key(column)
            values = []
            for row in rows[:size]:
                value = str(row["value"])
                selected = (key, value) in args
                change = path_with_removed_args if selected else path_with_added_args
                values.append(
                    {
                        "value": value,
                        "label": self.value_label(value),
                        "count": row["count"],
                        "toggle_url": self.ds.absolute_url(
                            self.request, change(self.request, {key: value})
                        ),
                        "selected": selected,
                    }
                )
            results.append(
                {
                    "name": column,
                    "type": self.type,
                    "results": values,
                    "hideable": source_and_config["source"] != "metadata",
                    "toggle_url": path_with_removed_args(
                        self.request, {f"_facet_{self.type}": column}
                    ),
                    "truncated": len(rows) > size,
                }
            )
        return results, timed_out


class MonthFacet(_CountsFacet):
    """Counts by `YYYY-MM` of an ISO date column (`_facet_month=published`); a value
    filters with `published__startswith=YYYY-MM`."""

    type = "month"

    def counts_sql(self, column: str, limit: int) -> str:
        month = f"substr({escape_sqlite(column)}, 1, 7)"
        return (
            f"select {month} as value, count(*) as count from ({self.sql}) "
            f"where {escape_sqlite(column)} glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]*' "
            f"group by value order by value desc limit {limit}"
        )

    def key(self, column: str) -> str:
        return f"{column}__startswith"

    def value_label(self, value: str) -> str:
        year, month = value.split("-")
        return f"{month}/{year}"


class _FactFacet(_CountsFacet):
    """Counts of the articles in view by a column of a fact table (joined on
    article_id); a value filters with the reading plugin's `_document`/`_official`."""

    fact_table = ""
    fact_column = ""
    arg = ""

    def counts_sql(self, column: str, limit: int) -> str:
        value = escape_sqlite(self.fact_column)
        return (
            f"select {value} as value, count(*) as count from {escape_sqlite(self.fact_table)} "
            f"where article_id in (select id from ({self.sql})) "
            f"group by {value} order by count desc, value limit {limit}"
        )

    def key(self, column: str) -> str:
        return self.arg


class DocumentFacet(_FactFacet):
    """`{"cited": "documents"}`, labelled `documents (cited)`: the documents the
    articles cite, by doc_id."""

    type = "cited"
    fact_table, fact_column, arg = "article_documents", "doc_id", "_document"


class OfficialFacet(_FactFacet):
    """`{"named": "officials"}`, labelled `officials (named)`: the officials the
    articles name."""

    type = "named"
    fact_table, fact_column, arg = "article_officials", "name", "_official"
