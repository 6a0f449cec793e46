"""Measurements read from tables under their columns: an Ashworth table by muscle group, a pain
score table by time point.

A trial note's tone table ("| Muscle group | Side | Baseline | +2 h | +4 h |") holds the trial's
result in its cells, not in any sentence. Each row is a muscle group; its drop is the baseline
column's score less the lowest post-dose score. The table's result is the largest drop of any
row, cited with that row (or, when nothing changed, with the first row).

A trial's observation log runs the other way ("TIME  ELAPSED  NRS(0-10)  BP ..." over "07:40  base
8 ...", "12:05  4 h  5 ..."): each row is a time point, and the pain column's baseline row against
its lowest later row is the trial's relief, cited with both rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from chart_review.contract import Evidence
from extractors.attribution import CueIndex
from extractors.documents import Document
from extractors.facts import Assertion, Fact
from extractors.layout import Kind, Layout, Line
from extractors.values import POST_TRIAL, PRE_TRIAL, SIDE, ashworth_value, parse_dates

_ASHWORTH = re.compile(r"\b(?:(?:modified )?ashworth|(?-i:MAS))\b", re.I)
# A cell's score, or its right and left scores: "1+", "3 / 3", "1+ / 1".
_SCORE = re.compile(r"^\s*([0-4]\s*\+?)\s*(?:/\s*([0-4]\s*\+?)\s*)?$")
# A table's first column naming muscle groups, and how far above it a flowsheet may name its scale.
_MUSCLE_COLUMN = re.compile(r"^\s*(?:muscles?(?: groups?)?|group)\b", re.I | re.M)
_SCALE_NAMED_REACH = 1500
# Rows that are not a muscle group's tone: spasm counts, pain scores, clonus beats.
_OTHER_MEASURE = re.compile(r"\b(?:penn|spasms?|pain|nrs|vas|clonus|frequency|beats|hr|bp|spo2|sedation)\b", re.I)


def _headers(layout: Layout, text: str) -> Iterator[tuple[int, Line, Line | None, str]]:
    """Each table header with its caption line (if any) and the caption's text."""
    for i, header in enumerate(layout.lines):
        if header.kind is Kind.TABLE_HEADER:
            above = _caption(layout.lines, i)
            yield i, header, above, text[above.start:above.end] if above is not None else ""


def ashworth_tables(document: Document, layout: Layout, cues: CueIndex, title: str) -> list[Fact]:
    text = document.text
    facts = []
    lines = layout.lines
    for i, header, above, caption in _headers(layout, text):
        if not _ASHWORTH.search(caption + " " + text[header.start:header.end]) and not (
                _MUSCLE_COLUMN.search(text, header.start, header.end)
                and _ASHWORTH.search(text, max(0, header.start - _SCALE_NAMED_REACH), header.start)):
            # (A muscle-group table under a flowsheet that names its scale above: "Tone scale: Modified
            # Ashworth" over "=== DAY 2 ... ===" / "MUSCLE GROUP  PRE  1h  2h ...".)
            continue
        rows = [row for row in _rows(lines, i) if not _OTHER_MEASURE.search(_label(row, text))]
        drops = [(drop, row) for row in rows if (drop := _drop(row, text)) is not None]
        if not drops:
            continue
        best, row = max(drops, key=lambda pair: pair[0])
        if best <= 0:
            row = drops[0][1]
        unit = (above.start if above is not None else header.start, header.end)
        roles = cues.attribute(unit, unit, unit, Assertion.AFFIRMED, title=title)
        cited = _cited(document, row)
        facts.append(Fact(
            name="ashworth_drop", assertion=Assertion.AFFIRMED, evidence=[cited],
            rule_id="ashworth.table", value=best, unit="points", roles=roles,
            reason=f"Ashworth table: largest drop {best:g} points ({_label(row, text)})",
        ))
    return facts


_PAIN_COLUMN = re.compile(r"\b(?:(?-i:NRS|VAS)|pain(?: score| level| intensity)?|numeric (?:rating|pain))\b", re.I)
_PAIN_CELL = re.compile(r"^\s*(\d{1,2}(?:\.\d)?)\s*(?:/\s*10)?\s*$")
_NOT_A_SCORE = re.compile(r"relief|%|percent|change|reduction|improv|location|site|goal", re.I)
_TRIAL_WORDS = re.compile(r"\b(?:trial|bolus|test(?:ing)? dose|screening (?:dose|injection|trial))\b", re.I)
# The row of the reading before the dose: "07:40  base  8", "Pre-bolus | 8/10".
_BASELINE_ROW = re.compile(r"\bbase(?:line)?\b|\bpre[- ]?(?:trial|injection|bolus|procedure|test|dose)?\b", re.I)


