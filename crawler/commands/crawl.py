"""`tinhuy crawl`: one incremental, locked, health-checked crawl of a site."""

from __future__ import annotations

import argparse
import json
import logging
import logging.handlers
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.commands.common import (
    EXIT_ERROR,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_UNHEALTHY,
    EXIT_UNREACHABLE,
    UsageError,
    add_db_option,
    add_log_option,
    open_archive,
)
from crawler.crawl.memory import peak_rss_mb
from crawler.sites import AUTO_SITE, DEFAULT_SITE

LOG_FORMAT = "%(asctime)s [%(name)s] %(levelname)s: %(message)s"
# Console records held while the site has not answered yet (UntilAnswered).
HELD_RECORDS = 10_000
# Reading the home page of an address to tell which site it is: how long, how much.
HOME_TIMEOUT = 15
HOME_MAX_BYTES = 5 * 1024 * 1024


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("crawl", help="crawl a site into the archive (incremental)")
    add_crawl_options(p)
    p.add_argument(
        "--all",
        action="store_true",
        help="every site of the registry file (else every site class), one after another",
    )
    p.set_defaults(func=main)


def add_sites_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--sites",
        metavar="FILE",
        help="the site registry (default: $TINHUY_SITES, else data/sites.toml; tinhuy sites)",
    )


def add_crawl_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--site",
        help=f"a site of the registry (tinhuy sites list), or `{AUTO_SITE}`: discover the site "
        f"at --base-url (default: {DEFAULT_SITE}; with --base-url, the registered site of "
        f"that address or whose URL shapes its home page follows, else {AUTO_SITE})",
    )
    add_sites_option(p)
    # The registry's name of a discovered site (`site_name` of the spider), set from the
    # registry entry or by a worker's job, never on the command line.
    p.set_defaults(site_name=None, all=False)
    p.add_argument("--base-url", help="crawl another origin serving the site, e.g. a replica")
    p.add_argument("--full", action="store_true", help="walk every listing to the end")
    p.add_argument("--since", help="stop at listing items older than this date")
    p.add_argument(
        "--max-known-pages",
        type=int,
        default=1,
        metavar="K",
        help="listing pages with nothing new before a listing stops (default 1)",
    )
    p.add_argument(
        "--refresh-days",
        type=int,
        default=2,
        metavar="N",
        help="refetch articles published in the last N days (default 2)",
    )
    p.add_argument("--jobdir", help="Scrapy JOBDIR: pause with Ctrl-C, resume with the same dir")
    p.add_argument(
        "--fast",
        action="store_true",
        help="no throttling, pages parsed in a worker process (localhost only)",
    )
    p.add_argument("--summary-json", metavar="FILE", help="write the run summary as JSON")
    p.add_argument("--log-file", metavar="FILE", help="log to FILE (rotated at 10 MB, 5 kept)")
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a Scrapy setting, e.g. --set DOWNLOAD_DELAY=2 (repeatable)",
    )
    add_db_option(p)
    add_log_option(p)


def build_parser_defaults(**overrides: Any) -> argparse.Namespace:
    """The options of `tinhuy crawl` with their defaults, for commands that crawl too."""
    parser = argparse.ArgumentParser()
    add_crawl_options(parser)
    args = parser.parse_args([])
    for key, value in overrides.items():
        setattr(args, key, value)
    return args


def is_local(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return host == "localhost" or host.startswith("127.") or host == "::1"


def _settings(args: argparse.Namespace) -> Any:
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("settings", priority="project")
    settings.set("TINHUY_DB", args.db, priority="cmdline")
    settings.set("LOG_LEVEL", args.log_level.upper(), priority="cmdline")
    # Handlers are ours (see _logging): rotation, and stderr kept for problems.
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    if args.jobdir:
        settings.set("JOBDIR", args.jobdir, priority="cmdline")
    if args.fast:
        # Only for a server on this machine: no delay, no throttling.
        settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
        settings.set("DOWNLOAD_DELAY", 0, priority="cmdline")
        settings.set("CONCURRENT_REQUESTS", 16, priority="cmdline")
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 16, priority="cmdline")
        settings.set("RETRY_BACKOFF_BASE", 0.05, priority="cmdline")
        # The crawl is then bound by its one core; parsing moves to a second.
        settings.set("TINHUY_EXTRACT_WORKERS", 1, priority="cmdline")
    # Last, so that an explicit --set wins over --fast.
    for override in args.set:
        name, _, value = override.partition("=")
        settings.set(name.strip(), value, priority="cmdline")
    return settings


