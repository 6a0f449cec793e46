"""Deterministic parsers for the numbers clinicians write: percents, pain and Ashworth scores,
durations, dates and life expectancy. Each returns the value and the span it came from."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "eighteen": 18, "twenty": 20, "twenty-four": 24, "thirty": 30,
    "several": 3, "few": 2, "couple": 2, "half": 0.5,
}
_WORD_NUM = "|".join(sorted(map(re.escape, NUMBER_WORDS), key=len, reverse=True))
# Digits may follow "x" ("x6 weeks"); number words must stand alone ("a" inside "data" is no number).
_NUM = rf"(?:(?<![\d.])\d+(?:\.\d+)?|\b(?:{_WORD_NUM})\b)"
UNIT_DAYS = {"day": 1.0, "week": 7.0, "month": 30.4375, "year": 365.25}
_UNIT = r"(?:days?|d|w(?:ee)?ks?|weeks?|mo(?:nth)?s?|months?|y(?:ea)?rs?|years?)"


@dataclass(frozen=True)
class Parsed:
    value: float
    unit: str | None
    start: int
    end: int
    # The amount is a bound from above ("under six months"): its denial states the bound reached.
    below: bool = False


def number(text: str) -> float | None:
    text = text.strip().lower()
    if text in NUMBER_WORDS:
        return float(NUMBER_WORDS[text])
    try:
        return float(text)
    except ValueError:
        return None


def unit_name(raw: str) -> str:
    raw = raw.lower()
    if raw.startswith("d"):
        return "day"
    if raw.startswith("w"):
        return "week"
    if raw.startswith("m"):
        return "month"
    return "year"


# -- percent improvement -------------------------------------------------------------------

# Never the tail of a word or number: "Q9   Percent pain relief with trial: 62 %" is 62, not 9.
_PERCENT = re.compile(
    r"(?<![A-Za-z\d.])(?P<lo>\d{1,3}(?:\.\d+)?)\s*(?:-|to)?\s*(?P<hi>\d{1,3})?\s*(?:%|percent|per cent|pct)", re.I
)
_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SPELLED_VALUE = {word: n for n, word in enumerate(_ONES)} | {
    f"{tens}{sep}{one}" if one else tens: 20 + 10 * t + o
    for t, tens in enumerate(_TENS) for o, one in enumerate(["", *(_ONES[1:10])]) for sep in ("-", " ")}
_SPELLED_VALUE["one hundred"] = _SPELLED_VALUE["a hundred"] = 100
# A number in words where it is a score or a percent: dictation's "seventy-five percent", "from
# eight out of ten to two out of ten". Elsewhere ("two weeks", "three to two tablets") it stays.
_SPELLED = re.compile(
    r"\b(?P<n>" + "|".join(sorted(map(re.escape, _SPELLED_VALUE), key=len, reverse=True)) + r")\b"
    r"(?=\s*(?:%|percent\b|per cent\b|out of\b))|(?<=out of )(?P<ten>ten)\b", re.I)


# Pain scores in words, from one to the other: "pain going from nine to three".
_SCORE_WORDS = r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten)"
_SPELLED_SCORES = re.compile(rf"\bfrom (?P<a>{_SCORE_WORDS}) to (?P<b>{_SCORE_WORDS})\b(?!\s*(?:mg|mcg|milligrams?|"
                             r"micrograms?|tablets?|pills?|times|doses?|days?|weeks?|months?|hours?|minutes?)\b)", re.I)
# A share of the pain in words: "roughly a two thirds reduction", "about a third better".
_FRACTION = re.compile(r"\b(?:(?P<two>two)[- ]thirds?|(?P<three>three)[- ]quarters?|(?:a|one)[- ](?P<third>third)|"
                       r"(?:a|one)[- ](?P<quarter>quarter))(?=\s+(?:reduction|relief|improvement|better|less|drop|"
                       r"decrease)\b)", re.I)
# ...or after the word it measures: "she put her overall improvement at roughly one third".
_FRACTION_AFTER = re.compile(r"\b(?:improvement|relief|reduction)\s+(?:at|of|by|was|is|as)\s+"
                             r"(?:(?:roughly|about|approximately|around|maybe|perhaps|only|just|nearly)\s+)?"
                             r"(?:(?P<two>two)[- ]thirds?|(?P<three>three)[- ]quarters?|(?:a|one)[- ](?P<third>third)|"
                             r"(?:a|one)[- ](?P<quarter>quarter))\b(?!\s+(?:past|to|of an? hour|hour))", re.I)


def _in_digits(text: str) -> str:
    """`text` with numbers in words written as digits, padded to the same length so every offset
    still points into the source."""
    def digits(m: re.Match[str]) -> str:
        value = str(_SPELLED_VALUE[m.group("n").lower()]) if m.group("n") else "10"
        return value.ljust(len(m.group(0)))

    def scores(m: re.Match[str]) -> str:
        a, b = (str(_SPELLED_VALUE[m.group(g).lower()]).ljust(len(m.group(g))) for g in ("a", "b"))
        return f"from {a} to {b}"
    return _SPELLED_SCORES.sub(scores, _SPELLED.sub(digits, text))
# (Half of a length is no share: "sitting in the car more than half an hour".)
_MORE_THAN_HALF = re.compile(r"\b(?:(?:more|greater|better) than|over) (?:half|50\s*%)"
                             r"(?!\s+(?:an?|the|of an?)\s+(?:hour|minute|day|week|month|year|mile|block|dose|tablet|pill|mg)s?\b)",
                             re.I)
_HALF = re.compile(r"\b(?:by|in) half\b|\bhalved\b|\bcut (?:\w+ )?in half\b", re.I)
_OF_TEN = r"(?:/\s*10|\s*out of\s+10\b)"
_SCORE_CHANGE = re.compile(
    r"(?P<before>\d{1,2}(?:\.\d)?)\s*" + _OF_TEN + r"?\s*(?:->|→|=>|to|down to|decreas\w* to|improv\w* to)\s*"
    # "from NRS 8 to NRS 5": the scale named again before the second score.
    r"(?:(?-i:NRS|VAS)\s*)?(?P<after>\d{1,2}(?:\.\d)?)\s*" + _OF_TEN + "?",
    re.I,
)


# The score reached before the baseline it is set against: "Lowest daily mean NRS reached 5/10 on
# day 3, against a pre-trial baseline of 8/10".
_SCORE_AGAINST_BASELINE = re.compile(
    r"(?<![\d.])(?P<after>\d{1,2}(?:\.\d)?)\s*/\s*10\b[^.;\n]{0,40}?\b(?:against|compared (?:with|to)|vs\.?|versus|"
    r"relative to|from)\s+(?:a |an |the |her |his |their )?(?:[\w-]+ ){0,2}?(?:baseline|pre-?trial|pre-?procedure|"
    r"starting)\b[^.;\n]{0,15}?(?P<before>\d{1,2}(?:\.\d)?)\s*/\s*10\b", re.I)

# "baseline NRS 8/10; best 5/10 at 6h": the baseline told first, the best after it.
_BASELINE_THEN_BEST = re.compile(
    r"\bbaseline\s+(?:(?:NRS|VAS|pain)\s+(?:of\s+)?(?P<before>\d{1,2})(?:\s*/\s*10)?|(?:of\s+)?(?P<before2>\d{1,2})\s*/\s*10)\s*[;,]\s*(?:best|lowest|nadir|"
    r"peak|minimum)\s+(?:(?:NRS|VAS|pain)\s+)?(?:of\s+)?(?P<after>\d{1,2})(?:\s*/\s*10)?(?!\.?\d)", re.I)
# "3 points off a baseline of 8": the drop in points against the baseline.
_POINTS_OFF_BASELINE = re.compile(
    r"(?<![\d.])(?P<drop>\d{1,2})\s+points?\s+(?:off|below|down from|under)\s+(?:a |the |his |her |their )?baseline"
    r"(?:\s+(?:NRS|VAS|score))?(?:\s+of)?\s+(?P<before>\d{1,2})(?:\s*/\s*10)?(?!\.?\d)", re.I)


_BELOW = re.compile(r"\b(?:below|under|less than|short of|fell short of|falls short of)\s+(?:the\s+|a\s+|our\s+)?"
                    r"(?:\w+\s+)?$|<\s*$", re.I)

_EXPECTED = re.compile(r"\b(?:expect\w*|requir\w*|look(?:s|ing)? for|want(?:s|ed)? to see|need(?:s|ed)?|"
                       r"threshold|criteri(?:on|a)|must (?:show|have|achieve|reach))\s+"
                       r"(?:at least|a minimum of|minimum(?: of)?|>=|≥|of)\s*$", re.I)


# A goal set before the trial, told with its threshold: "Pre-trial goals were documented ...: a
# reduction of pain of at least fifty percent from his baseline".
_GOAL_BEFORE = re.compile(r"\b(?:goals?|targets?|aims?|success criteri\w+|defined as)\b"
                          r"(?:(?!\b(?:met|achieved|reached|exceeded)\b)[^.;]){0,100}?"
                          r"(?:\bat least|>=|≥|\ba minimum of)\s*$", re.I)


def is_expected_share(text: str, start: int) -> bool:
    """The share at `start` is one someone expects or requires, no result: "payers generally
    expect at least 50 percent relief on the trial", "criterion of >= 50%", a goal's "a reduction
    of pain of at least fifty percent"."""
    return bool(_EXPECTED.search(text, max(0, start - 40), start)
                or _GOAL_BEFORE.search(text, max(0, start - 140), start))


