"""Facts analysts count: cited documents, named officials and the date an event happened.

Pure functions over plain text (an article's lead and body), no Scrapy. Everything is
read with compiled patterns found by one scan each; the few phrase boundaries that a
pattern cannot see (where an organisation ends and a person's name begins) are settled
by a short walk over the words right after each hit, never over the whole text.

* ``documents``: the documents a text cites (``cited_documents``).
* ``positions``: the officials it names, with their positions (``officials``).
* ``events``: the date of the event a lead reports on (``event_date``).
* ``phrases``: the word walk both documents (issuers) and officials (positions) use.
* ``lexicon``: the words both read by: document types, position heads, capitals.
"""

# These import paths are stable (DESIGN.md).
from crawler.extract.facts.documents import cited_documents
from crawler.extract.facts.events import event_date
from crawler.extract.facts.positions import officials

__all__ = ["cited_documents", "event_date", "officials"]
