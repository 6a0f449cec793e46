"""The ConText rule set as assembled: medspaCy's defaults minus what we drop, plus ours."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from extractors.pipeline import context_rules
from extractors.target_rules import wrap_tolerant


def test_no_phrase_has_two_readings() -> None:
    # Two rules on the same phrase with another category or direction tie in medspaCy's
    # pruning, and which one wins then depends on hash order: a rule added elsewhere can flip it.
    readings: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for rule in context_rules():
        if rule.pattern is None:
            readings[rule.literal.lower()].add((rule.category, rule.direction))
    assert {phrase: sorted(found) for phrase, found in readings.items() if len(found) > 1} == {}


@pytest.mark.parametrize(("pattern", "wrapped"), [
    ("life expectancy", r"life(?:\s+)expectancy"),
    (r"(?:\w+ ){0,3}", r"(?:\w+(?:\s+)){0,3}"),
    ("a ?b", r"a(?:\s+)?b"),
    ("[- ]x", "[- ]x"),  # inside a character class a space is itself
    (r"(?<!she )\brecall", r"(?<!she )\brecall"),  # a lookbehind keeps its fixed width
    (r"\[ \]", r"\[(?:\s+)\]"),
])
def test_target_patterns_read_phrases_across_line_wraps(pattern: str, wrapped: str) -> None:
    assert wrap_tolerant(pattern) == wrapped
    assert re.compile(wrap_tolerant(pattern))