_NOT_REACHED = re.compile(r"[^.;]{0,50}?\b(?:was|were|is|has|had|have)\s+not\s+(?:yet\s+)?(?:been\s+)?"
                          r"(?:reached|achieved|met|attained|obtained)\b", re.I)


def percent_improvement(text: str, end: int | None = None) -> Parsed | None:
    """The improvement a sentence reports: a stated percent, "more than half", or the relative
    drop between two 0-10 pain scores ("8/10 -> 3/10" is 62.5%). Ranges take the lower bound.
    With `end`, only what stands before it is read, but the words after it still qualify it ("the
    50% reduction we look for was not reached")."""
    end = len(text) if end is None else end
    text = _in_digits(text)
    best: Parsed | None = None
    for m in _PERCENT.finditer(text, 0, end):
        value = float(m.group("lo"))
        if _BELOW.search(text, max(0, m.start() - 24), m.start()) or _NOT_REACHED.match(text, m.end()):
            # "below the 50% improvement we look for", "the 50% reduction we look for was not
            # reached": less than 50%.
            value -= 1
        elif is_expected_share(text, m.start()):
            continue
        if 0 <= value <= 100:
            parsed = Parsed(value, "percent", m.start(), m.end())
            best = parsed if best is None or parsed.value > best.value else best
    if best is not None:
        return best
    half = _MORE_THAN_HALF.search(text, 0, end)
    if half:
        return Parsed(51.0, "percent", half.start(), half.end())
    half = _HALF.search(text, 0, end)
    if half:
        return Parsed(50.0, "percent", half.start(), half.end())
    for m in _SCORE_CHANGE.finditer(text, 0, end):
        before, after = float(m.group("before")), float(m.group("after"))
        if tone_change(text, m.start(), m.end()):
            continue  # a tone score's drop ("tone fell from 4 to 2 on the Ashworth scale") is no pain relief
        if 0 < before <= 10 and 0 <= after <= 10 and after <= before:
            return Parsed(round((before - after) / before * 100, 1), "percent", m.start(), m.end())
    for m in _SCORE_AGAINST_BASELINE.finditer(text, 0, end):
        before, after = float(m.group("before")), float(m.group("after"))
        if 0 < before <= 10 and after <= before:
            return Parsed(round((before - after) / before * 100, 1), "percent", m.start(), m.end())
    for m in _BASELINE_THEN_BEST.finditer(text, 0, end):
        before, after = float(m.group("before") or m.group("before2")), float(m.group("after"))
        if 0 < before <= 10 and after <= before:
            return Parsed(round((before - after) / before * 100, 1), "percent", m.start(), m.end())
    for m in _POINTS_OFF_BASELINE.finditer(text, 0, end):
        drop, before = float(m.group("drop")), float(m.group("before"))
        if 0 < before <= 10 and drop <= before:
            return Parsed(round(drop / before * 100, 1), "percent", m.start(), m.end())
    share = _FRACTION.search(text, 0, end) or _FRACTION_AFTER.search(text, 0, end)
    if share:
        value = 66.7 if share.group("two") else 75.0 if share.group("three") else 33.3 if share.group("third") else 25.0
        return Parsed(value, "percent", share.start(), share.end())
    return None


# Scales of tone, whose scores are not pain scores.
_TONE_SCALE = re.compile(r"\b(?:ashworth|(?-i:MAS)|tone|tardieu|penn spasm)\b", re.I)
_PAIN_WORD = re.compile(r"\b(?:pain|(?-i:NRS|VAS)|relief)\b", re.I)


def tone_change(text: str, start: int, end: int) -> bool:
    """The change at start:end is a tone score's: a tone word names it just before, with no pain
    word between ("adductor tone fell from 4 to 2"), or just after ("from 4 to 2 on the Ashworth
    scale"). "Her tone decreased and her pain went from 8 to 2" is pain."""
    before = text[max(0, start - 60):start]
    tone = list(_TONE_SCALE.finditer(before))
    if tone and not _PAIN_WORD.search(before, tone[-1].end()):
        return True
    after = re.split(r"[;,.]|\band\b", text[end:end + 25], maxsplit=1)[0]
    return bool(_TONE_SCALE.search(after))


# -- Ashworth ------------------------------------------------------------------------------

# A score, or a mean of scores ("mean LE MAS fell from 3.0 to 1.6"); never the tail of a number.
_MAS_SCORE = r"(?<![\d.])(?P<{name}>[0-4](?:\s*\+|\.\d{{1,2}})?)(?![\d.]\d)"
_ASHWORTH_CHANGE = re.compile(
    # "decreased by 1 to 2 points" is a range of drops, not a score before and after.
    # Nor are times: "unchanged at 2, 4 and 6 hours".
    r"(?<!\bby )(?<!\bat )" + _MAS_SCORE.format(name="before")
    + r"\s*(?:/\s*4)?\s*(?:->|→|=>|to|down to|decreas\w*(?: to)?|improv\w* to|reduc\w* to|and|,)\s*"
    + r"(?:a\s+)?(?:MAS\s+(?:of\s+)?)?" + _MAS_SCORE.format(name="after")
    # Nor a range of drops: "a 1.5 to 2 point fall".
    + r"(?!\s*(?:mg|mcg|%|/10|h\b|hrs?\b|hours?\b|min\b|minutes?\b)|\s*(?:,|and)\s*\d+\s*(?:h\b|hrs?\b|hours?\b)"
    + r"|[\s-]*(?:points?|pts?\b|grades?)\b)",
    re.I,
)
# "a 2-point drop", "improved by 1 to 2 grades" (a range of drops is at least its low end).
_ASHWORTH_POINTS = re.compile(
    # ...but not the scale's own size: "Ashworth Scale, original 5-point version".
    # (Its unit follows it closely: a flowsheet's "1600   --   --    PT unavailable" is a time, then
    # a therapist.)
    rf"(?:(?P<lo>{_NUM})\s*(?:-|–|to)\s*)?(?P<n>{_NUM})[ \t]{{0,2}}-?[ \t]{{0,2}}(?:\+\s*)?(?:points?|pts?\.?|grades?)(?![a-z])"
    r"(?!\s+(?:version|scale|system|ordinal|rating))"
    r"(?:\s+(?:(?-i:MAS)\s+|(?:modified\s+)?ashworth\s+)?(?:drop|decrease|reduction|improvement))?", re.I
)
_ASHWORTH_SINGLE = re.compile(r"(?:ashworth|MAS)\D{0,25}?" + _MAS_SCORE.format(name="score"), re.I)


