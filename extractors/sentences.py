"""A fast sentence splitter for clinical text, as a spaCy pipeline component.

PyRuSH (medspaCy's default) costs about 600 ms on a 3,000-word note; this finds boundaries with
a few regular expressions over the text and maps them to tokens. Clinical notes break sentences
in ways prose does not: one item per line in lists, "Heading:" lines, blank lines between
sections, table rows, while dictated prose is hard-wrapped in the middle of sentences. A line
break ends a sentence when the line before is finished (ends in punctuation, is short, or is a
table row) or the next line starts a new item.

The sentences are also installed as the doc's `sents` and `Span.sent` hooks: spaCy's own
`Span.sent` rescans every token of the doc on each call, and ConText calls it per target.
"""

import bisect
import re

import numpy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

_ABBREVIATIONS = frozenset(
    "dr mr mrs ms vs e.g i.e etc approx no fig pt pts st jr sr dept inc a.m p.m b.i.d t.i.d "
    "q.d q.i.d p.o h.s mg mcg ml cc hx sx dx tx rx est".split()
)
# A label opening a line: "Allergies:", "Pain Hx:".
_LABEL = r"[A-Za-z][A-Za-z /&()-]{0,40}:"
_ITEM_START = re.compile(
    r"(?:[-*•▪◦·>☐☑☒✓✔]|\[[ xX✓✔*]?\]|\([ xX]\)"  # bullets and form boxes ("[ ]", "[x]")
    # ...and a dated entry, whichever way its date is written ("2024-05-02  Pre-IDDS psychological
    # evaluation ..." under "2024-03-18  L3-4 medial branch blocks x2 -> neg, RFA not indicated").
    rf"|\d{{1,2}}[.)]|\d{{1,2}}:\d{{2}}\b|\d{{1,2}}/\d{{1,2}}\b|(?:19|20)\d\d-\d\d-\d\d\b|{_LABEL}"
    # ...and a key with dot leaders, a printout's field: "DRG stimulator trial ...... 01/2024"
    # under the wrapped value of the field above ("2-4 days relief each, not sustained").
    r"|[A-Za-z][^.\n]{0,50}?\.{4,})"
)
_LABEL_ONLY = re.compile(_LABEL)
# A score wrapped onto the next line after its scale or a joining word.
_SCORE_START = re.compile(r"\d{1,2}(?:\.\d)?\s*/\s*10\b")
_SCORE_LEADS = frozenset("nrs vas nprs pain score scores rated rating at to from is was of".split())
_TABLE_GAP = re.compile(r"\S(?: {3,}|\t)\S")
_WRAP_WIDTH = 60
# Text wrapped by hand is ragged by several characters.
_WRAP_SLACK = 10
# A line ending in one of these goes on, whatever the next line starts with ("in the\nED").
_JOINING = frozenset("a an the of in on at to for from with by and or but as than that per via "
                     "is are was were be been his her their its this these those".split())
# ...and so does a negation written in lower case ("There was no" / "Ashworth change"); a form's
# answer ("... opioid use disorder? ...... No") ends its line.
_NEGATION_GOES_ON = frozenset("no not nor without".split())
# A denial's verb goes on too, whatever the next line starts with: "PHQ-9 4 today, denies" / "SI/HI".
_DENIAL_GOES_ON = frozenset("denies denied deny negative".split())
# A full stop (or ? !) closing a sentence: after a word, followed by space and a capital, digit
# or symbol. A "?" standing alone opens a query ("? CRPS."), it does not close a sentence.
_STOP = re.compile(r"(?<=\S[.?!])[\"')\]]*\s+(?=[A-Z0-9\-*•(\[\"'#])")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
# A capital letter standing alone after an opening bracket, a label's colon or comma, a word that
# introduces a person, or a capitalised name: a name's initial, whose full stop ends nothing.
_INITIAL_BEFORE = re.compile(r"(?:[(:,]\s*|\b(?:by|per|rep|with|to|and|Dr\.?|Drs\.?)\s+|\b[A-Z][a-z]{1,14}\s+)"
                             r"[A-Z]\.$")
# ...followed by a surname: a capitalised word, not a sentence's first word and what follows it.
_NAME_AFTER = re.compile(r"(?!(?:She|He|They|It|We|I|The|This|That|There|These|Patient|Pt|His|Her|Their|No|Not|"
                         r"Will|Plan|Pain|Next|Follow|Return)\b)[A-Z][a-z'-]+(?:\)|,|\s+(?:[A-Z][A-Za-z]*\b|asked|was|is|will|to|from|on|at|called|"
                         r"reviewed|notes?|noted|performed|saw|reports?|states?|said|signed|agreed)|\s*$)")


def _line_finished(line: str, going_on: str = "") -> bool:
    """Prose wraps mid-sentence; a short line, one ending in punctuation, or a table row
    (columns set apart by runs of spaces) is complete. A long line ending in ";" or ":" goes on when
    the next opens in lower case: "... fentanyl 75 mcg patch;" / "stopped because of delirium"."""
    line = line.rstrip()
    ends = ".?!" if going_on[:1].islower() else ".:;?!"
    return not line or line[-1] in ends or len(line) < _WRAP_WIDTH or bool(_TABLE_GAP.search(line))


