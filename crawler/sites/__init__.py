"""Site profiles by name, and the profile that owns a URL."""

from __future__ import annotations

from urllib.parse import urlsplit

from crawler.sites.base import Category, SiteProfile
from crawler.sites.haiduong import PROFILE as HAIDUONG

PROFILES: dict[str, SiteProfile] = {p.name: p for p in (HAIDUONG,)}

__all__ = ["PROFILES", "Category", "SiteProfile", "get_profile", "profile_for_url"]


def get_profile(name: str) -> SiteProfile:
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise KeyError(f"unknown site {name!r} (known: {known})") from None


def profile_for_url(url: str) -> SiteProfile | None:
    host = (urlsplit(url).hostname or "").lower()
    for profile in PROFILES.values():
        if host in profile.allowed_domains:
            return profile
    return None