def pain_score_tables(document: Document, layout: Layout, cues: CueIndex, title: str) -> list[Fact]:
    """A trial log's relief: its pain column's baseline row against the lowest row after it.
    Read only under a trial's title or caption: a refill log's or a clinic's pain column is any
    visit's."""
    text = document.text
    facts = []
    lines = layout.lines
    for i, header in enumerate(lines):
        if header.kind is not Kind.TABLE_HEADER or not _TRIAL_WORDS.search(f"{title}\n{text[:header.start][-600:]}"):
            continue
        rows = _rows(lines, i)
        # One pain column for every row: the first that scores pain, not its relief or its site
        # ("NRS AT REST" over "NRS WITH WALKING", never "PAIN RELIEF %").
        column = next((c.column for row in rows for c in row.cells if c.column and _PAIN_COLUMN.search(c.column)
                       and not _NOT_A_SCORE.search(c.column)), None)
        if column is None:
            continue
        scored = []
        for row in rows:
            score = next((float(m.group(1)) for cell in row.cells if cell.column == column
                          and (m := _PAIN_CELL.match(text[cell.start:cell.end])) is not None), None)
            if score is not None and score <= 10:
                labels = " ".join(text[c.start:c.end] for c in row.cells if c.column != column)
                scored.append((score, row, bool(_BASELINE_ROW.search(labels))))
        base = next((k for k, (_, _, is_base) in enumerate(scored) if is_base), None)
        if base is None or base + 1 >= len(scored):
            continue
        before, base_row, _ = scored[base]
        after, low_row, _ = min(scored[base + 1:], key=lambda reading: reading[0])
        if before <= 0 or after > before:
            continue
        relief = round((before - after) / before * 100, 1)
        unit = (header.start, header.end)
        roles = cues.attribute(unit, unit, unit, Assertion.AFFIRMED, title=title)
        facts.append(Fact(
            name="trial_relief_percent", assertion=Assertion.AFFIRMED,
            # One quote from the baseline row to the lowest: either row alone shows no relief.
            evidence=[_cited(document, base_row, low_row)],
            rule_id="trial.pain_score_table", value=relief, unit="percent", roles=roles,
            # Worked out from the table's lowest reading: a figure the notes state for the trial
            # ("settled at 5/10 ... overall relief at about 40%") decides before it.
            implied=True,
            reason=f"pain table: {before:g} at baseline, lowest {after:g} ({relief:g}% improvement)",
        ))
    return facts


# A time of day, a log's row label ("19:55", "0800"), not a visit's date.
_CLOCK = re.compile(r"\s*(?:\d{1,2}:\d{2}|[01]\d[0-5]\d|2[0-3][0-5]\d)\s*$")
# A table kept under a working pump (a refill or interrogation log) scores pain the pump treats.
_PUMP_LOG = re.compile(r"\b(?:refill|interrogat\w*|pump|intrathecal|(?:post-?)?implant\w*|(?-i:IDDS|ITB|IT))\b", re.I)
_DEVICE_NOTE = re.compile(r"\b(?:refill|interrogat\w*|device clinic|pump (?:check|clinic|management))\b", re.I)
# Moderate to severe: the bar the guideline's severity rules read a rating out of ten against.
SEVERE_PAIN = 5


