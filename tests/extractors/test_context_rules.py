"""The ConText rule set as assembled: medspaCy's defaults minus what we drop, plus ours."""

from __future__ import annotations

from collections import defaultdict

from extractors.pipeline import context_rules


def test_no_phrase_has_two_readings() -> None:
    # Two rules on the same phrase tie in medspaCy's pruning, and which one wins then depends on
    # hash order: a rule added elsewhere can flip it. Batch 59's session found twelve phrases with
    # two scopes ("asked whether": 6 tokens or the sentence), flipped by two unrelated new rules.
    readings: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for rule in context_rules():
        if rule.pattern is None:
            readings[rule.literal.lower()].append((rule.category, rule.direction, str(rule.max_scope)))
    assert {phrase: found for phrase, found in readings.items() if len(found) > 1} == {}


def test_a_phrase_in_two_rules_reads_as_the_first_listed() -> None:
    rules = {rule.literal.lower(): rule for rule in context_rules() if rule.pattern is None}
    assert rules["asked whether"].metadata["rule_id"] == "hypothetical.asked_whether"
    assert rules["asked whether"].max_scope is None