class UntilAnswered(logging.handlers.MemoryHandler):
    """The console's records, held until the site first answers: a crawl that reaches
    nothing (no network, a wrong address) ends in one `cannot reach` line instead of a
    screen of connection errors and tracebacks per request. Once anything answered, the
    held records are printed and the rest pass straight through. The log file gets
    every record either way."""

    def __init__(self, target: logging.Handler) -> None:
        super().__init__(HELD_RECORDS, logging.CRITICAL + 1, target, flushOnClose=False)
        self.answered = False

    def shouldFlush(self, record: logging.LogRecord) -> bool:
        return self.answered or len(self.buffer) >= self.capacity

    def site_answered(self, **_signal: Any) -> None:
        self.answered = True
        self.flush()

    def discard(self) -> None:
        with self.lock:  # type: ignore[union-attr]
            self.buffer.clear()

    def close(self) -> None:
        # Scrapy's configure_logging (a dictConfig) closes every handler there is and
        # the root logger goes on using them: MemoryHandler.close would drop the target,
        # and every later record with it. The records are printed or discarded by the
        # crawl's end (run), never by a close.
        logging.Handler.close(self)


def _logging(args: argparse.Namespace) -> UntilAnswered:
    # Scrapy's LOG_FILE never rotates; a cron job's log must not grow forever.
    root = logging.getLogger()
    root.setLevel(logging.DEBUG)
    stream = logging.StreamHandler(sys.stderr)
    stream.setFormatter(logging.Formatter(LOG_FORMAT))
    console = UntilAnswered(stream)
    console.setLevel(args.log_level.upper())
    root.addHandler(console)
    if args.log_file:
        handler = logging.handlers.RotatingFileHandler(
            args.log_file, maxBytes=10 * 1024 * 1024, backupCount=5, encoding="utf-8"
        )
        handler.setLevel(logging.INFO)
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(handler)
    return console


def _home_page(base_url: str) -> bytes | None:
    """The home page at `base_url`, or None when it does not answer (the crawl says why)."""
    from urllib.error import URLError
    from urllib.request import Request, urlopen

    from settings import USER_AGENT

    request = Request(base_url.rstrip("/") + "/", headers={"User-Agent": USER_AGENT})
    try:
        with urlopen(request, timeout=HOME_TIMEOUT) as answer:
            return answer.read(HOME_MAX_BYTES)
    except (URLError, OSError, ValueError):
        return None


def resolve_site(site: str | None, base_url: str | None) -> str:
    """The site a crawl is of: the one named; else the default site; with --base-url, the
    registered site at that address, or the one whose article URL shapes its home page
    follows (a copy or a successor address of it); else `auto`, discovery."""
    from crawler.discovery.site import recognized
    from crawler.sites import SITES, site_for_url

    if site:
        return site
    if not base_url:
        return DEFAULT_SITE
    if (owner := site_for_url(base_url)) is not None:
        return owner.name
    home = _home_page(base_url) if _is_http(base_url) else None
    found = recognized(home, base_url.rstrip("/") + "/", SITES.values()) if home else None
    return found.name if found else AUTO_SITE


