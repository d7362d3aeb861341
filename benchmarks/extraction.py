"""Our extractor against trafilatura: real news pages first, then fixtures/pages.

    .venv/bin/python benchmarks/extraction.py [--runs N] [--repeat N] [--pages DIR]
                                              [--real-pages DIR]

Headline: the body of every page of ../shared/bench/real-pages (85 live news sites, hand
written truth), scored by that folder's score.py (word 4-gram P, R, F1), ours and
trafilatura side by side with pages per second; the runs alternate between the two, and
speed is the median of `--runs` runs with its spread, since a shared machine's load moves
single runs. Then, on the fixture corpus (Vietnamese pages), per-field accuracy on the
article pages (title exact, published date to the minute after normalize_date, author
exact), mean body token F1, non-article pages flagged and pages per second (newspaper4k
too when installed); then the cost of the facts (cited documents, officials, event date)
against the extractor's, per page.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import logging
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crawler.extract import extract_article
from crawler.extract.facts import cited_documents, event_date, officials
from crawler.replica.fixtures import Fixture, load_fixtures
from crawler.text.dates import normalize_date
from crawler.text.normalize import clean_text, token_f1

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "fixtures" / "pages"
REAL_PAGES = ROOT.parent / "shared" / "bench" / "real-pages"
Result = dict[str, Any]


def ours(html: bytes, url: str) -> Result:
    r = extract_article(html, url)
    return {
        "is_article": r["is_article"], "title": r["title"], "published": r["published_raw"],
        "author": r["author"], "body": r["body"],
    }


def trafilatura_extractor() -> Callable[[bytes, str], Result]:
    import trafilatura

    # Its best settings for dates: htmldate's extensive search, original date, with the time.
    params = {"extensive_search": True, "original_date": True, "outputformat": "%Y-%m-%d %H:%M"}

    def run(html: bytes, url: str) -> Result:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, date_extraction_params=params
        )
        if doc is None:
            return {"is_article": False}
        d = doc if isinstance(doc, dict) else doc.as_dict()
        return {
            # No page classifier: a page it extracts nothing from counts as flagged.
            "is_article": bool(d.get("text")), "title": d.get("title"),
            "published": d.get("date"), "author": d.get("author"), "body": d.get("text"),
        }

    return run


def newspaper_extractor() -> Callable[[bytes, str], Result] | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import newspaper
    except ImportError:
        return None

    def run(html: bytes, url: str) -> Result:
        article = newspaper.Article(url, language="vi", fetch_images=False)
        article.download(input_html=html.decode("utf-8", "replace"))
        article.parse()
        published = article.publish_date.isoformat() if article.publish_date else None
        return {
            "is_article": bool(article.text), "title": article.title or None,
            "published": published, "author": ", ".join(article.authors) or None,
            "body": article.text or None,
        }

    return run


def _iso(value: str | None, size: int) -> str | None:
    iso = normalize_date(value) if value else None
    return iso[:size] if iso else None


def _same_time(expected: str | None, actual: str | None, size: int) -> bool:
    # A date-only expectation is met by the right day, whatever time is attached to it.
    size = min(size, len(expected or "")) or size
    return _iso(expected, size) == _iso(actual, size)


def _same(expected: Any, actual: Any) -> bool:
    return clean_text(expected or "") == clean_text(actual or "")


def score(fixtures: list[Fixture], extract: Callable[[bytes, str], Result], repeat: int) -> Result:
    pages = [(f, f.read_html()) for f in fixtures]
    results: list[Result] = []
    start = time.perf_counter()
    for round_ in range(repeat):
        for fixture, html in pages:
            try:
                result = extract(html, fixture.url)
            except Exception as exc:  # a competitor's crash counts as an empty answer
                result = {"is_article": False, "error": repr(exc)}
            if round_ == 0:
                results.append(result)
    elapsed = time.perf_counter() - start
    paired = [(f, r) for (f, _), r in zip(pages, results, strict=True)]
    articles = [(f, r) for f, r in paired if f.expected.get("is_article")]
    others = [(f, r) for f, r in paired if not f.expected.get("is_article")]
    n = len(articles) or 1
    return {
        "title": sum(_same(f.expected.get("title"), r.get("title")) for f, r in articles) / n,
        "published": sum(
            _same_time(f.expected.get("published"), r.get("published"), 16) for f, r in articles
        ) / n,
        "published_day": sum(
            _same_time(f.expected.get("published"), r.get("published"), 10) for f, r in articles
        ) / n,
        "author": sum(_same(f.expected.get("author"), r.get("author")) for f, r in articles) / n,
        "body_f1": sum(token_f1(f.expected.get("body") or "", r.get("body") or "")
                       for f, r in articles) / n,
        "flagged": sum(not r.get("is_article") for _, r in others),
        "non_articles": len(others),
        "articles": len(articles),
        "pages_per_second": len(pages) * repeat / elapsed,
    }


def table(rows: dict[str, Result]) -> str:
    base = rows["tinhuy"]["pages_per_second"]
    lines = [
        "| extractor | title | published (minute) | published (day) | author | body token F1 "
        "| non-articles flagged | pages/s | speed vs ours |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in rows.items():
        lines.append(
            f"| {name} | {r['title']:.1%} | {r['published']:.1%} | {r['published_day']:.1%} | "
            f"{r['author']:.1%} | "
            f"{r['body_f1']:.3f} | {r['flagged']}/{r['non_articles']} | "
            f"{r['pages_per_second']:.0f} | {r['pages_per_second'] / base:.2f}× |"
        )
    return "\n".join(lines)


def facts_cost(fixtures: list[Fixture], repeat: int) -> str:
    """Time of extract_article and of the facts over its output, on the article pages."""
    pages = [(f.read_html(), f.url) for f in fixtures if f.expected.get("is_article")]
    extracted = [extract_article(html, url) for html, url in pages]
    started = time.perf_counter()
    for _ in range(repeat):
        for html, url in pages:
            extract_article(html, url)
    extract_s = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(repeat):
        for r in extracted:
            body = r["body"] or ""
            cited_documents(body)
            officials(body, exclude=[r["author"]] if r["author"] else [])
            event_date(r["lead"] or body.split("\n\n", 1)[0])
    facts_s = time.perf_counter() - started
    n = len(pages) * repeat
    return (
        "| step | ms/page |\n|---|---|\n"
        f"| extract_article | {1000 * extract_s / n:.2f} |\n"
        f"| facts (documents, officials, event date) | {1000 * facts_s / n:.2f} |\n"
        f"\nfacts / extraction: {facts_s / extract_s:.0%}"
    )


def _scorer(folder: Path) -> Any:
    """The real-pages folder's own score.py, so that both tables use its exact metric."""
    spec = importlib.util.spec_from_file_location("real_pages_score", folder / "score.py")
    if spec is None or spec.loader is None:
        raise ImportError(folder / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Timing(NamedTuple):
    wall: float  # pages per second of elapsed time, as score.py counts
    cpu: float  # pages per second of this process's CPU time: what other load moves least


def _timed(extract: Callable[[bytes, str], Any], pages: list[tuple[bytes, str]]
           ) -> tuple[Timing, list[Any]]:
    wall, cpu = time.perf_counter(), time.process_time()
    results = [extract(html, url) for html, url in pages]
    n = len(pages)
    return Timing(n / (time.perf_counter() - wall), n / (time.process_time() - cpu)), results


def _load_real_pages(folder: Path) -> tuple[dict[str, Any], list[str], list[tuple[bytes, str]]]:
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)
    pages = [(gzip.decompress((folder / "pages" / f"{k}.html.gz").read_bytes()),
              truth[k]["url"]) for k in keys]
    return truth, keys, pages


