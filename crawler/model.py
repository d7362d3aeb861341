"""The one definition of an article: every field, what it holds, and where it goes.

The extractor's empty result, the Scrapy item, the archive's content columns and
versions, the dump columns in their order, their Parquet types and the JSON Schema
of a dumped line are all read from `FIELDS`. Adding a field is one entry here (and a
migration in pipelines/archive/schema.py when the archive stores it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal[
    "int", "float", "bool", "bytes", "text", "paragraphs", "texts", "urls", "published", "date",
    "timestamp", "images", "documents", "officials",
]


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    description: str
    # Returned by crawler.extract.extract_article.
    extracted: bool = False
    # Carried by the Scrapy item from the spider through the pipeline stages.
    item: bool = True
    # A column of every dump, in the order of FIELDS.
    dumped: bool = True
    # Part of a stored version: a change in it makes a new version of the article.
    content: bool = False

    @property
    def empty(self) -> Any:
        if self.kind == "bool":
            return False
        return [] if self.kind in LIST_KINDS else None


LIST_KINDS = frozenset({"texts", "urls", "images", "documents", "officials"})


def _extracted(name: str, kind: Kind, description: str) -> Field:
    return Field(name, kind, description, extracted=True, content=True)


def _archive(name: str, kind: Kind, description: str) -> Field:
    return Field(name, kind, description, item=False)


def _internal(name: str, kind: Kind, description: str) -> Field:
    return Field(name, kind, description, dumped=False)


FIELDS: tuple[Field, ...] = (
    _archive("id", "int", "the archive's id; stable"),
    Field("site", "text", "site name, e.g. haiduong"),
    Field("canonical_url", "text", "the one spelling of the article's URL, on the site's origin"),
    _archive(
        "urls",
        "urls",
        "every URL the article was seen under: the canonical one, then the others sorted",
    ),
    _extracted("title", "text", "the visible headline"),
    Field("published", "published", "the publish time as printed, normalized", content=True),
    _extracted("published_raw", "text", "the publish date as printed"),
    Field("updated", "published", "the update time, normalized", content=True),
    _extracted("author", "text", "the person who wrote the article"),
    _extracted("author_unit", "text", "the author's unit, e.g. VPTU"),
    _extracted("source", "text", "the publication the article credits: Theo Báo X, Nguồn: X"),
    _extracted("category", "text", "the site's category of the article"),
    _extracted("lead", "text", "the sapo"),
    _extracted("body", "paragraphs", "the lead and every paragraph, joined by a blank line"),
    _extracted("captions", "texts", "image captions in page order"),
    _extracted("images", "images", "images of the body with their captions"),
    _extracted("tags", "texts", "the site's tags"),
    _extracted("related", "urls", "URLs of the related-articles list"),
    Field("event_date", "date", "the date of the event the lead reports", content=True),
    Field("event_part_of_day", "text", "sáng, trưa, chiều, tối or đêm", content=True),
    Field("documents", "documents", "documents the article cites", content=True),
    Field("officials", "officials", "officials named with their positions and titles",
          content=True),
    _archive("duplicate_of", "int", "id of the article this one near-duplicates"),
    _archive("similarity", "float", "estimated Jaccard similarity to duplicate_of"),
    _archive("current_version", "int", "number of the newest stored version"),
    _archive("first_seen", "timestamp", "when the archive first saw the article"),
    _archive("last_seen", "timestamp", "when the archive last saw the article"),
    Field("is_article", "bool", "the page is an article", extracted=True, dumped=False),
    Field("updated_raw", "text", "the update date as printed", extracted=True, dumped=False),
    _internal("url", "text", "the URL fetched"),
    _internal("fetched_at", "timestamp", "when the page was fetched"),
    _internal("status", "int", "HTTP status"),
    _internal("content_type", "text", "the Content-Type header"),
    _internal("raw_body", "bytes", "the page as served, kept compressed by the archive"),
    _internal("redirect_urls", "urls", "URLs that redirected to this page, in order"),
    _internal("article_key", "text", "the site's own article id, else the canonical URL"),
    _internal("fingerprint", "text", "digest of the body's words"),
    _internal("alias_urls", "urls", "canonical URLs that redirected to this article"),
)

BY_NAME = {f.name: f for f in FIELDS}
EXTRACTED = tuple(f.name for f in FIELDS if f.extracted)
ITEM_FIELDS = tuple(f.name for f in FIELDS if f.item)
CONTENT_FIELDS = tuple(f.name for f in FIELDS if f.content)
DUMP_FIELDS = tuple(f.name for f in FIELDS if f.dumped)


def empty_extraction() -> dict[str, Any]:
    """What extract_article returns for a page with nothing readable."""
    return {name: BY_NAME[name].empty for name in EXTRACTED}


_PUBLISHED_PATTERN = r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}\+07:00)?$"
_TIMESTAMP_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}:\d{2}$"
_TEXT = {"type": ["string", "null"]}
_DEFS: dict[str, Any] = {
    "text": _TEXT,
    "paragraphs": _TEXT,
    "texts": {"type": ["array", "null"], "items": {"type": "string"}},
    "urls": {"type": ["array", "null"], "items": {"type": "string"}},
    "published": {
        "description": "As printed on the page, normalized: a time in +07:00, or a date "
        "alone when the page gave no time.",
        "type": ["string", "null"],
        "pattern": _PUBLISHED_PATTERN,
    },
    "timestamp": {
        "description": "When the archive saw it: ISO 8601 with microseconds and offset.",
        "type": "string",
        "pattern": _TIMESTAMP_PATTERN,
    },
    "date": {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"},
    "images": {
        "type": ["array", "null"],
        "items": {
            "type": "object",
            "required": ["src"],
            "properties": {"src": {"type": "string"}, "caption": {"$ref": "#/$defs/text"}},
        },
    },
    "documents": {
        "type": ["array", "null"],
        "items": {
            "type": "object",
            "required": ["type", "doc_id", "text"],
            "properties": {
                "type": {"type": "string", "description": "Quyết định, Nghị quyết, Chỉ thị, ..."},
                "number": {"$ref": "#/$defs/text"},
                "code": {"$ref": "#/$defs/text"},
                "date": {"$ref": "#/$defs/date"},
                "issuer": {"$ref": "#/$defs/text"},
                "text": {"type": "string", "description": "the first mention as written"},
                "doc_id": {"type": "string", "description": "groups spellings, e.g. 705/QĐ-TTg"},
                "count": {"type": "integer", "minimum": 1},
            },
        },
    },
    "officials": {
        "type": ["array", "null"],
        "items": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"type": "string"},
                "position": {"$ref": "#/$defs/text"},
                "title": {
                    "$ref": "#/$defs/text",
                    "description": "academic title or rank printed with the name (PGS, TS)",
                },
            },
        },
    },
}
# Dumped fields whose JSON form is narrower than their kind's.
_EXACT: dict[str, dict[str, Any]] = {
    "id": {"type": "integer", "minimum": 1},
    "site": {"type": "string"},
    "canonical_url": {"type": "string", "format": "uri"},
    "urls": {"type": "array", "items": {"type": "string"}, "minItems": 1},
    "duplicate_of": {"type": ["integer", "null"]},
    "similarity": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
    "current_version": {"type": "integer", "minimum": 1},
}


def _property(field: Field) -> dict[str, Any]:
    spec = dict(_EXACT.get(field.name) or {"$ref": f"#/$defs/{field.kind}"})
    return {**spec, "description": field.description}


def json_schema() -> dict[str, Any]:
    """The JSON Schema of one line of `tinhuy dump --format jsonl` (docs/article.schema.json)."""
    dumped = [BY_NAME[name] for name in DUMP_FIELDS]
    version = {
        "version": {"type": "integer", "minimum": 1},
        "first_seen": {"$ref": "#/$defs/timestamp"},
        "last_seen": {"$ref": "#/$defs/timestamp"},
    } | {name: _property(BY_NAME[name]) for name in CONTENT_FIELDS}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Dumped article",
        "description": "One line of `tinhuy dump --format jsonl`: one article of the "
        "archive. Generated from crawler/model.py; see docs/schema.md.",
        "type": "object",
        "additionalProperties": False,
        "required": list(DUMP_FIELDS),
        "$defs": _DEFS,
        "properties": {f.name: _property(f) for f in dumped}
        | {
            "versions": {
                "description": "only with --with-versions: every stored version, oldest first",
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["version", "first_seen", "last_seen"],
                    "properties": version,
                },
            }
        },
    }
