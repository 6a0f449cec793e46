"""A fast sentence splitter for clinical text, as a spaCy pipeline component.

PyRuSH (medspaCy's default) costs about 600 ms on a 3,000-word note; this costs a pass over
the tokens. Clinical notes break sentences in ways prose does not: one item per line in lists,
"Heading:" lines, blank lines between sections, while dictated prose is hard-wrapped in the
middle of sentences. The rules below follow that: a line break ends a sentence when the line
before is finished (ends in punctuation or is short) or the next line starts a new item.
"""


import re

from spacy.language import Language
from spacy.tokens import Doc

_ABBREVIATIONS = frozenset(
    "dr mr mrs ms vs e.g i.e etc approx no fig pt pts st jr sr dept inc a.m p.m b.i.d t.i.d "
    "q.d q.i.d p.o h.s mg mcg ml cc hx sx dx tx rx".split()
)
_ITEM_START = re.compile(r"^(?:[-*•▪◦·>]|\d{1,2}[.)]|\d{1,2}:\d{2}\b|\d{1,2}/\d{1,2}\b|[A-Za-z][A-Za-z /&()-]{0,40}:)")
_TABLE_GAP = re.compile(r"\S(?: {3,}|\t)\S")
_WRAP_WIDTH = 60


def _line_finished(line: str) -> bool:
    """Prose wraps mid-sentence; a short line, one ending in punctuation, or a table row
    (columns set apart by runs of spaces) is complete."""
    line = line.rstrip()
    return not line or line[-1] in ".:;?!" or len(line) < _WRAP_WIDTH or bool(_TABLE_GAP.search(line))


@Language.factory("clinical_sentences")
def make_clinical_sentences(nlp: Language, name: str) -> "ClinicalSentences":
    return ClinicalSentences()


class ClinicalSentences:
    """Sets `Token.is_sent_start` for every token from line structure and punctuation."""

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        if not len(doc):
            return doc
        starts = [False] * len(doc)
        starts[0] = True
        break_next = False
        for i, token in enumerate(doc):
            if break_next and not token.is_space:
                starts[i] = True
                break_next = False
            if token.is_space or "\n" in token.whitespace_:
                newlines = token.text.count("\n") + token.whitespace_.count("\n")
                if newlines:
                    line_end = token.idx + (0 if token.is_space else len(token.text))
                    line_start = text.rfind("\n", 0, line_end) + 1
                    next_start = token.idx + len(token.text_with_ws)
                    next_end = text.find("\n", next_start)
                    next_line = text[next_start:next_end if next_end != -1 else len(text)].lstrip()
                    if (newlines > 1 or _line_finished(text[line_start:line_end])
                            or _ITEM_START.match(next_line)):
                        break_next = True
                continue
            if token.text in {".", "?", "!"} or (token.text.endswith(".") and len(token.text) > 1
                                                   and token.text[:-1].lower() not in _ABBREVIATIONS):
                prev = doc[i - 1].text.lower().rstrip(".") if i else ""
                if token.text == "." and prev in _ABBREVIATIONS:
                    continue
                nxt = doc[i + 1] if i + 1 < len(doc) else None
                if nxt is not None and (nxt.is_title or nxt.is_upper or nxt.like_num or nxt.is_space
                                        or not nxt.text[0].isalpha()):
                    break_next = True
        for token, start in zip(doc, starts, strict=True):
            token.is_sent_start = start
        return doc
