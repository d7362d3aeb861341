"""Every numeric threshold of the extraction heuristics, named once (as trafilatura keeps
its settings in one place). Link density is the share of a block's characters that sit
inside links: prose has almost none, menus and article lists almost nothing else."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    # A block of prose: at least this long and at most this linked (body, lead, teasers).
    min_paragraph_chars: int = 25
    prose_max_link_density: float = 0.4
    # A lead (sapo) is one paragraph of plain text.
    lead_max_link_density: float = 0.2
    # Inside a related-articles list, a block this little linked is prose: the list ended.
    related_min_link_density: float = 0.3
    # A block more linked than this is a link (or a list item), not the title or a date line.
    link_min_density: float = 0.5
    # Teasers of a listing, and link-list chrome inside the body container.
    teaser_min_link_density: float = 0.6
    # A line between two candidate dates this linked belongs to a menu or list.
    menu_line_min_link_density: float = 0.7
    # A menu entry: all but a letter or two of it is the link.
    menu_entry_min_link_density: float = 0.9
    # A page whose non-ASCII characters are at least this share valid UTF-8 is UTF-8 with a
    # few damaged bytes (a cut, a stray byte), not a page in another encoding, whose letters
    # are nearly all invalid UTF-8.
    utf8_min_valid_share: float = 0.5


THRESHOLDS = Thresholds()
