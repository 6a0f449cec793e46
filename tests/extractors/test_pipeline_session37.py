"""Classes of error session 37 found on blind batch 138 (scored at first sight at e572ed34, before it
was fixed against) and fixed by class; each test fails on the code before its change, except the
rows and tests marked as guards."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.facts import Assertion
from extractors.layout import Kind, Reading, read_layout
from extractors.notes import find_notes
from extractors.values import life_expectancy_months
from rules.engine import Evaluator, FactBase
from rules.guideline import load_guideline


@pytest.mark.parametrize(("text", "months", "ceiling"), [
    ("Hospice eligibility: terminal illness, prognosis 6 months or less if disease runs its course", 6.0, True),
    ("life expectancy at most four months", 4.0, True),
    ("prognosis no more than 3 months", 3.0, True),
    ("life expectancy less than six months", 5.99, True),  # guard
    ("life expectancy greater than three months", 3.0, False),  # guard
])
def test_a_ceiling_on_life_expectancy_is_marked(text: str, months: float, ceiling: bool) -> None:
    parsed = life_expectancy_months(text)
    assert parsed is not None and parsed.value == months and parsed.below is ceiling


def _life_expectancy(facts_for, *notes: tuple[str, str]) -> str:
    guideline = load_guideline()
    facts = [f.model_copy(update={"source": source}) for text, source in notes for f in facts_for(text)]
    evaluator = Evaluator(guideline, FactBase.build(facts, guideline), None, dt.date(2024, 10, 1))
    return evaluator.node(guideline.node("cancer_pain.life_expectancy_3_months")).status.value


def test_a_hospice_ceiling_does_not_reach_the_bar(facts_for) -> None:
    """"Prognosis 6 months or less" says the life expectancy is at most six months, nothing of its
    reaching three (b138m-04, a false approval: it was read as six months)."""
    hospice = ("HOSPICE MED REC 09/24/2024\nHospice eligibility: terminal illness, prognosis 6 months or less if "
               "disease runs its usual course.\n", "record")
    assert _life_expectancy(facts_for, hospice) == "unknown"
    under = ("ONCOLOGY 09/20/2024\nPrognosis: I expect he has less than two months.\n", "record")
    assert _life_expectancy(facts_for, hospice, under) == "not_met"


def test_a_letters_prognosis_is_as_old_as_the_consult_it_cites(facts_for) -> None:
    """A letter signed last whose prognosis is "per his oncology team (consult 07/2024)" is July's;
    the oncologist's September "4 to 8 weeks" is the latest word (b138m-04, a false approval)."""
    oncology = ("ONCOLOGY PROGRESS NOTE 09/20/2024\nPrognosis: I estimated his remaining time as weeks, most likely "
                "on the order of 4 to 8\nweeks.\n", "record")
    letter = ("LETTER OF MEDICAL NECESSITY 09/26/2024\nPer his oncology team (consult 07/2024), his life expectancy "
              "is greater than three months.\n", "summary")
    assert _life_expectancy(facts_for, oncology, letter) == "not_met"


NOTICE_THEN_LETTER = (
    "[FAX PAGE 1 of 2]  11/04/2024  09:41  TO: Pain Center\n\n"
    "ACME NEURO - PRODUCT ADVISORY  PA-2024-07\n"
    "Issue: Some units may show premature battery depletion.\n"
    "Population: serial numbers NGX220500 - NGX226999.\n\n"
    "Serial lookup (clinic to complete):\n"
    "   Patient: DOE, J.     Serial: ________________\n"
    "   Affected? [ ] Yes   [ ] No    Checked by: ______   Date: ______\n\n"
    "[FAX PAGE 2 of 2]\n\n"
    "WESTRIDGE ONCOLOGY ASSOCIATES\n\n"
    "November 6, 2024\n\n"
    "To: Utilization Management\n"
    "Re: request for replacement of his intrathecal pump\n\n"
    "His pump is part of a manufacturer recall. Replacement is urgently needed.\n"
)


def test_a_fax_page_with_its_own_date_is_another_document() -> None:
    """A page marker over a page opening with its own date starts a note of its own (a letter faxed
    after a manufacturer's notice is not the notice)."""
    notes = find_notes(NOTICE_THEN_LETTER, [0])
    assert len(notes.starts) == 2 and notes.starts[1] == NOTICE_THEN_LETTER.index("[FAX PAGE 2")
    assert notes.starts[1] in notes.headed


def test_a_notices_blank_lookup_leaves_a_letters_recall_open(facts_for) -> None:
    """A letter's "part of a manufacturer recall" beside the notice's own look-up left blank
    ("Affected? [ ] Yes [ ] No"): whether the recall covers this pump is still to be found out
    (b138d-06, a false approval)."""
    facts = facts_for(NOTICE_THEN_LETTER)
    recalled = [f for f in facts if f.name == "device_recalled"]
    looked_up = [f for f in recalled if f.roles.get("timing") == "pending"]
    assert looked_up and looked_up[0].source == "record"
    assert any(f.assertion is Assertion.AFFIRMED and f.source == "summary" for f in recalled)
    guideline = load_guideline()
    evaluator = Evaluator(guideline, FactBase.build(facts, guideline), None, dt.date(2024, 11, 10))
    assert evaluator.node(guideline.node("cancer_pain.replacement.recalled")).status.value == "unknown"


def test_an_answered_lookup_is_not_left_open(facts_for) -> None:
    """(A guard: a look-up answered is read by the recall rules' own words.)"""
    facts = facts_for(NOTICE_THEN_LETTER.replace("Affected? [ ] Yes   [ ] No", "Affected? [X] Yes   [ ] No"))
    assert not [f for f in facts if f.name == "device_recalled" and f.roles.get("timing") == "pending"]


def test_two_items_on_one_form_line_are_read_apart() -> None:
    """"Body size insufficient ... ☐ Y ☒ N     Heparin / vancomycin infusion☐ Y ☒ N": the second item
    has its own answer, not the first one's value (b138q-04, a false denial: it was read as affirmed)."""
    text = ("EXCLUSIONS (all requests)\n"
            " Body size insufficient for device           ☐ Y ☒ N     Heparin / vancomycin infusion☐ Y ☒ N\n"
            " Opioid addiction                            ☐ Y ☐ N     Tumor in thecal sac          ☒ Y ☐ N\n")
    questions = [line for line in read_layout(text).lines if line.kind is Kind.QUESTION]
    read = [(text[line.key[0]:line.key[1]].strip(), line.reading) for line in questions if line.key]
    assert read == [("Body size insufficient for device", Reading.NO), ("Heparin / vancomycin infusion", Reading.NO),
                    ("Opioid addiction", Reading.NOT_APPLICABLE), ("Tumor in thecal sac", Reading.YES)]


def test_the_second_item_on_a_form_line_is_denied(facts_for) -> None:
    facts = facts_for("PA QUESTIONNAIRE 09/01/2024\nEXCLUSIONS (all requests)\n"
                      " Body size insufficient for device           ☐ Y ☒ N     Heparin / vancomycin infusion☐ Y ☒ N\n")
    assert not [f for f in facts if f.name == "heparin_or_antibiotic_infusion" and f.assertion is Assertion.AFFIRMED]
