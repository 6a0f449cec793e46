"""Match the target rules of `resources/target_rules.yaml` and put the spans where ConText
reads them (`doc.spans["targets"]`), each labelled with its rule's id.

medspaCy's TargetMatcher would do this too, but its regex matcher maps characters to tokens
with linear scans (about 150 ms on a 3,000-word note, measured by bench/extract_speed.py);
compiled patterns and spaCy's own `Doc.char_span` do the same work in a few milliseconds. The
label carries the rule id: spaCy keys span extensions by offsets, so two rules matching the
same words would overwrite each other's extension values.
"""


import re

from spacy.language import Language
from spacy.tokens import Doc

from extractors.target_rules import RuleSet


@Language.factory("chart_targets", default_config={"span_group": "targets"})
def make_chart_targets(nlp: Language, name: str, span_group: str) -> "ChartTargets":
    return ChartTargets(span_group)


class ChartTargets:
    def __init__(self, span_group: str) -> None:
        self.span_group = span_group
        self.patterns: list[tuple[str, re.Pattern[str]]] = []

    def add(self, rules: RuleSet) -> None:
        self.patterns.extend((rule.id, re.compile(rules.expand(rule.match), re.I)) for rule in rules.rules)

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        spans = []
        for rule_id, pattern in self.patterns:
            for match in pattern.finditer(text):
                if match.end() > match.start():
                    span = doc.char_span(match.start(), match.end(), label=rule_id, alignment_mode="expand")
                    if span is not None:
                        spans.append(span)
        doc.spans[self.span_group] = spans
        return doc
