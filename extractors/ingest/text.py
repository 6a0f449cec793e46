"""Text files as the contract reads them."""

from __future__ import annotations

from chart_review.errors import ChartReviewError, E
from extractors.documents import Document


def decode_text(raw: bytes) -> str:
    """Text as the contract reads a .txt file: UTF-8, universal newlines, a BOM kept as U+FEFF.

    The contract checker reads files with Python's text mode, which turns CRLF and CR into LF
    but keeps a BOM; offsets must index that same string. Files that are not UTF-8 are read
    as cp1252, the usual encoding of exported Windows notes, falling back to Latin-1.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def document_from_bytes(name: str, raw: bytes) -> Document:
    # One admission rule for the command and the service: NUL bytes mean a binary file (a zip
    # named .txt) or UTF-16, never a chart note, and no database stores them as text.
    if b"\x00" in raw:
        raise ChartReviewError(E.DOCUMENT_UNREADABLE, source=name.replace("\x00", "\\0"),
                               problem="the text contains NUL bytes (a binary or UTF-16 file?); send UTF-8 text")
    text = decode_text(raw)
    if not text.replace("\ufeff", "").strip():
        raise ChartReviewError(E.DOCUMENT_EMPTY, source=name)
    return Document.from_text(name, text, raw=raw)
