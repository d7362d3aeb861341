"""The sites jobs can name: the registered sites, and those of a sites file.

Until the site registry of issue 19 exists, a TOML file names the sites a team's
workers crawl besides the registered ones, and their schedules:

    [sites.haiduong]                 # a registered site: its own address
    every = "1h"

    [sites.haiduong-mirror]          # another name, another address, same shapes
    base_url = "http://mirror.example.vn"
    like = "haiduong"
    cron = "15 */6 * * *"            # minute hour day-of-month month day-of-week

A site of the file with `like` is read with the URL shapes and layouts of that
registered site, under its own name: its articles, walks and runs are its own.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from crawler.distributed.jobs import SiteSpec
from crawler.sites import SITES, Site, get_site

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_EVERY = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
# A site's name is stored in the archive's `site` columns (64 characters).
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


class SitesError(ValueError):
    """A sites file or a site name that cannot be used; the message is for the user."""


@dataclass(frozen=True)
class SiteEntry:
    spec: SiteSpec
    every: int | None = None
    cron: str | None = None


def parse_every(value: str) -> int:
    """`90s`, `15m`, `1h`, `1d` in seconds."""
    found = _EVERY.match(value)
    if not found or int(found[1]) == 0:
        raise SitesError(f"not a period: {value!r} (e.g. 30m, 1h, 1d)")
    return int(found[1]) * _UNITS[found[2]]


def load_sites(path: str | Path | None) -> dict[str, SiteEntry]:
    """The sites of the file at `path` by name (none without a file)."""
    if path is None:
        return {}
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise SitesError(f"cannot read {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SitesError(f"{path}: {exc}") from None
    entries = {}
    for name, table in (data.get("sites") or {}).items():
        unknown = set(table) - {"base_url", "like", "every", "cron"}
        if unknown:
            raise SitesError(f"{path}: site {name}: unknown keys {sorted(unknown)}")
        spec = SiteSpec(name, table.get("base_url"), table.get("like"))
        check(spec)
        every = parse_every(table["every"]) if "every" in table else None
        cron = table.get("cron")
        if cron is not None and len(cron.split()) != 5:
            raise SitesError(f"{path}: site {name}: cron takes five fields: {cron!r}")
        entries[name] = SiteEntry(spec, every, cron)
    return entries


def check(spec: SiteSpec) -> None:
    """SitesError unless a crawl of `spec` can start."""
    if spec.base_url is not None:
        parts = urlsplit(spec.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SitesError(f"site {spec.name}: not an http(s) URL: {spec.base_url}")
    if spec.like is None:
        if spec.name not in SITES:
            known = ", ".join(sorted(SITES))
            raise SitesError(
                f"unknown site {spec.name!r} (registered: {known}; or give base_url and like)"
            )
        return
    if spec.like not in SITES:
        raise SitesError(f"site {spec.name}: like: unknown site {spec.like!r}")
    if spec.base_url is None:
        raise SitesError(f"site {spec.name}: a site like {spec.like} needs its base_url")
    if not _NAME.match(spec.name) or spec.name in SITES:
        raise SitesError(
            f"site {spec.name!r}: a new site's name is lower-case letters, digits, '.', '_' "
            "and '-', and not a registered site's"
        )


def resolve(name: str, base_url: str | None, entries: dict[str, SiteEntry]) -> SiteSpec:
    """The site `name` (of the file, else registered) at `base_url` if given."""
    if name in entries:
        spec = entries[name].spec
        if base_url is not None:
            spec = SiteSpec(spec.name, base_url, spec.like)
    else:
        spec = SiteSpec(name, base_url)
    check(spec)
    return spec


def register(spec: SiteSpec) -> Site:
    """The Site a job reads pages with. A site `like` a registered one becomes a
    subclass of it with its own name, address and host, added to this process's
    registry so that the crawl and the archive find it by name."""
    if spec.like is None:
        return get_site(spec.name)
    known = SITES.get(spec.name)
    if known is not None and known.base_url == spec.base_url:
        return known
    parent = type(get_site(spec.like))
    assert spec.base_url is not None
    derived = type(
        f"{parent.__name__}Like",
        (parent,),
        {
            "name": spec.name,
            "base_url": spec.base_url.rstrip("/"),
            "allowed_hosts": (urlsplit(spec.base_url).hostname or "",),
        },
    )
    SITES[spec.name] = site = derived()
    return site
