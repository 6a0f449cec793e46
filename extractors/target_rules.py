"""Target rules as data: load, validate and compile `resources/target_rules.yaml`.

Validated on load (after Presidio's recognizer YAML): unknown keys, duplicate ids, lexicons
named but not defined, and regexes that do not compile all fail with the rule's id.
"""

from __future__ import annotations

import re
from functools import cached_property
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from extractors.fastmatch import fast_pattern, opens_on_space
from extractors.resources import parse as parse_data

ValueParser = Literal["percent_improvement", "ashworth_drop", "life_expectancy", "duration", "etiology", "drug"]
# "planned": the mention is of something not yet done (a referral, a pending report).
# "affirmed_only": read by ConText, but a denial is dropped (one cause ruled out is no denial of all).
AssertionMode = Literal["context", "match", "affirmed", "negated", "only_negated", "planned", "affirmed_only"]
_LEXICON_REF = re.compile(r"\{([a-z_]+)\}")


def wrap_tolerant(pattern: str) -> str:
    """`pattern` with each space (outside a character class or a lookbehind, which must keep a
    fixed width) standing for any run of whitespace: a phrase wrapped onto the next line ("I
    estimate his life\nexpectancy at roughly 6 to 12 months") is still the phrase."""
    out: list[str] = []
    groups: list[bool] = []  # for each open group, whether it is a lookbehind
    in_class = escaped = False
    for i, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            groups.append(pattern.startswith(("(?<!", "(?<="), i))
        elif char == ")" and groups:
            groups.pop()
        elif char == " " and not any(groups):
            out.append(r"(?:\s+)")
            continue
        out.append(char)
    return "".join(out)


class RuleError(ValueError):
    """The rule file is malformed; the message names the rule or lexicon."""


class TargetRuleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z_]+\.[a-z_]+$")
    fact: str
    match: str
    reason: str
    requires: list[str] = Field(default_factory=list)
    window: int = Field(default=0, ge=0, le=5)
    # Sentences after the anchor's that `requires` may be met in: a request, then the state of
    # what it replaces ("...for the newest-generation pump. Her current pump is functioning").
    window_after: int = Field(default=0, ge=0, le=2)
    # A required lexicon missing from the window may be met anywhere in the document (its note, as a
    # packet mostly gives one per document) by the narrower lexicon named for it: a visit's request
    # in its history and the device's state in its assessment ("wants the newer model ..." / "A:
    # Current IT pump functioning normally").
    requires_in_note: dict[str, str] = Field(default_factory=dict)
    # Another service's work told on the patient's word ("Per the patient he has completed the CBT
    # she recommended") restates a claim, as a form does: that service's own record decides.
    reported_is_claim: bool = False
    # Whether the quote runs on through those sentences: where the finding is only there.
    cites_next: bool = False
    # Look for `requires` only in the anchor's own clause ("baclofen helped; his tone is
    # worse" says nothing good about the second clause).
    clause: bool = False
    # With `clause`, whether the heading over the block still counts: "Allergies" over
    # "Morphine ..... none" (a list's items share its title; a sentence's clauses do not).
    clause_heading: bool = False
    blocked_by: list[str] = Field(default_factory=list)
    # The finding follows from a name, not a statement ("FBSS" for a failed surgery): its facts
    # count, but a leaf cites them only where no mention states the finding.
    implied: bool = False
    # Lexicons whose words in the mention's reading unit make it a statement of the finding; a
    # mention without them only names it and is cited as `implied` is ("Meds: meloxicam,
    # duloxetine" beside "gabapentin to 3600 mg/d, stopped for dizziness"). Citation only.
    implied_unless: list[str] = Field(default_factory=list)
    # Lexicons that, in the clause of a denial, make it a decision ("not cleared", "deferred",
    # "unable to recommend"): a plan to revisit it later does not reopen it.
    denial_decided_by: list[str] = Field(default_factory=list)
    # Lexicons that, in the numbered form item a line is indented under, block as `blocked_by` does.
    parent_item_blockers: list[str] = Field(default_factory=list)
    # With `denial_decided_by`: its words read by ConText as pending ("Clearance is deferred") are
    # a decision, unless these lexicons, in the paragraph from the mention on, say it waits on
    # information still to come (records, a report, a test).
    deferral_decides: list[str] = Field(default_factory=list)
    # The denial tells how the course its note is about ended ("Reason for discharge:
    # non-attendance", "attended 2 of 8 sessions"): in that note it outweighs the course's name
    # and what was begun ("Program: CBT for chronic pain", "Session content delivered: ...").
    course_outcome: bool = False
    # A treatment an evaluator recommends: an item of a list under "Recommendations" is still to
    # be done ("- Cognitive behavioral therapy for pain, 10 sessions"), unless it says it was. A
    # finding listed there ("1. Psychologically cleared for a trial") is still a finding.
    recommended_in_lists: bool = False
    # The rule reads only items of a list under "Recommendations": there a treatment named is one
    # recommended ("Recommendations / 1. A course of 8 to 10 sessions of CBT for pain").
    only_in_recommendations: bool = False
    # A plan word inside the matched phrase is the finding, not a plan for it: a recommendation
    # ("I recommend referral for ... a 12-week course of cognitive behavioral therapy").
    plan_is_finding: bool = False
    # Lexicons that, found in the document's title, mean the rule does not apply there: the
    # request for a psychological evaluation, read in that evaluation's own report, is the
    # reason it was written ("asked for a pre-trial psychological assessment"), not one to come.
    not_in_titled: list[str] = Field(default_factory=list)
    # Lexicons that, in the reading unit, block only an affirmation: the unit's denial is another
    # rule's to read ("Recall/advisory check: serial not included in any advisory").
    affirmation_blocked_by: list[str] = Field(default_factory=list)
    # A treatment the patient refused was not had: for a finding about its outcome ("failed"), a
    # refusal is neither the finding nor its denial ("declined a stimulator trial after failed
    # injections"), so the mention is set aside. For a finding that it was done, it is a denial.
    refusal_sets_aside: bool = False
    # Negations that tell a course stopped, not its outcome denied, set the mention aside: "No oral
    # opioids since 2020 (previously oxycodone ER ... -> sedation, hospitalized)". Named lexicons,
    # searched from the negation's cue to just past the mention.
    negation_set_aside_by: list[str] = Field(default_factory=list)
    # `requires` and `blocked_by` count only words their clause does not deny: "tizanidine 4 mg
    # TID - no sedation reported" names no intolerance, and "tolerating it without drowsiness;
    # the baclofen is helping" no failure.
    affirmed_cues: bool = False
    # For an affirmation, these of `requires` count only where their clause does not deny or
    # suppose them: a failure a study would confirm ("If that confirms a catheter or pump failure")
    # is no failure the study documents; a denial still reads them as they are.
    requires_affirmed: list[str] = Field(default_factory=list)
    # The same for `blocked_by` alone: "cleared to proceed ..., and no further psychological
    # treatment is required" states no requirement, while its "psychologically" still counts.
    affirmed_blockers: bool = False
    # Where `blocked_by` looks: the anchor's clause, or its whole reading unit (a list item
    # naming the drug on its first line and the symptom it caused on its third).
    # Or the list item or labelled value up to it: "- Since admission: hydromorphone PCA ...
    # Multifocal myoclonus and vivid visual hallucinations at night" (the drug named a sentence
    # before); in a paragraph, whose sentences have subjects of their own, its sentence.
    blocked_in: Literal["clause", "unit", "item"] = "clause"
    sections: list[str] | None = None
    not_in_sections: list[str] = Field(default_factory=list)
    # Whether the match may run from one labelled value into the next label's: a printout's
    # "Scheduled ... 10" over "Attended ... 3" is one finding; "PUMP STATUS .... FUNCTIONING" over
    # "MOTOR STALL .... NONE" is two entries the folded text joins.
    across_entries: bool = False
    # Whether a table row can make this fact. A monitoring table's notes column records every
    # observation ("itching face"); whether the trial was tolerated is said in its prose.
    table_rows: bool = True
    # Whether the note's title names the treatment when the sentence does not: a tone drop in a
    # chemodenervation record is the injection's. Only for results of a procedure; a drug's
    # failure in a pump clinic's note is not the pump's.
    title_attribution: bool = False
    # What a printout's "none"/"0" value does to a mention in its key. For most rules the key
    # names the finding ("Alarm history: none"): a denial. Where the finding is read from cue
    # words instead ("PRN breakthrough hydromorphone used: 0 doses"), the count denies the cue,
    # not the finding: the mention is set aside.
    key_value_no: Literal["negate", "set_aside"] = "negate"
    # `requires` may also be met by the note's header (a trial procedure note's title
    # puts every sentence of it in trial context).
    header: bool = False
    assertion: AssertionMode = "context"
    # A rule that finds the opposite of its fact ("surgery is recommended" against
    # "further treatment not indicated") flips the assertion it found.
    invert: bool = False
    # Functional limitations name the relative who helps ("needs her husband to help her
    # dress"); there the relative is not the experiencer.
    ignore_family: bool = False
    # Negation cues that are the finding itself for this rule: "cannot sit" is a limitation,
    # not the absence of one. Named lexicons; a ConText negation whose cue matches is ignored.
    negation_is_finding: list[str] = Field(default_factory=list)
    # Keys that ask after an ability, for which a "No" answer is the limit itself ("Tolerates
    # sock/shoe on R foot: no -> intermittently"). Named lexicons, matched at the key's start.
    no_to_key_is_finding: list[str] = Field(default_factory=list)
    # A mention dated years back in its own clause, with nothing saying it goes on ("suicide
    # attempt in 2005, none since"), is historical: for facts the guideline wants current.
    dated_past_is_historical: bool = False
    # A mention followed by a date after the note's is a projection, not a state reached:
    # "Interrogation 09/24 reviewed: normal, ERI 03/2028" (the indicator is years ahead).
    dated_ahead_is_projection: bool = False
    # A mention dated after its note is booked, not done: "Psych eval/clearance 10/17 -- need
    # result before trial can go" in a September note.
    dated_ahead_is_plan: bool = False
    # A mention that says too little to be the finding unless its unit names what settles it:
    # "the pump is alarming" is a notification of impending failure only once the alarm is
    # named (battery, ERI, critical); before that it is possible, an open question.
    uncertain_unless: list[str] = Field(default_factory=list)
    # The reverse: lexicons that, in the mention's clause, leave the finding a suspicion. A study that
    # "cannot exclude" a kink documents none, though it names the kink and itself; a hedge in
    # another clause ("...; infection cannot be excluded") is about something else.
    uncertain_if: list[str] = Field(default_factory=list)
    # Whether a manufacturer's notice (a recall letter) can make this fact about the patient: it
    # can say a serial is affected, but its failure modes, alarms and instructions are about every
    # pump of the model ("The pump will sound a critical alarm (MOTOR STALL) if this occurs").
    from_notices: bool = False
    # A denial of this rule's finding says it is not done yet, not that it failed ("psych
    # evaluation not performed"): the mention is set aside as still to come, so the leaf asks for
    # the document instead of failing on its absence.
    denial_is_open: bool = False
    # ...where its clause says so ("Rotor study: not done this visit", "dye study deferred"): a study
    # not yet done documents no rationale either way.
    denial_open_if: list[str] = Field(default_factory=list)
    # The finding is granted on a condition, another fact ("cleared to proceed ... once the CBT
    # course above has been completed"): the mention is still to come, and stands once the record
    # documents that fact (the engine reads the `awaits` role).
    awaits: str | None = None
    # With `deferral_decides`: a deferral whose paragraph names one of these lexicons waits on the
    # fact named for it ("Clearance is deferred ... Will re-evaluate when the CBT course is
    # finished"). The denial stands while the record denies that fact (the course declined or
    # left); once the course is done or still running, the decision is still to come (the engine
    # reads the `awaits` role on a denial).
    deferral_awaits: dict[str, str] = Field(default_factory=dict)
    value: ValueParser | None = None


