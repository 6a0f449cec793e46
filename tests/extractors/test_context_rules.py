"""The ConText rule set as assembled: medspaCy's defaults minus what we drop, plus ours."""

from __future__ import annotations

from collections import defaultdict

from extractors.pipeline import context_rules


def test_no_phrase_has_two_readings() -> None:
    # Two rules on the same phrase with another category or direction tie in medspaCy's
    # pruning, and which one wins then depends on hash order: a rule added elsewhere can flip it.
    readings: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for rule in context_rules():
        if rule.pattern is None:
            readings[rule.literal.lower()].add((rule.category, rule.direction))
    assert {phrase: sorted(found) for phrase, found in readings.items() if len(found) > 1} == {}
