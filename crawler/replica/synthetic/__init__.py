"""A synthetic Hải Dương site of N articles, generated per request, with injected faults.

    tinhuy mirror --synthetic 10000 --seed 1 --faults default

Nothing is written to disk; pages are rendered when requested. By subject:
content.py (the articles, deterministic from the seed), rendering.py (their pages),
faults.py (`--faults`: kinds, parsing, the faulty answers), manifest.py (what a crawl is
checked against), site.py (`SyntheticSite`, which answers each request from those).
`--family NAME` serves the same articles in another CMS family's shapes (families/).
"""

from crawler.replica.synthetic.content import ID_BASE
from crawler.replica.synthetic.faults import parse_faults
from crawler.replica.synthetic.rendering import date_form
from crawler.replica.synthetic.site import SyntheticSite, family_descriptions, family_names

__all__ = [
    "ID_BASE",
    "SyntheticSite",
    "date_form",
    "family_descriptions",
    "family_names",
    "parse_faults",
]
