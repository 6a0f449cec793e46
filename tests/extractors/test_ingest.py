"""extractors.ingest: chart bytes to the exact text evidence offsets index."""

from __future__ import annotations

import hashlib

import pytest

from chart_review.errors import ChartReviewError, E
from extractors.ingest import decode_text, document_from_bytes, read_document


@pytest.mark.parametrize(("raw", "text"), [
    pytest.param(b"plain ascii note", "plain ascii note", id="ascii"),
    pytest.param("caf\u00e9 \u2013 na\u00efve 5\u00b0C".encode(), "caf\u00e9 \u2013 na\u00efve 5\u00b0C", id="UTF-8"),
    pytest.param(b"\xef\xbb\xbfPain 8/10", "\ufeffPain 8/10", id="UTF-8 BOM kept"),
    pytest.param(b"line one\r\nline two\r\n", "line one\nline two\n", id="CRLF"),
    pytest.param(b"line one\rline two\r", "line one\nline two\n", id="lone CR"),
    pytest.param(b"a\r\r\nb\n\rc", "a\n\nb\n\nc", id="mixed newlines"),
    pytest.param(b"\xef\xbb\xbfa\r\nb", "\ufeffa\nb", id="BOM and CRLF"),
    pytest.param(b"caf\xe9 \x96 note", "caf\u00e9 \u2013 note", id="cp1252"),
    pytest.param(b"\x93quoted\x94 \x85\r\n", "\u201cquoted\u201d \u2026\n", id="cp1252 quotes and CRLF"),
    pytest.param(b"caf\xe9 \x81", "caf\u00e9 \x81", id="not cp1252 either: Latin-1"),
])
def test_ingest_decode_text(raw, text):
    assert decode_text(raw) == text


@pytest.mark.parametrize("raw", [
    pytest.param(b"Pain 8/10.\nPlan: trial.\n", id="LF"),
    pytest.param(b"\xef\xbb\xbfPain 8/10.\r\nPlan: trial.\r\n", id="BOM and CRLF"),
    pytest.param(b"Pain 8/10.\rPlan: trial.\r", id="CR"),
    pytest.param(b"a\r\r\nb\n\rc\r\n\r\n", id="mixed"),
    pytest.param("\ufeffcaf\u00e9\r\n\u2013 na\u00efve".encode(), id="non-ASCII"),
])
def test_ingest_text_matches_python_text_mode(tmp_path, raw):
    # The contract checker reads a .txt with Python's text mode; offsets must index that string.
    path = tmp_path / "note.txt"
    path.write_bytes(raw)
    assert decode_text(raw) == path.read_text(encoding="utf-8")
    assert read_document(path).text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("raw", [
    pytest.param(b"", id="empty"),
    pytest.param(b"   ", id="spaces"),
    pytest.param(b" \t\n\r\n\r ", id="mixed whitespace"),
    pytest.param(b"\xef\xbb\xbf", id="BOM only"),
    pytest.param(b"\xef\xbb\xbf \r\n", id="BOM and whitespace"),
    pytest.param(b"\x0c\n", id="form feed"),
    pytest.param(b"\x0b\n", id="vertical tab"),
    pytest.param(b"\xc2\xa0\n", id="no-break space"),
])
def test_ingest_empty_documents_are_refused(raw):
    with pytest.raises(ChartReviewError) as info:
        document_from_bytes("note.txt", raw)
    assert info.value.error is E.DOCUMENT_EMPTY
    assert str(info.value) == "E021 note.txt: the document is empty; nothing to review"


@pytest.mark.parametrize(("raw", "text"), [
    (b"x", "x"),
    (b"\xef\xbb\xbf\r\nx\r\n", "\ufeff\nx\n"),
    (b"caf\xe9", "caf\u00e9"),
])
def test_ingest_document_from_bytes(raw, text):
    doc = document_from_bytes("note.txt", raw)
    assert (doc.name, doc.text, doc.pages, doc.paged) == ("note.txt", text, 1, False)
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()  # the file as sent, not as decoded


@pytest.mark.parametrize(("name", "error", "fragment"), [
    ("missing.txt", E.DOCUMENT_MISSING, "no such file"),
    ("note.docx", E.DOCUMENT_UNSUPPORTED, "unsupported file type"),
    ("note", E.DOCUMENT_UNSUPPORTED, "unsupported file type"),
])
def test_ingest_read_document_errors(tmp_path, name, error, fragment):
    path = tmp_path / name
    if name != "missing.txt":
        path.write_bytes(b"some chart text")
    with pytest.raises(ChartReviewError) as info:
        read_document(path)
    assert info.value.error is error
    assert str(info.value).startswith(f"{error.code} ")
    assert name in str(info.value)
    assert fragment in str(info.value)


@pytest.mark.parametrize(("name", "raw", "text"), [
    ("note.txt", b"Pain 8/10.", "Pain 8/10."),
    ("NOTE.TXT", b"Pain 8/10.\r\n", "Pain 8/10.\n"),
    ("note.txt", b"\xef\xbb\xbfcaf\xc3\xa9", "\ufeffcaf\u00e9"),
    ("note.txt", b"caf\xe9 \x96 note", "caf\u00e9 \u2013 note"),
])
def test_ingest_read_document_text(tmp_path, name, raw, text):
    path = tmp_path / name
    path.write_bytes(raw)
    doc = read_document(path)
    assert (doc.name, doc.text) == (name, text)


@pytest.mark.parametrize("raw", [
    pytest.param(b"", id="empty"),
    pytest.param(b" \r\n\t", id="whitespace"),
    pytest.param(b"\xef\xbb\xbf\r\n", id="BOM and newline"),
    pytest.param(b"\x0c\n", id="form feed"),
    pytest.param(b"\xc2\xa0\n", id="no-break space"),
])
def test_ingest_read_document_refuses_blank_files(tmp_path, raw):
    path = tmp_path / "note.txt"
    path.write_bytes(raw)
    with pytest.raises(ChartReviewError) as info:
        read_document(path)
    assert info.value.error is E.DOCUMENT_EMPTY