class RuleSet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    lexicons: dict[str, str]
    rules: list[TargetRuleSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> RuleSet:
        for name, pattern in self.lexicons.items():
            if unknown := sorted(set(_LEXICON_REF.findall(pattern)) - self.lexicons.keys()):
                raise ValueError(f"lexicon {name!r} names unknown lexicon {unknown[0]!r}")
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"rule {rule.id!r} appears twice")
            seen.add(rule.id)
            listed = (set(rule.requires) | set(rule.blocked_by)
                     | set(rule.requires_affirmed)
                     | set(rule.implied_unless)
                     | set(rule.not_in_titled)
                     | set(rule.negation_is_finding) | set(rule.no_to_key_is_finding)
                     | set(rule.uncertain_unless) | set(rule.uncertain_if)
                     | set(rule.affirmation_blocked_by) | set(rule.denial_decided_by) | set(rule.deferral_decides)
                     | set(rule.deferral_awaits)
                     | set(rule.parent_item_blockers) | set(rule.negation_set_aside_by) | set(rule.denial_open_if)
                     | ({"refusal"} if rule.refusal_sets_aside else set()))
            named = listed | set(_LEXICON_REF.findall(rule.match))
            for name in sorted(named - self.lexicons.keys()):
                raise ValueError(f"rule {rule.id!r} names unknown lexicon {name!r}")
            for name in sorted(listed):
                if opens_on_space(self.expanded_lexicons[name]):
                    raise ValueError(f"lexicon {name!r} (read by rule {rule.id!r} on its own) has an "
                                     "alternative opening on a space, which its word guard never lets match")
            try:
                fast_pattern(self.expand(rule.match))
            except re.error as exc:
                raise ValueError(f"rule {rule.id!r}: match does not compile: {exc}") from None
            except ValueError as exc:  # a pattern that can match empty text finds nothing
                raise ValueError(f"rule {rule.id!r}: match: {exc}") from None
        for name in self.lexicons:
            try:
                re.compile(self.expanded_lexicons[name], re.I)
            except re.error as exc:
                raise ValueError(f"lexicon {name!r} does not compile: {exc}") from None
        return self

    def expand(self, pattern: str) -> str:
        return wrap_tolerant(_LEXICON_REF.sub(lambda m: self.expanded_lexicons[m.group(1)], pattern))

    @cached_property
    def expanded_lexicons(self) -> dict[str, str]:
        """Each lexicon with the lexicons it names written in: one guard shared by a lexicon and a
        rule ("withdrawal that would be dangerous is a warning") is written once."""
        def written(name: str, within: tuple[str, ...]) -> str:
            if name in within:
                raise ValueError(f"lexicon {name!r} names itself through {' -> '.join(within)}")
            return _LEXICON_REF.sub(lambda m: written(m.group(1), (*within, name)), self.lexicons[name])
        return {name: written(name, ()) for name in self.lexicons}

    @cached_property
    def compiled_lexicons(self) -> dict[str, re.Pattern[str]]:
        # A lexicon's word never starts inside another word: "fusion" is not in "infusion",
        # "tolerable" not in "intolerable", "tone" not in "milestone". (So an alternative never
        # opens on a space, which a word may precede: it opens on its word, after a lookbehind.)
        return {name: re.compile(rf"(?<!\w)(?:{wrap_tolerant(pattern)})", re.I)
                for name, pattern in self.expanded_lexicons.items()}

    @cached_property
    def by_id(self) -> dict[str, TargetRuleSpec]:
        return {rule.id: rule for rule in self.rules}

    @property
    def facts(self) -> set[str]:
        return {rule.fact for rule in self.rules}


def load_rules(text: str | None = None) -> RuleSet:
    """The shipped rule file, or rule data given as YAML text (for tests)."""
    if text is None:
        text = (resources.files("extractors") / "resources" / "target_rules.yaml").read_text("utf-8")
    try:
        return RuleSet.model_validate(parse_data(text))
    except ValidationError as exc:
        first = exc.errors()[0]
        place = ".".join(str(p) for p in first["loc"])
        raise RuleError(f"target rules: {place}: {first['msg']}") from None
