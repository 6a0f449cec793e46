"""spaCy's tokenizer, remembering how it split each whitespace-delimited chunk.

spaCy tokenizes every run of non-space characters on its own (prefixes, suffixes, infixes and
special cases never reach across whitespace), and keeps a cache of those runs, but it leaves out
any run whose splitting touched a special case: in clinical text that is about half of them
("pain,", "(MAS", "08/2023)."), so they are split again in every note, and tokenizing costs more
than all the rule matching after it. `ChunkTokenizer` asks spaCy once per distinct run and builds
the Doc from the remembered pieces, with the same words, spaces and norms. The loop over runs
follows spaCy's own `Tokenizer._tokenize_affixes`: a single space after a run is that run's last
token's trailing space; any other whitespace is a token of its own.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Doc

_RUNS = re.compile(r"\S+|\s+")
# A run's tokens: their words, their (absent) trailing spaces, and the norms special cases set.
Pieces = tuple[tuple[str, ...], tuple[bool, ...], tuple[tuple[int, str], ...]]
# (Shared: a run's tokens never have a space after them inside it.)
_NO_SPACES = [(False,) * n for n in range(16)]


class ChunkTokenizer:
    """A drop-in `nlp.tokenizer`: `ChunkTokenizer(nlp.tokenizer)(text)` is the Doc spaCy's
    tokenizer makes of `text`. `size` bounds the memory (all 4,966 MTSamples notes hold about
    71,000 distinct runs, about 45 MiB): the memo starts over when full."""

    def __init__(self, tokenizer: Any, size: int = 50_000) -> None:
        self.tokenizer = tokenizer
        self.vocab = tokenizer.vocab
        self.size = size
        self._pieces: dict[str, Pieces] = {}

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        norms: list[tuple[int, str]] = []
        remembered = self._pieces.get
        for chunk in _RUNS.findall(text):
            if chunk[0] == " " and words:
                # (Whitespace after the text's start always follows a run that made tokens.)
                spaces[-1] = True
                chunk = chunk[1:]
                if not chunk:
                    continue
            pieces = remembered(chunk) or self._split(chunk)
            if pieces[2]:
                norms.extend((len(words) + i, norm) for i, norm in pieces[2])
            words.extend(pieces[0])
            spaces.extend(pieces[1])
        doc = Doc(self.vocab, words=words, spaces=spaces)
        for i, norm in norms:
            doc[i].norm_ = norm
        return doc

    def _split(self, chunk: str) -> Pieces:
        tokens = self.tokenizer(chunk)
        # A special case may give a token a norm of its own ("n't" -> "not"); any other norm
        # is the lexeme's and comes with the word.
        count = len(tokens)
        pieces = (tuple(t.text for t in tokens), _NO_SPACES[count] if count < len(_NO_SPACES) else (False,) * count,
                  tuple((t.i, t.norm_) for t in tokens if t.norm_ != self.vocab[t.text].norm_))
        if len(self._pieces) >= self.size:
            self._pieces.clear()
        self._pieces[chunk] = pieces
        return pieces

    # What spaCy asks of a tokenizer beyond the call (ConText and the Matcher build phrase
    # patterns with `pipe`; `explain` and serialization stay spaCy's).
    def pipe(self, texts: Any, batch_size: int = 1000) -> Any:
        for text in texts:
            yield self(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.tokenizer, name)
