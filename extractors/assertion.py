"""Classify the assertion of any span of a document: the same ConText the extractors use.

This is the public face of assertion detection, measured on the NegEx and ConText annotation
sets by `bench/assertion_eval.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Span

from extractors.facts import Assertion, Modifier, collapse
from extractors.pipeline import TARGETS, context_rules, modifiers_of


@dataclass(frozen=True)
class AssertionResult:
    assertion: Assertion
    negated: bool
    historical: bool
    hypothetical: bool
    family: bool
    possible: bool
    modifiers: tuple[Modifier, ...]


@lru_cache(maxsize=1)
def _nlp() -> Language:
    import spacy

    import extractors.context_graph  # noqa: F401  (registers the factories)
    import extractors.sentences  # noqa: F401

    nlp = spacy.blank("en")
    nlp.add_pipe("clinical_sentences")
    context: Any = nlp.add_pipe("chart_context", name="medspacy_context",
                                config={"input_span_type": "group", "span_group_name": TARGETS, "rules": None})
    context.add(context_rules())
    return nlp


def classify_assertion(text: str, start: int, end: int) -> AssertionResult:
    """ConText's verdict on text[start:end] in its sentence; the span snaps outward to tokens."""
    nlp = _nlp()
    doc = nlp.make_doc(text)
    span = doc.char_span(start, end, label="TARGET", alignment_mode="expand")
    if span is None:
        raise ValueError(f"no tokens in {start}..{end}")
    for name, component in nlp.pipeline:
        if name == "medspacy_context":
            doc.spans[TARGETS] = [span]
        doc = component(doc)
    target: Span = doc.spans[TARGETS][0]
    flags = {
        "negated": bool(target._.is_negated),
        "historical": bool(target._.is_historical),
        "hypothetical": bool(target._.is_hypothetical),
        "family": bool(target._.is_family),
        "possible": bool(target._.is_uncertain),
    }
    assertion = collapse(**flags)
    modifiers = tuple(modifiers_of(target))
    return AssertionResult(assertion=assertion, modifiers=modifiers, **flags)
