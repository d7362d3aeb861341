"""The synthetic site's faults: which kinds there are, `--faults` parsing, and the
answers a faulty URL gives instead of its page.

Each article or listing URL draws at most one fault kind with the given rates. Transient
kinds fail the first attempts of a URL and then answer normally, so a crawler that retries
gets every page; `404` is permanent; the encoding kinds change the bytes, not the article.
`loop`, `oversize` and `gzipbomb` are counts of special article-shaped URLs linked from the
home page. `--faults default` is `DEFAULT_FAULTS`.
"""

from __future__ import annotations

import gzip
import re
import threading
import unicodedata
from collections.abc import Callable, Iterator, Sequence

from crawler.mirror import NOT_FOUND, Reply, request_key
from crawler.sites.haiduong import NEWS

# The type every page is served with; the encoding faults are what change it.
HTML = "text/html; charset=utf-8"

TRANSIENT = {"500": 1, "503": 2, "reset": 1, "truncate": 1, "slow": 1}  # failed attempts
PERMANENT = frozenset({"404"})
# A tuple, not a set: the order decides which kind an article draws, in every process.
CONTENT = ("cp1258", "nocharset", "nfd", "redirect")
RATE_KINDS = (*TRANSIENT, *PERMANENT, *CONTENT)
COUNT_KINDS = ("loop", "oversize", "gzipbomb")
# About 5% of the article URLs, and the transient kinds on listing pages at the same rates.
DEFAULT_FAULTS: dict[str, float] = {
    "500": 0.01,
    "503": 0.005,
    "reset": 0.005,
    "truncate": 0.005,
    "slow": 0.002,
    "404": 0.003,
    "cp1258": 0.008,
    "nocharset": 0.005,
    "nfd": 0.005,
    "redirect": 0.002,
    "loop": 1,
    "oversize": 1,
    "gzipbomb": 1,
}

# Ids of the special fault pages: far above any article so that growing the site never
# collides with them.
SPECIAL_BASE = 9_000_000
# Bigger than settings.DOWNLOAD_MAXSIZE (8 MB) by a margin.
OVERSIZE_BYTES = 9 * 1024 * 1024
BOMB_INFLATED_BYTES = 24 * 1024 * 1024


def parse_faults(spec: str | None) -> dict[str, float]:
    """`default`, `none`, or `kind=rate,...` (`loop`, `oversize`, `gzipbomb` take counts)."""
    if not spec or spec == "none":
        return {}
    if spec == "default":
        return dict(DEFAULT_FAULTS)
    faults: dict[str, float] = {}
    for part in spec.split(","):
        kind, sep, value = part.strip().partition("=")
        if not sep or kind not in (*RATE_KINDS, *COUNT_KINDS):
            raise ValueError(f"bad fault {part!r}: use kind=rate with kind in {RATE_KINDS}")
        try:
            rate = float(value)
        except ValueError:
            raise ValueError(f"bad fault rate {part!r}") from None
        if rate < 0 or (kind in RATE_KINDS and rate > 1):
            raise ValueError(f"bad fault rate {part!r}")
        faults[kind] = rate
    if sum(faults.get(k, 0) for k in RATE_KINDS) > 1:
        raise ValueError("fault rates add up to more than 1")
    return faults


def replica_special_url(number: int, variant: int) -> str:
    """The replica's article shape for a special page: ItemIDs far above any article's."""
    return f"{NEWS}?CateID={variant}&ItemID={number}"


def special_pages(
    faults: dict[str, float], url: Callable[[int, int], str] = replica_special_url
) -> tuple[tuple[str, str, str], ...]:
    """(kind, first URL, second URL or '') of the loop, oversize and gzip bomb pages;
    `url(number, variant)` gives them the site's article shape, so a crawl follows them."""
    out = []
    number = SPECIAL_BASE
    for kind in COUNT_KINDS:
        for _ in range(int(faults.get(kind, 0))):
            number += 1
            first = url(number, 1)
            second = url(number, 2) if kind == "loop" else ""
            out.append((kind, first, second))
    return tuple(out)


# The two paths a redirected article's chain passes through before its final URL.
HOPS = ("/chuyen-huong/", "/tin-cu/")


def redirect_hop(path: str, listed: bool, file_name: str, final_url: str) -> Reply | None:
    """One hop of a redirected article's chain (listed URL, then each of HOPS, then its
    final URL), or None where `path` is not on the chain before the end."""
    if listed:
        return Reply(301, b"", HTML, headers=(("Location", f"{HOPS[0]}{file_name}"),))
    if path.startswith(HOPS[0]):
        return Reply(302, b"", HTML, headers=(("Location", f"{HOPS[1]}{file_name}"),))
    if path.startswith(HOPS[1]):
        return Reply(307, b"", HTML, headers=(("Location", final_url),))
    return None


