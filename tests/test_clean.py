"""The clean stage: the extractor's text rules, held for items from any source."""

from pipelines.stages.clean import clean_fields


def test_text_is_nfc_without_invisible_characters_or_chrome() -> None:
    item = clean_fields(
        {
            "title": "Đo\u0302\u0300ng chí\u00a0Bí thư\u200b Tỉnh ủy ",
            "body": "Xem với cỡ chữ\n\nChiều 31/3, đồng chí  Lê Văn Hiệu.\r\n\r\n"
            "In bài viết | Gửi email\n\nCÁC BÀI VIẾT KHÁC:\n\n"
            "Thông tin mới về dịch bệnh trong tỉnh.",
            "author": "  ",
            "captions": ["Toàn cảnh", "Toàn cảnh", ""],
        }
    )
    assert item["title"] == "Đồng chí Bí thư Tỉnh ủy"
    # A short paragraph that opens like a related heading is body all the same.
    assert (
        item["body"]
        == "Chiều 31/3, đồng chí Lê Văn Hiệu.\n\nThông tin mới về dịch bệnh trong tỉnh."
    )
    assert item["author"] is None
    assert item["captions"] == ["Toàn cảnh"]
