"""Shared pieces of the extractor tables: assertion shorthands and `gap` for known misses."""

from __future__ import annotations

from typing import Any

import pytest

from extractors.facts import Assertion

A, N, P = Assertion.AFFIRMED, Assertion.NEGATED, Assertion.POSSIBLE
HIST, HYPO, FAM = Assertion.HISTORICAL, Assertion.HYPOTHETICAL, Assertion.FAMILY
COLUMNS = ("text", "fact", "value", "assertion")


def gap(text: str, fact: str, value: float | str | None, assertion: Assertion | None, why: str) -> Any:
    """A row the extractor gets wrong today: kept as the specification, expected to fail (strictly)."""
    return pytest.param(text, fact, value, assertion, marks=pytest.mark.xfail(strict=True, reason=f"extractor: {why}"))
