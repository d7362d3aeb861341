"""The developer commands: extract one page, add a fixture, check the corpus, live canary."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from crawler.mirror import REPLICA, serve
from tests.helpers import tinhuy

SEED_PATH = "/news/Pages/new.aspx?CateID=1&ItemID=3523"
SEED_FILE = REPLICA / "html" / "news" / "3523.html"
SITE_URL = "http://tinhuyhaiduong.vn" + SEED_PATH
CANONICAL = "http://tinhuyhaiduong.vn/news/Pages/new.aspx?ItemID=3523"


def test_extract_a_saved_page_prints_the_item_after_the_pipelines() -> None:
    done = tinhuy("extract", str(SEED_FILE), "--url", SITE_URL)
    item = json.loads(done.stdout)
    assert item["published"] == "2021-04-01T09:15:00+07:00"
    assert item["published_raw"] == "Thứ Năm 01/04/2021 09:15"
    assert (item["author"], item["author_unit"]) == ("Phạm Thị Hoài", "VPTU")
    assert item["canonical_url"] == CANONICAL and item["article_key"] == "id:3523"
    assert item["event_date"] == "2021-03-31"
    assert "raw_body" not in item


def test_extract_a_url_fetches_it() -> None:
    with serve() as (base_url, site):
        done = tinhuy("extract", base_url + SEED_PATH)
        assert (SEED_PATH, 200) in site.requests
    assert json.loads(done.stdout)["title"].startswith("Đồng chí Phó Bí thư Thường trực")


def test_extract_bad_input() -> None:
    done = tinhuy("extract", "/no/such/page.html", check=False)
    assert done.returncode == 2 and "no such file" in done.stderr


def test_fixture_add_writes_a_draft_that_check_refuses_until_reviewed(tmp_path: Path) -> None:
    tinhuy("fixture", "add", str(SEED_FILE), "--name", "seed", "--url", SITE_URL,
           "--dir", str(tmp_path))  # fmt: skip
    expected_path = tmp_path / "seed.expected.json"
    draft = json.loads(expected_path.read_text(encoding="utf-8"))
    meta = json.loads((tmp_path / "seed.meta.json").read_text(encoding="utf-8"))
    assert draft["draft"] is True and meta["url"] == SITE_URL and meta["site"] == "haiduong"
    assert (tmp_path / "seed.html").read_bytes() == SEED_FILE.read_bytes()

    refused = tinhuy("fixture", "check", "--dir", str(tmp_path), check=False)
    assert refused.returncode == 1 and "draft" in refused.stdout

    del draft["draft"]
    expected_path.write_text(json.dumps(draft, ensure_ascii=False), encoding="utf-8")
    assert "all fixtures match" in tinhuy("fixture", "check", "--dir", str(tmp_path)).stdout

    draft["author"] = "Người Khác"
    expected_path.write_text(json.dumps(draft, ensure_ascii=False), encoding="utf-8")
    wrong = tinhuy("fixture", "check", "--dir", str(tmp_path), check=False)
    assert wrong.returncode == 1
    assert "author" in wrong.stdout and "Người Khác" in wrong.stdout

    again = tinhuy("fixture", "add", str(SEED_FILE), "--name", "seed", "--dir", str(tmp_path),
                   check=False)  # fmt: skip
    assert again.returncode == 2 and "exists" in again.stderr


def test_fixture_check_over_the_corpus_passes() -> None:
    done = tinhuy("fixture", "check")
    assert "all fixtures match" in done.stdout


def test_live_check_catches_a_layout_change(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(REPLICA, site)
    pages = tmp_path / "pages"
    pages.mkdir()
    with serve(site) as (base_url, _requests):
        tinhuy("fixture", "add", base_url + SEED_PATH, "--name", "seed", "--dir", str(pages))
        expected_path = pages / "seed.expected.json"
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        del expected["draft"]
        expected_path.write_text(json.dumps(expected, ensure_ascii=False), encoding="utf-8")
        assert tinhuy("fixture", "check", "--live", "--dir", str(pages)).returncode == 0

        page = site / "html" / SEED_FILE.relative_to(REPLICA / "html")
        html = page.read_text(encoding="utf-8")
        start = html.index('<div class="news-meta">')
        page.write_text(html[:start] + html[html.index("</div>", start) + 6 :], encoding="utf-8")
        changed = tinhuy("fixture", "check", "--live", "--dir", str(pages), check=False)
    assert changed.returncode == 3
    assert "published" in changed.stdout
