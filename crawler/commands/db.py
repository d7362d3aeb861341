"""`tinhuy db upgrade`: bring a database to the current schema in place."""

from __future__ import annotations

import argparse

from crawler.commands.common import EXIT_OK, add_db_option, archive_errors, require_archive


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("db", help="database maintenance")
    actions = p.add_subparsers(dest="action", required=True)
    upgrade = actions.add_parser("upgrade", help="apply the missing schema migrations")
    add_db_option(upgrade)
    upgrade.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from pipelines.archive.engine import upgrade_database
    from pipelines.archive.schema import SCHEMA_VERSION

    # An upgrade brings an archive up to date; it does not make one.
    require_archive(args.db)
    with archive_errors(args.db):
        found, applied = upgrade_database(args.db)
    if applied:
        done = ", ".join(str(v) for v in applied)
        print(f"schema upgraded from version {found} to {SCHEMA_VERSION} (applied {done})")
    else:
        print(f"schema up to date at version {SCHEMA_VERSION}")
    return EXIT_OK
