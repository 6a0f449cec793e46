"""The document-structure layer: what kind of line each line of a chart document is.

Real packets are mostly forms, printouts, tables and templates, not prose. A question asserts
nothing until its answer does; a `key: value` line is read by its value; a heading, letterhead or
signature says where to look, never what is true; a table cell is read under its column. This
module gives every line a kind and, for questions, key-value lines and table rows, the parts that
carry those readings. It is deterministic and data-driven (`resources/layout.yaml`), knows nothing
of any guideline, and every extractor rule shares it.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cache, lru_cache

from extractors.resources import load as load_data


class Kind(StrEnum):
    BLANK = "blank"
    HEADING = "heading"
    LETTERHEAD = "letterhead"
    SIGNATURE = "signature"
    QUESTION = "question"
    KEY_VALUE = "key_value"
    TABLE_HEADER = "table_header"
    TABLE_ROW = "table_row"
    LIST_ITEM = "list_item"
    NARRATIVE = "narrative"
    # A cover sheet's or a packet's list of what it holds: "Enclosed: PT progress report, ...",
    # "p.2-4    Pump clinic interrogation, 03/12/2024". It names documents; it documents nothing.
    INDEX = "index"


# Lines that say where to look, never what is true: no fact is read from them, none is cited.
NOT_EVIDENCE = frozenset({Kind.HEADING, Kind.LETTERHEAD, Kind.SIGNATURE, Kind.TABLE_HEADER, Kind.INDEX})


class Reading(StrEnum):
    """What a form's answer or a printout's value says of the thing its question or key names."""

    YES = "yes"
    NO = "no"
    NOT_APPLICABLE = "not_applicable"  # N/A, unknown, left blank
    PENDING = "pending"  # ordered, scheduled, awaiting: neither yes nor no
    PAST = "past"  # a problem list's status that is over: resolved, inactive, historical
    TEXT = "text"  # a value to read as words (a diagnosis, a dose, a sentence)


@dataclass(frozen=True)
class Cell:
    start: int
    end: int
    column: str | None


@dataclass(frozen=True)
class Line:
    kind: Kind
    start: int
    end: int
    # QUESTION and KEY_VALUE: the question or key, and the answer or value, as spans.
    key: tuple[int, int] | None = None
    value: tuple[int, int] | None = None
    reading: Reading | None = None
    # TABLE_ROW: its cells, each under its column's header when the table has one.
    cells: tuple[Cell, ...] = ()
    # TABLE_ROW: a row's wrapped text on a line of its own, its first column empty.
    continues: bool = False

    def in_key(self, start: int, end: int) -> bool:
        return self.key is not None and self.key[0] <= start and end <= self.key[1]

    def column_of(self, offset: int) -> str | None:
        for cell in self.cells:
            if cell.start <= offset < cell.end:
                return cell.column
        return None


@dataclass(frozen=True)
class _Vocabulary:
    yes: re.Pattern[str]
    no: re.Pattern[str]
    not_applicable: re.Pattern[str]
    checked: str
    unchecked: str
    marks: re.Pattern[str]
    negative: re.Pattern[str]
    positive: re.Pattern[str]
    pending: re.Pattern[str]
    past: re.Pattern[str]
    heading_words: re.Pattern[str]
    letterhead: re.Pattern[str]
    letterhead_names: re.Pattern[str]
    signature: re.Pattern[str]
    credential_line: re.Pattern[str]
    # Credentials alone ("PT", "MD, PhD"), and one person of a staff line ("K. Lindqvist PT").
    credentials_only: re.Pattern[str]
    staff_member: re.Pattern[str]
    vital_columns: re.Pattern[str]
    percent_labels: re.Pattern[str]
    percent_row: re.Pattern[str]
    measure_before: re.Pattern[str]
    measure_after: re.Pattern[str]
    normal_cell: re.Pattern[str]
    start_columns: re.Pattern[str]
    stop_columns: re.Pattern[str]


def _fold(pattern: str) -> str:
    """YAML folded blocks put a space at each line join; the patterns have no meaningful spaces there."""
    return re.sub(r"\|\s+", "|", pattern.strip())


@lru_cache(maxsize=1)
def vocabulary() -> _Vocabulary:
    data = load_data("layout.yaml")
    a, b, v = data["answers"], data["boxes"], {k: _fold(p) for k, p in data["values"].items()}

    def whole(pattern: str) -> re.Pattern[str]:
        # A value reads as its first words: "none since last refill", "NOT REACHED (est. 31 months)".
        return re.compile(rf"^\W*(?:{pattern})(?![\w/])", re.I)

    credentials = _fold(data["credentials"])
    # (A staff line also names assistants and a therapist's bare "OTR": "L. Haverford, PT / R. Chau, OTR".)
    staff = rf"(?:{credentials}|OTR|COTA|PTA)"
    return _Vocabulary(
        yes=whole(a["says_yes"]), no=whole(a["says_no"]), not_applicable=whole(a["not_applicable"]),
        checked=b["checked"], unchecked=b["unchecked"], marks=re.compile(b["marks"]),
        negative=whole(v["negative"]), positive=whole(v["positive"]), pending=whole(v["pending"]),
        past=whole(v["past"]),
        normal_cell=whole(v["normal_cell"]),
        heading_words=re.compile(rf"\b{_fold(data['heading_words'])}\b", re.I),
        letterhead=re.compile(_fold(data["letterhead"]), re.I),
        letterhead_names=re.compile(rf"\b{_fold(data['letterhead_names'])}\b", re.I),
        signature=re.compile(_fold(data["signature"]), re.I | re.M),
        credential_line=re.compile(rf",\s*(?-i:{credentials})\b(?:[\s,]+(?-i:{credentials})\b)*", re.I),
        credentials_only=re.compile(rf"(?:(?-i:{staff})\s*)+"),
        staff_member=re.compile(r"(?:(?-i:[A-Z])\.?\s*){0,2}(?-i:[A-Z])[a-z'’-]+(?:\s+(?-i:[A-Z])[a-z'’-]+)?"
                                rf"(?:\s*,?\s*(?-i:{staff}))*"),
        vital_columns=re.compile(rf"^\W*(?:{_fold(data['vital_columns'])})\b", re.I),
        # The label, then at most two words ("dipped to"), then the number.
        # ...with a few words or the range's first end between: "saturation ninety-six to", or
        # the value it went from: "ODI: 62% pre -> 58%".
        percent_labels=re.compile(rf"\b(?:{_fold(data['percent_labels'])})\b[\s:=]*"
                                  # (not past the pain itself: "walking distance and pain improved 70%")
                                  r"(?:(?!pain\b)[a-z-]+\s+|\d{1,3}\s*(?:-|to)\s*|\d{1,3}\s*%?\s*(?:[a-z-]+\s*)?(?:->|→|=>)\s*){0,3}~?$",
                                  re.I),
        percent_row=re.compile(rf"\W*(?:{_fold(data['percent_labels'])})\b", re.I),
        # "sleep ~50% better", "sleep improved by about 50%", 'sitting tolerance was "50% better"';
        # "50% better sleep", "a 50% improvement in her walking distance".
        # ...with a place or a time between: "Walking tolerance in hallway improved 60%".
        measure_before=re.compile(rf"\b(?<!pain with )(?<!pain on )(?<!pain during )(?<!pain when )"
                                  rf"(?:{_fold(data['other_measures'])})\s*"
                                  r"(?:(?:in|on|at) (?:the )?(?:hallway|hall|corridor|ward|clinic|gym|track|unit) )?"
                                  rf"(?:is |was |has |have )?"
                                  rf"(?:improved |better |increased |up |fell |dropped |decreased |declined |down "
                                  rf"|rose )?(?:by )?"
                                  rf"(?:~|≈|about |approx\w*\.? |nearly |roughly )?[\"“']?$",
                                  re.I),
        measure_after=re.compile(rf"\s*(?:better|more|improvement|increase|improved|gain)?\s*(?:in |of )?"
                                 rf"(?:her |his |their |the |patient.s )?(?:{_fold(data['other_measures'])})\b", re.I),
        start_columns=re.compile(rf"\b{_fold(data['start_columns'])}\b", re.I),
        stop_columns=re.compile(rf"\b{_fold(data['stop_columns'])}\b", re.I),
    )


_LEADER = re.compile(r"\s*(?:\.{3,}|…+|_{3,}(?=\s*\S))\s*")
# An item's number: "3.", "12b)", "Q4", "B2.", and a section's sub-number "3.1" or "2.10.1".
_NUMBER = r"(?:\d{1,2}(?:\.\d{1,2}){1,2}[.)]?|\d{1,2}[a-z]?[.)])"
# A lettered sub-item ("d. CBT ...... see attached") is marked as a numbered one is: its "d." is
# no sentence's end.
_MARKER = r"(?:(?:" + _NUMBER + r"|Q\d{1,2}[a-z]?[.:)]?|[A-H]\d{1,2}[.)]|\(?[a-z][.)]|[-*•])\s+)?"
_KEY_COLON = re.compile(r"^" + _MARKER + r"(?P<key>[A-Za-z(#][^:?]{0,60}?)\s*:\s+(?P<value>\S.*)$")
# A key answered after a dash, the answer a word of its own: "# Painful spasticity -- No.",
# "Recall -- none".
_KEY_DASH = re.compile(r"^" + _MARKER + r"(?:#\s*)?(?P<key>[A-Za-z(][^:?]{0,60}?)\s+(?:--|—|–)\s+"
                       r"(?P<value>(?:yes|no|y|n|n/?a|none|negative|positive|denied|absent|present)\.?)\s*$", re.I)
# Dot leaders: three or more, two set off by spaces ("MOTOR STALL EVENTS (lifetime) .. 0"), or one
# after a key in capitals ("ALARM / EVENT LOG (LAST 12 MONTHS) . NO EVENTS RECORDED") or on a
# key's closing bracket before a number or a word in capitals, the key filling its column
# ("Motor stall events (lifetime). 0"); a blank
# written over ("Baclofen ____ see attached ____").
_KEY_LEADER = re.compile(r"^" + _MARKER + r"(?P<key>[A-Za-z(#%][^?]{0,90}?)"
                         r"(?:\s*(?:\.{3,}|…+)|\s+\.\.(?=\s)|(?<=[A-Z)])\s+\.(?=\s+[A-Z0-9])"
                         r"|(?<=\))(?P<bracket_dot>\.)(?=[ \t]+(?:\d|[A-Z]{2,}\b))"
                         r"|\s+_{3,}(?!_)(?=[ \t]*[^\W_])(?![ \t]*\S+[ \t]+_{3}))\s*:?\s*"
                         r"(?P<value>\S.*)$")
# A form's numbered item may lead ("11  Infusate          morphine/bupivacaine").
_KEY_GAP = re.compile(r"^(?:\d{1,2}[.)]?[ \t]+)?(?P<key>[A-Za-z(][^:?]{0,40}?\S)(?: {3,}|\t+)(?P<value>\S.*)$")
# "21  Body size insufficient .... N", "c. Unstable psychiatric condition / SI ..... N".
_ITEM_ANSWER = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2}){1,2}[.)]?|\d{1,2}[a-z]?[.)]?|Q\d{1,2}[a-z]?[.:)]?|"
                          r"[A-H]\d{1,2}[.)]|\(?[a-z][.)])\s+"
                          r"(?P<q>[A-Za-z][^?]*?\S)"
                          r"(?: {3,}|\t+|\s*(?:\.{3,}|…+)\s*)(?:y|n|yes|no|n/?a|x|_{2,})"
                          # ...or with a remark after another wide gap: "e. body size too small   N   wt 24.6 kg".
                          r"(?:\s*$|(?: {3,}|\t+)\S.*$)", re.I)
_GAP = re.compile(r"(?: {3,}|\t+|\s*\|\s*)")
# A form's option with its box is an item of its own: "☒ Technology upgrade required" (a
# bracketed "[x]" opens a checklist's entry, often with its lines below it: not an item).
_ITEM = re.compile(r"^(?:[-*•▪◦·>☐☒☑□■]\s|\d{1,2}(?:\.\d{1,2}){1,2}[.)]?\s|\d{1,2}[a-z]?[.)]\s|[a-z][.)]\s|\(\w\)\s|"
                   r"Q\d{1,2}[a-z]?[.:)]?\s|"
                   r"[A-H]\d{1,2}[.)]\s)", re.I)
_SECTION = re.compile(r"^(?:section|part)\s+[A-Z0-9]{1,3}\b[.:)]?", re.I)
# A ruled line: whole, broken under a table's columns ("------   ---------  ---"), or a grid's
# or a markdown table's ("+-------+------+", "|:---|---:|").
_RULE = re.compile(r"^(?:[-=_*~#]{3,}|[-=_]{2,}(?:\s+[-=_]{2,})+|[+|]?(?:\s*:?[-=_]{2,}:?\s*[+|])+(?:[-=_]{2,})?)\s*$")
_UPPER = re.compile(r"[A-Z]")
_LOWER = re.compile(r"[a-z]")
_NEGATION = re.compile(r"\b(?:no|not|none|denies|denied|negative|without|never)\b", re.I)
_NONE_QUALIFIED = re.compile(r"(?:none|nil|negative)\b(?! (?:of|but)\b)", re.I)
_SENTENCE_INSIDE = re.compile(r"[a-z0-9)][.;!]\s+[A-Z]")
_ITEM_MARK = re.compile(r"^\s*(?:[A-Za-z]|\d{1,2}|[ivx]{1,4})[.)]\s+")
_STUDY_TITLE = re.compile(r"\b(?:study|studies|check|scan|mri|ct|x-?ray|test|panel)\b", re.I)
_SENTENCE_END = re.compile(r"[.!]\s*$")
_DATE = re.compile(r"\b(?:\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}/\d{4}|\d{4}-\d{2}(?:-\d{2})?"
                   r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4})\b", re.I)
_ONGOING = re.compile(r"^\W*(?:current|ongoing|present|now|active|continuing|continues|still taking)\b", re.I)


def _answer(text: str, vocab: _Vocabulary) -> tuple[Reading | None, int, int]:
    """The answer at the start of `text` (after leaders), as (reading, start, end) within it.

    Checkbox pairs ("[ ] Yes [X] No", "☐ Y ☒ N", "Yes [X]  No [ ]"): the checked label answers,
    and none checked is no answer. Otherwise a leading Y / N / N/A word."""
    lead = _LEADER.match(text)
    at = lead.end() if lead else len(text) - len(text.lstrip(" :-\t"))
    if _BLANK_FIRST_OPTION.match(text, len(text) - len(text.lstrip())):
        # A typed form's blanks before its options are boxes, not leaders: "___ Yes   ___ No".
        at = len(text) - len(text.lstrip())
    rest = text[at:]
    if (circled := _circled(rest)) is not None:
        word, circle = circled
        return _word_reading(word, vocab), at + circle.start(), at + circle.end()
    label = r"(?:yes|no|y|n|n/?a|unknown|unk)"
    blanks = list(_BLANK_ANSWERS.finditer(rest))
    if len(blanks) >= 2 and blanks[0].start() == 0:
        # "Yes _____   No __X__": the blank with a mark in it answers; none marked is no answer.
        marked = [b for b in blanks if vocab.marks.search(b.group("mark"))]
        reading = _word_reading(marked[0].group("a"), vocab) if len(marked) == 1 else Reading.NOT_APPLICABLE
        return reading, at + blanks[0].start(), at + blanks[-1].end()
    boxed = list(re.finditer(
        rf"(?P<box>{vocab.checked}|{vocab.unchecked})\s*(?P<label>{label})\b|(?P<label2>{label})\s*(?P<box2>{vocab.checked}|{vocab.unchecked})",
        rest, re.I))
    if len(boxed) >= 2:
        end = at + boxed[-1].end()
        for match in boxed:
            box, word = (match.group("box"), match.group("label")) if match.group("box") else (
                match.group("box2"), match.group("label2"))
            # (A box is ticked when it holds a mark: "[X]", "☒", a typed form's "_X_".)
            if vocab.marks.search(box):
                return _word_reading(word, vocab), at + match.start(), end
        return Reading.NOT_APPLICABLE, at, end
    # "... after test dose? ...... PENDING - PT addendum to follow": awaited is an answer too.
    for reading, pattern in ((Reading.NOT_APPLICABLE, vocab.not_applicable), (Reading.PENDING, vocab.pending),
                             (Reading.YES, vocab.yes), (Reading.NO, vocab.no)):
        found = pattern.match(rest)
        if found:
            return reading, at + found.start(), at + found.end()
    return None, at, at


_BLANK_FIRST_OPTION = re.compile(r"_+(?:[xX✓✔]_*)?[ \t]*(?:yes|no|y|n)\b[^\n]*?[ \t]{2,}_+", re.I)
# An answer written on a blank: "Yes _____   No __X__".
_BLANK_ANSWERS = re.compile(r"\b(?P<a>yes|no|y|n|n/?a)\s*(?P<mark>_*\s?[xX✓✔]\s?_*|_{2,})(?=\s|$)", re.I)


# A circled option, typed as parentheses round one of the two: "Y  (N)", "(Yes) / No".
_CIRCLED = re.compile(r"(?P<a>\(\s*(?:yes|no|y|n)\s*\)|\b(?:yes|no|y|n))\s*/?\s*"
                      r"(?P<b>\(\s*(?:yes|no|y|n)\s*\)|(?:yes|no|y|n))(?![\w/])", re.I)


def _circled(text: str) -> tuple[str, re.Match[str]] | None:
    """The option circled at the start of `text`, when exactly one of the pair is."""
    found = _CIRCLED.match(text.lstrip())
    if found is None or found["a"].startswith("(") == found["b"].startswith("("):
        return None
    shift = len(text) - len(text.lstrip())
    found = _CIRCLED.match(text, shift)
    assert found is not None
    return (found["a"] if found["a"].startswith("(") else found["b"]).strip("() "), found


def _word_reading(word: str, vocab: _Vocabulary) -> Reading:
    if vocab.yes.match(word):
        return Reading.YES
    if vocab.no.match(word):
        return Reading.NO
    return Reading.NOT_APPLICABLE


_ANSWER_SENTENCE = re.compile(r"(yes|no|y|n)\s*[.;]\s+[A-Z]", re.I)
# ...or its answer, a wide gap, then what supports it: "Spinal stenosis w/ intraspinal obstruction
# ...... N   MRI 01/2024: solid fusion L4-S1, no central canal stenosis".
_ANSWER_THEN_GAP = re.compile(r"(yes|no|y|n)(?:[ \t]{3,}|\t)(?=\S)", re.I)
_ANSWER_LABEL = re.compile(r"^(?:answer|ans|response|resp|reply)\s*[:=\-]\s*", re.I)


# A device's indicator named again in its value, then not set: "ERI NOT REACHED", "EOS not active".
_NOT_REACHED = re.compile(r"not (?:yet )?(?:reached|active|triggered|set|tripped)\b", re.I)


# A title's note of the time it covers: "(past 12 months unless stated)".
_SCOPE_NOTE = re.compile(r"\((?:in |over )?(?:the )?(?:past|last|previous|prior|since)\b[^()]*\)$", re.I)
# "no wt bearing >5 min" is a limit, not an absence.
_LIMIT = re.compile(r"^no\s+(?:\w+\s+)?(?:\w+ing|wt[- ]bearing)\s*"
                    r"(?:[<>≤≥]|(?:more|longer|further|farther) than|beyond|past|over)\s*(?:about |~)?\d", re.I)
# A template's field left unfilled, within a value of several fields.
_TEMPLATE_FIELD = re.compile(r"\s*[A-Za-z ]{0,25}(?:\*{3,}|_{3,}|\?{3,})(?:\s*\([^()]*\))?\s*$")


def value_reading(value: str) -> Reading:
    """What a printout's or form's value says of its key: absent or normal (NO), present (YES),
    not yet known (PENDING, NOT_APPLICABLE), or words to read (TEXT)."""
    vocab = vocabulary()
    if "|" in value and all(_TEMPLATE_FIELD.match(part) for part in value.split("|")):
        return Reading.NOT_APPLICABLE  # "dose *** | start *** | stop *** | reason stopped ***"
    value = value.strip().strip("*").strip()
    # A form that labels its answers: "Pain diagnosed as psychogenic ......... Answer: N".
    value = _ANSWER_LABEL.sub("", value, count=1)
    if not value:
        return Reading.NOT_APPLICABLE  # a template's blank ("***", "____")
    if (circled := _circled(value)) is not None:
        return _word_reading(circled[0], vocab)  # "Y  (N)": the circled one
    if (first := _ANSWER_SENTENCE.match(value) or _ANSWER_THEN_GAP.match(value)) is not None:
        # "Known hypersensitivity to baclofen: No. He has no psychiatric illness ...": the answer
        # is the first sentence; what follows is another statement.
        return _word_reading(first.group(1), vocab)
    if vocab.pending.match(value):
        return Reading.PENDING
    if vocab.past.match(value):
        return Reading.PAST  # "RESOLVED 04/2021 -- pump replaced"
    boxes, unticked = _box_patterns()
    if unticked.match(value) and len(boxes.findall(value)) == len(unticked.findall(value)):
        return Reading.NOT_APPLICABLE  # options offered, none ticked: "[ ] Cleared  [ ] Not cleared"
    if vocab.not_applicable.match(value) and not vocab.no.match(value):
        return Reading.NOT_APPLICABLE
    # A bare value ("none since last refill", "NOT REACHED (est. 31 months)") reads for its key;
    # a value that is a sentence of its own ("no alarms, battery good. Reservoir 11 mL ...") is
    # words to read, whose negations reach only what they name.
    head = re.split(r"[,;.(]", value, maxsplit=1)[0]
    if _NONE_QUALIFIED.match(head) and (head == value.rstrip(". ")
                                        or re.fullmatch(r"\([^()]*\)[ .]*", value[len(head):].strip())):
        # "NONE ON FILE FOR THIS SERIAL NUMBER": one "none", qualified (and dated: "NONE APPLICABLE
        # TO THIS MODEL / SERIAL RANGE (checked 09/24/2024)").
        return Reading.NO
    words = head.split()
    rest = value[len(head):].strip()
    if words and words[0].lower() in ("no", "not") and vocab.negative.match(value) and len(words) <= 10 \
            and (not rest or rest[0] in "(;") and not _LIMIT.match(head):
        # "ALARM LOG ..... No device alarms recorded since last refill (09/24)", "Battery / ERI
        # ..... Not at ERI; projected ERI 03/2028"
        return Reading.NO
    if 2 <= len(words) <= 6 and _NOT_REACHED.match(head.split(None, 1)[1]) and (not rest or rest[0] in "(;,"):
        # The key's own word, then its answer: "BATTERY / ERI .... ERI NOT REACHED; EST. 41 MONTHS TO ERI",
        # "ERI not reached, est. 48 mo".
        return Reading.NO
    if len(value.split()) > 12 or len(head.split()) > 5:
        return Reading.TEXT
    if vocab.negative.match(value):
        return Reading.NO
    if vocab.positive.match(value):
        return Reading.YES
    return Reading.TEXT


# A document's first line led by a title in capitals, then who made it: "DEVICE ADVISORY / RECALL
# LOOKUP -- performed by D. Whitfield, RN, 06/02/2025".
# (Or with its visit and date across the line: "OUTPATIENT NEURO PT - PROGRESS NOTE      Visit 14/20
# 05/07/2024"; not a printout's first key with its leaders: "CRITICAL ALARM ...... NONE   MOTOR STALL .. NONE".)
_CAPS_TITLE_LEAD = re.compile(r"^(?-i:[A-Z][A-Z0-9/&(),.' ]{6,}?[A-Z)])\s+(?:--|—|–)\s+\S"
                              r"|^(?![^\n]*(?:\.{2}|…))(?-i:[A-Z][A-Z0-9/&(),.' -]{6,}?[A-Z)])(?: {3,}|\t+)\S")
_NUMBERED_TITLE = re.compile(r"^\d{1,2}[.)]\s+[A-Z][A-Za-z/&'-]*(?: [A-Za-z/&'-]+){0,3}:?$")


_TITLE_KEY = re.compile(r"(?:procedure note|operative note|progress note|clinic note|examination|exam|"
                        r"questionnaire|report|urgent|subject|title|re)\s*:", re.I)


_DATED = re.compile(r"\d{1,2}/\d{2,4}|\b(?:19|20)\d\d\b")


def _over_prose(next_line: str | None) -> bool:
    """The next line opens a paragraph of sentences, not an answer or a value."""
    below = (next_line or "").strip()
    return len(below.split()) >= 8 and below[:1].isupper() and bool(_SENTENCES_IN.search(below))


# A form's subtitle: a few words, perhaps joined by a slash or "and" ("Spasticity / dystonia").
_SUBTITLE = re.compile(r"[A-Za-z]+(?:(?:\s*[/&]\s*|\s+)[A-Za-z]+){0,3}")


def _goes_on_from(text: str, lines: list[Line], stripped: str) -> bool:
    """The line carries on the sentence of the prose line above it, wrapped: that line ends in no
    stop and this one opens in lower case ("... she has completed a structured program of" over
    "conservative care with us:"). Such a line is no heading, whatever its colon."""
    if not lines or lines[-1].kind is not Kind.NARRATIVE or not stripped[:1].islower():
        return False
    return not text[lines[-1].start:lines[-1].end].rstrip().endswith((".", ":", ";", "!", "?"))


def _is_heading(line: str, next_line: str | None, vocab: _Vocabulary) -> bool:
    title = line.strip()
    if _TITLE_KEY.match(title) or (":" in title and _TITLE_KEY.search(title.split(":", 1)[0] + ":")):
        # A title printed as a label: "PROCEDURE NOTE: INTRATHECAL PUMP REFILL, INTERROGATION"
        if not _LOWER.search(title) and len(title.split()) <= 14:
            return True
    if _KEY_COLON.match(line.strip()) or _KEY_LEADER.match(line.strip()):
        return False  # a label with its value is a key-value line
    stripped = line.strip().strip("*#=-_~ ").strip()
    if not stripped or len(stripped) > 90:
        return False
    if _SECTION.match(stripped):
        return True
    # Words, not the dashes and bars between them: "[2] SPINAL CORD STIMULATOR (LEGACY - OFF)".
    words = [w for w in stripped.rstrip(":").split() if any(ch.isalnum() for ch in w)]
    if stripped.endswith(":") and len(words) <= 8 and (
            not any(ch.isdigit() for ch in stripped) or _over_prose(next_line) and not _DATED.search(stripped)):
        # A label over its paragraph, figures and all: "Life expectancy > 3 months:" over the
        # oncologist's answer. The paragraph says what is true, the label only where to look. A
        # label with its dates is a finding: "CONSERVATIVE CARE (07/2024 - present):".
        return True

    if next_line is not None and _is_table_line(next_line) and not _is_table_line(line) \
            and not _SENTENCE_END.search(stripped) and len(words) <= 12:
        return True  # a table's caption: "MODIFIED ASHWORTH SCALE BY MUSCLE GROUP (same assessor)"
    # A title in capitals with a note in brackets: "ROTOR STUDY (fluoroscopy, 06/02/2025 15:05)",
    # "OBSERVATION - MODIFIED ASHWORTH SCALE (0, 1, 1+, 2, 3, 4)" (the note may be long), "PAIN
    # COPING SKILLS GROUP (CBT-based) - COMPLETION NOTE".
    # (A bracket inside the title only when it holds no figures: "CONSERVATIVE CARE (07/2024 - present):"
    # is a label with its dates, a finding.)
    titled = re.sub(r"\s*\([^()\d]*\)", "", re.sub(r"\s*\([^()]*\)$", "", stripped))
    if titled != stripped and 1 <= len([w for w in titled.split() if any(ch.isalnum() for ch in w)]) <= 8 \
            and _UPPER.search(titled) \
            and not _LOWER.search(titled) and not _NEGATION.search(titled) and not _KEY_COLON.match(titled) \
            and (vocab.heading_words.search(titled) or _STUDY_TITLE.search(titled)):
        return True  # but not a finding in capitals: "SEVERE SPASTICITY (MAS 4)"
    if _SENTENCE_END.search(stripped) or len(words) > 8:
        return False
    letters_upper = bool(_UPPER.search(stripped)) and not _LOWER.search(stripped)
    if next_line is not None and _RULE.match(next_line.strip()) and not _is_table_line(line) \
            and not stripped[:1].islower():
        # Underlined; but a log's last row before the rule that ends its block is a row, and a
        # value's wrapped last line is its value ("hardware removed 2022, no benefit;" / "no further
        # surgery indicated" over "------").
        return True
    scoped = titled if _SCOPE_NOTE.search(stripped) else stripped
    if next_line is not None and _LIST_MARKER.match(next_line) and stripped[:1].isupper() \
            and not _NEGATION.search(scoped) and not any(ch.isdigit() for ch in scoped) and "," not in scoped:
        # A label over its list: "Treatment aimed at the CRPS itself" / "- Lumbar sympathetic blocks
        # ...", its note in brackets and all ("Treatment to date (past 12 months unless stated)").
        return True
    if letters_upper and not _NEGATION.search(stripped) and len(words) <= 8:
        if _over_prose(next_line):
            # A title in capitals over its paragraph names the requirement the paragraph answers:
            # "LIFE EXPECTANCY OF 3 MONTHS OR MORE" over "...expects survival of about six to
            # eight weeks".
            return True
        if len(words) <= 6 and next_line is not None and next_line.strip() \
                and len(next_line) - len(next_line.lstrip()) > len(line) - len(line.lstrip()):
            # A printout's block label over its indented lines: "MOTOR" / "  MOTOR STALL EVENTS .. 0",
            # "CONSERVATIVE TX -- PAST 12 MO" over "  PT/OT (...):" (never evidence of twelve months).
            return True
        return bool(vocab.heading_words.search(stripped)) or next_line is not None and not next_line.strip()
    if len(words) <= 4 and stripped[:1].isupper() and next_line is not None and next_line.strip() \
            and len(next_line) - len(next_line.lstrip()) > len(line) - len(line.lstrip()) \
            and (_KEY_LEADER.match(next_line.strip()) or _KEY_COLON.match(next_line.strip())) \
            and not _NEGATION.search(stripped) and not any(ch.isdigit() for ch in stripped):
        # ...and so is a title in words over its indented labelled lines: "Function (FIM-style, OT)" over
        # "  Transfers bed<->chair ........ supervision -> min assist".
        return True
    if next_line is not None and _FORM_QUESTION.match(next_line) and len(words) <= 6 and stripped[:1].isupper() \
            and not _NEGATION.search(stripped) and not any(ch.isdigit() for ch in stripped):
        # A questionnaire's section over its numbered questions: "Chronic non-malignant pain" over
        # "Q3. Moderate-severe chronic pain with identified cause?" (the answers say what is true).
        return True
    # (Not a table's header row over its rule or rows: "Modality    Dates    Details / outcome".)
    if _is_table_line(line) and next_line is not None and (_RULE.match(next_line.strip()) or _is_table_line(next_line)):
        return False
    return len(words) <= 5 and bool(vocab.heading_words.search(stripped)) and not _NEGATION.search(stripped) \
        and not any(ch.isdigit() for ch in stripped) and stripped[:1].isupper() and "," not in stripped


_FORM_QUESTION = re.compile(r"\s*(?:Q\s?\d{1,2}[a-z]?[.:)]?\s|\d{1,2}[a-z]?[.)]\s[^\n]*\?)")


def _is_signature(line: str, vocab: _Vocabulary) -> bool:
    stripped = line.strip()
    if vocab.signature.search(stripped):
        return True
    if re.match(r"^(?:[\w .'-]+ )?(?:completed|reviewed|interrogated|performed|prepared|authored|entered|"
                r"attending|supervising|referring|ordering|rendering)\s*(?:by)?\s*:", stripped, re.I) \
            and vocab.credential_line.search(stripped):
        return True
    # Credentials in brackets name who did what the line is about: "Modified Ashworth Scale,
    # screen #2 (examiner: K. Lindqvist, PT, DPT)" is a table's caption, not a signature.
    unbracketed = _BRACKETED.sub(" ", stripped) if not stripped.startswith("(") else stripped
    # A label whose value is a person and credentials: "ASSESSOR (MAS) ..... J. TAKAHASHI, PT, DPT".
    labelled = _KEY_LEADER.match(unbracketed) or _KEY_COLON.match(unbracketed)
    if labelled:
        credential = vocab.credential_line.search(labelled.group("value"))
        # ...unless what the person said follows: "Surgical opinion: T. H, MD, 02/2024 -- solid
        # fusion, hardware intact; no further surgery is indicated".
        said = labelled.group("value")[credential.end():] if credential else ""
        person = labelled.group("value")[:credential.start()] if credential else ""
        if credential and _names_a_person(person) and not vocab.credentials_only.fullmatch(person.strip(" ,")) \
                and not (_SAID_AFTER.search(said) and len(said.split()) > 4
                         and not _ROLE_KEY.search(labelled.group("key"))):
            return True
    if _staff_pairs(unbracketed, vocab):
        return True
    if labelled and _STAFF_KEY.match(labelled.group("key")) and all(
            vocab.staff_member.fullmatch(part.strip()) or vocab.credentials_only.fullmatch(part.strip())
            for part in re.split(r"[,;|&/]|\band\b", labelled.group("value")) if part.strip()):
        return True  # "Therapists: K. Lindqvist PT, D. Ferreira OT" (the "PT" is a role, not a therapy had)
    words = stripped.split()
    if len(words) <= 16 and vocab.credential_line.search(unbracketed) and _SIGNED_AT.search(stripped):
        return True  # "L. Brandvold, PT, DPT / G. Oyelaran, MD     signed 10/09/2024 16:20"
    if labelled and not (_ROLE_KEY.search(labelled.group("key")) or _STAFF_KEY.match(labelled.group("key"))):
        return False  # a label for something else, its value no person: "Plan: PT, OT and home exercise"
    # "J. Ruiz, PT, DPT" / "Corinne Malouf, MD, FAAP - Pediatric Neurosurgery"
    return len(words) <= 9 and bool(vocab.credential_line.search(unbracketed)) and not _SENTENCE_END.search(stripped)


# A label for the people who took part (each of them a name with, perhaps, credentials: `staff_member`).
_STAFF_KEY = re.compile(r"(?:treating\s+)?(?:therapists?|clinicians?|providers?|assessors?|evaluators?|staff|"
                        r"care team|team|psychologists?|nurses?|seen by|present)\s*$", re.I)
_SAID_AFTER = re.compile(r"\s(?:--|—|–|-)\s|[;:]")
# A key that names who had a part, whatever follows the name: "Referral ..... P. A, PhD, 07/15/2024:
# CBT for chronic pain" (what was asked for, not what was found).
_ROLE_KEY = re.compile(r"\b(?:referr\w*|referral|requested|ordered|ordering|provider|clinician|attending|author|"
                       r"signed|therapist|psychologist|physician|surgeon|examiner|(?-i:PCP))\b", re.I)


def _staff_pairs(line: str, vocab: _Vocabulary) -> bool:
    """Roles and their people side by side, one with credentials: "Procedure RN: C. Vu     PT
    assessor (scheduled): K. Brandt, DPT" (the "PT" is a role, not a therapy had)."""
    pairs = [p for p in _FIELD_GAP.split(line) if p.strip()]
    if len(pairs) < 2:
        return False
    credentialed = False
    for pair in pairs:
        key, colon, value = pair.partition(":")
        credential = vocab.credential_line.search(value)
        person = value[:credential.start()] if credential else value
        if not colon or len(key.split()) > 4 or not _names_a_person(person) \
                or credential is not None and value[credential.end():].strip(" ,.;"):
            return False
        credentialed = credentialed or credential is not None or bool(vocab.credential_line.search(key))
    return credentialed


