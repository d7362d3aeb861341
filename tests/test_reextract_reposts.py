"""Re-extraction of an exact re-post met before its original: nothing to repair."""

from __future__ import annotations

from datetime import datetime

from crawler.extract import extract_article
from crawler.mirror import REPLICA, Site
from crawler.sites import get_profile
from pipelines.process import process
from pipelines.reextract import reextract
from pipelines.storage import TZ, Store, open_engine

HD = get_profile("haiduong")
FETCHED = datetime(2021, 4, 22, 8, 0, tzinfo=TZ)


def page_item(site: Site, path: str) -> dict:
    html = site.resolve(path).file.read_bytes()
    url = HD.base_url + path
    item = process(extract_article(html, url, profile=HD), url, profile=HD, fetched_at=FETCHED)
    return {**item, "raw_body": html, "status": 200, "fetched_at": FETCHED}


def test_a_repost_stored_first_is_not_a_change_on_reextraction(tmp_path, manifest) -> None:
    site = Site.load(REPLICA)
    repost = next(a for a in manifest["articles"] if a.get("same_as"))
    original = next(a for a in manifest["articles"] if a["id"] == repost["same_as"])
    engine = open_engine(tmp_path / "r.db")
    with Store(engine, HD.name) as store:
        assert store.save(page_item(site, repost["urls"][0]), FETCHED).outcome == "new"
        assert store.save(page_item(site, original["urls"][0]), FETCHED).outcome == "duplicate"
    assert reextract(engine, HD.name) == {"unchanged": 1}
    engine.dispose()
