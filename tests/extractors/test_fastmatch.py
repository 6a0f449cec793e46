"""extractors.fastmatch must find exactly what `re.I` finds: same matches, same order."""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors import fastmatch
from extractors.fastmatch import FastPattern, PatternSet, fast_source, fold
from extractors.target_rules import RuleError, load_rules

REPO = Path(__file__).resolve().parents[2]
MTSAMPLES = REPO.parent / "shared" / "external" / "mtsamples" / "mtsamples.csv"
RULES = load_rules()
SOURCES = [RULES.expand(rule.match) for rule in RULES.rules]
SHIPPED = PatternSet(SOURCES)


def reference(sources: list[str], text: str) -> list[tuple[int, int, int]]:
    return [(index, m.start(), m.end())
            for index, source in enumerate(sources)
            for m in re.compile(source, re.I).finditer(text) if m.end() > m.start()]


def test_ascii_folds_are_every_character_re_i_equates_with_an_ascii_letter() -> None:
    letters = re.compile("[a-z]", re.I)
    found = {chr(c) for c in range(128, sys.maxunicode + 1) if letters.fullmatch(chr(c))}
    assert found == set(fastmatch._ASCII_FOLDS)
    for char, letter in fastmatch._ASCII_FOLDS.items():
        assert re.fullmatch(letter, char, re.I)


def test_lowering_keeps_every_characters_class_and_never_makes_a_new_ascii_letter() -> None:
    for code in range(128, sys.maxunicode + 1):
        char = chr(code)
        lowered = char.lower()
        if lowered == char or char in fastmatch._ASCII_FOLDS:
            continue
        assert len(lowered) == 1, char
        assert not lowered.isascii(), char
        for category in (r"\w", r"\s", r"\d"):
            assert bool(re.match(category, char)) == bool(re.match(category, lowered)), (char, category)


def test_fold_keeps_length_and_maps_the_special_letters() -> None:
    text = "İstanbul ſpasm KELVIN ıt ÉTÉ Σ"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded.startswith("istanbul spasm kelvin it")


@pytest.mark.parametrize(("source", "fast"), [
    (r"\bPT\b", r"\bpt\b"),
    (r"(?-i:PT)\b(?!\s*(?-i:INR))", r"(?:pt)\b"),  # a "must not" over case-sensitive text goes
    (r"(?-i:CBT\b(?!-I))", r"(?:cbt\b)"),  # any "must not" inside a case-sensitive group goes
    (r"(?<!\bIT )baclofen", r"(?<!\bit )baclofen"),  # case-insensitive: kept, lowered
    (r"[A-Z]\W\S\D\B", r"[a-z]\W\S\D\B"),  # escapes keep their case
    (r"[]A]x|[^]B]", r"[]a]x|[^]b]"),
])
def test_fast_source(source: str, fast: str) -> None:
    assert fast_source(source) == fast


@pytest.mark.parametrize("source", [
    r"(a)\1", r"(\d) of (?!\1\b)\d sessions", r"(A)\1", r"(?-i:(A))\1",
])
def test_a_backreference_reads_the_folded_group_exactly(source: str) -> None:
    """A backreference's group is read from the folded text: where the exact pattern matches, so
    does the fast form, and every hit is checked against the exact pattern."""
    assert FastPattern(source).fast is not None
    text = "a aa Aa AA 2 of 8 sessions, 8 of 8 sessions"
    assert list(PatternSet([source]).finditer(text)) == reference([source], text)


@pytest.mark.parametrize("source", [
    r"(a)\01", r"(?P<x>a)", r"\x41", r"(?i:a)", r"[À-ÿ]", r"[a-É]",
])
def test_syntax_the_fast_form_does_not_handle_runs_exactly(source: str) -> None:
    pattern = FastPattern(source)
    assert pattern.fast is None
    text = "a aa A É é"
    assert list(PatternSet([source]).finditer(text)) == reference([source], text)