# When a reading was taken, around a trial: a sentence, a list line or a table column.
# A side a column may be scored for, before its time point ("R pre   R 4 h   L pre   L 4 h").
SIDE = r"(?:R|L|Rt|Lt|right|left)"
PRE_TRIAL = re.compile(r"\b(?:baseline|pre[- ]?(?:trial|injection|bolus|procedure|test|dose)?|prior to|before)\b",
                       re.I)
POST_TRIAL = re.compile(
    r"\b(?:post[- ]?(?:trial|injection|bolus|procedure|test|dose)?|after|following|at \d+ ?(?:h|hours?|hrs?))\b"
    # A time point opening a list line, table row or column: "  4 h   2/10", "T+6h 3/10", "+2 h 11:15",
    # its side first in a column scored by side ("R pre   R 4 h   L pre   L 4 h").
    rf"|(?m:^[ \t>*-]*(?:{SIDE}\s+)?(?:T\s*)?\+?\s*\d{{1,2}}(?:\.\d)?\s*(?:h|hrs?|hours?|min|minutes|wks?|weeks?)\b)",
    re.I
)


def ashworth_value(raw: str) -> float:
    raw = raw.replace(" ", "")
    if raw.endswith("+"):
        return float(raw[:-1]) + 0.5
    return float(raw)


# No change as large as a threshold: the threshold is no score ("no change of 1 point or more").
_NO_DROP_OF_THRESHOLD = re.compile(
    r"\bno (?:\w+ )?(?:change|reduction|decrease|drop|improvement)\b[^.;]{0,20}?"
    r"(?:(?:\d|one) (?:full )?(?:point|grade)s? or (?:more|greater)|(?:at least|>=|≥) ?(?:\d|one) ?(?:point|grade)s?)"
    # "No muscle group changed by even one Modified Ashworth grade"
    r"|\bno (?:\w+ ){0,3}?(?:changed|improved|dropped|decreased|fell) by (?:even |as much as |so much as )?"
    r"(?:one|1|a) (?:(?:full|whole|single|modified|ashworth|mas)\s+){0,3}(?:point|grade)s?"
    # "Neither dose produced a reduction on the Modified Ashworth Scale", "no reduction in MAS"
    r"|\b(?:no|neither\b[^.;]{0,30}?\b(?:a|any))\s+(?:\w+ )?(?:change|reduction|decrease|drop|improvement)\s+"
    r"(?:on|in) (?:the )?(?:modified )?(?:ashworth|mas\b|tone)"
    # "scores did not fall by a single point", "No change of even one grade was observed"
    r"|\b(?:(?:did|does|do|has|have|had)\s*(?:not|n't)|failed to|never)\s+(?:change|improve|drop|decrease|fall|"
    r"come down|go down|move)\w*\s+(?:by\s+)?(?:even |as much as |so much as )?(?:one|1|a) "
    r"(?:(?:full|whole|single|modified|ashworth|mas)\s+){0,3}(?:point|grade)s?"
    r"|\bno (?:\w+ )?(?:change|reduction|decrease|drop|improvement) (?:of|by) (?:even |as much as |so much as )?"
    r"(?:one|1|a) (?:(?:full|whole|single|modified|ashworth|mas)\s+){0,3}(?:point|grade)s?"
    # "the bolus did not produce a one-point reduction on the scale in any group"
    # "the predefined target of a one-point reduction was not reached"
    r"|\b(?:target|threshold|goal|criterion) of (?:an? )?(?:one|1)[- ](?:point|grade) (?:\w+ )?"
    r"(?:reduction|drop|decrease|change|improvement) (?:was |were )?not (?:reached|achieved|met|seen|obtained)"
    r"|\b(?:(?:did|does|do|has|have|had)\s*(?:not|n't)|failed to|never)\s+(?:produce|achieve|yield|result in|show|"
    r"give|reach|cause|bring about)\w*\s+(?:(?:a|an|any|the)\s+)?(?:(?:one|1|single|full)[- ](?:point|grade)\s+"
    r"(?:change|reduction|decrease|drop|improvement)\b|(?:change|reduction|decrease|drop|improvement)\s+(?:on|in)\s+"
    r"(?:the\s+)?(?:scale|modified ashworth|ashworth|mas\b|tone|grades?))", re.I)
_LESS_THAN_A_POINT = re.compile(r"(?:less than|under|<|not even|short of)\s*(?:one|1|a)\s*(?:full\s*|whole\s*)?point", re.I)


# "same" alone is no result ("assessed by the same PT, same positioning each time").
_UNCHANGED = re.compile(r"\b(?:unchanged|no\s+(?:\w+\s+)?change|did not change|remained|stayed|identical|"
                        r"(?:the )?same (?:(?:\w+ ){0,4}?as|score|scores|before and after|pre and post))\b", re.I)
# A pair joined by "and" or a comma, and the words that make it a before and after.
_PAIRED_SIDES = re.compile(r"\d\+?\s*(?:/\s*4)?\s*(?:and|,)\s*", re.I)
_BEFORE_AFTER = re.compile(r"\b(?:before|after|pre\w*|post\w*|baseline|bolus|dose|trial|screen\w*|peak|hours?|hrs?)\b|"
                           r"\d\s*h\b|->|→|=>", re.I)
_PRE_POST = re.compile(
    r"\bpre\w*\s*[:=]?\s*" + _MAS_SCORE.format(name="before") + r"\D{0,12}?\bpost\w*\s*[:=]?\s*" + _MAS_SCORE.format(name="after"),
    re.I,
)


# Another scale named after the Ashworth mention takes the numbers that follow it: "no change on
# Ashworth, Penn spasm frequency 3 -> 2".
_OTHER_SCALE = re.compile(r"\b(?:penn|spasm (?:frequency|score|count)|tardieu|(?-i:NRS|VAS)|pain|numeric|gmfm|barthel|"
                          r"(?-i:FIM)|goniometr\w*|range of motion|(?-i:ROM))\b", re.I)


