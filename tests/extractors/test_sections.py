"""extractors.sections: the sections and sentence starts medspaCy's own sectionizer gives, on
fixture documents and MTSamples notes, and with rules that scope and nest sections."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
import spacy
from medspacy.section_detection import SectionRule
from spacy.language import Language
from spacy.tokens import Doc

import extractors.sections  # noqa: F401  (registers the chart_sectionizer factory)
import extractors.sentences  # noqa: F401  (registers the clinical_sentences factory)

REPO = Path(__file__).resolve().parents[2]
MTSAMPLES = REPO.parent / "shared" / "external" / "mtsamples" / "mtsamples.csv"
CONFIG = {"require_start_line": True, "span_attrs": None}


def _nlp(factory: str, rules: list[SectionRule] | None = None) -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("clinical_sentences")
    sectionizer: Any = nlp.add_pipe(factory, name="medspacy_sectionizer",
                                    config=CONFIG | ({"rules": None} if rules else {}))
    if rules:
        sectionizer.add(rules)
    return nlp


def _read(doc: Doc) -> tuple[list[tuple], list[bool]]:
    sections = [(s.category, s.title_start, s.title_end, s.body_start, s.body_end,
                 None if s.parent is None else (s.parent.category, s.parent.title_start),
                None if s.rule is None else (s.rule.literal, s.rule.max_scope))  # each pipeline has its own rules
                for s in doc._.sections]
    return sections, [bool(token.is_sent_start) for token in doc]


def _texts() -> list[str]:
    texts = [path.read_text("utf-8") for path in sorted((REPO / "fixtures" / "cases").glob("*/documents/*.txt"))]
    if MTSAMPLES.exists():
        csv.field_size_limit(10**9)
        with MTSAMPLES.open(newline="", encoding="utf-8") as fh:
            texts += [row["transcription"] for row in list(csv.DictReader(fh))[::50]]
    return texts + ["", "no sections here", "Allergies:\nnone"]


def test_sections_and_sentence_starts_are_medspacys() -> None:
    ours, theirs = _nlp("chart_sectionizer"), _nlp("medspacy_sectionizer")
    texts = _texts()
    assert len(texts) > 100
    for text in texts:
        assert _read(ours(text)) == _read(theirs(text)), text[:80]


def test_scoped_and_nested_sections_are_medspacys() -> None:
    rules = [
        SectionRule("History:", "history"),
        SectionRule("Plan:", "plan", max_scope=3),
        SectionRule("Medications:", "medications", parents=["history"]),
        SectionRule("Allergies:", "allergies", parents=["history"], parent_required=True),
    ]
    ours, theirs = _nlp("chart_sectionizer", rules), _nlp("medspacy_sectionizer", rules)
    for text in ["Intro line.\nHistory:\nback pain\nMedications:\nbaclofen\nAllergies:\nnone\n"
                 "Plan:\ntrial of intrathecal baclofen next month with a bolus\nMedications:\nnone",
                 "Plan:\nshort", "Allergies:\nnone\nHistory:\nx\nAllergies:\nNKDA"]:
        assert _read(ours(text)) == _read(theirs(text)), text


@pytest.mark.parametrize("max_length", [2, 50])
def test_a_maximum_section_length_is_medspacys(max_length: int) -> None:
    config = CONFIG | {"max_section_length": max_length}
    ours, theirs = spacy.blank("en"), spacy.blank("en")
    ours.add_pipe("chart_sectionizer", config=config)
    theirs.add_pipe("medspacy_sectionizer", config=config)
    text = "History:\nlow back pain for years\nPlan:\nintrathecal trial with a morphine bolus and observation"
    assert _read(ours(text)) == _read(theirs(text))