def real_pages(folder: Path, runs: int) -> str:
    """Body P/R/F1 (of the first run) and the median pages/s of `runs` runs that
    alternate between the extractors, so that both meet the same load."""
    scorer = _scorer(folder)
    truth, keys, pages = _load_real_pages(folder)
    impls: dict[str, Callable[[bytes, str], Any]] = {
        "tinhuy (crawler.extract)": extract_article,
        "trafilatura": scorer.load_impl("trafilatura"),
    }
    timings: dict[str, list[Timing]] = {name: [] for name in impls}
    scores: dict[str, tuple[float, float, float]] = {}
    for _ in range(runs):
        for name, extract in impls.items():
            timing, results = _timed(extract, pages)
            timings[name].append(timing)
            if name not in scores:  # extraction is deterministic: one run scores it
                scores[name] = scorer.summarize([
                    scorer.page_counts(truth[k]["body"], scorer.body_of(r))
                    for k, r in zip(keys, results, strict=True)
                ])
    return _real_pages_table(folder, len(pages), runs, scores, timings)


def _real_pages_table(folder: Path, n: int, runs: int,
                      scores: dict[str, tuple[float, float, float]],
                      timings: dict[str, list[Timing]]) -> str:
    names = list(timings)
    wall = {name: [t.wall for t in timings[name]] for name in names}
    cpu = {name: statistics.median(t.cpu for t in timings[name]) for name in names}
    reference = names[-1]
    lines = [
        f"Real pages: {n} pages of {folder}, body scored by its score.py; pages/s: median of "
        f"{runs} alternating runs, wall clock (min-max) and CPU time of this process\n",
        "| extractor | P | R | F1 | pages/s (wall) | pages/s (CPU) | speed vs trafilatura "
        "(wall / CPU) |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in names:
        p, r, f1 = scores[name]
        median = statistics.median(wall[name])
        ratio = median / statistics.median(wall[reference])
        lines.append(
            f"| {name} | {p:.3f} | {r:.3f} | {f1:.3f} | {median:.1f} "
            f"({min(wall[name]):.1f}-{max(wall[name]):.1f}) | {cpu[name]:.1f} | "
            f"{ratio:.2f}× / {cpu[name] / cpu[reference]:.2f}× |"
        )
    per_run = ", ".join(f"{a / b:.2f}×" for a, b in zip(*wall.values(), strict=True))
    lines.append(f"\nours / trafilatura wall-clock speed, run by run: {per_run}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=PAGES)
    parser.add_argument("--repeat", type=int, default=5, help="passes over the corpus for timing")
    parser.add_argument("--real-pages", type=Path, default=REAL_PAGES)
    parser.add_argument("--runs", type=int, default=3, help="timed runs over the real pages")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # competitors log every page they dislike
    warnings.simplefilter("ignore")
    if (args.real_pages / "truth.json").is_file():
        print(real_pages(args.real_pages, args.runs), end="\n\n")
    else:
        print(f"no real pages in {args.real_pages}: headline table skipped\n", file=sys.stderr)
    fixtures = load_fixtures(args.pages)
    if not fixtures:
        print(f"no fixtures in {args.pages}", file=sys.stderr)
        return 1
    extractors: dict[str, Callable[[bytes, str], Result]] = {
        "tinhuy": ours, "trafilatura": trafilatura_extractor(),
    }
    if (paper := newspaper_extractor()) is not None:
        extractors["newspaper4k"] = paper
    rows = {name: score(fixtures, fn, args.repeat) for name, fn in extractors.items()}
    first = rows["tinhuy"]
    print(f"Fixture corpus: {len(fixtures)} pages ({first['articles']} articles, "
          f"{first['non_articles']} non-articles), {args.repeat} timed passes\n")
    print(table(rows))
    speedup = first["pages_per_second"] / rows["trafilatura"]["pages_per_second"]
    print(f"\nours / trafilatura speed: {speedup:.1f}×\n")
    print(facts_cost(fixtures, args.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
