"""rules.logic: three-valued logic as CQL defines it (false dominates ALL, true dominates ANY)."""

from __future__ import annotations

import itertools

import pytest

from chart_review.contract import Status
from rules.logic import all_of, any_of, negate

MET, NOT_MET, UNKNOWN = Status.MET, Status.NOT_MET, Status.UNKNOWN
# CQL's order false < null < true: ALL is the minimum, ANY the maximum.
RANK = {NOT_MET: 0, UNKNOWN: 1, MET: 2}


@pytest.mark.parametrize(("left", "right", "expected"), [
    (MET, MET, MET),
    (MET, NOT_MET, NOT_MET),
    (MET, UNKNOWN, UNKNOWN),
    (NOT_MET, MET, NOT_MET),
    (NOT_MET, NOT_MET, NOT_MET),
    (NOT_MET, UNKNOWN, NOT_MET),
    (UNKNOWN, MET, UNKNOWN),
    (UNKNOWN, NOT_MET, NOT_MET),
    (UNKNOWN, UNKNOWN, UNKNOWN),
])
def test_logic_all_of_truth_table(left, right, expected):
    assert all_of([left, right]) is expected


@pytest.mark.parametrize(("left", "right", "expected"), [
    (MET, MET, MET),
    (MET, NOT_MET, MET),
    (MET, UNKNOWN, MET),
    (NOT_MET, MET, MET),
    (NOT_MET, NOT_MET, NOT_MET),
    (NOT_MET, UNKNOWN, UNKNOWN),
    (UNKNOWN, MET, MET),
    (UNKNOWN, NOT_MET, UNKNOWN),
    (UNKNOWN, UNKNOWN, UNKNOWN),
])
def test_logic_any_of_truth_table(left, right, expected):
    assert any_of([left, right]) is expected


@pytest.mark.parametrize(("status", "expected"), [
    (MET, NOT_MET),
    (NOT_MET, MET),
    (UNKNOWN, UNKNOWN),
])
def test_logic_negate_truth_table(status, expected):
    assert negate(status) is expected


@pytest.mark.parametrize("status", [MET, NOT_MET, UNKNOWN])
def test_logic_single_operand_is_itself(status):
    assert all_of([status]) is status
    assert any_of([status]) is status


@pytest.mark.parametrize(("combine", "expected"), [
    (all_of, MET),  # CQL AllTrue({}) is true
    (any_of, NOT_MET),  # CQL AnyTrue({}) is false
])
def test_logic_empty_operands(combine, expected):
    assert combine([]) is expected


@pytest.mark.parametrize("statuses", list(itertools.product([MET, NOT_MET, UNKNOWN], repeat=3)))
def test_logic_three_operands_are_min_and_max(statuses):
    assert all_of(statuses) is min(statuses, key=RANK.__getitem__)
    assert any_of(statuses) is max(statuses, key=RANK.__getitem__)


@pytest.mark.parametrize("statuses", list(itertools.product([MET, NOT_MET, UNKNOWN], repeat=2)))
def test_logic_de_morgan(statuses):
    assert negate(all_of(statuses)) is any_of(negate(s) for s in statuses)
    assert negate(any_of(statuses)) is all_of(negate(s) for s in statuses)


@pytest.mark.parametrize(("combine", "statuses", "expected"), [
    (all_of, (s for s in [MET, MET]), MET),
    (any_of, (s for s in [UNKNOWN, MET]), MET),
    (all_of, iter([UNKNOWN, NOT_MET]), NOT_MET),
])
def test_logic_accepts_any_iterable(combine, statuses, expected):
    # Both combinators read their input twice; a one-shot generator must still work.
    assert combine(statuses) is expected


@pytest.mark.parametrize("status", [MET, NOT_MET, UNKNOWN])
def test_logic_negate_is_an_involution(status):
    assert negate(negate(status)) is status
