"""Attribution: which treatment (route), purpose, time and person a finding belongs to.

A finding is read beside the words that own it, the nearest before it first. "MAS 3 -> 2 six
weeks after botulinum toxin" is an Ashworth drop, but the botulinum toxin's, not an intrathecal trial's; "nausea on oral
morphine" is a side effect, but of the systemic opioid. Each role takes the value of the cue
nearest the finding, first in its own clause, then in its reading unit; with no cue the role is
unknown and decides nothing. The cues are data (`resources/attribution.yaml`); which values a
fact accepts is the guideline's business (`roles:` on its facts), not the extractor's.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache

from extractors.facts import Assertion
from extractors.fastmatch import FoldedText, PatternSet
from extractors.resources import load as load_data

# A drug set back while something else is tried: "oral oxycodone fell from six doses a day to one",
# "oral/transdermal regimen, which was held from 07/15".
# Not the pain's own fall: "IT trial 8/06: pain fell from 8/10 to 3/10".
_HELD_BACK = re.compile(r"(?:(?!\b(?:pain|score|nrs|vas|relief)\b)[^.;])*?\b(?:fell|dropped|held|reduced to|weaned|"
                        r"tapered|(?:was|were) (?:reduced|stopped|removed|cut))\b", re.I)
_PHRASE_BREAK = re.compile(r"[,;]|\b(?:with|while|plus|but|whereas)\b", re.I)
# ...except "with" naming the means right before the cue: "a one-point improvement in Ashworth
# scores with botulinum toxin" is the toxin's ("with halving of breakthrough use" is not a means).
_BY_MEANS = re.compile(r"[^,;]*?\b(?:with|after|following|from)\s+(?:\w+\s+)?$", re.I)
# Roles read from the clause only: a plan or a stop belongs to the clause that says it
# ("oral baclofen stopped; tizanidine continues").
# Read in the finding's own clause only: a time, a site or a step named in the next clause is another's.
CLAUSE_ONLY = frozenset({"timing", "site", "stage"})
OTHER_DEVICE = "other_device"
_BY_ASSERTION = {Assertion.HYPOTHETICAL: "plan", Assertion.HISTORICAL: "past"}


@dataclass(frozen=True)
class Cue:
    role: str
    value: str
    start: int
    end: int


class Attributor:
    """Every cue pattern, one per (role, value), run together over a document: one pass of the
    fast matcher (extractors/fastmatch.py) finds them all, as `re.I` would."""

    def __init__(self, cues: dict[str, dict[str, str]]) -> None:
        self.names = [(role, value) for role, values in cues.items() for value in values]
        self.roles = list(cues)
        self._set = PatternSet([cues[role][value] for role, value in self.names])
        self._compiled = [re.compile(cues[role][value], re.I) for role, value in self.names]
        self._titles: dict[str, list[Cue]] = {}

    def cues(self, text: str, start: int = 0, end: int | None = None) -> list[Cue]:
        """Cues in text[start:end] (a short text, such as a title, searched directly)."""
        end = len(text) if end is None else end
        return sorted((Cue(role, value, m.start(), m.end())
                       for (role, value), pattern in zip(self.names, self._compiled, strict=True)
                       for m in pattern.finditer(text, start, end)), key=lambda c: c.start)

    def title_cues(self, title: str) -> list[Cue]:
        """A note's title is asked about by each of its mentions: read it once."""
        found = self._titles.get(title)
        if found is None:
            found = self._titles[title] = self.cues(title)
            if len(self._titles) > 256:  # titles of charts long gone
                self._titles.pop(next(iter(self._titles)))
        return found

    def index(self, text: str, folded: FoldedText | None = None) -> CueIndex:
        """`folded`: the same text as the target rules folded it, if they did."""
        found = sorted((Cue(*self.names[i], s, e) for i, s, e in self._set.finditer(folded or text)),
                       key=lambda c: c.start)
        return CueIndex(self, text, found)


