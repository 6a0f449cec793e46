"""A chart document as the project reads it: its text, page map and identity."""

from __future__ import annotations

import bisect
import hashlib

from pydantic import BaseModel, Field

PAGE_BREAK = "\n\n"


class Document(BaseModel):
    """Text as read (evidence offsets index it), with the start offset of every page.

    `page_starts[i]` is where page i+1 begins; a text file is one page starting at 0.
    """

    name: str
    text: str
    sha256: str
    page_starts: list[int] = Field(default_factory=lambda: [0])
    # Paged documents (PDFs) give evidence a page number; a text file has none.
    paged: bool = False
    # 1-based numbers of the pages read by OCR, which a reviewer should check more carefully.
    ocr_pages: list[int] = Field(default_factory=list)

    @classmethod
    def from_text(cls, name: str, text: str, raw: bytes | None = None) -> Document:
        digest = hashlib.sha256(raw if raw is not None else text.encode("utf-8")).hexdigest()
        return cls(name=name, text=text, sha256=digest)

    @classmethod
    def from_pages(cls, name: str, pages: list[tuple[str, str]], raw: bytes) -> Document:
        """Pages joined by a blank line (a page break also ends a sentence), with the page map."""
        parts: list[str] = []
        starts: list[int] = []
        offset = 0
        for text, _ in pages:
            starts.append(offset)
            parts.append(text)
            offset += len(text) + len(PAGE_BREAK)
        text = PAGE_BREAK.join(parts)
        if not text.strip():
            from chart_review.errors import ChartReviewError, E

            raise ChartReviewError(E.DOCUMENT_EMPTY, source=name)
        ocr = [i + 1 for i, (_, how) in enumerate(pages) if how == "ocr"]
        return cls(name=name, text=text, sha256=hashlib.sha256(raw).hexdigest(),
                   page_starts=starts, paged=True, ocr_pages=ocr)

    @property
    def pages(self) -> int:
        return len(self.page_starts)

    def page_of(self, offset: int) -> int:
        """1-based page number holding the character at `offset`."""
        return bisect.bisect_right(self.page_starts, offset)
