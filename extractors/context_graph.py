"""medspaCy's ConText, with modifiers paired only with what their scope can reach.

medspaCy's ConTextGraph pairs every modifier with every other modifier of the document (to limit
scopes) and with every target (to find edges): quadratic in the size of the chart, and the largest
cost of extraction on a long packet. A modifier's scope is a window of tokens (its sentence, or
`max_scope` tokens around it), and scopes only ever shrink, so modifiers whose first scopes do
not touch never limit each other, and a modifier reaches only targets its scope touches. This
graph asks medspaCy's own `limit_scope` and `modifies` about exactly those pairs, in medspaCy's
order, so its edges are the ones medspaCy's graph would draw.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from typing import Any

from medspacy.common.util import prune_overlapping_matches
from medspacy.context import ConText, ConTextGraph, ConTextRule
from medspacy.context.context_modifier import ConTextModifier
from spacy.language import Language
from spacy.schemas import validate_token_pattern
from spacy.tokens import Doc
from spacy.vocab import Vocab

Match = tuple[int, int, int]


def touching_groups(modifiers: list[ConTextModifier]) -> Iterator[list[int]]:
    """Indices of modifiers whose scopes touch, transitively, each group in document order.
    "Touch" counts shared ends too: medspaCy's overlap test (`tuple_overlaps`) accepts an empty
    scope at the edge of another, so the grouping must not be stricter than it."""
    order = sorted(range(len(modifiers)), key=lambda i: modifiers[i].scope_span)
    group: list[int] = []
    reach = -1
    for i in order:
        start, end = modifiers[i].scope_span
        if group and start > reach:
            yield sorted(group)
            group, reach = [], -1
        group.append(i)
        reach = max(reach, end)
    if group:
        yield sorted(group)


class ScopeIndex:
    """The modifiers whose scope touches a token range, in document order."""

    def __init__(self, modifiers: list[ConTextModifier]) -> None:
        self.modifiers = modifiers
        self.order = sorted(range(len(modifiers)), key=lambda i: modifiers[i].scope_span[0])
        self.starts = [modifiers[i].scope_span[0] for i in self.order]
        self.longest = max((m.scope_span[1] - m.scope_span[0] for m in modifiers), default=0)

    def touching(self, start: int, end: int) -> list[ConTextModifier]:
        low = bisect_left(self.starts, start - self.longest)
        high = bisect_right(self.starts, end)
        near = [i for i in self.order[low:high] if self.modifiers[i].scope_span[1] >= start]
        return [self.modifiers[i] for i in sorted(near)]


def _limit(modifier: ConTextModifier, other: ConTextModifier) -> None:
    """medspaCy's `limit_scope`, except that a rule may name terminators it reaches past: "a
    period of passive death wishes; ... this has not recurred" looks back over the semicolon."""
    if other.rule.metadata and modifier.rule.metadata \
            and other.rule.metadata.get("rule_id") in modifier.rule.metadata.get("reaches_past", ()):
        return
    modifier.limit_scope(other)


class LocalGraph(ConTextGraph):
    """ConTextGraph with its two loops restricted to pairs that can interact."""

    def update_scopes(self) -> None:
        for group in touching_groups(self.modifiers):
            for a, i in enumerate(group[:-1]):
                first = self.modifiers[i]
                for j in group[a + 1:]:
                    second = self.modifiers[j]
                    _limit(first, second)
                    _limit(second, first)

    def apply_modifiers(self) -> None:
        if self.prune_on_modifier_overlap:  # medspaCy's pruning pass is not restricted here
            super().apply_modifiers()
            return
        index = ScopeIndex(self.modifiers)
        for target in self.targets:
            for modifier in index.touching(target.start, target.end):
                if modifier.modifies(target):
                    modifier.modify(target)
        edges: list[tuple[Any, ConTextModifier]] = []
        for modifier in self.modifiers:
            modifier.reduce_targets()
            edges.extend((target, modifier) for target in modifier._targets)
        self.edges = edges


def wrapped_matches(matcher: Any, doc: Doc) -> list[Match]:
    """The matches of phrases a line wrap cuts in two ("not\ncontrolled"): the tokenizer keeps
    the line break as a token of its own, so a phrase of several words never matches across it.
    The matcher reads the doc once more with those breaks left out; only matches that span one
    are kept, in the doc's own token offsets. A break that starts a sentence is no wrap."""
    kept: list[int] = []  # for each token of the copy, its index in the doc
    left_out: set[int] = set()
    for token in doc:
        if token.is_space and token.text.count("\n") == 1 and 0 < token.i < len(doc) - 1 \
                and not doc[token.i + 1].is_sent_start and not doc[token.i - 1].is_space:
            left_out.add(token.i)
        else:
            kept.append(token.i)
    if not left_out:
        return []
    words = [doc[i].text for i in kept]
    spaces = [bool(doc[i].whitespace_) or i + 1 in left_out for i in kept]
    copy = Doc(doc.vocab, words=words, spaces=spaces)
    found = []
    for match_id, start, end in matcher(copy):
        first, last = kept[start], kept[end - 1]
        if last - first != end - 1 - start:  # a left-out break lies inside it
            found.append((match_id, first, last + 1))
    return found