def ashworth_drop(text: str) -> Parsed | None:
    """The drop in Ashworth score a sentence reports ("MAS 3 -> 1+" is 1.5 points), read up to
    where another scale is named."""
    other = _OTHER_SCALE.search(text)
    if other is not None and other.start() > 0:
        # ...and from the clause that names it: "looser legs; 1-point decrease in patient-reported
        # Penn spasm frequency" is the Penn score's point.
        clause = max(text.rfind(";", 0, other.start()), text.rfind(",", 0, other.start()))
        text = text[:clause if clause > 0 else other.start()]
    m = _LESS_THAN_A_POINT.search(text)
    if m:
        return Parsed(0.5, "points", m.start(), m.end())
    m = _NO_DROP_OF_THRESHOLD.search(text)
    if m:
        return Parsed(0.0, "points", m.start(), m.end())  # "no change of 1 point or more on MAS"
    m = _PRE_POST.search(text)
    if m:
        drop = ashworth_value(m.group("before")) - ashworth_value(m.group("after"))
        return Parsed(drop, "points", m.start(), m.end())
    # "unchanged" reads as no drop only when nothing in the sentence states one ("MAS decreased
    # by 2 points at the hips; UE unchanged").
    # (A drop denied is none stated: "unchanged in every muscle group; no group improved by one grade".)
    stated = [p for p in _ASHWORTH_POINTS.finditer(text)
              if not _NONE_DROPPED.search(text, max(0, p.start() - 50), p.start())]
    m = _UNCHANGED.search(text)
    if m and not _ASHWORTH_CHANGE.search(text) and not stated:
        return Parsed(0.0, "points", m.start(), m.end())
    m = _ASHWORTH_CHANGE.search(text)
    if m and _PAIRED_SIDES.search(m.group(0)) and not _BEFORE_AFTER.search(text):
        # "hip adductors 3 and 3, knee extensors 3 right and 2 left": the two sides of one
        # examination, not a score before and after a dose.
        m = None
    if m:
        drop = ashworth_value(m.group("before")) - ashworth_value(m.group("after"))
        # A rise written "3 to 4" beside no word of change is one exam's range: "Modified Ashworth 3
        # hip adductors, 3 to 4 hamstrings" (a trial that raised tone says so: "increased to 4").
        if not (drop < 0 and re.fullmatch(r"\s*(?:to|-|–)\s*", text[m.end("before"):m.start("after")])):
            return Parsed(drop, "points", m.start(), m.end())
    for m in stated:
        if _THRESHOLD_BEFORE.search(text, max(0, m.start() - 12), m.start()) and _THRESHOLD_MISSED.search(text, m.end()):
            # A criterion's threshold the line says was missed: "(>= 1 pt MAS drop) ..... NOT
            # ACHIEVED". Met, it is the result: "Trial: positive (>= 1 point Ashworth drop)".
            continue
        if _THRESHOLD_NAMED.match(text, m.end()) and _FALLS_SHORT.search(text, max(0, m.start() - 40), m.start()):
            continue  # "the test does not reach the one-point threshold": no drop of one point
        value = number(m.group("lo") or m.group("n"))
        if value is not None and value <= 4:  # the scale runs 0-4: no drop is larger
            return Parsed(value, "points", m.start(), m.end())
    m = _LABELLED_CHANGE.search(text)
    if m:
        return Parsed(abs(float(m.group("n"))), "points", m.start(), m.end())
    return None


# A criterion's notation, not a result's qualifier ("decreased by at least 1 point" is a result).
_THRESHOLD_MISSED = re.compile(r"\b(?:not (?:achieved|met|reached|seen|observed|obtained)|negative|failed)\b", re.I)
_THRESHOLD_NAMED = re.compile(r"\s*(?:threshold|cut-?off|criterion|requirement|bar)\b", re.I)
_NONE_DROPPED = re.compile(r"\b(?:no|none of the|not (?:a|one))\s+(?:[\w-]+\s+){0,3}?(?:improved|dropped|decreased|fell|"
                           r"changed|reduced|declined)\s+(?:by\s+)?(?:at least\s+|even\s+)?$", re.I)
_FALLS_SHORT = re.compile(r"\b(?:not|never|fails? to|failed to|short of|below|under)\b[^.;]*$", re.I)
_THRESHOLD_BEFORE = re.compile(r"(?:>=|≥|=>|\brequires?(?: an?)?)\s*$", re.I)
# A printout's labelled result: "MAS CHANGE FROM BASELINE (ANY MUSCLE GROUP): 0", "Tone drop ... 1".
_LABELLED_CHANGE = re.compile(
    r"\b(?:change|drop|reduction|decrease|improvement)\b[^:\n]{0,60}?(?::|\.{3,})\s*-?(?P<n>[0-4](?:\.5)?)\b(?![/.]\d)",
    re.I)


def ashworth_scores(text: str) -> list[Parsed]:
    """Single Ashworth scores in a sentence, for pairing a baseline with a post-trial score."""
    return [Parsed(ashworth_value(m.group("score")), "points", m.start("score"), m.end("score"))
            for m in _ASHWORTH_SINGLE.finditer(text)]


# -- life expectancy -----------------------------------------------------------------------

_QUALIFIER = r"(?:(?P<qual>less than|under|fewer than|<|at most|no more than|at least|more than|greater than|over|>=|>|≥|approximately|about|~)\s*)?"
_LE_RANGE = re.compile(
    # "between six and twelve months" is a range too.
    _QUALIFIER + rf"(?:between\s+)?(?P<lo>{_NUM})\s*(?:(?P<lo_unit>{_UNIT})\s*)?(?:-|–|to|or|(?<=\s)and)\s*(?P<hi>{_NUM})\s*"
    rf"(?P<unit>{_UNIT})\b", re.I
)
_LE_SINGLE = re.compile(_QUALIFIER + rf"(?P<lo>{_NUM})\s*\+?\s*(?P<unit>{_UNIT})\b", re.I)
# A ceiling written after the amount: "six months or less".
_OR_LESS = re.compile(r"\s*(?:or\s+(?:less|fewer|under)|at\s+most|at\s+the\s+most)\b", re.I)
_AND_A_HALF = re.compile(rf"(?P<n>{_NUM})\s+and\s+a\s+half\s+(?P<unit>{_UNIT})\b", re.I)
# Phrases are matched across a wrapped line ("in years rather than\n   months").
_LE_WORDS = [
    # "expects her to live well beyond the next few months": past a few months, not two.
    (re.compile(r"\b(?:beyond|past|more\s+than|longer\s+than|outlive)\s+(?:the\s+)?next\s+few\s+months\b", re.I), 3.5),
    (re.compile(r"\bdays\s+to\s+weeks\b", re.I), 0.25),
    (re.compile(r"\b(?:short\s+)?weeks\s+to\s+(?:a\s+few\s+)?months\b", re.I), 0.5),
    (re.compile(r"\bmonths\s+to\s+years\b", re.I), 6.0),
    (re.compile(r"\b(?:a\s+)?year\s+or\s+(?:more|longer)\b", re.I), 12.0),
    (re.compile(r"\b(?:several|many|a\s+few)\s+months\b", re.I), 3.0),
    (re.compile(r"\b(?:several|many)\s+years\b", re.I), 24.0),
    # "survival measured in years rather than months", "in years, not months"
    (re.compile(r"\b(?:measured\s+)?in\s+years(?:,)?\s+(?:rather\s+than|not)\s+(?:in\s+)?months\b", re.I), 24.0),
    # "expected survival in months rather than weeks": months, as "a few months" is.
    (re.compile(r"\b(?:measured\s+)?in\s+months(?:,)?\s+(?:rather\s+than|not)\s+(?:in\s+)?weeks\b", re.I), 3.0),
    # "survival measured in years", "expects her to live for years", "well over a year ahead of her",
    # "expects her to live well beyond the next year".
    (re.compile(r"\bmeasured\s+in\s+years\b|\b(?:live|survive|survival)\s+(?:of\s+|for\s+)?(?:several\s+|many\s+)?years\b"
                r"|\b(?:well\s+)?(?:over|more\s+than|beyond|past|longer\s+than|in\s+excess\s+of)\s+(?:a|the\s+next)\s+year\b", re.I),
     12.0),
    (re.compile(r"\b(?:hours|days)\s+to\s+days\b|\bimminent|\bactively\s+dying\b", re.I), 0.1),
    (re.compile(r"\bweeks\b", re.I), 0.5),
]


