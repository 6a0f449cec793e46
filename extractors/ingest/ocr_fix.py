"""Undo OCR's commonest confusions (i/l/1/I) in words of this domain, keeping word lengths.

Faxes lose the dot of an "i": "Patlent", "paln", "oplold", "rellef". A word that is neither an
English word (pyspellchecker's dictionary, shipped in its wheel) nor in the domain vocabulary,
but becomes a domain word by swapping those look-alike glyphs, is corrected: "fall" stays
"fall". The domain vocabulary is the words of our own rule and guideline files, so it holds the
terms the extractors look for; a swap never changes a word's length.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from importlib import resources

_WORD = re.compile(r"[A-Za-z1|]{3,}")
_LOOKALIKES = {"l": "il", "i": "il", "1": "il", "I": "iIl", "|": "il"}
MAX_AMBIGUOUS = 4


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    texts = [
        (resources.files("extractors") / "resources" / "target_rules.yaml").read_text("utf-8"),
        (resources.files("extractors") / "resources" / "context_rules.yaml").read_text("utf-8"),
        (resources.files("rules") / "guidelines" / "intrathecal-pain-pumps-v2.yaml").read_text("utf-8"),
    ]
    words = {w.lower() for text in texts for w in re.findall(r"[A-Za-z]{3,}", text)}
    return frozenset(words)


@lru_cache(maxsize=1)
def english() -> frozenset[str]:
    from spellchecker import SpellChecker

    return frozenset(SpellChecker().word_frequency.dictionary)


def _match_case(template: str, word: str) -> str:
    # Decide from the letters that are not look-alikes: "PATlENT" is upper case.
    plain = [ch for ch in template if ch.isalpha() and ch not in _LOOKALIKES]
    if plain and all(ch.isupper() for ch in plain):
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def correct_word(word: str, vocab: frozenset[str]) -> str:
    lowered = word.lower()
    if lowered in vocab or lowered in english():
        return word
    slots = [i for i, ch in enumerate(word) if ch in _LOOKALIKES]
    if not slots or len(slots) > MAX_AMBIGUOUS:
        return word
    for choice in itertools.product(*(_LOOKALIKES[word[i]] for i in slots)):
        letters = list(word.lower())
        for i, ch in zip(slots, choice, strict=True):
            letters[i] = ch.lower()
        candidate = "".join(letters)
        if candidate in vocab:
            return _match_case(word, candidate)
    return word


def correct(text: str) -> str:
    """OCR text with look-alike glyphs fixed in domain words; the length never changes."""
    vocab = vocabulary()
    fixed = _WORD.sub(lambda m: correct_word(m.group(0), vocab), text)
    assert len(fixed) == len(text)
    return fixed