def test_equivalents_are_what_the_folded_text_holds_for_each_letter_re_i_equates() -> None:
    assert fastmatch._equivalents("µ") == fastmatch._equivalents("Μ") == "µμ"  # micro sign, Greek mu
    assert fastmatch._equivalents("Ï") == "ï"
    assert fastmatch._equivalents("ſ") == "s"
    text, folded = fastmatch._every_character()
    assert len(text) == sys.maxunicode + 1 and text[0x3BC] == "μ" and len(folded) == len(text)


_NON_ASCII = [
    r"\b(?:mcg|ug|µg)\s*/\s*(?:h|hr)\b",
    r"\b\d+ ?ΜG\b",
    r"\bopioid[- ]na[iï]ve\b",
    r"\bnaïve\b",
    r"[^µ\s]g\b",
    r"(?-i:µg)|\\µ",
    r"\bİstanbul\b|(?<=ſpasm )\w+",  # letters re.I equates with ASCII ones
]


@pytest.mark.parametrize("text", [
    "fentanyl 25 µg/hr patch; 25 μg / h; 25 ΜG/HR; 12 ug/h and 50 mcg/hr",
    "opioid naïve, OPIOID NAÏVE, opioid-naive, opioid naÏve, naive, NAIVE, naiive, na ve",
    "25 µG, 25 μg, 25 Μg, 25 mg, 25 M g, ΜΜG µµg",
    "İstanbul ISTANBUL ıstanbul istanbul; ſpasm x, SPASM Y, spaſm z, ſpaſm",
])
def test_cased_non_ascii_letters_match_as_re_i(text: str) -> None:
    assert all(FastPattern(source).fast is not None for source in _NON_ASCII)
    assert list(PatternSet(_NON_ASCII).finditer(text)) == reference(_NON_ASCII, text)


def test_a_literal_with_a_cased_non_ascii_letter_is_looked_for_in_each_folded_form() -> None:
    assert FastPattern(r"\d+ ?µg\b").literals == {"µg", "μg"}
    assert FastPattern(r"İstanbul").literals == {"istanbul"}  # as folded, not lowered to "i̇stanbul"
    assert fast_source(r"\d+ ?ΜG|[iï]") == r"\d+ ?[µμ]g|[iï]"
    assert fastmatch._screen(re.compile(r"(?<!\w)naïve", re.I)) == (("naïve",), ())
    assert not fastmatch.may_match(re.compile(r"\bnaïve\b", re.I), "opioid naive")
    assert fastmatch.may_match(re.compile(r"\bnaïve\b", re.I), "OPIOID NAÏVE")


def test_a_rule_that_can_match_empty_text_is_refused_by_name() -> None:
    data = "lexicons: {}\nrules:\n  - {id: x.empty, fact: f, match: 'a*', reason: r}\n"
    with pytest.raises(RuleError, match="x.empty.*empty text"):
        load_rules(data)


TRICKY = [
    r"\b(?:(?-i:PT)\b(?!\s*/\s*(?-i:INR))|physical therapy)",
    r"(?<!\b(?-i:IT) )baclofen\w*",
    r"\bbatter(?:y|ies)\s+(?:\w+\s+){0,4}?(?:low|(?-i:ERI))",
    r"(?:\d{1,3}\s*%|more than (?:half|50))",
    r"\b(?-i:SI)(?=\s*/\s*(?-i:HI))",
    r"\bno (?:\w+ ){0,3}?(?:relief|benefit)\b",
    r"[^.]{0,40}pump\b",
    r"\b(?:stage (?:IV|4)[abc]?)\b",
    r"\bx\S+z",
]


@pytest.mark.parametrize("text", [
    "PT/INR 1.2. PT 3x weekly; Physical Therapy helped. pt declined PT",
    "IT baclofen, it baclofen, intrathecal Baclofen and BACLOFENS",
    "Battery is low. battery   life near ERI, batteries\n\n are low; battery eri",
    "50% relief, 100 % , more than half, MORE THAN 50",
    "SI/HI denied; si / hi; SI joint; SI   /   HI",
    "no meaningful lasting relief; No relief; no a b c d relief",
    "Stage IVb; stage 4; STAGE iv; stage IVB.",
    "x" + "y" * 500 + "z and xqz",
    "İt ſpasm PŦ KELVIN ıt ",
])
def test_tricky_patterns_match_as_re_i(text: str) -> None:
    assert list(PatternSet(TRICKY).finditer(text)) == reference(TRICKY, text)