# When the next visit or scan is due is no prognosis: "revisit after restaging in 3 months".
_SCHEDULED = re.compile(
    r"(?:restag\w*|re-?imag\w*|scans?|imaging|follow[- ]?up|f/u|revisit|return\w*|recheck\w*|repeat\w*|"
    r"reassess\w*|re-?evaluat\w*|visit|appointment|see (?:him|her|them|you|the patient)|labs?)"
    r"\W+(?:\w+\W+){0,3}?(?:in|after|within|every)\s+(?:about |approximately |~)?$"
    # ...or in brackets after the visit it times: "prognosis at next visit (3 wk)".
    r"|(?:visit|appointment|follow[- ]?up|f/u|review|restaging|scan)\s*\(\s*(?:in\s+)?(?:about |~)?$", re.I)


# ...nor is a time counted from the diagnosis: "Relapse within two years of diagnosis carries a poor
# outlook".
_SINCE_EVENT = re.compile(r"\s+(?:of|since|from)\s+(?:(?:the|his|her|their|initial|original|first)\s+)*"
                          r"(?:diagnosis|dx|onset|presentation)\b", re.I)


# ...nor how long something has lasted: "durable response on first-line therapy for nearly four years",
# "stable over the past two years".
_LASTED = re.compile(r"(?:\b(?:for|over)\s+(?:the\s+(?:past|last)\s+)?(?:nearly|almost)\s+|\bthe\s+(?:past|last)\s+"
                     r"|\b(?:response|responding|responded|remission|stable|controlled|disease[- ]free|progression[- ]free)\b"
                     r"[^.;]{0,40}?\b(?:for|over)\s+(?:about\s+|over\s+|~)?)$", re.I)


def life_expectancy_months(text: str) -> Parsed | None:
    """Documented life expectancy in months; a range takes its lower bound, "less than N" is
    just under N."""
    m = _AND_A_HALF.search(text)
    whole = number(m.group("n")) if m else None
    if m is not None and whole is not None:  # "five and a half months": not "a half month"
        months = (whole + 0.5) * UNIT_DAYS[unit_name(m.group("unit"))] / UNIT_DAYS["month"]
        return Parsed(round(months, 2), "months", m.start(), m.end())
    for pattern in (_LE_RANGE, _LE_SINGLE):
        m = next((found for found in pattern.finditer(text)
                  if not _SCHEDULED.search(text, max(0, found.start() - 60), found.start())
                  and not _SINCE_EVENT.match(text, found.end())
                  and not _LASTED.search(text, max(0, found.start() - 80), found.start())
                  # "(well beyond) a few months" reads as the phrase, below: a few is no two here.
                  and not (found.group("lo").lower() == "few"
                           and re.search(r"(?:\ba|(?:beyond|past|than|outlive)\s+(?:the\s+)?next)\s+$",
                                         text[:found.start("lo")], re.I))),
                 None)
        value = number(m.group("lo")) if m else None
        if m is None or value is None:
            continue
        # Each end of a range may carry its own unit: "nine months to a year" is nine months.
        unit = m.groupdict().get("lo_unit") or m.group("unit")
        months = value * UNIT_DAYS[unit_name(unit)] / UNIT_DAYS["month"]
        strictly = (m.group("qual") or "").lower() in ("less than", "under", "fewer than", "<")
        below = strictly or (m.group("qual") or "").lower() in ("at most", "no more than") \
            or bool(_OR_LESS.match(text, m.end()))
        if strictly:
            months -= 0.01
        return Parsed(round(months, 2), "months", m.start(), m.end(), below=below)
    for pattern, months in _LE_WORDS:
        m2 = pattern.search(text)
        if m2:
            return Parsed(months, "months", m2.start(), m2.end())
    return None


# -- dates and durations -------------------------------------------------------------------

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
# A year said in words, as dictation types it: "March of twenty twenty two", "May of two thousand nineteen".
_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_YEAR_WORDS = {**{f"two thousand {w}": 2001 + i for i, w in enumerate(_UNITS)},
               **{f"two thousand {w}": 2010 + i for i, w in enumerate(_TEENS)},
               **{f"twenty {w}": 2010 + i for i, w in enumerate(_TEENS)},
               **{f"twenty oh {w}": 2001 + i for i, w in enumerate(_UNITS)},
               "twenty twenty": 2020, **{f"twenty twenty {w}": 2021 + i for i, w in enumerate(_UNITS)}}
_YEAR_WORD_RE = "|".join(w.replace(" ", r"[\s-]+(?:and\s+)?") for w in sorted(_YEAR_WORDS, key=len, reverse=True))
_DATE = re.compile(
    r"(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})\b"
    r"|(?P<iso>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})\b"
    r"|(?P<mo>\d{1,2})/(?P<yo>\d{4})\b"
    # "12 Sep 2024", "3rd March 2025": day first, as Commonwealth and military notes write it; a
    # device printout joins them with hyphens ("09-JUL-2024 13:55", "JUL-2024").
    rf"|\b(?P<dday>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+|-)(?P<dname>{_MONTH_RE})\.?(?:,?\s+|-)(?P<dyear>\d{{4}})\b"
    rf"|\b(?P<mname>{_MONTH_RE})\.?(?:\s+|-)(?:(?P<mday>\d{{1,2}})(?:st|nd|rd|th)?,?\s+)?(?P<myear>\d{{4}})\b"
    rf"|\b(?P<wname>{_MONTH_RE})\s+(?:of\s+)?(?P<wyear>{_YEAR_WORD_RE})\b",
    re.I,
)


# Every date above holds a digit before a slash, four digits in a row (its year) or a year in words: a text with
# neither, as most clauses are, needs no search for the month names.
_DATE_SIGN = re.compile(r"\d(?:/|\d{3})|\b(?:thousand|twenty)\b", re.I)


def parse_dates(text: str) -> list[tuple[dt.date, int, int]]:
    """Every explicit date in the text (month-only dates land on the 1st), with its span. (A new
    list each call: callers extend it.)"""
    return list(_dates_in(text))


# Remembered by text: every kept mention reads the dates of its clause, and a note's mentions share
# their clauses.
@lru_cache(maxsize=1024)
def _dates_in(text: str) -> tuple[tuple[dt.date, int, int], ...]:
    found: list[tuple[dt.date, int, int]] = []
    if not _DATE_SIGN.search(text):
        return ()
    for m in _DATE.finditer(text):
        try:
            if m.group("y"):
                year = int(m.group("y"))
                year = year + 2000 if year < 100 and year < 50 else (year + 1900 if year < 100 else year)
                day = dt.date(year, int(m.group("m")), int(m.group("d")))
            elif m.group("iso"):
                day = dt.date(int(m.group("iso")), int(m.group("im")), int(m.group("id")))
            elif m.group("mo"):
                day = dt.date(int(m.group("yo")), int(m.group("mo")), 1)
            elif m.group("wname"):
                year = _YEAR_WORDS[" ".join(w for w in re.split(r"[\s-]+", m.group("wyear").lower()) if w != "and")]
                day = dt.date(year, _MONTHS[m.group("wname").lower()], 1)
            elif m.group("dname"):
                day = dt.date(int(m.group("dyear")), _MONTHS[m.group("dname").lower()], int(m.group("dday")))
            else:
                month = _MONTHS[m.group("mname").lower()]
                day = dt.date(int(m.group("myear")), month, int(m.group("mday") or 1))
        except ValueError:
            continue
        found.append((day, m.start(), m.end()))
    return tuple(found)


