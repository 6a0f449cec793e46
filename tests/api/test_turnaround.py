"""The turnaround clock (issue 11; CMS-0057-F: 72 hours expedited, 7 days standard)."""

from __future__ import annotations

import datetime as dt

from api.db import Review, ReviewerDetermination
from api.service import turnaround

RECEIVED = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)


def test_turnaround_overdue_only_while_waiting_for_a_reviewer() -> None:
    """Overdue past its due time, until a reviewer determines or automation approves."""
    review = Review(created_at=RECEIVED, priority="expedited", disposition="pend_clinical_review")
    assert turnaround(review, RECEIVED + dt.timedelta(hours=71)).overdue is False
    assert turnaround(review, RECEIVED + dt.timedelta(hours=73)).overdue is True
    review.reviewer_determinations = [ReviewerDetermination(determination="approve", reason="r", reviewer="k")]
    assert turnaround(review, RECEIVED + dt.timedelta(hours=73)).overdue is False


def test_turnaround_standard_is_seven_days_and_approval_stops_the_clock() -> None:
    approved = Review(created_at=RECEIVED, priority="standard", disposition="approve")
    assert turnaround(approved).due_at == RECEIVED + dt.timedelta(days=7)
    assert turnaround(approved, RECEIVED + dt.timedelta(days=30)).overdue is False
