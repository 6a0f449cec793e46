"""Attribution: which treatment (route), purpose, time and person a finding belongs to.

A finding is read beside the words that own it, the nearest before it first. "MAS 3 -> 2 six
weeks after botulinum toxin" is an Ashworth drop, but the botulinum toxin's, not an intrathecal trial's; "nausea on oral
morphine" is a side effect, but of the systemic opioid. Each role takes the value of the cue
nearest the finding, first in its own clause, then in its reading unit; with no cue the role is
unknown and decides nothing. The cues are data (`resources/attribution.yaml`); which values a
fact accepts is the guideline's business (`roles:` on its facts), not the extractor's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from extractors.facts import Assertion

_PHRASE_BREAK = re.compile(r"[,;]|\b(?:with|while|plus|but|whereas)\b", re.I)
# Roles read from the clause only: a plan or a stop belongs to the clause that says it
# ("oral baclofen stopped; tizanidine continues").
CLAUSE_ONLY = frozenset({"timing"})
_BY_ASSERTION = {Assertion.HYPOTHETICAL: "plan", Assertion.HISTORICAL: "past"}


@dataclass(frozen=True)
class Cue:
    role: str
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class Attributor:
    """Cue patterns by role, one alternation per role so a unit is scanned once per role."""

    patterns: dict[str, re.Pattern[str]]

    def cues(self, text: str, start: int, end: int) -> list[Cue]:
        found = []
        for role, pattern in self.patterns.items():
            for m in pattern.finditer(text, start, end):
                value = next(name for name, hit in m.groupdict().items() if hit is not None)
                found.append(Cue(role, value, m.start(), m.end()))
        return found

    def attribute(self, text: str, unit: tuple[int, int], clause: tuple[int, int],
                  anchor: tuple[int, int], assertion: Assertion, title: str = "") -> dict[str, str]:
        """Each role's value for the finding at `anchor`, by the nearest cue; where the unit
        names no treatment, the document's title does ("CHEMODENERVATION PROCEDURE NOTE")."""
        roles: dict[str, str] = {"subject": "relative" if assertion is Assertion.FAMILY else "patient"}
        if assertion in _BY_ASSERTION:
            roles["timing"] = _BY_ASSERTION[assertion]
        in_clause = self.cues(text, *clause)
        in_unit = self.cues(text, *unit) if unit != clause else in_clause
        for role in self.patterns:
            if role in roles:
                continue
            for pool in (in_clause, [] if role in CLAUSE_ONLY else in_unit):
                near = [c for c in pool if c.role == role]
                cue = _nearest(text, near, anchor) if near else None
                if cue is not None:
                    roles[role] = cue.value
                    break
        if "route" not in roles and title:
            named = [c for c in self.cues(title, 0, len(title)) if c.role == "route"]
            if len({c.value for c in named}) == 1:  # a title naming two treatments decides nothing
                roles["route"] = named[0].value
        return roles


def _nearest(text: str, cues: list[Cue], anchor: tuple[int, int]) -> Cue | None:
    """The cue before the finding nearest to it, else the nearest after it in the same phrase:
    what changed usually comes first ("oxycodone use fell by 50% during the IT trial" is the
    oxycodone's), and a cue past "with", "but" or a comma names something else ("38% pain
    reduction with halving of breakthrough opioid use")."""
    before = [c for c in cues if c.end <= anchor[0] or c.start <= anchor[0] < c.end]
    if before:
        return max(before, key=lambda c: c.end)
    after = [c for c in cues if not _PHRASE_BREAK.search(text, anchor[1], c.start)]
    return min(after, key=lambda c: _distance(c, anchor)) if after else None


def _distance(cue: Cue, anchor: tuple[int, int]) -> int:
    if cue.end <= anchor[0]:
        return anchor[0] - cue.end
    if cue.start >= anchor[1]:
        return cue.start - anchor[1]
    return 0


@cache
def load_attributor() -> Attributor:
    data = yaml.safe_load((resources.files("extractors") / "resources" / "attribution.yaml").read_text("utf-8"))
    patterns = {}
    for role, values in data["roles"].items():
        alternation = "|".join(f"(?P<{value}>{cue})" for value, cue in values.items())
        patterns[role] = re.compile(alternation, re.I)
    return Attributor(patterns)