# A month named against the note's year: "in February of this year", "March of last year", "last
# November", "this past May".
_MONTH_OF_YEAR = re.compile(rf"\b(?:(?P<mname>{_MONTH_RE})\.?\s+(?:of\s+)?(?P<which>this|last)\s+year|"
                            rf"(?P<lead>last|this\s+past)\s+(?P<lname>{_MONTH_RE}))\b", re.I)


def month_dates(text: str, anchor: dt.date) -> list[tuple[dt.date, int, int]]:
    """The months the text names against the note's year (the 1st of each), with their spans;
    "last November" in a March note is the November before."""
    return list(_months_in(text, anchor))


@lru_cache(maxsize=1024)
def _months_in(text: str, anchor: dt.date) -> tuple[tuple[dt.date, int, int], ...]:
    found = []
    for m in _MONTH_OF_YEAR.finditer(text):
        month = _MONTHS[(m.group("mname") or m.group("lname")).lower()]
        if m.group("which"):
            year = anchor.year - (m.group("which").lower() == "last")
        else:
            year = anchor.year if month < anchor.month else anchor.year - 1
        found.append((dt.date(year, month, 1), m.start(), m.end()))
    return tuple(found)


# "since early 2023", "since at least 2020", "since the spring of 2022", "since ~fall 2023"
_QUALIFIERS = (r"(?:~\s*)?(?:(?:early|late|mid|about|around|approximately|roughly|at least|sometime in|the (?:start|end|beginning|middle|spring|summer|fall|autumn|winter) of|"
               r"the (?:early|late|latter|first|second|last) (?:part|half) of|"
               r"spring|summer|fall|autumn|winter)[\s-]+(?:of\s+)?)*")
_MONTH_ONLY = re.compile(
    # "started by neuro late Aug": who started it may come between.
    rf"\b(?:since|from|starting|began|started|beginning)(?:\s+by\s+(?!(?:the\s+)?(?:end|middle|start)\b)\w+\.?)?"
    rf"\s+{_QUALIFIERS}(?P<mname>{_MONTH_RE})\b(?!\.?\s+\d)(?P<last_year>\s+(?:of\s+)?last\s+year\b)?",
    re.I,
)
_DOSE_CHANGED = re.compile(r"\b(?:increas|decreas|titrat|chang|adjust|rais|lower|reduc|uptitrat|up-titrat)\w*\b"
                           r"[^.;\n]{0,30}?\b(?:on|as of)\s*$", re.I)
_DOCUMENT_DATED = re.compile(r"\b(?:referral|letter|dictated|faxed|signed)\W*(?:of|on|dated)?\W*$", re.I)
_LATE = re.compile(r"\b(?:late|end of)\b", re.I)
_MID = re.compile(r"\b(?:mid|middle of)\b", re.I)
_MONTH_ONLY_DATE = re.compile(rf"^(?:\d{{1,2}}/\d{{4}}|(?:{_MONTH_RE})\.?\s+\d{{4}})$", re.I)
# "since the 2021 revision": a year that dates the event named after it; "since revision (2021)",
# the event named before it.
# "she dates the decline to 2022", "he traces it back to 2021", "going back to at least mid-2023": a
# start as well.
_YEAR = re.compile(rf"\b(?P<prep>in|since|from|during|starting|began|started"
                   rf"|(?:dates|traces)\s+(?:[\w-]+\s+){{0,5}}?(?:back\s+)?to|(?:goes|going|went|dating)\s+back\s+to)"
                   rf"\s+{_QUALIFIERS}"
                   rf"(?P<det>(?:the|her|his|their)\s+)?(?P<event>[a-z][\w-]+\s*\(\s*)?(?P<year>(?:19|20)\d{{2}})\b"
                   rf"(?(event)\s*\)|(?(det)(?=\s+[a-z])))", re.I)
_PAST = re.compile(rf"\b(?:past|last|previous|prior|preceding|(?:that|the|this|a)\s+(?:whole|full|entire))\s+(?:(?P<n>{_NUM})(?:(?<=couple)\s+of)?\s*\+?\s*)?(?P<unit>{_UNIT})\b", re.I)
# "3-4 months" takes its lower bound; "a year and a half" is 1.5 years; "a couple of years" two.
# An age ("a 61-year-old", "61 years old") is no span of treatment.
# "d/t" is "due to", no day; "three times a week" a frequency, no length; so are "every 3-4
# months" and "q3 months" (how often, not how long), and "reassess in 6 wk" (when, not how long).
_SPAN = re.compile(rf"(?<!times )(?<!time )(?<!per )(?<!every )(?<!each )(?<![qQ])(?<![qQ] )(?<![\d.])(?<!\d-)(?<!\d–)(?<!\d to )(?P<n>{_NUM})(?:\s*(?:-|–|to)\s*{_NUM})?(?:(?<=couple)\s+of)?\s*\+?[\s-]*"
                   rf"(?P<unit>{_UNIT})\b(?!/)(?![\s-]*old\b)"
                   r"(?P<and_half> and a half)?(?P<ago>\s+ago)?", re.I)
# When the next step comes, not how long anything lasted: "Reassess in 6 wk", "RTC in 3 months".
_WHEN_NEXT = re.compile(r"\b(?:reassess|recheck|re-check|re-?evaluate|follow[- ]up|f/u|return|rtc|back) in $", re.I)
# "since 03/2022", and "since the injury in 03/2022" / "since her fall on 3/4/22": an event dated.
_ONLY_SINCE = re.compile(r"\b(?:since|ongoing since|continuous(?:ly)? since)\s+"
                         r"(?:(?:the|her|his|their|this)\s+[\w-]+\s+(?:in|on|of)\s+)?\W*$", re.I)
_UNTIL = re.compile(r"^\s*(?:-|–|to|through|until|thru)\s", re.I)
_SINCE = re.compile(rf"\b(?:since|starting|started|beginning|began|from)\s+{_QUALIFIERS}\W*$", re.I)


@dataclass(frozen=True)
class Period:
    """A stretch of time: its length, and its dates when the text anchors it."""

    days: float
    start: dt.date | None
    end: dt.date | None
    span: tuple[int, int]


def _days(n: float, unit: str) -> float:
    return n * UNIT_DAYS[unit_name(unit)]


_MONTH_RANGE = re.compile(
    rf"\b(?P<m1>{_MONTH_RE})\.?\s*(?:-|–|to|through|until|thru)\s*(?P<m2>{_MONTH_RE})\.?,?\s+(?P<y>(?:19|20)\d{{2}})\b", re.I
)


# A range of months with two-digit years, as medication tables write them: "09/23-02/24",
# "8/23-11/23". (Read as month and day, the same months lie between: the length is the same.)
_SHORT_YEAR_RANGE = re.compile(r"(?<![\d/])(?P<m1>0?[1-9]|1[0-2])/(?P<y1>\d{2})\s*[-–]\s*(?P<m2>0?[1-9]|1[0-2])/(?P<y2>\d{2})"
                               r"(?![\d/])")


