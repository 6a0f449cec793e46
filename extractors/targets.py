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
        self.patterns: list[tuple[str, re.Pattern[str], bool]] = []

    def add(self, rules: RuleSet) -> None:
        for rule in rules.rules:
            source = rules.expand(rule.match)
            # Matching lowercased text is about twice as fast as re.IGNORECASE; patterns with
            # case-sensitive parts ("(?-i:PT)") or capitals of their own keep the flag.
            if "(?-i:" in source or re.search(r"(?<!\\)[A-Z]", source):
                self.patterns.append((rule.id, re.compile(source, re.I), False))
            else:
                self.patterns.append((rule.id, re.compile(source), True))

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        lowered = text.lower()
        if len(lowered) != len(text):  # a few Unicode capitals lowercase to two characters
            lowered = ""
        spans = []
        for rule_id, pattern, on_lowered in self.patterns:
            if on_lowered and not lowered:
                pattern, on_lowered = re.compile(pattern.pattern, re.I), False
            for match in pattern.finditer(lowered if on_lowered else text):
                if match.end() > match.start():
                    span = doc.char_span(match.start(), match.end(), label=rule_id, alignment_mode="expand")
                    if span is not None:
                        spans.append(span)
        doc.spans[self.span_group] = spans
        return doc
