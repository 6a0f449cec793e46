"""A PDF page as an image, with a quote's area marked where the text layer gives positions.

A reviewer checks a quote against the page it came from: the text we read can differ from what
the page shows (a column read out of order, an OCR slip). The page is rendered by pdfium in the
same isolated child process that parses uploads, so a hostile PDF can neither hang nor crash
the service. The quote is found among the text layer's characters by their non-space letters,
so line breaks and the spacing pdfium adds do not stop a match; an OCR page has no character
positions, and is shown unmarked and said to be OCR.
"""

from __future__ import annotations

import base64
import io
import json
import math
from dataclasses import dataclass
from typing import Any, Literal

from extractors.ingest.limits import DEFAULT_LIMITS, Limits

# Wide enough to read a letter page on a laptop screen; the pixel bound in Limits still holds.
TARGET_WIDTH_PX = 1275
# Marked: the quote's area is outlined. unmarked_ocr: the page was read by OCR, which gives no
# positions in the text layer. not_found: the quote's letters are not in the page's text layer
# (a rotated page, or text we read differently). no_quote: only the page was asked for.
Marking = Literal["marked", "unmarked_ocr", "not_found", "no_quote"]


@dataclass(frozen=True)
class PageImage:
    png: bytes
    marking: Marking
    # The quote's boxes as fractions of the image: (left, top, right, bottom).
    boxes: list[tuple[float, float, float, float]]


def render_page(raw: bytes, page: int, quote: str = "", before: int = 0, ocr: bool = False,
                limits: Limits = DEFAULT_LIMITS) -> PageImage:
    """Page `page` (1-based) of the PDF `raw`, with `quote` marked. `before` counts the quote's
    non-space characters earlier on the page (which of several matches is meant)."""
    from extractors.ingest.isolated import framed, run_isolated

    params = {"page": page, "quote": quote if not ocr else "", "before": before}
    result = run_isolated(framed([raw, json.dumps(params).encode()]), "render", limits)
    marking: Marking = "unmarked_ocr" if ocr else result["marking"]
    return PageImage(png=base64.b64decode(result["png"]), marking=marking,
                     boxes=[tuple(box) for box in result["boxes"]])


def nonspace_before(page_text: str, offset: int) -> int:
    """How many non-space characters of `page_text` come before `offset`."""
    return sum(not ch.isspace() for ch in page_text[:offset])


# -- in the child process -----------------------------------------------------------------------

def _letters_with_index(textpage: Any) -> tuple[str, list[int]]:
    """The page's non-space characters, case-folded, and the character index of each."""
    import pypdfium2.raw as pdfium_c

    letters: list[str] = []
    index: list[int] = []
    for i in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(textpage.raw, i)
        ch = chr(code) if 0 < code < 0x110000 else ""
        if ch and not ch.isspace():
            letters.append(ch.casefold())
            index.append(i)
    return "".join(letters), index


def _find(haystack: str, needle: str, before: int) -> int:
    """The match of `needle` nearest to position `before`; -1 when there is none."""
    best, at = -1, haystack.find(needle)
    while at != -1:
        if best == -1 or abs(at - before) < abs(best - before):
            best = at
        at = haystack.find(needle, at + 1)
    return best


def _quote_boxes(page: Any, quote: str, before: int) -> list[tuple[float, float, float, float]]:
    """Rectangles (PDF points, left/bottom/right/top) covering the quote on the page."""
    needle = "".join(ch.casefold() for ch in quote if not ch.isspace())
    if not needle:
        return []
    textpage = page.get_textpage()
    letters, index = _letters_with_index(textpage)
    at = _find(letters, needle, before)
    if at == -1:
        return []
    first, last = index[at], index[at + len(needle) - 1]
    count = textpage.count_rects(first, last - first + 1)
    return [textpage.get_rect(i) for i in range(count)]


def render_in_child(data: bytes, limits: Limits, send: Any) -> dict[str, Any]:
    """The child's side: render the page, find the quote, draw its boxes, return a PNG."""
    from PIL import ImageDraw

    from extractors.ingest.isolated import open_pdf, unframed
    from extractors.ingest.problem import ParseProblem

    raw, params_raw = unframed(data)
    params = json.loads(params_raw)
    if b"%PDF-" not in raw[:1024]:
        return _image_frame(raw, int(params["page"]), limits)
    pdf = open_pdf(raw)
    number = int(params["page"])
    if not 1 <= number <= len(pdf):
        raise ParseProblem(f"the document has no page {number}; it has {len(pdf)}")
    page = pdf[number - 1]
    width, height = page.get_size()
    scale = min(TARGET_WIDTH_PX / max(width, 1.0), 3.0)
    if width * height * scale * scale > limits.max_render_pixels:
        scale = math.sqrt(limits.max_render_pixels / max(width * height, 1.0))
    image = page.render(scale=scale).to_pil().convert("RGB")
    quote = params.get("quote") or ""
    # Boxes are in page space; a rotated page's render turns them, so we do not mark it.
    boxes = _quote_boxes(page, quote, int(params.get("before", 0))) if quote and page.get_rotation() == 0 else []
    left, _, _, top = page.get_cropbox()
    fractions = []
    if boxes:
        overlay = ImageDraw.Draw(image, "RGBA")
        for box_left, bottom, right, box_top in boxes:
            x0, x1 = (box_left - left) * scale, (right - left) * scale
            y0, y1 = (top - box_top) * scale, (top - bottom) * scale
            overlay.rectangle((x0 - 2, y0 - 2, x1 + 2, y1 + 2), fill=(255, 214, 0, 90),
                              outline=(200, 60, 0, 255), width=2)
            fractions.append((x0 / image.width, y0 / image.height, x1 / image.width, y1 / image.height))
    marking: Marking = "no_quote" if not quote else "marked" if boxes else "not_found"
    return _png_result(image, marking, fractions)


def _image_frame(raw: bytes, number: int, limits: Limits) -> dict[str, Any]:
    """A page of an uploaded image (a fax TIFF's frame): all OCR, so shown unmarked."""
    from PIL import Image

    from extractors.ingest.isolated import square_pixels
    from extractors.ingest.problem import ParseProblem

    Image.MAX_IMAGE_PIXELS = limits.max_render_pixels * 4
    image = Image.open(io.BytesIO(raw))
    frames = getattr(image, "n_frames", 1)
    if not 1 <= number <= frames:
        raise ParseProblem(f"the document has no page {number}; it has {frames}")
    image.seek(number - 1)
    frame = square_pixels(image).convert("RGB")
    if frame.width > TARGET_WIDTH_PX:
        frame = frame.resize((TARGET_WIDTH_PX, round(frame.height * TARGET_WIDTH_PX / frame.width)))
    return _png_result(frame, "unmarked_ocr", [])


def _png_result(image: Any, marking: Marking, boxes: list[tuple[float, float, float, float]]) -> dict[str, Any]:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return {"png": base64.b64encode(buffer.getvalue()).decode(), "marking": marking, "boxes": boxes}