def _short_year_range(text: str, anchor: dt.date) -> Period | None:
    for m in _SHORT_YEAR_RANGE.finditer(text):
        y1, y2 = 2000 + int(m.group("y1")), 2000 + int(m.group("y2"))
        # (Not two scores out of ten: "pain 5/10-7/10".)
        if y2 > anchor.year or y1 > y2 or y2 - y1 > 5 or m.group("y1") == m.group("y2") == "10":
            continue
        start = dt.date(y1, int(m.group("m1")), 1)
        last = int(m.group("m2"))
        end = min(dt.date(y2, last, calendar.monthrange(y2, last)[1]), anchor)
        if start < end:
            return Period(float((end - start).days), start, end, (m.start(), m.end()))
    return None


def _month_range(text: str) -> Period | None:
    """ "March to September 2022": both months take the year written once, at the end."""
    m = _MONTH_RANGE.search(text)
    if not m:
        return None
    first, last, year = _MONTHS[m.group("m1").lower()], _MONTHS[m.group("m2").lower()], int(m.group("y"))
    start = dt.date(year - 1 if first > last else year, first, 1)
    end = dt.date(year, last, calendar.monthrange(year, last)[1])
    return Period(float((end - start).days), start, end, (m.start(), m.end()))


# A length written as a list item's adjective: "..., AFOs and a 6-week PT block".
# (Not the drug's own: ", an 8-week trial,", "a 9-month history of ...", "a 12-week course".)
_ITEM_LENGTH = re.compile(rf"(?:,|;|\band\b|\bplus\b|&)\s*(?:an? |the |one |two )?(?P<length>{_NUM}-{_UNIT})\s+"
                          r"(?!of\b|(?:trials?|course|history|period|titration|duration|run)\b)[A-Za-z]", re.I)


def others_lengths_blanked(text: str, after: int) -> str:
    """`text` with the lengths of list items after offset `after` blanked: in "tone uncontrolled
    despite oral baclofen 80 mg/day, daily stretching, AFOs and a 6-week PT block" the six weeks
    are the PT block's, not the baclofen's. ("an 8-week trial of baclofen" names its own.)"""
    for found in _ITEM_LENGTH.finditer(text, max(after, 0)):
        start, end = found.span("length")
        text = text[:start] + " " * (end - start) + text[end:]
    return text


_OFF_SINCE = re.compile(r"\boff\s+(?!work\b|and\b|duty\b|school\b|sick\b)(?:[\w/-]+\s+){0,3}?since\s+[^,;.]{0,25}",
                        re.I)
# A course's "none since 2022" ends it there. (Not a limitation's "no shopping since late 2022",
# which began then.)
_NONE_SINCE = re.compile(r"\bnone\s+since\s+(?:early |late |mid-?|about |approx\.? |~)?"
                         r"(?:\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))", re.I)


def ended_since(text: str) -> bool:
    """The sentence dates a course's end by what has not happened since: "PT: none since 2022",
    "off PO opioids since 2017"."""
    return _OFF_SINCE.search(text) is not None or _NONE_SINCE.search(text) is not None


def off_since_blanked(text: str) -> str:
    """"Off PO opioids since 2017" dates the course's end, not a start: blanked (same length) so
    that no stretch is read from it."""
    return _OFF_SINCE.sub(lambda found: " " * len(found.group(0)), text)


def duration(text: str, anchor: dt.date) -> Period | None:
    """The stretch of time a sentence describes, resolved against `anchor` (the note's own
    date, else the service date): "from 01/2025 to 06/2025", "since March 2023", "for the
    past 8 months", "PT x 6 weeks in 2019", "x 6 weeks"."""
    ranged = _month_range(text) or _short_year_range(text, anchor)
    dates = [d for d in parse_dates(text) if d[0] <= anchor]
    # The stretch named first is the one the sentence is about: "From March 2025 through January
    # 2026 ... under continuous care. He attended PT from March through July 2025" is ten months,
    # and "Conservative care over the past twelve months has been continuous: ... 14 PT visits
    # from January to April" is twelve.
    past = _PAST.search(text)
    named = [ranged.span[0]] if ranged is not None else []
    named += [s for _, s, _ in dates]
    if past is not None and named and past.start() < min(named) and past.group("n"):
        n = number(past.group("n"))
        if n is not None:
            days = _days(n, past.group("unit"))
            return Period(days, anchor - dt.timedelta(days=days), anchor, (past.start(), past.end()))
    if ranged is not None and not any(s < ranged.span[0] for _, s, _ in dates):
        return ranged
    first_since = dates and _ONLY_SINCE.search(text[max(0, dates[0][1] - 25):dates[0][1]])
    ends_at = len(dates) > 1 and dates[1][1] - dates[0][2] <= 10 and _UNTIL.search(text[dates[0][2]:dates[1][1] + 1])
    if first_since and not ends_at:
        # "since September 2024 - ..., PT 11/2024-01/2025": the care began then and goes on; a
        # later range in the sentence is a part of it, not its end.
        day, s, e = dates[0]
        return Period(float((anchor - day).days), day, anchor, (s, e))
    if ends_at and dates[1][0] > dates[0][0]:
        # "From March 2025 through January 2026": the first stretch named, not the last date of
        # the text (a part of it, "PT from March through July 2025", may follow).
        pair = [dates[0], dates[1]]
    else:
        pair = [dates[0], dates[-1]] if dates else []
    if len(dates) >= 2 and pair[1][0] > pair[0][0]:
        (first, s, _), (last, ls, e) = pair
        if _MONTH_ONLY_DATE.match(text[ls:e]):
            # "to 06/2025" means through the end of June.
            last = last.replace(day=calendar.monthrange(last.year, last.month)[1])
        return Period(float((last - first).days), first, last, (s, e))
    starts: list[tuple[dt.date, int, int]] = []
    for day, s, e in dates:
        if _SINCE.search(text[max(0, s - 25):s]):
            starts.append((day, s, e))
    for m in _MONTH_ONLY.finditer(text):
        month = _MONTHS[m.group("mname").lower()]
        year = anchor.year if month <= anchor.month and not m.group("last_year") else anchor.year - 1
        # "late Aug" is weeks after the first: four weeks by a September note, not six and a half.
        day_of_month = 21 if _LATE.search(m.group(0)) else 15 if _MID.search(m.group(0)) else 1
        starts.append((min(dt.date(year, month, day_of_month), anchor), m.start(), m.end()))
    points: list[tuple[dt.date, int, int]] = []
    for m in _YEAR.finditer(text):
        # "since late 2023" began in its autumn, not on New Year's Day.
        lead = m.group(0)[:m.start("year") - m.start()]
        day = dt.date(int(m.group("year")), 9 if _LATE.search(lead) else 6 if _MID.search(lead) else 1, 1)
        if day > anchor:
            continue
        if m.group("prep").lower() in ("in", "during"):
            points.append((day, m.start(), m.end()))
        else:
            starts.append((day, m.start(), m.end()))
    if starts:
        day, s, e = min(starts)
        return Period(float((anchor - day).days), day, anchor, (s, e))
    past = _PAST.search(text)
    if past:
        n = number(past.group("n")) if past.group("n") else 1.0
        if n is not None:
            days = _days(n, past.group("unit"))
            return Period(days, anchor - dt.timedelta(days=days), anchor, (past.start(), past.end()))
    lengths: list[tuple[float, int, int]] = []
    for m in _SPAN.finditer(text):
        n = number(m.group("n"))
        if n is None or _WHEN_NEXT.search(text, max(0, m.start() - 14), m.start()):
            continue
        if m.group("and_half"):
            n += 0.5
        if m.group("ago"):
            points.append((anchor - dt.timedelta(days=_days(n, m.group("unit"))), m.start(), m.end()))
        else:
            lengths.append((_days(n, m.group("unit")), m.start(), m.end()))
    # A document's own date dates the document, not a course: "copied fwd from neurosurgery referral
    # 06/2024".
    # ...nor does a dose's change date the course: "increased from 10 mg TID on 05/02/24" (the
    # course began before; how long before is not said).
    points += [d for d in dates if d not in starts and not _DOCUMENT_DATED.search(text, max(0, d[1] - 30), d[1])
               and not _DOSE_CHANGED.search(text, max(0, d[1] - 40), d[1])]
    # A date a course stopped on ends it: "oxycodone ... stopped 08/2023" ran up to then, not since.
    ends = [d for d in points if _ENDED_ON.search(text[max(0, d[1] - 30):d[1]])]
    points = [d for d in points if d not in ends]
    if lengths:
        days, s, e = max(lengths)
        if points:
            day = points[0][0]
            return Period(days, day, day + dt.timedelta(days=days), (s, e))
        if ends:
            day = ends[0][0]
            return Period(days, day - dt.timedelta(days=days), day, (s, e))
        return Period(days, None, None, (s, e))
    if points:
        day, s, e = points[0]
        return Period(float((anchor - day).days), day, anchor, (s, e))
    return None


