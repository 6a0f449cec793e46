"""What an extractor hands the rules: a named fact, its assertion, value and evidence.

A fact is Presidio's RecognizerResult with its AnalysisExplanation folded in: where it is
(evidence spans), which rule made it (`rule_id`), and a one-line `reason` a reviewer can read.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from chart_review.contract import Evidence


class Assertion(StrEnum):
    """ConText's modifiers collapsed to one label per fact, most decisive first."""

    AFFIRMED = "affirmed"
    NEGATED = "negated"
    POSSIBLE = "possible"
    HISTORICAL = "historical"
    HYPOTHETICAL = "hypothetical"
    FAMILY = "family"


def collapse(*, family: bool, negated: bool, hypothetical: bool, possible: bool, historical: bool) -> Assertion:
    """One label from ConText's flags, the most decisive first: a relative's denied finding is
    still a relative's, a denied plan is still denied."""
    if family:
        return Assertion.FAMILY
    if negated:
        return Assertion.NEGATED
    if hypothetical:
        return Assertion.HYPOTHETICAL
    if possible:
        return Assertion.POSSIBLE
    if historical:
        return Assertion.HISTORICAL
    return Assertion.AFFIRMED


def describe_value(amount: float | str | None, unit: str | None) -> str:
    """A fact's value as a reviewer reads it: "about 7.2 months", "62.5%", "2 points"."""
    if unit == "day" and isinstance(amount, float):
        if amount >= 60:
            return f"about {amount / 30.4375:.1f} months"
        return f"about {amount / 7:.1f} weeks"
    if unit == "percent" and isinstance(amount, int | float):
        return f"{amount:g}%"
    if unit in ("months", "points") and isinstance(amount, int | float):
        return f"{amount:g} {unit}"
    return str(amount)


class Modifier(BaseModel):
    """An assertion modifier that touched the fact, with its own span ("denies", "mother")."""

    model_config = ConfigDict(frozen=True)

    category: str
    text: str
    start: int
    end: int


class Fact(BaseModel):
    name: str
    assertion: Assertion
    evidence: list[Evidence] = Field(min_length=1)
    rule_id: str
    reason: str
    value: float | str | None = None
    unit: str | None = None
    # The stretch of time the fact covers, when the chart lets us resolve it.
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    modifiers: list[Modifier] = Field(default_factory=list)
    section: str | None = None
    # Which treatment (route), purpose, time and person the fact belongs to, where the chart
    # says (extractors/attribution.py); a role it does not say is absent.
    roles: dict[str, str] = Field(default_factory=dict)
    # The date of the note the fact was read in, when the note gives one.
    note_date: dt.date | None = None
    # The date the mention gives its own finding, when earlier than its note: a problem list's
    # copied-forward "Epidural tumor T12 (MRI 12/2024)" in an April note reports December.
    observed_on: dt.date | None = None
    # The latest date the mention gives itself, when before its note and no course is said to
    # begin on one of them: when the care it reports was last given ("TFESI x2 (08/2023, 04/2024)").
    latest_on: dt.date | None = None
    # What kind of document said it: "summary" for a payer form or a letter that restates the
    # record ("Drop of 1 point or more? [X] Yes", "excellent response"), "record" otherwise;
    # "check" for the chart's own figures compared (extractors/serials.py), which decides over both.
    source: str = "record"
    # Read from a name that implies the finding rather than from a statement of it ("failed back
    # surgery syndrome" for a failed surgery; a drug named without how it went): cited only
    # where nothing states it.
    implied: bool = False
    # The amount is a ceiling, not a reading: "prognosis six months or less" says the life
    # expectancy is at most six months, so it can settle a bar only from below.
    at_most: bool = False
    # A denial that is someone's decision, not an absence: "not cleared for a trial at this time"
    # is the evaluator withholding clearance; "no clearance on file" is documentation missing.
    decision: bool = False
    # A denial telling how the course its note is about ended ("Reason for discharge:
    # non-attendance"): within that note it outweighs the mentions affirming the course.
    ends_course: bool = False

    @property
    def dated(self) -> dt.date | None:
        """When the finding was observed: the date the mention gives, else its note's."""
        return self.observed_on or self.note_date

    def describe(self) -> str:
        return "" if self.value is None else describe_value(self.value, self.unit)

    @property
    def document(self) -> str:
        return self.evidence[0].document
