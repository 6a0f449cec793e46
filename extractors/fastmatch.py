r"""Case-insensitive rule patterns run fast, with exactly the matches of `re.I` on the text.

Python's `re` checks every position of the text for every pattern, and under `re.I` it cannot
use its quick first-character tests, so 75 patterns over a 3,000-word note cost most of the
extraction time. Two things make that cheaper without changing a single match:

- A *folded* copy of the text (ASCII capitals lowered, and the four characters `re.I` equates
  with ASCII letters mapped to them), the same length as the text, so offsets carry over.
  Each pattern gets a *fast* form without `re.I`: its letters lowered, `(?-i:...)` opened up,
  and any negative lookaround over case-sensitive text dropped. The fast form matches wherever
  the exact one does (it may match more), so its hits are the only places the exact pattern
  is tried, in order, as `finditer` would.
- *Required literals*: text that any match must contain (one of "cbt", "cognitive",
  "psychotherapy"...). A match holding a literal found at offset h starts within the
  pattern's longest possible width before it, so only those windows are searched. The width
  is the pattern's, with each unbounded run of one character class (`\w+`, `\s*`) bounded
  by that class's longest run in this text; a pattern with no bound is searched whole. A
  pattern that opens on lookbehinds each holding a literal ("(?<=recommend )") can only match
  right after one of them, so when those are rarer it is searched just there.

A cased non-ASCII letter ("µ", "ï") is read as the characters the folded text holds where
the text has one `re.I` equates with it ("µ" or "μ" for µ, μ and Μ), found once per letter
over every code point. Patterns this cannot reason about (backreferences, conditionals,
scoped flags other than `(?-i:`) simply run as `re.I` patterns.
"""

from __future__ import annotations

import heapq
import itertools
import math
import re
import sys
from collections.abc import Callable, Iterator
from functools import cached_property, lru_cache

# The standard library's own regex parser and compiler (private, and not in typeshed): reading a
# pattern's structure with them is safer than parsing regex syntax a second time here.
from re import _compiler, _parser  # type: ignore[attr-defined]
from re import _constants as C  # type: ignore[attr-defined]  # noqa: N812

import ahocorasick
import numpy

# Every non-ASCII character that `re.I` equates with an ASCII letter, found exhaustively over
# all code points (tests/extractors/test_fastmatch.py checks it stays so).
_ASCII_FOLDS = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
_TO_ASCII = str.maketrans(_ASCII_FOLDS)
# Shortest literal worth looking for: single characters are everywhere.
_MIN_REQUIRED = 2


def fold(text: str) -> str:
    """The text as the fast patterns read it: same length, same offsets."""
    # Four `in` tests cost less than a regex pass over the note (fold runs on every note).
    if not text.isascii() and any(char in text for char in _ASCII_FOLDS):
        text = text.translate(_TO_ASCII)
    # Other letters may lower or not: the fast patterns are ASCII, and lowering keeps a
    # character's class (\w, \s, \d). Only "İ" lowers to two characters, and it is gone.
    folded = text.lower()
    if len(folded) != len(text):  # a future Unicode with another such letter
        folded = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return folded


_BACKREF = re.compile(r"\\[1-9](?![0-9])")


class FoldError(ValueError):
    """The pattern uses syntax the fast form does not handle; it runs exactly instead."""


def _cased_letter(ch: str) -> bool:
    """A non-ASCII letter with another case: `re.I` equates other characters with it."""
    return not ch.isascii() and (ch.lower() != ch or ch.upper() != ch)