_ENDED_ON = re.compile(r"\b(?:stopped|discontinued|d/c(?:'?d|ed)?|dc'?d|ended|ceased|tapered off|weaned off|"
                       r"completed|finished)\s+(?:on\s+|in\s+)?$", re.I)


_NOTE_DATE = re.compile(
    # Whole words: "DOS" is no part of "two doses 3/2024".
    r"(?:\b(?:date of (?:service|visit|evaluation|eval\b|exam|consult(?:ation)?|procedure|report|note)|DOS\b|visit date|visit\s*:|"
    r"service date|encounter date|note date|exam date|procedure date|report date|dictated|printed|"
    # A session labels a printout's date ("Session: 09/24/2024"), not a course's count ("CBT 12
    # sessions 10/2023-1/2024").
    # (Not another session's: "Prior session date/time ..... 11/02/2024".)
    r"(?<!last )(?<!previous )(?<!prior )(?<!next )session date|session(?=\s*(?:\.{2,}|…|_{2,}|[:#]))|"
    r"interrogation date|run date|query date|lookup date|search date|arrival\s*:|admission date|"
    r"admit date|date of admission|"
    # A course's summary is written at its discharge: "Start of care: 01/10/2022   Discharge: 03/22/2022".
    r"discharge date|date of discharge|(?<!planned )(?<!expected )(?<!anticipated )discharge(?=\s*[:#]))|"
    # A bare "Date" labels the note only where a line or a wide-spaced field begins with it
    # ("CLINIC NOTE      Date: 01/05/2026"): "Implant date ..... 02/14/2019" and "Date of birth"
    # are other dates.
    # (A "Date of ..." is the labelled kind above, or a date of something else: "Date of birth".)
    r"(?:^|(?<=\S {2})|(?<=\t)|(?<=\|))[ \t]*date(?! of\b)(?:\(s\))?)"
    # ...with its clock time named too: "Session date/time ......... 06/29/2024 21:40".
    r"(?:\s*(?:/|&|and)\s*time)?"
    # A printout's dot leaders or wide spacing between label and date: "VISIT DATE ...... 12/03/2025".
    r"\s*(?:\.{2,}|…+|_{2,})?\s*[:#]?\s*",
    re.I | re.M,
)


def note_date(text: str) -> dt.date | None:
    """The note's own date: a labelled date near the top, else the first date in its header."""
    head = text[:1500]
    for m in _NOTE_DATE.finditer(head):
        dates = parse_dates(head[m.end():m.end() + 40])
        if dates and dates[0][1] < 5:
            return dates[0][0]
    # A summary of a course is written at its end: "Dates of care: 03/07/2022 - 08/16/2022".
    if (course := _COURSE_DATES.search(head)) is not None:
        dates = parse_dates(course.group("span"))
        if len(dates) >= 2:
            return dates[-1][0]
    # Unlabelled, a date counts only on a short header line: "since March 2024" in a
    # sentence of the note is not the note's date.
    for day, s, e in parse_dates(text[:400]):
        line_start = text.rfind("\n", 0, s) + 1
        line_end = text.find("\n", e)
        line = text[line_start:line_end if line_end != -1 else len(text)]
        others = (line[:s - line_start] + " " + line[e - line_start:]).split()
        # A date of birth is no note's date, however far its label ("DOB ........ 09/02/1954").
        # Nor is an implant's, an injury's or an onset's ("Implant date ....... 02/14/2019").
        if re.search(r"DOB|D\.O\.B|birth|born|implant|injur|onset|surgery|expir|since", line[:s - line_start], re.I):
            continue
        if len(others) <= 4:
            return day
        if text.count("\n", 0, line_start) < 3 and _CLOCK_TIME.fullmatch(line[e - line_start:]) and len(others) <= 12 \
                and _NOTE_KIND_BEFORE.search(line[:s - line_start]):
            # A title line ending in its date: "CEDAR RIDGE SPINE & PAIN - Follow-up visit 06/24/2024",
            # "*** CORVANT NEURO  CP-7 SESSION SUMMARY ***      09-JUL-2024 13:55".
            return day
    return None


_COURSE_DATES = re.compile(r"(?<!requested )\b(?:dates? of (?:care|treatment)|episode of care|treatment period|"
                           r"period of care)\s*[:.]+\s*(?P<span>[^\n]{6,40}?\s*(?:-|–|to|through|thru)\s*[^\n]{6,12})",
                           re.I)


# ...the date right after the note's kind: "Follow-up visit 06/24/2024", not "operative report from
# lumbar fusion 03/14/2019" nor "next refill due 11/15/2025".
_NOTE_KIND_BEFORE = re.compile(r"\b(?:visit|follow-?up|f/u|note|consult(?:ation)?|evaluation|encounter|progress|"
                               r"report|summary|letter|assessment)\s*(?:[*=#]+\s*)?(?:[:,\-–—]|dated|on)?\s*$", re.I)
# Nothing after a title line's date but, perhaps, its time.
_CLOCK_TIME = re.compile(r"\s*(?:\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?\s*)?", re.I)


# -- drugs -----------------------------------------------------------------------------------

# Brand and generic names of what an intrathecal pump infuses, to one generic name each.
_DRUGS = {
    "morphine": ("morphine", "infumorph", "duramorph", "mitigo"),
    "hydromorphone": ("hydromorphone", "dilaudid"),
    "fentanyl": ("fentanyl",),
    "sufentanil": ("sufentanil",),
    "ziconotide": ("ziconotide", "prialt"),
    "bupivacaine": ("bupivacaine", "marcaine"),
    "clonidine": ("clonidine",),
    "baclofen": ("baclofen", "lioresal", "gablofen"),
}
_DRUG_NAMES = {name: generic for generic, names in _DRUGS.items() for name in names}
_DRUG = re.compile(r"\b(" + "|".join(sorted(_DRUG_NAMES, key=len, reverse=True)) + r")\b", re.I)


def drug_name(text: str) -> str | None:
    """The generic name of the first intrathecal drug named in `text` ("Dilaudid" -> hydromorphone)."""
    m = _DRUG.search(text)
    return _DRUG_NAMES[m.group(1).lower()] if m else None
