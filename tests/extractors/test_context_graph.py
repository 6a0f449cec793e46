"""extractors.context_graph: pairing only modifiers and targets whose scopes touch draws exactly
the edges medspaCy's all-pairs graph draws, and does far fewer pairings on a long note."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from medspacy.context import ConTextGraph
from medspacy.context.context_modifier import ConTextModifier

from extractors.context_graph import LocalGraph, touching_groups
from extractors.pipeline import ChartExtractor

MTSAMPLES = Path(__file__).resolve().parents[3] / "shared" / "external" / "mtsamples" / "mtsamples.csv"


def _notes(count: int) -> list[str]:
    if not MTSAMPLES.exists():
        pytest.skip(f"{MTSAMPLES} is not here")
    with MTSAMPLES.open(newline="", encoding="utf-8") as handle:
        rows = [r["transcription"] for r in csv.DictReader(handle) if r["medical_specialty"].strip() in
                ("Pain Management", "Neurology", "Psychiatry / Psychology")]
    return [r for r in rows if r.strip()][:count]


def _graph(extractor: ChartExtractor, text: str, graph_class: type[ConTextGraph]) -> tuple[Any, list[tuple]]:
    """The modifiers' final scopes and the edges (target, modifier) that `graph_class` draws."""
    nlp = extractor.nlp
    doc = nlp.make_doc(text)
    for name, component in nlp.pipeline:
        if name == "medspacy_context":
            break
        doc = component(doc)
    context = nlp.get_pipe("medspacy_context")
    matcher = context._ConText__matcher
    graph = graph_class(prune_on_modifier_overlap=False)
    graph.targets = list(doc.spans[context.span_group_name])
    graph.modifiers = [ConTextModifier(matcher.rule_map[nlp.vocab[m].text], s, e, doc) for m, s, e in matcher(doc)]
    graph.update_scopes()
    graph.apply_modifiers()
    scopes = [m.scope_span for m in graph.modifiers]
    edges = [((t.start, t.end, t.label_), m.modifier_span, m.category) for t, m in graph.edges]
    return scopes, edges


@pytest.mark.parametrize("index", range(12))
def test_local_graph_draws_medspacys_edges(extractor: ChartExtractor, index: int) -> None:
    text = _notes(12)[index]
    local = _graph(extractor, text, LocalGraph)
    assert local == _graph(extractor, text, ConTextGraph)
    assert local[0], "the note has modifiers to pair"


class Scoped:
    def __init__(self, start: int, end: int) -> None:
        self.scope_span = (start, end)


@pytest.mark.parametrize(("scopes", "groups"), [
    ([(0, 5), (6, 9)], [[0], [1]]),
    ([(0, 5), (5, 9)], [[0, 1]]),          # sharing an end touches (medspaCy's overlap test does)
    ([(5, 5), (0, 5)], [[0, 1]]),          # an empty scope at another's end
    ([(10, 20), (0, 4), (3, 11)], [[0, 1, 2]]),  # transitively
    ([], []),
])
def test_touching_groups(scopes: list[tuple[int, int]], groups: list[list[int]]) -> None:
    assert list(touching_groups([Scoped(*s) for s in scopes])) == groups  # type: ignore[misc]
