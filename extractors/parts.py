"""A long document read in parts.

spaCy reads a text of at most `nlp.max_length` characters at once (a million), and a 200-page
packet is several times that. A longer document is cut into parts of at most PART_CHARS,
each ending where a note or a page begins when one falls in the part's last quarter, else at a
blank line, a line end or a space. Each part is read as a document of its own; its facts' evidence
is then placed back at the document's offsets and pages, so every quote still equals the source
there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from chart_review.contract import Evidence
from extractors.documents import Document
from extractors.facts import Fact

# Well under spaCy's limit, and short enough that a part's parse stays small in memory.
PART_CHARS = 200_000


def part_bounds(text: str, breaks: Sequence[int], limit: int = PART_CHARS) -> list[tuple[int, int]]:
    """(start, end) of each part: the last break in a part's last quarter ends it."""
    bounds: list[tuple[int, int]] = []
    start, length = 0, len(text)
    while length - start > limit:
        lo, hi = start + limit * 3 // 4, start + limit
        cut = max((b for b in breaks if lo <= b <= hi), default=None)
        for separator in ("\n\n", "\n", " "):
            if cut is not None:
                break
            found = text.rfind(separator, lo, hi)
            cut = found + len(separator) if found != -1 else None
        cut = cut if cut is not None and cut > start else hi
        bounds.append((start, cut))
        start = cut
    bounds.append((start, length))
    return bounds


def part_of(document: Document, start: int, end: int) -> Document:
    """text[start:end] as a document of its own, with its pages' starts."""
    starts = [s - start for s in document.page_starts if start < s < end]
    return Document(name=document.name, text=document.text[start:end], sha256=document.sha256,
                    page_starts=[0, *starts], paged=document.paged)


def placed(facts: Iterable[Fact], document: Document, start: int) -> list[Fact]:
    """A part's facts with their evidence at the whole document's offsets and pages."""

    def place(evidence: Evidence) -> Evidence:
        at = evidence.start + start
        return evidence.model_copy(update={
            "start": at, "end": evidence.end + start,
            "page": document.page_of(at) if document.paged else None})

    return [fact.model_copy(update={"evidence": [place(e) for e in fact.evidence]}) for fact in facts]
