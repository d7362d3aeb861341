"""Saved pages with their expected output, the way web-poet keeps page-object fixtures:
`NAME.html` (the page as served), `NAME.meta.json` (its inputs: URL, registered site or
null, fetch time, and the frozen "now" that anchors relative dates) and
`NAME.expected.json` (every extracted field). Load them, compare, report, draft new ones."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from crawler.extract import extract_article
from crawler.model import EXTRACTED
from crawler.sites import get_site, site_for_url
from crawler.text.dates import normalize_date, now_local
from crawler.text.normalize import clean_text, token_f1

# Every extracted field is checked; `published` stands for the raw date, normalized.
SCALAR_FIELDS = (
    "is_article", "title", "published", "author", "author_unit", "source", "lead", "category",
)  # fmt: skip
LIST_FIELDS = ("captions", "images", "tags", "related")
_NOT_EXPECTED = {"published_raw", "updated_raw", "body"}
assert set(SCALAR_FIELDS + LIST_FIELDS) == set(EXTRACTED) - _NOT_EXPECTED | {"published"}
BODY_F1 = 0.95
DRAFT_KEY = "draft"


@dataclass(frozen=True)
class Meta:
    url: str
    site: str | None
    fetched_at: datetime
    now: datetime

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> Meta:
        return cls(
            url=str(data.get("url") or ""),
            site=data.get("site"),
            fetched_at=datetime.fromisoformat(data["fetched_at"]),
            now=datetime.fromisoformat(data.get("now") or data["fetched_at"]),
        )

    @classmethod
    def for_new_page(cls, url: str) -> Meta:
        registered = site_for_url(url)
        moment = now_local().replace(microsecond=0)
        return cls(url, registered.name if registered else None, moment, moment)

    def as_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "site": self.site,
            "fetched_at": self.fetched_at.isoformat(),
            "now": self.now.isoformat(),
        }


@dataclass(frozen=True)
class Fixture:
    name: str
    html_path: Path
    expected_path: Path
    expected: dict[str, Any]
    meta: Meta

    @property
    def url(self) -> str:
        return self.meta.url

    def read_html(self) -> bytes:
        return self.html_path.read_bytes()


@dataclass(frozen=True)
class FieldDiff:
    field: str
    expected: Any
    actual: Any
    detail: str = ""


def paths(directory: Path, name: str) -> tuple[Path, Path, Path]:
    """The page, its metadata and its expectation."""
    return (
        directory / f"{name}.html",
        directory / f"{name}.meta.json",
        directory / f"{name}.expected.json",
    )


def load_fixtures(directory: str | Path) -> list[Fixture]:
    """Every `NAME.html` with its metadata and expectation, sorted by name.

    A page without an expected file is loaded with `{}` so that the check reports it rather
    than silently skipping it; a page without metadata is an error.
    """
    fixtures = []
    for html_path in sorted(Path(directory).glob("*.html")):
        name = html_path.name.removesuffix(".html")
        _, meta_path, expected_path = paths(html_path.parent, name)
        expected = (
            json.loads(expected_path.read_text(encoding="utf-8")) if expected_path.exists() else {}
        )
        meta = Meta.read(json.loads(meta_path.read_text(encoding="utf-8")))
        fixtures.append(Fixture(name, html_path, expected_path, expected, meta))
    return fixtures


def actual_fields(
    html: str | bytes, meta: Meta, headers: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The extractor's output for a page as its metadata describes it, with `published`
    normalized like an expectation (relative dates anchored at the frozen now)."""
    site = get_site(meta.site) if meta.site else None
    actual = extract_article(html, meta.url, site=site, fetched_at=meta.fetched_at, headers=headers)
    raw = actual.get("published_raw")
    actual["published"] = normalize_date(raw, now=meta.now) if raw else None
    return actual


def run_fixture(fixture: Fixture) -> dict[str, Any]:
    return actual_fields(fixture.read_html(), fixture.meta)


def _fold(value: Any) -> Any:
    return clean_text(value) if isinstance(value, str) else value


def _fold_item(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _fold(v) for k, v in sorted(value.items())}
    return _fold(value)


def _paragraphs(text: str | None) -> list[str]:
    return [clean_text(p) for p in (text or "").split("\n\n") if clean_text(p)]