_BEHIND = [
    r"(?:(?<=recommend )|(?<=support ))(?:\w+\s+){0,3}?(?:for|the)\s+(?:pump|trial)\b",
    r"(?:(?<=(?-i:NRS|VAS) )|(?<=(?-i:NRS|VAS) avg ))(?:[5-9]|10)\b(?!\s*/)",
    r"(?:(?<=abcdef )|(?<=bc))\w",  # "bc" opens a window before the longer literal's
    r"(?<=pain )(?:\w+ )*ok\b",  # no bound on its width
]


@pytest.mark.parametrize("text", [
    "I recommend her for the pump; we support the trial. recommend for a pump",
    "recommended for the pump; recommend  for the pump; RECOMMEND HER FOR THE TRIAL; supported the trial",
    "recommend a b c d for the trial; recommend\nfor the pump; xrecommend for the pump",
    "NRS 7, VAS avg 8, nrs 7, NRS 7/10, NRS avg 4, VAS 10 / 10, NRS  8, VAS avg 10",
    "abcdef x; bcd; pain is ok; pain\nok; PAIN AS WELL AS ONE TWO THREE FOUR FIVE SIX SEVEN EIGHT OK; ok",
])
def test_patterns_opening_on_lookbehinds_match_as_re_i(text: str) -> None:
    assert list(PatternSet(_BEHIND).finditer(text)) == reference(_BEHIND, text)


def test_a_pattern_opening_on_lookbehinds_is_searched_after_their_literals() -> None:
    recommend = FastPattern(_BEHIND[0])
    assert (recommend.literals, recommend.behind) == ({"recommend ", "support "}, len("recommend "))
    rated = FastPattern(_BEHIND[1])
    assert (rated.literals, rated.behind) == ({"\0NRS", "\0VAS", " avg "}, len("NRS avg "))
    # Its own literal is rarer than the lookbehind's: searched around it, as before.
    assert FastPattern(r"(?<=at )morphine").behind is None
    assert FastPattern(_BEHIND[3]).behind == len("pain ")
    # Not every match follows a lookbehind holding a literal.
    assert FastPattern(r"(?:(?<=at )|\b)morphine").behind is None
    assert FastPattern(r"(?<=\d )(?<=at \d )morphine").behind is None
    assert FastPattern(r"(?=at )at morphine").behind is None


def test_shipped_rules_with_cased_non_ascii_letters_or_leading_lookbehinds_run_fast() -> None:
    units = [part for pattern in SHIPPED.patterns for part in pattern.parts or [pattern]]
    assert all(unit.fast is not None for unit in units if any(map(fastmatch._cased_letter, unit.source)))
    assert any(unit.behind for unit in units)


def _clinical_texts() -> list[str]:
    texts = [path.read_text("utf-8") for path in sorted((REPO / "fixtures" / "cases").glob("*/documents/*.txt"))]
    if MTSAMPLES.exists():
        csv.field_size_limit(10**9)
        with MTSAMPLES.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        texts += [row["transcription"] for row in rows[::100]]
    return texts


def test_shipped_rules_match_as_re_i_on_clinical_text() -> None:
    texts = _clinical_texts()
    assert len(texts) > 60
    for text in texts:
        for variant in (text, text.upper().replace(" ", "   ").replace("S", "ſ")):
            assert list(SHIPPED.finditer(variant)) == reference(SOURCES, variant)


# Words the rules look for, their capitals, and the characters that move window bounds.
_PIECES = st.sampled_from([
    "PT", "pt", "IT", "it", "ERI", "SI", "HI", "/", "INR", "baclofen", "pump", "pain", "no", "not",
    "relief", "battery", "low", "50", "%", "stage", "IV", "mets", "history", "of", "cbt", "CBT",
    "recommended", "opioid", "failed", "morphine", "life expectancy", "months", "denies", "ſ",
    "İ", "K", "ı", ".", ",", ":", "-", "\n", " ", " ", " ", "   ", "\t", "x" * 40,
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=80).map("".join), st.booleans())
def test_shipped_rules_match_as_re_i_on_generated_text(text: str, upper: bool) -> None:
    if upper:
        text = text.upper()
    assert list(SHIPPED.finditer(text)) == reference(SOURCES, text)


