"""`tinhuy sites list|add|probe`: the site registry, and what discovery finds on a site."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from crawler.commands.common import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_UNREACHABLE,
    UsageError,
    add_db_option,
    add_log_option,
    require_archive,
)
from crawler.commands.crawl import add_sites_option

# Articles a probe reads past discovery: enough to see the fields, little for the site.
PROBE_ARTICLES = 5


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sites", help="the site registry; probe a site by its address")
    actions = p.add_subparsers(dest="action", required=True)

    listing = actions.add_parser("list", help="every site: address, kind, schedule, last run")
    add_sites_option(listing)
    add_db_option(listing)
    listing.add_argument("--json", action="store_true", help="one JSON object per site")
    listing.set_defaults(func=list_main)

    add = actions.add_parser("add", help="add a site to the registry file")
    add.add_argument("name", help="the site's name in the archive, e.g. hagiang")
    add.add_argument("base_url", metavar="URL", help="the site's address")
    add.add_argument("--like", metavar="CLASS", help="read it with this site class's shapes")
    when = add.add_mutually_exclusive_group()
    when.add_argument("--every", metavar="PERIOD", help="crawl it every 90s, 15m, 1h, 1d")
    when.add_argument("--cron", metavar="SPEC", help='crawl it at "minute hour dom month dow"')
    add_sites_option(add)
    add.set_defaults(func=add_main)

    probe = actions.add_parser("probe", help="what discovery finds on a site; a draft class")
    probe.add_argument("url", help="the site's address")
    probe.add_argument("--name", help="the draft class's site name (default: from the host)")
    probe.add_argument("--out", metavar="FILE", help="the draft site class (default NAME.py)")
    probe.add_argument(
        "--articles",
        type=int,
        default=PROBE_ARTICLES,
        metavar="N",
        help=f"article pages to read after discovery (default {PROBE_ARTICLES})",
    )
    probe.add_argument("--fast", action="store_true", help="no throttling (localhost only)")
    add_log_option(probe)
    probe.set_defaults(func=probe_main)


# -- list ------------------------------------------------------------------------


def site_rows(entries: dict[str, Any], db: str | None) -> list[dict[str, Any]]:
    """Each site of the registry, then each the archive holds unregistered (crawled by
    address: named by its host), with its last run and article count when archived."""
    runs, counts = _archived(db)
    rows = []
    for name in [*entries, *sorted(set(runs) - set(entries))]:
        entry = entries.get(name)
        run = runs.get(name)
        rows.append({
            "name": name,
            "base_url": entry.base_url if entry else None,
            "kind": entry.kind if entry else "unregistered",
            "like": entry.like if entry else None,
            "schedule": entry.schedule() if entry else None,
            "in_registry_file": bool(entry and entry.listed),
            "last_run": {
                "status": run["status"],
                "started_at": run["started_at"].isoformat(),
            } if run else None,
            "articles": counts.get(name, 0),
        })  # fmt: skip
    return rows


def _archived(db: str | None) -> tuple[dict[str, Any], dict[str, int]]:
    """(last run by site, articles stored by site); nothing when there is no archive yet."""
    from sqlalchemy import func, select

    from crawler.commands.common import open_archive
    from pipelines.archive.jobs import last_runs
    from pipelines.archive.schema import articles

    try:
        require_archive(db)
    except UsageError:
        return {}, {}
    engine = open_archive(db)
    try:
        with engine.connect() as conn:
            query = select(articles.c.site, func.count()).group_by(articles.c.site)
            counts = {site: n for site, n in conn.execute(query)}
        return last_runs(engine), counts
    finally:
        engine.dispose()


def list_main(args: argparse.Namespace) -> int:
    from crawler.sites.registry import RegistryError, load

    try:
        entries = load(args.sites)
    except RegistryError as exc:
        raise UsageError(str(exc)) from None
    rows = site_rows(entries, args.db)
    if args.json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        return EXIT_OK
    table = [("site", "kind", "schedule", "articles", "last run", "address")]
    for r in rows:
        run = r["last_run"]
        table.append((
            r["name"],
            f"like {r['like']}" if r["like"] else r["kind"],
            r["schedule"] or "-",
            str(r["articles"]),
            f"{run['started_at'][:16]} {run['status']}" if run else "-",
            r["base_url"] or "-",
        ))  # fmt: skip
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        cells = [
            cell.rjust(w) if i == 3 else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
    return EXIT_OK


# -- add -------------------------------------------------------------------------


def add_main(args: argparse.Namespace) -> int:
    from crawler.sites.registry import RegistryError, add, registry_path

    table = {"base_url": args.base_url.rstrip("/")}
    for key in ("like", "every", "cron"):
        if getattr(args, key):
            table[key] = getattr(args, key)
    path, _ = registry_path(args.sites)
    try:
        entry = add(path, args.name, table)
    except RegistryError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    how = f"like {entry.like}" if entry.like else "discovered at each crawl"
    when = f", {entry.schedule()}" if entry.schedule() else ""
    print(f"added {entry.name} ({entry.base_url}, {how}{when}) to {path}")
    return EXIT_OK


# -- probe -----------------------------------------------------------------------


def probe_main(args: argparse.Namespace) -> int:
    from crawler.commands import crawl
    from crawler.discovery.draft import default_name, is_module_name
    from crawler.sites import AUTO_SITE

    if args.articles < 1:
        raise UsageError("--articles must be 1 or more")
    name = args.name or default_name(args.url)
    if not is_module_name(name):
        raise UsageError(f"--name: {name!r} is no module name (lower-case letters, digits, _)")
    out = Path(args.out or f"{name}.py")
    if out.exists():
        raise UsageError(f"--out: {out} exists; give another file")
    crawl.check_writable("--out", str(out))
    with tempfile.TemporaryDirectory(prefix="tinhuy-probe-") as tmp:
        db = str(Path(tmp) / "probe.db")
        options = crawl.build_parser_defaults(
            site=AUTO_SITE,
            base_url=args.url,
            db=db,
            fast=args.fast,
            log_level=args.log_level,
            refresh_days=0,
            # The real crawl, stopped once discovery is done and a few articles are read:
            # two requests at a time (even --fast), so that few more are asked for.
            set=[
                f"CLOSESPIDER_ITEMCOUNT={args.articles}",
                "CONCURRENT_REQUESTS=2",
                "CONCURRENT_REQUESTS_PER_DOMAIN=2",
                # Pages parsed as they come, so that the count stops the crawl in time.
                "TINHUY_EXTRACT_WORKERS=0",
            ],
        )
        target = crawl.check_args(options)
        name_in_archive = crawl.crawl_name(options, target)
        stats, _problems, unreachable = crawl.run(options, target, name_in_archive)
        if unreachable:
            print(f"tinhuy: {unreachable}", file=sys.stderr)
            return EXIT_UNREACHABLE
        found = stats.get("tinhuy/discovery")
        if not found:
            print(f"tinhuy: discovery did not finish on {target}", file=sys.stderr)
            return EXIT_ERROR
        samples = _samples(db, args.articles)
    print(probe_report(target, found, samples, stats))
    _write_draft(out, name, target, found, samples)
    print(f"\nwrote a draft site class to {out}: review it, fill its layout, then save it "
          "in crawler/sites/ (README, tinhuy sites)")  # fmt: skip
    return EXIT_OK


def _samples(db: str, limit: int) -> list[dict[str, Any]]:
    from crawler.commands.common import open_archive
    from pipelines.archive.dump.query import Filters, iter_articles

    engine = open_archive(db)
    try:
        rows = []
        for article in iter_articles(engine, Filters(include_duplicates=True)):
            rows.append(article)
            if len(rows) == limit:
                break
        return rows
    finally:
        engine.dispose()


def probe_report(
    target: str, found: dict[str, Any], samples: list[dict[str, Any]], stats: dict[str, Any]
) -> str:
    from crawler.commands.crawl import discovered_line

    pages = found.get("pagination") or (
        "postback pages only: not followable" if found.get("postback_pagination") else "one page"
    )
    lines = [f"probe {target}: {stats.get('downloader/request_count', 0)} requests",
             f"  {discovered_line(found)}",
             f"listings ({pages}):"]  # fmt: skip
    lines += [f"  {path}" for path in found["listings"]] or ["  none"]
    lines += ["feeds:", *([f"  {url}" for url in found["feeds"]] or ["  none"])]
    lines += ["sitemaps:", *([f"  {url}" for url in found["sitemaps"]] or ["  none"])]
    lines += ["article URL templates:"]
    lines += [f"  {t}" for t in found["article_templates"]] or ["  none"]
    lines += [f"articles read ({len(samples)}):"]
    for a in samples:
        author = a.get("author") or "-"
        lines.append(
            f"  {a.get('published') or '-':25}  {a.get('title') or '(no title)'}\n"
            f"  {'':25}  author {author}, body {len(a.get('body') or '')} characters, "
            f"{a.get('canonical_url')}"
        )
    return "\n".join(lines)


def _write_draft(
    out: Path, name: str, target: str, found: dict[str, Any], samples: list[dict[str, Any]]
) -> None:
    from crawler.discovery.draft import draft_source
    from crawler.text.dates import now_local

    urls = [url for a in samples for url in [a.get("canonical_url"), *(a.get("urls") or [])] if url]
    probed = f" on {now_local().date().isoformat()}"
    try:
        out.write_text(draft_source(name, target, found, urls, probed), encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"--out: cannot write {out}: {exc.strerror or exc}") from None
