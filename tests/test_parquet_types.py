"""Parquet's `published` and `updated`: timestamps with time zone (+07:00), a date printed
without a time as midnight with `date` in its precision column; read back with pyarrow
and checked against the strings the archive stores."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import tests.test_dump as generated
from tests.helpers import tinhuy

TIMESTAMP = pa.timestamp("us", tz="+07:00")


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """The dump tests' generated archive (every 7th article dated without a time), with
    an update time on a few articles: a date alone on one, a time on another."""
    db = tmp_path_factory.mktemp("types") / "archive.db"
    generated.make_archive(db, 30)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE articles SET updated = '2021-02-03' WHERE id = 3")
        conn.execute("UPDATE articles SET updated = '2021-02-04T18:05:00+07:00' WHERE id = 4")
    return db


def stored(db) -> dict[int, tuple[str | None, str | None]]:
    with sqlite3.connect(db) as conn:
        return {
            i: (p, u) for i, p, u in conn.execute("SELECT id, published, updated FROM articles")
        }


def expected_moment(printed: str | None) -> tuple[datetime | None, str | None]:
    """The timestamp and precision docs/schema.md promises for a printed value."""
    if printed is None:
        return None, None
    if len(printed) == 10:
        return datetime.fromisoformat(printed + "T00:00:00+07:00"), "date"
    return datetime.fromisoformat(printed), "datetime"


def test_published_and_updated_are_timestamps_with_their_precision(archive, tmp_path) -> None:
    out = tmp_path / "articles.parquet"
    tinhuy("dump", "--format", "parquet", "--out", str(out), "--db", str(archive),
           "--include-duplicates", "--with-versions")  # fmt: skip
    schema = pq.read_schema(out)
    for name in ("published", "updated", "first_seen", "last_seen"):
        assert schema.field(name).type == TIMESTAMP, name
    for name in ("published_precision", "updated_precision"):
        assert schema.field(name).type == pa.string(), name
    version = schema.field("versions").type.value_type
    assert version.field("published").type == TIMESTAMP
    assert version.field("published_precision").type == pa.string()

    rows = pq.read_table(out).to_pylist()
    truth = stored(archive)
    assert len(rows) == len(truth)
    kinds = set()
    for row in rows:
        published, updated = truth[row["id"]]
        assert (row["published"], row["published_precision"]) == expected_moment(published)
        assert (row["updated"], row["updated_precision"]) == expected_moment(updated)
        assert row["published"].utcoffset().total_seconds() == 7 * 3600
        first = row["versions"][0]
        assert first["published_precision"] == row["published_precision"]
        kinds.add(row["published_precision"])
    assert kinds == {"date", "datetime"}
    assert rows[2]["updated_precision"] == "date" and rows[3]["updated_precision"] == "datetime"
