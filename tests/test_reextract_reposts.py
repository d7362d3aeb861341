"""Re-extraction of an exact re-post met before its original: nothing to repair."""

from __future__ import annotations

from datetime import datetime

from crawler.extract import extract_article
from crawler.mirror import REPLICA, Site
from crawler.sites import get_site
from crawler.text.dates import VN_TZ as TZ
from pipelines.archive.engine import open_engine
from pipelines.archive.reextract import reextract
from pipelines.archive.storage import Store
from pipelines.stages.process import process

HD = get_site("haiduong")
FETCHED = datetime(2021, 4, 22, 8, 0, tzinfo=TZ)


def page_item(site: Site, path: str) -> dict:
    html = site.resolve(path).file.read_bytes()
    url = HD.base_url + path
    item = process(extract_article(html, url, site=HD), url, site=HD, fetched_at=FETCHED)
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


def test_the_archive_is_the_same_whichever_copy_came_first(tmp_path, manifest) -> None:
    site = Site.load(REPLICA)
    repost = next(a for a in manifest["articles"] if a.get("same_as"))
    original = next(a for a in manifest["articles"] if a["id"] == repost["same_as"])
    stored = []
    for order in ((repost, original), (original, repost)):
        engine = open_engine(tmp_path / f"{order[0]['id']}.db")
        with Store(engine, HD.name) as store:
            for article in order:
                store.save(page_item(site, article["urls"][0]), FETCHED)
        with engine.connect() as conn:
            row = conn.exec_driver_sql(
                "SELECT article_key, canonical_url, published, category, related, documents, "
                "(SELECT r.url FROM article_versions v JOIN raw_pages r ON r.id = v.raw_page_id "
                " WHERE v.article_id = a.id) FROM articles a"
            ).one()
            urls = sorted(u for (u,) in conn.exec_driver_sql("SELECT url FROM article_urls"))
        stored.append((tuple(row), urls))
        engine.dispose()
    assert stored[0] == stored[1]
    assert stored[0][0][0] == f"id:{original['id']}"
