"""crawler/model.py is the one list of article fields: everything else is read from it."""

from __future__ import annotations

import json
from pathlib import Path

from crawler.extract import extract_article
from crawler.model import CONTENT_FIELDS, DUMP_FIELDS, EXTRACTED, ITEM_FIELDS, json_schema
from crawler.spiders.items import Article
from pipelines.archive.dump.writers import parquet_schema
from pipelines.archive.schema import articles

ROOT = Path(__file__).resolve().parents[1]


def test_the_committed_json_schema_is_the_generated_one() -> None:
    committed = json.loads((ROOT / "docs" / "article.schema.json").read_text("utf-8"))
    assert committed == json_schema(), (
        "docs/article.schema.json is stale: regenerate it from crawler.model.json_schema()"
    )


def test_extraction_returns_every_extracted_field_and_no_other() -> None:
    assert set(extract_article(b"", "http://example.vn/")) == set(EXTRACTED)
    page = "<html><body><h1>Tiêu đề</h1><p>" + "Nội dung bài viết. " * 30 + "</p></body></html>"
    assert set(extract_article(page, "http://example.vn/a.html")) == set(EXTRACTED)


def test_the_item_the_archive_and_the_dumps_follow_the_model() -> None:
    assert set(Article.fields) == set(ITEM_FIELDS)
    assert set(CONTENT_FIELDS) <= set(articles.c.keys())
    assert parquet_schema().names == [*DUMP_FIELDS, "published_precision", "updated_precision"]
    assert list(json_schema()["required"]) == list(DUMP_FIELDS)
