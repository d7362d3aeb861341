"""`tinhuy mirror`: serve the offline replica, or a synthetic site, on 127.0.0.1."""

from __future__ import annotations

import argparse
import time

from crawler.commands.common import EXIT_OK, UsageError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("mirror", help="serve the offline replica on 127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="port (default 0: any free port)")
    p.add_argument(
        "--synthetic",
        type=int,
        metavar="N",
        help="serve a generated site of N articles instead of the replica",
    )
    p.add_argument("--seed", type=int, default=1, help="seed of the synthetic site (default 1)")
    p.add_argument(
        "--faults",
        default="none",
        metavar="SPEC",
        help="faults of the synthetic site: none (default), default, or kind=rate,...",
    )
    p.add_argument(
        "--slow-seconds",
        type=float,
        default=35.0,
        help="how long a slow fault holds its answer (default 35, past the 30 s timeout)",
    )
    p.add_argument("--manifest", metavar="FILE", help="write the synthetic site's manifest")
    p.add_argument(
        "--family",
        default="replica",
        metavar="NAME",
        help="CMS family of the synthetic site's URLs and pages (default replica; --families)",
    )
    p.add_argument("--families", action="store_true", help="list the families and exit")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from crawler.mirror import CannotListen

    try:
        return _serve(args)
    except CannotListen as exc:
        raise UsageError(str(exc)) from None


def _serve(args: argparse.Namespace) -> int:
    from crawler.mirror import serve, serve_app

    if args.families or args.family != "replica":
        from crawler.replica.synthetic import family_descriptions

        families = family_descriptions()
        if args.families:
            for name, description in families.items():
                print(f"{name:<11} {description}")
            return EXIT_OK
        if args.family not in families:
            raise UsageError(f"--family: unknown {args.family!r}; one of {', '.join(families)}")
        if args.synthetic is None:
            raise UsageError("--family: only with --synthetic N")

    if args.synthetic is None:
        with serve(port=args.port) as (base_url, site):
            print(f"serving {len(site.pages)} pages of the offline replica at {base_url}")
            print(f"crawl it: tinhuy crawl --base-url {base_url} --db data/replica.db", flush=True)
            return _wait()

    from crawler.replica.synthetic import SyntheticSite, parse_faults

    if args.synthetic < 1:
        raise UsageError("--synthetic: N must be 1 or more")
    try:
        faults = parse_faults(args.faults)
    except ValueError as exc:
        raise UsageError(f"--faults: {exc}") from None
    # A long-running server keeps no per-request log, only its count.
    site = SyntheticSite(
        args.synthetic,
        seed=args.seed,
        faults=faults,
        slow_seconds=args.slow_seconds,
        log_requests=False,
        family=args.family,
    )
    with serve_app(site, port=args.port) as base_url:
        site.base_url = base_url  # the absolute links of feeds and sitemaps
        # Written once the port is taken: a mirror that cannot serve leaves nothing.
        if args.manifest:
            site.write_manifest(args.manifest)
        print(f"serving a synthetic {args.family} site of {site.n} articles at {base_url}")
        print(f"manifest: {base_url}/__manifest__.json", flush=True)
        return _wait()


def _wait() -> int:
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return EXIT_OK
