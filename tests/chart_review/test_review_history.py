"""Whole reviews over a short chart: a past finding of an earlier device."""

from __future__ import annotations

from chart_review.contract import Status
from chart_review.review import default_guideline, parse_request, review_documents
from extractors.documents import Document
from rules.decide import walk

PRINTOUT = (
    "PUMP INTERROGATION REPORT      2025-08-12\n"
    "IMPLANTED ........... 06/20/2019  (replaced 2013 pump at ERI)\n"
    "ERI ................. NO\n"
    "EST. TIME TO ERI .... 41 months\n"
    "CRITICAL ALARMS ..... NONE ACTIVE\n"
)
REQUEST = {"procedure_codes": ["E0786"], "request_type": "replacement", "service_date": "2025-09-01"}


def test_review_an_earlier_pumps_replacement_indicator_is_no_alert_now():
    # Blind batch 10 (b10d-02): the printout's implant line tells why the 2013 pump was replaced;
    # the current pump's "ERI .... NO" is the present state (the rule's `earlier_device` blocker).
    guideline = default_guideline()
    decision = review_documents([Document.from_text("interrogation.txt", PRINTOUT)],
                                parse_request(REQUEST, "r", guideline))
    leaf = next(n for root in decision.criteria for n in walk(root)
                if n.id == "chronic_pain.replacement.impending_failure")
    assert leaf.status is not Status.MET, leaf.reason
