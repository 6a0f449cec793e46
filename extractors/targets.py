"""Match the target rules of `resources/target_rules.yaml` and put the spans where ConText
reads them (`doc.spans["targets"]`), each labelled with its rule's id.

medspaCy's TargetMatcher would do this too, but its regex matcher maps characters to tokens
with linear scans (about 150 ms on a 3,000-word note, measured by bench/extract_speed.py);
compiled patterns (`extractors.fastmatch`) and spaCy's own `Doc.char_span` do the same work in
a few milliseconds. Patterns are case-insensitive except inside `(?-i:...)`. The
label carries the rule id: spaCy keys span extensions by offsets, so two rules matching the
same words would overwrite each other's extension values.
"""


from spacy.language import Language
from spacy.tokens import Doc

from extractors.fastmatch import FoldedText, PatternSet
from extractors.target_rules import RuleSet


@Language.factory("chart_targets", default_config={"span_group": "targets"})
def make_chart_targets(nlp: Language, name: str, span_group: str) -> "ChartTargets":
    return ChartTargets(span_group)


class ChartTargets:
    def __init__(self, span_group: str) -> None:
        self.span_group = span_group
        self.rule_ids: list[str] = []
        self.patterns = PatternSet([])

    def add(self, rules: RuleSet) -> None:
        self.rule_ids += [rule.id for rule in rules.rules]
        sources = [p.exact.pattern for p in self.patterns.patterns]
        self.patterns = PatternSet(sources + [rules.expand(rule.match) for rule in rules.rules])

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        text = doc.text
        # Kept for the attribution cues, which read the same text (extractors/pipeline.py).
        folded = doc.user_data["folded_text"] = FoldedText(text)
        for index, start, end in self.patterns.finditer(folded):
            found = [(start, end)]
            line_end = text.find("\n", start, end)
            if line_end != -1:
                # A match that runs from one line into the next may have begun on a title ("Pain"
                # over "Mother reports painful spasms"), which is never read, and swallowed the
                # match the next line holds by itself: look for that one too.
                again = self.patterns.patterns[index].exact.search(text, line_end + 1, min(len(text), end + 200))
                if again is not None and again.start() < end and again.end() > again.start():
                    found.append((again.start(), again.end()))
            for lo, hi in found:
                span = doc.char_span(lo, hi, label=self.rule_ids[index], alignment_mode="expand")
                if span is not None:
                    spans.append(span)
        doc.spans[self.span_group] = spans
        return doc
