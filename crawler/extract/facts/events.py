"""The date of the event a lead reports on, and the part of the day it happened."""

from __future__ import annotations

import re
from datetime import date

from crawler.extract.facts.documents import follows_document
from crawler.extract.facts.lexicon import UP
from crawler.text.dates import search_dates
from crawler.text.normalize import nfc

_CLAUSE_START = re.compile(r"[,;:.]\s*")
_SENTENCE_END = re.compile(rf"[.!?](?=\s+{UP}|\s*$)")
# Words allowed between a clause's start and its date: `Vào sáng 31/3`, `Tối qua, ngày 2/9`.
_MAX_WORDS_BEFORE = 2


def event_date(lead: str, *, published: str | None = None) -> tuple[str | None, str | None]:
    """(ISO date, part of day) of the event a lead reports on.

    The date must open a clause of the lead's first sentence (`Chiều 31/3/2021, đồng
    chí ...`, `Thực hiện Kế hoạch ..., sáng 20/3, ...`) and not belong to a cited
    document (`Kế hoạch số 12-KH/TU ngày 5/3/2021`). A day and month without a year
    take the publish year, or the year before when that would put the event after
    publication (`Ngày 30/12` published on 2 January).

    >>> event_date("Chiều 31/3/2021, đồng chí Lê Văn Hiệu làm việc với Trường Chính trị tỉnh")
    ('2021-03-31', 'chiều')
    """
    if not lead:
        return None, None
    lead = nfc(lead)
    published_day = _published_day(published)
    year = published_day.year if published_day else None
    sentence = _SENTENCE_END.search(lead)
    limit = sentence.start() if sentence else len(lead)
    for match in search_dates(lead[:limit], context_year=year):
        clause = 0
        for boundary in _CLAUSE_START.finditer(lead, 0, match.start):
            clause = boundary.end()
        if (len(lead[clause:match.start].split()) > _MAX_WORDS_BEFORE
                or follows_document(lead, match.start)):
            continue
        iso = match.iso[:10]
        if year is not None and published_day and iso > published_day.isoformat():
            earlier = [d for d in search_dates(lead[:limit], context_year=year - 1)
                       if d.start == match.start]
            if earlier:
                iso = earlier[0].iso[:10]
        return iso, match.part_of_day
    return None, None


def _published_day(published: str | None) -> date | None:
    if not published:
        return None
    found = search_dates(published)
    if not found:
        return None
    return date.fromisoformat(found[0].iso[:10])