# How spaCy's Matcher reads a token attribute a lexeme flag can stand for: the word as written
# (TEXT is ORTH), or lower-cased (the LOWER getter of spacy.lang.lex_attrs is `str.lower`).
_FLAG_READS: dict[str, Callable[[str], str]] = {"LOWER": str.lower, "ORTH": str, "TEXT": str}
# The bits spaCy leaves to user flags (its attributes FLAG19 to FLAG63).
_FLAG_BITS = range(19, 64)


def _flag_getter(attr: str, test: Any) -> Callable[[str], bool] | None:
    """The word test an IN / NOT_IN / REGEX token test is, as spaCy's `_SetPredicate` and
    `_RegexPredicate` decide it; None for any other test."""
    if not isinstance(test, dict) or len(test) != 1 or attr not in _FLAG_READS:
        return None
    read = _FLAG_READS[attr]
    (op, values), = test.items()
    if op == "REGEX" and isinstance(values, str):
        pattern = re.compile(values)
        return lambda word: pattern.search(read(word)) is not None
    if op not in ("IN", "NOT_IN") or not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        return None
    words = frozenset(values)
    if op == "IN":
        return lambda word: read(word) in words
    return lambda word: read(word) not in words


def _flagged(token: dict[str, Any], flags: dict[str, int]) -> dict[str | int, Any]:
    """A token pattern with each test that has a flag replaced by that flag."""
    out: dict[str | int, Any] = {}
    for attr, test in token.items():
        flag = flags.get(repr((attr, test)))
        if flag is None:
            out[attr] = test
        else:
            out[flag] = True
    return out


def flag_patterns(rules: list[ConTextRule], vocab: Vocab) -> list[ConTextRule]:
    """The rules with their IN / NOT_IN / REGEX word tests read from lexeme flags.

    spaCy's Matcher calls a Python predicate for such a test at every token it tries, and each
    pattern's first token is tried at every token of the document: two dozen token patterns
    cost more than tokenizing. A flag is computed once per word of the vocabulary and read in C,
    and it is true exactly where the test is. Flags are few (45 bits), so first tokens come
    first; a test left without one stays as written. Patterns are validated as written, since
    the Matcher's schema knows no flag keys (the caller turns its validation off)."""
    keyed = [rule for rule in rules if isinstance(rule.pattern, list)]
    for rule in keyed:
        if errors := validate_token_pattern(rule.pattern):
            raise ValueError(f"context rule {rule.literal!r}: {errors}")
    firsts = [test for rule in keyed for test in rule.pattern[0].items()]
    others = [test for rule in keyed for token in rule.pattern[1:] for test in token.items()]
    free = [bit for bit in _FLAG_BITS if bit not in vocab.lex_attr_getters]  # type: ignore[attr-defined]
    flags: dict[str, int] = {}
    for attr, test in firsts + others:
        key = repr((attr, test))
        if key in flags or not free or (getter := _flag_getter(attr, test)) is None:
            continue
        flags[key] = vocab.add_flag(getter, free.pop(0))
    for rule in keyed:
        rule.pattern = [_flagged(token, flags) for token in rule.pattern]
    return rules


@Language.factory("chart_context")
class LocalContext(ConText):
    """medspaCy's ConText component, drawing its graph with LocalGraph."""

    def __call__(self, doc: Doc, targets: str | None = None) -> Doc:
        # medspaCy's ConText.__call__, with LocalGraph in place of ConTextGraph.
        spans: Any
        if targets:
            spans = getattr(doc._, targets)
        elif self.input_span_type == "ents":
            spans = doc.ents
        else:
            spans = doc.spans[self.span_group_name]
        graph = LocalGraph(prune_on_modifier_overlap=self.prune_on_target_overlap)
        graph.targets = spans
        matcher = self._ConText__matcher  # ConText keeps its matcher name-mangled
        matches = matcher(doc)
        wrapped = wrapped_matches(matcher, doc)
        if wrapped:
            matches = prune_overlapping_matches(matches + wrapped)
        graph.modifiers = [
            ConTextModifier(matcher.rule_map[self.nlp.vocab[match_id].text], start, end, doc,
                            max_scope=self.max_scope)
            for match_id, start, end in matches
        ]
        graph.update_scopes()
        graph.apply_modifiers()
        for target, modifier in graph.edges:
            target._.modifiers += (modifier,)
        if self.context_attributes_mapping:
            self.set_context_attributes(graph.edges)
        doc._.context_graph = graph
        return doc
