"""Read chart files into Documents whose text is exactly what evidence offsets index."""

from __future__ import annotations

from pathlib import Path

from chart_review.errors import ChartReviewError, E
from extractors.documents import Document

MAX_BYTES = 20 * 1024 * 1024
SUPPORTED = {".txt"}


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


def read_document(path: Path, name: str | None = None) -> Document:
    """One chart file as a Document; a ChartReviewError names the file when it can't be used."""
    name = name or path.name
    if not path.is_file():
        raise ChartReviewError(E.DOCUMENT_MISSING, source=path)
    if path.suffix.lower() not in SUPPORTED:
        raise ChartReviewError(E.DOCUMENT_UNSUPPORTED, source=name, kind=path.suffix or "(none)")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ChartReviewError(E.DOCUMENT_TOO_LARGE, source=name, size=size, limit=MAX_BYTES)
    raw = path.read_bytes()
    return document_from_bytes(name, raw)


def document_from_bytes(name: str, raw: bytes) -> Document:
    text = decode_text(raw)
    if not text.strip("\ufeff \t\n"):
        raise ChartReviewError(E.DOCUMENT_EMPTY, source=name)
    return Document.from_text(name, text, raw=raw)