def _names_a_person(text: str) -> bool:
    """Up to four words, each capitalised or an initial: "J. TAKAHASHI,", "Maria de la Cruz" (not
    "meds, PT + HEP": a list of treatments whose abbreviations look like credentials)."""
    words = re.findall(r"[^\s,;]+", text)
    return 0 < len(words) <= 4 and all(w[0].isupper() or w.lower() in _NAME_PARTICLES for w in words)


_NAME_PARTICLES = frozenset({"de", "da", "del", "della", "di", "la", "le", "van", "von", "der", "den", "bin", "ibn"})
_BRACKETED = re.compile(r"\([^()]*\)")
# A patient's identifiers, with their values: date of birth, record or member number.
_IDENTIFICATION = re.compile(r"\b(?:DOB|D\.O\.B\.?|MRN|date of birth|member (?:id|#|no\.?)|acct\.? ?(?:#|no\.?))"
                             r"\s*[:#]?\s*[A-Z0-9]", re.I)
# ...unless the line also says what the request or the diagnosis is ("DOB 01/27/2009  Dx: G80.1
# spastic diplegia", "Re: ..., DOB ... - replacement of intrathecal pump"), or has prose in it.
_IDENTIFIED_WITH = re.compile(r"\b(?:dx|diagnos\w*|procedure|request\w*|indication|referr\w*|re)\b|\s[-–]\s"
                              r"|(?-i:\b[a-z]{3,}\s+[a-z]{3,}\b)", re.I)
