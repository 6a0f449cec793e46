"""Issue 12 item 5: a document longer than spaCy reads at once is read in parts, cut where its
notes or pages begin, and every quote still equals the source at the document's offsets."""

from __future__ import annotations

import datetime as dt

from extractors.documents import Document
from extractors.parts import PART_CHARS, part_bounds

NOTE = ("DATE OF SERVICE: 03/04/2025\nHPI: 61 y/o with metastatic prostate cancer to the spine. "
        "Oxycodone failed with sedation. Intrathecal morphine trial: 70% reduction in pain.\n\n")
FILLER = "Routine follow up. Vitals stable. Patient ambulating with a walker, eating well.\n" * 40


def test_parts_end_where_a_note_begins() -> None:
    text = (FILLER + NOTE) * 100
    breaks = [i for i in range(len(text)) if text.startswith("DATE OF SERVICE", i)]
    bounds = part_bounds(text, breaks, limit=20_000)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:], strict=False)), "parts tile the text"
    assert all(end - start <= 20_000 for start, end in bounds)
    assert all(end in breaks for _, end in bounds[:-1]), "each cut is at a note's start"


def test_parts_without_breaks_cut_at_a_line_end() -> None:
    text = "word " * 30_000 + "\n" + "word " * 30_000
    bounds = part_bounds(text, [], limit=100_000)
    assert all(text[end - 1] in " \n" for _, end in bounds[:-1])


def test_parts_a_document_over_a_million_characters(extractor) -> None:  # type: ignore[no-untyped-def]
    """Over spaCy's max_length: read whole, with quotes at the document's offsets and pages."""
    pages = [(FILLER + NOTE, "text") for _ in range(400)]
    document = Document.from_pages("big.pdf", pages, b"%PDF-1.4 fictional")
    assert len(document.text) > 1_000_000 > PART_CHARS
    facts = extractor.extract([document], dt.date(2025, 6, 1))
    relief = [f for f in facts if f.name == "trial_relief_percent"]
    assert len(relief) >= 300, "the trial result is read in every part, the last one too"
    for fact in facts:
        for evidence in fact.evidence:
            assert document.text[evidence.start:evidence.end] == evidence.text
            assert evidence.page == document.page_of(evidence.start)
    assert max(e.start for f in relief for e in f.evidence) > len(document.text) - 2 * len(FILLER + NOTE)