@pytest.mark.parametrize("source", [r"\b(?-i:ER|IR)\b", r"\b(?-i:TD|TTS)\b|\bpatch\b", r"\b(?-i:PO)\b|\boral\b"])
def test_case_sensitive_literals_are_looked_for_as_written(source: str) -> None:
    """A literal inside (?-i:...) is required as written ("ER", not the "er" of every other word):
    the pattern is searched only around its capitals, with the same matches as re."""
    from extractors.fastmatch import CASED
    pattern = FastPattern(source)
    assert pattern.literals and any(lit.startswith(CASED) for lit in pattern.literals), pattern.literals
    text = "Oxycodone ER 10 mg; the water heater was ordered; oxycodone er; TD patch; TTS"
    assert list(PatternSet([source]).finditer(text)) == reference([source], text)


def _screened_patterns() -> list[re.Pattern[str]]:
    """Every lexicon, and every pattern the pipeline, layout, values and serials modules compile."""
    from extractors import layout, pipeline, serials, values
    found = list(RULES.compiled_lexicons.values())
    for module in (pipeline, layout, values, serials):
        found += [value for value in vars(module).values() if isinstance(value, re.Pattern)]
    return found


def test_quick_search_finds_what_re_finds() -> None:
    """`quick(p).search` and `.finditer` give `p`'s own matches (groups too), from any offset, on
    clinical text, its capitals with widened spaces and the letters re.I equates with ASCII ones."""
    patterns = _screened_patterns()
    assert sum(fastmatch.quick(p).fast is not None for p in patterns) > 200
    for text in _clinical_texts()[::8]:
        for variant in (text, text.upper().replace(" ", "\n ").replace("S", "ſ")):
            folded = fold(variant)
            for pattern in patterns:
                search = fastmatch.quick(pattern)
                if search.fast is None:
                    continue
                expected = [(m.span(), m.groups()) for m in pattern.finditer(variant)]
                assert [(m.span(), m.groups()) for m in search.finditer(variant)] == expected, pattern.pattern
                inner = pattern.search(variant, 7, len(variant) - 7)
                got = search.search(variant, 7, len(variant) - 7, folded)
                assert (got and (got.span(), got.groups())) == (inner and (inner.span(), inner.groups()))


def test_quick_search_drops_a_leading_lookbehind_only_where_re_can_skip_ahead() -> None:
    lexicons = RULES.compiled_lexicons
    assert not fastmatch.quick(lexicons["trial_context"]).fast.pattern.startswith("(?<!")  # type: ignore[union-attr]
    assert fastmatch.quick(lexicons["malfunction"]).fast.pattern.startswith("(?<!")  # type: ignore[union-attr]


def test_may_match_is_false_only_where_there_is_no_match() -> None:
    patterns = [p for p in _screened_patterns() if p.flags & re.I]
    assert sum(fastmatch._screen(p) is not None for p in patterns) > 200
    for text in _clinical_texts()[::8]:
        for variant in (text, text.upper().replace("S", "ſ").replace("K", "\u212a")):
            lines = variant.splitlines()
            for pattern in patterns:
                if not fastmatch.may_match(pattern, variant):
                    assert pattern.search(variant) is None, pattern.pattern
                for line in lines[:20]:
                    if not fastmatch.may_match(pattern, line):
                        assert pattern.search(line) is None, (pattern.pattern, line)


def test_may_match_reads_case_sensitive_literals_as_written() -> None:
    pattern = re.compile(r"\b(?-i:ER|IR)\b", re.I)
    assert fastmatch._screen(pattern) == ((), ("ER", "IR"))
    assert not fastmatch.may_match(pattern, "the water heater, oxycodone er")
    assert fastmatch.may_match(pattern, "oxycodone ER 10 mg")