_SIGNED_AT = re.compile(r"\b(?:e-?|electronically )?(?:signed|co-?signed|authenticated)\b\s*(?:on\s*)?:?\s*\d", re.I)


# Headings, letterheads, signatures, form questions and table rows are short lines; a longer line
# is prose (or a labelled paragraph), and is not searched for them.
_FORM_LINE_CHARS = 240
# A column headed by a time point ("1 h", "30 min", "Day 2" aside): a header, not a data row.
_TIME_POINT = re.compile(r"^\d{1,3}(?:\.\d)?\s*(?:h|hr|hrs|hours?|min|mins|minutes|d|days?|wks?|weeks?)\.?"
                         r"(?:\s*(?:post|after|later|post-?(?:bolus|dose|injection)))?"
                         r"(?:\s*\(\d{1,2}:\d{2}\))?$", re.I)  # "2 h (11:05)": the clock time it was read; "4 h post"
_HEADER_GAP = re.compile(r"(?: {2,}|\t+|\s*\|\s*)")


def _cells(line: str, offset: int, gap: re.Pattern[str] = _GAP) -> list[tuple[int, int, str]]:
    cells = []
    position = 0
    for part in gap.split(line):
        at = line.find(part, position) if part else position
        if part.strip():
            begin = at + len(part) - len(part.lstrip())
            cells.append((offset + begin, offset + at + len(part.rstrip()), part.strip()))
        position = at + len(part)
    return cells


def opens_on_box(stripped: str) -> bool:
    """A line opening on a box is an option, ticked or not: "[X] Psychologically cleared for IT
    trial" over "[ ] Conditional     [ ] Deferred     [ ] Not cleared" heads no table. (The boxes
    are the vocabulary's, as everywhere else in the layout.)"""
    return _box_patterns()[0].match(stripped) is not None


def _is_table_line(line: str) -> bool:
    stripped = line.strip()
    if stripped.count("|") >= 2:
        return True
    return len(_GAP.findall(stripped)) >= 2 and len(stripped.split()) >= 3


@dataclass
class Layout:
    """Every line of a document with its kind, in order; `at(offset)` finds a line."""

    lines: list[Line]
    starts: list[int] = field(default_factory=list)
    text: str = ""

    def __post_init__(self) -> None:
        self.starts = [line.start for line in self.lines]

    def at(self, offset: int) -> Line | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i < 0:
            return None
        line = self.lines[i]
        return line if offset <= line.end else None

    def row_start(self, line: Line) -> int:
        """Where a table row begins: a row wrapped onto lines of its own begins on its first."""
        i = bisect.bisect_right(self.starts, line.start) - 1
        while i > 0 and self.lines[i].continues and self.lines[i - 1].kind is Kind.TABLE_ROW:
            i -= 1
        return self.lines[i].start

    def row_end(self, line: Line) -> int:
        """Where a table row ends: a row wrapped onto lines of its own ends on its last ("dantrolene
        ... stopped: arm" over "weakness, can't" over "push w/c")."""
        i = bisect.bisect_right(self.starts, line.start) - 1
        while i + 1 < len(self.lines) and self.lines[i + 1].continues and self.lines[i + 1].kind is Kind.TABLE_ROW:
            i += 1
        return self.lines[i].end

    def heading_above(self, offset: int, across_blanks: bool = False) -> tuple[int, int] | None:
        """The heading over the block holding `offset` (no blank line between them), if any; with
        `across_blanks`, the last heading above it, the section's title: "Summary and
        recommendations" over its paragraph, the clearance question and the numbered list after them."""
        i = bisect.bisect_right(self.starts, offset) - 1
        for k in range(max(i, 0) - 1, -1, -1):
            line = self.lines[k]
            if line.kind is Kind.BLANK and not across_blanks:
                return None
            if line.kind is Kind.HEADING and line.end > line.start:
                if not across_blanks and self._left_block(k, i):
                    return None
                return line.start, line.end
        return None

    def _left_block(self, k: int, i: int) -> bool:
        """Whether line `i` is past the indented block under heading `k`: a title over indented
        entries ("Allergies" / "  Morphine .... none known") is not over the flush line after them
        ("Plan ...... permanent IT catheter + programmable pump, morphine")."""
        margin = self._indent(self.lines[k])
        below = [line for line in self.lines[k + 1:i + 1] if line.kind is not Kind.BLANK]
        if not below or self._indent(below[0]) <= margin:
            return False
        return any(self._indent(line) <= margin for line in below[1:])

    def _indent(self, line: Line) -> int:
        return line.start - (self.text.rfind("\n", 0, line.start) + 1)

    def captions_table(self, line: Line) -> bool:
        """Whether the line is a table's caption: it ends in a colon and a table's header row is
        below it, after at most one blank line ("Monitoring (NRS 0-10; sedation = Pasero scale):" over its
        columns). A caption names what the table measures; it finds nothing."""
        if not self.text[line.start:line.end].rstrip().endswith(":"):
            return False
        i = bisect.bisect_right(self.starts, line.start)
        below = [later for later in self.lines[i:i + 2] if later.kind is not Kind.BLANK]
        return bool(below) and below[0].kind is Kind.TABLE_HEADER

    def lead_in(self, offset: int) -> tuple[int, int] | None:
        """The line ending in a colon that opens the block holding `offset` (no blank line
        between): "8. Family history (check all that apply and say who):" over its ticked items."""
        i = bisect.bisect_right(self.starts, offset) - 1
        for line in reversed(self.lines[:max(i, 0)]):
            if line.kind is Kind.BLANK:
                return None
            if self.text[line.start:line.end].rstrip().endswith(":"):
                return line.start, line.end
        return None

    def parent_item(self, offset: int) -> tuple[int, int] | None:
        """The numbered form item a line indented under it belongs to (no blank line between):
        "6. Oral/transdermal opioids tried? ... [X] Y" over "   Outcome: [X] intolerable side
        effects". None for a line that is not indented under one."""
        i = bisect.bisect_right(self.starts, offset) - 1
        if i < 0:
            return None
        indent = self._indent(self.lines[i])
        if indent == 0:
            return None
        for line in reversed(self.lines[max(i - 4, 0):i]):
            if line.kind is Kind.BLANK:
                return None
            if self._indent(line) < indent:
                start = line.start - self._indent(line)
                return (line.start, line.end) if _ITEM_NUMBER.match(self.text[start:line.end]) else None
        return None

    def record_label(self, offset: int) -> tuple[int, int] | None:
        """The label of the labelled line a key-value line is indented under (no blank line
        between): the record it is a field of. "  Baclofen PO ..... started 01/08/2024" over
        "    Response ..... MAS unchanged" makes the response the oral baclofen's. None off such
        a field."""
        i = bisect.bisect_right(self.starts, offset) - 1
        if i < 0 or self.lines[i].kind is not Kind.KEY_VALUE:
            return None
        indent = self._indent(self.lines[i])
        for line in reversed(self.lines[max(i - 8, 0):i]):
            if line.kind is Kind.BLANK or line.kind is Kind.HEADING:
                return None
            if self._indent(line) < indent:
                return line.key if line.kind is Kind.KEY_VALUE else None
        return None

    def details_below(self, line: Line) -> tuple[int, int] | None:
        """The free text a form asks for under a question, as its answer's own words: "13. Opioid
        addiction ...?  [X] Yes" over "If yes, explain: brother - heroin, passed 2019"."""
        i = bisect.bisect_right(self.starts, line.start)
        if i >= len(self.lines):
            return None
        below = self.lines[i]
        if below.kind is not Kind.KEY_VALUE or below.key is None or below.value is None \
                or not _FREE_TEXT_LINE.match(self.text, below.key[0], below.key[1]):
            return None
        return below.value

    def key_block(self, offset: int) -> tuple[int, int] | None:
        """The run of key-value lines (no blank between) holding the key-value line at `offset`:
        a printout's group of answers about one thing ("Advisory ..... FSN-2025-03 (Class II
        recall)" / "This device ..... NOT AFFECTED"); None off such a line."""
        i = bisect.bisect_right(self.starts, offset) - 1
        if i < 0 or self.lines[i].kind is not Kind.KEY_VALUE:
            return None
        lo = hi = i
        while lo > 0 and self.lines[lo - 1].kind is Kind.KEY_VALUE:
            lo -= 1
        while hi + 1 < len(self.lines) and self.lines[hi + 1].kind is Kind.KEY_VALUE:
            hi += 1
        return self.lines[lo].start, self.lines[hi].end

    def structured_end_before(self, offset: int) -> int:
        """Where the nearest key-value line or question above `offset` ends (0 if none)."""
        i = bisect.bisect_right(self.starts, offset) - 1
        for line in reversed(self.lines[:max(i, 0)]):
            if line.kind in (Kind.KEY_VALUE, Kind.QUESTION):
                return line.end
        return 0

    def prose(self, offset: int) -> tuple[int, int]:
        """The run of prose lines around `offset` (a paragraph, or a list item or labelled value
        with its wrapped lines): a sentence read there never reaches into a heading, a table or
        a form above or below it."""
        i = bisect.bisect_right(self.starts, offset) - 1
        lo = hi = i
        while lo > 0 and self.lines[lo].kind is Kind.NARRATIVE and self.lines[lo - 1].kind in _PROSE \
                and (self.lines[lo - 1].kind is Kind.NARRATIVE or self._continues(self.lines[lo])) \
                and self._joins(self.lines[lo - 1], self.lines[lo]):
            lo -= 1
        while hi + 1 < len(self.lines) and self.lines[hi + 1].kind is Kind.NARRATIVE \
                and (self.lines[hi].kind is Kind.NARRATIVE or self._continues(self.lines[hi + 1])) \
                and self._joins(self.lines[hi], self.lines[hi + 1]):
            hi += 1
        return self.lines[lo].start, self.lines[hi].end

    def _joins(self, above: Line, below: Line) -> bool:
        """A line laid out in columns, as a log's entry is ("08/19/2024 06:00  LOW RESERVOIR ALARM
        (threshold 4.0 mL)  -> CLEARED AT REFILL"), is a record of its own: the line under it ("no
        other alarms / no critical alarms") does not go on it, unless it hangs under its columns, its
        last cell wrapped ("clinic suspected occlusion with withdrawal sx;" over "   CAP contrast study
        2022-03-10 normal")."""
        if not self._columns(above) and not self._columns(below):
            return True
        return self._indent(below) >= self._indent(above) + 4

    def _columns(self, line: Line) -> bool:
        return len(_COLUMN_GAP.findall(self.text, line.start, line.end)) >= 2

    def run_in_title(self, start: int, end: int) -> tuple[int, int] | None:
        """Where the line holding `start:end` goes on, when `start:end` lies in its run-in title:
        a paragraph opened by a few words and a full stop before its first sentence, as dictation
        gives a topic ("Physical therapy. He completed a course in 2019 and has had none since.")."""
        line = self.at(start)
        if line is not None and line.kind is Kind.KEY_VALUE and line.key is not None and line.value is not None \
                and line.key[0] <= start and end <= line.key[1] and self._dictated_heading(line):
            return line.value[0], self.prose(start)[1]
        if line is None or line.kind not in (Kind.NARRATIVE, Kind.LIST_ITEM):
            return None
        # A numbered plan's item may open with one: "2. Prognosis. She and her daughter asked me ...".
        marker = _LIST_MARKER.match(self.text, line.start, line.end)
        title = _RUN_IN_TITLE.match(self.text, marker.end() if marker else line.start, line.end)
        if title is None or end > title.end("title") or _RUN_IN_NOT_TITLE.search(title.group("title")):
            return None
        return title.end(), line.end

    def _dictated_heading(self, line: Line) -> bool:
        """A capitals label opening a paragraph of sentences, as dictation gives a topic ("PHYSICAL
        THERAPY AND HOME EXERCISE: He tells me he never attended ..."): a title, where a printout's
        "ERI ..... Not reached", a form's terse value or a label that is itself a clause ("Treatment
        aimed at the facets has not held: ...") is the reading."""
        assert line.key is not None and line.value is not None
        key, value = self.text[line.key[0]:line.key[1]], self.text[line.value[0]:line.value[1]]
        return key.isupper() and len(key.split()) >= 2 and value[:1].isupper() and len(value.split()) >= 10 \
            and bool(_SENTENCES_IN.search(value))

    def _continues(self, line: Line) -> bool:
        """A prose line under a list item or labelled value carries on its words when it is
        indented or starts in lower case ("  limited by CNS side effects"); a flush line that
        starts with a capital is a sentence of its own."""
        indented = line.start > self.text.rfind("\n", 0, line.start) + 1
        if indented or not self.text[line.start:line.start + 1].isupper():
            return True
        # ...and so does one closing an aside the line above left open: "ERI not reached (~51 mo to"
        # / "ERI), accurate reservoir, no critical alarms."
        above_start = self.text.rfind("\n", 0, max(line.start - 1, 0)) + 1
        above = self.text[above_start:max(line.start - 1, above_start)]
        return above.count("(") > above.count(")") and ")" in self.text[line.start:line.end]


# A gap of two spaces or more between words, not after a sentence's end (typed prose puts two there).
_COLUMN_GAP = re.compile(r"(?<=[^\s.?!:;,])[ \t]{2,}(?=\S)")
# A sentence's end inside a value (not only at the line's end, as _SENTENCE_END reads it).
_SENTENCES_IN = re.compile(r"[a-z][.!?](?:\s|$)")
_LIST_MARKER = re.compile(r"[ \t]*(?:\d{1,2}[.)]|[-*•])[ \t]+")
# Up to four words, the first capitalised, then ". " and a sentence on the same line.
# Dictation may spell the colon out: "Procedure colon single shot intrathecal morphine trial ..."
# (not the organ: "Sigmoid colon resection", "Hx colon polyps").
_RUN_IN_TITLE = re.compile(r"(?P<title>[A-Z][A-Za-z/-]*(?: [A-Za-z/-]+){0,3})(?:\.[ \t]+(?=[A-Z\d\"])|[ \t]+colon[ \t]+"
                           r"(?!(?:cancer|carcinoma|adenocarcinoma|mass|polyps?|resection|lesions?|tumou?rs?|"
                           r"metastas\w+|was|is|and|with|in)\b)(?=\w))")
