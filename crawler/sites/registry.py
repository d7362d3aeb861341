"""The site registry: every site `tinhuy` knows by name, with its address and schedule.

The site classes of crawler/sites/ are entries of their own. A TOML file the user edits
(`--sites FILE`, else $TINHUY_SITES, else data/sites.toml beside the default archive)
adds sites and schedules:

    [sites.haiduong]                 # a site class: its own address, on a schedule
    every = "1h"

    [sites.haiduong-mirror]          # its own name and address, read with the URL
    base_url = "http://mirror.example.vn"   # shapes and layouts of a site class
    like = "haiduong"
    cron = "15 */6 * * *"            # minute hour day-of-month month day-of-week

    [sites.hagiang]                  # no class: discovery finds its listings and
    base_url = "https://hagiang.dcs.vn"     # article URLs at each crawl
    every = "1d"

A site's name is what the archive knows it by (`site` of its articles and runs).
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from crawler.sites import AUTO_SITE, SITES, Site, get_site

REGISTRY_ENV = "TINHUY_SITES"
DEFAULT_REGISTRY = Path("data") / "sites.toml"
# What an entry is: a site class, a site read like a class, a site discovery reads.
CLASS, LIKE, DISCOVERED = "class", "like", "discovered"
KEYS = ("base_url", "like", "every", "cron")

_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_EVERY = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
# A site's name is stored in the archive's `site` columns (64 characters).
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
# The site classes, before `site_class` adds the sites read like one to SITES.
CLASSES = tuple(SITES)


class RegistryError(ValueError):
    """A registry file or a site name that cannot be used; the message is for the user."""


@dataclass(frozen=True)
class Entry:
    """One site of the registry. `like` is the site class whose shapes and layouts a
    `like` site is read with; `every` (seconds) or `cron` its schedule, if any.
    `listed` says whether the registry file names it (`--all` crawls those)."""

    name: str
    base_url: str
    kind: str
    like: str | None = None
    every: int | None = None
    cron: str | None = None
    listed: bool = False

    def schedule(self) -> str | None:
        if self.cron is not None:
            return f"cron {self.cron}"
        return f"every {format_every(self.every)}" if self.every is not None else None


def parse_every(value: str) -> int:
    """`90s`, `15m`, `1h`, `1d` in seconds."""
    found = _EVERY.match(value)
    if not found or int(found[1]) == 0:
        raise RegistryError(f"not a period: {value!r} (e.g. 30m, 1h, 1d)")
    return int(found[1]) * _UNITS[found[2]]


def format_every(seconds: int | None) -> str:
    """Seconds in the largest unit that divides them: 3600 -> `1h`."""
    assert seconds is not None
    unit = next(u for u, size in _UNITS.items() if seconds % size == 0)
    return f"{seconds // _UNITS[unit]}{unit}"


def registry_path(path: str | Path | None = None) -> tuple[Path, bool]:
    """The registry file and whether it was named (`--sites`, $TINHUY_SITES): a named
    file must exist, the default one need not."""
    named = path or os.environ.get(REGISTRY_ENV)
    return (Path(named), True) if named else (DEFAULT_REGISTRY, False)


def class_entries() -> dict[str, Entry]:
    """The site classes as entries, at their own addresses."""
    return {
        name: Entry(name, site.base_url, CLASS) for name, site in SITES.items() if name in CLASSES
    }


def load(path: str | Path | None = None) -> dict[str, Entry]:
    """Every site by name: the site classes, then the entries of the registry file."""
    file, named = registry_path(path)
    entries = class_entries()
    if named or file.exists():
        entries.update(read_file(file))
    return entries


def read_file(path: str | Path) -> dict[str, Entry]:
    """The entries of the registry file at `path`, each checked."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise RegistryError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise RegistryError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{path}: not TOML: {exc}") from None
    sites = data.get("sites", {})
    if not isinstance(sites, dict) or set(data) - {"sites"}:
        raise RegistryError(f"{path}: sites are tables [sites.NAME], nothing else")
    entries = {}
    for name, table in sites.items():
        try:
            entries[name] = entry(name, table)
        except RegistryError as exc:
            raise RegistryError(f"{path}: site {name}: {exc}") from None
    return entries


