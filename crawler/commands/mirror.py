"""`tinhuy mirror`: serve the offline replica on 127.0.0.1 until interrupted."""

from __future__ import annotations

import argparse
import time

from crawler.commands.common import EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("mirror", help="serve the offline replica on 127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="port (default 0: any free port)")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from crawler.mirror import serve

    with serve(port=args.port) as (base_url, site):
        print(f"serving {len(site.pages)} pages of the offline replica at {base_url}", flush=True)
        print(f"crawl it: tinhuy crawl --base-url {base_url} --db data/replica.db", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return EXIT_OK
