"""medspaCy's sectionizer without its per-token step, as a spaCy pipeline component.

medspaCy's `Sectionizer.__call__` (medspaCy 1.3.1) ends by setting `token._.section` on every
token of the section it belongs to: an extension object per token, about 12 of its 15 ms on a
3,000-word note (bench/extract_speed.py). Nothing here reads a token's section; the pipeline
reads `doc._.sections` (`_Sections` in extractors/pipeline.py). This component does the rest of
medspaCy's call as medspaCy does it: its matcher and filters, its parent sections, each title
and the text after it made sentence starts, `doc._.sections`, and its span attributes when
asked for.
"""

from medspacy.section_detection.section import Section
from medspacy.section_detection.sectionizer import Sectionizer
from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("chart_sectionizer")
class ChartSectionizer(Sectionizer):
    def __call__(self, doc: Doc) -> Doc:
        matches = self._Sectionizer__matcher(doc)
        if self.require_start_line:
            matches = self.filter_start_lines(doc, matches)
        if self.require_end_line:
            matches = self.filter_end_lines(doc, matches)
        if self._parent_sections:
            matches = self.set_parent_sections(matches)
        doc._.sections = []
        if len(matches) == 0:  # the document is one section
            doc._.sections.append(Section(None, 0, 0, 0, len(doc)))
            return doc
        # Text before the first title is a section of its own.
        sections = [Section(None, 0, 0, 0, matches[0][1])] if matches[0][1] != 0 else []
        for i, match in enumerate(matches):
            sections.append(self._section(doc, match, matches[i + 1][1] if i + 1 < len(matches) else len(doc),
                                          sections))
        doc._.sections.extend(sections)
        if self.assertion_attributes_mapping:
            if self._input_span_type.lower() == "ents":
                self.set_assertion_attributes(doc.ents)
            elif self._input_span_type.lower() == "group":
                self.set_assertion_attributes(doc.spans[self._span_group_name])
        return doc

    def _section(self, doc: Doc, match: tuple[int, ...], next_start: int, earlier: list[Section]) -> Section:
        """The section a title match opens: up to the next title (or the document's end), or
        within its rule's scope (or the component's maximum length)."""
        match_id, start, end = match[:3]
        parent_index = match[3] if len(match) == 4 else None
        parent = earlier[parent_index] if parent_index is not None else None
        if self._apply_sentence_boundary:
            # A title is a sentence of its own, and so is the text after it.
            doc[start].sent_start = True
            if end < len(doc):
                doc[end].sent_start = True
        rule = self._Sectionizer__matcher.rule_map[self.nlp.vocab.strings[match_id]]
        scope = rule.max_scope if rule.max_scope is not None else self.max_section_length
        stop = next_start if scope is None else min(end + scope, next_start)
        return Section(rule.category, start, end, end, stop, parent, rule)
