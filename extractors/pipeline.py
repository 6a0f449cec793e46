"""The medspaCy pipeline and the step that turns its matches into facts with evidence.

Pipeline, built once per process: spaCy's blank English tokenizer, a fast clinical sentence
splitter, medspaCy's sectionizer (extractors/sections.py), a TargetMatcher fed from
`resources/target_rules.yaml`, and ConText with medspaCy's default rules plus
`resources/context_rules.yaml`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import medspacy
import spacy
from medspacy.context import ConTextRule
from spacy.language import Language
from spacy.tokens import Doc, Span

import extractors.context_graph  # noqa: F401  (registers the chart_context factory)
import extractors.sections  # noqa: F401  (registers the chart_sectionizer factory)
import extractors.sentences  # noqa: F401  (registers the clinical_sentences factory)
import extractors.targets  # noqa: F401  (registers the chart_targets factory)
from chart_review.contract import Evidence
from extractors.attribution import load_attributor
from extractors.context_graph import flag_patterns
from extractors.documents import Document
from extractors.facts import Assertion, Fact, Modifier, collapse, describe_value
from extractors.fastmatch import PatternSet, may_match, quick
from extractors.layout import (
    NOT_EVIDENCE,
    Kind,
    Layout,
    Line,
    Reading,
    box_pattern,
    empty_box_for,
    in_vital_column,
    mask_unticked,
    mask_vitals,
    measurement_before,
    measures_another,
    open_item,
    opens_on_box,
    options_unanswered,
    read_layout,
    row_answer,
    row_period_text,
    row_refused,
    value_reading,
)
from extractors.notes import Notes, find_notes
from extractors.parts import PART_CHARS, part_bounds, part_of, placed
from extractors.resources import load as load_data
from extractors.serials import serial_check
from extractors.tables import ashworth_tables, pain_score_tables, pain_tracking_tables
from extractors.target_rules import RuleSet, TargetRuleSpec, load_rules
from extractors.tokenizer import ChunkTokenizer
from extractors.values import (
    POST_TRIAL,
    PRE_TRIAL,
    ashworth_drop,
    ashworth_scores,
    drug_name,
    duration,
    ended_since,
    is_expected_share,
    life_expectancy_months,
    month_dates,
    off_since_blanked,
    others_lengths_blanked,
    parse_dates,
    percent_improvement,
    tone_change,
)

log = logging.getLogger(__name__)

TARGETS = "targets"
MAX_EVIDENCE_CHARS = 320
# medspaCy's own English rule files: its ConText rules and its section titles.
MEDSPACY_RESOURCES = Path(medspacy.__file__).resolve().parents[1] / "resources" / "en"
HEADER_CHARS = 400
HEADER_LINES = 3
# A payer form or a letter of medical necessity restates the record; where they disagree, the
# record is the source (the guideline data decides whether that settles a conflict).
SUMMARY_CHARS = 1200
_SUMMARY_DOCUMENT = re.compile(
    # Named as the document itself, not as another one the note refers to ("field completed by
    # scheduling from the request form"). (The word boundary comes first: `re` then tests the
    # lookbehinds only at one.)
    r"\b(?<!\bfrom the )(?<!\bper the )(?<!\bsee the )(?<!\bin the )(?<!\bfrom )(?<!\bper )(?<!\bsee )"
    # ...nor a form the patient filled in for the author ("None reported on intake questionnaire").
    r"(?<!\bintake )(?<!\bon )(?<!\bon the )(?<!\bscreening )(?<!\bself-report )(?<!\bpre-visit )(?<!\bprevisit )"
    r"(?<!\bpatient )(?<!\bpain )"
    # (Instruments the patient filled in are no form: "interview + questionnaires".)
    # ...nor a scored instrument: "Chronic Pain Acceptance Questionnaire 29", "PSEQ ... 22".
    r"(?:(?<!\+ )(?<!and )(?<!health )(?<!efficacy )(?<!acceptance )(?<!disability )(?<!mcgill )"
    r"questionnaire\b(?!\s*(?:\([\w-]+\)\s*)?[:=.]*\s*\d)|prior auth(?:ori[sz]ation)?(?: (?:request|form))?\b|"
    r"(?-i:PA) (?:request )?form\b|"
    # (A procedure's own safety checklist is the record's: "Pre-procedure checklist: consent signed".)
    r"authori[sz]ation request form|(?<!procedure )(?<!pre-op )(?<!preop )(?<!surgical )(?<!safety )(?<!time-out )"
    r"(?<!timeout )(?<!nursing )checklist|"
    r"(?:surgery |surgical |procedure )?scheduling order|"
    r"(?:request|review|authori[sz]ation|criteria) worksheet|"
    r"pre-?certification|precert\w*|clinical information (?:request|form)|pre-?service review|"
    r"letter of medical necessity|medical necessity (?:letter|form)|(?:request|authori[sz]ation|review) form|"
    r"(?:clinical |utilization )?review request|utilization (?:review|management)|"
    r"to whom it may concern|dear (?:dr|(?:medical |clinical |utilization |peer |plan )?(?:director|reviewers?|"
    r"review team)|reviewing (?:physician|clinician|nurse)|sir|madam|colleague)\b|"
    # A letter's salutation to the payer's reviewer: "To the reviewing physician:"
    r"^to (?:the )?(?:reviewing|review|utilization|medical|plan|payer) (?:physician|doctor|clinician|nurse|team|"
    r"director|committee|reviewer|department)s?\b|^to (?:the )?reviewers?\b|"
    # ...or its first words: "I am writing on behalf of my patient".
    r"\bI am writing (?:on behalf of|to request|to support|in support of|to document)\b)", re.I | re.M)
# Another document the note refers to, a few words after its preposition: "flagged PHQ-9 of 19 on
# the 07/30 pre-op questionnaire" (the lookbehinds above take the preposition just before).
# Nor the purpose records were printed for: "Encounter history - printed for prior authorization".
_REFERRED_TO = re.compile(r"\b(?:on|from|per|in|see|of|by)\s+(?:the|a|an|her|his|their|our)\s+(?:[\w/.-]+\s+){1,3}$|"
                          r"\b(?:printed|copied|faxed|sent|compiled|released|exported)\s+(?:\w+\s+)?for\s+(?:the\s+)?$",
                          re.I)
# A payer named in a form's title lines: "BLUE RIVER HEALTH PLAN", "Member ID".
_PAYER_WORDS = re.compile(r"\b(?:health plan|insurance|insurer|payer|member|authori[sz]ation|medical necessity|"
                          r"utilization|coverage|benefits?)\b", re.I)
# A questionnaire named in the document's own title lines, under a payer's name, is the form
# itself ("BLUE RIVER HEALTH PLAN / INTRATHECAL PAIN QUESTIONNAIRE"); a clinic's "Pain
# Questionnaire", one titled for the patient ("PATIENT INTAKE QUESTIONNAIRE") and "pain
# questionnaire" further down are instruments the patient filled in for the author.
_QUESTIONNAIRE_TITLE = re.compile(
    r"^[ \t]*(?![^\n]*\b(?:patient|intake|self-report|pre-?visit|screening)\b)[^\n:]{0,80}\bquestionnaire[ \t]*$",
    re.I)


# An order entered for scheduling restates the request's reasons, like a payer's form: "ORDER ENTRY /
# SURGICAL SCHEDULING" over "Reason for replacement (scheduler pick-list): End of battery life / ERI".
_ORDER_TITLE = re.compile(r"^[ \t]*(?:[^\n]{0,40}\W)?(?:order entry|(?:surgical|surgery|procedure) scheduling"
                          r"(?: request| order)?)\b(?![^\n]*\b(?:office|desk|coordinator|department|notes?)\b)", re.I)


def _is_summary(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether the note beginning at `start` (and ending by `end`) is a payer form or letter that
    restates the record."""
    for named in _SUMMARY_DOCUMENT.finditer(text, start, min(start + SUMMARY_CHARS, end or len(text))):
        if not _REFERRED_TO.search(text, max(start, named.start() - 60), named.start()):
            return True
    title = [line for line in text[start:start + HEADER_CHARS].splitlines() if line.strip()][:HEADER_LINES]
    if _ORDER_TITLE.match(title[0] if title else ""):
        return True
    return any(_QUESTIONNAIRE_TITLE.match(line) for line in title) and bool(_PAYER_WORDS.search("\n".join(title)))


# What the device reports of itself: its count of logged events ("Motor stall events .... 0
# recorded"), its own status line ("PUMP STATUS ..... NORMAL (per programmer)"). A study or a
# clinician finds what it missed.
# A sentence whose subject is the device's own log: "Event log contains no alarms, no motor stall
# flags" is what the pump noticed, not a clinician's finding that it works.
_LOG_SAYS = re.compile(r"\W*(?:the |its |his |her )?(?:pump'?s? |device'?s? )?(?:event|alarm|error|fault) logs?\b"
                       r"[^.;\n]{0,25}?\b(?:contains|contained|shows|showed|lists|listed|records|recorded|has|had)\b",
                       re.I)
# ConText's to-do triggers: what follows is still to be checked ("to confirm", "Verify ...").
_TO_CHECK = frozenset({"hypothetical.to_confirm", "hypothetical.confirm_first"})
# ...unless the check's result follows: "UDS sent to confirm no illicit use; result negative".
_RESULT_GIVEN = re.compile(r"[^.\n]*?[;,]\s*(?:the\s+)?(?:results?|it|which|screen)\s+"
                           r"(?:was\s+|were\s+|is\s+|came back\s+)?(?:negative|normal|clean|unremarkable|confirmed)\b",
                           re.I)
_DEVICE_SELF_REPORT = re.compile(r"\b(?:events?|log(?:ged)?|recorded|count|(?:pump|device|system) status)\b", re.I)
# A manufacturer's letter to clinicians about a model: a recall, correction or field safety notice.
# Its title or salutation opens a line; a letter that mentions a notice is not one.
_MANUFACTURER_NOTICE = re.compile(
    # ...under the maker's name on the same line: "HALBERD MEDICAL - FIELD SAFETY NOTICE LOOKUP".
    # ...or "Important Medical Device Advisory - Information for Patients and Caregivers".
    r"^[ \t]*(?-i:[A-Z][A-Z0-9&.' ]{0,40}?\s[-–—]\s*)?(?:(?:urgent|important):?\s+)?"
    r"(?:medical device (?:recall|correction|advisory)|"
    r"field safety (?:notice|corrective action)|dear (?:health ?care|healthcare) (?:provider|professional)s?)\b",
    re.I | re.M)
_PAIN_SCORE = re.compile(r"(?<![\d.])(\d{1,2}(?:\.\d)?)\s*/\s*10\b")
# The word that makes the score after it a baseline ("(baseline 8/10)", "pre-bolus NRS 7/10").
_BASELINE_LEAD = re.compile(r"\b(?:baseline|pre[- ]?(?:trial|injection|bolus|procedure|test|dose))\b\W{0,3}"
                            r"(?:[A-Za-z]+\W{1,3}){0,2}$", re.I)
# The trial's best reading, named as such or by its hour: "Best NRS 5/10 at the 4-hour check".
_BEST_SCORE = re.compile(r"\b(?:best|lowest|nadir)\b|\b(?:at|after|by) (?:the )?\d{1,2}[- ]hours?\b", re.I)
# Word lists the ConText rules and the pipeline share (resources/context_rules.yaml).
WORD_LISTS: dict[str, list[str]] = load_data("context_rules.yaml")["word_lists"]
# A period the sentence splitter passed over ends a clause when a label follows it: "melatonin
# 3 mg. Allergies: amoxicillin (rash)" lists the allergies apart from the medications.
# ", and" before a new subject opens a clause of its own: "three sympathetic blocks gave only days
# of relief each time, and a stimulator trial in 2023 produced less than 30% relief".
_CLAUSE_BREAK = re.compile(r";|\bbut\b|\bhowever\b|\bthough\b|\bwhereas\b|\bexcept\b"
                           # A comma then "while" opens another subject's clause: "pain improved ..., a
                           # 62% reduction, while oral oxycodone use fell from 120 mg to 10 mg per day".
                           r"|,\s*while\b"
                           # "after" before an oral drug opens that drug's own clause: "ITB pump implanted
                           # 05/2019 for generalized spasticity after oral baclofen ... failed to control tone".
                           # (So does a failure of one: "... pump since March 2020 after failing high-dose
                           # oral and transdermal opioids".)
                           r"|\b(?:after|once|because)\s+(?=(?:(?:failing|failed|having failed|exhausting|trying)\s+)?"
                           r"(?:[\w-]+\s+){0,2}?(?:oral|po|p\.o\.|enteral|transdermal|systemic)\s)"
                           # An arrow after a recommendation leads to what came of it: "CBT recommended
                           # -> 8 sessions, completed" (not "baclofen -> NKA", "treated -> stable").
                           r"|(?:(?<=recommended)|(?<=suggested)|(?<=advised)|(?<=referred))\s+(?:-{1,2}>|=>|[→⇒])\s+(?=\w)"
                           # ...as does one leading to a course done, whatever its date: "CBT .... recommended
                           # 01/2024 -> completed 8 sessions".
                           r"|\s+(?:-{1,2}>|=>|[→⇒])\s+(?=(?:completed|attended|finished|underwent|went through)\b)"
                           # ...and so does a dash after the recommendation before the patient's course:
                           # "Brief CBT for pain coping recommended - pt completed 6 sessions of CBT-CP".
                           r"|(?:(?<=recommended)|(?<=suggested)|(?<=advised)|(?<=referred))\s+[-–—]{1,2}\s+"
                           r"(?=(?:(?:pt|patient|he|she|they)\s+)?(?:has\s+|had\s+)?(?:completed|attended|finished|"
                           r"underwent|went through)\b)"
                           r"|,\s*(?:and|while)\s+(?=(?:a|an|the|his|her|their|she|he|they|it)\s)"
                           # ...or a name: "She suggested CBT for pain, and Noor completed ten sessions".
                           r"|,\s*and\s+(?=(?-i:[A-Z][a-z]+)\s+(?-i:[a-z]+ed|has|had|was|is|did)\b)"
                           # ...or a thing that changed: "... was 75%, and breakthrough oral oxycodone fell".
                           r"|,\s*and\s+(?=(?:[\w-]+\s+){1,3}?(?:fell|rose|dropped|decreased|increased|improved|worsened|"
                           r"declined|went (?:up|down)|came down)\b)"
                           # ...or one held or stopped: "..., a 70% reduction, and oral morphine was held".
                           r"|,\s*and\s+(?=(?:[\w-]+\s+){1,3}?(?:was|were|has been|had been)\s+(?:held|stopped|"
                           r"discontinued|tapered|weaned|reduced|cut back|continued|resumed)\b)"
                           # ...or the evaluator's next act in a list of them (ConText's terminate.listed_act):
                           # "did not consider the pain psychogenic, recommended CBT, and cleared him".
                           # ...with or without the comma: "cleared her for intrathecal therapy and recommended CBT".
                           rf"|(?:,\s*(?:and\s+)?|\s+and\s+)(?=(?:{'|'.join(WORD_LISTS['evaluator_acts'])})\s+(?!(?:by|as|in|on|at)\b)\w)"
                           # ...or the patient by title: "recommended CBT for pain and Mr. M completed eight
                           # CBT sessions".
                           r"|\s+and\s+(?=(?-i:(?:Mr|Mrs|Ms|Mx|Miss)\.?\s+[A-Z]))"
                           # ...or by a pronoun before what the patient did: "recommended CBT for pain and he
                           # completed eight group CBT sessions".
                           r"|\s+and\s+(?=(?:he|she|they)\s+(?:then\s+)?(?-i:[a-z]+ed|has|had|was|did)\b)"
                           r"|(?<=[a-z0-9)])\.[ \t]+(?-i:(?=[A-Z][a-z]+(?: [a-z]+)?:))", re.I)
# A title's full stop ends no clause: "it is not being made for Mrs. Castellanos-Frye's convenience".
# A paragraph break ends one too: a form item's "NO" above a blank line denies nothing below it.
# (The dot comes before the titles' lookbehinds, which `re` then tests only at a dot.)
_CLAUSE_BACK = re.compile(r"[;:!?]|\.(?<!\bMrs\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bPt\.)|\bbut\b|\bhowever\b"
                          r"|,\s*(?:and|while|whereas)\b|\n[ \t]*\n"
                          # A comma before the writer's own subject: "and no visceral disease, I would
                          # expect survival ..." (the "no" was the disease's).
                          r"|,\s*(?:I|we)\s"
                          # ...or a relative clause of its own: "no visceral disease per her oncologist,
                          # Dr. C, whose 07/18 note estimates survival of at least 12 months".
                          r"|,\s*(?:whose|who|which)\s"
                          # ...or a list item or checkbox line of its own: "[ ] ... not in FSN range" over
                          # "[X] Upgrade to newer model - larger reservoir, fewer refill trips".
                          r"|\n[ \t]*(?=(?:\[[ xX✓✔*/-]?\]|[-*•▪☐☒☑])\s)"
                          # ...or without a comma, the writer's own estimate: "With stable disease and no
                          # visceral involvement I estimate her life expectancy at well over a year".
                          r"|(?=\b(?-i:I|[Ww]e)\s+(?:would\s+|do\s+)?(?:estimate|expect|believe|think|anticipate|"
                          r"predict|project)\b)", re.I)
_NEGATING_PREFIX = re.compile(r"\bnon[- ]?$", re.I)
# A condition just before the phrase makes it no statement, in `match` mode too: "Candidate if life
# expectancy > 3 mo", "whether her opioid use disorder is in remission" (ConText's "if" reaches
# past the clause; this one reads only the words leading into the phrase).
_CONDITION_BEFORE = re.compile(r"\b(?:if|unless|whether|provided(?: that)?|as long as|so long as|assuming(?: that)?)"
                               r"\s+(?:[\w'-]+\s+){0,2}$", re.I)
# ...as is what is to come after a course still to be taken, the verb often the phrase's own:
# "I will reconsider after she completes the recommended CBT".
_COURSE_TO_COME = re.compile(r"\b(?:after|once|until) (?:she|he|they|the patient|patient|pt)\s+"
                             r"(?:completes|finishes|undergoes)\b", re.I)
# ...or one that opens the clause, however far before: "(2) Whether we could put in a newer model
# with a bigger reservoir so refills would be less frequent" (a parent's question).
_CONDITION_OPENS = re.compile(r"^\W*(?:\d{1,2}\W+)?whether\b[^,;]*$", re.I)
# What follows a finding's name in a key that makes the key an examination for it.
_EXAMINED = re.compile(r"[\s-]*(?:\w+\s+)?(?:screening|screen|assessment|evaluation|eval|risk|questionnaire|check)"
                       r"\b[^:]*:?\s*$", re.I)
# A screening's value that finds nothing: "... consistent with our prescribing alone, ... no history of".
_CLEAR_RESULT = re.compile(r"\b(?:no|not|none|negative|denie[sd]|without|consistent with|as expected|within normal|"
                           r"low risk|unremarkable)\b", re.I)
_WORD = re.compile(r"[A-Za-z]{2,}")
# A value that says its key's treatment was not done, and nothing of it done; the key is the
# treatment's name and little else ("Home exercise program:", not "2. Stimulant use disorder").
_VALUE_REFUSES = re.compile(r"\b(?:declined|refused|not (?:done|performed|started|attempted)|never (?:started|did|done|"
                            r"performed|attended)|did not (?:perform|do|start|attend)|"
                            # "HEP: handout given at PT; pt admits he has not been doing it"
                            r"(?:has|have|had) not been (?:doing|performing)|(?:is|are|was|were)(?: not|n.t) doing|"
                            r"not doing (?:it|them|the|any|his|her))\b", re.I)
_VALUE_DONE = re.compile(r"\b(?:completed?|attended|finished|performs|performed (?:daily|regularly|\d)|"
                         r"(?<!not been )(?<!not )(?<!n't )(?<!n’t )doing|"
                         r"does (?:it|them|the)|adherent|compliant|\d+\s*(?:/|of)\s*\d+\s*(?:visits|sessions))\b",
                         re.I)
# A form's menu of choices, three or more apart by " / ": "Pain category: cancer / chronic
# non-cancer / spasticity". Each is offered, none stated; the answer beside it picks one.
_MENU = re.compile(r"[A-Za-z][\w'-]*(?: [\w'-]+){0,3}(?: / [A-Za-z][\w'-]*(?: [\w'-]+){0,3}){2,}")


