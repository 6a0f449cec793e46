"""Find where each note of a document begins, and its date.

One PDF often holds several notes (a consult, a procedure note, a letter); "for the past
8 months" in each must be measured from that note's own date. A note begins at a page whose
head carries a visit date, or at a line that labels one ("Date of service: 03/04/2025").
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass

from extractors.values import note_date, parse_dates

_VISIT_DATE_LINE = re.compile(
    r"^[ \t]*(?:(?:date of (?:service|visit|encounter|consult(?:ation)?|evaluation)|DOS|visit date|"
    r"encounter date|note date|service date)\s*[:#]?|(?:encounter|visit)\s*(?:\.{2,}|:))\s*",
    re.I | re.M,
)
# A ruled line: in a flowsheet, each encounter's block starts under one.
_RULED_ABOVE = re.compile(r"^[ \t]*[-=_*~]{3,}[ \t]*\n[ \t]*\Z", re.M)
_PAGE_HEAD = 600
# A banner line naming an encounter, visit or note, with its date.
_BANNER = re.compile(r"^[ \t]*(?:={2,}|-{3,}|\*{2,}|#{2,})[^\n]*?\b(?:encounter|visit|note|consult\w*|evaluation|"
                     r"follow-?up)\b[^\n]*$", re.I | re.M)

# A line fenced by rules on both sides that opens with a date: "--- 02/2020 ---", "--- 03/2024 ITB
# clinic ---" (a caregiver's or a clinic's running history, one dated entry under each).
_FENCED_DATE = re.compile(r"^[ \t]*(?:={2,}|-{3,}|\*{2,}|#{2,})[ \t]*(?P<date>\d{1,2}/(?:\d{1,2}/)?\d{2,4}\b[^\n]*?)"
                          r"[ \t]*(?:={2,}|-{3,}|\*{2,}|#{2,})[ \t]*$", re.M)

# A records packet's numbered item, a document's title in capitals and its date: "(3) MRI THORACIC
# SPINE WITH AND WITHOUT CONTRAST -- 02/24/2024 (prior, for comparison)".
_NUMBERED_TITLE = re.compile(r"^[ \t]*(?:\(\d{1,2}\)|\d{1,2}[.)])[ \t]+"
                             r"(?P<title>(?-i:[A-Z][A-Z0-9/&,()-]*(?:[ \t]+[A-Z0-9/&,()-]+)+))"
                             r"[ \t]+(?:--?|\u2013|\u2014|,)[ \t]+(?P<date>\d{1,2}/(?:\d{1,2}/)?\d{2,4}\b)[^\n]{0,60}$",
                             re.M)

# A bracketed line naming a note and its date, as an EHR export or a fax packet heads each note it
# pulls in: "[Primary care, 01/21/2025]", "[Carried forward - Orthopaedics, 06/2019]".
_BRACKETED = re.compile(r"^[ \t]*\[[^\]\n]{3,100}\][ \t]*$", re.M)

# A fax's or a scan's page marker: "[FAX PAGE 2 of 3]", "--- Page 2 of 5 ---". A page that opens
# with a date of its own after it (a letterhead, "November 6, 2024") is another document faxed on.
_PAGE_MARK = re.compile(r"^[ \t]*(?:[\[(]|[-=*]{2,}[ \t]*)?(?:fax[ \t]+)?page[ \t]+\d+[ \t]+of[ \t]+\d+\b[^\n]*\n",
                        re.I | re.M)

# A note's date line between two rules: "=====" / "09/19/2023  PROCEDURE - R lumbar sympathetic
# block #2" / "=====" (an encounter history printed for a payer).
_FENCED_DATE_LINE = re.compile(r"^[ \t]*[-=_*~#]{3,}[ \t]*\n(?P<line>[ \t]*\d{1,2}/\d{1,2}/\d{2,4}\b[^\n]{0,120})\n"
                               r"[ \t]*[-=_*~#]{3,}[ \t]*$", re.M)

# A ruled line over a line naming a visit and its date: "=====" / "FOLLOW-UP VISIT - 05/20/2025
# T. Nakashima, PhD" (a psychologist's evaluation and its follow-up in one file), "ENCOUNTER 07/02/2024".
_RULED_TITLE = re.compile(r"^[ \t]*[-=_*~#]{3,}[ \t]*\n(?:[ \t]*\n)?"
                          r"(?P<line>[ \t]*(?-i:[A-Z0-9][A-Z0-9 /&().,-]{0,50}?)?"
                          r"(?-i:\b(?:ENCOUNTER|VISIT|NOTE|CONSULT\w*|EVALUATION|FOLLOW-?UP|ADDENDUM)\b)[^\n]{0,120})$",
                          re.M)
# ...or a document's title under a rule, undated, its date labelled on a line under it: "=====" /
# "INTRATHECAL TRIAL - PROCEDURE / RECOVERY FLOWSHEET" / "Date: 09/05/2024   Proceduralist: ...".
_RULED_DOCUMENT = re.compile(r"^[ \t]*[-=_*~#]{3,}[ \t]*\n(?P<line>[ \t]*(?-i:[A-Z][A-Z /&().,-]{0,60}?)"
                             r"(?-i:\b(?:NOTE|CONSULT\w*|EVALUATION|PROCEDURE|FLOWSHEET|REPORT|SUMMARY|RECORD|"
                             r"INTERROGATION)\b)[^\n\d]{0,80})$", re.M)
# ...or between fences on its own line: "=== INTRATHECAL TRIAL FLOWSHEET ===" / "Date 06/25/2024".
_FENCED_DOCUMENT = re.compile(r"^[ \t]*(?:={3,}|\*{3,}|#{3,}|-{3,})[ \t]*(?P<line>(?-i:[A-Z][A-Z /&().,-]{0,60}?)"
                              r"(?-i:\b(?:NOTE|CONSULT\w*|EVALUATION|PROCEDURE|FLOWSHEET|REPORT|SUMMARY|RECORD|"
                              r"INTERROGATION)\b)[^\n\d=*#]{0,80}?)[ \t]*(?:={3,}|\*{3,}|#{3,}|-{3,})[ \t]*$", re.M)
# A date labelled on one of the two lines under a title: "Date: 09/05/2024", "DOS 09/05/2024".
_DATE_BELOW = re.compile(r"\b(?:date(?: of (?:service|procedure|study|visit|evaluation|exam))?|DOS)\s*[:#]?\s*", re.I)


def _dated_below(text: str, end: int) -> dt.date | None:
    """The date labelled on one of the two lines after `end` (a title's end), if one opens its label."""
    below = text[end:end + 320].split("\n")[1:3]
    for line in below:
        if (label := _DATE_BELOW.search(line)) is not None:
            found = parse_dates(line[label.end():])
            if found and found[0][1] == 0:
                return found[0][0]
    return None


# An addendum's dated title: "ADDENDUM - 08/12/2024" under a May evaluation is August's word.
_ADDENDUM = re.compile(r"^[ \t]*(?:[-=*#]+[ \t]*)?(?:late[- ]entry[ \t]+|signed[ \t]+)?addendum\b[^\n]{0,60}$",
                       re.I | re.M)

# The banner closing a block pasted from another note.
_BANNER_END = re.compile(r"^[ \t]*(?:={2,}|-{3,}|\*{2,}|#{2,})[ \t]*(?:end|end of)\b[^\n]*$", re.I | re.M)


@dataclass(frozen=True)
class Notes:
    starts: list[int]
    dates: list[dt.date | None]
    # The starts a line heads as a note of its own (a banner, a bracketed title), not a date label:
    # a packet's cover may pull in other notes under such lines, and each is its author's record.
    headed: frozenset[int] = frozenset()

    def date_at(self, offset: int) -> dt.date | None:
        """The date of the note holding `offset`."""
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.dates[i] if i >= 0 else None

    def head_of(self, offset: int) -> int:
        """Where the note holding `offset` begins."""
        return self.starts[max(0, bisect.bisect_right(self.starts, offset) - 1)]


def _labelled_date(text: str, at: int) -> dt.date | None:
    found = parse_dates(text[at:at + 40])
    return found[0][0] if found and found[0][1] < 5 else None


def find_notes(text: str, page_starts: list[int]) -> Notes:
    starts, dates = [0], [note_date(text)]
    boundaries: dict[int, dt.date] = {}
    headed: set[int] = set()
    for match in _VISIT_DATE_LINE.finditer(text):
        day = _labelled_date(text, match.end())
        if day is not None and match.start() > 0:
            # The note begins at its header block: back up to the blank line above the label.
            block = text.rfind("\n\n", 0, match.start())
            ruled = _RULED_ABOVE.search(text, max(0, match.start() - 200), match.start())
            at = match.start() if ruled else block + 2 if block != -1 else match.start()
            boundaries.setdefault(at, day)
    # A dated line that heads a note of its own: "=== ENCOUNTER 2 - PRE-OPERATIVE VISIT - 03/04/2025
    # ===", "--- 02/2020 ---", "(3) MRI THORACIC SPINE ... -- 02/24/2024".
    for pattern, group in ((_BANNER, 0), (_FENCED_DATE, "date"), (_NUMBERED_TITLE, "date")):
        for match in pattern.finditer(text):
            found = parse_dates(match.group(group))
            if found and match.start() > 0:
                boundaries.setdefault(match.start(), found[0][0])
                headed.add(match.start())
    for match in _FENCED_DATE_LINE.finditer(text):
        found = parse_dates(match.group("line"))
        if found and found[0][1] < 8 and match.start() > 0:
            boundaries.setdefault(match.start(), found[0][0])
            headed.add(match.start())
    for match in _RULED_TITLE.finditer(text):
        found = parse_dates(match.group("line"))
        if found and found[0][1] < 60 and match.start() > 0:
            boundaries.setdefault(match.start("line"), found[0][0])
            headed.add(match.start("line"))
    for pattern in (_RULED_DOCUMENT, _FENCED_DOCUMENT):
        for match in pattern.finditer(text):
            # (A psychologist's June evaluation above it in the same file is another note.)
            if match.start() > 0 and (day := _dated_below(text, match.end())) is not None:
                boundaries.setdefault(match.start() if pattern is _FENCED_DOCUMENT else match.start("line"), day)
    for match in _BRACKETED.finditer(text):
        found = parse_dates(match.group(0))
        if found and match.start() > 0:
            boundaries.setdefault(match.start(), found[0][0])
            headed.add(match.start())
    for match in _ADDENDUM.finditer(text):
        found = parse_dates(match.group(0))
        if found and match.start() > 0:
            boundaries.setdefault(match.start(), found[0][0])
    for match in _BANNER_END.finditer(text):
        # "--- End carried-forward text ---": the note the block was pasted into goes on.
        if match.start() > 0 and dates[0] is not None:
            boundaries.setdefault(match.start(), dates[0])
    for page_start in page_starts[1:]:
        day = note_date(text[page_start:page_start + _PAGE_HEAD])
        if day is not None:
            boundaries.setdefault(page_start, day)
    # (The marker's own line may repeat the fax's date on every page: the page's date is below it.)
    paged: set[int] = set()
    for match in _PAGE_MARK.finditer(text):
        day = note_date(text[match.end():match.end() + _PAGE_HEAD])
        if day is not None and match.start() > 0:
            boundaries.setdefault(match.start(), day)
            paged.add(match.start())
    for start in sorted(boundaries):
        if start > starts[-1] and (boundaries[start] != dates[-1] or start in headed):
            starts.append(start)
            dates.append(boundaries[start])
            if start in paged:
                headed.add(start)  # a document of its own, of its own kind (a letter after a notice)
    return Notes(starts, dates, frozenset(s for s in starts if s in headed))
