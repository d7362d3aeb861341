"""Datasette plugin for `tinhuy browse`: every `.csv` download has its formula cells
neutralized as the CSV dump has them (pipelines/archive/dump/cells.py), so that a title
such as `=HYPERLINK(...)` opens in a spreadsheet as text, not as a live formula.

Datasette 0.65 writes CSV itself, before any output renderer is asked, so the plugin
is an ASGI wrapper that rewrites the CSV on its way out, record by record as Datasette
streams it: memory does not grow with `_stream=1` on the whole archive."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import unquote_plus

from datasette import hookimpl

from pipelines.archive.dump.cells import neutralize

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

# Datasette's CSV: text/plain, or text/csv as a download (`_dl=1`).
CSV_TYPES = (b"text/plain", b"text/csv")


@hookimpl
def asgi_wrapper(datasette: Any) -> Callable[[App], App]:
    return neutralize_csv


def neutralize_csv(app: App) -> App:
    """`app` with every successful response to a `.csv` path rewritten by CsvCells."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].endswith(".csv"):
            await app(scope, receive, send)
            return
        # `_trace=1` would wrap the CSV in an HTML page that a person copies from
        # unrewritten; without it the answer is the CSV itself.
        scope = {**scope, "query_string": without_trace(scope.get("query_string", b""))}
        cells: CsvCells | None = None

        async def rewriting(message: Message) -> None:
            nonlocal cells
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                kind = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if message["status"] == 200 and kind.startswith(CSV_TYPES):
                    cells = CsvCells()
                    # The rewritten body is longer: a stated length would cut it short.
                    kept = [(k, v) for k, v in headers if k.lower() != b"content-length"]
                    message = {**message, "headers": kept}
            elif message["type"] == "http.response.body" and cells is not None:
                body = cells.feed(message.get("body", b""))
                if not message.get("more_body", False):
                    body += cells.close()
                message = {**message, "body": body}
            await send(message)

        await app(scope, receive, rewriting)

    return wrapped


def without_trace(query: bytes) -> bytes:
    """The query string without its `_trace` parameters, however they are spelled."""
    kept = [
        part
        for part in query.split(b"&")
        if unquote_plus(part.partition(b"=")[0].decode("latin-1")) != "_trace"
    ]
    return b"&".join(kept)


class CsvCells:
    """CSV bytes in, cut anywhere (within a character, a quoted cell or a line); the same
    CSV out, every cell through `neutralize`, each record as soon as it is whole.

    Datasette writes the excel dialect (quotes doubled inside quoted cells, CRLF), so a
    record ends at a line feed after an even number of quotes, and writing the parsed
    cells back in that dialect gives the bytes Datasette wrote for every other cell."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._pending = ""

    def feed(self, data: bytes) -> bytes:
        text = self._pending + self._decoder.decode(data)
        end = pos = quotes = 0
        while (line_end := text.find("\n", pos)) != -1:
            quotes += text.count('"', pos, line_end)
            pos = line_end + 1
            if quotes % 2 == 0:
                end = pos
        self._pending = text[end:]
        return _rewrite(text[:end])

    def close(self) -> bytes:
        """What is left: an unterminated last record (or Datasette's error text)."""
        text, self._pending = self._pending + self._decoder.decode(b"", final=True), ""
        return _rewrite(text)


def _rewrite(records: str) -> bytes:
    if not records:
        return b""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in csv.reader(io.StringIO(records, newline="")):
        writer.writerow([neutralize(cell) for cell in row])
    return out.getvalue().encode("utf-8")
