"""The page of a stored PDF that a quote came from, as an image with the quote's area marked.

The reviewer checks our reading against the page itself. Offsets are those of the document's
text, as evidence gives them; the page rendering and the search for the quote's letters happen
in the isolated parser process (extractors/ingest/page_image.py).
"""

from __future__ import annotations

from api.db import StoredDocument
from api.service import NotFound
from chart_review.errors import ChartReviewError, E
from extractors.ingest import Limits, sniff
from extractors.ingest.page_image import PageImage, nonspace_before, render_page
from extractors.ingest.problem import ParseProblem


def page_image(document: StoredDocument, page: int, start: int | None, end: int | None,
               limits: Limits) -> PageImage:
    """Page `page` (1-based) of `document`, with the text between `start` and `end` marked."""
    if document.text is None:
        raise NotFound("the document has not been read yet; wait for the review to finish")
    if sniff(document.name, document.raw[:1024]) is None:
        raise NotFound(f"{document.name} is a text file, so it has no page images; its text is the source")
    starts = list(document.page_starts or [0])
    if not 1 <= page <= len(starts):
        raise NotFound(f"{document.name} has no page {page}; it has {len(starts)}")
    page_start = starts[page - 1]
    page_end = starts[page] if page < len(starts) else len(document.text)
    quote, before = "", 0
    if start is not None or end is not None:
        if start is None or end is None or not page_start <= start < end <= page_end:
            raise ChartReviewError(E.REQUEST_INVALID, source="start, end",
                                   problem=f"give both, with {page_start} <= start < end <= {page_end} "
                                           f"(page {page} of the document's text)")
        quote = document.text[start:end]
        before = nonspace_before(document.text[page_start:page_end], start - page_start)
    try:
        return render_page(document.raw, page, quote, before, ocr=page in (document.ocr_pages or []),
                           limits=limits)
    except ParseProblem as exc:
        raise ChartReviewError(E.DOCUMENT_UNREADABLE, source=document.name, problem=str(exc)) from None