# A verb, an answer or a negation makes it a sentence: "Denies.", "PT completed.", "None."
_RUN_IN_NOT_TITLE = re.compile(r"\b(?:is|was|are|were|has|had|have|does|did|done|yes|no|none|not|never|denies|"
                               r"denied|declined|refused|ongoing|continues|stopped|helped|failed|\w+ed)\b", re.I)


# Lines whose words may run on into the prose lines below them (a wrapped value or list item).
_PROSE = (Kind.NARRATIVE, Kind.LIST_ITEM, Kind.KEY_VALUE)


def _aside_goes_on(raw: list[tuple[int, str]], i: int, key_end: int) -> bool:
    """The line carries on an aside the line above left open, and closes it after its seeming key:
    "(3 weeks post" over "injection: ankle PF MAS 4 -> 2 bilaterally, per clinic note)" is no key
    and its value ("(interrogation, imaging," over "dye/flow study, end of battery life) .... N"
    closes it in the key, which its answer follows)."""
    above = raw[i - 1][1] if i > 0 else ""
    start, line = raw[i]
    return above.count("(") > above.count(")") and not _is_table_line(above) \
        and line.find(")", key_end - start) >= 0 and ")" not in line[:key_end - start]


def read_layout(text: str) -> Layout:
    """Classify every line of `text` (offsets index `text`)."""
    vocab = vocabulary()
    raw: list[tuple[int, str]] = []
    offset = 0
    for part in text.split("\n"):
        raw.append((offset, part))
        offset += len(part) + 1
    lines: list[Line] = []
    top_block = True
    after_signoff = 0
    table_header: list[tuple[int, int, str]] | None = None
    header_line: str | None = None
    header_start: int | None = None
    answer_columns: list[tuple[int, str]] | None = None
    i = 0
    while i < len(raw):
        start, line = raw[i]
        stripped = line.strip()
        lead = len(line) - len(line.lstrip())
        begin, end = start + lead, start + len(line.rstrip())
        next_line = raw[i + 1][1] if i + 1 < len(raw) else None
        if not stripped:
            if lines and lines[-1].kind is not Kind.BLANK:
                top_block = False
            lines.append(Line(Kind.BLANK, begin, end))
            table_header = None
            i += 1
            continue
        kind, key, value, reading = Kind.NARRATIVE, None, None, None
        cells: tuple[Cell, ...] = ()
        continues = False
        if (header := _ANSWER_HEADER.search(line)) is not None:
            # "PART 1  SPASTICITY HISTORY      Y   N   N/A": the columns the boxes below answer in.
            answer_columns = [(header.start(1) + m.start(), m.group(0)) for m in _LABEL.finditer(header.group(1))]
        if len(stripped) > _FORM_LINE_CHARS:
            # A paragraph on one line (dictation, pasted notes): only a labelled one is more than prose.
            if (kv := _key_value(line, start)) is not None:
                kind, key, value = Kind.KEY_VALUE, kv[0], kv[1]
                reading = value_reading(text[value[0]:value[1]])
            table_header = None
            lines.append(Line(kind, begin, end, key=key, value=value, reading=reading))
            i += 1
            continue
        gapped = _cells(line, start)
        tabular = _is_table_line(line)
        wraps_cell = table_header is not None and header_line is not None and len(table_header) >= 2 \
            and lines and (lines[-1].kind is Kind.TABLE_ROW or bool(lines[-1].cells)) \
            and header_line.count("|") < 2 and lead >= table_header[1][0] - (header_start or 0) - 1
        if _RULE.match(stripped):
            kind = Kind.HEADING
        elif after_signoff > 0 or _is_signature(line, vocab):
            kind = Kind.SIGNATURE
            if re.match(r"^\s*(?:sincerely|respectfully|regards|kind regards|best regards|warm regards)\b", line, re.I):
                after_signoff = 4
        elif wraps_cell and len(gapped) <= 1:
            # A cell's text wrapped onto the next line, under its column ("2  Treatment directed at
            # the diagnosis tried  X" over "   and failed?"): the row goes on, whatever the words say.
            kind, continues = Kind.TABLE_ROW, True
        elif _IDENTIFICATION.search(stripped) and len(stripped.split()) <= 16 and not _SENTENCE_END.search(stripped) \
                and not _IDENTIFIED_WITH.search(stripped):
            # Who the document is about: "PT: Kettleby-Adu, Lorraine  52F  DOB 11/30/1972  MRN ...",
            # "PROBLEM LIST / MED REC -- Abernathy, Ximena (DOB 03/22/2015)". Never evidence.
            kind = Kind.LETTERHEAD
        elif next_line is not None and line.rfind("(") > line.rfind(")") \
                and (wrapped := _wrapped_question(text, raw, i, vocab)) is not None:
            # A question whose list in brackets wraps onto the next line, its answer after the
            # bracket closes: "Q11 Exclusions - any present? (stenosis w/ obstruction, ..., opioid
            # addiction," / "    SUD, ..., body size)   N". Each of its lines reads by that answer.
            (key, value, reading), upto = wrapped
            table_header = None
            for at, part in raw[i:upto + 1]:
                inner = len(part) - len(part.lstrip())
                lines.append(Line(Kind.QUESTION, at + inner, at + len(part.rstrip()), key=key, value=value,
                                  reading=reading))
            i = upto + 1
            continue
        elif (question := _q_and_a_line(line, start, raw[i + 1:i + 2], vocab) or _blank_first(line, start, vocab)
                          or _question(line, start, raw[i + 1:i + 2], vocab) or _boxes_first(line, start, vocab)
                          or _boxes_under_columns(line, start, answer_columns, vocab,
                                                  bare=table_header is None)) is not None:
            kind, key, value, reading = Kind.QUESTION, question[0], question[1], question[2]
            if (first := _ANSWERED_INSIDE.search(text, key[0], key[1])) is not None:
                # Two questions on one line, each with its answer: "Hx opioid misuse / diversion
                # concerns?  No.   Naloxone in home?  Yes (Rx 05/2024)." Each is read apart.
                answer = (first.start("a"), first.end("a"))
                table_header = None
                lines.append(Line(Kind.QUESTION, begin, first.end("a"), key=(key[0], first.end("q")), value=answer,
                                  reading=_word_reading(first.group("a"), vocab)))
                lines.append(Line(Kind.QUESTION, first.end(), end, key=(first.end(), key[1]), value=value,
                                  reading=reading))
                i += 1
                continue
            if (pair := _second_question(line, start, key[1], vocab)) is not None:
                # Two items side by side, each with its boxes: "Body size insufficient ... ☐ Y ☒ N
                # Heparin / vancomycin infusion☐ Y ☒ N". Each is read apart.
                table_header = None
                lines.extend(Line(Kind.QUESTION, k[0], v[1], key=k, value=v, reading=r) for k, v, r in pair)
                i += 1
                continue
        elif table_header is None and (tabular or _narrow_header(line, start, raw, i)) \
                and not _KEY_LEADER.match(stripped) and not ("?" in stripped and _ITEM.match(stripped)) \
                and not opens_on_box(stripped) \
                and not any(_data_cell(c[2]) for c in gapped) \
                and _next_is_table_line(raw, i):
            kind, table_header, header_line = Kind.TABLE_HEADER, _cells(line, start, _HEADER_GAP), line
            header_start = start
        elif table_header is not None and header_line is not None and (tabular or len(gapped) >= 2):
            kind = Kind.TABLE_ROW
            cells = _row_cells(line, start, table_header, header_line)
            if (asked := _answered_row(text, cells, [n for _, _, n in table_header], vocab)) is not None:
                # "| 8 | Tumor encroachment of thecal sac | N |": a form laid out as a table.
                kind, key, value, reading = Kind.QUESTION, asked[0], asked[1], asked[2]
        elif wraps_cell:
            # A cell's text wrapped onto the next line, under its column: the row goes on.
            kind, continues = Kind.TABLE_ROW, True
        elif vocab.letterhead.search(stripped) and not _KEY_COLON.match(stripped) or (
                top_block and i < 4 and len(raw) > 3 and not re.match(r"[\[(☐☒☑■□\-*•\d]", stripped)
                and len(stripped.split()) <= (14 if i == 0 else 10) and not _SENTENCE_END.search(stripped)
                and not _KEY_COLON.match(stripped) and not _KEY_LEADER.match(stripped)
                and (vocab.letterhead_names.search(stripped) or not _LOWER.search(stripped))
                and not _is_heading(line, next_line, vocab)):
            kind = Kind.LETTERHEAD
        elif lines and i <= 3 and lines[-1].kind is Kind.HEADING and not (next_line or "").strip() \
                and not text[lines[-1].start:lines[-1].end].rstrip().endswith(":") \
                and _SUBTITLE.fullmatch(stripped) is not None:
            # A form's subtitle under its title: "PRIOR AUTHORIZATION FORM ..." / "Spasticity / dystonia".
            kind = Kind.HEADING
        elif not _goes_on_from(text, lines, stripped) and (
                _SECTION.match(stripped) or (_is_heading(line, next_line, vocab) and not _ITEM.match(stripped)
                                             and not opens_on_box(stripped))
                or (_NUMBERED_TITLE.match(stripped) and not (next_line or "").strip())
                or ((not lines or _RULE.match(text[lines[-1].start:lines[-1].end].strip()))
                    and _CAPS_TITLE_LEAD.match(stripped) is not None)):
            # (A numbered section's title over a blank line: "6. Recommendations"; a capitals title
            # opening the document or a block under a rule: "CLINIC RECALL CHECK  -- Children's Rehab".)
            kind = Kind.HEADING
        elif (kv := _key_value(line, start)) is not None and (
                _capitals_title(text[kv[1][0]:kv[1][1]], stripped, vocab)
                or (top_block and i < 4 and _named_form(text[kv[0][0]:kv[0][1]], text[kv[1][0]:kv[1][1]]))):
            kind = Kind.HEADING  # "INTRATHECAL TRIAL - CHRONIC NON-CANCER PAIN: SUBMISSION CHECKLIST"
        elif kv is not None and not _aside_goes_on(raw, i, kv[0][1]):
            kind, key, value = Kind.KEY_VALUE, kv[0], kv[1]
            if len(pairs := _more_pairs(text, value)) > 1:
                # "CRITICAL ALARM ...... NONE       MOTOR STALL .. NONE": a key each, read apart.
                table_header = None
                lines.extend(Line(Kind.KEY_VALUE, k[0], v[1], key=k, value=v, reading=value_reading(text[v[0]:v[1]]))
                             for k, v in [((begin, key[1]), pairs[0][1]), *pairs[1:]])
                i += 1
                continue
            reading = value_reading(text[value[0]:value[1]])
        elif tabular:
            kind = Kind.TABLE_ROW
            cells = tuple(Cell(s, e, None) for s, e, _ in gapped)
        elif table_header is not None and answer_columns and _ITEM.match(stripped) \
                and len(line.rstrip()) < min(at for at, _ in answer_columns) - 1:
            # A form's item under its Y / N columns with no mark in them is unanswered.
            kind, key, value, reading = Kind.QUESTION, (begin, end), (end, end), Reading.NOT_APPLICABLE
        elif _ITEM.match(stripped):
            kind = Kind.LIST_ITEM
        if continues and table_header is not None and header_line is not None:
            cells = _row_cells(line, start, table_header, header_line)
        # An item under a form's answer columns, answered or left blank, or a question laid out in
        # the table's columns, keeps its table going: the items after it are still read under those
        # columns, never as a new header.
        if kind not in (Kind.TABLE_HEADER, Kind.TABLE_ROW) and not cells and not _RULE.match(stripped) \
                and not (kind is Kind.QUESTION and (answer_columns or len(gapped) >= 2)):
            table_header = None
        if after_signoff and kind is Kind.SIGNATURE:
            after_signoff -= 1
        lines.append(Line(kind, begin, end, key=key, value=value, reading=reading, cells=cells, continues=continues))
        if kind is Kind.QUESTION and value is not None and value[0] > end:
            # The answer stood on the next line: that line belongs to the question.
            i += 1
            nxt_start, nxt = raw[i]
            lines.append(Line(Kind.QUESTION, nxt_start + len(nxt) - len(nxt.lstrip()), nxt_start + len(nxt.rstrip()),
                              key=key, value=value, reading=reading))
        i += 1
    lines = _labels_and_titles(_unanswered_items(_aligned_values(_wrapped_questions(lines, text), text), text), text)
    return Layout(_packet_index(_sandwiched(_block_titles(lines, text), text), text), text=text)


_INDEX_KEY = re.compile(r"^\W*(?:enclosed|enclosures?|encl\.|attached|attachments?|included|contents|"
                        r"(?:documents?|records?|pages?) (?:enclosed|attached|included|sent))\s*:", re.I)
_PAGE_REF = re.compile(r"^\W*(?:pp\.?|p\.|pages?|pgs?\.?)\s*\d{1,3}(?:\s*[-–]\s*\d{1,3})?\b(?!\s*of\b)\s+\S", re.I)
_INDEX_TITLE = re.compile(r"\b(?:(?:packet|fax|document|record)s? (?:index|contents)|table of contents|enclosures|"
                          r"attachments|documents (?:enclosed|attached|included))\b"
                          # A cover sheet's list under the one word: "Enclosed:" over "[X] PM&R note 05/28".
                          r"|^\W*(?:enclosed|encl\.|enclosures?|attached|contents)\W*$", re.I)


def _packet_index(lines: list[Line], text: str) -> list[Line]:
    """A cover sheet's list of enclosures and a packet's page index, with the lines that wrap them,
    are an index: never evidence."""
    out = list(lines)
    in_index = False
    for i, line in enumerate(out):
        words = text[line.start:line.end]
        if line.kind is Kind.BLANK:
            in_index = False
            continue
        if line.kind is Kind.HEADING:
            in_index = bool(_INDEX_TITLE.search(words))
            continue
        starts = _INDEX_KEY.match(words) or _PAGE_REF.match(words)
        if starts or (in_index and line.kind in (Kind.NARRATIVE, Kind.KEY_VALUE, Kind.LIST_ITEM)):
            out[i] = Line(Kind.INDEX, line.start, line.end)
            in_index = True
        elif line.kind is not Kind.NARRATIVE:
            in_index = False
    return out


def _sandwiched(lines: list[Line], text: str) -> list[Line]:
    """A short line without a sentence's end between two letterhead lines, or two signature
    lines, is part of that block: a department under the hospital's name ("Division of
    Pediatric Rehabilitation Medicine - Spasticity & Movement Disorders Clinic"), or under the
    signer's ("Physical Medicine & Rehabilitation / MS Spasticity Program" over "NPI ...")."""
    out = list(lines)
    for i in range(len(out) - 1):
        line, after = out[i], out[i + 1]
        before = out[i - 1] if i else Line(Kind.BLANK, 0, 0)
        # The first line of a letterhead may read as a heading: "CEDAR HOLLOW PSYCHOLOGICAL
        # SERVICES" / "Behavioral Medicine for Surgical and Interventional Candidates" / address;
        # or be the document's title over the patient's identification ("SUMMIT PAIN -- Med Rec /
        # Problem List / Tx History   Visit 09/10/2024" over "Pt: ... DOB ... MRN ...").
        first = all(above.kind is Kind.BLANK for above in out[:i])
        top_of_letterhead = i <= 3 and (before.kind is Kind.HEADING or first) and after.kind is Kind.LETTERHEAD
        inside_block = before.kind in (Kind.LETTERHEAD, Kind.SIGNATURE) and after.kind is before.kind
        words = text[line.start:line.end]
        if line.kind is Kind.NARRATIVE and first and _capitals_first_line(words):
            # A document's first line in capitals but for an aside, ending in its date: its title
            # ("RIVERBEND OUTPATIENT THERAPY - OT/PT CO-EVAL (spasticity pre-ITB)   10/01/2024").
            out[i] = replace(line, kind=Kind.HEADING)
            continue
        if line.kind is not Kind.NARRATIVE or not (top_of_letterhead or inside_block):
            continue
        if len(re.findall(r"[A-Za-z][\w'-]*", words)) <= 12 and not _SENTENCE_END.search(words) \
                and not re.search(r"[:;]", words):
            out[i] = replace(line, kind=after.kind)
    return out


def _capitals_first_line(words: str) -> bool:
    """Most of the line's letters are capitals, it has no sentence's end and few words."""
    letters = re.findall(r"[A-Za-z]", re.sub(r"\([^()]*\)", "", words))
    return len(letters) >= 12 and sum(c.isupper() for c in letters) >= 0.8 * len(letters) \
        and not _SENTENCE_END.search(words) and len(re.findall(r"[A-Za-z][\w'-]*", words)) <= 14 \
        and bool(_ENDS_IN_DATE.search(words)
                 or re.search(r"\s(?:-|--|—|–|\|)\s", words) and vocabulary().heading_words.search(words))


_ENDS_IN_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\s*$")


_CAPS_NOTE_TITLE = re.compile(r"^(?:[A-Z][A-Z/&-]*\s+){0,4}(?:NOTE|SUMMARY|REPORT|EVALUATION|ASSESSMENT|CONSULT\w*|"
                              r"LETTER|RECORD|QUESTIONNAIRE|FORM|REQUEST|ORDER)\s+(?:--|—|–|-)\s+\S")


