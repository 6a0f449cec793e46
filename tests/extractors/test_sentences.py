"""The sentence splitter sets on the doc exactly the sentence starts it computes (issue 12: an int32 array
handed to Doc.from_array was read as uint64, setting wrong starts and crashing on long text)."""

from __future__ import annotations

import warnings

import pytest
import spacy

import extractors.sentences  # noqa: F401  (registers the factory)
from extractors.sentences import sentence_flags


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("clinical_sentences")
    return nlp


@pytest.mark.parametrize("text", [
    "Pain 8/10. Denies SI. Plan: trial.\nHEP issued.\n\nNo alarms.",
    "Assessment: FBSS with radiculopathy; failed PT x 12 wks and ESI x3. Psych cleared 01/2025.",
    "1. Metastatic NSCLC\n2. Life expectancy > 6 months\n3. Oral morphine: sedation",
])
def test_sentences_flags_equal_computed_starts(nlp: spacy.language.Language, text: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # W028 would fail here
        doc = nlp(text)
    assert [bool(token.is_sent_start) for token in doc] == sentence_flags(doc)


def test_sentences_long_document_does_not_crash(nlp: spacy.language.Language) -> None:
    """About 500,000 characters: the size that killed the server."""
    nlp.max_length = 2_000_000
    text = "Patient reports pain 7/10 in the low back. Denies SI/HI.\n" * 9000
    assert len(text) > 500_000
    doc = nlp(text)
    flags = [bool(token.is_sent_start) for token in doc]
    assert flags == sentence_flags(doc)
    assert sum(flags) == 18000
