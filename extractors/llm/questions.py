"""One focused question per leaf: the criterion's words and the passages the rules point at.

The whole chart is never sent. Passages are the lines where a target rule of one of the leaf's
facts matches, with the line before for context, labelled with their document; the rules' own
patterns decide where to look, so a new guideline's rules find their own passages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from extractors.documents import Document
from extractors.target_rules import RuleSet

SYSTEM = (
    "You review a medical-necessity request against one criterion of a payer guideline. Read only "
    "the chart passages given. Answer with one JSON object and nothing else: "
    '{"status": "met"|"not_met"|"unknown", "assertion": "affirmed"|"negated"|"historical"|'
    '"hypothetical"|"other_person", "quotes": [{"document": "<file name>", "text": "<verbatim>"}], '
    '"rationale": "<one line>"}. '
    "Each quote must be copied character for character from one passage and name its document. "
    "The assertion is how the quoted text states the finding the criterion asks about: affirmed, "
    "negated (denied or absent), historical (in the past only), hypothetical (planned, possible or "
    "asked about), or other_person (a relative's, not the patient's). Say unknown when the passages "
    "do not decide the criterion."
)


@dataclass(frozen=True)
class Passage:
    document: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Question:
    criterion: str
    system: str
    user: str
    passages: tuple[Passage, ...]


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The match's line, with the line before it when that one is short context (a heading, a
    question's first line)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    before = text.rfind("\n", 0, max(0, line_start - 1)) + 1
    if line_start > 0 and line_start - before <= 80:
        line_start = before
    return line_start, line_end


def passages_for(facts: Sequence[str], rules: RuleSet, documents: Sequence[Document],
                 budget: int) -> list[Passage]:
    """The passages where the rules of `facts` match, in document order, up to `budget` characters."""
    patterns = [_compiled(rules.expand(rule.match)) for rule in rules.rules if rule.fact in facts]
    found: list[Passage] = []
    used = 0
    for document in documents:
        spans: list[tuple[int, int]] = []
        for pattern in patterns:
            for m in pattern.finditer(document.text):
                spans.append(_line_bounds(document.text, m.start(), m.end()))
        merged: list[tuple[int, int]] = []
        for start, end in sorted(set(spans)):
            if merged and start <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        for start, end in merged:
            text = document.text[start:end].strip()
            if not text or used + len(text) > budget:
                continue
            offset = document.text.index(text, start)
            found.append(Passage(document.name, offset, offset + len(text), text))
            used += len(text)
    return found


def question_for(criterion: str, text: str, needs: str | None, facts: Sequence[str], rules: RuleSet,
                 documents: Sequence[Document], budget: int) -> Question | None:
    """The question for one leaf, or None when the rules point at no passage (nothing to ask)."""
    passages = passages_for(facts, rules, documents, budget)
    if not passages:
        return None
    lines = [f"Criterion {criterion}: {text}"]
    if needs:
        lines.append(f"What would decide it: {needs}")
    lines.append("Chart passages:")
    lines += [f"[{p.document}]\n{p.text}" for p in passages]
    return Question(criterion, SYSTEM, "\n\n".join(lines), tuple(passages))