_ABOVE_A_TITLE = frozenset({Kind.BLANK, Kind.HEADING, Kind.LETTERHEAD})
# A form's number or revision in its title: "Form UM-417", "(rev 01/2024)", "Form #PA-12".
_FORM_NUMBER = re.compile(r"\bform\s*(?:#|no\.?)?\s*[A-Z]{0,4}-?\d|\(rev\.?\s*\d", re.I)


_FORM_TITLE_WORDS = re.compile(r"\b(?:questionnaire|worksheet|checklist|attestation|(?:request|review|"
                               r"authori[sz]ation|intake|referral|necessity|criteria) form)\b", re.I)


_FORM_KIND_LABEL = re.compile(r"\W*(?:questionnaire|form)\s*", re.I)
# A title's words are capitalised, a statement's are not: "Implantable Intrathecal Drug Delivery".
_LOWER_WORD = re.compile(r"(?<![\w-])[a-z]{4,}\b")


def _form_title(line: str) -> bool:
    """The line names a form: its kind, no figures and no sentence ("Permanent Implant
    Questionnaire"), unlike a score or an instruction under it ("PHQ-9 questionnaire: 4")."""
    stripped = line.strip("*=-_ \t")
    named = _FORM_TITLE_WORDS.search(stripped)
    # A label's value is what the form says, unless the label is the form's kind ("Intrathecal Drug
    # Delivery System: Permanent Implant Questionnaire"), not "Intake questionnaire: failed gabapentin".
    # ...or the label is the word "Questionnaire" itself ("Questionnaire: Implantable Intrathecal
    # Drug Delivery -- Cancer Pain": the value names the form).
    # ...or ends in it, the value the form's subject with a gloss in brackets: "Pre-Service Review
    # Questionnaire: Intrathecal Pump TRIAL (non-cancer pain)".
    return named is not None and (":" not in stripped or named.start() > stripped.index(":")
                                  or (_FORM_KIND_LABEL.fullmatch(stripped[:stripped.index(":")]) is not None
                                      and len(_LOWER_WORD.findall(stripped)) <= 1)
                                  or (re.search(r"\b(?:questionnaire|form)\s*$", stripped[:stripped.index(":")], re.I)
                                      is not None
                                      and len(_LOWER_WORD.findall(re.sub(r"\([^()]*\)", "", stripped))) <= 1)) \
        and not re.search(r"\d", stripped) and not _SENTENCE_END.search(stripped) and len(stripped.split()) <= 16


def _block_titles(lines: list[Line], text: str) -> list[Line]:
    """A short line in capitals that opens a block, after a blank line and over the block's text
    ("ROTOR STUDY", "SKIN / POSITIONING", "HOME PROGRAMS"), titles it; so does a note's title in
    capitals near its top ("PROCEDURE NOTE - INTRATHECAL PUMP REFILL WITH ELECTRONIC ANALYSIS").
    Neither is ever evidence."""
    vocab = vocabulary()
    for i, line in enumerate(lines):
        if line.kind is Kind.LIST_ITEM and i + 1 < len(lines) and (
                _form_section(text, line, lines[i + 1]) or _numbered_title(text, lines, i, vocab)) \
                or line.kind is Kind.NARRATIVE and i + 1 < len(lines) and _numbered_title(text, lines, i, vocab):
            # (Roman numerals number a report's sections but no list: "VIII. Psychological clearance".)
            lines[i] = Line(Kind.HEADING, line.start, line.end)
            continue
        if line.kind in (Kind.NARRATIVE, Kind.KEY_VALUE) and i < 5 \
                and all(above.kind in _ABOVE_A_TITLE for above in lines[:i]) and _form_title(text[line.start:line.end]):
            # A payer form's title under the payer's name, printed as a label or not: "Intrathecal
            # Drug Delivery System: Permanent Implant Questionnaire (cancer and non-cancer pain)"
            # names the form, not the patient's diagnosis.
            lines[i] = Line(Kind.HEADING, line.start, line.end)
            continue
        if line.kind in (Kind.NARRATIVE, Kind.KEY_VALUE) and i < 6 \
                and all(above.kind in _ABOVE_A_TITLE for above in lines[:i]) and _document_title(text, line):
            lines[i] = Line(Kind.HEADING, line.start, line.end)
            continue
        if line.kind is not Kind.NARRATIVE or i + 1 >= len(lines):
            continue
        stripped = text[line.start:line.end].strip("*=-_ ")
        words = [w for w in stripped.split() if any(ch.isalpha() for ch in w)]
        if i < 5 and all(above.kind in _ABOVE_A_TITLE for above in lines[:i]) and _FORM_NUMBER.search(stripped) \
                and not _SENTENCE_END.search(stripped):
            # A form's title with its number, under the payer's name: "Intrathecal Drug Delivery
            # System, Non-Cancer Pain      Form UM-417 (rev 01/2024)" names the form a scheduler
            # picked, it documents nothing.
            lines[i] = Line(Kind.HEADING, line.start, line.end)
            continue
        if not words or re.search(r"[\d.:;?!]", stripped):
            continue
        # (A printout's rule opens a block as a blank line does: "-----" over "ADVISORY / RECALL CHECK".)
        ruled = i > 0 and lines[i - 1].kind is Kind.HEADING \
            and bool(_RULE.match(text[lines[i - 1].start:lines[i - 1].end].strip()))
        opens_block = (i == 0 or lines[i - 1].kind is Kind.BLANK or ruled) and lines[i + 1].kind is not Kind.BLANK
        if i < 5 and all(above.kind in _ABOVE_A_TITLE for above in lines[:i]) and len(words) <= 12 \
                and lines[i + 1].kind is not Kind.LETTERHEAD \
                and re.search(r"\s(?:--|—|–|-)\s", stripped) \
                and (_NOTE_TYPE.search(stripped) or vocab.letterhead_names.search(stripped)):
            # A note's title under its letterhead, with what the visit was after a dash:
            # "Combined Oncology / Cancer Pain Clinic -- follow-up after IT trial".
            lines[i] = Line(Kind.HEADING, line.start, line.end)
            continue
        if _LOWER.search(stripped) and i < 8 and _CAPS_NOTE_TITLE.match(stripped):
            # A note's title in capitals with its subject after a dash, near the top: "DISCHARGE
            # SUMMARY -- CBT for Chronic Pain" names the document, it reports nothing.
            lines[i] = Line(Kind.HEADING, line.start, line.end)
            continue
        if _LOWER.search(stripped):
            # A short title in ordinary case over its paragraph ("Pain", "Tone and range",
            # "Psychogenic pain and somatic symptom disorder" over "Neither is supported."): a
            # wrapped line of prose is longer, and its next line goes on.
            below = text[lines[i + 1].start:lines[i + 1].end]
            if opens_block and (len(words) <= 4 or len(words) <= 8 and not _RUN_IN_NOT_TITLE.search(stripped)) \
                    and len(stripped) <= 60 and stripped[:1].isupper() \
                    and "," not in stripped and below[:1].isupper() and len(below) > 2 * len(stripped) \
                    and not _ITEM.match(stripped) and lines[i + 1].kind in (Kind.NARRATIVE, Kind.KEY_VALUE):
                lines[i] = Line(Kind.HEADING, line.start, line.end)
            continue
        title = i < 6 and len(words) <= 14 and bool(vocab.heading_words.search(stripped))
        if opens_block and len(words) <= 6 and "," not in stripped or title:
            lines[i] = Line(Kind.HEADING, line.start, line.end)
    return lines


# What a document is, as its title says last: "Course-of-Treatment Summary", "TREATMENT SUMMARY",
# "Consultation Report". (Not "assessment" or "impression": a key of those states a finding.)
_DOCUMENT_KIND = re.compile(r"(?:summary|report|note|letter|consultation|consult)\W*$", re.I)
_SMALL_WORDS = frozenset({"a", "an", "in", "on", "with"})


def _document_title(text: str, line: Line) -> bool:
    """The line under a letterhead names the document, its subject in brackets or after a colon:
    "Course-of-Treatment Summary (brief CBT for pain coping)", "TREATMENT SUMMARY: Cognitive
    Behavioral Therapy for Chronic Pain". It says what the document is about, never that the
    course was done; a statement has figures, a verb's sentence end, or more words."""
    whole = text[line.start:line.end]
    if re.search(r"\d", whole) or _SENTENCE_END.search(whole) or len(whole.split()) > 12:
        return False
    if line.kind is Kind.KEY_VALUE and line.key is not None:
        name = text[line.key[0]:line.key[1]]
    else:
        name = re.sub(r"\s*\([^)]*\)\s*$", "", whole.strip("*=-_ \t"))
    # ...and, as a title, its subject's words capitalised: "TREATMENT SUMMARY: Cognitive Behavioral
    # Therapy for Chronic Pain", not "Psychology consult: cleared for intrathecal pump trial".
    subject = text[line.value[0]:line.value[1]] if line.kind is Kind.KEY_VALUE and line.value is not None else name
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", subject) if w.lower() not in _TITLE_JOINERS | _SMALL_WORDS]
    return 2 <= len(name.split()) <= 5 and _DOCUMENT_KIND.search(name) is not None \
        and not _RUN_IN_NOT_TITLE.search(name) and all(w[0].isupper() for w in words)


_NUMBERED = re.compile(r"^\s*(?:\d{1,2}|[IVX]{1,4})[.)]\s+")
_TITLE_JOINERS = frozenset({"and", "of", "for", "the", "to"})


def _numbered_title(text: str, lines: list[Line], i: int, vocab: _Vocabulary) -> bool:
    """A report's numbered section title in ordinary case, opening its block: "6. Recommendations"
    over "- Cognitive behavioral therapy ...", "5. Psychological clearance" over its paragraph. Not
    an item of a numbered list: the line under it is not numbered too."""
    line, below = lines[i], lines[i + 1]
    raw = text[line.start:line.end]
    if not _NUMBERED.match(raw) or below.kind is Kind.BLANK or _NUMBERED.match(text[below.start:below.end]):
        return False
    title = _NUMBERED.sub("", raw, count=1).strip()
    words = [w for w in re.split(r"[\s/&]+", title.lower()) if w and w not in _TITLE_JOINERS]
    if not (i == 0 or lines[i - 1].kind is Kind.BLANK) or not 1 <= len(words) <= 4 or re.search(r"[\d.:;,?!]", title):
        return False
    # Every word a heading word ("Test Results", "Plan and Recommendations"), or a title over a
    # paragraph much longer than itself ("5. Psychological clearance" / "I am not able to ...").
    below_text = text[below.start:below.end]
    return all(vocab.heading_words.fullmatch(w) for w in words) or (
        below.kind is Kind.NARRATIVE and below_text[:1].isupper() and len(below_text) > 3 * len(title))


def _form_section(text: str, line: Line, below: Line) -> bool:
    """A numbered title in capitals over a form's items: "2) CONSERVATIVE CARE IN PRIOR 12 MONTHS
    (>= 6 months required)" over "PT + HEP ...... Y". Its bracketed note may be in any case."""
    title = _BRACKETED.sub(" ", _ITEM_MARK.sub("", text[line.start:line.end], count=1)).strip()
    words = [w for w in title.split() if any(ch.isalpha() for ch in w)]
    return 1 <= len(words) <= 8 and not _LOWER.search(title) and not _NEGATION.search(title) \
        and not _SENTENCE_END.search(title) and below.kind in (Kind.KEY_VALUE, Kind.QUESTION, Kind.LIST_ITEM)


_ALTERNATIVE_OPENS = re.compile(r"(?:OR|AND|AND/OR)\s")


def _wrapped_questions(lines: list[Line], text: str) -> list[Line]:
    """A question wrapped onto a second line, the answer on that one ("3.  Spasticity increases
    risk of contractures, pressure injury" / "or other complications?    [ ] Yes   [X] No"):
    both lines are the question, answered there. So are three lines ("Q10  Any of: spinal
    stenosis w/ obstruction, psychogenic pain," / "opioid addiction, ..., unstable" /
    "psychiatric illness, allergy to trial agent? ...... NO")."""
    for i in range(1, len(lines)):
        line = lines[i]
        # A second line its leaders and answer make a key ("(nicotine excluded) ........ N") is the
        # question's too, under a numbered item.
        answered = line.kind is Kind.KEY_VALUE and line.reading in (Reading.YES, Reading.NO) \
            and lines[i - 1].kind is Kind.LIST_ITEM and bool(_ITEM.match(text[lines[i - 1].start:lines[i - 1].end]))
        if (line.kind is not Kind.QUESTION and not answered) or line.key is None:
            continue
        first = text[line.start:line.start + 1]
        # (Or its alternative, in capitals: "4. Has the patient had at least a 6 week trial of oral
        # medication without control of symptoms," / "OR been unable to tolerate it?".)
        if not (first.islower() or first == "(" or _ALTERNATIVE_OPENS.match(text, line.start)):
            continue
        previous = lines[i - 1]
        if _ITEM.match(text[line.start:line.end]) and (previous.reading in (Reading.YES, Reading.NO) or first != "("):
            continue  # an item lettered of its own ("c. Interventional injections .... Yes"), not a wrap
        j = i - 1  # back over the question's middle lines, each going on in lower case
        # (Up to two middle lines; one read alone as a heading, in lower case, is one of them:
        # "8.  Any contraindication (stenosis w/ obstruction," / "psychogenic pain, ..." / "psych
        # illness/SI, allergy to drug, inadequate body" / "size, ...)   [ ]   [X]  [ ]".)
        while j > max(0, i - 4) and lines[j].kind in (Kind.NARRATIVE, Kind.HEADING) \
                and text[lines[j].start:lines[j].start + 1].islower() \
                and not text[lines[j].start:lines[j].end].rstrip().endswith(("?", ":")):
            j -= 1
        above = lines[j]
        # The first line may read as a key and value ("Q6   Replacement requested for newer ...").
        numbered = above.kind is Kind.KEY_VALUE and _ITEM.match(text[above.start:above.end])
        if (above.kind not in (Kind.LIST_ITEM, Kind.NARRATIVE) and not numbered) \
                or text[above.start:above.end].rstrip().endswith(("?", ":")):
            continue
        key = (above.start, line.key[1])
        for k in range(j, i + 1):
            lines[k] = Line(Kind.QUESTION, lines[k].start, lines[k].end, key=key, value=line.value,
                            reading=line.reading)
    return lines


# Who and where, never what is true of the patient: "Practice ..... Cumberland Cancer Pain",
# "Programmer: NX-Tab 3.8   Clinic: SALTMARSH REHAB - SPASTICITY".
_IDENTITY_KEY = re.compile(
    r"\W*(?:practice|facility|clinic(?: name)?|provider|physician|"
    r"(?:ordering|referring|requesting|treating|rendering|servicing|billing) (?:physician|provider|practice|facility|"
    r"clinician)|attending|surgeon|pcp|patient name|name|dob|date of birth|mrn|"
    r"acct\.?(?: ?#| no\.?)?|account(?: ?#| no\.?| number)?|member(?: id| #)?|plan id|health plan|payer|insurance|"
    r"address|phone|fax(?: to)?|npi|tax id|programmer(?: model| version)?|"
    r"software(?: version)?|"
    # ...and who did the work: "Operator: P. Iyer, MD   Assessor (blinded to dose): M. Castellanos, PT, DPT".
    r"operator|proceduralist|assessor|evaluator|examiner|rater|clinicians?|(?:performed|assessed|evaluated|examined|"
    r"scored|dictated|prepared|completed) by)(?:\s*\([^()\n]{1,30}\))?\W*$", re.I)