def _is_http(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https") and bool(urlsplit(url).hostname)


def crawl_name(args: argparse.Namespace, target: str) -> str:
    """The name the archive knows the crawled site by: a discovered site's is its
    registry name, else its host."""
    from crawler.discovery.site import site_name

    if args.site != AUTO_SITE:
        return str(args.site)
    return args.site_name or site_name(target)


def apply_registry(args: argparse.Namespace) -> None:
    """Read `--site NAME`, or a `--base-url` alone, as the registry says: a site of the
    registry file is crawled at its address, like its class or by discovery under its
    name. Sites this process made known (a worker's job) need no registry."""
    from crawler.sites import SITES
    from crawler.sites.registry import (
        CLASSES,
        DISCOVERED,
        LIKE,
        RegistryError,
        entry_at,
        find,
        load,
        site_class,
    )

    if args.site == AUTO_SITE or (args.site in SITES and args.site not in CLASSES):
        return
    if not args.site and not args.base_url:
        return
    try:
        entries = load(args.sites)
        entry = find(args.site, entries) if args.site else entry_at(args.base_url, entries)
    except RegistryError as exc:
        raise UsageError(str(exc)) from None
    if entry is None:
        return
    args.base_url = args.base_url or entry.base_url
    if entry.kind == DISCOVERED:
        args.site, args.site_name = AUTO_SITE, entry.name
        return
    site_class(entry)
    args.site = entry.name
    if entry.kind == LIKE:
        # Extraction workers are fresh interpreters that know the site classes only.
        args.set = [*args.set, "TINHUY_EXTRACT_WORKERS=0"]


def check_args(args: argparse.Namespace) -> str:
    """Validate the options before anything runs; return the origin to crawl. The site
    is resolved here (`args.site`), so that every caller crawls the same one; only
    after every other option is checked, since that may read the site's home page."""
    from crawler.sites import get_site

    check_options(args)
    apply_registry(args)
    args.site = resolve_site(args.site, args.base_url)
    if args.site == AUTO_SITE:
        if not args.base_url:
            raise UsageError(f"--site {AUTO_SITE} needs the site's address: --base-url URL")
        return args.base_url.rstrip("/")
    try:
        target = (args.base_url or get_site(args.site).base_url).rstrip("/")
    except KeyError as exc:
        raise UsageError(exc.args[0]) from None
    if args.fast and not is_local(target):
        raise UsageError("--fast is for a server on this machine only (localhost)")
    return target


def check_options(args: argparse.Namespace) -> None:
    """The options that need no site, checked before any crawl (also of `--all`)."""
    from crawler.text.dates import normalize_date

    if args.base_url and not _is_http(args.base_url):
        raise UsageError(f"--base-url: not an http(s) URL: {args.base_url}")
    if args.fast and args.base_url and not is_local(args.base_url):
        raise UsageError("--fast is for a server on this machine only (localhost)")
    if args.since and normalize_date(args.since) is None:
        raise UsageError(f"--since: not a date: {args.since!r}")
    if any("=" not in o or not o.partition("=")[0].strip() for o in args.set):
        raise UsageError("--set takes NAME=VALUE")
    check_overrides(args.set)
    if args.max_known_pages < 1 or args.refresh_days < 0:
        raise UsageError("--max-known-pages must be 1 or more, --refresh-days 0 or more")
    for option, path in (("--summary-json", args.summary_json), ("--log-file", args.log_file)):
        if path:
            check_writable(option, path)


# What a setting's default says its value must read as, and the Settings getter that
# reads it so (the crawl would raise the same error, as a Twisted traceback, later).
_SETTING_KINDS = (
    (bool, "getbool", "true or false"),
    (int, "getint", "a whole number"),
    (float, "getfloat", "a number"),
    (dict, "getdict", "a JSON object"),
)


def check_overrides(overrides: list[str]) -> None:
    """Each `--set NAME=VALUE` read as its setting's default is typed, before the crawl:
    `--set DOWNLOAD_DELAY=abc` is one line, not a traceback once the engine runs."""
    from scrapy.settings import BaseSettings, Settings

    defaults = Settings()
    defaults.setmodule("settings", priority="project")
    for override in overrides:
        name, _, value = (part.strip() for part in override.partition("="))
        default = defaults.get(name)
        if isinstance(default, BaseSettings):
            default = default.copy_to_dict()
        for kind, getter, wanted in _SETTING_KINDS:
            if isinstance(default, kind):
                try:
                    # A dict setting reads its JSON as it is set.
                    getattr(Settings({name: value}), getter)(name)
                except (ValueError, TypeError):
                    raise UsageError(f"--set {name}={value}: {name} takes {wanted}") from None
                break


def check_writable(option: str, path: str) -> None:
    """Open `path` for appending as the crawl will, and leave no file made by trying:
    an unwritable `--summary-json` or `--log-file` is refused before the crawl runs,
    not after it."""
    file = Path(path)
    if file.is_dir():
        raise UsageError(f"{option}: cannot write {path}: is a directory")
    existed = file.exists()
    try:
        with file.open("a"):
            pass
    except OSError as exc:
        raise UsageError(f"{option}: cannot write {path}: {exc.strerror or exc}") from None
    if not existed:
        file.unlink(missing_ok=True)


def run(
    args: argparse.Namespace, target: str, name: str
) -> tuple[dict[str, Any], list[str], str | None]:
    """One crawl under the archive's lock: (stats, health problems, and a line when the
    site could not be reached or has moved).

    Raises UsageError for bad input and Locked when another crawl runs."""
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    from crawler.crawl.health import Thresholds, problems, reachability
    from crawler.spiders.provincial import ProvincialSpider
    from pipelines.archive.lock import crawl_lock

    engine = open_archive(args.db, existing=False)
    try:
        with crawl_lock(engine, name):
            settings = _settings(args)
            console = _logging(args)
            process = CrawlerProcess(settings)
            crawler = process.create_crawler(ProvincialSpider)
            crawler.signals.connect(console.site_answered, signal=signals.response_received)
            process.crawl(
                crawler,
                site=args.site,
                site_name=args.site_name,
                base_url=target,
                full=args.full,
                since=args.since,
                max_known_pages=args.max_known_pages,
                refresh_days=args.refresh_days,
            )
            try:
                process.start()
            except BaseException:
                console.site_answered()
                raise
    finally:
        engine.dispose()
    assert crawler.stats is not None
    stats = crawler.stats.get_stats()
    # A crawl that asked for nothing did not fail to reach the site: it failed before,
    # and its held records say why.
    unreachable = reachability(stats, target) if stats.get("downloader/request_count") else None
    if unreachable and not console.answered:
        # No request got an answer: the one `cannot reach` line says it; the
        # failed-requests check and the per-request errors would only say it again.
        console.discard()
        return stats, [], unreachable
    console.site_answered()
    limits = Thresholds(
        min_coverage=settings.getfloat("TINHUY_MIN_COVERAGE"),
        max_failed_share=settings.getfloat("TINHUY_MAX_FAILED_SHARE"),
    )
    return stats, problems(stats, limits), unreachable


def summary(stats: dict[str, Any], seconds: float) -> dict[str, Any]:
    get = stats.get
    return {
        "run_id": get("tinhuy/run_id"),
        "finish_reason": get("finish_reason"),
        "new": get("tinhuy/articles_new", 0),
        "updated": get("tinhuy/articles_updated", 0),
        "unchanged": get("tinhuy/articles_unchanged", 0),
        "duplicates": get("tinhuy/articles_duplicate", 0),
        "dropped": get("tinhuy/dropped", 0),
        "requests": get("downloader/request_count", 0),
        "responses_by_status": {
            k.rsplit("/", 1)[1]: v
            for k, v in stats.items()
            if k.startswith("downloader/response_status_count/")
        },
        "failed": get("tinhuy/failed", 0),
        "failed_urls": get("tinhuy/failed_urls", []),
        # Each failed page with why: the URL asked for and the error or redirect target.
        "failures": get("tinhuy/failures", []),
        # Pages that failed in earlier runs, asked for again, and those failing still.
        "retried": get("tinhuy/retried", 0),
        "retry_failed": get("tinhuy/retry_failed", 0),
        "offsite_redirects": get("tinhuy/offsite_redirect_pairs", []),
        "storage_error": get("tinhuy/storage_error"),
        # What discovery found on a site no class describes (crawler/discovery/).
        "discovered": get("tinhuy/discovery"),
        "seconds": round(seconds, 1),
        "peak_rss_mb": peak_rss_mb(),
        # The extraction workers' peaks, each (crawler/workers.py; none by default).
        "worker_peak_rss_mb": get("tinhuy/worker_peak_rss_mb", []),
    }


def summary_line(site: str, s: dict[str, Any], problems: list[str]) -> str:
    if s.get("unreachable"):
        status = "unreachable"
    else:
        status = "ok" if not problems and _ended(s) else "FAILED"
    line = (
        f"crawl {site} {status}: new {s['new']}, updated {s['updated']}, "
        f"unchanged {s['unchanged']}, duplicates {s['duplicates']}, dropped {s['dropped']}, "
        f"requests {s['requests']}, failed {s['failed']}, {s['seconds']}s"
    )
    if (found := s.get("discovered")) and not s.get("unreachable"):
        line += "\n  discovered: " + discovered_line(found)
    if s.get("stored") is not None:
        stored, near = s["stored"], s["near_duplicates"]
        held = f"{stored} articles, {in_a_dump(stored, near)}" if stored else "no articles yet"
        line += f"\n  archive of {site}: {held}"
    return line + "".join(f"\n  problem: {p}" for p in problems)


def discovered_line(found: dict[str, Any]) -> str:
    """`4 listings (pages ?Page=N), 1 feed, 1 sitemap, 2 article URL shapes, ...`"""
    def count(n: int, word: str) -> str:
        return f"{n} {word}{'s' * (n != 1)}"

    pages = found.get("pagination") or (
        "postback pages, not followed" if found.get("postback_pagination") else "one page each"
    )
    return (
        f"{count(len(found['listings']), 'listing')} ({pages}), "
        f"{count(len(found['feeds']), 'feed')}, {count(len(found['sitemaps']), 'sitemap')}, "
        f"{count(len(found['article_templates']), 'article URL shape')}, "
        f"{count(found['listed_by_sitemaps_and_feeds'], 'article')} listed by sitemaps and feeds"
    )


def archive_counts(engine: Any, site: str | None = None) -> tuple[int, int]:
    """(articles stored, how many of them are near-duplicates), of `site` or of all."""
    from pipelines.archive.dump.query import Filters, count_articles

    stored = count_articles(engine, Filters(site=site, include_duplicates=True))
    return stored, stored - count_articles(engine, Filters(site=site))


def in_a_dump(stored: int, near: int) -> str:
    """How many of the `stored` articles a dump writes: the near-duplicates, rows of
    their own, are left out by default, so the two numbers differ by them."""
    if not near:
        return "all in a dump"
    them = "it" if near == 1 else "them"
    return (
        f"{stored - near} in a dump ({near} near-duplicate{'s' * (near != 1)} left out; "
        f"--include-duplicates keeps {them})"
    )


def _record(db: str | None, s: dict[str, Any], site: str) -> None:
    """The run's verdict into `crawl_runs`, with the archive's counts in `s`."""
    from sqlalchemy.exc import SQLAlchemyError

    from pipelines.archive.crawl_state import record_verdict
    from pipelines.archive.engine import StorageError, open_engine

    if s["run_id"] is None:
        return
    if s["storage_error"]:
        status = "storage_error"
    elif s["finish_reason"] != "finished":
        # No reason at all: the reactor was stopped before the spider closed (Ctrl-C twice).
        status = s["finish_reason"] or "shutdown"
    elif s["unreachable"]:
        status = "unreachable"
    else:
        status = "unhealthy" if s["problems"] else "ok"
    try:
        engine = open_engine(db)
        try:
            s["stored"], s["near_duplicates"] = archive_counts(engine, site)
            record_verdict(engine, s["run_id"], status, s)
        finally:
            engine.dispose()
    except (StorageError, SQLAlchemyError, OSError) as exc:
        # The run keeps the status the crawl gave it; the exit status tells the rest.
        logging.getLogger(__name__).info("could not record the verdict: %s", exc)


def _ended(s: dict[str, Any]) -> bool:
    """Whether the crawl ran to its end with everything it fetched stored."""
    return s["finish_reason"] == "finished" and not s["storage_error"]


def main(args: argparse.Namespace) -> int:
    from pipelines.archive.lock import Locked

    if args.all:
        from crawler.commands.crawl_all import crawl_all

        return crawl_all(args)
    started = time.monotonic()
    target = check_args(args)
    name = crawl_name(args, target)
    try:
        stats, problems, unreachable = run(args, target, name)
    except Locked as exc:
        print(f"tinhuy: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    s = summary(stats, time.monotonic() - started)
    s["problems"] = problems
    s["unreachable"] = unreachable
    s["stored"] = s["near_duplicates"] = None
    _record(args.db, s, name)
    print(summary_line(name, s, problems))
    if s["storage_error"]:
        print(f"tinhuy: {s['storage_error']}", file=sys.stderr)
    if unreachable:
        print(f"tinhuy: {unreachable}", file=sys.stderr)
    code = _exit_code(s)
    if args.summary_json:
        try:
            Path(args.summary_json).write_text(json.dumps(s, ensure_ascii=False, indent=2) + "\n")
        except OSError as exc:
            # Checked before the crawl; the disk can still fill or the folder go since.
            print(f"tinhuy: cannot write {args.summary_json}: {exc.strerror}", file=sys.stderr)
            return EXIT_ERROR if code == EXIT_OK else code
    return code


def _exit_code(s: dict[str, Any]) -> int:
    if not _ended(s):
        return EXIT_ERROR
    if s["unreachable"]:
        return EXIT_UNREACHABLE
    return EXIT_UNHEALTHY if s["problems"] else EXIT_OK
