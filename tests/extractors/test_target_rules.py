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


_BLOCKED = """
lexicons:
  open: {open}
rules:
  - id: x.leak
    fact: x
    match: 'leak'
    blocked_by: [open]
    reason: a leak
"""


@pytest.mark.parametrize(("lexicon", "refused"), [
    # Session 33: cause_open's " vs " never matched behind its word guard ("pump vs catheter").
    pytest.param("' vs '", True, id="a space"),
    pytest.param("'(?:^|\\n)\\s*history:'", True, id="a line break (after a word on the line before)"),
    pytest.param("'unclear|(?: or| vs)'", True, id="in a group"),
    pytest.param("'(?<!now ) vs'", True, id="after a lookbehind"),
    pytest.param("'\\s*(?:or|vs)\\b'", False, id="an optional space"),
    pytest.param("'(?:^|(?<=\\n))\\s*history:'", False, id="a line start by lookbehind"),
    pytest.param("'[- ]vs'", False, id="a class holding a space among others"),
])
def test_a_lexicon_a_rule_reads_on_its_own_may_not_open_on_a_space(lexicon: str, refused: bool) -> None:
    """A lexicon named in a rule's blocked_by (and the like) is compiled behind a word guard, so an
    alternative opening on a space or line break can never follow a word: refused on load."""
    text = _BLOCKED.format(open=lexicon)
    if refused:
        with pytest.raises(RuleError, match="opening on a space"):
            load_rules(text)
    else:
        assert load_rules(text).compiled_lexicons["open"].pattern


def test_lexicons_read_at_a_line_start_match_after_a_word() -> None:
    """The line-start alternative of the rule file's own lexicons holds after a line ending on a word."""
    lexicons = load_rules().compiled_lexicons
    assert lexicons["side_effect_diagnosis"].search("Problem list: chronic pain\nopioid-induced constipation\n")
    assert lexicons["study_indication"].search("CT MYELOGRAM\nIndication: loss of effect")