def _offered_choice(text: str, line: Line, start: int, end: int) -> bool:
    """The mention is one choice of a table row's labelled menu, and the row's last cell answers
    with one of the choices ("2  Pain category: cancer / chronic non-cancer / spasticity    NON-CANCER").
    A row listing what was done ("Physical therapy / home exercise / TENS | 2021-2022") is no menu."""
    if line.kind is not Kind.TABLE_ROW or not line.cells:
        return False
    cell = next((c for c in line.cells if c.start <= start < c.end), None)
    answer = text[line.cells[-1].start:line.cells[-1].end].strip().lower()
    if cell is None or cell is line.cells[-1] or not answer:
        return False
    words = text[cell.start:cell.end]
    for menu in _MENU.finditer(words):
        options = [option.strip().lower() for option in menu.group(0).split(" / ")]
        if menu.start() <= start - cell.start and end - cell.start <= menu.end() \
                and ":" in words[:menu.start()] and any(answer in option or option in answer for option in options):
            return True
    return False


# A sentence ended inside a value: "Home medications held AM of procedure: none. Last pregabalin
# dose 21:00 prior evening" - the next sentence is no part of the answer. So is a clause after ";":
# "none required under FSN-2023-114; battery ERI handled separately".
_VALUE_SENTENCE_ENDS = re.compile(r"\w[.!?;](?:\s|$)")
_BARE_NONE = re.compile(r"(?:none|nil|negative|denied|no known\b|no (?:allerg\w*|reactions?)\b)", re.I)
# "not a request for newer technology, nor is it made for the family's convenience".
# ("cannot" too: "his body cannot support the weight and bulk of the pump".)
_NEGATION_INSIDE = re.compile(r"\b(?:not|no|nor|never|without|denies|denied|cannot|nothing to do with)\b|n't\b", re.I)
# A "not" that denies something else, as ConText's pseudo-negations say for its own modes: "a
# payer may not cover a change made for convenience", "better off without her".
_NOT_A_DENIAL = re.compile(r"\b(?:not|never)\s+(?:be\s+)?(?:cover\w*|pa(?:y|id)|reimburs\w*)\b|"
                           r"\b(?:without|w/o)\s+(?:her|him|me|them|us|you)(?=\s*(?:[,.;]|and\b|at all\b|$))|"
                           # what will not let go persists: "spasms ... that won't let go -- rates spasm pain 7/10"
                           r"(?:n't|n’t|\bnot)\s+(?:let|go|going|ease)\s+(?:go|up|away|off)\b", re.I)
# A modal inside the phrase makes it a possibility: "internal motor may stall" (ConText reads
# only cues outside the target).
# A permission is no possibility: "patient is an appropriate candidate, may proceed".
_POSSIBLE_INSIDE = re.compile(r"\b(?:may|might|could)\b(?!\s+(?:now\s+)?(?:proceed|continue|go ahead|resume))"
                              r"|\b(?:possibly|maybe|questionable|suspicious for|concerning for|suggestive of)\b", re.I)
_FAMILY_SECTIONS = {"family_history"}
# How a form's answer composes with what the question's own words assert.
# A question's words are the finding ("Opioid addiction? N"): the answer says whether it is true.
# Where the question's words already deny it ("Adequate body size for the pump?"), Yes confirms
# the denial, and No is a double negative ("stable" read inside "unstable mental disorder? N"),
# set aside rather than guessed.
_ANSWERED_NO = {Assertion.AFFIRMED: Assertion.NEGATED, Assertion.NEGATED: Assertion.HYPOTHETICAL,
                Assertion.HYPOTHETICAL: Assertion.NEGATED, Assertion.POSSIBLE: Assertion.NEGATED,
                Assertion.HISTORICAL: Assertion.NEGATED}
_ANSWERED_YES = {Assertion.HYPOTHETICAL: Assertion.AFFIRMED, Assertion.POSSIBLE: Assertion.AFFIRMED}


_CONDITION_ASIDE = re.compile(r"\((?:if|when|where|as) [^()]*\)|\b(?:if|when|as) (?:recommended|indicated|suggested|"
                              r"applicable|required|needed)\b", re.I)
_PERCENT_SPAN = re.compile(r"%|\bper ?cent\b", re.I)
# A comparison sign before a percentage makes it a threshold, no result.
_THRESHOLD_BEFORE = re.compile(r"(?:>=|=>|≥|>|<=|≤|<)\s*$")
# A form's guide to what to write in ("(drug / max dose / dates / outcome)") names fields to fill
# in: none of its words is a finding.
_FIELD = (r"\s*(?:drug|agent|name|medications?|(?:max(?:imum)? )?dose|dates?|start(?:-stop)?|stop|duration|outcome|"
          r"results?|response|reason(?: stopped)?|frequency|side effects?)\s*")
_FIELD_GUIDE = re.compile(rf"\((?:{_FIELD}/){{2,}}{_FIELD}\)", re.I)
# A problem list's status cell for a problem of the past.
# The values a run-in title's next sentence may give: an amount, not a name or a span of time.
_AMOUNTS = ("life_expectancy", "percent_improvement", "ashworth_drop")
_LISTED = (Kind.TABLE_ROW, Kind.KEY_VALUE, Kind.LIST_ITEM)
_RESOLVED_CELL = re.compile(r"(?:resolved|inactive|historical|remote|remitted|in remission|healed)\b", re.I)

# ...or written at the end of its line, after a dash or a gap: "R52 Generalized pain -- entered by
# urgent care 2022 ... -- INACTIVATED 10/2024".
_RESOLVED_AT_END = re.compile(r"(?:\s{2,}|\s-{1,2}\s*|\|\s*)(?:resolved|inactive|inactivated|remitted|in remission|"
                              r"healed)(?:\s+(?:\d{1,2}/)?\d{2,4})?[\s|]*$", re.I)


def _across_rows(layout: Layout, line: Line, end: int, across_entries: bool) -> bool:
    """Whether a match begun in a table row ends in the next row, or one begun in a labelled value
    ends in the next label's ("PUMP STATUS .... FUNCTIONING" over "MOTOR STALL .... NONE"): they
    are separate entries, and the folded text the rules read joins them. A rule may read two
    entries as one finding on purpose ("Scheduled ... 10" over "Attended ... 3")."""
    if end <= line.end:
        return False
    last = layout.at(end - 1)
    if last is None:
        return False
    if line.kind is Kind.TABLE_ROW:
        return last.kind is Kind.TABLE_ROW and layout.row_start(last) != layout.row_start(line)
    return line.kind is Kind.KEY_VALUE and last.kind is Kind.KEY_VALUE and last.key is not None \
        and last.start != line.start and not across_entries


def _row_resolved(layout: Layout, line: Line, text: str) -> bool:
    """Whether the table row holding `line` (from its first line, when a cell wrapped onto this
    one) has a cell marking it resolved: "C79.49  Secondary malignant neoplasm ...  Resolved
    05/2024" over "(T12 ventral epidural extension - treated SBRT 06/2024)"."""
    first = layout.at(layout.row_start(line)) or line
    return any(_RESOLVED_CELL.match(text, cell.start) for cell in first.cells) \
        or may_match(_RESOLVED_AT_END, text, first.start, line.end) \
        and _RESOLVED_AT_END.search(text, first.start, line.end) is not None


# A label a template left unfilled: "Clearance: ***", "Psych eval: *** (date ***)", "Prognosis: ____".
# After a colon, an equals sign or a dot leader of any length: "Clearance: ***", "clearance . ***".
# ...or in the next cell of its table row: "| Psychological evaluation / clearance | *** |".
_TEMPLATE_BLANK = re.compile(r"[ \t]*(?:[:=|]|\.+|…+)?[ \t]*(?:\*{3,}|_{3,}|\?{3,})")
# ...however long the label: "Estimated life expectancy of 3 months or more (required by plan): ***".
_LABEL_UNFILLED = re.compile(r"[^:=\n]*[:=][ \t]*(?:\*{3,}|_{3,}|\?{3,})[ \t]*$")


def _label_unfilled(text: str, start: int, end: int) -> bool:
    """`_LABEL_UNFILLED` matches at `start`, looked for only where the line holds a blank's marks:
    its leading run otherwise walks back over the whole of a long line at every mention."""
    marks = _blank_marks(text)
    k = bisect.bisect_left(marks, start)
    return k < len(marks) and marks[k] + 3 <= end and _LABEL_UNFILLED.match(text, start, end) is not None


@lru_cache(maxsize=8)
def _blank_marks(text: str) -> tuple[int, ...]:
    """Where a blank's marks ("***", "___", "???") begin in the text, found once per document."""
    found: set[int] = set()
    for marks in ("***", "___", "???"):
        at = text.find(marks)
        while at >= 0:
            found.add(at)
            at = text.find(marks, at + 1)
    return tuple(sorted(found))


# A block an older record's words fill: what it says is of then.
_COPIED_LEAD = re.compile(r"\b(?:copied|carried|pulled) (?:\w+ )?(?:forward|fwd|over)\b|\bcop(?:y|ied)-forward\b|"
                          r"\bcarr(?:y|ied)-forward\b", re.I)
# Other drugs stopped while the finding was read name no route of it: "average pain 8 -> 3 (about
# 63-70% reduction) with oral opioids stopped" is the intrathecal trial's relief.
_STOPPED_ALONGSIDE = re.compile(r"\bwith (?:(?:all|his|her|their|the|oral|systemic|po|home)\s+)*(?:opioids?|analgesics|"
                                r"pain medications?|meds) (?:stopped|held|discontinued|off|weaned)\b", re.I)
# A block of text copied forward from an earlier note, between its own fences: "--- copied
# forward from 05/14/2024, reviewed ---" ... "--- end copied text ---" (or up to a blank line).
# (The copy's own words are _COPIED_LEAD's.)
_COPIED_FENCE = re.compile(r"^[ \t]*(?:[-=*#]{2,}[ \t]*)?(?P<lead>[^\n]{0,80}?(?:" + _COPIED_LEAD.pattern
                           + r")[^\n]{0,60})$", re.I | re.M)
_COPIED_END = re.compile(r"^[ \t]*(?:[-=*#]{2,}[^\n]*\bend\b[^\n]*|[-=*#]{3,}[ \t]*)$|^[ \t]*$", re.I | re.M)


_OWN_LABEL = re.compile(r"^[ \t]*[A-Z][A-Za-z /&()-]{1,40}:[ \t]*$", re.M)
# ...or a label saying so in brackets, its paragraph running on after the colon: "INTERVAL HISTORY
# (carried forward from visit of 03/14/2022): Ms. S continues to have burning pain ...".
_COPIED_LABEL = re.compile(r"^[ \t]*[A-Z][A-Za-z /&-]{1,40}\((?P<lead>[^()\n]{0,80}?(?:" + _COPIED_LEAD.pattern
                           + r")[^()\n]{0,60})\)[ \t]*:", re.I | re.M)
_PARAGRAPH_END = re.compile(r"\n[ \t]*\n")


def copied_blocks(text: str) -> list[tuple[int, int, dt.date]]:
    """(start, end, date) of each block copied forward from a dated earlier note: what it says
    was said then ("A/P (05/14) #2. Psych: evaluation ordered; clearance pending" copied into an
    August note is May's word)."""
    blocks = []
    for fence in _COPIED_FENCE.finditer(text):
        if len(fence.group("lead").split()) > 14 or (dates := parse_dates(fence.group("lead"))) == []:
            continue
        start = fence.end() + 1
        end = _COPIED_END.search(text, start)
        stop = end.start() if end else len(text)
        if not re.match(r"[ \t]*[-=*#]{2,}", fence.group(0)):
            # An unfenced lead ("History copied forward from 03/02/2025:") reaches only to the next
            # label of the note's own ("Interval history:", "A/P:").
            label = _OWN_LABEL.search(text, start, stop)
            stop = label.start() if label else stop
        blocks.append((start, stop, dates[0][0]))
    for label in _COPIED_LABEL.finditer(text):
        if (dates := parse_dates(label.group("lead"))) == []:
            continue
        end = _PARAGRAPH_END.search(text, label.end())
        blocks.append((label.end(), end.start() if end else len(text), dates[0][0]))
    return sorted(blocks)


# A lead-in that lists candidates: "Under-infusion, cause NOT yet established. DDx:", "Possible causes:".
# (One word list for the three: a lead-in, a sentence, a title.)
_DIFFERENTIAL = r"d\s?dx|differential(?: diagnos[ie]s)?|d/d"
_DIFFERENTIAL_LEAD = re.compile(rf"\b(?:{_DIFFERENTIAL}|possible (?:causes|etiologies)|"
                                r"(?:causes|etiologies) (?:being )?considered|rule[- ]outs?|r/o)\s*:\s*$", re.I)
# ...or named in the same sentence: "DDx low reservoir (10 wks since refill) vs battery/ERI vs other".
# (Its own colon may follow it, and a numbered list run on: "DDx: (1) disease progression (rising PSA, new
# lesions?), (2) catheter complication - migration, kink, ..., (3) pump malfunction (motor stall)"; "vs."
# is no full stop: "differential: UTI/febrile illness vs. low reservoir vs. catheter or pump problem".)
_DIFFERENTIAL_INLINE = re.compile(rf"\b(?:{_DIFFERENTIAL})\b\s*:?"
                                  r"(?:(?!\bbut\b|\bhowever\b|\bshow|\bconfirm|\bdemonstrat)(?:\bvs\.|[^.;:])){0,200}$",
                                  re.I)
# ...or listed under a title that names them a differential.
_DIFFERENTIAL_TITLE = re.compile(rf"\s*(?:{_DIFFERENTIAL}|possible (?:causes|etiologies))\b", re.I)
_FAMILY_LEAD = re.compile(r"\bfamily (?:medical )?history\b|\b(?-i:FHx?)\b|\bin the family\b", re.I)
# A title naming a course's plan (the ConText rule "plan of care:" reads it inline).
_PLAN_OF_CARE = re.compile(r"[ \t]*(?:(?:proposed|initial)\s+)?(?:plan of care|treatment plan|plan of treatment)\b"
                           r"[ \t]*:?[ \t]*$", re.I)
# A list under "Recommendations" says what should be done; an item may still report what was.
_RECOMMENDATIONS = re.compile(r"\brecommend\w*|\bsuggestions\b", re.I)
# (A referral "was offered", she "is on the waitlist": still to be done.)
_REPORTS_DONE = re.compile(r"\b(?:completed|attended|finished|underwent|has had|had|has been|was|were|did)\b"
                           r"(?!\s+(?:offered|recommended|suggested|discussed|advised|referred|requested|scheduled|"
                           r"booked|made|placed|put|added)\b)", re.I)
# The name of a questionnaire or rating instrument, not a finding: "Current Opioid Misuse Measure
# .... 4 (below cutoff of 9)", "Pain Catastrophizing Scale 31". Its score says what was found.
_INSTRUMENT_NAME = re.compile(r"(?:[ \t]+[A-Z][a-z]+){0,2}[ \t]+(?:Measure|Scale|Inventory|Questionnaire|Index|"
                              r"Screener|Screening (?:Tool|Test|Questionnaire)|Tool)\b")
# The line under a labelled finding, opening with a word that qualifies it, standing alone as the
# line's first word: "Suspected, not yet proven." ("Likely cause of the withdrawal, confirmed on
# dye study" opens a sentence of its own).
_QUALIFIED_BELOW = re.compile(r"[ \t]*\n[ \t]*(?:(?:(?P<out>ruled out|excluded)|suspected|possible|possibly|probable|"
                              r"probably|presumed|presumptive|likely|questionable|unconfirmed)\s*(?:[,.;:]|$)"
                              r"|not (?:yet )?(?:proven|confirmed|established)\b)", re.I | re.M)
# The first word of a key's answer: the word that denies it ("NKDA", "none", "No").
_ANSWER_WORD = re.compile(r"\s*[\w/-]+")


# A ticked item's mark, and the arrow that opens a line of its detail.
_TICKED = re.compile(r"[ \t]*(?:\[[xX✓✔]\]|\([xX]\)|[☒☑✓✔])")
_DETAIL = re.compile(r"[ \t]*(?:-+>|→|=>)")


