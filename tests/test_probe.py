"""`tinhuy sites probe URL`: a short real crawl of a site no class describes, what
discovery found, a sample of articles, and a draft site class that, imported, tells the
site's article URLs from its other pages (per the synthetic site's manifest)."""

from __future__ import annotations

import importlib.util
import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.mirror import serve_app
from crawler.replica.synthetic import SyntheticSite
from crawler.sites.base import Site
from tests.helpers import tinhuy

ARTICLES = 40
SAMPLE = 3


@pytest.fixture(scope="module", params=["nukeviet", "joomla"])
def site(request) -> Iterator[tuple[str, str, dict]]:
    """(family, base URL, manifest) of a synthetic site served over HTTP."""
    synthetic = SyntheticSite(ARTICLES, seed=11, family=request.param, log_requests=False)
    with serve_app(synthetic) as base_url:
        synthetic.base_url = base_url
        yield request.param, base_url, json.loads(b"".join(synthetic.manifest_chunks()))


def _import(path: Path) -> Site:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    classes = [v for v in vars(module).values() if isinstance(v, type) and issubclass(v, Site)]
    (drafted,) = [c for c in classes if c is not Site]
    return drafted()


def test_probe_prints_what_discovery_found_and_writes_a_draft_class(site, tmp_path) -> None:
    family, base_url, manifest = site
    out = tmp_path / f"{family}_draft.py"
    done = tinhuy("sites", "probe", base_url, "--name", f"{family}_draft", "--out", str(out),
                  "--articles", str(SAMPLE), "--fast")  # fmt: skip
    text = done.stdout
    listings = [p for p in manifest["pages"] if p["kind"] == "listing" and p.get("page") == 1]
    assert listings
    # Every listing discovery reports is one of the site's listings.
    reported = re.findall(r"^  (/\S*)$", text.split("listings (", 1)[1].split("feeds:")[0], re.M)
    assert reported and set(reported) <= {p["url"] for p in manifest["pages"]}
    assert f"\nwrote a draft site class to {out}" in text
    # The articles read, each with its title, date, author and body length.
    read = re.search(r"^articles read \((\d+)\):$", text, re.M)
    assert read and int(read[1]) >= SAMPLE
    assert len(re.findall(r"body \d{3,} characters", text)) == int(read[1])
    requests = int(re.search(r"^probe \S+: (\d+) requests$", text, re.M)[1])
    assert requests < len(manifest["pages"])  # a probe, not a crawl of the whole site

    drafted = _import(out)
    assert drafted.name == f"{family}_draft" and drafted.base_url == base_url
    # The addresses the site links its articles by (not the plain ones redirects end at).
    articles = [u for a in manifest["articles"] for u in [*a["urls"], *a["linked_urls"]]]
    others = [p["url"] for p in manifest["pages"] if p["kind"] in ("home", "listing", "other")]
    assert articles and others
    assert [u for u in articles if not drafted.is_article_url(base_url + u)] == []
    assert [u for u in others if drafted.is_article_url(base_url + u)] == []
    # Its categories are the listings found, and their pages are read as listing pages.
    for category in drafted.categories:
        assert drafted.listing_page(base_url + drafted.listing_url(category.path, 2)) == (
            category.path,
            2,
        )


def test_probe_refuses_what_it_cannot_do_in_one_line(tmp_path) -> None:
    taken = tmp_path / "x.py"
    taken.write_text("# mine\n", encoding="utf-8")
    for args, error in [
        (("http://127.0.0.1:9", "--out", str(taken)), f"--out: {taken} exists"),
        (("http://127.0.0.1:9", "--name", "Bad-Name"), "--name: 'Bad-Name' is no module name"),
        (("ftp://a.vn", "--out", str(tmp_path / "y.py")), "--base-url: not an http(s) URL"),
        (("https://a.vn", "--fast", "--out", str(tmp_path / "y.py")), "--fast is for"),
    ]:
        done = tinhuy("sites", "probe", *args, check=False)
        assert (done.returncode, done.stderr.count("\n")) == (2, 1), (args, done.stderr)
        assert error in done.stderr
    assert taken.read_text(encoding="utf-8") == "# mine\n"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    out = tmp_path / "none.py"
    gone = tinhuy("sites", "probe", f"http://127.0.0.1:{port}", "--out", str(out), "--fast",
                  check=False)  # fmt: skip
    assert gone.returncode == 4
    assert gone.stderr.startswith(f"tinhuy: cannot reach http://127.0.0.1:{port}")
    assert not out.exists()
