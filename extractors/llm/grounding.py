"""A model's quote placed in the source, and its assertion checked by ConText.

Placing: the exact text first, then the text with whitespace runs and case folded; nothing looser.
A quote found more than once is the occurrence inside a passage that was sent. Checking: the
extractor reads the quote's sentence as it reads any chart; its facts of the leaf inside the quote
give ConText's reading, and the model's assertion must be one of them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from extractors.documents import Document
from extractors.facts import Assertion
from extractors.llm.questions import Passage

_SPACE = re.compile(r"\s+")
# The model's words for an assertion, as the extractor's.
ASSERTIONS = {"affirmed": Assertion.AFFIRMED, "negated": Assertion.NEGATED, "historical": Assertion.HISTORICAL,
              "hypothetical": Assertion.HYPOTHETICAL, "other_person": Assertion.FAMILY}
CONTEXT_CHARS = 160  # read back this far (to the line's start) for cues before the quote


def _folded(text: str) -> tuple[str, list[int]]:
    """`text` with whitespace runs as one space and lower case, and each folded character's offset."""
    out: list[str] = []
    where: list[int] = []
    for m in re.finditer(r"\s+|\S", text):
        out.append(" " if m.group(0).isspace() else m.group(0).lower())
        where.append(m.start())
    return "".join(out), where


def locate(quote: str, document: Document, passages: Sequence[Passage]) -> tuple[int, int] | None:
    """Where `quote` is in the document, or None: exact, then folded; the sent passage's occurrence first."""
    text = document.text
    quote = quote.strip()
    if not quote:
        return None
    spans = [(m.start(), m.start() + len(quote)) for m in re.finditer(re.escape(quote), text)]
    if not spans:
        folded, where = _folded(text)
        needle = _SPACE.sub(" ", quote).lower()
        for m in re.finditer(re.escape(needle), folded):
            last = m.end() - 1
            end = where[last] + (1 if not folded[last].isspace() else 0)
            spans.append((where[m.start()], end))
    if not spans:
        return None
    sent = [(p.start, p.end) for p in passages if p.document == document.name]
    inside = [s for s in spans if any(a <= s[0] and s[1] <= b for a, b in sent)]
    return (inside or spans)[0]


def context_reading(extractor: object, document: Document, start: int, end: int, facts: Sequence[str],
                    service_date: dt.date) -> set[Assertion]:
    """How the extractor (its ConText) reads the leaf's facts inside text[start:end], with the cues
    before it on its line or up to CONTEXT_CHARS back."""
    text = document.text
    line_start = text.rfind("\n", 0, start) + 1
    begin = max(line_start, start - CONTEXT_CHARS)
    snippet = Document.from_text(document.name, text[begin:end])
    read = extractor.extract_document(snippet, service_date)  # type: ignore[attr-defined]
    inside = start - begin
    return {f.assertion for f in read if f.name in facts
            and any(ev.end > inside for ev in f.evidence)}
