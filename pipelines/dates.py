"""The stable import path of the date normalizer (DESIGN.md): the rules live in
`crawler.text.dates`, the bottom layer, because extraction reads dates too."""

from crawler.text.dates import DateMatch, normalize_date, parse_date, search_dates

__all__ = ["DateMatch", "normalize_date", "parse_date", "search_dates"]