def _first_difference(expected: str | None, actual: str | None) -> str:
    exp, act = _paragraphs(expected), _paragraphs(actual)
    for i in range(max(len(exp), len(act))):
        e = exp[i] if i < len(exp) else "<none>"
        a = act[i] if i < len(act) else "<none>"
        if e != a:
            return f"first difference in paragraph {i + 1}:\n    expected: {e}\n    actual:   {a}"
    return ""


def _published(value: Any) -> str | None:
    if not value:
        return None
    return normalize_date(str(value))


def compare(expected: Mapping[str, Any], actual: Mapping[str, Any]) -> list[FieldDiff]:
    """Field-by-field differences; an empty list means the page passes.

    Scalars match after NFC and whitespace folding; `published` after normalize_date; the body
    passes at token F1 >= 0.95; lists must match exactly. Non-article expectations check only
    `is_article`. A draft (unreviewed) expectation always fails.
    """
    diffs: list[FieldDiff] = []
    if not expected:
        return [FieldDiff("expected", None, None, "no NAME.expected.json for this page")]
    if expected.get(DRAFT_KEY):
        diffs.append(
            FieldDiff(
                DRAFT_KEY, False, True, 'draft expectation: review it, then remove the "draft" key'
            )
        )
    if bool(expected.get("is_article")) != bool(actual.get("is_article")):
        diffs.append(FieldDiff("is_article", expected.get("is_article"), actual.get("is_article")))
    if not expected.get("is_article"):
        return diffs
    for field in (*SCALAR_FIELDS[1:], *LIST_FIELDS, "body"):
        if field not in expected:
            diffs.append(FieldDiff(field, None, None, "missing from the expectation"))
    for field in SCALAR_FIELDS[1:]:
        if field not in expected:
            continue
        want, got = expected[field], actual.get(field)
        if field == "published":
            want, got = _published(want), _published(got)
        if _fold(want) != _fold(got):
            diffs.append(FieldDiff(field, want, got))
    for field in LIST_FIELDS:
        if field in expected:
            want = [_fold_item(v) for v in expected[field] or []]
            got = [_fold_item(v) for v in actual.get(field) or []]
            if want != got:
                diffs.append(FieldDiff(field, want, got))
    if "body" in expected:
        f1 = token_f1(expected["body"] or "", actual.get("body") or "")
        if f1 < BODY_F1:
            detail = f"token F1 {f1:.3f} < {BODY_F1}; " + _first_difference(
                expected["body"], actual.get("body")
            )
            diffs.append(FieldDiff("body", None, None, detail))
    return diffs


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 300 else text[:297] + "..."


def format_diffs(name: str, diffs: list[FieldDiff]) -> str:
    """A readable report: one line per differing field, expected above actual."""
    if not diffs:
        return f"{name}: ok"
    lines = [f"{name}: {len(diffs)} field(s) differ"]
    for diff in diffs:
        lines.append(f"  {diff.field}:")
        if diff.detail:
            lines.extend(f"    {line}" for line in diff.detail.splitlines())
        if diff.expected is not None or diff.actual is not None or not diff.detail:
            lines.append(f"    expected: {_show(diff.expected)}")
            lines.append(f"    actual:   {_show(diff.actual)}")
    return "\n".join(lines)


def check_fixtures(directory: str | Path) -> tuple[int, str]:
    """`tinhuy fixture check`: (number of failing pages, report for every page)."""
    reports, failures = [], 0
    for fixture in load_fixtures(directory):
        diffs = compare(fixture.expected, run_fixture(fixture))
        failures += bool(diffs)
        reports.append(format_diffs(fixture.name, diffs))
    if not reports:
        return 1, f"no fixtures in {directory}"
    return failures, "\n".join(reports)


def draft_expected(html: str | bytes, meta: Meta) -> dict[str, Any]:
    """`tinhuy fixture add`: the extractor's output as an expectation marked for review."""
    actual = actual_fields(html, meta)
    draft: dict[str, Any] = {"is_article": actual["is_article"]}
    if actual["is_article"]:
        draft.update({f: actual[f] for f in (*SCALAR_FIELDS[1:], "body", *LIST_FIELDS)})
    draft["notes"] = ""
    draft[DRAFT_KEY] = True
    return draft
