"""A reviewer's overrides carried through the tree: the same three-valued logic the engine used,
so her view of the request shows the determination her statuses lead to. The automated decision
is never changed; this is a second reading beside it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from chart_review.contract import CriterionResult, Determination, Status
from rules.logic import all_of, any_of


def determine(indication: Status, exclusion: Status) -> Determination:
    """A non-indication present decides against; then the indications decide; else unknown."""
    if exclusion is Status.MET:
        return Determination.DOES_NOT_MEET
    if indication is Status.MET:
        return Determination.MEETS
    if indication is Status.NOT_MET:
        return Determination.DOES_NOT_MEET
    return Determination.INSUFFICIENT


@dataclass(frozen=True)
class Reconsidered:
    determination: Determination
    # Every node whose status the overrides moved, as (id, automated, now), in tree order.
    changed: tuple[tuple[str, Status, Status], ...]


def _status(node: CriterionResult, overrides: Mapping[str, Status],
            changed: list[tuple[str, Status, Status]]) -> Status:
    # Children first, so a change under an overridden group is still listed.
    below = [_status(child, overrides, changed) for child in node.children]
    if node.id in overrides:
        status = overrides[node.id]
    elif node.logic == "leaf" or not below:
        status = node.status
    else:
        status = (all_of if node.logic == "all" else any_of)(below)
    if status is not node.status:
        changed.append((node.id, node.status, status))
    return status


def reconsider(indication: CriterionResult, exclusion: CriterionResult,
               overrides: Mapping[str, Status]) -> Reconsidered:
    """The determination with `overrides` (criterion id -> status) in place of the engine's
    statuses; groups recomputed from their children unless a group is itself overridden."""
    changed: list[tuple[str, Status, Status]] = []
    indicated = _status(indication, overrides, changed)
    excluded = _status(exclusion, overrides, changed)
    return Reconsidered(determine(indicated, excluded), tuple(changed))
