"""Three-valued logic exactly as CQL defines it: false dominates ALL, true dominates ANY."""

from __future__ import annotations

from collections.abc import Iterable

from chart_review.contract import Status


def all_of(statuses: Iterable[Status]) -> Status:
    values = list(statuses)
    if Status.NOT_MET in values:
        return Status.NOT_MET
    return Status.MET if all(v is Status.MET for v in values) else Status.UNKNOWN


def any_of(statuses: Iterable[Status]) -> Status:
    values = list(statuses)
    if Status.MET in values:
        return Status.MET
    return Status.NOT_MET if all(v is Status.NOT_MET for v in values) else Status.UNKNOWN


def negate(status: Status) -> Status:
    return {Status.MET: Status.NOT_MET, Status.NOT_MET: Status.MET}.get(status, Status.UNKNOWN)