def entry(name: str, table: object) -> Entry:
    """The entry `[sites.NAME]` with the keys of `table`, or RegistryError saying why not."""
    if not isinstance(table, dict):
        raise RegistryError("not a table of keys (base_url, like, every, cron)")
    unknown = set(table) - set(KEYS)
    if unknown:
        raise RegistryError(f"unknown keys {sorted(unknown)}")
    wrong = [key for key in KEYS if key in table and not isinstance(table[key], str)]
    if wrong:
        raise RegistryError(f"{wrong[0]} takes a string")
    base_url, like = table.get("base_url"), table.get("like")
    every = parse_every(table["every"]) if "every" in table else None
    cron = table.get("cron")
    if cron is not None and len(cron.split()) != 5:
        raise RegistryError(f"cron takes five fields: {cron!r}")
    if every is not None and cron is not None:
        raise RegistryError("every or cron, not both")
    if base_url is not None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RegistryError(f"not an http(s) URL: {base_url}")
        base_url = base_url.rstrip("/")
    if name in CLASSES:
        if like is not None:
            raise RegistryError(f"{name} is a site class; a site like it takes a name of its own")
        return Entry(name, base_url or SITES[name].base_url, CLASS, None, every, cron, True)
    if not _NAME.match(name) or name == AUTO_SITE:
        raise RegistryError(
            "a site's name is lower-case letters, digits, '.', '_' and '-' (64 at most), "
            f"not {AUTO_SITE}"
        )
    if base_url is None:
        raise RegistryError(
            f"unknown site {name!r} (site classes: {', '.join(CLASSES)}); "
            "a new site needs its base_url"
        )
    if like is None:
        return Entry(name, base_url, DISCOVERED, None, every, cron, True)
    if like not in CLASSES:
        raise RegistryError(f"like: unknown site {like!r} (site classes: {', '.join(CLASSES)})")
    return Entry(name, base_url, LIKE, like, every, cron, True)


def find(name: str, entries: dict[str, Entry]) -> Entry:
    try:
        return entries[name]
    except KeyError:
        known = ", ".join(sorted(entries))
        raise RegistryError(f"unknown site {name!r} (known: {known}; tinhuy sites list)") from None


def entry_at(url: str, entries: dict[str, Entry]) -> Entry | None:
    """The entry of the registry file served at `url`'s origin, if one is."""

    def origin(address: str) -> tuple[str, str, int | None]:
        parts = urlsplit(address)
        return parts.scheme, (parts.hostname or "").removeprefix("www."), parts.port

    return next(
        (e for e in entries.values() if e.listed and origin(e.base_url) == origin(url)), None
    )


def crawled_by_all(entries: dict[str, Entry]) -> list[Entry]:
    """The sites `--all` crawls: those the registry file names, else every site class."""
    listed = [e for e in entries.values() if e.listed]
    return listed or [e for e in entries.values() if e.kind == CLASS]


def site_class(entry: Entry) -> Site:
    """The Site a `like` entry is read with: a subclass of its class with its own name,
    address and host, added to this process's SITES so that the crawl, its extraction
    and the archive find it by name. A class entry is its class."""
    if entry.kind == CLASS:
        return get_site(entry.name)
    assert entry.kind == LIKE and entry.like is not None
    known = SITES.get(entry.name)
    if known is not None and known.base_url == entry.base_url:
        return known
    parent = type(get_site(entry.like))
    derived = type(
        f"{parent.__name__}Like",
        (parent,),
        {
            "name": entry.name,
            "base_url": entry.base_url,
            "allowed_hosts": (urlsplit(entry.base_url).hostname or "",),
        },
    )
    SITES[entry.name] = site = derived()
    return site


def add(path: str | Path | None, name: str, table: dict[str, str]) -> Entry:
    """Append `[sites.NAME]` with the keys of `table` to the registry file (made if
    missing); RegistryError for a name the registry has, or a bad entry."""
    file, _ = registry_path(path)
    entries = load(file) if file.exists() else class_entries()
    if name in entries:
        raise RegistryError(f"site {name!r} is registered already ({entries[name].base_url})")
    try:
        new = entry(name, table)
    except RegistryError as exc:
        raise RegistryError(f"site {name}: {exc}") from None
    key = name if _BARE_KEY.match(name) else json.dumps(name)
    # TOML basic strings take JSON's escapes; the values are URLs, names and periods.
    lines = [f"[sites.{key}]", *(f"{k} = {json.dumps(v)}" for k, v in table.items())]
    text = file.read_text(encoding="utf-8") if file.exists() else ""
    separator = "" if not text else ("\n" if text.endswith("\n") else "\n\n")
    file.parent.mkdir(parents=True, exist_ok=True)
    with file.open("a", encoding="utf-8") as out:
        out.write(separator + "\n".join(lines) + "\n")
    return new