def pain_tracking_tables(document: Document, layout: Layout, cues: CueIndex, title: str) -> list[Fact]:
    """A clinic's pain tracking table ("Visit  NRS avg  NRS worst  PDI" over a row per visit): its
    latest row's rating in the first pain column is the pain's current severity. Not a trial's
    log (read by `pain_score_tables`) nor a pump's, whose ratings are the pump's doing."""
    text = document.text
    facts = []
    lines = layout.lines
    for i, header, _above, caption in _headers(layout, text):
        # (The note's title may name the trial it plans: "Pre-procedure evaluation - intrathecal
        # trial" over the clinic's visits.)
        if _TRIAL_WORDS.search(caption) or _PUMP_LOG.search(f"{caption}\n{text[header.start:header.end]}") \
                or _DEVICE_NOTE.search(title):
            continue
        rows = _rows(lines, i)
        if any(_BASELINE_ROW.search(_label(row, text)) for row in rows):
            continue  # a dose's log: baseline and after
        if 2 * sum(any(_CLOCK.match(text, c.start, c.end) for c in row.cells[:2]) for row in rows) > len(rows):
            continue  # ...or its hours: "12  19:55  7  16  96%  awake" is the trial's, not the pain's course
        if any(c.column and _NOT_A_SCORE.search(c.column) and re.search(r"relief|%|percent|improv", c.column, re.I)
               for row in rows for c in row.cells):
            continue  # a response's table ("Relief %" beside the scores): pain under treatment
        column = next((c.column for row in rows for c in row.cells if c.column and _PAIN_COLUMN.search(c.column)
                       and not _NOT_A_SCORE.search(c.column)), None)
        if column is None:
            continue
        scored = [(float(m.group(1)), row) for row in rows for cell in row.cells if cell.column == column
                  and (m := _PAIN_CELL.match(text[cell.start:cell.end])) is not None]
        if not scored:
            continue
        # The latest row by its date where the rows give one (a table may list the newest first),
        # else the last.
        dated = [(when[0][0], score, row) for score, row in scored
                 if row.cells and (when := parse_dates(text[row.cells[0].start:row.cells[0].end]))]
        score, row = max(dated, key=lambda d: d[0])[1:] if len(dated) == len(scored) else scored[-1]
        if score > 10 or score < SEVERE_PAIN:
            continue
        roles = cues.attribute((row.start, row.end), (row.start, row.end), (row.start, row.end),
                               Assertion.AFFIRMED)  # (not the title's route: the trial it plans)
        facts.append(Fact(
            name="intractable_pain", assertion=Assertion.AFFIRMED, evidence=[_cited(document, row)],
            rule_id="pain.tracking_table", roles=roles,
            reason=f"moderate to severe, intractable pain: pain table's latest row, {column.strip()} {score:g}",
        ))
    return facts


def _cited(document: Document, row: Line, last: Line | None = None) -> Evidence:
    end = (last or row).end
    return Evidence(document=document.name, start=row.start, end=end, text=document.text[row.start:end],
                    page=document.page_of(row.start) if document.paged else None)


def _caption(lines: list[Line], i: int) -> Line | None:
    """The heading over a table header, directly above it or one blank line up."""
    for above in reversed(lines[max(0, i - 2):i]):
        # A title, or a short line naming the scale ("MODIFIED ASHWORTH SCALE (MAS) - assessed by
        # same PT, supine").
        if above.kind is Kind.HEADING or above.kind is Kind.NARRATIVE and above.end - above.start <= 100:
            return above
        # ...or a labelled line that names it: "ITB screening trial 03/05/2024: baclofen 50 mcg IT
        # bolus via LP L3-4, MAS by same examiner (PT J. Ibarra)".
        if above.kind is Kind.KEY_VALUE and above.end - above.start <= 160:
            return above
        if above.kind is not Kind.BLANK:
            break
    return None


def _rows(lines: list[Line], i: int) -> list[Line]:
    rows = []
    for line in lines[i + 1:]:
        if line.kind is not Kind.TABLE_ROW:
            if line.kind is Kind.HEADING and not line.cells:
                continue  # a ruled line under the header
            break
        rows.append(line)
    return rows


def _label(row: Line, text: str) -> str:
    return " ".join(text[c.start:c.end] for c in row.cells[:2]) if row.cells else text[row.start:row.end]


_COLUMN_SIDE = re.compile(rf"\s*({SIDE})\b", re.I)


def _drop(row: Line, text: str) -> float | None:
    """Baseline score less the lowest post-dose score, when the row has both; for a row scoring
    each side ("3 / 3"), the larger of the two sides' drops."""
    pre: list[list[float]] = []
    post: list[list[float]] = []
    by_side: dict[str, tuple[list[float], list[float]]] = {}
    for cell in row.cells:
        score = _SCORE.match(text[cell.start:cell.end])
        if score is None or cell.column is None:
            continue
        values = [ashworth_value(side.replace(" ", "")) for side in score.groups() if side is not None]
        # A column of one side ("R pre   R 4 h   L pre   L 4 h") is read against its own side.
        side = _COLUMN_SIDE.match(cell.column)
        scored = by_side.setdefault(side.group(1)[0].lower(), ([], [])) if side else None
        when = 1 if POST_TRIAL.search(cell.column) else 0 if PRE_TRIAL.search(cell.column) else None
        if when is None:
            continue
        if scored is not None:
            scored[when].extend(values)
        else:
            (post if when else pre).append(values)
    sides = [before[0] - min(after) for before, after in by_side.values() if before and after and before[0] > 0]
    if sides:
        return max(sides)
    if not pre or not post:
        return None
    # A side with no tone before the dose has none to lose: "Elbow flexors (UE) 0 / 0 ... 0 / 0
    # (UE not involved - checked for reference only)" measures no drop, nor its absence.
    drops = [pre[0][side] - min(p[side] for p in post if len(p) > side)
             for side in range(len(pre[0])) if any(len(p) > side for p in post) and pre[0][side] > 0]
    return max(drops) if drops else None
