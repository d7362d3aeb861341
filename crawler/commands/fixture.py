"""`tinhuy fixture add|check`: saved pages with their expected output."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from crawler.commands.common import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_UNHEALTHY,
    EXIT_UNREACHABLE,
    UsageError,
)
from crawler.commands.extract import read_source

DEFAULT_DIR = Path("fixtures") / "pages"
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("fixture", help="add a saved page, or check the extractor against all")
    actions = p.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="save a page and a draft of its expected output")
    add.add_argument("source", metavar="FILE|URL")
    add.add_argument("--name", required=True, help="fixture name: lowercase, digits, _ and -")
    add.add_argument("--url", help="the page's address when SOURCE is a file")
    add.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="default fixtures/pages")
    add.add_argument("--force", action="store_true", help="overwrite an existing fixture")
    add.set_defaults(func=cmd_add)
    check = actions.add_parser("check", help="extract every saved page, report differences")
    check.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="default fixtures/pages")
    check.add_argument(
        "--live",
        action="store_true",
        help="refetch each fixture's URL instead (a canary for layout changes)",
    )
    check.add_argument("--site", help="with --live: only fixtures whose URL this site owns")
    check.set_defaults(func=cmd_check)


def cmd_add(args: argparse.Namespace) -> int:
    from crawler.replica.fixtures import Meta, draft_expected, paths

    if not NAME.match(args.name):
        raise UsageError(f"--name {args.name!r}: use lowercase letters, digits, _ and -")
    html_path, meta_path, expected_path = paths(args.dir, args.name)
    if not args.force and (html_path.exists() or expected_path.exists()):
        raise UsageError(f"fixture {args.name} exists in {args.dir} (use --force to replace it)")
    if not args.dir.is_dir():
        raise UsageError(f"no such directory: {args.dir}")
    data, url, _headers = read_source(args.source, args.url)
    meta = Meta.for_new_page(url)
    draft = draft_expected(data, meta)
    html_path.write_bytes(data)
    meta_path.write_text(json.dumps(meta.as_json(), ensure_ascii=False, indent=1) + "\n", "utf-8")
    expected_path.write_text(json.dumps(draft, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"saved {html_path}, {meta_path} and a draft {expected_path}")
    print('read the page, correct the expected values, then delete the "draft" key')
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from crawler.replica.fixtures import check_fixtures

    if not args.dir.is_dir():
        raise UsageError(f"no such directory: {args.dir}")
    if args.live:
        return live_check(args.dir, args.site)
    failures, report = check_fixtures(args.dir)
    print(report)
    print(f"{failures} fixture(s) differ" if failures else "all fixtures match")
    return EXIT_ERROR if failures else EXIT_OK


def live_check(directory: Path, site: str | None) -> int:
    """Refetch every fixture's URL and compare with its saved expectation: a layout
    change on the live site shows here even on a day with no new articles. Exit 3 when
    a page differs, 4 when pages could not be reached (and none differs), else 0."""
    from crawler.commands.fetch import fetch, no_answer
    from crawler.replica.fixtures import actual_fields, compare, format_diffs, load_fixtures
    from crawler.sites import get_site, site_for_url

    if site:
        try:
            get_site(site)
        except KeyError as exc:
            raise UsageError(exc.args[0]) from None
    fixtures = [
        f for f in load_fixtures(directory)
        if f.url.startswith("http")
        and (site is None or getattr(site_for_url(f.url), "name", None) == site)
    ]  # fmt: skip
    if not fixtures:
        raise UsageError(f"no fixtures with an http(s) URL in {directory}")
    failures = 0
    # Pages that got no answer at all: the network or the site is down, which says
    # nothing about the layout; they are not counted as differing.
    unreached: list[str] = []
    for fixture in fixtures:
        try:
            data, headers = fetch(fixture.url)
        except OSError as exc:
            reason = no_answer(exc)
            if reason:
                unreached.append(f"cannot reach {fixture.url}: {reason}")
                continue
            failures += 1
            print(f"{fixture.name}: cannot fetch {fixture.url}: {exc}")
            continue
        diffs = compare(fixture.expected, actual_fields(data, fixture.meta, headers))
        failures += bool(diffs)
        print(format_diffs(fixture.name, diffs))
    compared = len(fixtures) - len(unreached)
    if compared:
        print(f"{failures} of {compared} live page(s) differ" if failures else "live pages match")
    if unreached:
        more = len(unreached) - 1
        others = f" ({more} more page(s) not reached either)" if more else ""
        print(f"tinhuy: {unreached[0]}{others}", file=sys.stderr)
    if failures:
        return EXIT_UNHEALTHY
    return EXIT_UNREACHABLE if unreached else EXIT_OK
