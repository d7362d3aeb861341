"""A draft site class, as Python source, from what discovery found on a site (the
`tinhuy/discovery` summary of a crawl): its listings as categories, its article URL
templates as `ArticleShape`s, its pagination, and an empty layout for the user to fill.
`tinhuy sites probe` writes it for review, the way `fixture add` writes a draft fixture.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import fields
from typing import Any
from urllib.parse import urlsplit

from crawler.discovery.shapes import target
from crawler.sites.base import Selectors

_NON_WORD = re.compile(r"\W+")
# The pagination forms a draft may name, each a call with literal arguments.
_PAGINATIONS = ("QueryPage", "OffsetPage", "PathPage")
_MODULE = re.compile(r"^[a-z][a-z0-9_]*$")


def default_name(base_url: str) -> str:
    """A module name for the site at `base_url`: its host's first label but `www`
    (`hagiang.dcs.vn` -> `hagiang`), an address's digits (`site_127_0_0_1_8000`)."""
    parts = urlsplit(base_url)
    host = (parts.hostname or "").lower()
    labels = [label for label in host.split(".") if label != "www"]
    if not labels or all(label.isdigit() for label in labels):
        bare = "_".join([*labels, str(parts.port or "")]).strip("_")
        return f"site_{bare}"
    name = _NON_WORD.sub("_", labels[0]).strip("_")
    return name if _MODULE.match(name) else f"site_{name}"


def is_module_name(name: str) -> bool:
    return bool(_MODULE.match(name))


def class_name(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_") if part) or "Draft"


def pagination_source(described: str | None) -> str:
    """The pagination of the summary (`PathPage(template='/page-{page}')`) as source, if
    it is one of the forms with literal arguments; else the default, the page in `?page=`."""
    if described:
        try:
            call = ast.parse(described, mode="eval").body
        except SyntaxError:
            call = None
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Name)
            and call.func.id in _PAGINATIONS
            and all(isinstance(a, ast.Constant) for a in call.args)
            and all(isinstance(k.value, ast.Constant) for k in call.keywords)
        ):
            return described
    return "QueryPage()"


def _string(text: str) -> str:
    """A regex as a raw string literal where it can be one, readable as the site's URLs."""
    if '"' not in text and "\n" not in text and not text.endswith("\\"):
        return f'r"{text}"'
    return repr(text)


def _slug(path: str) -> str:
    return _NON_WORD.sub("-", path.strip("/").lower()).strip("-") or "home"


def draft_source(
    name: str,
    base_url: str,
    found: dict[str, Any],
    sample_urls: Iterable[str] = (),
    probed: str = "",
) -> str:
    """The source of a site class `name` at `base_url` from the discovery summary `found`;
    each article shape names one of `sample_urls` it matches, as an example."""
    host = (urlsplit(base_url).hostname or "").lower().removeprefix("www.")
    samples = list(sample_urls)
    shapes = []
    # Two templates of one path shape may give one pattern: one shape is enough.
    for pattern in dict.fromkeys(found.get("article_templates", [])):
        example = next((u for u in samples if re.search(pattern, target(u), re.I)), None)
        if example:
            shapes.append(f"        # e.g. {example}")
        shapes.append(f"        ArticleShape(re.compile({_string(pattern)}, re.I)),")
    categories = [
        f"        Category({_slug(path)!r}, {_slug(path)!r}, {path!r}),"
        for path in found.get("listings", [])
    ]
    pagination = pagination_source(found.get("pagination"))
    postback = found.get("postback_pagination")
    form = pagination.partition("(")[0]
    names = ["ArticleShape", "Category", "Layout", form, "Selectors", "Site"]
    lines = [
        f'"""Draft site class of {base_url.rstrip("/")},',
        f"written by `tinhuy sites probe`{probed} from what discovery found.",
        "",
        "Review it before use: name each category as the site's menu does,",
        "check the article URL shapes against a few article pages (and add `canonical` where",
        "one URL names each article), fill the layout's selectors (None leaves a field to the",
        "extractor's generic layers); then save it as crawler/sites/NAME.py and add it to",
        'SITES in crawler/sites/__init__.py."""',
        "",
        "import re",
        "",
        f"from crawler.sites.base import {', '.join(names)}",
        "",
        "",
        f"class {class_name(name)}(Site):",
        f"    name = {name!r}",
        f"    base_url = {base_url.rstrip('/')!r}",
        f"    allowed_hosts = ({host!r}, {'www.' + host!r})",
        '    site_name = ""  # the site\'s own name, as its header prints it',
        "    categories = (",
        *(categories or ["        # no listing found: add the menu's categories"]),
        "    )",
        "    article_urls = (",
        *(shapes or ["        # no article URL shape found: add one per shape"]),
        "    )",
    ]
    if postback:
        lines.append("    # The listings page by postbacks only: no page past the first has a URL.")
    lines += [
        f"    pagination = {pagination}",
        "    layouts = (",
        '        Layout("draft", Selectors(',
        *(f"            {f.name}={f.default!r}," for f in fields(Selectors)),
        "        )),",
        "    )",
    ]
    source = "\n".join(lines) + "\n"
    # What is written must be Python: a summary that made it otherwise is a bug here.
    ast.parse(source)
    return source
