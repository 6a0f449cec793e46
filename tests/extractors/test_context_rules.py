"""The ConText rule set as assembled: medspaCy's defaults minus what we drop, plus ours."""

from __future__ import annotations

from collections import defaultdict

import pytest

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


# Dictation is hard-wrapped in mid-sentence: a cue of several words cut by the line break is still
# the cue (41 such breaks in 39 blind documents by session 17's count).
WRAPPED = [
    ("not\ncontrolled", "Her pain has been documented in clinic as severe and persistent, and it is still not\n"
     "controlled by the current oral regimen of morphine and gabapentin taken every day.\n"),
    ("no evidence\nof", "MRI of the lumbar spine from last month shows that the patient has no evidence\nof "
     "malignancy in the spine or in the pelvis on the images that were obtained.\n"),
]


@pytest.mark.parametrize(("cue", "text"), WRAPPED)
def test_a_cue_wrapped_onto_the_next_line_is_still_the_cue(extractor, cue: str, text: str) -> None:
    doc = extractor.nlp(text)
    found = [doc[m._start:m._end].text for m in doc._.context_graph.modifiers]
    assert any(cue.split("\n")[-1] in f and "\n" in f for f in found), found


def test_a_line_break_that_starts_a_sentence_joins_no_cue(extractor) -> None:
    # A short line is finished: "not" ends one item, "controlled" opens the next.
    doc = extractor.nlp("Smoker: not\nControlled substances agreement signed.\n")
    assert not [m for m in doc._.context_graph.modifiers if "\n" in doc[m._start:m._end].text]
