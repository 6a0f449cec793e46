"""A chart document as the project reads it: its text, page map and identity."""

from __future__ import annotations

import bisect
import hashlib

from pydantic import BaseModel, Field


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

    @classmethod
    def from_text(cls, name: str, text: str, raw: bytes | None = None) -> Document:
        digest = hashlib.sha256(raw if raw is not None else text.encode("utf-8")).hexdigest()
        return cls(name=name, text=text, sha256=digest)

    @property
    def pages(self) -> int:
        return len(self.page_starts)

    def page_of(self, offset: int) -> int:
        """1-based page number holding the character at `offset`."""
        return bisect.bisect_right(self.page_starts, offset)
