"""The target rules' patterns as compiled: phrases read across line wraps."""

from __future__ import annotations

import re

import pytest

from extractors.target_rules import RuleError, load_rules, wrap_tolerant


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


_ONE_RULE = """
lexicons:
  warned: '(?!\\s+would\\b)'
  stopped: 'withdrawal{warned}|{inner}'
  inner: 'taper'
rules:
  - id: x.stopped
    fact: x
    match: '{stopped}'
    reason: stopped
"""


def test_a_lexicon_may_name_another_and_is_written_in_full() -> None:
    """One guard shared by a lexicon and a rule is written once, in its own lexicon."""
    stopped = load_rules(_ONE_RULE).compiled_lexicons["stopped"]
    assert stopped.search("baclofen withdrawal followed")
    assert not stopped.search("withdrawal would be dangerous")
    assert stopped.search("a slow taper")


@pytest.mark.parametrize(("inner", "message"), [
    ("'{stopped}'", "names itself"),
    ("'{nowhere}'", "unknown lexicon 'nowhere'"),
])
def test_a_lexicon_naming_itself_or_nothing_is_refused(inner: str, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        load_rules(_ONE_RULE.replace("'taper'", inner))
