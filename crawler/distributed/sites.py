"""The sites jobs can name: those of the site registry (crawler/sites/registry.py), as
the specs jobs carry, and their schedules.

A job carries its site whole (name, address, and the class it is read like, or
`auto` for discovery), so a worker needs no registry file of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from crawler.distributed.jobs import SiteSpec
from crawler.sites import AUTO_SITE, Site, get_site
from crawler.sites.registry import (
    CLASS,
    CLASSES,
    LIKE,
    Entry,
    RegistryError,
    crawled_by_all,
    load,
    site_class,
)
from crawler.sites.registry import entry as registry_entry

# The errors of a registry file or a site name, one line each.
SitesError = RegistryError


@dataclass(frozen=True)
class SiteEntry:
    spec: SiteSpec
    every: int | None = None
    cron: str | None = None


def spec_of(entry: Entry) -> SiteSpec:
    """The spec a job of `entry` carries: a site class at another address has it, a
    discovered site is read `like` auto."""
    if entry.kind == CLASS:
        own = get_site(entry.name).base_url
        return SiteSpec(entry.name, None if entry.base_url == own else entry.base_url)
    return SiteSpec(entry.name, entry.base_url, entry.like if entry.kind == LIKE else AUTO_SITE)


def load_sites(path: str | Path | None) -> dict[str, SiteEntry]:
    """The sites the registry file names (`--sites`, else the default registry), by name."""
    return {
        name: SiteEntry(spec_of(e), e.every, e.cron) for name, e in load(path).items() if e.listed
    }


def all_sites(path: str | Path | None) -> list[SiteSpec]:
    """The sites `--all` names: the registry file's, else every site class."""
    return [spec_of(e) for e in crawled_by_all(load(path))]


def check(spec: SiteSpec) -> None:
    """SitesError unless a crawl of `spec` can start."""
    if spec.like is None and spec.name not in CLASSES:
        raise SitesError(
            f"unknown site {spec.name!r} (site classes: {', '.join(CLASSES)}; "
            "or name a site of the registry)"
        )
    table = {k: v for k, v in (("base_url", spec.base_url), ("like", spec.like)) if v}
    if spec.like == AUTO_SITE:
        table.pop("like")
        if not table:
            raise SitesError(f"site {spec.name}: a discovered site needs its base_url")
    try:
        registry_entry(spec.name, table)
    except RegistryError as exc:
        raise SitesError(f"site {spec.name}: {exc}") from None


def resolve(name: str, base_url: str | None, entries: dict[str, SiteEntry]) -> SiteSpec:
    """The site `name` (of the registry file, else a site class) at `base_url` if given."""
    spec = entries[name].spec if name in entries else SiteSpec(name)
    if base_url is not None:
        spec = SiteSpec(spec.name, base_url, spec.like)
    check(spec)
    return spec


def register(spec: SiteSpec) -> Site | None:
    """The Site a job reads pages with, made known to this process by name; None for
    a discovered site, whose crawl makes its own."""
    if spec.like == AUTO_SITE:
        return None
    if spec.like is None:
        return get_site(spec.name)
    assert spec.base_url is not None
    return site_class(Entry(spec.name, spec.base_url.rstrip("/"), LIKE, spec.like))
