"""The target rules' patterns as compiled: phrases read across line wraps."""

from __future__ import annotations

import re

import pytest

from extractors.target_rules import wrap_tolerant


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
