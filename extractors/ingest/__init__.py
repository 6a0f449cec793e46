"""Read chart files into Documents whose text is exactly what evidence offsets index.

Text files are decoded as the contract reads them; PDFs give their text layer, and pages
without one (scans, faxes) are read by OCR; images (PNG, JPEG, TIFF faxes) are OCRed. The file
type is told by its bytes, not its name. Every refusal is a ChartReviewError naming the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from chart_review.errors import ChartReviewError, E
from extractors.documents import Document
from extractors.ingest.isolated import Kind, ParseProblem, framed, parse_isolated
from extractors.ingest.limits import DEFAULT_LIMITS, Limits
from extractors.ingest.text import decode_text, document_from_bytes

__all__ = [
    "CASE_SUFFIXES", "MAX_BYTES", "SUPPORTED", "Limits",
    "check_bytes", "check_pdfs", "decode_text", "document_from_bytes", "read_bytes", "read_document", "sniff",
]

SUPPORTED = {".txt", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}
# A case directory (CONTRACT.md section 4) holds .txt and .pdf documents.
CASE_SUFFIXES = {".txt", ".pdf"}
MAX_BYTES = DEFAULT_LIMITS.max_text_bytes
TEXT_SUFFIXES = {".txt", ".text"}
Progress = Callable[[str, int, int, str], None]

_MAGIC: list[tuple[bytes, Kind]] = [
    (b"\x89PNG\r\n\x1a\n", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"II*\x00", "image"),
    (b"MM\x00*", "image"),
]


def sniff(name: str, raw: bytes) -> Kind | None:
    """"pdf" or "image" from the bytes; None for text (only when named as text)."""
    suffix = Path(name).suffix.lower()
    # PDF readers accept a little junk before "%PDF-"; a text note that merely mentions it is text.
    head = raw[:1024] if suffix not in TEXT_SUFFIXES else raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:5]
    if b"%PDF-" in head:
        return "pdf"
    for magic, kind in _MAGIC:
        if raw.startswith(magic):
            return kind
    if suffix in TEXT_SUFFIXES:
        return None
    if suffix == ".pdf":
        raise ChartReviewError(E.DOCUMENT_UNREADABLE, source=name, problem="named .pdf but the file is not a PDF")
    if raw.startswith(b"PK\x03\x04"):
        office = "a Word or other zipped office document"
        raise ChartReviewError(E.DOCUMENT_UNSUPPORTED, source=name, kind=office)
    raise ChartReviewError(E.DOCUMENT_UNSUPPORTED, source=name, kind=suffix or "(no extension)")


def _limit_for(kind: Kind | None, limits: Limits) -> int:
    if kind == "pdf":
        return limits.max_pdf_bytes
    if kind == "image":
        return limits.max_image_bytes
    return limits.max_text_bytes


def _admit(name: str, raw: bytes, limits: Limits) -> Kind | None:
    """The file's kind, once it is known to be non-empty and within its size limit."""
    if not raw.strip():
        raise ChartReviewError(E.DOCUMENT_EMPTY, source=name)
    kind = sniff(name, raw)
    limit = _limit_for(kind, limits)
    if len(raw) > limit:
        raise ChartReviewError(E.DOCUMENT_TOO_LARGE, source=name, size=f"{len(raw)} bytes", limit=limit)
    return kind


def read_bytes(name: str, raw: bytes, limits: Limits = DEFAULT_LIMITS,
               progress: Progress | None = None) -> Document:
    """A Document from an upload's name and bytes."""
    kind = _admit(name, raw, limits)
    if kind is None:
        return document_from_bytes(name, raw)
    report = (lambda done, total, how: progress(name, done, total, how)) if progress else None
    try:
        pages = parse_isolated(raw, kind, limits, report)
    except ParseProblem as exc:
        raise ChartReviewError(E.DOCUMENT_UNREADABLE, source=name, problem=str(exc)) from None
    return Document.from_pages(name, pages, raw)


def check_bytes(name: str, raw: bytes, limits: Limits = DEFAULT_LIMITS, probe_pdf: bool = True) -> None:
    """Refuse a file that cannot be read, cheaply: size, type, text, a PDF's structure and pages.

    Reading a PDF fully (OCR included) can take minutes; this takes well under a second, so an
    upload's obvious faults are answered at once rather than after it was queued.
    """
    kind = _admit(name, raw, limits)
    if kind is None:
        document_from_bytes(name, raw)
    elif kind == "image":
        _check_image_header(name, raw, limits)
    elif kind == "pdf" and probe_pdf:
        check_pdfs([(name, raw)], limits)


def check_pdfs(files: list[tuple[str, bytes]], limits: Limits = DEFAULT_LIMITS) -> None:
    """Probe every PDF of an upload in one isolated process (one interpreter start a request, not
    one a PDF); the first that cannot be opened is refused, by name."""
    pdfs = [(name, raw) for name, raw in files if sniff(name, raw) == "pdf"]
    if not pdfs:
        return
    probe_limits = replace(limits, parse_seconds=min(limits.parse_seconds, 30.0))
    try:
        results = parse_isolated(framed([raw for _, raw in pdfs]), "probe_many", probe_limits)
    except ParseProblem as exc:
        raise ChartReviewError(E.DOCUMENT_UNREADABLE, source=pdfs[0][0] if len(pdfs) == 1 else "request",
                               problem=str(exc)) from None
    for (name, _), (problem, how) in zip(pdfs, results, strict=True):
        if how == "error":
            raise ChartReviewError(E.DOCUMENT_UNREADABLE, source=name, problem=problem)


def _check_image_header(name: str, raw: bytes, limits: Limits) -> None:
    """An image's header, frame count and structure, without decoding its pixels (a decompression
    bomb declares its size in the header): a corrupt or oversized scan is a 4xx at upload."""
    import io
    import warnings

    from PIL import Image

    def unreadable(problem: str) -> ChartReviewError:
        return ChartReviewError(E.DOCUMENT_UNREADABLE, source=name, problem=problem)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as image:
                width, height = image.size
                frames = getattr(image, "n_frames", 1)
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise unreadable("the image is too large to read safely") from None
    except Exception as exc:  # Pillow raises many kinds on hostile bytes; each is the file's fault
        raise unreadable(f"the image is corrupt or unreadable ({type(exc).__name__})") from None
    if width * height > limits.max_render_pixels * 4:
        raise unreadable(f"the image is {width} x {height} pixels; too large to read safely")
    if frames > limits.max_pages:
        raise unreadable(f"the image has {frames} pages; the limit is {limits.max_pages}")


def read_document(path: Path, name: str | None = None, limits: Limits = DEFAULT_LIMITS,
                  progress: Progress | None = None) -> Document:
    """One chart file as a Document; a ChartReviewError names the file when it can't be used."""
    name = name or path.name
    if not path.is_file():
        raise ChartReviewError(E.DOCUMENT_MISSING, source=path)
    size = path.stat().st_size
    largest = max(limits.max_pdf_bytes, limits.max_image_bytes, limits.max_text_bytes)
    if size > largest:
        raise ChartReviewError(E.DOCUMENT_TOO_LARGE, source=name, size=f"{size} bytes", limit=largest)
    return read_bytes(name, path.read_bytes(), limits, progress)