_NOTE_TYPE = re.compile(r"\b(?:note|report|summary|consult\w*|visit|follow[- ]?up|letter|printout)\b", re.I)
# A value that ends in what the document is: "... TREATMENT SUMMARY AND DISCHARGE".
_TITLE_END = re.compile(r"\b(?:note|report|summary|consult\w*|letter|evaluation|assessment|discharge)\W*$", re.I)
_DATE_KEY = re.compile(r"\b(?:date|dated|time|dob|on)\b", re.I)
_DATE_ONLY = re.compile(r"\W*(?:(?:printed|generated|run|dated?|on)\W*)?\d{1,2}[/-]\d{1,2}[/-]\d{2,4}"
                        r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\W*$", re.I)


# The keys that title a visit's topics, not a finding: "REASON FOR REPLACEMENT: PUMP FAILURE /
# CATHETER OCCLUSION" states one, and stays a key.
_TOPIC_KEY = re.compile(r"(?:ASSESSMENT(?: AND PLAN)?|IMPRESSION|A/P|TOPICS?|RE|SUBJECT|VISIT TYPE|REASON FOR VISIT)")
# Two to four short topics apart by " / ".
_TOPICS = re.compile(r"[A-Z][A-Z-]*(?: [A-Z-]+){0,3}(?: / [A-Z][A-Z-]*(?: [A-Z-]+){0,3}){1,3}\s*")


# A fax cover names its packet: its subject line and its urgency boxes say what is asked, not
# what was found ("Subject: IDDS pump replacement -- manufacturer recall", "[X] Expedited review
# requested (see recall notice)").
# (The cover's title, not a letterhead's "Fax 612-555-0119".)
_FAX_COVER = re.compile(r"^\W*(?:(?:fax|facsimile)(?:\s+(?:cover(?:\s+sheet)?|transmittal|transmission))?|"
                        r"(?:fax\s+)?cover\s+sheet|transmittal)\W*$", re.I)
_COVER_SUBJECT = re.compile(r"\W*(?:re|subject|regarding|reason for (?:fax|transmittal|referral))\W*$", re.I)
_URGENCY_BOXES = re.compile(r"\[[ xX]?\]\s*(?:urgent|stat|routine|expedited)\b", re.I)


def _fax_cover_lines(lines: list[Line], text: str) -> list[Line]:
    heads = [text[ln.start:ln.end] for ln in lines[:4] if ln.kind is not Kind.BLANK]
    if not any(_FAX_COVER.search(head) for head in heads[:2]):
        return lines
    for i, line in enumerate(lines):
        key = text[line.key[0]:line.key[1]] if line.kind is Kind.KEY_VALUE and line.key is not None else None
        if key is not None and _COVER_SUBJECT.match(key) or _URGENCY_BOXES.search(text, line.start, line.end):
            lines[i] = Line(Kind.HEADING, line.start, line.end)
    return lines


def _labels_and_titles(lines: list[Line], text: str) -> list[Line]:
    """Lines that look like findings but only name or title: an identity field's value, a title
    with the print date beside it ("PUMP INTERROGATION REPORT      PRINTED: 03/11/2025"), a
    lettered section of a form ("A.  CANCER-RELATED PAIN")."""
    lines = _fax_cover_lines(lines, text)
    for i, line in enumerate(lines):
        if line.kind is Kind.KEY_VALUE and line.key is not None:
            key = text[line.key[0]:line.key[1]]
            if _IDENTITY_KEY.match(key):
                lines[i] = Line(Kind.LETTERHEAD, line.start, line.end)
                continue
            title = re.split(r"\s{3,}", key.strip(), maxsplit=1)
            if len(title) == 2 and not _LOWER.search(title[0]) and vocabulary().heading_words.search(title[0]):
                lines[i] = Line(Kind.HEADING, line.start, line.end)
            elif line.value is not None and _NOTE_TYPE.search(key) and not _DATE_KEY.search(key) \
                    and _DATE_ONLY.match(text, *line.value):
                # A note's title with its date: "CANCER PAIN SVC -- Progress note      12/03/2024",
                # "PROGRAMMER SESSION REPORT      Printed 10/10/2024 14:22".
                lines[i] = Line(Kind.HEADING, line.start, line.end)
            elif line.value is not None and not _LOWER.search(text, line.start, line.end) \
                    and not re.search(r"\d", text[line.start:line.end]) and _TITLE_END.search(text, *line.value):
                # A capitals title whose value names the document: "CBT FOR CHRONIC PAIN (CBT-CP):
                # TREATMENT SUMMARY AND DISCHARGE".
                lines[i] = Line(Kind.HEADING, line.start, line.end)
            elif line.value is not None and not _LOWER.search(text, line.start, line.end) \
                    and _TOPIC_KEY.fullmatch(key.strip()) \
                    and not re.search(r"\d", text[line.start:line.end]) and _TOPICS.fullmatch(text, *line.value) \
                    and i + 1 < len(lines) and lines[i + 1].kind is Kind.NARRATIVE:
                # A capitals section label over its paragraph, naming the visit's topics apart by
                # " / ": "ASSESSMENT: ITB PUMP MALFUNCTION / REPLACEMENT" over "No evidence of pump
                # malfunction -- interrogation normal ...". The paragraph says what was found.
                lines[i] = Line(Kind.HEADING, line.start, line.end)
        elif line.kind is Kind.LIST_ITEM:
            item = _ITEM_MARK.sub("", text[line.start:line.end]).strip()
            if item and not _LOWER.search(item) and len(item.split()) <= 6 and not _SENTENCE_END.search(item) \
                    and not _NEGATION.search(item) and not any(ch.isdigit() for ch in item):
                lines[i] = Line(Kind.HEADING, line.start, line.end)
    return lines


_FORM_GAP = re.compile(r"\.{3,}|\S {3,}\S")
_ITEM_NUMBER = re.compile(r"^\s*(?:\d{1,2}[a-z]?[.)]?|Q\d{1,2}[a-z]?[.:)]?)\s+\S")


def _unanswered_items(lines: list[Line], text: str) -> list[Line]:
    """A form's numbered item left blank among answered ones ("9  Current life expectancy (cancer
    patients)" between "8 ... N" and "10 ... N") is a question unanswered: it asserts nothing."""
    shown = [i for i, line in enumerate(lines) if line.kind is not Kind.BLANK]
    for k in range(1, len(shown) - 1):
        line, above, below = lines[shown[k]], lines[shown[k - 1]], lines[shown[k + 1]]
        own = text[line.start:line.end]
        if line.kind not in (Kind.NARRATIVE, Kind.LIST_ITEM) or not _ITEM_NUMBER.match(own) \
                or _SENTENCE_END.search(own.rstrip()) or len(own.split()) > 14:
            continue
        # Its neighbours are a form's answered items (an answer after leaders or a wide gap), not a
        # plan's numbered "1. Intractable low back pain: NRS 8/10".
        if ":" not in own and all(n.value is not None and _ITEM_NUMBER.match(text[n.start:n.end]) and (
                n.kind is Kind.QUESTION or n.kind is Kind.KEY_VALUE and _FORM_GAP.search(text, n.start, n.end))
                for n in (above, below)):
            lines[shown[k]] = Line(Kind.QUESTION, line.start, line.end, key=(line.start, line.end),
                                   value=(line.end, line.end), reading=Reading.NOT_APPLICABLE)
    return lines


def _aligned_values(lines: list[Line], text: str) -> list[Line]:
    """A line under a key-value line whose value starts in the same column, after a gap, is a
    key-value line too: "Motor stall events (lifetime)  0" under "Battery        OK"."""
    for i in range(1, len(lines)):
        line, above = lines[i], lines[i - 1]
        # A capitals line there looks like a heading, but its value stands in the column.
        if line.kind not in (Kind.NARRATIVE, Kind.HEADING) or above.kind is not Kind.KEY_VALUE or above.value is None:
            continue
        column = above.value[0] - (text.rfind("\n", 0, above.start) + 1)
        at = text.rfind("\n", 0, line.start) + 1 + column
        # After a gap, or the last dot of a leader cut short ("Motor stall recovery . 0"), or a
        # capitals key whose words fill the leader's room ("MOTOR STALL RECOVERY 0").
        if not (line.start < at < line.end and not text[at].isspace()):
            continue
        # (A sentence's full stop is no leader's last dot: "no desaturation. Pt tolerated well", the
        # wrapped end of the line above, has the next sentence in that column by chance.)
        if text[at - 2:at] == ". " and text[at - 3] not in " .":
            continue
        if text[at - 2:at] not in ("  ", ". ") and not (
                text[at - 1] == " " and text[line.start:at].isupper() and len(text[at:line.end].split()) <= 3):
            continue
        key_end = len(text[line.start:at].rstrip(" .")) + line.start
        lines[i] = Line(Kind.KEY_VALUE, line.start, line.end, key=(line.start, key_end), value=(at, line.end),
                        reading=value_reading(text[at:line.end]))
    return lines


def _narrow_header(line: str, start: int, raw: list[tuple[int, str]], i: int) -> bool:
    """A header whose columns are set two spaces apart over rows set wider ("Day  Dose(mg/d)  NRS am
    ...  SpO2   Side effects" over "0    --    8    8    10    96%    --"): as many names as
    the next row has cells, give or take one."""
    names = _cells(line, start, _HEADER_GAP)
    if len(names) < 3 or _SENTENCE_END.search(line.strip()) or i + 1 >= len(raw):
        return False
    following = raw[i + 1][1]
    if _RULE.match(following.strip()) and i + 2 < len(raw):
        following = raw[i + 2][1]  # past the header's underline: "---  ------  -------"
    # ...or rows set two spaces apart like it ("Hr post  NRS  BP       HR  SpO2" over "0        8
    # 128/80   84  98%"), cell for name.
    if not _is_table_line(following):
        return False
    if abs(len(_cells(following, 0)) - len(names)) <= 1:
        return True
    # (Its cells mostly figures, not a vitals line over a sentence.)
    cells = _cells(following, 0, _HEADER_GAP)
    return len(cells) == len(names) and sum(c[2][:1].isdigit() or c[2] in ("-", "--") for c in cells) * 2 >= len(cells)


# A diagnosis code opens a problem list's row, never a column's name: "G80.0", "Z97.8", "M54.16".
_CODE_CELL = re.compile(r"^[A-TV-Z]\d{2}(?:\.\w{1,4})?$")


_FIELD_CELL = re.compile(r"[A-Za-z)]:\s+\S")


def _data_cell(cell: str) -> bool:
    """A cell no header has: a number that is no time point, a diagnosis code, or a phrase long
    enough to be a finding ("Spastic quadriplegic cerebral palsy, GMFCS IV")."""
    if cell[:1].isdigit():
        return not _TIME_POINT.match(cell)
    # A labelled value is a field, not a column's name: "WEIGHT: 94.1 kg   BMI: 30.6   ASA: II".
    return bool(_CODE_CELL.match(cell)) or ("," in cell and len(cell.split()) >= 4) or bool(_FIELD_CELL.search(cell))


def _capitals_title(value: str, line: str, vocab: _Vocabulary) -> bool:
    """A line in capitals whose "value" is a document's name ("...: SUBMISSION CHECKLIST") is a
    title: it says what follows, never what is true."""
    words = value.split()
    return 0 < len(words) <= 4 and not _LOWER.search(line) and not re.search(r"\d", value) \
        and bool(_DOCUMENT_NAME.fullmatch(words[-1]))


def _named_form(key: str, value: str) -> bool:
    """A document's title at its top, its kind in the key and its variant in capitals: "Prior
    Authorization Questionnaire - Implanted Infusion Pump: REPLACEMENT / REVISION"."""
    words = value.split()
    return 0 < len(words) <= 4 and not _LOWER.search(value) and not re.search(r"\d", value) \
        and any(_DOCUMENT_NAME.fullmatch(word) for word in re.findall(r"[A-Za-z]+", key))


_DOCUMENT_NAME = re.compile(r"checklist|form|questionnaire|report|summary|note|request|letter|worksheet|sheet|"
                            r"record|attestation|submission|packet", re.I)


def _next_is_table_line(raw: list[tuple[int, str]], i: int) -> bool:
    """The next line with words (past blank and ruled lines, and a header's second line of units:
    "(mg/day)            doses (24 h)") is a table line too."""
    for _, following in itertools.islice(raw, i + 1, None):
        if following.strip() and not _RULE.match(following.strip()) and not following.strip().startswith("("):
            return _is_table_line(following) or _under_columns(raw[i][1], following)
    return False


def _under_columns(header: str, row: str) -> bool:
    """The row's words start where the header's columns do, at every column after the first: a
    printout's row whose own gaps are narrow ("11/08/2021 - 02/17/2022  14 visits; ...")."""
    columns = [at for at, _, _ in _cells(header, 0, _HEADER_GAP)][1:]
    return len(columns) >= 2 and all(at < len(row) and row[at] != " " and row[at - 1] == " " for at in columns)


def _row_cells(line: str, start: int, header: list[tuple[int, int, str]], header_line: str) -> tuple[Cell, ...]:
    """A row's cells under the header's columns: by index for pipe tables, by the header's column
    positions for space-aligned printouts (whose rows may use narrower gaps than the header)."""
    if header_line.count("|") >= 2:
        names = [name for _, _, name in header]
        if line.count("|") >= 2:
            # By the bars, so an empty cell keeps its place: "|    | Details: ... |        |".
            cells, at = [], 0
            parts = line.split("|")
            inner = parts[1:-1] if not parts[0].strip() else parts[:-1] if not parts[-1].strip() else parts
            at = line.find("|") + 1 if not parts[0].strip() else 0
            for k, part in enumerate(inner):
                if part.strip():
                    begin = at + len(part) - len(part.lstrip())
                    cells.append(Cell(start + begin, start + at + len(part.rstrip()),
                                      names[k] if k < len(names) else None))
                at += len(part) + 1
            return tuple(cells)
        found = _cells(line, start)
        return tuple(Cell(s, e, names[k] if k < len(names) else None) for k, (s, e, _) in enumerate(found))
    base = header[0][0] - (len(header_line) - len(header_line.lstrip()))
    positions = [s - base for s, _, _ in header] + [max(len(line), header[-1][1] - base) + 1]
    cells = []
    for k, name in enumerate(header_names := [n for _, _, n in header]):
        lo, hi = positions[k], positions[k + 1]
        if k == 0:
            lo = 0
        # A cell that starts a little before its header's column (or runs on) keeps its words whole.
        while 0 < lo < len(line) and line[lo - 1] != " ":
            lo -= 1
        while 0 < hi < len(line) and line[hi - 1] != " ":
            hi -= 1
        if k == len(header_names) - 1:
            hi = len(line)
        piece = line[lo:hi]
        if piece.strip():
            begin = lo + len(piece) - len(piece.lstrip())
            cells.append(Cell(start + begin, start + lo + len(piece.rstrip()), name))
    return tuple(cells)


# A table column that holds a form's answers: "Y/N", "Y/N/NA", "Yes/No", "Answer", "Response (Y/N)".
_ANSWER_COLUMN = re.compile(r"^(?:y\s*/\s*n(?:\s*/\s*n/?a)?|yes\s*/\s*no(?:\s*/\s*n/?a)?|answer|response|reply)"
                            r"(?:\s*\(\s*y(?:es)?\s*/\s*n(?:o)?(?:\s*/\s*n/?a)?\s*\))?\??$", re.I)


def _answered_row(text: str, cells: tuple[Cell, ...], columns: list[str], vocab: _Vocabulary
                  ) -> tuple[tuple[int, int], tuple[int, int], Reading] | None:
    """(question span, answer span, reading) for a row of a table with an answer column: the
    item is the longest worded cell before that column, and a blank answer is no answer."""
    options = [name for name in columns if _LABEL.fullmatch(name.strip())]
    if len(options) >= 2:
        return _marked_row(text, cells, columns, options, vocab)
    if not any(_ANSWER_COLUMN.match(name) for name in columns):
        return None
    column = next((c for c in cells if c.column and _ANSWER_COLUMN.match(c.column)), None)
    # The item is asked before its answer: a notes column after it, however long, is what the
    # answer goes on to say ("Opioid use disorder / other SUD    N    PDMP 04/22 single prescriber").
    before = columns[:next(i for i, name in enumerate(columns) if _ANSWER_COLUMN.match(name))]
    item = _row_item(text, [c for c in cells if c.column in before]) \
        or _row_item(text, [c for c in cells if c.column and not _ANSWER_COLUMN.match(c.column)])
    if item is None:
        return None
    if column is None:
        if cells[0].column != columns[0]:
            return None  # the first column empty too: the row above goes on ("|  | Date 11/12 ... |  |")
        return (item.start, item.end), (item.end, item.end), Reading.NOT_APPLICABLE  # left blank
    reading, a_start, a_end = _answer(text[column.start:column.end], vocab)
    if reading is None:
        return None  # an answer column holding words ("see note"): read them as they are
    return (item.start, item.end), (column.start + a_start, column.start + a_end), reading


# A free-text line under a question ("Details: ...", "Date: 03/27/2025  Dose: 50 mcg"): words to
# read, not a question of its own.
_FREE_TEXT_LINE = re.compile(r"(?:(?:details?|comments?|notes?)\b|(?:date|dose|weight)\s*:|if yes|explain)", re.I)
_MARK = re.compile(r"[xX✓✔☒☑■]|\[[xX✓✔]\]|\([xX]\)")


def _row_item(text: str, cells: list[Cell]) -> Cell | None:
    """The question a form's table row asks: its longest worded cell, unless that is free text."""
    items = [c for c in cells if re.search(r"[A-Za-z]{3}", text[c.start:c.end])]
    item = max(items, key=lambda c: c.end - c.start) if items else None
    return None if item is None or _FREE_TEXT_LINE.match(text, item.start, item.end) else item


def _marked_row(text: str, cells: tuple[Cell, ...], columns: list[str], options: list[str], vocab: _Vocabulary
                ) -> tuple[tuple[int, int], tuple[int, int], Reading] | None:
    """"10  Allergy to baclofen?      X" under "Y  N  N/A" (a column per answer, an X under one):
    the column the mark stands in answers."""
    # A worded cell is the item wherever it stands: a header without one over the items
    # ("YES   NO   COMMENT") puts the items' text under its first answer column.
    worded_first = not _MARK.fullmatch(text[cells[0].start:cells[0].end].strip())
    item = _row_item(text, [c for c in cells if c.column not in options or (c is cells[0] and worded_first)])
    if item is None:
        return None
    marked = [c for c in cells if c.column in options and c is not item
              and _MARK.fullmatch(text[c.start:c.end].strip())]
    if len(marked) == 1 and marked[0].column is not None:
        return (item.start, item.end), (marked[0].start, marked[0].end), _word_reading(marked[0].column, vocab)
    bare = _BARE_MARK.search(text, item.start, item.end)
    if not marked and bare is not None and item.column in options:
        # The mark run into the item's cell, under the first answer column ("4. Request is for a
        # TRIAL?      X" under "YES   NO"): that column answers.
        return (item.start, bare.start() + 1), (bare.start(1), bare.end(1)), _word_reading(item.column, vocab)
    if not marked and cells[0].column == columns[0]:
        return (item.start, item.end), (item.end, item.end), Reading.NOT_APPLICABLE  # no box marked
    return None


def _boxes_first(line: str, start: int, vocab: _Vocabulary) -> tuple[tuple[int, int], tuple[int, int], Reading] | None:
    """(question span, answer span, reading) for a form line whose answer boxes come before its
    question: "7. ☐ Yes ☒ No   Replacement requested for patient convenience"."""
    box = rf"(?:{vocab.checked}|{vocab.unchecked})"
    marker = r"(?:\d{1,2}[.)]|Q\d{1,2}[.:)]?)"
    match = re.match(rf"^(\s*{marker}?\s*)((?:{box}\s*[A-Za-z/]{{1,4}}\s*){{2,3}})\s+(\S.*?)\s*$", line)
    if match is None or not re.search(r"[A-Za-z]{3}", match.group(3)):
        return None
    answers = match.group(2)
    checked = [m for m in re.finditer(rf"{vocab.checked}\s*([A-Za-z/]{{1,4}})", answers)]
    reading = _word_reading(checked[0].group(1), vocab) if len(checked) == 1 else Reading.NOT_APPLICABLE
    return (start + match.start(3), start + match.end(3)), (start + match.start(2), start + match.end(2)), reading


# An answer written into a blank before its item: "__Y__   7. Does spasticity increase risk ...?",
# "__N__  12. Spinal stenosis with intraspinal obstruction", "_____   9. Have ...?" (left blank).
_BLANK_FIRST = re.compile(r"^\s*(?P<a>_+\s*(?P<w>[A-Za-z/]{1,4})?\s*_*)\s+(?P<q>(?:\d{1,2}[.)]\s+)?\S.*?)\s*$")


def _blank_first(line: str, start: int, vocab: _Vocabulary) -> tuple[tuple[int, int], tuple[int, int], Reading] | None:
    match = _BLANK_FIRST.match(line)
    if match is None or not re.search(r"[A-Za-z]{3}", match.group("q")):
        return None
    word = match.group("w")
    if word and (word in ("X", "x") or re.fullmatch(r"[A-Z]{2,3}", word) and word not in ("NO", "YES", "NA")):
        reading = Reading.YES  # a tick or the initials of whoever attests it: "__X__", "__MK__"
    else:
        reading = _word_reading(word, vocab) if word else Reading.NOT_APPLICABLE
    question = (start + match.start("q"), start + match.end("q"))
    return question, (start + match.start("a"), start + match.end("a")), reading


# A dictated or typed question and its answer: "Q: Any hx of opioid misuse or early refills? A: No."
_ASKED = re.compile(r"\s*Q\s*[:.)]\s*(?P<q>[^?\n]{3,}\?)\s*(?:A\s*[:.)]\s*(?P<a>(?:(?!\sQ\s*[:.)]).)*?\S))?\s*$")
_ANSWERED = re.compile(r"\s*A\s*[:.)]\s*(?P<a>\S.*?)\s*$")


# A question answered inside a line that asks another after it: "...concerns?  No.   Naloxone ...?"
_ANSWERED_INSIDE = re.compile(r"(?P<q>\?)[ \t]+(?P<a>yes|no|y|n|n/a|none|denies)\b\.?[ \t]{2,}(?=\S)", re.I)


def _q_and_a_line(line: str, start: int, rest: list[tuple[int, str]], vocab: _Vocabulary
                  ) -> tuple[tuple[int, int], tuple[int, int], Reading] | None:
    """(question span, answer span, reading) of a "Q: ...? A: ..." line, the answer on the line or
    the next; without an "A:" the line is left to the other question readers."""
    asked = _ASKED.fullmatch(line)
    if asked is None:
        return None
    question = (start + asked.start("q"), start + asked.end("q"))
    if asked.group("a") is not None:
        at, answer = start + asked.start("a"), asked.group("a")
    elif rest and (answered := _ANSWERED.fullmatch(rest[0][1])) is not None:
        at, answer = rest[0][0] + answered.start("a"), answered.group("a")
    else:
        return None
    reading, a_start, a_end = _answer(answer, vocab)
    if reading is None:
        return question, (at, at + len(answer)), Reading.TEXT
    return question, (at + a_start, at + a_end), reading


# What a question lists in brackets after its mark, before its answer.
_GLOSS_AFTER = re.compile(r"[ \t]*\([^()\n]{3,300}\)")


def _question(line: str, start: int, rest: list[tuple[int, str]], vocab: _Vocabulary, longest: int = 160
              ) -> tuple[tuple[int, int], tuple[int, int], Reading] | None:
    """(question span, answer span, reading) when the line is a form question with its answer (a
    question answered on the next line is at most `longest` characters: more is prose that asks)."""
    stripped = line.strip()
    lead = len(line) - len(line.lstrip())
    mark = line.rfind("?")
    yn = re.search(r"\(\s*y(?:es)?\s*/\s*n(?:o)?\s*(?:/\s*n/?a\s*)?\)\s*:?", line, re.I)
    item = _ITEM_ANSWER.match(line)
    # A finding's name as a label, answered on the line below: "PAINFUL SPASMS:" over "Not really -
    # pt calls them violent, not painful", "Pump malfunction:" over "None - pump delivering ...".
    titled = bool(_ANSWERED_TITLE.match(stripped) and rest and _ANSWER_THEN_DETAILS.match(rest[0][1]))
    if mark >= 0:
        q_end = mark + 1
    elif yn:
        q_end = yn.end()
    elif item:
        # A numbered form item answered at the line's end: "21  Body size insufficient ....   N".
        q_end = item.end("q")
    elif len(blanks := list(_BLANK_ANSWERS.finditer(line))) >= 2 and blanks[0].start() > lead:
        q_end = blanks[0].start()  # "3.3  Opioid addiction ....   Yes _____   No __X__"
    elif _FORM_ITEM.match(stripped) and rest and _ANSWER_THEN_DETAILS.match(rest[0][1]):
        q_end = len(line.rstrip())  # "Q10  Spinal stenosis ..." over "No. Mild narrowing only"
    elif titled:
        q_end = len(line.rstrip())
    else:
        # No question mark: a statement followed by a Yes/No box pair is still a question.
        pair = re.search(rf"(?:{vocab.checked}|{vocab.unchecked})\s*(?:yes|y)\b.*?(?:{vocab.checked}|{vocab.unchecked})"
                         rf"\s*(?:no|n)\b|(?:yes|y)\s*(?:{vocab.checked}|{vocab.unchecked}).*?(?:no|n)\s*"
                         rf"(?:{vocab.checked}|{vocab.unchecked})", line, re.I)
        if not pair or pair.start() <= lead:
            return None
        q_end = pair.start()
    if q_end <= lead or not re.search(r"[A-Za-z]{3}", line[:q_end]):
        return None
    if (gloss := _GLOSS_AFTER.match(line, q_end)) is not None and _answer(line[gloss.end():], vocab)[0] is not None:
        q_end = gloss.end()  # "... any present? (stenosis w/ obstruction, ..., body size)   N": its list, the answer
    if (options := _OPTIONS_THEN_ANSWER.match(line, q_end)) is not None:
        q_end = options.end()  # "... for IDD?   Y / N :  ___": the options, then the answer (here none)
    reading, a_start, a_end = _answer(line[q_end:], vocab)
    if reading is not None:
        return (start + lead, start + q_end), (start + q_end + a_start, start + q_end + a_end), reading
    if line[q_end:].strip(" .:_-\t"):
        return None  # words after the mark that are no answer: a sentence that asks, in prose
    if mark < 0 and not _FORM_ITEM.match(stripped) and not titled or len(" ".join(stripped.split())) > longest:
        return None
    # The answer on the next line: "Answer: No", "N", "[X] Yes [ ] No"; or the answer and its
    # details under a form's numbered item: "Q10  Spinal stenosis with intraspinal obstruction"
    # over "No. Mild L3-4 foraminal narrowing only; canal is patent". Under a question asked in
    # words ("...suggested?") a long answer is prose to read ("Yes - at his first visit ...").
    for nxt_start, nxt in rest[:1]:
        body = re.sub(r"^\s*(?:answer|response|ans)\s*:\s*", "", nxt, flags=re.I)
        reading, a_start, a_end = _answer(body, vocab)
        if reading is not None and (len(body.split()) <= 8 or mark < 0 and _ANSWER_THEN_DETAILS.match(body)):
            shift = len(nxt) - len(body)
            return (start + lead, start + q_end), (nxt_start + shift + a_start, nxt_start + shift + a_end), reading
    return (start + lead, start + q_end), (start + q_end, start + q_end), Reading.NOT_APPLICABLE


# A payer form's numbered item ("Q10", "Q 4b"), a question whether or not it ends in "?".
_FORM_ITEM = re.compile(r"Q\s?\d{1,2}[a-z]?\b")
# An answer word, then its details: "No. Mild foraminal narrowing only", "Yes -- see MRI",
# "None - pump delivering as programmed", "Not really - he calls them violent".
_ANSWER_THEN_DETAILS = re.compile(r"\s*(?:yes|no|n/?a|none|not really)\s*(?:[.,;:]|--|[-–—]\s)"
                                  r"(?!\s*(?:except|other than|apart from|but)\b)", re.I)
# A short label of a few words ending in a colon: a finding's name a line below may answer.
_ANSWERED_TITLE = re.compile(r"[A-Za-z][\w /&'-]{2,50}:$")
# A question's options listed before its answer: "Y / N :  N", "Yes/No/NA -  Yes"; or with none.
# Also with an "Unk" option and a labelled answer: "Y / N / Unk     Answer: ______".
_OPTIONS_THEN_ANSWER = re.compile(r"\s*(?:y(?:es)?\s*/\s*n(?:o)?(?:\s*/\s*(?:n/?a|unk(?:nown)?))?)\s*"
                                  r"(?:[:=\-]|(?:answer|ans|response)\s*[:=\-]|$)", re.I)
# "N/A" before "N": a header's "N/A" is one column.
_LABEL = re.compile(r"\b(?:yes|no|n/?a|y|n|unk(?:nown)?)\b", re.I)
# A lone mark after a wide gap at the end of a form item, under an answer column.
_BARE_MARK = re.compile(r"\S {2,}([xX✓✔√])\s*$")
_ANSWER_HEADER = re.compile(
    r"(?:^|\s{2,})((?:yes|no|y|n|n/?a|unk(?:nown)?)(?:\s+(?:yes|no|y|n|n/?a|unk(?:nown)?)){1,3})"
    # ...and a free-text column after them: "Y     N     Comment".
    r"(?:\s{2,}(?:comments?|notes?|details?|remarks?|date|explain|explanation))?\s*$", re.I)


def _boxes_under_columns(line: str, start: int, columns: list[tuple[int, str]] | None, vocab: _Vocabulary,
                         bare: bool = False) -> tuple[tuple[int, int], tuple[int, int], Reading] | None:
    """A form item answered by bare boxes under a header's Y / N / N/A columns:
    "11. Opioid addiction ........ [ ] [X] [ ]" is No. The checked box's column names it."""
    if not columns:
        return None
    boxes = list(re.finditer(f"{vocab.checked}|{vocab.unchecked}", line))
    if not boxes and bare and (mark := _BARE_MARK.search(line)) is not None:
        # "5. Device subject to a manufacturer recall          X": a bare mark under one column
        # (under a table's header the table reads it, by its cells).
        middle = (mark.start(1) + mark.end(1)) / 2
        at, label = min(columns, key=lambda column: abs(column[0] + len(column[1]) / 2 - middle))
        if abs(at + len(label) / 2 - middle) > 2 or not re.search(r"[A-Za-z]{3}", line[:mark.start(1)]):
            return None
        question = (start + len(line) - len(line.lstrip()), start + len(line[:mark.start(1)].rstrip(" .:_-\t")))
        return question, (start + mark.start(1), start + mark.end(1)), _word_reading(label, vocab)
    if len(boxes) < 2 or len(boxes) > len(columns):
        return None
    first = boxes[0].start()
    after = line[boxes[-1].end():]
    if not line[:first].strip() and re.search(r"[A-Za-z]{3}", after) \
            and re.fullmatch(rf"(?:\s*(?:{vocab.checked}|{vocab.unchecked}))+", line[first:boxes[-1].end()]):
        # The boxes before the item, under the header's letters: "  Y  N" over "  [ ][X]  Known
        # allergy to baclofen".
        question = (start + len(line) - len(after.lstrip()), start + len(line.rstrip()))
    elif after.strip() and not re.match(r"[ \t]{2,}\S", after) or not re.search(r"[A-Za-z]{3}", line[:first]) \
            or _LABEL.search(line[first:]):
        # (A remark may follow the boxes after a wide gap: "Hx opioid use disorder / SUD .......
        # [ ] [X]   PDMP clean; EtOH quit 1990s" is No, its remark read as prose.)
        return None
    else:
        question = (start + len(line) - len(line.lstrip()), start + len(line[:first].rstrip(" .:_-\t")))
    checked = [b for b in boxes if re.fullmatch(vocab.checked, b.group(0))]
    if len(checked) != 1:
        return question, (start + first, start + boxes[-1].end()), Reading.NOT_APPLICABLE
    box = checked[0]
    if len(boxes) == len(columns):
        # A box per column, in order: the checked one's place names it, however the boxes drift
        # from the header's letters ("Y   N" over "[X] [ ]" set a column to the right).
        label = columns[[b.start() for b in boxes].index(box.start())][1]
    else:
        middle = (box.start() + box.end()) / 2
        label = min(columns, key=lambda column: abs(column[0] - middle))[1]
    return question, (start + box.start(), start + box.end()), _word_reading(label, vocab)


# A second key with its own leader after a wide gap, inside a value: "NONE       MOTOR STALL .. NONE".
# (Or a colon before an answer word: "PHQ-2 (09/05/24): 1          Suicidal ideation: denies"; a
# colon before anything else may be a label of the line's own, as a signer's "Date: 07/15/2025".)
_NEXT_PAIR = re.compile(r"(?: {3,}|\t+)(?P<key>[A-Za-z(#][A-Za-z0-9 ()#%/&.-]{0,40}?[A-Za-z)])"
                        r"(?:\s*(?:\.{2,}|…+)\s*|[ \t]*:[ \t]+(?=(?:denie[sd]|none|no|yes|negative|positive|normal|"
                        r"absent|present|never)\b))(?P<value>\S)")


def _wrapped_question(text: str, raw: list[tuple[int, str]], i: int, vocab: _Vocabulary
                      ) -> tuple[tuple[tuple[int, int], tuple[int, int], Reading | None], int] | None:
    """The question a line opens and the next closes (its bracket), read as one line, with the
    index of the last line it takes (the answer may stand on the line after): None when the two
    lines hold no question with an answer after the bracket."""
    start, _ = raw[i]
    nxt, part = raw[i + 1]
    if not part.strip() or ")" not in part:
        return None
    joined = text[start:nxt + len(part)].replace("\n", " ")  # same length: offsets still index `text`
    found = _question(joined, start, raw[i + 2:i + 3], vocab, longest=240)
    if found is None or found[1][1] <= found[1][0] or found[1][0] < text.rfind(")", start, nxt + len(part)):
        return None
    return found, i + 2 if found[1][0] > nxt + len(part) else i + 1


# A wide gap inside a question's answer, then words: where a second item on the line may begin.
_ITEM_GAP = re.compile(r"(?: {3,}|\t+)(?=[A-Za-z(])")


def _second_question(line: str, start: int, key_end: int, vocab: _Vocabulary
                     ) -> list[tuple[tuple[int, int], tuple[int, int], Reading | None]] | None:
    """The two items of a line holding a second one after its first's answer, each read as a
    question on its own (the first's boxes may be empty, the line's answer the second's); None when
    the rest is no question with an answer of its own."""
    for gap in _ITEM_GAP.finditer(line, max(0, key_end - start)):
        first = _question(line[:gap.start()], start, [], vocab)
        second = _question(line[gap.end():], start + gap.end(), [], vocab)
        if first is not None and second is not None and first[1][1] > first[1][0] and second[1][1] > second[1][0]:
            return [first, second]
    return None


def _more_pairs(text: str, value: tuple[int, int]) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The pairs in a value, the first with no key: [(key, value), ...], keys as spans."""
    pairs: list[tuple[tuple[int, int], tuple[int, int]]] = []
    key, at = (value[0], value[0]), value[0]
    for match in _NEXT_PAIR.finditer(text, value[0], value[1]):
        pairs.append((key, (at, match.start())))
        key, at = (match.start("key"), match.end("key")), match.start("value")
    pairs.append((key, (at, value[1])))
    return pairs


def _key_value(line: str, start: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
    stripped = line.strip()
    lead = len(line) - len(line.lstrip())
    for pattern in (_KEY_LEADER, _KEY_COLON, _KEY_GAP, _KEY_DASH):
        match = pattern.match(stripped)
        if match is None:
            continue
        key = match.group("key").strip()
        # Dot leaders mark a form's item even when its words run long.
        longest = 14 if pattern is _KEY_LEADER else 8
        # A gloss in brackets does not lengthen a short key: "Item 9 (thoughts of self-harm / better
        # off dead): No" (a longer one is prose: "MAS CHANGE FROM BASELINE (ANY MUSCLE GROUP, ...): 0").
        bare = re.sub(r"\([^()]*\)", " ", key).split()
        too_long = len(bare) > longest or len(bare) > 3 and len(key.split()) > longest
        if too_long or (pattern is _KEY_GAP and _is_table_line(stripped)):
            continue
        if re.fullmatch(r"Q?\d{1,2}[a-z]?[.:)]?", key, re.I):
            continue  # an item's number is no key: "Q13   Current mental disorder ...... Answer: N"
        if _SENTENCE_INSIDE.search(key):
            continue  # "Battery OK, ERI not reached. Rotor study today: ..." is prose, not a key
        if re.fullmatch(r"\([^()]*\)", key) and pattern is not _KEY_LEADER:
            # A wrapped sentence's aside, not a key: "Rotated to tapentadol ER\n(2023-present): NRS
            # 8/10". Leaders make it a form item's wrapped words: "(nicotine excluded) ...... N".
            continue
        if key.count("(") > key.count(")"):
            continue  # a colon inside brackets labels an aside: "MAS, screen #2 (examiner: K. Lind, PT)"
        if pattern is _KEY_LEADER and match.group("bracket_dot") and (":" in key or key.count("(") != key.count(")")):
            continue  # a sentence's close, not a column's key: "injection: ankle ... 09/03/2024). PT 1x/wk"
        if key.count(")") > key.count("(") and pattern is not _KEY_LEADER:
            # The close of an aside the line above opened: "... (August to" / "present): pain still".
            continue
        key_end = lead + match.start("key") + len(match.group("key").rstrip())
        line_end = start + len(line.rstrip())
        if pattern is _KEY_LEADER and not match.group("value").strip(" .…_"):
            # Leaders run to the line's end: the item is unanswered ("D9. Pain diagnosed as
            # psychogenic ........"), its value empty.
            return (start + lead, start + key_end), (line_end, line_end)
        return (start + lead, start + key_end), (start + lead + match.start("value"), line_end)
    return None


def row_period_text(text: str, line: Line) -> str | None:
    """A table row's start and stop cells as "from X to Y", for the duration reader ("Physical
    therapy | 01/2024 | 07/2024 | plateau"); None when the table has no such columns."""
    vocab = vocabulary()
    start = stop = None
    for cell in line.cells:
        if cell.column is None:
            continue
        value = text[cell.start:cell.end]
        if start is None and vocab.start_columns.search(cell.column) and _DATE.search(value):
            start = _DATE.search(value).group(0)  # type: ignore[union-attr]
        elif stop is None and vocab.stop_columns.search(cell.column):
            if _DATE.search(value):
                stop = _DATE.search(value).group(0)  # type: ignore[union-attr]
            elif _ONGOING.match(value):
                stop = "present"
    if start and stop:
        return f"from {start} to {stop}"
    for cell in line.cells:
        # A range in a "Date" column: "2019-2020   PT (post-ORIF, then CRPS protocol)".
        if cell.column is not None and _DATE_COLUMN.search(cell.column) \
                and (span := _YEAR_RANGE.fullmatch(text[cell.start:cell.end].strip())) is not None:
            # (Years alone, read as the first and the last month: the course lay within them. A
            # month on either side, "2022-11/2023", is the duration reader's to read.)
            return f"from 01/{span.group(1)} to 12/{span.group(2)}"
    return None


_DATE_COLUMN = re.compile(r"\b(?:dates?|period|when|years?)\b", re.I)
_YEAR_RANGE = re.compile(r"((?:19|20)\d\d)\s*(?:-|–|to)\s*((?:19|20)\d\d)")


def empty_box_for(text: str, line: Line, offset: int) -> bool:
    """The box that answers for `offset` is empty: "[ ] Psych eval  [X] Imaging" asserts nothing
    of the psych eval. Where the line's boxes follow their options ("cancer pain ( )  non-cancer
    pain (X)  spasticity ( )"), an option's box is the next one after it."""
    empty = _box_patterns()[1]
    boxes = _boxes(text, line.start, line.end)
    if boxes and _boxes_follow(text, line, boxes):
        after = [box for at, box in boxes if at >= offset]
        return bool(after) and empty.fullmatch(after[0]) is not None
    before = [box for at, box in boxes if at < offset]
    return bool(before) and empty.fullmatch(before[-1]) is not None


def options_unanswered(text: str, line: Line, offset: int) -> bool:
    """The mention is an item offered its answers on the line after it, none ticked: "CBT --
    [ ] completed  [ ] in progress  [ ] not started" says nothing of the CBT."""
    empty = _box_patterns()[1]
    boxes = _boxes(text, line.start, line.end)
    after = [box for at, box in boxes if at > offset]
    return len(after) >= 2 and len(after) == len(boxes) and all(empty.fullmatch(box) for box in after)


def _boxes_follow(text: str, line: Line, boxes: list[tuple[int, str]]) -> bool:
    """Three or more boxes, the line ending in one and words before the first."""
    at, box = boxes[-1]
    ends_in_box = at + len(box) >= len(text[:line.end].rstrip())
    # "Indication:  [ ] Cancer pain  [X] Non-cancer pain ... Other: [ ]": the first box opens the
    # answers, its options follow it.
    before_first = text[line.start:boxes[0][0]].rsplit(":", 1)[-1]
    return len(boxes) >= 3 and ends_in_box and bool(re.search(r"[A-Za-z]", before_first))


def _boxes(text: str, start: int, end: int) -> list[tuple[int, str]]:
    # Most lines have no box at all; a line's mentions share one scan of it.
    return [(start + at, box) for at, box in _boxes_in(text[start:end])]


@lru_cache(maxsize=2048)
def _boxes_in(line: str) -> tuple[tuple[int, str], ...]:
    if not _BOX_CHARS.search(line):
        return ()
    return tuple((m.start(), m.group(0)) for m in _box_patterns()[0].finditer(line))


_BOX_CHARS = re.compile(r"[\[(☒☑■✓✔✗✘☐□]")


def box_pattern() -> str:
    """An answer box, ticked or not, as the vocabulary writes it (for patterns built elsewhere)."""
    vocab = vocabulary()
    return f"(?:{vocab.checked}|{vocab.unchecked})"


@cache
def _box_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    return re.compile(box_pattern()), re.compile(vocabulary().unchecked)


def in_vital_column(line: Line, offset: int) -> bool:
    """The offset lies in a table cell under a vital-sign or lab column."""
    column = line.column_of(offset)
    return column is not None and bool(vocabulary().vital_columns.match(column))


# ...or a denial on each visit's column: "SI/HI    denies    denies".
_NOTHING_CELL = re.compile(r"(?:0+(?:\.0+)?|none|nil|no|neg(?:ative)?|denie[sd]|"
                           r"none (?:reported|to date|yet|so far|on file|documented))"
                           r"(?:\s+(?:since|as of)\s+[\d/.-]+)?", re.I)
_DASH_CELL = re.compile(r"[-–—]+")


def row_answer(text: str, line: Line, offset: int) -> Reading | None:
    """How a table row answers the label in its first cell, where `offset` lies: NO when another
    cell reads normal ("SUB Substance Abuse | 45T | Within normal limits"), NOT_APPLICABLE when
    every other cell is empty or an unticked box ("| Psych clearance on file | [ ] |"), else None."""
    if line.kind is not Kind.TABLE_ROW or not line.cells or not line.cells[0].start <= offset < line.cells[0].end:
        return None
    vocab = vocabulary()
    others = [text[cell.start:cell.end] for cell in line.cells[1:]]
    if any(vocab.normal_cell.match(value) for value in others):
        return Reading.NO
    # Every cell zero or none: the label's finding was scored absent ("PHQ-9 item 9 (self-harm) | 0 | 0"),
    # a dash beside a value that reads none ("Alarm log     -     none since 03/2022") too.
    values = [value.strip() for value in others if value.strip()]
    filled = [value for value in values if not _DASH_CELL.fullmatch(value)]
    if filled and all(_NOTHING_CELL.fullmatch(value) for value in filled):
        return Reading.NO
    rest = text[line.cells[0].end:line.end]
    boxes, empty = _box_patterns()
    if any(vocab.pending.match(value.strip()) for value in others) \
            and all(empty.fullmatch(box) for box in boxes.findall(rest)):
        # A checklist's status told in words beside its empty box, no box ticked: "Oral antispasmodic
        # trial >= 6 wks | [ ] PENDING | outside records NOT RECEIVED" is still to come.
        return Reading.PENDING
    unticked = re.sub(vocab.unchecked, "", rest)
    if _BOXED_NO.fullmatch(unticked):
        return Reading.NO  # "10. Opioid addiction    [ ]   [N]": the box under N marked with its letter
    return Reading.NOT_APPLICABLE if unticked != rest and not re.sub(r"[\s|+_*-]", "", unticked) else None


_BOXED_NO = re.compile(r"[\s|]*[\[(]\s*(?:n|no)\s*[\])][\s|]*", re.I)


# A later cell that opens by saying the row's treatment was turned down or never given, and says
# no more of it than why: "04/2024 | PT re-referral | pt declined -- 'made it worse last time'".
# Not a refusal of something further ("declined further titration": the drug was taken).
_REFUSED_CELL = re.compile(r"\s*(?:(?:the\s+)?(?:pt|patient|he|she)\s+)?(?:declined|declines|refused|refuses|"
                           r"not (?:done|performed|started|scheduled|attended|given)|never (?:scheduled|started|"
                           r"attended|done|went|given)|cancell?ed|no[- ]show)"
                           r"(?=\s*(?:$|[-–—;,.:(\"]|by\b|it\b|this\b|that\b|them\b|referral\b|again\b))", re.I)
_CELL_DONE = re.compile(r"\b(?:completed?|attended|finished|\d+\s*(?:/|of)\s*\d+\s*(?:visits|sessions)|"
                        r"\d+\s*(?:visits|sessions))\b", re.I)


def row_refused(text: str, line: Line, offset: int) -> bool:
    """A table row whose treatment, named in the cell at `offset`, a later cell says was turned
    down or never given: the name there is what was offered, not care received."""
    if line.kind is not Kind.TABLE_ROW or not line.cells:
        return False
    at = next((i for i, cell in enumerate(line.cells) if cell.start <= offset < cell.end), None)
    if at is None:
        return False
    later = [text[cell.start:cell.end] for cell in line.cells[at + 1:]]
    return any(_REFUSED_CELL.match(value) for value in later) and not any(_CELL_DONE.search(value) for value in later)


def measurement_before(text: str, line: Line, offset: int) -> bool:
    """A vital sign's or a score's label just before `offset` ("lowest SpO2 94%"), or at the head
    of its table row ("PHQ-9    8    4    (50% reduction)"): the number there is that measurement."""
    vocab = vocabulary()
    if line.kind is Kind.TABLE_ROW and vocab.percent_row.match(text, line.start, line.end):
        return True
    return bool(vocab.percent_labels.search(text, max(0, offset - 40), offset))


def measures_another(text: str, start: int, end: int) -> bool:
    """The percentage at `start:end` is said of what the trial improved besides the pain: "sleep
    ~50% better", "a 50% improvement in walking distance"."""
    vocab = vocabulary()
    return bool(vocab.measure_before.search(text, max(0, start - 40), start) or vocab.measure_after.match(text, end)
                or _SATURATION_BEFORE.search(text, max(0, start - 80), start))


# A saturation's range in words: "Oxygen saturations stayed between ninety five and ninety eight
# percent" (no other percentage between).
_SATURATION_BEFORE = re.compile(r"\b(?:(?:oxygen |o2 )?saturations?|sats|spo2|pulse ox\w*)\b"
                                r"(?:(?!relief|pain|better|improv|reduc)[^.;,%\n]){0,60}$", re.I)


# The status of an open order or referral, told beside its unticked box.
_ORDER_STATUS = re.compile(r"\b(?:referral sent|referred|scheduled|booked|pending|ordered|requested|awaiting|"
                           r"not yet (?:seen|done|completed|received|scheduled)|on hold)\b", re.I)
# An item runs on over its indented lines.
_ITEM_RUNS_ON = re.compile(r"(?:\n[ \t]+[^\s\[][^\n]*)*")


def _item_end(text: str, line_end: int) -> int:
    more = _ITEM_RUNS_ON.match(text, line_end)
    return more.end() if more else line_end


def open_item(text: str, line: Line) -> bool:
    """A checklist's unticked item whose own lines say it is ordered or awaited: "[ ] Psychological
    evaluation / clearance for IDDS" over "status: PENDING - intake scheduled 06/27/2024" is still
    to come, not merely left blank."""
    lead = len(text[line.start:line.end]) - len(text[line.start:line.end].lstrip())
    opened = _box_patterns()[1].match(text, line.start + lead)
    more = _own_lines().match(text, line.end)
    return opened is not None and bool(_ORDER_STATUS.search(text, opened.end(), more.end() if more else line.end))


@cache
def _own_lines() -> re.Pattern[str]:
    """An item's own lines: at most two indented lines under it, none opening another item (the
    vocabulary's box, a bullet or a number)."""
    return re.compile(rf"(?:\n[ \t]+(?!{box_pattern()}|[•*-]|\d{{1,2}}[.)])\S[^\n]*){{0,2}}")


_FIELD_GAP = re.compile(r"[ \t]{3,}|\t")


# A form's "(circle one)" line: "Indication for the pump (circle):   CANCER PAIN  /  non-cancer pain
# /  spasticity". The option circled comes through a fax or a transcription as the one in capitals.
_CIRCLE_LINE = re.compile(r"\((?:circle|underline|select)(?: one| all that apply)?\)[ \t]*:?[ \t]*(?P<options>[^\n]+)",
                          re.I)
_OPTION_SEPARATOR = re.compile(r"[ \t]*[/|][ \t]*")


def _mask_uncircled(text: str) -> str:
    """The text with the options a "(circle)" line left uncircled blanked (same length): among
    options in lower case, the one in capitals is the answer."""
    chars: list[str] | None = None
    for line in _CIRCLE_LINE.finditer(text):
        at = line.start("options")
        bounds, start = [], at
        for sep in _OPTION_SEPARATOR.finditer(text, at, line.end()):
            bounds.append((start, sep.start()))
            start = sep.end()
        bounds.append((start, line.end()))
        words = [text[a:b] for a, b in bounds]
        circled = [w.strip() != "" and w.upper() == w and any(c.isalpha() for c in w) for w in words]
        if len(words) < 2 or not any(circled) or not all(c or any(ch.islower() for ch in w)
                                                        for c, w in zip(circled, words, strict=True)) \
                or all(circled):
            continue
        chars = chars if chars is not None else list(text)
        for (a, b), chosen in zip(bounds, circled, strict=True):
            if not chosen:
                chars[a:b] = " " * (b - a)
    return text if chars is None else "".join(chars)


def mask_unticked(text: str) -> str:
    """The text with each unticked option blanked (same length), from its box to the next box or
    the line's end, so that "[ ] < 3 mo   [X] >= 6 mo" reads only ">= 6 mo"; and with a "(circle)"
    line's uncircled options blanked."""
    text = _mask_uncircled(text)
    boxes, unticked = _box_patterns()
    if not unticked.search(text):
        return text
    chars = list(text)
    box_ends = {b.end() for b in boxes.finditer(text)}
    for m in unticked.finditer(text):
        following = boxes.search(text, m.end())
        line_end = text.find("\n", m.end())
        end = min(x for x in (following.start() if following else len(text),
                              line_end if line_end != -1 else len(text)))
        lead = len(text[:m.start()]) - len(text[:m.start()].rstrip(" \t"))
        line_start = text.rfind("\n", 0, m.start()) + 1
        # (The box alone on its line, the next box on a later line.)
        if not text[line_start:m.start()].strip() and (following is None or following.start() > end):
            if _ORDER_STATUS.search(text, m.end(), _item_end(text, end)):
                # A checklist's open item, its own status told ("[ ] Pre-implant psychological
                # evaluation -- referral sent 03/12/2024 ... status: SCHEDULED, not yet seen"), is an
                # order still open: its words are read (an empty box affirms nothing of them).
                continue
        if m.start() - lead in box_ends:
            # A bare box beside another, a grid's answer under its column: "[X][ ]  Known allergy to
            # baclofen" under "Y  N". The words after the boxes are the item's, no option's.
            end = m.end()
        elif text[line_start:m.start()].strip() and (field := _FIELD_GAP.search(text, m.end(), end)) is not None \
                and text[m.end():field.start()].strip():
            # An answer's option ends at the wide gap after its word: "[X] Yes  [ ] No    dates: 2022"
            # (the dates are the item's field, not the unticked "No").
            end = field.start()
        for k in range(m.start(), end):
            chars[k] = " "
    return "".join(chars)


def mask_vitals(text: str, line: Line, start: int, end: int) -> str:
    """text[start:end] with the cells under vital-sign and lab columns blanked (same length), so
    that SpO2 97% or BMI 31 in a monitoring table is never read as pain relief."""
    vocab = vocabulary()
    chars = list(text[start:end])
    for cell in line.cells:
        if cell.column and vocab.vital_columns.match(cell.column):
            for k in range(max(cell.start, start), min(cell.end, end)):
                chars[k - start] = " "
    return "".join(chars)