@lru_cache(maxsize=1)
def _every_character() -> tuple[str, str]:
    """Every code point in order, and its folded copy (built once, in a tenth of a second)."""
    text = numpy.arange(sys.maxunicode + 1, dtype=numpy.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    return text, fold(text)


@lru_cache(maxsize=64)
def _equivalents(letter: str) -> str:
    """The characters the folded text holds where the text has one `re.I` equates with the
    letter ("µμ" for µ: µ, μ and Μ fold to them), found over every code point. The fast form
    reads them for the letter, so no other character may fold to one of them."""
    text, folded = _every_character()
    same = [m.start() for m in re.finditer(re.escape(letter), text, re.I)]
    found = "".join(sorted({folded[i] for i in same}))
    if [m.start() for m in re.finditer(f"[{re.escape(found)}]", folded)] != same:
        raise FoldError(f"the folded text cannot tell {letter!r} from other characters")
    return found


def _variants(literals: frozenset[str]) -> frozenset[str]:
    """The literals as the folded text can hold them: each cased non-ASCII letter as each of its
    `_equivalents` ("µg": "µg", "μg"). A `CASED` one is looked for as written."""
    return frozenset("".join(chars) for literal in literals for chars in itertools.product(
        *(_equivalents(ch) if _cased_letter(ch) and not literal.startswith(CASED) else ch for ch in literal)))


def _group_end(source: str, start: int) -> int:
    """Index just past the group that opens at `source[start] == "("`."""
    depth, i, in_class = 0, start, False
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
        elif ch == "[":
            in_class = True
            if source.startswith("]", i + 1) or source.startswith("^]", i + 1):
                i += 1 if source[i + 1] == "]" else 2
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise FoldError("unbalanced parentheses")


def fast_source(source: str, sensitive: bool = False) -> str:
    """The pattern's fast form: lowered, case-sensitive groups opened, and negative
    lookarounds over case-sensitive text dropped (dropping a "must not" only widens).
    `sensitive` is set inside a `(?-i:...)` group."""
    out: list[str] = []
    i, in_class = 0, False
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            nxt = source[i + 1:i + 2]
            # A backreference ("\\1") reads the folded group it names: where the exact pattern's
            # case-blind one matches, the folded text matches too. Octal escapes are refused.
            if nxt in ("x", "u", "U", "N", "0") or nxt.isdigit() and not _BACKREF.match(source, i):
                raise FoldError(f"escape \\{nxt}")
            if _cased_letter(nxt):  # "\\µ" is "µ", read as a letter below
                i += 1
                continue
            out.append(source[i:i + 2])
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            out.append(ch)
            if source.startswith("^", i + 1):
                out.append("^")
                i += 1
            if source.startswith("]", i + 1):
                out.append("]")
                i += 1
            i += 1
            continue
        elif source.startswith("(?", i):
            if source.startswith(("(?!", "(?<!"), i):
                end = _group_end(source, i)
                if sensitive or "(?-i:" in source[i:end]:
                    i = end
                    continue
            elif source.startswith("(?-i:", i):
                end = _group_end(source, i)
                out.append("(?:" + fast_source(source[i + 5:end - 1], sensitive=True) + ")")
                i = end
                continue
            elif not source.startswith(("(?:", "(?=", "(?<="), i):
                raise FoldError(f"group {source[i:i + 4]!r}")
        if _cased_letter(ch):
            out.append(_letter(ch, source, i, in_class, out))
            i += 1
            continue
        out.append(ch.lower())
        i += 1
    return "".join(out)


def _letter(ch: str, source: str, i: int, in_class: bool, out: list[str]) -> str:
    """The fast form of a cased non-ASCII letter at `source[i]`: where the text holds a character
    `re.I` equates with it, the folded text holds one of its `_equivalents`. A range ("[à-ÿ]")
    would span other characters folded, so one that starts or ends on such a letter is refused."""
    same = _equivalents(ch)
    if not in_class:
        return re.escape(same) if len(same) == 1 else f"[{re.escape(same)}]"
    if out[-1] == "-" or source.startswith("-", i + 1) and not source.startswith("-]", i + 1):
        raise FoldError(f"range on {ch!r}")
    return re.escape(same)


# A required literal inside `(?-i:...)` is looked for in the text as written, where it is rare
# ("ER" in capitals, against the "er" of every other word): it is marked with this prefix.
CASED = "\0"


def _char(code: int, sensitive: bool) -> str:
    # Read case-insensitively, as the folded text holds it ("İ" as "i", where lowering gives two).
    return chr(code) if sensitive else fold(chr(code))


def _text(run: list[str], sensitive: bool) -> str:
    return (CASED if sensitive else "") + "".join(run)


def _sensitive(av: tuple, sensitive: bool) -> bool:
    """Whether a group `(?-i:...)` (its flags removed) reads its text case-sensitively."""
    return sensitive or bool(av[2] & C.SRE_FLAG_IGNORECASE)


def _lead(pattern: _parser.SubPattern, sensitive: bool = False) -> str:
    """The literal text every match of the pattern starts with ("" if none)."""
    lead: list[str] = []
    for op, av in pattern.data:
        if op is C.LITERAL:
            lead.append(_char(av, sensitive))
        elif op is C.SUBPATTERN and not lead:
            return _lead(av[3], _sensitive(av, sensitive))
        else:
            break
    return _text(lead, sensitive) if lead else ""


def _required(pattern: _parser.SubPattern, sensitive: bool = False) -> frozenset[str] | None:
    """Literals of which every match contains at least one, or None if none is known; read from
    the pattern parsed case-insensitively, its case-sensitive ones marked `CASED`."""
    options: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in pattern.data:
        if op is C.LITERAL:
            run.append(_char(av, sensitive))
            continue
        found: frozenset[str] | None = None
        if op is C.SUBPATTERN:
            found = _required(av[3], _sensitive(av, sensitive))
        elif op is C.BRANCH:
            alternatives = [_required(alt, sensitive) for alt in av[1]]
            if all(alternatives):
                found = frozenset().union(*alternatives)  # type: ignore[arg-type]
            # `re` factors a common prefix out of alternatives ("no|nka" parses as n(?:o|ka)):
            # put it back on each alternative's own leading text (of the same case reading).
            leads = [_lead(alt, sensitive) for alt in av[1]]
            if run and all(leads) and all(lead.startswith(CASED) == sensitive for lead in leads):
                options.append(frozenset(_text(run, sensitive) + lead.removeprefix(CASED) for lead in leads))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
            found = _required(av[2], sensitive)
        if run:
            options.append(frozenset([_text(run, sensitive)]))
            run = []
        if found:
            options.append(found)
    if run:
        options.append(frozenset([_text(run, sensitive)]))
    if not options:
        return None
    return max(options, key=_rarity)


def _rarity(literals: frozenset[str]) -> tuple[int, int]:
    """How rare a set of literals is, the rarest ranking highest: its shortest literal longest (a
    cased one counts a character more), then the fewest literals."""
    return min(map(len, literals)), -len(literals)


def _behind(pattern: _parser.SubPattern, sensitive: bool = False) -> tuple[frozenset[str], int] | None:
    """(literals, width) when every match starts right after a lookbehind of at most that width
    holding one of the literals: the pattern opens on lookbehinds ("(?<=recommend )", or
    alternatives of them), each with required literals. A match then starts within
    [h + n, h + width] of a literal at h of length n. None otherwise."""
    if not pattern.data:
        return None
    op, av = pattern.data[0]
    if op is C.SUBPATTERN:
        return _behind(av[3], _sensitive(av, sensitive))
    if op is C.BRANCH:
        found = []
        for alternative in av[1]:
            if (one := _behind(alternative, sensitive)) is None:
                return None
            found.append(one)
        return frozenset(lit for literals, _ in found for lit in literals), max(width for _, width in found)
    if op is not C.ASSERT or av[0] != -1:
        return None
    literals = _required(av[1], sensitive)
    if not literals or min(len(lit.removeprefix(CASED)) for lit in literals) < _MIN_REQUIRED:
        return None
    return literals, av[1].getwidth()[1]  # `re` allows only lookbehinds of fixed width


_CATEGORIES = {
    C.CATEGORY_WORD: r"\w", C.CATEGORY_NOT_WORD: r"\W", C.CATEGORY_SPACE: r"\s",
    C.CATEGORY_NOT_SPACE: r"\S", C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D",
}


def _one_character(item: _parser.SubPattern) -> str | None:
    """The item as a character class source ("[\\s:]") if it matches exactly one character."""
    if len(item.data) != 1:
        return None
    op, av = item.data[0]
    if op is C.LITERAL:
        return "[" + re.escape(chr(av)) + "]"
    if op is C.ANY:
        return "[^\\n]"
    if op is not C.IN:
        return None
    parts = []
    for kind, value in av:
        if kind is C.NEGATE:
            parts.append("^")
        elif kind is C.LITERAL:
            parts.append(re.escape(chr(value)))
        elif kind is C.RANGE:
            parts.append(re.escape(chr(value[0])) + "-" + re.escape(chr(value[1])))
        elif kind is C.CATEGORY and value in _CATEGORIES:
            parts.append(_CATEGORIES[value])
        else:
            return None
    return "[" + "".join(parts) + "]"


class FoldedText:
    """A text, its folded copy, and the longest run of each character class in it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded = fold(text)
        self._runs: dict[str, int] = {}
        self._codes: numpy.ndarray | None = None
        self._distinct: set[str] = set()

    def longest_run(self, char_class: str) -> int:
        if char_class not in self._runs:
            self._runs[char_class] = self._longest(char_class)
        return self._runs[char_class]

    def _longest(self, char_class: str) -> int:
        """The longest run of the class, as `re.findall(char_class + "+", folded)` finds it:
        a run is a stretch of characters each in the class. A regex pass per class costs a
        few milliseconds on a long note; a table of the note's distinct characters and one
        array lookup per character cost a tenth of that."""
        if self._codes is None:
            # One number per character (lone surrogates kept as they are), between two of a
            # code past them all, which no class holds: every run then has two edges.
            codes = numpy.frombuffer(self.folded.encode("utf-32-le", "surrogatepass"), dtype=numpy.uint32)
            edge = int(codes.max(initial=0)) + 1
            self._codes = numpy.concatenate(([edge], codes, [edge]))
            self._distinct = set(self.folded)
        members = _members(char_class)
        table = numpy.zeros(int(self._codes[0]) + 1, dtype=bool)
        table[[ord(c) for c in self._distinct if members(c)]] = True
        inside = table.take(self._codes)
        # Where membership changes: each run starts at an even edge and ends at the next one.
        edges = numpy.flatnonzero(inside[1:] != inside[:-1])
        return int((edges[1::2] - edges[0::2]).max()) if len(edges) else 0


@lru_cache(maxsize=256)
def _members(char_class: str) -> Callable[[str], bool]:
    """Whether one character is in the class (remembered per character: notes share them)."""
    pattern = re.compile(char_class)
    return lru_cache(maxsize=4096)(lambda c: pattern.fullmatch(c) is not None)


def _width(pattern: _parser.SubPattern, text: FoldedText) -> float:
    """The most characters a match can span in this text, counting what lookaheads read past
    it; infinite when that has no bound."""
    width: float = 0
    for op, av in pattern.data:
        if op in (C.LITERAL, C.NOT_LITERAL, C.IN, C.ANY):
            width += 1
        elif op is C.AT:
            width += 1  # \b reads the character after it
        elif op in (C.ASSERT, C.ASSERT_NOT):
            width += _width(av[1], text) if av[0] == 1 else 0
        elif op is C.SUBPATTERN:
            width += _width(av[3], text)
        elif op is C.BRANCH:
            width += max(_width(alt, text) for alt in av[1])
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
            low, high, item = av
            if high == 0:
                continue
            if high != C.MAXREPEAT:
                width += high * _width(item, text)
            elif (char_class := _one_character(item)) is not None:
                width += text.longest_run(char_class)
            else:
                return math.inf
        else:
            return math.inf
    return width


def _run_classes(pattern: _parser.SubPattern) -> set[str]:
    """The character classes of the pattern's unbounded one-character repeats."""
    found: set[str] = set()
    for op, av in pattern.data:
        if op in (C.MAX_REPEAT, C.MIN_REPEAT):
            if av[1] == C.MAXREPEAT and (char_class := _one_character(av[2])) is not None:
                found.add(char_class)
            found |= _run_classes(av[2])
        elif op is C.SUBPATTERN:
            found |= _run_classes(av[3])
        elif op is C.BRANCH:
            for alternative in av[1]:
                found |= _run_classes(alternative)
        elif op in (C.ASSERT, C.ASSERT_NOT):
            found |= _run_classes(av[1])
    return found


def _split_top(source: str) -> list[str]:
    """The source cut at each "|" outside any group or character class, looking inside groups
    "(?:...)" that hold the whole pattern."""
    while source.startswith("(?:") and _group_end(source, 0) == len(source):
        source = source[3:-1]
    parts: list[str] = []
    depth, start, i, in_class = 0, 0, 0, False
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if source.startswith("]", i + 1) or source.startswith("^]", i + 1):
                i += 1 if source[i + 1] == "]" else 2
        elif ch in "()":
            depth += 1 if ch == "(" else -1
        elif ch == "|" and depth == 0:
            parts.append(source[start:i])
            start = i + 1
        i += 1
    return parts + [source[start:]]


_GROUP_OPEN = re.compile(r"\((?:\?(?:[:>]|[aiLmsux-]+:|P<\w+>))?")
_LOOKAROUND = re.compile(r"\(\?<?[=!]")
_SPACE_OPEN = re.compile(r" |\\[snt]|\[[ \\nst]+\]")


def opens_on_space(source: str) -> bool:
    """Whether some alternative of the pattern opens on white space it must match (looking into
    leading groups and past lookarounds; "\\s*" may match nothing). Behind a word guard such an
    alternative never follows a word: " vs " in "pump vs catheter" was never matched."""
    for alternative in _split_top(source):
        while (look := _LOOKAROUND.match(alternative)) is not None:
            alternative = alternative[_group_end(alternative, look.start()):]
        space = _SPACE_OPEN.match(alternative)
        if space is not None and not alternative[space.end():].startswith(("*", "?")):
            return True
        group = _GROUP_OPEN.match(alternative)
        if group is not None and opens_on_space(alternative[group.end():_group_end(alternative, 0) - 1]):
            return True
    return False


# A word boundary before the alternation ("\\b(?:pump|device)") is written into each alternative.
_BOUNDARY = "\\b"


def _alternatives(source: str, read: _parser.SubPattern) -> list[tuple[str, _parser.SubPattern]] | None:
    """The pattern's top-level alternatives, each with its parse, or None when it has none. The
    cut is checked against `re`'s own reading (`read`, parsed case-insensitively): each piece
    must parse as the alternative it stands for."""
    parsed = read.data
    lead = _BOUNDARY if source.startswith(_BOUNDARY) and len(parsed) == 2 and parsed[0][0] is C.AT else ""
    if len(parsed) != 1 + bool(lead) or parsed[-1][0] is not C.BRANCH:
        return None
    pieces = _split_top(source.removeprefix(lead))
    branches = parsed[-1][1][1]
    if lead:
        if not source.startswith("(?:", len(lead)) or _group_end(source, len(lead)) != len(source):
            return None
        pieces = [f"{lead}(?:{piece})" for piece in pieces]
    if len(pieces) != len(branches):
        return None
    reads = [_parser.parse(piece, re.I) for piece in pieces]
    if [repr(r.data) for r in reads] != [repr(parsed[:-1] + branch.data) for branch in branches]:
        return None
    return list(zip(pieces, reads, strict=True))


class FastPattern:
    """One rule pattern, its fast form, and the literals every match holds (or follows)."""

    def __init__(self, source: str, split: bool = True, read: _parser.SubPattern | None = None) -> None:
        """`split`: a rule's pattern, whose alternatives may be worth searching one by one; an
        alternative itself is not split, and compiled only if used (building is parsing).
        `read`: the source parsed case-insensitively, when the caller has it."""
        self.source = source
        read = _parser.parse(source, re.I) if read is None else read
        if read.getwidth()[0] == 0:
            raise ValueError("the pattern can match empty text")
        if split:
            self.exact = re.compile(source, re.I)  # now, so a bad pattern fails when the rules load
        self.fast: re.Pattern[str] | None = None
        self.verify = True
        self.literals: frozenset[str] = frozenset()
        # Set when the literals are those of the leading lookbehinds (see `_behind`): their width.
        self.behind: int | None = None
        # Alternatives searched one by one (see `_parts`); empty when the pattern is searched whole.
        self.parts: list[FastPattern] = []
        self._classes: list[str] = []
        self._widths: dict[tuple[int, ...], float] = {}
        try:
            lowered = fast_source(source)
        except FoldError:
            return
        self.fast = re.compile(lowered)
        # Only lowercase and no case-sensitive parts: the fast form *is* the pattern.
        self.verify = lowered != source
        self._parsed = _parser.parse(lowered)
        literals = _required(read)
        if literals and min(len(lit.removeprefix(CASED)) for lit in literals) >= _MIN_REQUIRED:
            self.literals = literals
        if split:
            self.parts = _parts(source, read, bool(self.literals))
        # Searched whole, a pattern that opens on lookbehinds is searched right after their
        # literals when they are rarer than its own ("recommend" against "for") or it has none.
        behind = None if self.parts else _behind(read)
        if behind is not None and (not self.literals or _rarity(behind[0]) > _rarity(self.literals)):
            self.literals, self.behind = behind
        if self.literals:
            self.literals = _variants(self.literals)
            self._classes = sorted(_run_classes(self._parsed))

    @cached_property
    def exact(self) -> re.Pattern[str]:
        return re.compile(self.source, re.I)

    def reach(self, text: FoldedText) -> float:
        """The most characters a match can span in this text, with what it reads past its end."""
        # The width depends on the text only through the runs of these classes.
        runs = tuple(text.longest_run(char_class) for char_class in self._classes)
        width = self._widths.get(runs)
        if width is None:
            width = self._widths[runs] = _width(self._parsed, text) + 1
        return width

    def finditer(self, text: FoldedText, windows: list[tuple[int, int, int]]) -> Iterator[tuple[int, int]]:
        """(start, end) of every non-empty match `self.exact.finditer(text.text)` gives that
        starts in one of the windows (first offset, last offset, offset it must end by)."""
        if self.fast is None:
            for whole in self.exact.finditer(text.text):
                yield whole.start(), whole.end()
            return
        pos, length = 0, len(text.text)
        for first, last, stop in windows:
            pos = max(pos, first)
            while pos <= last:
                # The fast form matches wherever the pattern does, so its next hit is the next
                # place the pattern can match; `stop` leaves room for the longest match there.
                candidate = self.fast.search(text.folded, pos, stop)
                if candidate is None or candidate.start() > last:
                    break
                start = candidate.start()
                match: re.Match[str] | None
                if self.verify:
                    match = self.exact.match(text.text, start)
                elif stop < length:  # cut short: match again on the whole text
                    match = self.fast.match(text.folded, start)
                else:
                    match = candidate
                if match is None:
                    pos = start + 1
                    continue
                yield start, match.end()
                pos = match.end()

    def starts(self, text: FoldedText, windows: list[tuple[int, int, int]]) -> Iterator[int]:
        """Every offset in the windows where the fast form matches, in order: among them, every
        offset where the pattern matches."""
        assert self.fast is not None
        for first, last, stop in windows:
            pos = first
            while pos <= last:
                candidate = self.fast.search(text.folded, pos, stop)
                if candidate is None or candidate.start() > last:
                    break
                yield candidate.start()
                pos = candidate.start() + 1

    def finditer_parts(self, text: FoldedText, windows: list[list[tuple[int, int, int]]]) -> Iterator[tuple[int, int]]:
        """What `finditer` yields, found from `parts`, each searched in its own windows: the
        pattern matches at an offset exactly when one of its alternatives does, so the next
        match is the exact pattern's at the first offset any alternative may match at."""
        pos = 0
        for start in heapq.merge(*(part.starts(text, own) for part, own in zip(self.parts, windows, strict=True))):
            if start < pos:
                continue
            match = self.exact.match(text.text, start)
            if match is not None:
                yield start, match.end()
                pos = match.end()


def _parts(source: str, read: _parser.SubPattern, literals: bool) -> list[FastPattern]:
    """The pattern's alternatives as FastPatterns of their own, when searching them one by one
    is cheaper; else empty. `re` tries every alternative at every offset it searches, and a
    pattern's required literals are all its alternatives' ("call" or "advised" for one,
    "convenien" for another), each window as wide as its widest alternative. An alternative
    searched alone is tried only around its own literals, within its own width (or over the
    whole text when it has none); the pattern is tried where one of them can match. Used when
    every alternative has literals, or, for a pattern that has none, when any has."""
    pieces = _alternatives(source, read)
    if pieces is None:
        return []
    parts = [FastPattern(piece, split=False, read=parsed) for piece, parsed in pieces]
    if any(part.fast is None for part in parts):
        return []
    if all(part.literals for part in parts) or not literals and any(part.literals for part in parts):
        return parts
    return []


@lru_cache(maxsize=4096)
def fast_pattern(source: str) -> FastPattern:
    """The FastPattern of `source`, built once per process: the rule file's validation and the
    pipeline ask for the same patterns, and parsing them is most of building the pipeline."""
    return FastPattern(source)


class PatternSet:
    """Many patterns run over one text: `finditer(text)` yields (pattern index, start, end) of
    every match, pattern by pattern, each as `re.compile(source, re.I).finditer` finds them.

    One Aho-Corasick pass (pyahocorasick) finds every required literal of every pattern; a
    pattern is then searched only in windows around its literals: a match holding a literal
    that starts at h, with length n, starts within [h + n - reach, h] (or, after a literal of
    its leading lookbehinds, within [h + n, h + their width]). A pattern cut into alternatives
    (`FastPattern.parts`) has each searched around its own literals.
    """

    def __init__(self, sources: list[str]) -> None:
        self.patterns = [fast_pattern(source) for source in sources]
        # A literal stands for (pattern index, alternative index); the alternative is -1 for the
        # pattern itself, searched whole.
        by_literal: dict[str, list[tuple[int, int]]] = {}
        for index, pattern in enumerate(self.patterns):
            for part, piece in enumerate(pattern.parts) if pattern.parts else [(-1, pattern)]:
                for literal in piece.literals:
                    by_literal.setdefault(literal, []).append((index, part))
        # Two passes: the folded text for the literals read case-insensitively, the text as
        # written for the cased ones.
        self._automaton = ahocorasick.Automaton()
        self._cased = ahocorasick.Automaton()
        for literal, keys in by_literal.items():
            automaton = self._cased if literal.startswith(CASED) else self._automaton
            word = literal.removeprefix(CASED)
            automaton.add_word(word, (len(word), tuple(keys)))
        for automaton in (self._automaton, self._cased):
            if len(automaton):
                automaton.make_automaton()

    def finditer(self, text: str | FoldedText) -> Iterator[tuple[int, int, int]]:
        """Also given the FoldedText another pass over the same document made: folding a text
        and measuring its runs is a fifth of the work."""
        folded = text if isinstance(text, FoldedText) else FoldedText(text)
        text = folded.text
        hits: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for automaton, read in ((self._automaton, folded.folded), (self._cased, text)):
            if automaton.kind != ahocorasick.AHOCORASICK:
                continue
            for end, (length, keys) in automaton.iter(read):
                start = end + 1 - length
                for key in keys:
                    hits.setdefault(key, []).append((start, length))
        whole = [(0, len(text), len(text))]
        for index, pattern in enumerate(self.patterns):
            if pattern.parts:
                windows = [self._windows(part, folded, hits.get((index, k), [])) if part.literals else whole
                           for k, part in enumerate(pattern.parts)]
                found = pattern.finditer_parts(folded, windows)
            elif pattern.literals:
                if (index, -1) not in hits:
                    continue
                found = pattern.finditer(folded, self._windows(pattern, folded, hits[(index, -1)]))
            else:
                found = pattern.finditer(folded, whole)
            for start, end in found:
                yield index, start, end

    @staticmethod
    def _windows(pattern: FastPattern, text: FoldedText, hits: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
        length = len(text.text)
        if not hits:
            return []
        if pattern.behind is not None:
            return PatternSet._windows_after(pattern, text, hits, pattern.behind)
        reach = pattern.reach(text)
        if reach == math.inf:
            return [(0, length, length)]
        span = int(reach)
        windows: list[tuple[int, int, int]] = []
        for start, size in sorted(hits):
            first = max(0, start + size - span)
            if windows and first <= windows[-1][1] + 1:
                first = windows.pop()[0]
            windows.append((first, start, min(length, start + span)))
        return windows

    @staticmethod
    def _windows_after(pattern: FastPattern, text: FoldedText, hits: list[tuple[int, int]],
                       behind: int) -> list[tuple[int, int, int]]:
        """The windows of a pattern whose literals are in its leading lookbehinds: a match starts
        within [h + n, h + behind] of a literal at h of length n, and ends within its reach of
        that (a reach with no bound only lets it run to the end of the text)."""
        length = len(text.text)
        reach = pattern.reach(text)
        windows: list[tuple[int, int, int]] = []
        # Ordered by first offset (a shorter literal found later may open a window earlier).
        for first, last in sorted((start + size, min(length, start + behind)) for start, size in hits):
            if windows and first <= windows[-1][1] + 1:
                first, last = windows[-1][0], max(windows.pop()[1], last)
            windows.append((first, last, length if reach == math.inf else min(length, last + int(reach))))
        return windows


class Search:
    """`search` and `finditer` of a pattern compiled with `re.I`, with exactly its matches, faster:
    its fast form (see the module's docstring) proposes places in the folded text, and the
    pattern decides each, as `FastPattern.finditer` does.

    Most lexicons open with a negative lookbehind ("(?<!\\w)(?:...)"), which `re` tests at every
    offset before it tries a word. Where the fast form without it opens with characters `re` can
    skip ahead to (a literal prefix or a set of first characters, read as `re`'s compiler reads
    them), it goes (dropping a "must not" only widens): a lexicon over a five-sentence window went
    from 0.2 to 0.015 ms. Elsewhere the lookbehind, failing inside every word, is the cheaper test
    and stays."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.exact = pattern
        self.fast: re.Pattern[str] | None = None
        # Verbose patterns are not read by `fast_source`; one that can match empty text would
        # need `finditer`'s rules for empty matches.
        if not pattern.flags & re.I or pattern.flags & re.X \
                or _parser.parse(pattern.pattern, pattern.flags).getwidth()[0] == 0:
            return
        try:
            lowered = fast_source(pattern.pattern)
        except FoldError:
            return
        flags = pattern.flags & ~re.I
        bare = lowered
        while bare.startswith("(?<!"):
            bare = bare[_group_end(bare, 0):]
        self.fast = re.compile(bare if bare != lowered and _skips_ahead(bare, flags) else lowered, flags)

    def search(self, text: str, pos: int = 0, endpos: int | None = None,
               folded: str | None = None) -> re.Match[str] | None:
        """`self.exact.search(text, pos, endpos)`; `folded`: `fold(text)`, when the caller has it."""
        endpos = len(text) if endpos is None else endpos
        if self.fast is None:
            return self.exact.search(text, pos, endpos)
        folded = fold(text) if folded is None else folded
        while (candidate := self.fast.search(folded, pos, endpos)) is not None:
            # The fast form matches wherever the pattern does: the first candidate the pattern
            # matches at is where its search would stop.
            match = self.exact.match(text, candidate.start(), endpos)
            if match is not None:
                return match
            pos = candidate.start() + 1
        return None

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        """`self.exact.finditer(text, pos, endpos)`: each search goes on where the last match ended
        (no match is empty where there is a fast form)."""
        endpos = len(text) if endpos is None else endpos
        if self.fast is None:
            yield from self.exact.finditer(text, pos, endpos)
            return
        folded = fold(text)
        while (match := self.search(text, pos, endpos, folded)) is not None:
            yield match
            pos = match.end()


def _skips_ahead(source: str, flags: int) -> bool:
    """Whether `re` can skip ahead to the offsets where a match can start: its compiler finds a
    literal prefix or the set of first characters (the private `re._compiler`, as it reads them
    for the pattern's info block; `_parser` is read the same way above)."""
    parsed = _parser.parse(source, flags)
    flags = parsed.state.flags
    return bool(_compiler._get_literal_prefix(parsed, flags)[0] or _compiler._get_charset_prefix(parsed, flags))


@lru_cache(maxsize=1024)
def quick(pattern: re.Pattern[str]) -> Search:
    """The Search of a pattern, built once per process."""
    return Search(pattern)


@lru_cache(maxsize=1024)
def _screen(pattern: re.Pattern[str]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The literals one of which every match of a pattern compiled with `re.I` holds: those read
    case-insensitively (to look for in the folded text) and those inside `(?-i:...)` (in the text
    as written), a cased non-ASCII letter in each of its folded forms; None when none is known."""
    if not pattern.flags & re.I:
        return None
    literals = _required(_parser.parse(pattern.pattern, pattern.flags))
    if not literals:
        return None
    try:
        literals = _variants(literals)
    except FoldError:
        return None
    return (tuple(sorted(lit for lit in literals if not lit.startswith(CASED))),
            tuple(sorted(lit.removeprefix(CASED) for lit in literals if lit.startswith(CASED))))


def may_match(pattern: re.Pattern[str], text: str, pos: int = 0, endpos: int | None = None) -> bool:
    """False only where `pattern` (compiled with `re.I`) has no match in `text[pos:endpos]`: none
    of the literals each of its matches holds is there. Looking for a few words costs a fraction
    of the search it spares, which tries every alternative at every offset."""
    screen = _screen(pattern)
    if screen is None:
        return True
    part = text[pos:endpos]
    folded, cased = screen
    if any(literal in part for literal in cased):
        return True
    lowered = fold(part) if folded else ""
    return any(literal in lowered for literal in folded)