# The page's own charset declaration, in either form (`<meta charset>`, `http-equiv`).
_CHARSET_META = re.compile(r"<meta[^>]*charset=\"?utf-8[^>]*>\n?", re.IGNORECASE)


def encoded(kind: str | None, html: str) -> Reply:
    """An article page in the bytes and content type its encoding fault gives it."""
    if kind == "cp1258":
        html = _CHARSET_META.sub(_to_cp1258, html, count=1)
        return Reply(200, encode_cp1258(html), "text/html; charset=windows-1258")
    if kind == "nocharset":
        return Reply(200, _CHARSET_META.sub("", html, count=1).encode(), "text/html")
    if kind == "nfd":
        return Reply(200, unicodedata.normalize("NFD", html).encode(), HTML)
    return Reply(200, html.encode(), HTML)


def _to_cp1258(match: re.Match[str]) -> str:
    return re.sub("utf-8", "windows-1258", match[0], flags=re.IGNORECASE)


class FaultInjector:
    """The faults that depend on what was asked before (attempts per URL) or that are
    costly to make (the gzip bomb, made once): one per site, shared by server threads."""

    def __init__(
        self,
        slow_seconds: float,
        bomb_page: Callable[[], str],
        specials: Sequence[tuple[str, str, str]],
    ) -> None:
        self.slow_seconds = slow_seconds
        self.bomb_page = bomb_page
        self.specials = specials
        self._attempts: dict[str, int] = {}
        self._lock = threading.Lock()
        self._bomb: bytes | None = None

    def _attempt(self, key: str) -> int:
        with self._lock:
            self._attempts[key] = self._attempts.get(key, 0) + 1
            return self._attempts[key]

    def transient(self, kind: str | None, key: str, reply: Reply) -> Reply:
        """Fail the first attempts of a URL with a transient fault; answer later ones."""
        if kind not in TRANSIENT or self._attempt(key) > TRANSIENT[kind]:
            return reply
        if kind in ("500", "503"):
            return Reply(int(kind), NOT_FOUND, HTML, headers=(("Retry-After", "1"),))
        if kind == "slow":
            return Reply(reply.status, reply.body, reply.content_type, delay=self.slow_seconds)
        return Reply(reply.status, reply.body, reply.content_type, action=kind)

    def special(self, path: str) -> Reply | None:
        """The answer of a loop, oversize or gzip bomb URL, or None for any other path."""
        for kind, first, second in self.specials:
            first_key, second_key = request_key(first), request_key(second)
            if path == first_key and kind == "loop":
                return Reply(302, b"", HTML, headers=(("Location", second),))
            if path == second_key and kind == "loop":
                return Reply(302, b"", HTML, headers=(("Location", first),))
            if path == first_key and kind == "oversize":
                return Reply(200, b"", HTML, stream=_oversize_chunks, length=OVERSIZE_BYTES)
            if path == first_key and kind == "gzipbomb":
                return Reply(200, self._bomb_body(), HTML, headers=(("Content-Encoding", "gzip"),))
        return None

    def _bomb_body(self) -> bytes:
        with self._lock:
            if self._bomb is None:
                page = self.bomb_page().encode()
                self._bomb = gzip.compress(page + b" " * BOMB_INFLATED_BYTES, mtime=0)
            return self._bomb


def _oversize_chunks() -> Iterator[bytes]:
    chunk = b"<!-- " + b"x" * (1024 * 1024 - 9) + b" -->\n"
    sent = 0
    while sent < OVERSIZE_BYTES:
        piece = chunk[: OVERSIZE_BYTES - sent]
        sent += len(piece)
        yield piece


def encode_cp1258(html: str) -> bytes:
    """windows-1258 bytes of NFC text: the code page has the base letters (â, ơ, ư, đ...)
    but writes tones as combining marks, so each precomposed letter is split as Vietnamese
    Windows software did."""
    out = bytearray()
    for char in html:
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        # Recompose the letter part (o + circumflex -> ô) and keep the tone separate.
        for k in range(len(marks), -1, -1):
            head = unicodedata.normalize("NFC", base + marks[:k])
            try:
                out += head.encode("cp1258") + marks[k:].encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
        else:
            out += f"&#{ord(char)};".encode()
    return bytes(out)