@dataclass
class CueIndex:
    """A document's cues, found in one pass; each mention looks up its own stretch."""

    attributor: Attributor
    text: str
    found: list[Cue]
    starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.starts = [c.start for c in self.found]

    def within(self, start: int, end: int) -> list[Cue]:
        lo, hi = bisect.bisect_left(self.starts, start), bisect.bisect_left(self.starts, end)
        return [c for c in self.found[lo:hi] if c.end <= end]

    def names_part(self, start: int, end: int) -> bool:
        """The stretch names a part of the device (the pump's or the catheter's, by the component
        cues), not another implanted device."""
        return any(c.role == "component" and c.value != OTHER_DEVICE for c in self.within(start, end))

    def attribute(self, unit: tuple[int, int], clause: tuple[int, int], anchor: tuple[int, int],
                  assertion: Assertion, title: str = "", block: tuple[int, int] | None = None,
                  item: tuple[int, int] | None = None, record: tuple[int, int] | None = None,
                  taken: tuple[tuple[int, int], ...] = ()) -> dict[str, str]:
        """Each role's value for the finding at `anchor`, by the nearest cue; where the unit
        names no treatment, the document's title does ("CHEMODENERVATION PROCEDURE NOTE"), and
        where it names no device part, the label over its block of lines does ("[2] SPINAL CORD
        STIMULATOR IPG" over "STATUS ..... Device non-functional"). Cues inside `taken` (the
        finding's own negation cues) are words of the assertion, not of a role: "unable to
        recommend her for an intrathecal trial" withholds clearance now; it plans nothing."""
        roles: dict[str, str] = {"subject": "relative" if assertion is Assertion.FAMILY else "patient"}
        if assertion in _BY_ASSERTION:
            roles["timing"] = _BY_ASSERTION[assertion]
        in_unit = [c for c in self.within(*unit) if not any(lo <= c.start and c.end <= hi for lo, hi in taken)]
        in_clause = [c for c in in_unit if clause[0] <= c.start and c.end <= clause[1]]
        for role in self.attributor.roles:
            if role in roles:
                continue
            for pool in (in_clause, [] if role in CLAUSE_ONLY else in_unit):
                near = [c for c in pool if c.role == role]
                cue = _nearest(self.text, near, anchor) if near else None
                if cue is not None:
                    roles[role] = cue.value
                    break
        if "route" not in roles and item is not None:
            # The sentences before it in its paragraph or list item: "Chemodenervation: Dysport 500
            # units 08/06/2024. At 4-week recheck MAS ankle plantarflexors improved 3 -> 1."
            # ...not a drug the paragraph says was held or cut back for the trial ("breakthrough oral
            # oxycodone fell from six doses a day to one. Side effects were minimal").
            before = [c for c in self.within(item[0], anchor[0]) if c.role == "route"
                      and not _HELD_BACK.match(self.text, c.end, min(anchor[0], c.end + 60))]
            if before:
                roles["route"] = max(before, key=lambda c: c.start).value
        if "route" not in roles and record is not None:
            # A field of a labelled record is about the record's treatment: "Baclofen PO ....
            # started 01/08/2024" over "Response .... MAS unchanged".
            _only(roles, "route", self.within(*record))
        if "route" not in roles and title:
            _only(roles, "route", self.attributor.title_cues(title))
        if title and {c.value for c in self.attributor.title_cues(title) if c.role == "component"} == {OTHER_DEVICE}:
            # A document about another implant is about its parts: a pacemaker check's "Battery |
            # ERI reached" is the pacemaker's battery.
            roles["component"] = OTHER_DEVICE
        if block is not None:
            label = [c for c in self.within(*block) if c.role == "component"]
            # A part ("BATTERY ..... END OF SERVICE") under a label naming another device is
            # that device's part; otherwise the label only fills a part the line does not name.
            if "component" not in roles or {c.value for c in label} == {OTHER_DEVICE}:
                roles.pop("component", None)
                _only(roles, "component", label)
        return roles


def _only(roles: dict[str, str], role: str, cues: list[Cue]) -> None:
    """The role's value when the cues name exactly one: a label naming two decides nothing."""
    named = {c.value for c in cues if c.role == role}
    if len(named) == 1:
        roles[role] = named.pop()


def _nearest(text: str, cues: list[Cue], anchor: tuple[int, int]) -> Cue | None:
    """The cue before the finding nearest to it, else the nearest after it in the same phrase:
    what changed usually comes first ("oxycodone use fell by 50% during the IT trial" is the
    oxycodone's), and a cue past "with", "but" or a comma names something else ("38% pain
    reduction with halving of breakthrough opioid use")."""
    before = [c for c in cues if c.end <= anchor[0] or c.start <= anchor[0] < c.end]
    if before:
        return max(before, key=lambda c: c.end)
    after = [c for c in cues
             if not _PHRASE_BREAK.search(text, anchor[1], c.start) or _BY_MEANS.match(text, anchor[1], c.start)]
    return min(after, key=lambda c: _distance(c, anchor)) if after else None


def _distance(cue: Cue, anchor: tuple[int, int]) -> int:
    if cue.end <= anchor[0]:
        return anchor[0] - cue.end
    if cue.start >= anchor[1]:
        return cue.start - anchor[1]
    return 0


@cache
def load_attributor() -> Attributor:
    data = load_data("attribution.yaml")
    return Attributor(data["roles"])
