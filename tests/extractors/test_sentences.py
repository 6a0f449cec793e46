"""The sentence splitter sets on the doc exactly the sentence starts it computes (issue 12: an int32 array
handed to Doc.from_array was read as uint64, setting wrong starts and crashing on long text)."""

from __future__ import annotations

import warnings

import pytest
import spacy

import extractors.sentences  # noqa: F401  (registers the factory)
from extractors.sentences import sentence_flags, sentence_starts


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


_WIDE = ("ONC PROGRESS 08/14/2024: hepatic lesions stable or slightly smaller on CT, no new sites, ECOG 1, not "
         "hospice, continue the current regimen.\n")


@pytest.mark.parametrize(("text", "line", "starts"), [
    # One medication per line, indented alike, in a note whose lines run much wider: each line
    # ended on purpose, so each is its own sentence.
    (_WIDE + "  Intrathecal: hydromorphone 1.8 mg/day + bupivacaine 6 mg/day (pump, clinic refill)\n"
     "  Enoxaparin 80 mg SC q12h (since 03/2024, PE; SC injection by wife)\n  Pancrelipase 36,000 u w/ meals\n",
     "  Pancrelipase", True),
    (_WIDE + "  Intrathecal: hydromorphone 1.8 mg/day + bupivacaine 6 mg/day (pump, clinic refill)\n"
     "  Enoxaparin 80 mg SC q12h (since 03/2024, PE; SC injection by wife)\n", "  Enoxaparin", True),
    # Prose wrapped by hand goes on: the line ends in "the", or the next word would not have fitted.
    ("Allergies/intolerances: codeine - nausea and vomiting (intolerance, not an\n"
     "allergy). No reaction to morphine documented; she received IV morphine in the\nED in 2023 without problems.\n",
     "ED in 2023", False),
    ("Manufacturer advisory lookup by device RN - this serial number is not on any current\n"
     "Medtronic recall/advisory list.\n", "Medtronic", False),
    # Blind batch 75: a labelled line's sentence that ends on "no" goes on under it; a capital "No"
    # (a form's answer) ends it.
    ("Impression: Negative / equivocal response to a 50 mcg intrathecal baclofen bolus. There was no\n"
     "Ashworth change, so the test does not reach the one-point threshold for a positive screen.\n",
     "Ashworth change", False),
    ("Impression: Negative / equivocal response to a 50 mcg intrathecal baclofen bolus. Repeat? No\n"
     "Ashworth change, so the test does not reach the one-point threshold for a positive screen.\n",
     "Ashworth change", True),
])
def test_sentences_line_ended_on_purpose(text: str, line: str, starts: bool) -> None:
    """A line whose next line's first word would have fitted on it was ended on purpose (issue 10,
    batch 52: a medication list's lines ran into one sentence, the pump's drugs beside enoxaparin)."""
    at = text.index(line) + len(line) - len(line.lstrip())
    assert (at in sentence_starts(text)) is starts


def test_a_label_after_a_line_that_goes_on_is_no_new_sentence() -> None:
    # b64x-06: "Side effects were" over "minimal: transient facial itching ..." was cut into two
    # sentences, and "Side effects were" cited as the trial's significant side effects.
    text = ("During the 72-hour intrathecal infusion her mean NRS was 3.2 and was 2 for the final 24\n"
            "hours, a reduction of well over 50% from baseline. Side effects were\n"
            "minimal: transient facial itching on day 1 that resolved after one\n"
            "dose of diphenhydramine.\n")
    starts = sentence_starts(text)
    assert text.index("minimal:") not in starts
    # A label on a line of its own after a finished line still opens one.
    listed = "Plan reviewed with the patient today in clinic.\nAllergies: none known.\n"
    assert listed.index("Allergies:") in sentence_starts(listed)