def _broken_early(previous: str, stripped: str, width: int) -> bool:
    """A line that opens with a capital word which would have fitted on the line before: that
    line was ended on purpose (one medication per line), not wrapped at the page's width."""
    first = stripped.split(None, 1)[0]
    last = previous.rsplit(None, 1)[-1].lower()  # `previous` always has words
    # ...nor does a line that ends inside a list or an aside: "Discussed risks (headache," / "CSF leak, ...".
    if last.endswith(",") and previous.count("(") > previous.count(")"):
        return False
    return stripped[:1].isupper() and last not in _JOINING and last not in _DENIAL_GOES_ON \
        and len(previous.rstrip()) + 1 + len(first) <= width - _WRAP_SLACK


def sentence_starts(text: str) -> list[int]:
    """Character offsets where sentences begin (the first non-space character of each)."""
    starts = set()
    lines = text.split("\n")
    width = max((len(line.rstrip()) for line in lines), default=0)
    offset = 0
    previous: str | None = None
    blank_before = False
    for line in lines:
        stripped = line.lstrip()
        if stripped:
            begin = offset + len(line) - len(stripped)
            # A flush line opening with a capital under a list item is not the item's wrapped text.
            # ...unless the item's line ends on a word that goes on ("There was no" / "Ashworth change").
            last_word = previous.rsplit(None, 1)[-1] if previous is not None else ""
            after_item = previous is not None and _ITEM_START.match(previous.lstrip()) is not None \
                and stripped == line and stripped[:1].isupper() \
                and last_word.lower() not in _JOINING and last_word not in _NEGATION_GOES_ON \
                and last_word.lower() not in _DENIAL_GOES_ON
            item = _ITEM_START.match(stripped)
            if item is not None and previous is not None and _LABEL_ONLY.fullmatch(item.group(0)) \
                    and previous.rsplit(None, 1)[-1].lower() in _JOINING:
                # "Side effects were" over "minimal: transient facial itching": a sentence that
                # goes on, not a label ("Allergies:") opening a line of its own.
                item = None
            # "Today NRS" over "4/10, which is her usual": the score goes on, short line or not.
            score_goes_on = previous is not None and not blank_before and _SCORE_START.match(stripped) is not None \
                and previous.rsplit(None, 1)[-1].lower().rstrip(":") in _SCORE_LEADS
            # An aside left open goes on: "(3 weeks post" / "injection: ankle PF MAS 4 -> 2)".
            aside_open = previous is not None and not blank_before and previous.count("(") > previous.count(")") \
                and ")" in stripped and not _TABLE_GAP.search(previous)
            if not score_goes_on and not aside_open and (
                    previous is None or blank_before or _line_finished(previous, stripped) or item
                    or after_item or _broken_early(previous, stripped, width)):
                starts.add(begin)
            previous = line
            blank_before = False
        else:
            blank_before = True
        offset += len(line) + 1
    for match in _STOP.finditer(text):
        before = _WORD_BEFORE.search(text, max(0, match.start() - 12), match.start())
        if before and before.group(1).lower().rstrip(".") in _ABBREVIATIONS:
            continue
        if before and _INITIAL_BEFORE.search(text, max(0, match.start() - 24), match.start()) \
                and _NAME_AFTER.match(text, match.end()):
            continue  # a name's initial: "Vantara rep (J. Moss) asked ...", "sedation: R. Ambrose MD"
        starts.add(match.end())
    return sorted(starts)


def sentence_flags(doc: Doc) -> list[bool]:
    """Per token: whether a sentence starts there (`sentence_starts` mapped onto the tokens)."""
    flags = [False] * len(doc)
    if flags:
        flags[0] = True
    # Each start's token, found in one array of the tokens' offsets (no Token object per token).
    token_starts = doc.to_array(IDX).astype("int64")
    for i in numpy.searchsorted(token_starts, sentence_starts(doc.text), side="left").tolist():
        if i < len(doc):
            flags[i] = True
    return flags


@Language.factory("clinical_sentences")
def make_clinical_sentences(nlp: Language, name: str) -> "ClinicalSentences":
    return ClinicalSentences()


class ClinicalSentences:
    """Sets `Token.is_sent_start` and the doc's sentence hooks from `sentence_starts`."""

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        flags = sentence_flags(doc)
        # One vectorised write: setting Token.is_sent_start token by token rechecks the doc each time.
        # Doc.from_array reads its array as uint64 whatever its dtype, so the values must be
        # uint64 (-1 wrapped, as Doc.to_array gives it): an int32 array is read past its end
        # (wrong sentence starts on small docs, a segfault on large ones; issue 12).
        values = numpy.array([1 if flag else -1 for flag in flags], dtype="int64").astype("uint64").reshape(-1, 1)
        doc.from_array([SENT_START], values)  # type: ignore[arg-type]  # thinc types the array narrowly
        bounds = [i for i, flag in enumerate(flags) if flag] + [len(doc)]
        spans = [doc[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
        firsts = bounds[:-1]

        def sent_of(span: Span) -> Span:
            return spans[bisect.bisect_right(firsts, span.start) - 1]

        doc.user_hooks["sents"] = lambda _doc: iter(spans)
        doc.user_span_hooks["sent"] = sent_of
        doc.user_token_hooks["sent"] = lambda token: spans[bisect.bisect_right(firsts, token.i) - 1]
        return doc