def _tick_detail(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The lines under a ticked item that detail it, each opened by an arrow or set deeper than the
    item ("[x] Psych clearance" / "     -> Psych eval ... was done per pt." / "        decision NOT
    yet received."), up to the next item or a blank line."""
    line_start = text.rfind("\n", 0, start) + 1
    if not _TICKED.match(text, line_start):
        return None
    indent = len(text[line_start:start]) - len(text[line_start:start].lstrip())
    at, detail_end = end, None
    while at < len(text) and text[at] == "\n":
        following_end = text.find("\n", at + 1)
        following_end = len(text) if following_end < 0 else following_end
        following = text[at + 1:following_end]
        deeper = len(following) - len(following.lstrip()) > indent + 1
        if not following.strip() or not (_DETAIL.match(following) or deeper) or _TICKED.match(following):
            break
        detail_end, at = following_end, following_end
    return (end, detail_end) if detail_end is not None else None


# A recommendation the same clause says was carried out blocks nothing: "completed the recommended
# CBT", "CBT recommended -> completed 10 sessions".
# A clause that takes back the one before it: "but set aside", "but was declined".
_UNDONE_NEXT = re.compile(r"\s*but\s+(?:was\s+|were\s+|then\s+)?(?:set aside|rejected|declined|not pursued|"
                          r"decided against|dropped|withdrawn)\b"
                          # "Morphine appears in the EHR allergy list, but the reaction was myoclonus ...,
                          # an intolerance rather than an allergy": the listing is taken back.
                          r"|\s*but\s+[^.;\n]{0,100}?\bintolerance,?\s+(?:rather than|not)\s+"
                          r"(?:an?\s+)?(?:true\s+)?allerg\w*"
                          # "She wondered about a bigger reservoir ...; that is not why we are replacing
                          # the pump": the wish is set aside as the reason.
                          r"|\s*[;,]\s*(?:but\s+)?(?:that|this|it)\s+(?:is|was)\s+not\s+(?:why|the reason)\b",
                          re.I)
_DONE_AS_ADVISED = re.compile(
    r"\b(?:complet\w*|attend\w*|finish\w*|underwent|did)\s+(?:the\s+|all\s+(?:the\s+)?)?(?:[\w-]+\s+){0,4}?"
    r"(?:recommended|suggested|advised|prescribed)\b"
    r"|\b(?:recommended|suggested|advised)\s*(?:->|-->|=>|\u2192|,|;|and|then)?\s*(?:(?:was|were|and|then|has been|"
    r"since)\s+)?(?:complet\w*|attend\w*|finish\w*|done)\b"
    # ...or says was not: "the CBT course recommended in the evaluation has not been completed".
    # ...or done after it: "She recommended a course of pain-focused CBT, which he completed".
    r"|\b(?:recommended|suggested|advised)\b(?=[^.;\n]{0,60}?,?\s*which\s+(?:she|he|they|the patient|pt)\s+"
    r"(?:has\s+|had\s+|then\s+)?(?:complet\w*|attend\w*|finish\w*|did)\b)"
    # ...or told after a comma: "(recommended on psych eval, completed)".
    r"|\b(?:recommended|suggested|advised)\b[^.;\n(),]{0,40}?,\s*(?:and\s+|then\s+)?(?:complet\w*|attend\w*|finish\w*|done)\b"
    r"(?!\s+(?:to be|pending|not|unknown|unconfirmed|awaited))"
    # ...or done as asked, said last: "She completed 8 sessions of pain CBT in 2024 per his recommendation".
    r"|\b(?:complet\w*|attend\w*|finish\w*|underwent)\b[^.;\n]{0,60}?\b(?:per|on|at|following|after)\s+"
    r"(?:his|her|their|the)\s+(?:[\w']+\s+)?(?:recommendation|suggestion|advice)\b"
    # ...or done at its suggestion: "At the suggestion of his psychologist he completed a course of CBT".
    r"|\b(?:at|on|per)\s+the\s+(?:suggestion|recommendation|advice)\s+of\s+(?:[\w.'-]+\s+){0,4}?,?\s*"
    r"(?:she|he|they|the patient|pt)\s+(?:has\s+|had\s+|then\s+)?(?=complet|attend|finish|underw)"
    r"|\b(?:recommended|suggested|advised)\b(?=[^.;\n]{0,60}?\b(?:has|have|was|were|had)\s+(?:not|never)\s+(?:yet\s+)?"
    r"(?:been\s+)?(?:complet\w*|attend\w*|finish\w*|done|started|begun)\b)", re.I)
# A word a clause denies: "no sedation", "without drowsiness", "denies nausea", "negative for".
# A denial reaches along its list ("with no rash, hives or other hypersensitivity reaction", "w/o
# allergic reaction"), not into a clause with a subject of its own ("pain did not drop below 7/10
# and he developed constipation"). "Cannot" denies the next word only: "cannot control his tone".
_DENIED_BEFORE = re.compile(r"\b(?:can(?:not|'t|’t)|could(?:n't|n’t)|unable to)\s+$"
                            r"|(?:\b(?:no|not|never|without|denie[sd]|negative for|free of)|\bw/o)\s+"
                            # (words apart by spaces, or joined by a slash: "no drowsiness/weakness")
                            r"(?:(?!(?:he|she|they|it|we|i|pt|patient|that|which|who)\b)[\w-]+(?:/|,?\s+(?:(?:or|and|nor)\s+)?)){0,5}$"
                            # "none of the oral agents or other non-invasive measures controls her spasticity"
                            r"|\b(?:none|neither) of\s+(?:[\w/-]+,?\s+){0,8}$",
                            re.I)


# A word the clause asks about is not its finding: "wondered whether it meant the pump was failing".
# ...nor one a condition names: "If sleepy or weak at the higher dose, call".
# An instruction's condition is one too: "Baclofen up to 15 TID from today; call if drowsy".
_IF_BEFORE = re.compile(r"(?:^|[.;:]\s+|\n\s*)(?:(?:call|phone|notify|page|contact|report|return|hold|stop|skip)\s+"
                        r"(?:\w+\s+){0,2}?)?(?:if|should (?:he|she|they|there be))\s+(?:[\w/-]+\s+){0,2}$", re.I)
# ...nor what the patient cannot tell: "she cannot recall the dose, how long she took it or why it was
# stopped" names no reason it stopped.
_ASKED_BEFORE = re.compile(r"\b(?:asked|asks|asking|wondered|wonders|wondering|inquired|inquires|questioned)\s+"
                           r"(?:\w+\s+)?(?:whether|if)\b"
                           r"(?:(?!\band\s+(?:the|his|her|it|she|he)\b)[^.;?\n,]){0,60}$"
                           r"|\b(?:cannot|can.t|could not|couldn.t|does not|doesn.t|did not|unable to)"
                           r" (?:recall|remember|say|tell)\b[^.;?]{0,60}?\b(?:why|whether|if)\b[^.;?]{0,30}$", re.I)
# ...nor one named as the worry ("Pump malfunction concern"); a form's "failed?" is answered
# by its box, read by the layout.
_ASKED_AFTER = re.compile(r"\w*[ \t]*(?:concerns?|questions?|query|suspected)\b(?!\s+and\s+confirmed)", re.I)


# A relative introduced by name ("lives with her daughter Joanne and her son Paul"): the name is
# that relative wherever the note goes on to use it ("Paul is in recovery from an opioid use disorder").
_RELATION = (r"(?:son|daughter|husband|wife|spouse|partner|mother|father|brother|sister|grandson|granddaughter|"
             r"uncle|aunt|cousin|nephew|niece|stepson|stepdaughter|stepfather|stepmother|stepbrother|stepsister|"
             r"grandmother|grandfather|grandma|grandpa|(?-i:[MP]G[FM]))")
# The answer's details name a relative first: "brother - heroin, passed 2019", "Mother (breast ca)".
_RELATIVE_LABEL = re.compile(rf"[ \t]*(?:[-*•][ \t]*)?(?:(?:maternal|paternal)[ \t]+)?(?:{_RELATION}|mom|dad)s?"
                             r"[ \t]*(?:\([^)\n]*\)[ \t]*)?(?:[-–—:]|\.{2,})[ \t]", re.I)
_NOT_THE_PATIENT = re.compile(r"\bnot (?:the )?(?:pt|patient)\b", re.I)
_TOLD_BY = re.compile(r"\b(?:he|she|his|her|him|pt|patient|reports?|states?|says|said|thinks|notes?|feels?|"
                      r"describes?|asks?|wants?|worried|has|had|is|was|present|endorse\w*|interview\w*|"
                      r"accompan\w*|bedside|caregiver|dad|mom|mum)\b", re.I)
# A condition on a finding's confirmation, just before the mention: the finding is still to come.
_ON_CONFIRMATION = re.compile(r"\b(?:if|once|until|unless)\s+(?:(?:the\s+)?[\w/-]+\s+){0,3}?"
                              r"(?:confirm\w*|verif\w*|proven|established|found|shows?|demonstrates?)\s+"
                              r"(?:(?:to\s+be|as|that|it\s+is)\s+)?(?:\w+\s+){0,2}?$", re.I)
# ConText's words for a thing awaited (its "pending" rule): still to come, not only planned.
_STILL_TO_COME = frozenset(WORD_LISTS["still_to_come"])
# ...said of the mention itself, beside it: "clearance ... DEFERRED", not "Pump at ERI, replacement
# pending authorization" (ConText's pending reaches the whole sentence).
_AWAITED_REACH = 24


def _beside(text: str, span: Span, cue: Modifier) -> bool:
    """The cue stands by the mention, in its clause: no comma or semicolon between them."""
    lo, hi = (span.end_char, cue.start) if cue.start >= span.end_char else (cue.end, span.start_char)
    return hi - lo <= _AWAITED_REACH and not re.search(r"[,;]", text[lo:hi])
_RELATIVE_FIRST = re.compile(rf"\s*(?:(?:her|his|the patient's|pt's|maternal|paternal)\s+)?{_RELATION}s?\b"
                             r"\s*(?:[-–:(,]|\b(?:has|had|with|is|was)\b|\bw/)", re.I)  # ("brother w/ hx heroin use")
# An answer's own note that it is a relative's: "Y  - see family hx, uncle", "Yes (FHx: brother)".
_FAMILY_NOTE = re.compile(rf"\s*[-–:;,(]*\s*(?:see\s+)?(?:(?:family|fam\.?)\s*(?:hx|history)|(?-i:FHx?)\b|"
                          rf"(?:(?:her|his|maternal|paternal)\s+)?{_RELATION}s?\b)", re.I)
_NAMED_RELATIVE = re.compile(
    rf"\b(?:her|his|their|the patient's|pt's)\s+(?:(?:older|younger|adult|late)\s+)?"
    rf"{_RELATION}\s*,?\s+(?-i:([A-Z][a-z]{{2,}}))\b", re.I)


def relative_names(text: str) -> re.Pattern[str] | None:
    """The first names a document gives its patient's relatives, as one pattern (None if none)."""
    names = sorted({m.group(1) for m in _NAMED_RELATIVE.finditer(text)})
    return re.compile(r"\b(?:" + "|".join(names) + r")\b") if names else None


# The relation word right before a name: "his son Liam", "her sister, Ana".
_INTRODUCED = re.compile(rf"\b{_RELATION}\s*,?\s+$", re.I)


# The patient's sex, as a note states it: "Mateo is a 14 yo boy", "52-year-old female", "Sex: M".
_PATIENT_SEX = re.compile(r"\b(?:\d{1,3}|[a-z]+(?:-[a-z]+)?)[- ]?(?:yo|y/o|y\.o\.|yr[- ]old|years?[- ]old)\s+"
                          r"(?:[a-z-]+\s+)?(male|female|man|woman|boy|girl|gentleman|lady|M|F)\b"
                          r"|\b(?:sex|gender)\s*[:=]?\s*(male|female|M|F)\b", re.I)
_FEMALE_RELATIVE = re.compile(r"\b(?:mum|mom|mommy|mummy|mother|sister|wife|daughter|grandmother|grandma|aunt|"
                              r"niece|stepmother|stepmom)\b", re.I)
_MALE_RELATIVE = re.compile(r"\b(?:dad|daddy|father|brother|husband|son|grandfather|grandpa|uncle|nephew|"
                            r"stepfather|stepdad)\b", re.I)
_PRONOUN = re.compile(r"\b(she|her|he|him|his)\b", re.I)


@lru_cache(maxsize=1)
def _patient_sex_set() -> PatternSet:
    """`_PATIENT_SEX` for fastmatch, built once, on first use."""
    return PatternSet([_PATIENT_SEX.pattern])


def patient_sex(text: str) -> str | None:
    """'m' or 'f' where the note states the patient's sex, else None."""
    # The first match, found among the windows of the pattern's required words (the same match a
    # search would find, without trying the pattern at every offset of the note).
    first = next(_patient_sex_set().finditer(text), None)
    found = None if first is None else _PATIENT_SEX.match(text, first[1])
    if found is None:
        return None
    word = (found.group(1) or found.group(2)).lower()
    return "m" if word in ("male", "man", "boy", "gentleman", "m") else "f"


def _relative_by_pronoun(before: str, sex: str) -> bool:
    """The mention's subject is a pronoun the patient's sex rules out, close before it with no
    word for the patient between, and a relative of that sex is named earlier in the sentence:
    "Mum (Carla) not here today; dad mentions she is doing well - she has a history of opioid use
    disorder" in a boy's note is his mother's history."""
    pronouns = list(_PRONOUN.finditer(before))
    if not pronouns:
        return False
    last = pronouns[-1]
    word = last.group(1).lower()
    if word not in ("she", "he") or (word == "she") == (sex == "f") or len(before) - last.end() > 60:
        return False
    relatives = _FEMALE_RELATIVE if word == "she" else _MALE_RELATIVE
    return relatives.search(before, 0, last.start()) is not None


# A sentence whose subject is a relative, its next clause going on about them by pronoun: "Their
# son Daniel, thirty four, moved back in this summer; he is in recovery from opioid use disorder".
# A parent needs no possessive, and another relative may tell it: "Dad is involved at weekends; mum
# volunteered that he has a history of opioid dependence" (the pronoun then of the subject's sex).
_RELATIVE_SUBJECT_GOES_ON = re.compile(
    rf"\W*(?:(?:their|his|her|our|the patient'?s|pt'?s)\s+(?P<relative>{_RELATION}|mom|mum|dad)"
    r"|(?P<parent>mom|mum|dad))\b"
    r"[^;.\n]*;\s*(?:(?:mom|mum|mother|dad|father|wife|husband)\s+(?:volunteered|reports?|reported|says|said|states|"
    r"stated|mentions|mentioned|notes|noted|adds|added)\s+(?:that\s+)?)?"
    r"(?P<pronoun>he|she|they)\s+(?:is|was|are|were|has|had|remains|continues|'s)\b[^;.]*$", re.I)


def _relative_goes_on(text: str, start: int, end: int) -> bool:
    """The sentence's subject is a relative and the clause after its ";" goes on about them by a
    pronoun of their sex (any pronoun after a possessive relative, as before)."""
    found = _RELATIVE_SUBJECT_GOES_ON.match(text, start, end)
    if found is None:
        return False
    if found.group("parent") is None:
        return True
    pronoun = found.group("pronoun").lower()
    relatives = _FEMALE_RELATIVE if pronoun == "she" else _MALE_RELATIVE
    return pronoun != "they" and relatives.fullmatch(found.group("parent")) is not None


def _relative_named(relatives: re.Pattern[str], clause: str, end: int) -> bool:
    """A relative named before `end` as the clause's subject, not where the name is introduced:
    "seen today with his son Liam for ... metastatic adenocarcinoma" is the patient's cancer."""
    return any(not _INTRODUCED.search(clause, max(0, m.start() - 40), m.start())
               for m in relatives.finditer(clause, 0, end))


_TABLE = frozenset({Kind.TABLE_HEADER, Kind.TABLE_ROW})
# A relative named as the owner of what follows ("her daughter's", "his brother’s"), or the family
# as a whole ("family history").
_RELATIVES_OWN = re.compile(r"['’]s$|^family$|\bown$", re.I)
# ...or the relative the subject of the history told: "Mother reports her own history of depression,
# treated and stable", "Father has a history of alcohol use disorder, sober since 2015".
# ("Mother reports her own history" is ConText's family.teller_own cue, its text ending in "own".)
_RELATIVE_AS_SUBJECT = re.compile(r"\s+(?:has|had)\s+(?:an?\s+)?(?:(?:long|remote|prior|past)\s+)?(?:history|hx|h/o|"
                                  r"diagnosis|dx)\b|\s+(?:herself|himself)\b", re.I)


# A numbered list's marker the splitter leaves as a sentence: "1." / "ITB catheter grossly intact." / "2.".
_BARE_MARKER = re.compile(r"\s*(?:\d{1,2}|[a-hA-H])[.)]\s*")


def _context_start(spans: list[Span], i: int, window: int, layout: Layout, line: Line) -> tuple[int, tuple[int, int]]:
    """Where the `window` sentences before sentence `i` begin, and the table passed over on the way
    (an empty range if none). Prose after a table reads the sentences before the table, not its
    cells: "Peak relief 62% (8 -> 3) ..." under an hourly table reads the line that introduced it
    ("Intrathecal trial 12/10/2024: single intrathecal bolus ..."), not a drug or SpO2 in a row."""
    k, skipped = i, (0, 0)
    for _ in range(window):
        if k == 0:
            break
        k -= 1
        while k > 0 and _BARE_MARKER.fullmatch(layout.text, spans[k].start_char, spans[k].end_char):
            k -= 1  # a list's number, split off as a sentence of its own ("2."), is no sentence
        if line.kind not in _TABLE and _in_table(layout, spans[k]):
            last = k
            while k > 0 and _in_table(layout, spans[k - 1]):
                k -= 1
            if skipped == (0, 0):
                skipped = spans[k].start_char, spans[last].end_char
            if k == 0:
                break
            k -= 1
    return spans[k].start_char, skipped


def _in_table(layout: Layout, sent: Span) -> bool:
    found = layout.at(sent.start_char)
    return found is not None and found.kind in _TABLE


@lru_cache(maxsize=2048)
def _found(lexicon: re.Pattern[str], window: str, affirmed: bool) -> bool:
    """The lexicon is in the window; with `affirmed`, somewhere its clause does not deny it.
    Cached: a sentence's mentions ask the same lexicons of the same window. Searched through
    `quick`: the same matches, without testing the lexicon's word-start lookbehind at every offset."""
    search = quick(lexicon)
    if not affirmed:
        return search.search(window) is not None
    return any(not _denied_at(window, m.start())
               and not _ASKED_BEFORE.search(window, _back(window, m.start(), 80), m.start())
               and not _IF_BEFORE.search(window, _back(window, m.start(), 40), m.start())
               and not _ASKED_AFTER.match(window, m.end()) for m in search.finditer(window))


# What a cue's clause only supposes: "does not rule out a catheter problem such as a disconnection,
# a kink or a leak", "If that confirms a catheter or pump failure".
_SUPPOSED_BEFORE = re.compile(r"\b(?:if|unless|whether|rule out|exclude|r/o|such as|possible|possibly|suspect\w*|"
                              r"concern for|confirms?)\b[^.;]*$", re.I)


def _asserted(lexicon: re.Pattern[str], window: str) -> bool:
    """The lexicon is in the window where its sentence neither denies nor only supposes it."""
    return any(not _denied_at(window, m.start())
               and not _SUPPOSED_BEFORE.search(window, max(0, window.rfind(".", 0, m.start()) + 1), m.start())
               for m in quick(lexicon).finditer(window))


def _denied_at(window: str, at: int) -> bool:
    """The words just before `at` deny what starts there: "no ", "unable to ", "none of the ..."."""
    return _DENIED_BEFORE.search(window, _back(window, at, 60), at) is not None


_SPACE_RUN = re.compile(r"\s{2,}")


def _back(window: str, at: int, reach: int) -> int:
    """Where looking back `reach` characters from `at` starts, a run of spaces counting as one: a
    table's wrapped cell ("tolerating, no" / <65 spaces> "sedation") is read as its words."""
    lo = max(0, at - reach)
    if "  " not in window[lo:at]:
        return lo
    return max(0, lo - sum(len(run) - 1 for run in _SPACE_RUN.findall(window, lo, at)))


@lru_cache(maxsize=512)  # a rule's mentions in one unit build the same text to block on
def _sub(pattern: re.Pattern[str], replacement: str, text: str) -> str:
    """`pattern.sub(replacement, text)`, not tried where none of the words each match holds is in
    the text (most windows and clauses: the patterns are long alternations)."""
    return pattern.sub(replacement, text) if may_match(pattern, text) else text


def _in_note(rule: TargetRuleSpec, name: str, text: str, lexicons: dict[str, re.Pattern[str]]) -> bool:
    """A required lexicon met anywhere in the document (a note, as packets mostly give them) by the
    narrower one the rule names for it."""
    narrower = rule.requires_in_note.get(name)
    return narrower is not None and _found(lexicons[narrower], text, True)


def _reading_unit(line: Line, span: Span, sent: Span, layout: Layout, line_sentence_end: int) -> tuple[int, int]:
    """What a mention is read and cited with: a form question with its answer, a key with its
    value, a table row whole; elsewhere the sentence, within its paragraph or list item."""
    if line.kind is Kind.QUESTION and line.key is not None and line.value is not None:
        # The answer may stand before the question ("7. ☐ Yes ☒ No   Replacement for convenience").
        end = max(line.value[1], line.end if line.value[0] <= line.end else line.value[1])
        return min(line.key[0], line.value[0]), end
    if line.kind is Kind.KEY_VALUE and line.key is not None and line.key[0] <= span.start_char < line.key[1]:
        # A mention that starts in the key ("IMPLANTED ..... 05/14/2019"), with the value's words
        # wrapped onto the lines below ("Prognosis: ... I expect he has roughly" / "a year, ..."),
        # to the end of the sentence the line ends in ("... My estimate of his survival is in the"
        # / "range of 8 to 12 months").
        return line.start, max(line.end, min(max(sent.end_char, line_sentence_end), layout.prose(span.start_char)[1]))
    if line.kind is Kind.TABLE_ROW:
        return layout.row_start(line), layout.row_end(line)  # a wrapped row is read whole
    if line.kind is Kind.QUESTION:
        return max(sent.start_char, line.start), min(sent.end_char, line.end)
    if line.kind is Kind.KEY_VALUE:
        # A value ends with its line, or with the prose lines it wraps onto: the splitter may run
        # "HYDROMORPHONE PF ONLY" on into the next line's "ALLERGIES ......", another key's. Its
        # first sentence is read with its key ("BREAKTHROUGH ORAL HYDROMORPHONE ..... 40 -> 16 mg/d
        # (60% REDUCTION)": the oral drug's), even where the splitter cut at the dot leaders.
        start = sent.start_char
        if line.key is not None and line.value is not None and start <= line.value[0] + 2:
            start = line.start
        return max(start, line.start), min(sent.end_char, layout.prose(span.start_char)[1])
    if line.kind in (Kind.NARRATIVE, Kind.LIST_ITEM):
        lo, hi = layout.prose(span.start_char)
        start = sent.start_char
        first = layout.text[line.start:line.start + 1]
        if line.kind is Kind.NARRATIVE and start == line.start and not (
                first.isupper() or first.isdigit() or first in "[•" or opens_on_box(layout.text[line.start:line.end])):
            # A wrapped line goes on with the line above: "intolerance (not allergic;" / "on IT
            # baclofen)". (Not a dated entry of its own: "05/2024: CBT-CP completed - 8 of 8
            # sessions" under "12/2023: CBT for pain recommended ...", nor a checklist's box: "[ ]
            # Psychological evaluation" under "[X] Anticoag: none".)
            start = lo
        elif start < lo and (above := layout.at(start)) is not None \
                and above.kind in (Kind.KEY_VALUE, Kind.QUESTION) \
                and above.value is not None and above.value[0] <= start:
            # A sentence begun in the value or answer above goes on here: "Impression: ... There
            # was no" / "Ashworth change, so the test does not reach the one-point threshold";
            # "... field safety notice?  No" / "(checked against manufacturer advisory list)".
            lo = start
        return max(start, lo), min(sent.end_char, hi)
    return sent.start_char, sent.end_char


# A "Yes" whose remark is an appointment or a referral: the thing asked about is still to come.
_ANSWER_BOOKED = re.compile(r"[\s:,;-]*(?:appt|appointment|scheduled|booked|referred|referral|pending|awaiting)\b",
                            re.I)


# ...and a "No" whose remark has the answer awaited.
_ANSWER_AWAITED = re.compile(r"\b(?:awaiting|awaited|pending|to follow|will follow|msg (?:sent|to)|"
                             r"message (?:sent|left)|faxed|not yet (?:received|available))\b", re.I)
# A form's answer runs on over its indented continuation lines.
_ANSWER_RUNS_ON = re.compile(r"[^\n]*(?:\n[ \t]+\S[^\n]*)*")


def _answer_told(text: str, line: Line) -> str:
    assert line.value is not None
    told = _ANSWER_RUNS_ON.match(text, line.value[0])
    return told.group(0) if told else ""


_BRACKETED_LIST = re.compile(r"\(([^()\n]{3,160})\)")


def _among_examples(text: str, line: Line, start: int, end: int) -> bool:
    """The mention is one of three or more kinds a question lists in brackets."""
    if line.key is None or not line.key[0] <= start < line.key[1]:
        return False
    return any(m.start() < start and end <= m.end() and m.group(1).count(",") >= 2
               for m in _BRACKETED_LIST.finditer(text, *line.key))


_ALTERNATIVE_ASKED = re.compile(r"(?<![A-Za-z])OR\s")


def _layout_assertion(found: Assertion | None, rule: TargetRuleSpec, line: Line, span: Span,
                      text: str, lexicons: dict[str, re.Pattern[str]]) -> Assertion | None:
    """A question is decided by its answer and a key by its value; an empty box asserts nothing."""
    if not line.in_key(span.start_char, span.end_char) and empty_box_for(text, line, span.start_char):
        return Assertion.HYPOTHETICAL
    if options_unanswered(text, line, span.end_char):
        return Assertion.HYPOTHETICAL
    if _offered_choice(text, line, span.start_char, span.end_char):
        return Assertion.HYPOTHETICAL
    if found is Assertion.AFFIRMED and line.kind is Kind.QUESTION and line.reading is Reading.YES \
            and _among_examples(text, line, span.start_char, span.end_char):
        # A "Yes" to a question listing its kinds says one of them, not which: "Rationale documented
        # (interrogation, imaging, flow/dye study, battery EOL)? ..... YES". (A "No" denies each.)
        return Assertion.HYPOTHETICAL
    if found is Assertion.AFFIRMED and line.kind is Kind.QUESTION and line.reading is Reading.YES \
            and line.key is not None and _ALTERNATIVE_ASKED.search(text, line.key[0], line.key[1]):
        # ...and so does one to a question of alternatives in capitals: "failed oral anti-spasticity
        # medication after a trial of at least 6 weeks, / OR been unable to tolerate it? .. YES [X]"
        # says the first or the second, not which.
        return Assertion.HYPOTHETICAL
    if found is Assertion.AFFIRMED and line.kind is Kind.QUESTION and line.reading is Reading.YES \
            and line.value is not None and _ANSWER_BOOKED.match(text, line.value[1], line.end):
        # "... completed with clearance? .... Y   appt 06/18/24 Dr. A": booked, not done.
        return Assertion.HYPOTHETICAL
    answer = row_answer(text, line, span.start_char) if found is Assertion.AFFIRMED else None
    if answer is Reading.NO:
        return Assertion.NEGATED  # "SUB Substance Abuse    45T    Within normal limits"
    if answer in (Reading.NOT_APPLICABLE, Reading.PENDING):
        return Assertion.HYPOTHETICAL  # "| Psych clearance on file | [ ] |": asked, not answered
    if found is Assertion.AFFIRMED and row_refused(text, line, span.start_char):
        return Assertion.HYPOTHETICAL  # "04/2024 | PT re-referral | pt declined": offered, not given
    if line.kind is Kind.KEY_VALUE and line.reading is Reading.NO and found is Assertion.AFFIRMED \
            and line.value is not None and _BARE_NONE.match(text, line.value[0]) \
            and not _VALUE_SENTENCE_ENDS.search(text, line.value[0], span.start_char):
        return Assertion.NEGATED  # "Morphine ...... none (on IT morphine since 2020)": the aside is no finding
    if found is Assertion.AFFIRMED and line.kind is Kind.KEY_VALUE and line.value is not None \
            and line.value[0] <= span.start_char and (below := _QUALIFIED_BELOW.match(text, line.end)):
        # A labelled finding its next line qualifies: "ASSESSMENT: CATHETER MALFUNCTION" over
        # "Suspected, not yet proven. ..." is a suspicion; over "Ruled out ..." a denial.
        return Assertion.NEGATED if below.group("out") else Assertion.POSSIBLE
    if line.kind is Kind.KEY_VALUE and line.reading is Reading.NOT_APPLICABLE and found is Assertion.AFFIRMED \
            and line.value is not None and line.value[0] <= span.start_char \
            and len(text[line.value[0]:line.value[1]].split()) <= 6:
        # A value that points elsewhere names what it points to and asserts nothing of it:
        # "Injections ....... see sympathetic blocks above".
        return Assertion.HYPOTHETICAL
    if line.kind not in (Kind.QUESTION, Kind.KEY_VALUE) or not line.in_key(span.start_char, span.end_char):
        return found
    reading = line.reading
    if reading in (Reading.NOT_APPLICABLE, Reading.PENDING):
        return Assertion.HYPOTHETICAL
    if reading is Reading.NO and line.value is not None and line.key is not None and line.key[1] <= line.value[0] \
            and _ANSWER_AWAITED.search(_answer_told(text, line)):
        # A "No" whose remark has the record asked for is not yet there, no denial: "Life expectancy
        # >= 3 mo documented .... NO - not stated in onc notes; msg to Dr F 06/05, awaiting reply".
        return Assertion.HYPOTHETICAL
    if reading is Reading.PAST and found is Assertion.AFFIRMED:
        return Assertion.HISTORICAL
    if reading in (None, Reading.TEXT) and line.key is not None and line.value is not None \
            and _EXAMINED.match(text, span.end_char, line.key[1]) \
            and _CLEAR_RESULT.search(text[line.value[0]:line.value[0] + 400].split("\n\n", 1)[0]):
        # A key naming what was looked for, over a value that found nothing ("Opioid use disorder
        # screening: The prescription monitoring program report is consistent ..."), asserts
        # nothing; the value's own words decide. A value that finds it keeps the key's mention.
        return Assertion.HYPOTHETICAL
    if reading in (None, Reading.TEXT) and found is Assertion.AFFIRMED and line.value is not None \
            and line.key is not None and len(_WORD.findall(text, line.key[0], line.key[1])) \
            <= len(_WORD.findall(text, span.start_char, span.end_char)) + 1:
        told = text[line.value[0]:line.end]
        if _VALUE_REFUSES.search(told) and not _VALUE_DONE.search(told):
            # A key naming a treatment over a value that says it was not done ("Home exercise
            # program: reviewed at visit 1; pt declined the written handout and ..."): the value's
            # own sentences decide, the key's name asserts nothing.
            return Assertion.HYPOTHETICAL
    if found is None:
        # A rule that only reads denials ("psych eval not done") reads a "No" answer as one.
        return Assertion.NEGATED if rule.assertion == "only_negated" and reading is Reading.NO else None
    if found is Assertion.FAMILY:
        return found
    if reading is Reading.NO:
        if line.kind is Kind.KEY_VALUE:
            # ...unless the value's negation is the finding itself, from its first word.
            if line.value is not None and any(lexicons[name].match(text, line.value[0], line.value[1])
                                              for name in rule.negation_is_finding):
                return found  # "- Lumbar MBB + RFA L3-S1 03/2024: no meaningful benefit": the "no" is the failure
            # ...or the key asks after an ability, so "no" denies the ability, not the limit:
            # "Tolerates sock/shoe on R foot: no -> intermittently".
            if line.key is not None and any(lexicons[name].match(text, line.key[0], line.key[1])
                                            for name in rule.no_to_key_is_finding):
                return found
            if rule.key_value_no == "set_aside":
                return Assertion.HYPOTHETICAL
            return Assertion.NEGATED  # "Alarm history: none", "ERI status .... NOT REACHED"
        return _ANSWERED_NO.get(found, found)
    if reading is Reading.YES:
        return _ANSWERED_YES.get(found, found)
    return found


# Token attributes a phrase can stand for: the PhraseMatcher compares lower-cased tokens, and the
# words here are lower case or punctuation (":", "=", "?"), the same in ORTH, TEXT and LOWER.
_PHRASE_ATTRS = {"LOWER", "ORTH", "TEXT"}


def _phrases(pattern: list[dict[str, Any]]) -> list[str] | None:
    """The literal phrases a token pattern of LOWER / ORTH / TEXT (a word or IN a list) and OP "?"
    tokens stands for, or None when it uses anything else. spaCy's Matcher tests IN sets in
    Python for every token of the doc; as phrases, the same rule runs in the PhraseMatcher's C
    loop (a few thousand phrases cost it nothing)."""
    phrases = [""]
    for token in pattern:
        attrs = set(token) - {"OP"}
        if len(attrs) != 1 or not attrs <= _PHRASE_ATTRS or token.get("OP", "?") != "?":
            return None
        value = token[attrs.pop()]
        options = value["IN"] if isinstance(value, dict) and set(value) == {"IN"} else value
        if isinstance(options, str):
            options = [options]
        if not isinstance(options, list):
            return None
        if not all(isinstance(o, str) for o in options):
            # YAML reads a bare no/yes/on/off as a boolean: the rule would look for "False".
            raise ValueError(f"token pattern value {next(o for o in options if not isinstance(o, str))!r} "
                             "is not text; quote it")
        if any(o != o.lower() for o in options):
            return None
        grown = [f"{p} {o}".strip() for p in phrases for o in options]
        phrases = grown + (phrases if "OP" in token else [])
        if len(phrases) > 3000:
            return None
    return [p for p in phrases if p]


def _named_lists(pattern: Any, lists: dict[str, list[str]]) -> Any:
    """A token pattern with each "$name" in an IN or NOT_IN list replaced by the named word list."""
    if not isinstance(pattern, list):
        return pattern
    resolved = []
    for token in pattern:
        token = dict(token)
        for attr, value in token.items():
            if isinstance(value, dict):
                token[attr] = {op: lists[words[1:]] if isinstance(words, str) and words.startswith("$") else words
                               for op, words in value.items()}
        resolved.append(token)
    return resolved


def _next_word_not(words: str) -> Callable[[Span, Span, Span], bool]:
    """A cue that modifies nothing when the word after it is one of `words`: "could be" hedges
    "could be rotor stall", not "could be weaned"."""
    pattern = re.compile(words)

    def modifies(target: Span, cue: Span, between: Span) -> bool:
        return cue.end >= len(cue.doc) or pattern.fullmatch(cue.doc[cue.end].lower_) is None
    return modifies


def _between_words(words: str) -> Callable[[Span, Span, Span], bool]:
    """A cue that modifies only between two words, neither of them one of `words`: "fracture
    versus metastasis" is a differential, "4/10 vs 8/10" or "peak vs pre-dose" a comparison. (Its
    pattern is the cue alone, so the words beside it may be the targets it hedges.)"""
    pattern = re.compile(words)

    def modifies(target: Span, cue: Span, between: Span) -> bool:
        doc = cue.doc
        if cue.start == 0 or cue.end >= len(doc):
            return False
        sides = doc[cue.start - 1], doc[cue.end]
        return all(side.is_alpha and pattern.fullmatch(side.lower_) is None for side in sides)
    return modifies


def context_rules() -> list[ConTextRule]:
    """medspaCy's default ConText rules plus ours, with token patterns turned into phrases."""
    default = MEDSPACY_RESOURCES / "context_rules.json"
    data = json.loads(default.read_text("utf-8"))["context_rules"]
    ours = load_data("context_rules.yaml")
    dropped = set(ours.get("drop_default", []))
    dropped_phrases = set(ours.get("drop_phrases", []))
    made = []
    # One rule per phrase: two rules that share a phrase both match, and medspaCy's pruning keeps
    # one of the two by its match id, a hash that moves whenever a rule is added. Ours come first
    # and the first listed wins ("asked whether": `asked_whether`, not `asked_about`'s 6 tokens).
    seen: set[str] = set()
    for rule in ours["rules"] + [r for r in data if r["literal"] not in dropped]:
        pattern = _named_lists(rule.get("pattern"), ours.get("word_lists", {}))
        try:
            phrases = _phrases(pattern) if isinstance(pattern, list) else None
        except ValueError as exc:
            raise ValueError(f"context rule {rule.get('id', rule['literal'])!r}: {exc}") from None
        literals = [p for p in phrases if p not in dropped_phrases] if phrases is not None else [rule["literal"]]
        on_modifies = _next_word_not(rule["unless_next"]) if "unless_next" in rule \
            else _between_words(rule["sides_not"]) if "sides_not" in rule else None
        for literal in literals:
            if literal.lower() in seen:
                continue
            seen.add(literal.lower())
            made.append(ConTextRule(
                literal=literal,
                category=rule["category"],
                direction=rule["direction"],
                pattern=None if phrases is not None else pattern,
                max_scope=rule.get("max_scope"),
                on_modifies=on_modifies,
                metadata={"rule_id": rule.get("id", f"medspacy:{rule['literal']}"),
                          "reaches_past": frozenset(rule.get("reaches_past", ()))},
            ))
    return made


def build_nlp(rules: RuleSet) -> Language:
    """The pipeline; costly (rule compilation), so callers build it once per process."""
    nlp = spacy.blank("en")
    nlp.tokenizer = ChunkTokenizer(nlp.tokenizer)
    nlp.add_pipe("clinical_sentences")
    # medspaCy's sectionizer, without setting each token's section (extractors/sections.py).
    nlp.add_pipe("chart_sectionizer", name="medspacy_sectionizer",
                 config={"require_start_line": True, "span_attrs": None})
    targets: Any = nlp.add_pipe("chart_targets", config={"span_group": TARGETS})
    targets.add(rules)
    context: Any = nlp.add_pipe(
        "chart_context", name="medspacy_context",
        config={"input_span_type": "group", "span_group_name": TARGETS, "rules": None},
    )
    # spaCy's Matcher inside medspaCy's (both name-mangled): its schema knows no lexeme flags.
    context._ConText__matcher._MedspacyMatcher__matcher.validate = False
    context.add(flag_patterns(context_rules(), nlp.vocab))
    return nlp


def modifiers_of(span: Span) -> list[Modifier]:
    """The ConText modifiers that touched a target, each with its own span."""
    found = []
    for mod in span._.modifiers:
        start, end = mod.modifier_span
        cue = span.doc[start:end]
        found.append(Modifier(category=mod.category, text=cue.text, start=cue.start_char, end=cue.end_char))
    return found


_LIST_DENIAL = re.compile(r"\b(?:no|not|denies|denied|deny|without|never|negative for|none|nor)\b", re.I)


# A dash that opens a clause with its own subject ends the denial before it: "Not psychogenic - the
# flare tracks the suspected device problem" (a list after the dash goes on: "no catheter problems -
# no loss of effect").
_DASHED_CLAUSE = re.compile(r"\s[-–—]+\s+(?:the|this|that|his|her|their|its|it|she|he|they|which|we|I)\s", re.I)


def _bracketed_apart(cue: Modifier, span: Span, text: str, denial: bool = True) -> bool:
    """The negation cue is inside a bracket the mention is outside of: its denial is the
    bracket's ("McKenzie trial (no centralization), aquatic therapy x4, manual therapy")."""
    opened = text.rfind("(", max(0, cue.start - 60), cue.start)
    if opened < 0 or ")" in text[opened:cue.start]:
        return False
    closed = text.find(")", cue.end, cue.end + 60)
    if closed < 0 or "(" in text[cue.end:closed]:
        return False
    # ...unless a denial opens the list the bracket sits in: "Denies illicit drugs (never),
    # alcohol abuse, or opioid misuse".
    line_start = text.rfind("\n", 0, opened) + 1
    if denial and _LIST_DENIAL.search(text, max(line_start, opened - 120), opened):
        return False
    return not opened < span.start_char < closed


def _bracket_only(modifiers: list[Modifier], category: str, span: Span, text: str) -> bool:
    """Every cue of the category sits in a bracket the mention is outside of: "pump rotor
    malfunction ... vs. disease progression (new rib pain, restaging pending)" plans nothing of
    the pump."""
    cues = [m for m in modifiers if m.category == category]
    return bool(cues) and all(_bracketed_apart(cue, span, text, denial=False) for cue in cues)


def _quoted_apart(cue: Modifier, span: Span, text: str) -> bool:
    """The negation cue is inside a quotation on its line and the mention outside it: the words
    quoted are the speaker's about something else ("low back/leg pain, "like it's not working
    anymore", 8/10" - the pump is not working, the pain is rated)."""
    line_start = text.rfind("\n", 0, cue.start) + 1
    line_end = text.find("\n", cue.end)
    line_end = len(text) if line_end < 0 else line_end
    before = text[line_start:cue.start]
    if before.count('"') % 2 == 1:
        opened = line_start + before.rfind('"')
        closed = text.find('"', cue.end, line_end)
    elif before.rfind("“") > before.rfind("”"):
        opened = line_start + before.rfind("“")
        closed = text.find("”", cue.end, line_end)
    else:
        return False
    return closed >= 0 and not opened < span.start_char < closed


def _is_the_finding(cue: Modifier, span: Span, findings: list[re.Pattern[str]], text: str) -> bool:
    """A negation cue that is part of the finding: "no contraindications" as a cue, the "not"
    of "the system is not functioning", the "no" of "no rotor advancement" (a stalled rotor),
    where a finding's words cover the cue's negation word."""
    if any(p.search(cue.text) for p in findings):
        return True
    start, end = max(0, min(cue.start, span.start_char) - 40), max(cue.end + 40, span.end_char)
    # The cue's negation word ends inside the finding's words ("is not" in "not functioning"; the
    # goal's "NOT MET - requires total assistance"), which may run on past the cue.
    return any(m.start() < cue.end <= m.end() for p in findings for m in p.finditer(text, start, end))


def _result_of_another(modifiers: list[Modifier], span: Span, text: str) -> bool:
    """Every negation is a test's result after a later item of a list: in "PT + HEP, caudal ESIs
    x2, MBB negative" the blocks were negative, not the therapy listed before them."""
    cues = [m for m in modifiers if m.category == "NEGATED_EXISTENCE"]
    return bool(cues) and all(
        m.text.lower().split()[-1] == "negative" and m.start >= span.end_char
        and re.search(r"[,;]", text[span.end_char:m.start])
        for m in cues)


_UNTIL = re.compile(r"\b(?:until|till|unless)\b", re.I)


def _denies_what_waits(modifiers: list[Modifier], span: Span, text: str) -> bool:
    """Every negation denies what waits on the mention, not the mention: in "implantation should
    not go ahead until she has completed the CBT group" the implant is withheld, the CBT required."""
    cues = [m for m in modifiers if m.category == "NEGATED_EXISTENCE"]
    # Only where ConText reads the condition too: what waits is then no more than planned.
    waits = any(m.category == "HYPOTHETICAL" and _UNTIL.match(m.text) for m in modifiers)
    return waits and bool(cues) and all(m.end <= span.end_char and _UNTIL.search(text, m.end, span.end_char)
                                        for m in cues)


def _plan_inside(modifiers: list[Modifier], span: Span) -> bool:
    """Every plan cue lies inside the phrase the rule matched."""
    cues = [m for m in modifiers if m.category == "HYPOTHETICAL"]
    return bool(cues) and all(span.start_char <= m.start and m.end <= span.end_char for m in cues)


def _condition_between(cue: Modifier, span: Span, modifiers: list[Modifier]) -> bool:
    """An "if" or "unless" between a negation and the finding opens a condition of its own, which the
    negation before it does not reach ("we are not delayed if the rotor study shows a stall")."""
    return any(m.category == "HYPOTHETICAL" and m.text.lower() in ("if", "unless")
               and cue.end <= m.start and m.end <= span.start_char for m in modifiers)


def _negation_over_start(span: Span) -> bool:
    """A negation cue whose last word is the finding's first: ConText reads "Not cleared" as one
    cue that modifies nothing after it, yet "Not cleared for intrathecal trial" denies the finding."""
    doc = span.doc
    ends = doc.user_data.get("negation_cue_ends")
    if ends is None:  # the last word of each cue of two words or more, found once per document
        graph = doc._.context_graph
        ends = doc.user_data["negation_cue_ends"] = frozenset(
            m.modifier_span[1] - 1 for m in (graph.modifiers if graph is not None else ())
            if m.category == "NEGATED_EXISTENCE" and m.modifier_span[0] < m.modifier_span[1] - 1)
    return span.start in ends


_COPIED_FORWARD = "historical.copied_forward"


def _assertion(span: Span, rule: TargetRuleSpec, section: str | None, text: str,
               lexicons: dict[str, re.Pattern[str]], floor: int = 0) -> tuple[Assertion | None, list[Modifier]]:
    """The fact's assertion under the rule's mode, and the ConText modifiers that decided it.
    `floor`: where looking back for a negation stops (a question's own words begin there; the
    "No" of its answer boxes before them is the answer, read by the layout)."""
    modifiers = modifiers_of(span)
    is_negated = bool(span._.is_negated) or _negation_over_start(span)
    waits = _denies_what_waits(modifiers, span, text)
    if is_negated and (waits or _result_of_another(modifiers, span, text)):
        is_negated = False
    cues = [m for m in modifiers if m.category == "NEGATED_EXISTENCE"]
    if is_negated and cues and (
            all(_bracketed_apart(cue, span, text) or _quoted_apart(cue, span, text)
                or _DASHED_CLAUSE.search(text, cue.end, span.start_char) for cue in cues)
            or all(_condition_between(cue, span, modifiers) for cue in cues)):
        # "McKenzie trial (no centralization), aquatic therapy x4": the bracket's own; "so we are not
        # delayed if the rotor study shows a stall": the condition's own clause.
        is_negated = False
    if is_negated and rule.negation_is_finding:
        findings = [lexicons[name] for name in rule.negation_is_finding]
        if cues and all(_is_the_finding(cue, span, findings, text) for cue in cues):
            is_negated = False
        elif not cues and any(p.match(span.text) for p in findings):
            is_negated = False  # "She is not psychiatrically stable": the cue's last word opens the finding
    # In `match` mode a negation counts inside the phrase or just before it ("do not recommend").
    # Looking back stops at the clause: "not made for convenience", but not "no alarms; prefers ...";
    # a clause's negation reaches along its list: "Nor is he asking for a newer model for its own
    # sake or for any convenience".
    before = _CLAUSE_BACK.split(text[max(floor, span.start_char - 100):span.start_char])[-1]
    # "non-metastatic": a prefix glued to the anchor negates it in every mode but a fixed one;
    # a negation that is the finding ("no contraindications") is not one.
    anchor = span.text
    if waits and (untils := [m.start() for m in _UNTIL.finditer(anchor)]):
        anchor = anchor[untils[-1]:]  # the phrase's own "not" withholds what waits: read from "until" on
    for name in rule.negation_is_finding:
        anchor = lexicons[name].sub(" ", anchor)
    prefix = _NEGATING_PREFIX.search(before)
    if prefix is not None and any(lexicons[name].search(before[prefix.start():] + span.text)
                                  for name in rule.negation_is_finding):
        prefix = None  # "non-ambulatory" is the impairment, not mobility denied
    inside_negation = bool(_NEGATION_INSIDE.search(_NOT_A_DENIAL.sub(" ", anchor)) or prefix)
    negated_before = bool(_NEGATION_INSIDE.search(_NOT_A_DENIAL.sub(" ", before)))
    if rule.assertion == "affirmed":
        found = Assertion.AFFIRMED
    elif (rule.assertion == "only_negated" and is_negated or rule.assertion == "negated") and any(
            str((m.rule.metadata or {}).get("rule_id")) in _TO_CHECK for m in span._.modifiers) \
            and not _RESULT_GIVEN.match(text, span.end_char, min(len(text), span.end_char + 80)):
        # A denial still to be checked is none: "Asked the device safety office to confirm no
        # advisory on her serial", "Surgeon to confirm adequate subcutaneous tissue for the pocket".
        # (A withheld recommendation is a denial: "I cannot recommend".)
        found = Assertion.HYPOTHETICAL
    elif rule.assertion == "negated":
        # A denial put as a condition denies nothing yet: "dye study if interrogation normal".
        found = Assertion.HYPOTHETICAL if _CONDITION_BEFORE.search(before) else Assertion.NEGATED
    elif rule.assertion == "planned":
        found = Assertion.HYPOTHETICAL
    elif rule.assertion == "match":
        found = Assertion.NEGATED if inside_negation or negated_before else \
            Assertion.HYPOTHETICAL if _CONDITION_BEFORE.search(before) or _CONDITION_OPENS.match(before) \
            or _COURSE_TO_COME.search(text, max(floor, span.start_char - 40), span.end_char) \
            else Assertion.AFFIRMED
    elif rule.assertion == "only_negated":
        if not is_negated:
            return None, modifiers
        found = Assertion.NEGATED
    else:
        found = collapse(
            family=(span._.is_family and not rule.ignore_family) or section in _FAMILY_SECTIONS,
            negated=is_negated or inside_negation,
            hypothetical=span._.is_hypothetical and not (rule.plan_is_finding and _plan_inside(modifiers, span))
            and not _bracket_only(modifiers, "HYPOTHETICAL", span, text),
            possible=span._.is_uncertain or bool(_POSSIBLE_INSIDE.search(anchor)),
            historical=span._.is_historical,
        )
        if rule.assertion == "affirmed_only" and found is Assertion.NEGATED:
            return None, modifiers
    if section in _FAMILY_SECTIONS and rule.assertion != "context":
        found = Assertion.FAMILY
    elif rule.assertion == "match" and span._.is_family and not rule.ignore_family:
        found = Assertion.FAMILY  # "Brother in methadone maintenance": a relative's treatment
    elif rule.assertion in ("negated", "only_negated") and not rule.ignore_family and any(
            m.category == "FAMILY" and (_RELATIVES_OWN.search(m.text) or _RELATIVE_AS_SUBJECT.match(text, m.end))
            for m in modifiers):
        # "her daughter's bipolar disorder has been stable", "No family history of substance use":
        # a denial of a relative's, not the patient's (a caregiver's "Mother denies ..." stays his).
        found = Assertion.FAMILY
    if rule.invert:
        found = {Assertion.AFFIRMED: Assertion.NEGATED, Assertion.NEGATED: Assertion.AFFIRMED}.get(found, found)
    if found in (Assertion.AFFIRMED, Assertion.NEGATED) \
            and any((m.rule.metadata or {}).get("rule_id") == _COPIED_FORWARD for m in span._.modifiers):
        # Text a note carries over from an earlier one states that note's findings: what it found is
        # the past's, and what it denied then denies nothing now ("Interval history (copied forward
        # from 05/10/2022 note, not updated): Pump functioning well, no alarms").
        return (Assertion.HISTORICAL if found is Assertion.AFFIRMED else None), modifiers
    return found, modifiers


@dataclass
class _Sentences:
    spans: list[Span]
    starts: list[int]
    start_chars: list[int]

    @classmethod
    def of(cls, doc: Doc) -> _Sentences:
        spans = list(doc.sents)
        return cls(spans, [s.start for s in spans], [s.start_char for s in spans])

    def end_of_sentence_at(self, char: int) -> int:
        """Where the sentence holding the character at `char` ends."""
        return self.spans[max(bisect.bisect_right(self.start_chars, char) - 1, 0)].end_char

    def index(self, token_i: int) -> int:
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= token_i:
                lo = mid
            else:
                hi = mid - 1
        return lo


def _evidence(document: Document, sent: Span | tuple[int, int], anchor: Span | tuple[int, int],
              limit: int = MAX_EVIDENCE_CHARS) -> Evidence:
    """The sentence (or form line) holding the anchor, trimmed; one longer than `limit` is cut
    to a window around it."""
    text = document.text
    start, end = (sent.start_char, sent.end_char) if isinstance(sent, Span) else sent
    a_start, a_end = (anchor.start_char, anchor.end_char) if isinstance(anchor, Span) else anchor
    while start < end and text[start].isspace():
        start += 1
    if end - start > limit:
        half = max((limit - (a_end - a_start)) // 2, 0)
        window = max(start, a_start - half)
        # Begin the window at a word's start, never after the anchor.
        while start < window < a_start and not text[window - 1].isspace():
            window += 1
        cut = min(end, a_end + half)
        # End the window at a word's end, never before the anchor: a quote is never cut mid-word.
        while a_end < cut < end and not text[cut].isspace():
            cut -= 1
        start, end = window, cut
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and text[end - 1] == ":":
        # A prompt is no answer: "A2.  Condition the current pump treats:" is cited with the
        # line under it that answers ("[X] Spasticity / dystonia").
        end = _answer_line_end(text, end)
    return Evidence(document=document.name, start=start, end=end, text=text[start:end],
                    page=document.page_of(start) if document.paged else None)


def _focus(rule: TargetRuleSpec, span: Span, cited: tuple[int, int], text: str,
           lexicons: dict[str, re.Pattern[str]]) -> Span | tuple[int, int]:
    """What a quote too long to cite whole is cut around: the mention with the nearest word its
    rule required, when both fit ("oral morphine, then oxycodone, ... and despite all of this she
    is still nine out of ten" keeps the failure, not only the drugs)."""
    if cited[1] - cited[0] <= MAX_EVIDENCE_CHARS or not rule.requires:
        return span
    best: tuple[int, int] | None = None
    for name in rule.requires:
        for m in quick(lexicons[name]).finditer(text, cited[0], cited[1]):
            lo, hi = min(span.start_char, m.start()), max(span.end_char, m.end())
            if hi - lo <= MAX_EVIDENCE_CHARS and (best is None or hi - lo < best[1] - best[0]):
                best = lo, hi
    return best if best is not None and best != (span.start_char, span.end_char) else span


def _answer_line_end(text: str, end: int) -> int:
    """Where the first non-blank line after `end` ends (`end` itself when there is none near)."""
    nxt = end
    while nxt < len(text) and text[nxt] in " \t\r\n" and nxt - end < 200:
        nxt += 1
    if nxt >= len(text) or nxt - end >= 200 or text.count("\n", end, nxt) > 2:
        return end
    line_end = text.find("\n", nxt)
    line_end = len(text) if line_end < 0 else line_end
    while line_end > nxt and text[line_end - 1].isspace():
        line_end -= 1
    return line_end if line_end - end <= MAX_EVIDENCE_CHARS else end


# (...and a time of the present the clause names: "(dx 2015), severe, with suicidal ideation
# reported this month". A bare "since" closing the clause ends the time: "passive thoughts of death
# in 2021 ..., and no suicidal ideation since".)
_ONGOING = re.compile(
    r"\b(?:since(?!\s*(?:then\b|[.;,)]|$))|ongoing|current(?:ly)?|now|still|continues?|persist\w*|active|recent(?:ly)?|today|tonight|"
    r"this (?:week|month|visit)|(?:last|past) (?:week|night|few days))\b", re.I)
# A hedge denied with the rest is none: "No catheter problems - no loss of effect, no withdrawal sx"
# (a loss of effect would only suggest a failure; here it is denied too).
_DENIED_BEFORE_HEDGE = re.compile(r"\b(?:no|without|denies|nor)\s+$", re.I)
_YEAR_MENTION = re.compile(r"\b(?:19|20)\d{2}\b")
# A clause opening on "resolved" as the adjective of what follows (not "Resolved:" as a label).
_RESOLVED_OPENING = re.compile(r"^\W*(?:\d{1,2}[.)]\s*)?(?:resolved|healed|remitted)\b(?!\s*[:(=-])", re.I)
# "since" after a denial tells the finding stopped: "resolved, no SI since 2022", "none since".
_NONE_SINCE = re.compile(r"\b(?:no|none|not|never|free of|without)\b[^.;,\n]{0,30}?\bsince\b", re.I)


@lru_cache(maxsize=1024)  # asked of a clause by each mention in it
def _goes_on(clause: str) -> bool:
    """The clause says its finding goes on ("since 2019", "currently"), not that it stopped ("no SI
    since 2022")."""
    stopped = [m.span() for m in _NONE_SINCE.finditer(clause)]
    return any(not any(s <= m.start() < e for s, e in stopped) for m in _ONGOING.finditer(clause))


# A dictated statement withdrawn by the next words: "... colon cleared" / "Correction comma strike that".
_RETRACTED = re.compile(r"\W*(?:correction\W+(?:comma\W+)?)?(?:strike|scratch|delete|disregard|cancel) that\b", re.I)
# A label that states why the request is made restates the requester's claim, as a form does:
# "REASON FOR REPLACEMENT REQUEST: Manufacturer recall" is what the record must bear out.
_CLAIM_KEY = re.compile(r"\b(?:reason for (?:the )?(?:\w+ )?(?:request|referral|replacement|exchange|visit)|"
                        r"referral (?:dx|diagnosis)|"
                        r"indication for (?:the )?(?:\w+ )?(?:request|replacement|exchange|implant\w*)|"
                        r"requested (?:for|because))\b", re.I)
# What follows a table row's only filled cell when the row's other cells are left blank.
_BLANK_CELLS = re.compile(r"[ \t]*\|[ \t]*\|[ \t|]*$")  # at least one empty cell between bars
# A label of topics joined by slashes names what its value goes on to cover: "Psych/SUD:",
# "Social/EtOH/drugs:".
_TOPICS_KEY = re.compile(r"\s*[A-Za-z][\w&.-]*(?:\s*/\s*[A-Za-z][\w&.-]*)+(?:\s+(?:hx|history|screen\w*))?\s*", re.I)
_SCREEN_VALUE = re.compile(r"\b(?:(?-i:PHQ|GAD|AUDIT|CAGE|DAST|ORT|SOAPP|COMM)|denies|denied|negative|none|"
                           r"no (?:current|active|illicit|history|hx|other))\b", re.I)
# A letter's subject line and a visit's chief complaint say what the visit is about, not what it
# found: "RE: Replacement of malfunctioning pump", "CC: PUMP MALFUNCTION".
_TOPIC_KEY = re.compile(r"\s*(?:re|subject|cc|c/c|chief complaint|reason for visit)\s*", re.I)
_TOPIC_ENDS = re.compile(r"\s[-–—]\s|[.;](?:\s|$)")
# So does a study's indication that asks a question ("INDICATION: Pump malfunction - evaluate
# prior to device replacement"): its findings answer it. A procedure note's "Indication:
# metastatic lung cancer ..., refractory pain on systemic opioids" is its author's own finding.
_STUDY_KEY = re.compile(r"\b(?:clinical )?indications?\s*$", re.I)
_STUDY_QUESTION = re.compile(r"\b(?:evaluat\w*|eval|assess\w*|rule out|r/o|question of|\?)", re.I)


# ...as does a mention the note attributes to the request: "device malfunction (per request form)".
_CLAIM_ASIDE = re.compile(r"\((?:per|as (?:stated|listed|given|written) (?:on|in)|according to) (?:the )?(?:request|"
                          r"referral|order|(?-i:PA)|prior auth\w*|authori[sz]ation|requesting)\b[^()\n]{0,20}\)", re.I)


# The patient's or family's word for it: "Per the patient he has completed the CBT", "She says she
# finished the program".
_REPORTED = re.compile(r"\b(?:per (?:the )?(?:patient|pt|family|wife|husband|mother|father|parents?)\b|"
                       r"(?:the )?(?:patient|pt) (?:states?|reports?|says|said|claims?)(?: that)?\b|"
                       r"(?:he|she|they) (?:says|said|claims?|told (?:me|us))(?: that)?\b)", re.I)


# A question asked in prose and answered there, as dictation gives it with its punctuation
# spoken: "Any active manufacturer advisory or recall for this serial number question mark No."
_ANSWERED_NO_IN_PROSE = re.compile(r"[^.?!;\n]{0,100}?(?:\?|\bquestion mark\b)\s*(?:no|none|negative|nope)\b\s*[.,;]",
                                   re.I)


# Several items answered on one line, each by its own letter: "Contraindications:  tumor
# encroachment of thecal sac  N  /  infection  N  /  substance use disorder  N", "8) Contraindications:
# stenosis w/ obstruction N | addiction N | SUD N |" (a bar parts the items, so one space will do).
_ANSWERED_NO_INLINE = re.compile(r"(?:(?!\b(?:Y|Yes|YES)\b)[^\n/|;:?.]){0,40}?"
                                 r"(?:[ \t]{2,}(?:N|No|NO)[ \t]*(?:/|\||$)|[ \t]+(?:N|No|NO)[ \t]*\|)", re.M)


def _claimed(line: Line, span: Span, text: str) -> bool:
    if _CLAIM_ASIDE.search(text, span.end_char, min(line.end, span.end_char + 40)):
        return True
    if line.kind is not Kind.KEY_VALUE or line.key is None or line.value is None or span.start_char < line.value[0]:
        return False
    # A topic's words are the claim, what the author says after them is the author's: "Re:
    # manufacturer advisory letter ... - checked serial, pt serial ... is NOT in the affected range".
    topic_ends = _TOPIC_ENDS.search(text, line.value[0], line.value[1])
    return _CLAIM_KEY.search(text, line.key[0], line.key[1]) is not None \
        or _CLAIM_ASIDE.search(text, line.key[0], line.key[1]) is not None \
        or (_TOPIC_KEY.fullmatch(text, line.key[0], line.key[1]) is not None
            and (topic_ends is None or span.start_char < topic_ends.start())) \
        or (_STUDY_KEY.search(text, line.key[0], line.key[1]) is not None
            and _STUDY_QUESTION.search(text, line.value[0], line.value[1]) is not None)


def _title_lines(text: str, layout: Layout, start: int = 0) -> str:
    """The note's first lines (of the note beginning at `start`), past its letterhead's address and
    telephone lines: the title under a two-line letterhead ("INTRATHECAL OPIOID SCREENING TRIAL -
    PROCEDURE RECORD")."""
    picked: list[str] = []
    for line in layout.lines:
        if line.start < start:
            continue
        if line.start > start + HEADER_CHARS or len(picked) == HEADER_LINES:
            break
        if line.kind is Kind.BLANK or (line.kind is Kind.LETTERHEAD
                                       and not _NOTE_TYPE.search(text, line.start, line.end)):
            continue
        # A sentence under the title is the body begun: in a short note "PAIN CLINIC NOTE" /
        # "Psychological evaluation pending." the evaluation is one to come, not the note's title.
        if picked and line.kind is Kind.NARRATIVE and text[line.start:line.end].rstrip().endswith((".", "!", "?")):
            break
        # A title in capitals among the letterhead's lines is still the title: "DICTATED
        # PROCEDURE NOTE - INTRATHECAL BACLOFEN SCREENING TEST".
        picked.append(text[line.start:line.end])
    # A procedure note names its procedure in a labelled line near the top ("Procedure:
    # Intrathecal morphine trial, single injection L2-3"): that is its title too.
    for line in layout.lines:
        if line.start < start:
            continue
        if line.start > start + HEADER_CHARS:
            break
        if line.kind is Kind.KEY_VALUE and line.key is not None and line.value is not None \
                and (_PROCEDURE_KEY.match(text, line.key[0], line.key[1])
                     or _REASON_KEY.match(text, line.key[0], line.key[1])
                     and _RECHECK.match(text, line.value[0], line.value[1])):
            # (A visit's reason names what it checks only when it is a re-check after a treatment:
            # "Reason: 6-wk post BoNT-A re-check"; "review of the intrathecal trial" is no title.)
            picked.append(text[line.value[0]:line.value[1]])
        elif line.kind is Kind.KEY_VALUE and line.key is not None and line.value is not None \
                and _DEVICE_KEY.match(text, line.key[0], line.key[1]):
            # A device printout names its device in a labelled line: "DEVICE ........ DUAL-CHAMBER
            # ICD (CORVANTA DR-7)" is what every line of the printout is about.
            picked.append(text[line.value[0]:line.value[1]])
        # ...or as a heading over it: "PROCEDURE" / "Single-injection intrathecal morphine
        # screening trial, L3-L4 interspace".
        elif line.kind is Kind.HEADING and _PROCEDURE_KEY.match(text[line.start:line.end].strip().rstrip(":")) \
                and (below := layout.at(line.end + 1)) is not None and below.kind is Kind.NARRATIVE:
            stop = _SENTENCE_STOP.search(text, below.start, below.end)
            picked.append(text[below.start:stop.start() if stop else below.end])
        # Dictation gives the label as a run-in title: "Procedure. Single shot intrathecal
        # morphine trial. With the patient prone ..." -- its first sentence is the title.
        elif line.kind is Kind.NARRATIVE and (run_in := layout.run_in_title(line.start, line.start + 1)) \
                and _PROCEDURE_KEY.match(text[line.start:run_in[0]].rstrip(". \t")):
            stop = _SENTENCE_STOP.search(text, run_in[0], run_in[1])
            picked.append(text[run_in[0]:stop.start() if stop else run_in[1]])
    return "\n".join(picked)


_NOTE_TYPE = re.compile(r"\b(?:note|report|record|summary|consult\w*|procedure|evaluation|assessment|"
                        r"interrogation|questionnaire|letter|trial|test)\b", re.I)
_DEVICE_KEY = re.compile(r"(?:device|device (?:type|model|implanted)|implanted device|generator)\s*$", re.I)
_PROCEDURE_KEY = re.compile(r"(?:procedure|procedure performed|operation|service|study)(?:\s+colon)?\s*$", re.I)
_REASON_KEY = re.compile(r"(?:reason(?: for (?:visit|encounter|exam|assessment))?|visit reason)\s*$", re.I)
_RECHECK = re.compile(r"\W*(?:\d+[- ]?(?:wk|week|day|month|mo)s?\s+)?(?:post|after|following)\b", re.I)
_SENTENCE_STOP = re.compile(r"[.!?](?:\s|$)")


def _stated_date(clause: str, at: int, anchor: dt.date) -> dt.date | None:
    """The date the clause gives nearest the mention at `at`, when it is before the note's own:
    "effacement (MRI 12/2024) - see 4/2025 MRI" was seen in December."""
    # When a condition began is not when it was seen: "Opioid use disorder ..... onset 06/2022 ...
    # ACTIVE" is a finding of the present.
    dates = [d for d in parse_dates(clause) + month_dates(clause, anchor)
             if not _BEGAN.search(clause, max(0, d[1] - 24), d[1])]
    if not dates:
        return None
    day, _, _ = min(dates, key=lambda d: d[1] - at if d[1] >= at else at - d[2])
    return day if day < anchor else None


def _latest_date(clause: str, anchor: dt.date) -> dt.date | None:
    """The latest date the clause gives, when before the note's own and no date in it is one a
    course began on: "TFESI x2 (08/2023, 04/2024)" was last given in April 2024, while
    "gabapentin since 2019" goes on to its note."""
    dates = parse_dates(clause)
    # A bare year is its last day at the latest: "Tramadol 2022 -> no benefit" ended by 2022's end.
    # ...unless the care goes on: "Gabapentin (2021 - current)", "| Duloxetine | 2023 | ongoing |".
    if not _GOES_ON.search(clause):
        dates += [(dt.date(int(m.group(0)), 12, 31), m.start(), m.end()) for m in _BARE_YEAR.finditer(clause)
                  if not any(d[1] <= m.start() < d[2] for d in dates)]
        # ...and a range of bare years its last: "tramadol 2021-2022: nausea, no benefit".
        dates += [(dt.date(_last_year(m), 12, 31), m.start(), m.end()) for m in _YEAR_RANGE.finditer(clause)
                  if not any(d[1] <= m.start() < d[2] for d in dates)]
    if not dates or any(_BEGAN.search(clause, max(0, d[1] - 24), d[1]) for d in dates):
        return None
    day = max(d[0] for d in dates)
    return day if day < anchor else None


def _year_seen(clause: str, anchor: dt.date, at: int) -> dt.date | None:
    """A bare year two or more years back, nearest the mention, as when it was seen (the year's
    last day at the latest), where the clause says nothing of it going on: "Recurrence 2016 with ...
    T11 ventral epidural extension -> SBRT T11 2016" is 2016's finding, which a later scan answers."""
    if _GOES_ON.search(clause) or _goes_on(clause):
        return None
    # (Near the mention: "... thecal sac, in this patient with breast cancer treated with radiation
    # in 2021" dates the radiation, not the tumor.)
    # (A form's leader dots, spacing and answer boxes are no words between: "Physical therapy + home
    # exercise program ............ [X] Yes  [ ] No    dates: 2022".)
    years = [(gap, int(m.group(0))) for m in _BARE_YEAR.finditer(clause)
             if (gap := len(_LEADERS.sub(" ", clause[min(m.start(), at):max(m.start(), at)]))) <= 60]
    if not years:
        return None
    year = min(years)[1]
    return dt.date(year, 12, 31) if year <= anchor.year - 2 else None


_GOES_ON = re.compile(r"\b(?:present|current(?:ly)?|ongoing|continu\w*|still|now|to date|active)\b", re.I)
_LEADERS = re.compile(rf"(?:\s*[._…]){{3,}}\s*|\s{{2,}}|{box_pattern()}\s*(?:yes|no|y|n|n/a)\b", re.I)
_BARE_YEAR = re.compile(r"(?<![/\d-])\b(?:19|20)\d{2}\b(?![/\d-]|\s*(?:mg|mcg|ml|mL|units?|cc|kcal|steps|ft|m)\b)")


# (Its last year may be written in two digits: "2021-22".)
_YEAR_RANGE = re.compile(r"(?<![/\d-])\b(?P<first>(?:19|20)\d{2})\s*[-–]\s*(?P<last>(?:19|20)\d{2}|\d{2})\b(?![/\d-])")


def _last_year(m: re.Match[str]) -> int:
    """A year range's last year, its century taken from the first where written in two digits."""
    last = m.group("last")
    return int(last) if len(last) == 4 else int(m.group("first")[:2] + last)


_BEGAN = re.compile(r"\b(?:onset|since|began|begun|beginning|started|starting|start date)\W+(?:in\W+)?$", re.I)


def _dated_past(clause: str, anchor: dt.date, at: int) -> bool:
    """The clause dates its finding two or more years back and says nothing of it going on. The
    year nearest the mention at `at` dates it: "Records of the 2021 inpatient psychiatric admission
    have been requested (release signed 08/12/2025)" dates the admission 2021."""
    years = [(abs(m.start() - at), int(m.group(0))) for m in _YEAR_MENTION.finditer(clause)]
    return bool(years) and min(years)[1] <= anchor.year - 2 and not _goes_on(clause)


def _old_note(note: dt.date | None, service_date: dt.date, clause: str) -> bool:
    """The note itself is dated two or more years before the service and the clause says nothing of
    its finding going on: a running history's "--- 02/2020 --- Catheter fracture found on X-ray;
    catheter revised" is the device's past, not its state today."""
    return note is not None and note.year <= service_date.year - 2 and not _goes_on(clause)


# Between the indicator's name and its date: nothing but punctuation, or a projection's word.
# (A bracket closing the key comes first: "Elective replacement (ERI) . projected 05/2027"; the
# words may be several, bracketed: "ERI date (projected) .... 04/2028".)
_PROJECTION_LEAD = re.compile(r"[\s:=.()-]*(?:(?:warning|indicator|alert|alarm)\b[\s:=.()-]*)?"
                              r"(?:(?:projection|projected|date|due|est\w*|expected|forecast)\b[\s:=.()-]*){0,3}",
                              re.I)


_MONTH_DAY = re.compile(r"(\d{1,2})/(\d{1,2})\b(?![/\d])")
_YEAR_ALONE = re.compile(r"(?:(?:late|early|mid)[- ])?((?:19|20)\d\d)\b(?![/-]\d)", re.I)


def _dated_ahead(after: str, anchor: dt.date, booked: bool = False) -> bool:
    """The words right after a mention date it later than the note: "ERI 03/2028", "ERI
    PROJECTION : MAR 2027"."""
    lead = _PROJECTION_LEAD.match(after).end()  # type: ignore[union-attr]  # all optional: always matches
    dates = parse_dates(after)
    if dates and dates[0][1] == lead:
        return dates[0][0] > anchor
    # A year alone, later than the note's: "ERI warning (estimated 2027)".
    year = _YEAR_ALONE.match(after, lead)
    if year is not None:
        return int(year.group(1)) > anchor.year
    # With `booked`, a month and day weeks after the note, in its year: "Psych eval/clearance 10/17
    # -- need result" in September (an appointment, not a log's past entry).
    day = _MONTH_DAY.match(after, lead) if booked else None
    if day is None or not 1 <= int(day.group(1)) <= 12 or not 1 <= int(day.group(2)) <= 31:
        return False
    try:
        when = dt.date(anchor.year, int(day.group(1)), int(day.group(2)))
    except ValueError:  # 02/30
        return False
    return anchor < when <= anchor + dt.timedelta(days=120)


@lru_cache(maxsize=4096)
def _clause_breaks(sentence: str) -> tuple[int, ...]:
    # The mentions of one sentence share its breaks. A break inside brackets is the aside's, not
    # the sentence's: "intolerance (not allergic; on IT baclofen 6 yrs)" is one clause.
    return (0, *(m.start() for m in _CLAUSE_BREAK.finditer(sentence) if not _in_brackets(sentence, m.start())),
            len(sentence))


def _in_brackets(text: str, at: int) -> bool:
    return text.rfind("(", 0, at) > text.rfind(")", 0, at) and text.find(")", at) != -1


def _clause_bounds(sentence: str, offset: int) -> tuple[int, int]:
    bounds = _clause_breaks(sentence)
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        if lo <= offset < hi:
            return lo, hi
    return 0, len(sentence)


# A section ends at a blank line or at the next label, with a colon or a printout's dot leaders.
_HEADING_OR_BREAK = re.compile(r"\n\s*\n|\n[ \t]*[A-Z][A-Za-z /&()'-]{1,40}:")
# ...and one titled inline, a form's key, at the form's next numbered question ("Allergies on file:
# sulfamethoxazole (hives)" / "11. Unstable psychiatric disorder?"); under a title on its own line
# numbered lines are the section's entries ("IMPRESSION:" / "1. Intrathecal catheter disconnection").
# (A two-column table's next row is such a key too: "Allergies  | latex (hives)" over "Home meds  | ITB ...".)
_KEY_OR_BREAK = re.compile(r"\n\s*\n|\n[ \t]*[A-Z][A-Za-z /&()'-]{1,40}(?::|[ \t]*\|)|\n[ \t]*\d{1,2}[.)][ \t]+[A-Z]")
# A key with a leader ends the section unless it is indented under the section's title, or the
# section's entries start with it: there it is one of them ("ALLERGIES" over "  Codeine ......... hives").
_LEADER_KEY = re.compile(r"\n([ \t]*)[A-Z][A-Za-z /&()'-]{1,40}(?:\s*\.{3,}|…)")


# Sections that list entries, each its own "name: detail" line.
_LIST_SECTIONS = frozenset({"allergies", "allergy"})


def _section_end(text: str, closer: re.Pattern[str], body: int, limit: int, indent: int | None) -> int:
    """Where the section whose body starts at `body` ends. Under a list's title on its own line
    (given its `indent`), a label set deeper than the title is one of its entries, not a new
    section ("ALLERGIES" over " Hydromorphone: none; Morphine: none"); elsewhere a label ends it
    (an EHR extract indents every line under "FAMILY HISTORY", "Patient: ..." included)."""
    at = body
    while (stop := closer.search(text, at, limit)) is not None:
        label = stop.group(0).lstrip("\n")
        if indent is None or not label.strip() or len(label) - len(label.lstrip(" \t")) <= indent:
            return stop.start()
        at = stop.end()
    return limit


@dataclass
class _Sections:
    """Each section's character range and category, computed once per doc. A section ends at
    the first blank line or heading-like line after its title: medspaCy's runs on to the next
    heading it knows, so a family history section would swallow an unfamiliar "Prognosis and
    goals:" that follows it."""

    starts: list[int]
    ends: list[int]
    categories: list[str | None]

    @classmethod
    def of(cls, doc: Doc, text: str, layout: Layout) -> _Sections:
        starts, ends, categories = [], [], []
        for section in getattr(doc._, "sections", []):
            start, end = section.section_span
            if start >= len(doc):
                continue
            body = doc[section.body_start].idx if section.body_start < len(doc) else doc[start].idx
            limit = doc[end - 1].idx + len(doc[end - 1]) if end > start else body
            # A title inline ("Allergies on file: sulfamethoxazole") is one line's key, ended by a
            # form's next numbered question too. (medspaCy's title may end at its colon, the body
            # on the next line: still a title on its own line.)
            title_eol = text.find("\n", doc[start].idx)
            own_line = 0 <= title_eol <= body
            closer = _HEADING_OR_BREAK if own_line else _KEY_OR_BREAK
            title_at = doc[start].idx
            indent = title_at - (text.rfind("\n", 0, title_at) + 1)
            listed = own_line and str(section.category) in _LIST_SECTIONS
            end_at = _section_end(text, closer, body, limit, indent if listed else None)
            for key in _LEADER_KEY.finditer(text, body - 1 if body else body, end_at):
                if own_line and key.start() == text.rfind("\n", 0, body + 1):
                    if len(key.group(1)) <= indent:
                        # Entries laid out as leader lines flush under a title of their own line
                        # are the section's, to its blank line: "ALLERGIES" over "Codeine ........
                        # itching ..... side effect".
                        break
                    continue
                if len(key.group(1)) <= indent:
                    end_at = key.start()
                    break
            starts.append(title_at)
            ends.append(end_at)
            categories.append(str(section.category) if section.category else None)
        # A title on a line of its own, without the colon medspaCy's rules carry: "IMPRESSION" over
        # its paragraph is the impression, as "IMPRESSION:" is.
        titles = _section_titles()
        known = set(starts)
        for line in layout.lines:
            if line.kind is not Kind.HEADING or line.start in known:
                continue
            category = titles.get(" ".join(text[line.start:line.end].strip().rstrip(":").lower().split()))
            if category is None:
                continue
            indent = len(text[line.start:line.end]) - len(text[line.start:line.end].lstrip(" \t"))
            at = bisect.bisect(starts, line.start)
            starts.insert(at, line.start)
            ends.insert(at, _section_end(text, _HEADING_OR_BREAK, line.end, len(text),
                                         indent if category in _LIST_SECTIONS else None))
            categories.insert(at, category)
        return cls(starts, ends, categories)

    def at(self, offset: int) -> str | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.categories[i] if i >= 0 and offset < self.ends[i] else None


@lru_cache(maxsize=1)
def _section_titles() -> dict[str, str]:
    """medspaCy's section titles (lower case, without their colon) and their categories."""
    path = MEDSPACY_RESOURCES / "section_patterns.json"
    titles = {" ".join(rule["literal"].lower().rstrip(":").split()): rule["category"]
              for rule in json.loads(path.read_text("utf-8"))["section_rules"]}
    return {**titles, **_SOURCE_TITLES}


# An evaluation's list of what it drew on names documents, not what they say: "SOURCES OF
# INFORMATION" over "Clinical interview x2, review of pain clinic records, ... CBT notes".
SOURCES = "sources_of_information"
_SOURCE_TITLES = {title: SOURCES for title in ("sources of information", "information sources", "sources",
                                                "data sources", "collateral sources", "sources of data")}


# A printout's switch: the value of a setting, not of a finding.
# ("ERI FLAG ..... OFF" is a reading: the flag is down.)
_SWITCH_VALUE = re.compile(r"\s*(?:on|enabled)\b(?:\s*\([^()\n]*\))?\s*", re.I)
def _paragraph_on(layout: Layout, at: int) -> tuple[int, int]:
    """The paragraph from `at` on, at most 400 characters: where a deferral says what it waits for.
    In a list of recommendations, the list's items above it too, as far: "- Recommend a course of
    cognitive behavioral therapy ..." above "- Psychological clearance ... is DEFERRED at this time"."""
    lo, hi = at, min(layout.prose(at)[1], at + 400)
    i = bisect.bisect_right(layout.starts, at) - 1
    if i < 0 or layout.lines[i].kind is not Kind.LIST_ITEM:
        return lo, hi
    # (Only the items above: one below may be the evaluator's own next step, "4. Once CBT is complete
    # I would be glad to see him again and update this opinion", which is no record still awaited.)
    j = i
    while j > 0 and layout.lines[j - 1].kind in (Kind.LIST_ITEM, Kind.NARRATIVE) \
            and at - layout.lines[j - 1].start <= 400:
        j -= 1
    return min(lo, layout.lines[j].start), hi


_CELL_DENIAL = re.compile(r"[\s|]*(?:no|none|never|not)\b", re.I)


def _denies_its_cell(line: Line, at: int, text: str) -> bool:
    """Whether the cell holding offset `at` (past the row's label) opens with a denial."""
    return any(cell.start <= at < cell.end and _CELL_DENIAL.match(text, cell.start, at) is not None
               for cell in line.cells[1:])


_SINCE_THEN = re.compile(r"\b(?:ever )?since then\b|\bfrom then on\b", re.I)


def _value(rule: TargetRuleSpec, span: Span, sent: tuple[int, int], clause_at: tuple[int, int], text: str,
           anchor_date: dt.date, line: Line | None = None) -> dict[str, Any]:
    if rule.value is None:
        return {}
    # `text` comes with unticked options blanked (ChartExtractor._read): "[ ] < 3 mo" is no answer.
    sentence = off_since_blanked(text[sent[0]:sent[1]]) if rule.value == "duration" else text[sent[0]:sent[1]]
    after = sentence[span.start_char - sent[0]:] if span.start_char >= sent[0] else text[span.start_char:sent[1]]
    clause = sentence[clause_at[0]:clause_at[1]]
    row_period = None
    if line is not None and line.kind is Kind.TABLE_ROW:
        # A table row is read under its columns: vital signs and labs are never relief, and a
        # row's start and stop cells give its period.
        after = mask_vitals(text, line, span.start_char, sent[1])
        sentence = mask_vitals(text, line, sent[0], sent[1])
        row_period = row_period_text(text, line)
        if row_period:
            clause = row_period
    if rule.value == "percent_improvement":
        # The span with the words just before it: "below the 50% we would want" is under 50.
        # A share someone expects or set as the goal is no result ("goals ...: a reduction of pain
        # of at least fifty percent").
        if is_expected_share(text, span.start_char):
            return {}
        lead_at = max(sent[0], span.start_char - 24)
        parsed = percent_improvement(text[lead_at:sent[1]], end=span.end_char - lead_at) \
            or percent_improvement(span.text) or percent_improvement(sentence)
        return {"value": parsed.value, "unit": "percent"} if parsed else {}
    if rule.value == "ashworth_drop":
        whole = ashworth_drop(sentence)
        # A denial of the drop that takes in the mention reads for it: "No change in MAS >=1 point in
        # any muscle group" (read from "MAS" on, ">=1 point" is the bar, not a result).
        denied = whole is not None and whole.value == 0 and whole.start <= span.start_char - sent[0] < whole.end
        parsed = whole if denied else ashworth_drop(after) or whole
        return {"value": parsed.value, "unit": "points"} if parsed else {}
    if rule.value == "life_expectancy":
        parsed = life_expectancy_months(after)
        if parsed is None:
            return {}
        return {"value": parsed.value, "unit": "months"} | ({"below": True} if parsed.below else {})
    if rule.value == "etiology":
        return {"value": span.text}
    if rule.value == "drug":
        named = drug_name(span.text)
        return {"value": named} if named else {}
    if not row_period:
        clause_at_start = sent[0] + clause_at[0]
        clause = others_lengths_blanked(clause, span.end_char - clause_at_start)
    after = others_lengths_blanked(after, span.end_char - span.start_char)
    sentence = others_lengths_blanked(sentence, span.end_char - sent[0])
    period = duration(clause, anchor_date) or duration(after, anchor_date) or duration(sentence, anchor_date)
    if period is None and _SINCE_THEN.search(sentence) and (before := parse_dates(text[max(0, sent[0] - 240):sent[0]])):
        # "Since then" counts from the date the sentence before gives: "He has not worked since
        # March 2021. Since then his wife helps him with socks and shoes".
        period = duration(f"since {before[-1][0]:%m/%Y}", anchor_date)
    if period is not None and period.end == anchor_date and ended_since(text[sent[0]:sent[1]]):
        # A course the sentence says has not gone on since a date does not run to the note's day:
        # "PT: none since 2022 (see ... d/c summary 03/2022, attended 5/12)".
        return {}
    if period is None or period.days <= 1:
        # Minutes, hours or "a day" are a tolerance, a session or a frequency, never a course's or a
        # limit's length: "Cook one evening meal a day .... NOT MET - still limited to about ten minutes".
        return {}
    result: dict[str, Any] = {"value": round(period.days, 1), "unit": "day"}
    if period.start and period.end:
        result.update(period_start=period.start, period_end=period.end)
    return result


def _sources(text: str, notes: Notes, source: str) -> Callable[[int], str]:
    """The source of the note holding an offset. A cover or form that pulls other notes in under
    their own headings ("[Primary care, 01/21/2025]") restates nothing in them: each is a record
    unless its own head reads as a form or letter."""
    if source != "summary" or not notes.headed:
        return lambda offset: source
    # A note a date label starts (not a heading) goes on in the kind of the one before it. The
    # first is read to the next heading: a notice faxed before a letter is no letter.
    kinds: dict[int, str] = {}
    headed = sorted(notes.headed)
    kind = "summary" if _is_summary(text, 0, headed[0]) else "record"
    for start in notes.starts:
        if start in notes.headed:
            kind = "summary" if _is_summary(text, start) else "record"
        kinds[start] = kind
    return lambda offset: kinds[notes.head_of(offset)]


class ChartExtractor:
    """Finds the guideline's facts in chart documents. Build once; call `extract` per chart."""

    def __init__(self, rules: RuleSet | None = None) -> None:
        self.rules = rules or load_rules()
        self.nlp = build_nlp(self.rules)
        # Rules whose own reading is the denial ("Readdressed PT - declines"): see `_read`.
        self._reads_denial = frozenset(rule.id for rule in self.rules.rules if rule.assertion == "negated")
        self.attributor = load_attributor()

    def extract(self, documents: Sequence[Document], service_date: dt.date) -> list[Fact]:
        facts: list[Fact] = []
        for document in documents:
            facts.extend(self.extract_document(document, service_date))
        # A notice's serial range against the pump's serial: the notice and the printout are
        # different documents.
        facts.extend(serial_check(documents))
        return facts

    def extract_document(self, document: Document, service_date: dt.date) -> list[Fact]:
        """The facts of one document; one longer than a part is read part by part
        (extractors/parts.py), cut where its notes or pages begin."""
        if len(document.text) <= PART_CHARS:
            return self._read(document, service_date)
        breaks = sorted({*find_notes(document.text, document.page_starts).starts, *document.page_starts})
        facts: list[Fact] = []
        for start, end in part_bounds(document.text, breaks):
            facts.extend(placed(self._read(part_of(document, start, end), service_date), document, start))
        return facts

    def _read(self, document: Document, service_date: dt.date) -> list[Fact]:
        _found.cache_clear()  # its windows are this document's text: none is kept past it
        text = document.text  # spaCy rebuilds Doc.text from its tokens on every read
        # Read with unticked options blanked (same length, so offsets hold): "[ ] Not cleared"
        # is not a finding, nor a negation of the line's question, and "[ ] < 3 mo" no value.
        answered = mask_unticked(text)
        doc = self.nlp(answered)
        notes = find_notes(text, document.page_starts)
        sentences = _Sentences.of(doc)
        lexicons = self.rules.compiled_lexicons
        # The note's title lines: "INTRATHECAL MORPHINE TRIAL - PROCEDURE NOTE".
        layout = read_layout(text)
        sections = _Sections.of(doc, text, layout)
        header = _title_lines(text, layout)
        # A note after the first has a title of its own, read with the document's: a file holding a
        # psychologist's June evaluation, then a trial's flowsheet dated September.
        note_headers = [header if at == 0 else f"{header}\n{_title_lines(text, layout, at)}" for at in notes.starts]
        copied = copied_blocks(text)
        source = "summary" if _is_summary(text) else "record"
        source_at = _sources(text, notes, source)
        # Where a manufacturer's notice begins: a printout may come first and the notice after it.
        opened = _MANUFACTURER_NOTICE.search(document.text[:SUMMARY_CHARS])
        notice_at = opened.start() if opened else None
        found: dict[tuple[Any, ...], Fact] = {}
        anchored: dict[tuple[Any, ...], int] = {}  # where each found mention's anchor begins
        read_denials: list[tuple[str, int, int, int]] = []  # (fact, unit, start, end) of each
        folded = doc.user_data.get("folded_text")
        # The targets read the text with unticked options blanked; most documents have none.
        cues = self.attributor.index(text, folded if folded is not None and folded.text == text else None)
        denied_keys: set[tuple[str, int]] = set()  # (rule, line) whose key its value denies
        relatives = relative_names(text)
        sex = patient_sex(text)
        targets = list(doc.spans[TARGETS]) if TARGETS in doc.spans else []
        for span in targets:
            rule = self.rules.by_id[span.label_]
            line = layout.at(span.start_char)
            # Headings, letterheads, signatures and table headers say where to look, not what is true.
            if line is None or line.kind in NOT_EVIDENCE or layout.captions_table(line):
                continue
            if _across_rows(layout, line, span.end_char, rule.across_entries):
                continue  # "Active" in one row's status cell and "Alcohol use" in the next row's
            rest = layout.run_in_title(span.start_char, span.end_char)
            if rest is not None and any(self.rules.by_id[other.label_].fact == rule.fact
                                        and rest[0] <= other.start_char < rest[1] for other in targets):
                continue  # a run-in title the paragraph restates: its sentences say what is true
            if any(lexicons[name].search(header) for name in rule.not_in_titled):
                continue
            if rule.only_in_recommendations and not (
                    line.kind is Kind.LIST_ITEM and (above := layout.heading_above(line.start)) is not None
                    and _RECOMMENDATIONS.search(text, above[0], above[1])):
                continue
            blank = _TEMPLATE_BLANK.match(text, span.end_char)
            if blank is not None and line.kind is Kind.KEY_VALUE and line.reading is Reading.TEXT \
                    and line.value is not None and line.value[0] >= blank.end():
                blank = None  # a blank written over is the key's leader: "Baclofen ____ 20 mg TID, failed ____"
            if blank is not None or _label_unfilled(text, span.end_char, line.end):
                continue  # a template's label left unfilled says nothing: "Clearance: ***"
            if rule.value in (None, "duration") and _INSTRUMENT_NAME.match(text, span.end_char):
                continue  # an instrument's name: its score is the finding, read where it is (never a course)
            in_key = line.kind is Kind.KEY_VALUE and line.key is not None \
                and line.key[0] <= span.start_char < line.key[1]
            if in_key and line.reading is Reading.NO:
                denied_keys.add((rule.id, line.start))
            elif line.kind is Kind.KEY_VALUE and (rule.id, line.start) in denied_keys:
                continue  # the key says it, the value denies it: "ERI ..... Not reached - est. 2.1 yrs to ERI"
            if in_key and line.value is not None and _SWITCH_VALUE.fullmatch(text, *line.value):
                continue  # a setting switched on names no event: "--- ALARM SETTINGS --- / MOTOR STALL ..... ON"
            if in_key and line.reading is Reading.TEXT and line.key is not None and line.value is not None \
                    and _TOPICS_KEY.fullmatch(text, *line.key) and _SCREEN_VALUE.search(text, *line.value):
                continue  # a label of topics ("Psych/SUD: PHQ-9 5, ... no illicit") names what its screen covers
            if line.kind is Kind.TABLE_ROW and len(line.cells) == 1 and span.start_char < line.cells[0].end \
                    and _BLANK_CELLS.match(text, line.cells[0].end, line.end):
                continue  # an item whose answer cells are blank: "| Life expectancy ... documented |   |"
            if line.kind is Kind.TABLE_ROW and len(line.cells) == 2 and span.start_char < line.cells[0].end \
                    and value_reading(text[line.cells[1].start:line.cells[1].end]) is Reading.NOT_APPLICABLE:
                continue  # ...or only points elsewhere: "| Psychological evaluation | see attached report |"
            if line.kind is Kind.TABLE_ROW and (in_vital_column(line, span.start_char) or not rule.table_rows):
                continue  # SpO2 97% or BMI 31 in a monitoring table is never a finding
            if rule.value == "percent_improvement" and (measurement_before(text, line, span.start_char)
                                                        or measures_another(text, span.start_char, span.end_char)
                                                        or not _PERCENT_SPAN.search(span.text)
                                                        and tone_change(text, span.start_char, span.end_char)
                                                        or in_key and _THRESHOLD_BEFORE.search(
                                                            text, max(0, span.start_char - 4), span.start_char)):
                # "lowest SpO2 94%" in prose: the same; "sleep ~50% better" is not the pain's, nor
                # "His Ashworth score in the hip adductors dropped from 4 to 2", nor a key's threshold
                # ("Duration >= 30% reduction ..... approx 4 hours"; a result may be ">50% relief").
                continue
            i = sentences.index(span.start)
            sent = sentences.spans[i]
            line_sentence_end = sentences.end_of_sentence_at(max(line.end - 1, line.start))
            bounds = _reading_unit(line, span, sent, layout, line_sentence_end)
            # Where a run-in title's paragraph goes on: to the end of the sentence the title opens.
            run_on = min(sentences.spans[i + 1].end_char, rest[1]) \
                if rest is not None and i + 1 < len(sentences.spans) else None
            if run_on is not None and rule.value in _AMOUNTS:
                # A run-in title's amount is in the sentence after it: "2. Prognosis. ... I would
                # expect her to be with us on the order of nine months to a year".
                bounds = bounds[0], max(bounds[1], run_on)
            context_start, table = _context_start(sentences.spans, i, rule.window, layout, line)
            window_start = min(context_start, bounds[0])
            if line.kind in (Kind.KEY_VALUE, Kind.QUESTION):
                # Context reaches back over a heading or prose, never into another key or question.
                window_start = max(window_start, layout.structured_end_before(line.start))
            elif line.kind is Kind.TABLE_ROW:
                # A row is a record of its own: the row above (or its wrapped cell, "sedation, BP
                # ok" under "tolerating, no") says nothing of this one's drug. (List items are read
                # with the items above them: a ticked box's sibling may name the device it is about.)
                window_start = max(window_start, bounds[0])
            window_end = bounds[1]
            after = None
            if rule.window_after:
                after = sentences.spans[min(len(sentences.spans) - 1, i + rule.window_after)]
                window_end = max(window_end, after.end_char)
            # A rule that reads its finding in the next sentence cites both: the quote must show
            # the failure, not only the drug ("... 10 mg TID. After eight months on it ...").
            cited = (bounds[0], window_end) if rule.cites_next else bounds
            # Two sentences are cited as one quote, twice a sentence's length at most; longer, apart,
            # each whole: a window cut around the drug would leave the failure out ("... he has now
            # been on it for").
            apart = after is not None and rule.cites_next and after.start_char >= bounds[1] \
                and window_end - bounds[0] > 2 * MAX_EVIDENCE_CHARS
            if span.end_char > cited[1]:
                # A match read over its line cites the lines it read: a printout's "Scheduled ...
                # 10" is no finding without the "Attended ... 3" under it.
                line_end = text.find("\n", span.end_char)
                last = text[span.end_char:len(text) if line_end < 0 else line_end]
                cited = cited[0], span.end_char + len(last.rstrip())
            if run_on is not None:
                # A run-in title is a heading, never evidence by itself: the quote runs on into the
                # sentence it opens ("Pressure injury. The left ischial wound was seen ...").
                cited = cited[0], max(cited[1], run_on)
            window = text[window_start:window_end] if table[1] <= window_start else \
                f"{text[window_start:table[0]]}\n{text[table[1]:window_end]}"
            heading = layout.heading_above(line.start)
            if heading is not None and heading[1] <= window_start:
                # A heading is context for what follows it: "Trial summary (IT morphine):" over a
                # table and its "Result: 8 -> 3" line.
                window = text[heading[0]:heading[1]] + "\n" + window
            if rule.header:
                window = note_headers[bisect.bisect_right(notes.starts, span.start_char) - 1] + "\n" + window
            window = _FIELD_GUIDE.sub(" ", window)
            # (Blockers read with unticked options blanked: "[X] obtained  [ ] pending" is not pending.)
            sentence = answered[bounds[0]:bounds[1]]
            c_lo, c_hi = _clause_bounds(sentence, span.start_char - bounds[0])
            clause = sentence[c_lo:c_hi]
            if rule.clause:
                window = clause if not rule.clause_heading or heading is None or heading[1] > window_start \
                    else f"{text[heading[0]:heading[1]]}\n{clause}"
            if any(not _found(lexicons[name], window, rule.affirmed_cues) and not _in_note(rule, name, text, lexicons)
                   for name in rule.requires):
                continue
            # A table row is one record: its drug cell blocks the side effect in its reason cell.
            # A match that runs over a clause break takes in the clause it ends in: "psych
            # evaluation done 02/2025; the clearance letter is not in our chart".
            ends_in = _clause_bounds(sentence, max(span.end_char - 1 - bounds[0], c_lo))[1]
            blocker_text = sentence if line.kind is Kind.TABLE_ROW or rule.blocked_in == "unit" \
                else sentence[c_lo:max(c_hi, ends_in)]
            if rule.blocked_in == "item":
                # The paragraph or list item up to the sentence; a labelled value's line ("- Since
                # admission: hydromorphone PCA ... Multifocal myoclonus and ... hallucinations").
                # A paragraph's sentences have their own subjects ("He takes oxycodone ... He reports
                # command hallucinations"): only a list item or a labelled value is one record.
                # (A list item's wrapped lines are its own: "- rotated to hydromorphone PO ... (August
                # to" / "present): ... visual hallucinations at night".)
                lo = layout.prose(span.start_char)[0]
                opens = layout.at(lo)
                item_start = lo if line.kind is Kind.LIST_ITEM or opens is not None and opens.kind is Kind.LIST_ITEM \
                    else line.start if line.kind is Kind.KEY_VALUE else bounds[0]
                if item_start == lo and (opens is not None and opens.kind is Kind.LIST_ITEM) \
                        and (labelled := layout.at(lo - 2)) is not None and labelled.kind is Kind.KEY_VALUE:
                    # A list right under a labelled line is its items: "Opioid history: oxycodone MR
                    # 40 mg bd ..." over "- pain 7-8/10, persistent nausea/vomiting".
                    item_start = labelled.start
                blocker_text = text[min(item_start, bounds[0]):bounds[1]]
            if (detail := _tick_detail(text, line.start, line.end)) is not None:
                # A ticked item's own detail lines say what the tick stands on: "[x] Psych
                # clearance" over "-> ... Written report + clearance decision NOT yet received".
                blocker_text += " " + text[detail[0]:detail[1]]
            if (undone := _UNDONE_NEXT.match(sentence, max(c_hi, ends_in))) is not None:
                # "... was discussed for less frequent refills but set aside": the clause after
                # "but" takes the first back, and its words block as the first clause's would.
                blocker_text += " " + undone.group(0)
            # A bracketed condition qualifies a form's question, it states nothing: "CBT (if
            # suggested by psych eval) ..... [X] Y".
            blocker_text = _sub(_DONE_AS_ADVISED, " completed ", _sub(_CONDITION_ASIDE, " ", blocker_text))
            # A key its value denies needs no guard against reading too much into it: "ERI ......
            # Not reached - est. 2.1 yrs to ERI" is a denial, whatever the projection after it says.
            denied_key = in_key and line.reading is Reading.NO
            if rule.parent_item_blockers and (parent := layout.parent_item(span.start_char)) is not None \
                    and any(lexicons[name].search(text, *parent) for name in rule.parent_item_blockers):
                continue  # "6. Oral/transdermal opioids tried?" over "Outcome: [X] intolerable side effects"
            blocked = any(_found(lexicons[name], blocker_text, rule.affirmed_cues or rule.affirmed_blockers)
                          for name in rule.blocked_by)
            if blocked and denied_key and line.key is not None:
                # ...but a blocker in the key itself still blocks: "Opioid misuse behaviors on record
                # review: none found" denies misuse, not that opioids were tried. So does the word
                # that answers it: "Drug: NKDA" under allergies denies allergies, not drug use.
                # (A short value is read whole: "Baclofen: no known allergy" denies an allergy.)
                answer = _ANSWER_WORD.match(text, line.value[0], line.value[1]) if line.value else None
                said = text[line.value[0]:line.value[1]] if line.value else ""
                key_text = text[line.key[0]:line.key[1]] + " " + (
                    said if len(said.split()) <= 5 else answer.group(0) if answer else "")
                blocked = any(lexicons[name].search(key_text) for name in rule.blocked_by)
            if blocked:
                continue
            section = sections.at(span.start_char)
            if rule.sections is not None and section not in rule.sections:
                continue
            if section in rule.not_in_sections or section == SOURCES:
                continue
            floor = line.key[0] if line.kind is Kind.QUESTION and line.key is not None else 0
            assertion, modifiers = _assertion(span, rule, section, text, lexicons, floor)
            assertion = _layout_assertion(assertion, rule, line, span, text, lexicons)
            if assertion is Assertion.AFFIRMED and line.kind in _LISTED and _row_resolved(layout, line, text):
                assertion = Assertion.HISTORICAL  # a problem list's row marked "Resolved"
            if assertion in (Assertion.AFFIRMED, Assertion.HISTORICAL) and line.kind is not Kind.QUESTION \
                    and text[bounds[0]:bounds[1]].rstrip().rstrip("\"'”’)").endswith("?"):
                assertion = Assertion.HYPOTHETICAL  # a question asked in prose states nothing
            if assertion is not None and _RETRACTED.match(text, bounds[1]):
                # Dictation taken back: "PSYCHOLOGICAL CLEARANCE FOR IMPLANT colon cleared" /
                # "Correction comma strike that, clearance has not been received."
                assertion = Assertion.HYPOTHETICAL
            if assertion is Assertion.AFFIRMED and rule.recommended_in_lists and line.kind is Kind.LIST_ITEM \
                    and (above := layout.heading_above(line.start, across_blanks=True)) is not None \
                    and _RECOMMENDATIONS.search(text, above[0], above[1]) \
                    and not _REPORTS_DONE.search(text, bounds[0], bounds[1]):
                assertion = Assertion.HYPOTHETICAL  # an evaluator's recommendation is still to be done
            if assertion is Assertion.AFFIRMED and (above := layout.heading_above(line.start)) is not None \
                    and _PLAN_OF_CARE.match(text, above[0], above[1]) \
                    and not _REPORTS_DONE.search(text, bounds[0], bounds[1]):
                # A therapist's plan of care is what the course was to be: "PLAN OF CARE" over
                # "Graded motor imagery ..., and a daily home program" (what came of it is told apart).
                assertion = Assertion.HYPOTHETICAL

            if assertion is None:
                continue
            if assertion is not Assertion.FAMILY and not rule.ignore_family \
                    and (lead := layout.lead_in(line.start)) is not None and _FAMILY_LEAD.search(text, *lead):
                assertion = Assertion.FAMILY  # ticked under "Family history (check all that apply):"
            if assertion is Assertion.AFFIRMED and (lead := layout.lead_in(line.start)) is not None \
                    and _COPIED_LEAD.search(text, *lead):
                assertion = Assertion.HISTORICAL  # quoted under "Carried forward from pediatric record (11/2005):"
            if assertion is Assertion.AFFIRMED and (lead := layout.lead_in(line.start)) is not None \
                    and _DIFFERENTIAL_LEAD.search(text, *lead):
                assertion = Assertion.POSSIBLE  # "(b) catheter occlusion" under "cause NOT yet established. DDx:"
            if assertion is Assertion.AFFIRMED \
                    and _DIFFERENTIAL_INLINE.search(text, max(bounds[0], span.start_char - 200), span.start_char):
                assertion = Assertion.POSSIBLE
            if assertion is Assertion.AFFIRMED and (title := layout.heading_above(line.start)) is not None \
                    and _DIFFERENTIAL_TITLE.match(text, title[0], title[1]):
                assertion = Assertion.POSSIBLE  # listed under "DIFFERENTIAL for escalating pain"
            # ...whether the question asks about now or ever ("History of opioid addiction?").
            if assertion in (Assertion.AFFIRMED, Assertion.HISTORICAL) and not rule.ignore_family \
                    and line.kind is Kind.QUESTION \
                    and line.reading is Reading.YES and (details := layout.details_below(line)) is not None \
                    and _RELATIVE_FIRST.match(text, details[0], details[1]):
                assertion = Assertion.FAMILY  # "[X] Yes" over "If yes, explain: brother - heroin"
            if assertion in (Assertion.AFFIRMED, Assertion.HISTORICAL) and not rule.ignore_family \
                    and line.kind is Kind.QUESTION and line.reading is Reading.YES and line.value is not None \
                    and _FAMILY_NOTE.match(text, line.value[1], line.end):
                assertion = Assertion.FAMILY  # "...opioid addiction?   Y  - see family hx, uncle"
            if assertion in (Assertion.AFFIRMED, Assertion.HISTORICAL) and not rule.ignore_family \
                    and (label := _RELATIVE_LABEL.match(text, line.start, line.end)) is not None \
                    and span.start_char >= label.end() \
                    and not _TOLD_BY.search(text, label.end() if _NOT_THE_PATIENT.search(label.group(0))
                                            else line.start, line.end):
                # A family history line's relative heads all its items: "Father - hypertension;
                # alcohol use disorder". (A caregiver's report is the patient's: "Mom: he cries",
                # "Wife (caregiver): increased confusion ..."; a label that says it is not the
                # patient's is the relative's: "Husband (not pt): in recovery from ...".)
                assertion = Assertion.FAMILY
            if relatives is not None and not rule.ignore_family and assertion is not Assertion.FAMILY \
                    and _relative_named(relatives, clause, max(0, span.start_char - bounds[0] - c_lo)):
                assertion = Assertion.FAMILY  # the clause's subject is a relative named earlier
            if sex is not None and not rule.ignore_family and assertion is not Assertion.FAMILY \
                    and _relative_by_pronoun(text[bounds[0]:span.start_char], sex):
                assertion = Assertion.FAMILY  # "Mum (Carla) ...; - she has a history of opioid use disorder"
            if not rule.ignore_family and assertion is not Assertion.FAMILY \
                    and _relative_goes_on(text, sent.start_char, span.start_char):
                assertion = Assertion.FAMILY  # "Their son Daniel ... moved back in; he is in recovery from OUD"
            deferred_on = None
            if assertion is Assertion.HYPOTHETICAL and rule.deferral_decides and any(
                    m.category == "HYPOTHETICAL" and lexicons[name].search(m.text)
                    for m in modifiers for name in rule.denial_decided_by) and not any(
                    lexicons[name].search(text, *(deferral_reach := _paragraph_on(layout, span.start_char)))
                    for name in rule.deferral_decides):
                # The evaluator's own deferral until the patient does something is a decision, not
                # a plan: "Clearance ... is deferred. Before I can support the trial she should
                # complete ... CBT" (ConText reads "deferred" as pending). One until records or a
                # test come in is still open: "Clearance is deferred. I will finalize my opinion
                # after ... I review his VA mental health records".
                assertion = Assertion.NEGATED
                # What it waits for the patient to do, for the engine to weigh against the record.
                deferred_on = next((fact for name, fact in rule.deferral_awaits.items()
                                    if lexicons[name].search(text, *deferral_reach)), None)
            if assertion is Assertion.NEGATED and rule.negation_set_aside_by and any(
                    m.category == "NEGATED_EXISTENCE"
                    and lexicons[name].search(text, m.start, min(len(text), span.end_char + 30))
                    for m in modifiers for name in rule.negation_set_aside_by):
                continue  # "No oral opioids since 2020": stopped, its outcome told elsewhere
            if assertion is Assertion.NEGATED and rule.refusal_sets_aside and any(
                    m.category == "NEGATED_EXISTENCE"
                    and lexicons["refusal"].search(text, m.start, min(len(text), m.end + 12)) for m in modifiers):
                continue  # (the cue with the verb it negates: "does not" + " want")
            if assertion is Assertion.AFFIRMED and rule.affirmation_blocked_by:
                # A printout's answers about one thing are read together: the line naming the
                # advisory checked is no finding when the line under it says "NOT AFFECTED". The
                # lines above it are others' ("Rec: CBT ..., contingent on CBT completion" over
                # "Addendum 09/05/2024: CBT 8/8 sessions completed").
                block = layout.key_block(span.start_char)
                unit = sentence if block is None else f"{sentence}\n{text[max(block[0], line.start):block[1]]}"
                if any(lexicons[name].search(unit) for name in rule.affirmation_blocked_by):
                    continue
            if assertion is Assertion.AFFIRMED and line.kind is not Kind.QUESTION \
                    and _ANSWERED_NO_IN_PROSE.match(text, span.end_char, min(len(text), span.end_char + 160)):
                assertion = Assertion.NEGATED  # "Any ... recall for this serial number question mark No."
            if assertion is Assertion.AFFIRMED and line.kind is not Kind.QUESTION \
                    and _ANSWERED_NO_INLINE.match(text, span.end_char, min(len(text), line.end)):
                assertion = Assertion.NEGATED
            if notice_at is not None and span.start_char >= notice_at and not rule.from_notices \
                    and assertion in (Assertion.AFFIRMED, Assertion.POSSIBLE):
                # A recall letter's failure modes, and the risks it warns of ("Potential for
                # intermittent motor stall"), are every pump's: no suspicion of this one.
                assertion = Assertion.HYPOTHETICAL
            # (Named in the mention's own sentence: "before the pump she had failed oral morphine" in
            # the sentence before "Home PT heard the pump alarming" names no kind of alarm.)
            if assertion is Assertion.AFFIRMED and any(not _asserted(lexicons[name], window)
                                                        for name in rule.requires_affirmed):
                continue  # an affirmation stands on the cue asserted, not one a study would confirm
            if assertion is Assertion.AFFIRMED and rule.uncertain_unless and \
                    not any(_found(lexicons[name], sentence, True) for name in rule.uncertain_unless):
                assertion = Assertion.POSSIBLE
            hedges = [lexicons[name] for name in rule.uncertain_if]
            if assertion is Assertion.AFFIRMED and any(h.search(clause) for h in hedges) \
                    or assertion is Assertion.NEGATED and any(not _DENIED_BEFORE_HEDGE.search(sentence, 0, m.start())
                                                              for h in hedges for m in h.finditer(sentence)):
                # A hedge leaves a denial open too, anywhere in its sentence: "no free CSF flow; not
                # diagnostic on its own".
                assertion = Assertion.POSSIBLE
            key: tuple[Any, ...] = (rule.fact, bounds[0], assertion)
            # Relative times count back from the note's own date, never past the service date.
            anchor_date = min(notes.date_at(span.start_char) or service_date, service_date)
            if assertion is Assertion.AFFIRMED and (opening := _RESOLVED_OPENING.match(clause)) is not None \
                    and opening.end() <= span.start_char - bounds[0] - c_lo:
                # A finding its clause opens by calling resolved: "1. Resolved epidural tumor at T11
                # following SBRT." (ConText's "resolved" reads back from the word.)
                assertion = Assertion.HISTORICAL
            if rule.dated_past_is_historical and assertion is Assertion.AFFIRMED \
                    and (_dated_past(clause, anchor_date, span.start_char - bounds[0] - c_lo)
                         or _old_note(notes.date_at(span.start_char), service_date, clause)):
                assertion = Assertion.HISTORICAL
            if rule.dated_ahead_is_plan and assertion is Assertion.AFFIRMED \
                    and notes.date_at(span.start_char) is not None \
                    and _dated_ahead(text[span.end_char:min(span.end_char + 40, bounds[1])], anchor_date, booked=True):
                assertion = Assertion.HYPOTHETICAL
            if rule.dated_ahead_is_projection and assertion is Assertion.AFFIRMED \
                    and _dated_ahead(text[span.end_char:min(span.end_char + 40, bounds[1])], anchor_date):
                assertion = Assertion.NEGATED
            value = _value(rule, span, bounds, (c_lo, c_hi), answered, anchor_date, line)
            below = value.pop("below", False)
            if below and assertion is Assertion.NEGATED and line.kind is Kind.QUESTION:
                # A bound a form's answer denies is the bound reached: "prognosis under six months?
                # No" is at least six months. (In prose a "not" near the bound may deny anything else.)
                assertion, value["value"] = Assertion.AFFIRMED, round(value["value"] + 0.01, 2)
            elif below:
                value["at_most"] = True
            # A mention naming a device part itself ("pump rotor malfunction") is read even after
            # another mention of the same fact in its sentence, as the part may differ.
            if key in found and (found[key].value is not None or not value) \
                    and not cues.names_part(span.start_char, span.end_char):
                continue
            # A labelled line is one record, its label the treatment it is about: "tizanidine ....
            # 01/08/2024 - 03/11/2024 (9 wk), 2 mg TID. No change in MAS" (the drug's, not a trial's).
            prose = layout.prose(span.start_char) if line.kind in (Kind.NARRATIVE, Kind.LIST_ITEM) \
                else (line.start, line.end) if line.kind is Kind.KEY_VALUE and line.key is not None else None
            roles = cues.attribute(bounds, (bounds[0] + c_lo, bounds[0] + c_hi), (span.start_char, span.end_char),
                                   assertion, title=header if rule.title_attribution else "", block=heading,
                                   item=prose, record=layout.record_label(span.start_char),
                                   taken=tuple((m.start, m.end) for m in modifiers
                                               if m.category == "NEGATED_EXISTENCE")
                                   + tuple(m.span() for m in _STOPPED_ALONGSIDE.finditer(text, *bounds)))
            if roles.get("component") is not None:
                # Each part a sentence names is its own mention: "catheter occlusion vs. pump rotor
                # malfunction not caught by telemetry" suspects the pump as well as the catheter.
                key = (*key, roles["component"])
                if key in found and (found[key].value is not None or not value):
                    continue
            decided = assertion is Assertion.NEGATED and any(
                lexicons[name].search(clause) for name in rule.denial_decided_by)
            if decided and roles.get("timing") == "plan":
                # A decision withheld now plans nothing: "At this time I cannot recommend her for an
                # intrathecal trial" (its "recommend" is no plan to).
                del roles["timing"]
            if deferred_on is not None:
                roles["awaits"] = deferred_on  # a denial until the patient has done it
            if rule.awaits is not None:
                roles["timing"], roles["awaits"] = "pending", rule.awaits  # granted on a condition
            elif rule.assertion == "planned":
                roles["timing"] = "pending"  # asked for or awaited, by the rule's own reading
            elif assertion is Assertion.HYPOTHETICAL and any(
                    m.category == "HYPOTHETICAL" and m.text.lower() in _STILL_TO_COME
                    and _beside(text, span, m) for m in modifiers):
                # Awaited, not merely planned: "clearance for IT trial: DEFERRED. Final
                # determination pending the testing report" has the record's word still to come.
                roles["timing"] = "pending"
            elif assertion is Assertion.HYPOTHETICAL and open_item(text, line):
                # A checklist's open order: "[ ] Psychological evaluation / clearance" over
                # "status: PENDING - intake scheduled 06/27/2024 ... no report on file".
                roles["timing"] = "pending"
            elif assertion is Assertion.HYPOTHETICAL and _ON_CONFIRMATION.search(
                    text, max(bounds[0], span.start_char - 40), span.start_char):
                # A step on a finding still to be confirmed: "If lot confirmed in affected range ->
                # elective pump replacement", "palliative RT only if PET confirms metastasis".
                roles["timing"] = "pending"
            elif assertion is Assertion.NEGATED and (rule.denial_is_open or any(
                    lexicons[name].search(clause) for name in rule.denial_open_if)):
                # "Screen only - not a psychological evaluation": not done is still to come.
                assertion, roles["timing"] = Assertion.HYPOTHETICAL, "pending"
            if assertion is Assertion.NEGATED and line.kind is Kind.TABLE_ROW and len(line.cells) >= 2 \
                    and _denies_its_cell(line, span.start_char, text):
                # A row whose cell opens with the denial denies its label too: "| Physical therapy |
                # - | No formal PT since 05/2021. Referral offered |" records none.
                label_at = anchored.get((rule.fact, bounds[0], Assertion.AFFIRMED))
                if label_at is not None and label_at < line.cells[0].end:
                    found.pop((rule.fact, bounds[0], Assertion.AFFIRMED), None)
            anchored[key] = span.start_char
            if assertion is Assertion.NEGATED and rule.id in self._reads_denial:
                read_denials.append((rule.fact, bounds[0], span.start_char, span.end_char))
            found[key] = Fact(
                name=rule.fact,
                assertion=assertion,
                evidence=[_evidence(document, bounds, span), _evidence(document, after, after)]
                if apart and after is not None
                else [_evidence(document, cited, span, 2 * MAX_EVIDENCE_CHARS)] if rule.cites_next
                else [_evidence(document, cited, _focus(rule, span, cited, text, lexicons))],
                rule_id=rule.id,
                reason=rule.reason + (f" ({describe_value(value.get('value'), value.get('unit'))})" if value else ""),
                modifiers=modifiers,
                section=section,
                roles=roles,
                source="log" if in_key and line.key and _DEVICE_SELF_REPORT.search(text, *line.key)
                or assertion is Assertion.NEGATED and _LOG_SAYS.match(text, bounds[0], span.start_char)
                and ";" not in text[bounds[0]:span.start_char]
                else "summary" if _claimed(line, span, text)
                or rule.reported_is_claim
                and _REPORTED.search(text, max(bounds[0], span.start_char - 50), span.start_char)
                else source_at(span.start_char),
                note_date=notes.date_at(span.start_char),
                observed_on=_stated_date(clause, span.start_char - bounds[0] - c_lo, anchor_date)
                or next((day for lo, hi, day in copied if lo <= span.start_char < hi
                         and (anchor_date is None or day < anchor_date)), None)
                or _year_seen(clause, anchor_date, span.start_char - bounds[0] - c_lo),
                # Text copied forward from a dated note is of then, its latest word too.
                latest_on=_latest_date(clause, anchor_date)
                or next((day for lo, hi, day in copied if lo <= span.start_char < hi
                         and (anchor_date is None or day < anchor_date)), None),
                implied=rule.implied or bool(rule.implied_unless) and not any(
                    _found(lexicons[name], sentence, True) for name in rule.implied_unless),
                decision=decided,
                ends_course=rule.course_outcome and assertion is Assertion.NEGATED,
                **value,
            )
        # A mention a rule reads as turned down is no affirmation of what it names: "Readdressed PT -
        # declines." (the refusal's match holds the therapy's own mention).
        for key in [key for key in found if key[2] is Assertion.AFFIRMED]:
            if any(key[0] == fact and key[1] == unit and start <= anchored[key] < end
                   for fact, unit, start, end in read_denials):
                del found[key]
        facts = list(found.values())
        # A table's result is dated by its note and sourced like its document.
        facts.extend(f.model_copy(update={"note_date": notes.date_at(f.evidence[0].start),
                                          "source": source_at(f.evidence[0].start)})
                     for f in (*ashworth_tables(document, layout, cues, header),
                               *pain_tracking_tables(document, layout, cues, header)))
        facts.extend(_paired_ashworth(document, doc, facts))
        if any(lexicons["trial_context"].search(titles) for titles in note_headers):
            facts.extend(f.model_copy(update={"note_date": notes.date_at(f.evidence[0].start),
                                              "source": source_at(f.evidence[0].start)})
                         for f in pain_score_tables(document, layout, cues, header))
            facts.extend(_paired_pain_scores(document, sentences, facts))
        return _value_decides(facts, layout)



def _value_decides(facts: list[Fact], layout: Layout) -> list[Fact]:
    """A key-value line that names a finding in its key and denies it in its value is a denial:
    "- Recall: his serial FS4A-217388 is not within either serial range" recalls nothing."""
    # Only a denial another rule reads from the line: one rule reading both ("ESI x2, no relief")
    # found a treatment and its outcome, not a finding and its denial. (Telling the key's mention
    # from the value's for one rule, or matching denials by line rather than by quote, made leaves
    # worse across the blind batches; left for a later session.)
    denied = {(f.name, f.evidence[0].start, f.evidence[0].end): f.rule_id for f in facts
              if f.assertion is Assertion.NEGATED}
    kept = []
    for f in facts:
        ev = f.evidence[0]
        line = layout.at(ev.start) if f.assertion is Assertion.AFFIRMED else None
        by = denied.get((f.name, ev.start, ev.end))
        if line is not None and line.kind is Kind.KEY_VALUE and by is not None and by != f.rule_id:
            continue
        kept.append(f)
    return kept


Score = tuple[float, Span]


def _before_after(scored: list[tuple[str, list[float], Span]]) -> tuple[list[Score], list[Score]]:
    """Baseline and post-trial readings: a text naming "after"/"post" is post-trial (its lowest
    score), else one naming "baseline"/"pre" is the baseline (its highest)."""
    pre: list[Score] = []
    post: list[Score] = []
    for text, scores, span in scored:
        if POST_TRIAL.search(text):
            post.append((min(scores), span))
        elif PRE_TRIAL.search(text):
            pre.append((max(scores), span))
    return pre, post


def _paired_ashworth(document: Document, doc: Doc, facts: list[Fact]) -> list[Fact]:
    """A baseline Ashworth score in one sentence and a post-trial score in another make a drop."""
    if any(f.name == "ashworth_drop" and f.value is not None for f in facts):
        return []
    scored = []
    for fact in facts:
        if fact.name != "ashworth_drop" or fact.assertion is not Assertion.AFFIRMED:
            continue
        ev = fact.evidence[0]
        text = document.text[ev.start:ev.end]
        scores = [score.value for score in ashworth_scores(text)]
        span = doc.char_span(ev.start, ev.end, alignment_mode="expand")
        if scores and span is not None:
            scored.append((text, scores, span))
    pre, post = _before_after(scored)
    if not pre or not post:
        return []
    (before, pre_span), (after, post_span) = max(pre, key=lambda p: p[0]), min(post, key=lambda p: p[0])
    evidence = [_evidence(document, s, s) for s in (pre_span, post_span)]
    return [Fact(
        name="ashworth_drop", assertion=Assertion.AFFIRMED, evidence=evidence,
        rule_id="ashworth.paired", value=before - after, unit="points",
        reason=f"Ashworth {before:g} before and {after:g} after the trial ({before - after:g} points)",
    )]


def _paired_pain_scores(document: Document, sentences: _Sentences, facts: list[Fact]) -> list[Fact]:
    """In a trial note, a baseline pain score and a post-trial one make the trial's relief
    ("Pre-injection pain: 8/10" ... "pain 3/10 at 6 hours" is 62.5%)."""
    # A stated percentage of another treatment's ("SC hydromorphone reduced by 50%") is no
    # stated trial result: the scores are paired all the same.
    if any(f.name == "trial_relief_percent" and f.document == document.name
           and f.roles.get("route", "intrathecal") == "intrathecal" for f in facts):
        return []
    scored = []
    paired: list[tuple[list[Score], list[Score]]] = []
    for sent in sentences.spans:
        found = [m for m in _PAIN_SCORE.finditer(sent.text) if float(m.group(1)) <= 10]
        led = [m for m in found if _BASELINE_LEAD.search(sent.text, max(0, m.start() - 30), m.start())]
        if len(found) > len(led) > 0 and (POST_TRIAL.search(sent.text) or _BEST_SCORE.search(sent.text)):
            # One sentence with both: "Best NRS 5/10 at the 4-hour check (baseline 8/10)".
            paired.append(([(float(m.group(1)), sent) for m in led],
                           [(float(m.group(1)), sent) for m in found if m not in led]))
            continue
        if found:
            scored.append((sent.text, [float(m.group(1)) for m in found], sent))
    pre, post = _before_after(scored)
    for before_scores, after_scores in paired:
        pre, post = pre + before_scores, post + after_scores
    if not pre or not post:
        return []
    (before, pre_sent), (after, post_sent) = pre[0], min(post, key=lambda p: p[0])
    if before <= 0 or after > before:
        return []
    relief = round((before - after) / before * 100, 1)
    return [Fact(
        name="trial_relief_percent", assertion=Assertion.AFFIRMED,
        evidence=[_evidence(document, s, s) for s in (pre_sent, post_sent)],
        rule_id="trial.paired_pain_scores", value=relief, unit="percent",
        reason=f"pain {before:g}/10 before and {after:g}/10 after the trial ({relief:g}% improvement)",
    )]
