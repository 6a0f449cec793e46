"""Fixtures for the extractor tables: one ChartExtractor per session, and the row check.

A row is `(text, fact_name, expected_value, expected_assertion)`. It passes when some fact of
that name has the expected assertion and, when a value is given, a value within the unit's
tolerance. An expected assertion of None means "no affirmed fact of that name" (a distractor).
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

import pytest

from extractors.documents import Document
from extractors.facts import Assertion, Fact
from extractors.pipeline import ChartExtractor

SERVICE_DATE = dt.date(2025, 10, 1)

# Tolerances per unit: durations are parsed from months of 30.44 days, so "8 months" and
# "since February" differ by a day or two; percents and points are exact up to rounding.
TOLERANCE = {"day": 3.0, "percent": 1.0, "points": 0.01, "months": 0.02}


class FactsFor(Protocol):
    def __call__(self, text: str, service_date: dt.date = SERVICE_DATE) -> list[Fact]: ...


class ExpectRow(Protocol):
    def __call__(self, text: str, fact: str, value: float | str | None, assertion: Assertion | None,
                 service_date: dt.date = SERVICE_DATE) -> None: ...


@pytest.fixture(scope="session")
def extractor() -> ChartExtractor:
    """The medspaCy pipeline, built once for the session (shared with the CLI's cached one)."""
    from chart_review.review import default_extractor

    built = default_extractor()
    assert isinstance(built, ChartExtractor)
    return built


@pytest.fixture(scope="session")
def facts_for(extractor: ChartExtractor) -> FactsFor:
    """`facts_for(text, service_date=date(2025, 10, 1))`: the facts of one note, note.txt."""

    def run(text: str, service_date: dt.date = SERVICE_DATE) -> list[Fact]:
        return extractor.extract_document(Document.from_text("note.txt", text), service_date)

    return run


def _value_matches(fact: Fact, expected: float | str) -> bool:
    if isinstance(expected, str):
        return isinstance(fact.value, str) and expected.lower() in fact.value.lower()
    if not isinstance(fact.value, int | float):
        return False
    tolerance = TOLERANCE.get(fact.unit or "", 0.01)
    return abs(float(fact.value) - expected) <= tolerance


def _describe(facts: list[Fact], name: str) -> str:
    mine = [f"{f.assertion.value} value={f.value!r} unit={f.unit} rule={f.rule_id}"
            for f in facts if f.name == name]
    others = sorted({f"{f.name}:{f.assertion.value}" for f in facts if f.name != name})
    return f"{name}: {mine or 'nothing'}; other facts: {others}"


def row_passes(facts: list[Fact], fact: str, value: float | str | None, assertion: Assertion | None) -> bool:
    named = [f for f in facts if f.name == fact]
    if assertion is None:
        return not any(f.assertion is Assertion.AFFIRMED for f in named)
    return any(f.assertion is assertion and (value is None or _value_matches(f, value)) for f in named)


@pytest.fixture(scope="session")
def expect_row(facts_for: FactsFor) -> ExpectRow:
    """Checks one table row against the facts of its text; the failure names what was found."""

    def check(text: str, fact: str, value: float | str | None, assertion: Assertion | None,
              service_date: dt.date = SERVICE_DATE) -> None:
        facts = facts_for(text, service_date)
        wanted = "no affirmed fact" if assertion is None else f"{assertion.value} value={value!r}"
        assert row_passes(facts, fact, value, assertion), f"wanted {wanted}; found {_describe(facts, fact)}"

    return check
