"""The document-structure layer (issue 10): every line's kind, and how questions, key-value lines
and table rows read. Rows are written in many wordings, none taken from a fixture."""

from __future__ import annotations

import pytest

from extractors.layout import (
    NOT_EVIDENCE,
    Kind,
    Reading,
    mask_unticked,
    mask_vitals,
    read_layout,
    row_period_text,
    value_reading,
)


def _only(text: str):  # type: ignore[no-untyped-def]
    lines = [line for line in read_layout(text).lines if line.kind is not Kind.BLANK]
    assert len(lines) == 1, lines
    return lines[0]


# Class 1: a form question asserts nothing; its answer does.
@pytest.mark.parametrize(("text", "reading"), [
    ("Known allergy to the medication to be infused? ....... N", Reading.NO),
    ("Q7. Requested for convenience only:  ☐ Y  ☒ N", Reading.NO),
    ("Tumor encroachment of the thecal sac?   [ ] Yes  [X] No", Reading.NO),
    ("Has the member failed oral opioids?  [X] Yes  [ ] No", Reading.YES),
    ("12) Active substance misuse? Y", Reading.YES),
    ("Psychological clearance obtained (Y/N): Y", Reading.YES),
    ("If permanent, percent relief during trial? ....... N/A", Reading.NOT_APPLICABLE),
    ("Is the device currently working?    Yes [ ]   No [x]", Reading.NO),
    ("Body habitus adequate for the device?   [ ] Yes   [ ] No", Reading.NOT_APPLICABLE),
])
def test_layout_question_is_read_by_its_answer(text: str, reading: Reading) -> None:
    line = _only(text)
    assert line.kind is Kind.QUESTION
    assert line.reading is reading
    assert line.key is not None and text[line.key[0]:line.key[1]].rstrip().endswith(("?", ")", ":"))


def test_layout_question_answer_on_the_next_line() -> None:
    text = "Does the patient have opioid use disorder?\nAnswer: No\n"
    lines = [line for line in read_layout(text).lines if line.kind is not Kind.BLANK]
    assert [line.kind for line in lines] == [Kind.QUESTION, Kind.QUESTION]
    assert lines[0].reading is Reading.NO
    assert lines[0].value is not None and text[lines[0].value[0]:lines[0].value[1]] == "No"


def test_layout_prose_question_is_not_a_form_question() -> None:
    line = _only("We discussed whether the pump is right for her? She is keen to proceed with it.")
    assert line.kind is not Kind.QUESTION


# Class 2: key: value printouts are read by their value.
@pytest.mark.parametrize(("text", "reading"), [
    ("ERI status .......... NOT REACHED (est. 31 months)", Reading.NO),
    ("Alarm history: none since last refill", Reading.NO),
    ("Catheter:   patent", Reading.NO),
    ("Motor stall events ......... 0", Reading.NO),
    # Blind batch 22: a flag not set; "not at ERI" with its projection after a semicolon.
    ("ERI FLAG ........................... NOT SET", Reading.NO),
    ("Battery / ERI ............. Not at ERI; projected ERI 03/2028", Reading.NO),
    ("Suicidal ideation: denied", Reading.NO),
    ("Psych clearance: pending", Reading.PENDING),
    ("Prognosis / survival: ***", Reading.NOT_APPLICABLE),
    ("Low reservoir alarm: ACTIVE", Reading.YES),
    ("Diagnosis: metastatic prostate carcinoma to the spine", Reading.TEXT),
    ("Pump check: no alarms today, battery good, reservoir 12 mL against 12.4 mL expected, fine", Reading.TEXT),
])
def test_layout_key_value_is_read_by_its_value(text: str, reading: Reading) -> None:
    line = _only(text)
    assert line.kind is Kind.KEY_VALUE
    assert line.reading is reading


@pytest.mark.parametrize(("value", "reading"), [
    ("None", Reading.NO), ("negative", Reading.NO), ("WNL", Reading.NO), ("0/4", Reading.NO),
    ("Yes", Reading.YES), ("scheduled 4/2", Reading.PENDING), ("N/A", Reading.NOT_APPLICABLE),
])
def test_layout_value_reading(value: str, reading: Reading) -> None:
    assert value_reading(value) is reading


# Class 3: headings, letterheads, names and signature lines are never evidence.
@pytest.mark.parametrize(("text", "kind"), [
    ("HOME PROGRAM\nShe was shown exercises but never did them.\n", Kind.HEADING),
    ("Psychological Testing\nPHQ-9 was 6.\n", Kind.HEADING),
    ("Assessment and plan:\n1. FBSS\n", Kind.HEADING),
    ("SECTION C.  CHRONIC PAIN          Answer Y / N\n", Kind.HEADING),
    ("Electronically signed by R. Okafor, MD on 02/03/2025\n", Kind.SIGNATURE),
    ("Signed: J. Ruiz, PT, DPT\n", Kind.SIGNATURE),
    ("Marguerite Hollis, PsyD, ABPP\n", Kind.SIGNATURE),
    ("NPI 1234567893\n", Kind.SIGNATURE),
    ("Sincerely,\nDana Whitfield\nDirector of Spine Care\n", Kind.SIGNATURE),
    ("Riverbend Pain Associates\n120 Mill St, Suite 4, Dayton OH 45402   Tel (937) 555-0100\n\nBody.\n",
     Kind.LETTERHEAD),
])
def test_layout_lines_that_are_never_evidence(text: str, kind: Kind) -> None:
    first = read_layout(text).lines[0]
    assert first.kind is kind
    assert first.kind in NOT_EVIDENCE


@pytest.mark.parametrize("title", [
    # Audit 15: "Non-Cancer Pain" in the form's title was cited as the pathway's evidence.
    "Intrathecal Drug Delivery System, Non-Cancer Pain        Form UM-417 (rev 01/2024)",
    # Audit 18: the title printed as a label, its "(cancer and non-cancer pain)" cited as cancer.
    "Intrathecal Drug Delivery System: Permanent Implant Questionnaire (cancer and non-cancer pain)",
    "Prior Authorization Request Form - Implantable Infusion Pump",
])
def test_layout_a_forms_title_under_the_payers_name_is_a_heading(title: str) -> None:
    text = (f"BAYRIDGE MUTUAL HEALTH - CLINICAL QUESTIONNAIRE\n{title}\n\n"
            "Patient name: T. Example          DOB: 07/19/1972\n")
    assert read_layout(text).lines[1].kind is Kind.HEADING


@pytest.mark.parametrize("line", [
    "PHQ-9 questionnaire: 4 (minimal)",
    "Pain questionnaire: she completed the intake questionnaire in clinic.",
])
def test_layout_a_score_or_sentence_naming_a_form_is_no_title(line: str) -> None:
    text = f"BAYRIDGE MUTUAL HEALTH\n{line}\n\nPatient name: T. Example\n"
    assert read_layout(text).lines[1].kind is not Kind.HEADING


@pytest.mark.parametrize("text", [
    "METASTATIC RENAL CELL CARCINOMA TO T12 AND L2, NO CORD COMPRESSION.",
    "No spasticity in the upper limbs.",
    "1. Complex regional pain syndrome, right foot",
])
def test_layout_findings_in_capitals_or_lists_are_not_headings(text: str) -> None:
    assert read_layout(text + "\nmore text here\n").lines[0].kind not in NOT_EVIDENCE


# Tables: a cell is read under its column.
TABLE = """Time    NRS   SpO2   RR   Sedation   Side effects
------------------------------------------------
0h      8     97%    16   0          none
4h      3     95%    14   1          mild itch
"""


def test_layout_table_cells_under_their_columns() -> None:
    layout = read_layout(TABLE)
    kinds = [line.kind for line in layout.lines if line.kind is not Kind.BLANK]
    assert kinds[0] is Kind.TABLE_HEADER
    row = [line for line in layout.lines if line.kind is Kind.TABLE_ROW][1]
    columns = {cell.column: TABLE[cell.start:cell.end] for cell in row.cells}
    assert columns["SpO2"] == "95%"
    assert columns["Side effects"] == "mild itch"
    masked = mask_vitals(TABLE, row, row.start, row.end)
    assert "95%" not in masked and "mild itch" in masked and len(masked) == row.end - row.start


@pytest.mark.parametrize(("table", "period"), [
    ("Therapy            Start      Stop       Outcome\nPhysical therapy   01/2024    07/2024    plateau\n",
     "from 01/2024 to 07/2024"),
    ("Drug | Start | Stop | Reason stopped\nGabapentin | 03/2024 | current | partial relief\n",
     "from 03/2024 to present"),
])
def test_layout_row_period_from_start_and_stop_columns(table: str, period: str) -> None:
    row = [line for line in read_layout(table).lines if line.kind is Kind.TABLE_ROW][0]
    assert row_period_text(table, row) == period


def test_layout_a_paragraph_on_one_line_is_prose() -> None:
    """Dictation pasted as one long line: a question mark, a sign-off word or an NPI inside it
    make no form question, signature or letterhead."""
    text = ("She asked whether the pump could be refilled less often? We explained it could not, and she was "
            "content with that; her husband, who signs most forms for her, said he would bring the NPI 1234567893 "
            "paperwork and the referral letter next week, and we will continue the current plan, sincerely hoping "
            "the pain settles over the coming months as the dose is adjusted.")
    assert len(text) > 240
    assert _only(text).kind is Kind.NARRATIVE


# Blind batch 4: a printout's negative value qualified by where it was looked for.
@pytest.mark.parametrize(("value", "reading"), [
    ("NONE ON FILE FOR THIS SERIAL NUMBER", Reading.NO),
    ("Negative for recall per manufacturer website lookup", Reading.NO),
    ("none of the above apply to this patient today", Reading.TEXT),
])
def test_layout_qualified_none_reads_no(value: str, reading: Reading) -> None:
    assert value_reading(value) is reading


def test_layout_table_caption_is_a_heading() -> None:
    text = ("MODIFIED ASHWORTH SCALE BY MUSCLE GROUP (same assessor, supine)\n"
            "| Muscle group | Side | Baseline | +2 h |\n| Hip adductors | R | 3 | 2 |\n")
    kinds = [line.kind for line in read_layout(text).lines if line.kind is not Kind.BLANK]
    assert kinds == [Kind.HEADING, Kind.TABLE_HEADER, Kind.TABLE_ROW]


def test_layout_prose_stops_at_structure() -> None:
    """A sentence read in a paragraph never reaches into the table or the form line below it,
    but a labelled value keeps the prose lines it wraps onto."""
    text = ("Indication: cancer pain; systemic opioids\nlimited by CNS side effects.\n"
            "HEADING\n| a | b | c |\n| 1 | 2 | 3 |\n")
    layout = read_layout(text)
    start, end = layout.prose(text.index("limited"))
    assert text[start:end] == "Indication: cancer pain; systemic opioids\nlimited by CNS side effects."


def test_layout_bare_boxes_answer_under_their_columns() -> None:
    """Blind batch 7: "11. Opioid addiction ...... [ ] [X] [ ]" under a "Y   N   N/A" header is No."""
    text = ("PART 3   EXCLUSIONS                                  Y   N   N/A\n"
            "11. Opioid addiction ............................... [ ] [X] [ ]\n"
            "12. Spasticity is painful .......................... [X] [ ] [ ]\n"
            "13. Body size too small for pump ................... [ ] [ ] [ ]\n")
    questions = [line for line in read_layout(text).lines if line.kind is Kind.QUESTION]
    assert [q.reading for q in questions] == [Reading.NO, Reading.YES, Reading.NOT_APPLICABLE]


# Evidence audit 3: titles, page headers and job-title sign-offs are never evidence.
@pytest.mark.parametrize("text", [
    "PRIOR AUTHORIZATION QUESTIONNAIRE: INTRATHECAL DRUG DELIVERY - CANCER PAIN",
    "URGENT: MEDICAL DEVICE RECALL",
    "PUMP INTERROGATION / SESSION REPORT                         Page 1 of 1",
    "Medical Director, Cancer Pain Service",
])
def test_layout_titles_and_sign_offs_are_not_evidence(text: str) -> None:
    assert _only(text).kind in NOT_EVIDENCE


def test_layout_a_capitals_printout_value_is_still_read() -> None:
    line = _only("ERI STATUS: NOT REACHED")
    assert (line.kind, line.reading) == (Kind.KEY_VALUE, Reading.NO)


@pytest.mark.parametrize("table", [
    # Blind batches 5 and 9: the header ruled off by dashes broken under the columns, and a grid.
    " Time     NRS(0-10)  HR   BP        RR   SpO2   Notes\n"
    " ------   ---------  ---  --------  ---  -----  --------\n"
    " 0 h      8          92   138/84    16   97%    baseline\n"
    " 1 h      6          88   132/80    16   95%    none\n",
    "+-------+------+---------+------+------------+\n"
    "| Time  | NRS  | BP      | SpO2 | Notes      |\n"
    "+-------+------+---------+------+------------+\n"
    "| 08:10 | 8    | 136/82  | 97%  | baseline   |\n"
    "| 09:22 | 6    | 130/80  | 95%  | none       |\n",
])
def test_layout_a_ruled_header_is_still_the_header(table: str) -> None:
    layout = read_layout(table)
    assert [line.kind for line in layout.lines].count(Kind.TABLE_HEADER) == 1
    row = [line for line in layout.lines if line.kind is Kind.TABLE_ROW][0]
    columns = {cell.column: table[cell.start:cell.end] for cell in row.cells}
    assert columns["SpO2"] == "97%", columns


def test_layout_unticked_options_are_blanked() -> None:
    """Blind batch 11: "[ ] < 3 mo  [ ] >= 3 mo  [ ] >= 6 mo" is no life expectancy."""
    line = "LIFE EXPECTANCY ...... [ ] < 3 mo   [ ] >= 3 mo   [X] >= 6 mo  -- per oncology"
    masked = mask_unticked(line)
    assert len(masked) == len(line) and "< 3" not in masked and "[X] >= 6 mo" in masked
    assert value_reading("[ ] Cleared  [ ] Not cleared  [ ] Conditional  ***") is Reading.NOT_APPLICABLE


@pytest.mark.parametrize(("value", "reading"), [
    ("No device alarms recorded since last refill (09/24/2024)", Reading.NO),
    ("no alarms, battery good. Reservoir volume 11.0 mL, expected 11.3 mL - volume discrepancy within tolerance",
     Reading.TEXT),
])
def test_layout_a_value_that_denies_its_key(value: str, reading: Reading) -> None:
    assert value_reading(value) is reading


def test_layout_a_value_aligned_under_the_values_above() -> None:
    text = ("  Battery                        OK - ERI not reached\n"
            "  Motor stall events (lifetime)  0\n")
    line = read_layout(text).lines[1]
    assert line.kind is Kind.KEY_VALUE and line.reading is Reading.NO


@pytest.mark.parametrize(("text", "kind"), [
    # Blind batch 11: who and where, a title with its print date, a form's lettered section.
    ("Practice ............ Cumberland Cancer Pain & Palliative Medicine, Nashville TN", Kind.LETTERHEAD),
    ("PUMP INTERROGATION REPORT                 PRINTED: 03/11/2025 14:22", Kind.HEADING),
    ("A.  CANCER-RELATED PAIN", Kind.HEADING),
    ("ROTOR STUDY (fluoroscopy, 06/02/2025 15:05)", Kind.HEADING),
    # ...but a clinical value under a plain label stays one.
    ("Patient: 61 y/o M with metastatic prostate cancer", Kind.KEY_VALUE),
    ("Plan: IT morphine trial next week.", Kind.KEY_VALUE),
    ("SEVERE SPASTICITY (MAS 4)", Kind.NARRATIVE),
])
def test_layout_names_and_titles_are_not_findings(text: str, kind: Kind) -> None:
    assert read_layout(text + "\nnext line of the note.\n").lines[0].kind is kind


def test_layout_a_two_dot_leader_set_off_by_spaces() -> None:
    line = read_layout("MOTOR STALL EVENTS (lifetime) .. 0\n").lines[0]
    assert line.kind is Kind.KEY_VALUE and line.reading is Reading.NO


def test_layout_two_keys_on_one_line_are_read_apart() -> None:
    """Blind batch 15: "CRITICAL ALARM ...... NONE       MOTOR STALL .. NONE" is two keys."""
    text = ("CRITICAL ALARM ...... NONE       MOTOR STALL .. NONE\n"
            "ERI ......... NOT REACHED     EST. ERI ..... 04/2027\n")
    lines = [line for line in read_layout(text).lines if line.kind is Kind.KEY_VALUE]
    assert [text[line.key[0]:line.key[1]] for line in lines if line.key] == [
        "CRITICAL ALARM", "MOTOR STALL", "ERI", "EST. ERI"]
    assert [line.reading for line in lines] == [Reading.NO, Reading.NO, Reading.NO, Reading.TEXT]


def test_layout_time_point_columns_make_a_header() -> None:
    """Blind batch 15: "Baseline  1 h  2 h" heads a table; its rows are read under those columns."""
    text = ("Muscle group              Baseline   1 h    2 h\n"
            "Hip adductors  R             3        3      2\n"
            "Knee extensors R             2        2      2\n")
    lines = read_layout(text).lines
    assert lines[0].kind is Kind.TABLE_HEADER
    assert [cell.column for cell in lines[1].cells] == ["Muscle group", "Baseline", "1 h", "2 h"]


def test_layout_labelled_fields_over_a_ruled_table_are_no_header() -> None:
    """Blind batch 57: "WEIGHT: 94.1 kg   BMI: 30.6   ASA: II" over a ruled line took the header's
    place, so the log's rows were read under its three fields and its NRS column was lost."""
    text = ("WEIGHT: 94.1 kg   BMI: 30.6   ASA: II\n"
            "---------------------------------------------------------\n"
            "TIME   ELAPSED  NRS(0-10)  BP        HR   SIDE EFFECTS\n"
            "07:40  base     8          142/88    84   none\n"
            "12:05  4 h      5          128/78    74   itch\n")
    lines = read_layout(text).lines
    assert Kind.TABLE_HEADER not in {line.kind for line in lines[:2]}
    header = next(line for line in lines if line.kind is Kind.TABLE_HEADER)
    assert text[header.start:header.end].startswith("TIME")
    row = [line for line in lines if line.kind is Kind.TABLE_ROW][-1]
    assert [cell.column for cell in row.cells][:3] == ["TIME", "ELAPSED", "NRS(0-10)"]


@pytest.mark.parametrize("first_row", [
    "G80.0     Spastic quadriplegic cerebral palsy, GMFCS IV               Active",
    "M54.16    Lumbar radiculopathy                                        Active",
    "Z97.8     Intrathecal baclofen pump in situ, SynchroMed II            Active",
])
def test_layout_a_problem_lists_first_row_is_no_header(first_row: str) -> None:
    """Blind batch 20: a problem list's first row (a code, a finding) is data, and evidence."""
    text = f"PROBLEMS\n{first_row}\nK21.9     GERD, G-tube dependent for meds                              Active\n"
    lines = [line for line in read_layout(text).lines if line.kind is not Kind.BLANK]
    assert [line.kind for line in lines] == [Kind.HEADING, Kind.TABLE_ROW, Kind.TABLE_ROW]


def test_layout_a_capitals_block_label_is_a_heading() -> None:
    """Blind batch 15: "MOTOR" over its indented lines labels them; it is not prose to read on from."""
    text = "MOTOR\n  MOTOR STALL EVENTS ........ 0\n  MOTOR STALL RECOVERY ...... N/A\n"
    assert read_layout(text).lines[0].kind is Kind.HEADING



def test_layout_a_capitals_block_label_with_its_scope_is_a_heading() -> None:
    """Audit 52: "CONSERVATIVE TX -- PAST 12 MO" over its indented block was cited as twelve months
    of conservative care; it says where to look (a label of up to six words)."""
    text = ("CONSERVATIVE TX -- PAST 12 MO\n  PT/OT (desensitisation, graded motor imagery):\n"
            "      06/12/2023 - 12/20/2023, 24 visits\n")
    assert read_layout(text).lines[0].kind is Kind.HEADING


@pytest.mark.parametrize(("text", "kind"), [
    ("CHILDREN'S HOSPITAL OF THE OZARKS\nDivision of Pediatric Rehabilitation Medicine - Spasticity & Movement "
     "Disorders Clinic\n1400 W. Sunshine Street, Springfield, MO 65807\nPhone (417) 555-0175  |  Fax (417) 555-0179\n",
     Kind.LETTERHEAD),
    ("I respectfully request approval.\n\nHannelore Birch, MD\nPhysical Medicine & Rehabilitation / MS Spasticity "
     "Program\nNPI 1811470326\n", Kind.SIGNATURE),
    ("CEDAR HOLLOW PSYCHOLOGICAL SERVICES\nBehavioral Medicine for Spasticity and Interventional Candidates\n"
     "77 Quarry Street, Suite 4B  *  ph 555-902-3344  *  fax 555-902-3345\n", Kind.LETTERHEAD),
])
def test_layout_a_department_inside_a_letterhead_or_signature(text: str, kind: Kind) -> None:
    """Evidence audit 6: a department's name between two letterhead or signature lines is part of
    that block, never evidence."""
    department = next(line for line in read_layout(text).lines if "Spasticity" in text[line.start:line.end])
    assert department.kind is kind


def test_layout_names_with_credentials_and_a_signing_time_sign() -> None:
    """Evidence audit 6: "L. Brandvold, PT, DPT / G. Oyelaran, MD   signed 10/09/2024 16:20"."""
    text = "PT NOTE\nL. Brandvold, PT, DPT / G. Oyelaran, MD     signed 10/09/2024 16:20\n"
    assert read_layout(text).lines[1].kind is Kind.SIGNATURE


def test_layout_a_question_wrapped_onto_its_answer_line() -> None:
    """Blind batch 15: both lines of a wrapped question are the question, answered on the second."""
    text = ("3.  Spasticity increases risk of contractures, pressure injury\n"
            "    or other complications?                                     [ ] Yes   [X] No\n")
    first, second = read_layout(text).lines[:2]
    assert first.kind is Kind.QUESTION and second.kind is Kind.QUESTION
    assert first.key == second.key and first.reading is Reading.NO


@pytest.mark.parametrize(("line", "reading"), [
    ("7. \u2610 Yes \u2612 No   Replacement/upgrade requested for patient or caregiver convenience", Reading.NO),
    ("6. \u2612 Yes \u2610 No   Pump has issued a notification of impending failure", Reading.YES),
    ("9. \u2610 Yes \u2610 No   Catheter revision also requested", Reading.NOT_APPLICABLE),
])
def test_layout_answer_boxes_before_the_question(line: str, reading: Reading) -> None:
    """Blind batch 16: the boxes come first, the question after them."""
    read = read_layout(line).lines[0]
    assert read.kind is Kind.QUESTION and read.reading is reading
    assert read.key is not None and line[read.key[0]:read.key[1]].startswith(("Replacement", "Pump", "Catheter"))


def test_layout_narrow_header_over_wider_rows() -> None:
    """Blind batch 17: a header two spaces apart over rows set wider; its SpO2 column is a vital."""
    text = ("Day  Dose(mg/d)  NRS am  NRS pm  Walk(min)  SpO2   Side effects\n"
            "0    --          8       8       10         96%    --\n"
            "1    0.2         7       7       10         95%    pruritus mild\n")
    lines = read_layout(text).lines
    assert lines[0].kind is Kind.TABLE_HEADER
    assert [cell.column for cell in lines[1].cells][5] == "SpO2"


def test_layout_bracketed_scale_title_is_a_heading() -> None:
    """Blind batch 17: a scale's legend in brackets does not make its title a sentence."""
    text = "OBSERVATION - MODIFIED ASHWORTH SCALE (0, 1, 1+, 2, 3, 4)\n\n  Muscle group    Baseline   2 h\n"
    assert read_layout(text).lines[0].kind is Kind.HEADING


def test_layout_a_cell_wrapped_onto_its_own_line_continues_the_row() -> None:
    """Blind batch 19: a Details cell wrapped onto lines under its column belongs to its row."""
    text = ("Modality             Dates                     Details                  Result\n"
            "Medications          11/25/2024 - present      gabapentin; duloxetine   partial at best\n"
            "                                               (stopped: nausea)\n"
            "Injections           12/18/2024                L TFESI L3-4             ~10 days of relief\n")
    layout = read_layout(text)
    rows = [line for line in layout.lines if line.kind is Kind.TABLE_ROW]
    assert [row.continues for row in rows] == [False, True, False]
    assert layout.row_start(rows[1]) == rows[0].start


def test_layout_a_long_first_line_naming_a_clinic_is_a_letterhead() -> None:
    """Evidence audit 5: "DESERT SAGE ONCOLOGY & SUPPORTIVE CARE - INTERVENTIONAL CANCER PAIN
    CLINIC" heads the note; it is never evidence of cancer or pain."""
    text = ("DESERT SAGE ONCOLOGY & SUPPORTIVE CARE - INTERVENTIONAL CANCER PAIN CLINIC\nProgress Note\n\n"
            "Patient: R. H.    DOS: 03/11/2025\nCC: Epigastric pain.\n")
    assert read_layout(text).lines[0].kind is Kind.LETTERHEAD


@pytest.mark.parametrize("title", [
    "ROTOR STUDY", "SKIN / POSITIONING", "HOME EXERCISE / CAREGIVER TRAINING", "ADVISORY / RECALL CHECK",
])
def test_layout_a_short_capitals_line_opening_a_block_is_a_heading(title: str) -> None:
    """Review of session 6's evidence: block titles in capitals were quoted as findings."""
    text = f"Plan reviewed.\n\n{title}\nRotor advanced normally on the programmed bolus.\n"
    kinds = {text[line.start:line.end]: line.kind for line in read_layout(text).lines}
    assert kinds[title] is Kind.HEADING
    assert kinds["Rotor advanced normally on the programmed bolus."] is not Kind.HEADING


def test_layout_a_notes_title_in_capitals_is_a_heading() -> None:
    text = ("RIVERBEND PAIN CENTER\n\nPROCEDURE NOTE - INTRATHECAL PUMP REFILL WITH ELECTRONIC ANALYSIS AND "
            "REPROGRAMMING\nDate: 05/02/2025\n")
    line = [ln for ln in read_layout(text).lines if text[ln.start:ln.end].startswith("PROCEDURE NOTE")][0]
    assert line.kind is Kind.HEADING


@pytest.mark.parametrize(("row", "reading", "kind"), [
    ("| 3  | Opioid use disorder                 |  N  |", Reading.NO, Kind.QUESTION),
    ("| 4  | Metastatic disease documented       |  Y  |", Reading.YES, Kind.QUESTION),
    ("| 5  | Documented prognosis >= 3 months    |     |", Reading.NOT_APPLICABLE, Kind.QUESTION),
    # A free-text line under a question, and a row with its first column empty, go on from above.
    ("|    | Details: awaiting oncology letter   |     |", None, Kind.TABLE_ROW),
    ("|    | Date 04/02/2025, 25 mcg bolus       |     |", None, Kind.TABLE_ROW),
])
def test_layout_a_table_with_an_answer_column_is_a_form(row: str, reading: Reading | None, kind: Kind) -> None:
    """Blind batch 24: a payer worksheet as a ruled table, "| # | Item | Y/N/NA |"."""
    text = ("+----+-------------------------------------+-----+\n"
            "| #  | Item                                | Y/N |\n"
            "+----+-------------------------------------+-----+\n" + row + "\n")
    line = read_layout(text).lines[3]
    assert line.kind is kind and line.reading is reading
    if kind is Kind.QUESTION:
        assert line.key is not None and text[line.key[0]:line.key[1]].startswith(("Opioid", "Metastatic", "Documented"))


@pytest.mark.parametrize(("text", "kind"), [
    ("Conservative care since 2023: meds, PT + HEP, ESI x2 - failed.", Kind.KEY_VALUE),
    ("Assessor ...... J. Okafor, PT, DPT", Kind.SIGNATURE),
    ("Treated by: Maria de la Cruz, OTR/L", Kind.SIGNATURE),
])
def test_layout_a_value_is_a_signature_only_when_it_names_a_person(text: str, kind: Kind) -> None:
    assert _only(text).kind is kind


def test_layout_a_capitals_counter_under_a_leader_is_read() -> None:
    text = "  MOTOR STALL ........ 0\n  MOTOR STALL RECOVERY 0\n"
    line = read_layout(text).lines[1]
    assert line.kind is Kind.KEY_VALUE and line.reading is Reading.NO


@pytest.mark.parametrize(("text", "kind"), [
    # Evidence audit 7 (batch 24): who the document is about is never evidence...
    ("PT: Okonjo-Reyes, Dalia   61F   DOB 04/02/1963   MRN RVH-220931", Kind.LETTERHEAD),
    ("MEDICATION LIST -- Farrow, Idris (DOB 12/01/1958)   printed 05/02/2025", Kind.LETTERHEAD),
    # ...but a line that also names the diagnosis or the request stays readable.
    ("Patient: Idris Farrow    DOB 12/01/1958    Dx: G35 multiple sclerosis", Kind.KEY_VALUE),
])
def test_layout_identification_lines(text: str, kind: Kind) -> None:
    assert _only(text).kind is kind


def test_layout_a_numbered_capitals_title_over_form_items_is_a_heading() -> None:
    text = ("3) CONSERVATIVE TREATMENT IN THE LAST YEAR (6 months needed)\n"
            "Physical therapy ........ Y\n")
    assert read_layout(text).lines[0].kind is Kind.HEADING


@pytest.mark.parametrize(("mark_at", "reading"), [(60, Reading.YES), (65, Reading.NO), (70, Reading.NOT_APPLICABLE)])
def test_layout_a_mark_under_answer_columns_answers(mark_at: int, reading: Reading) -> None:
    """Blind batch 26: "Y  N  N/A" columns, an X under one of them."""
    header = "#    Question".ljust(60) + "Y    N    N/A"
    row = "7    Allergy to the drug to be infused?".ljust(mark_at) + "X"
    text = f"{header}\n{'-' * 73}\n{row}\n     Details: penicillin only.\n"
    lines = [line for line in read_layout(text).lines if line.kind is not Kind.BLANK]
    assert lines[2].kind is Kind.QUESTION and lines[2].reading is reading
    assert lines[3].kind is Kind.TABLE_ROW  # the free text under the question goes on from it


@pytest.mark.parametrize(("text", "title", "heading"), [
    ("Findings.\n\n6. Recommendations\n- Cognitive behavioral therapy, 10 sessions.\n", "6. Recommendations", True),
    ("Scores.\n\n4. Impressions\nMajor depressive disorder, moderate.\n", "4. Impressions", True),
    # A numbered list's item, and an item naming a treatment, are not titles.
    ("Tried:\n\n1. Plan\n2. Home exercise program\n", "1. Plan", False),
    ("Tried:\n\n1. Physical therapy\nTwelve sessions in 2024.\n", "1. Physical therapy", False),
    # Blind batch 59: a report's Roman-numbered section title over its paragraph was cited as the
    # clearance the paragraph defers.
    ("Formulation.\n\nVIII. Psychological clearance\nClearance for an intrathecal trial is deferred. I am not able "
     "to recommend the procedure at this time.\n", "VIII. Psychological clearance", True),
    ("Formulation.\n\nIV. Recommendations\n1. CBT for pain.\n", "IV. Recommendations", True),
])
def test_layout_a_numbered_section_title_in_ordinary_case_is_a_heading(text: str, title: str, heading: bool) -> None:
    """Blind batch 30: "6. Recommendations" over the therapy a psychologist recommends."""
    kinds = {text[line.start:line.end]: line.kind for line in read_layout(text).lines}
    assert (kinds[title] is Kind.HEADING) is heading


@pytest.mark.parametrize(("text", "inside", "title"), [
    ("Physical therapy. He completed a course in 2019 and has had none since.", "Physical therapy", True),
    ("Injections. Caudal epidural 02/2024 with no benefit.", "Injections", True),
    # A sentence, not a title: it has a verb or an answer.
    ("PT completed. Next visit in May.", "PT", False),
    ("None. She has not had therapy.", "None", False),
    # Nothing follows on the line: a list item or a one-line answer, not a run-in title.
    ("Physical therapy.", "Physical therapy", False),
])
def test_layout_a_run_in_title_is_found(text: str, inside: str, title: bool) -> None:
    """Blind batch 30: dictation opens a paragraph with its topic ("Physical therapy. He ...")."""
    start = text.index(inside)
    assert (read_layout(text).run_in_title(start, start + len(inside)) is not None) is title


@pytest.mark.parametrize("line", [
    "  3.1  Spinal stenosis with obstruction ............ N",
    "  2.10 Opioid use disorder ......................... N",
])
def test_layout_a_sub_numbered_item_is_a_question(line: str) -> None:
    """Blind batch 32: "SECTION 3" items numbered 3.1, 3.2 ... were read as prose."""
    layout = read_layout(f"SECTION 3: EXCLUSIONS\n{line}\n")
    row = layout.lines[1]
    assert row.kind in (Kind.QUESTION, Kind.KEY_VALUE) and row.reading is Reading.NO


def test_layout_a_decimal_in_prose_is_no_item_number() -> None:
    layout = read_layout("Pain was 3.5 out of 10 at rest.\n")
    assert layout.lines[0].kind is Kind.NARRATIVE


@pytest.mark.parametrize(("text", "marker", "kind"), [
    # A cover sheet's enclosures, wrapped onto the next line, name documents and document nothing.
    ("FAX TRANSMITTAL\n\nEnclosed: primary care referral, spasticity clinic note of 05/28/2024,\n"
     "outpatient PT progress report with school OT update.\n\nReason: ITB screening.\n",
     "outpatient PT progress", Kind.INDEX),
    ("Enclosures: office note 08/27/2024; PT discharge summary 03/29/2024; med list\n", "Enclosures", Kind.INDEX),
    # A packet's page index, under its title or line by line.
    ("PACKET INDEX\np.1      This cover sheet\np.2-4    Pump clinic interrogation, 03/12/2024\n"
     "p.20-23  Medication list, allergy list, demographics\n", "allergy list", Kind.INDEX),
    # A note's title with its date, or with the time it was printed.
    ("CANCER PAIN SVC -- Progress note       12/03/2024\nPt seen for refill.\n", "CANCER PAIN", Kind.HEADING),
    ("PROGRAMMER SESSION REPORT                       Printed 10/10/2024 14:22\n\nPATIENT ..... DOE, J\n",
     "PROGRAMMER", Kind.HEADING),
    # A note's title under its letterhead, with the visit's purpose after a dash.
    ("Cedar Bluff Cancer Center\nCombined Oncology / Cancer Pain Clinic -- follow-up after IT trial\n"
     "Date: 11/21/2024\n", "Combined Oncology", Kind.HEADING),
])
def test_layout_packet_indexes_and_note_titles_are_never_evidence(text: str, marker: str, kind: Kind) -> None:
    """Evidence audit 11: enclosure lists, page indexes and notes' titles were cited."""
    line = next(line for line in read_layout(text).lines if marker in text[line.start:line.end])
    assert line.kind is kind
    assert line.kind in NOT_EVIDENCE


@pytest.mark.parametrize("text", [
    "Enclosed is the PT discharge summary, which shows she completed 12 visits.\n",
    "IT trial 10/21/2024 -- 62% relief at 4 hours\n",
    "Page 2 of 3\n",
])
def test_layout_prose_about_enclosures_and_dated_findings_stay_readable(text: str) -> None:
    assert read_layout(text).lines[0].kind is not Kind.INDEX


@pytest.mark.parametrize(("text", "reading"), [
    ("8) Psychological evaluation with clearance for IDD?   Y / N :  ___\n", Reading.NOT_APPLICABLE),
    ("8) Psychological evaluation with clearance?   Y / N :  N\n", Reading.NO),
    ("2) Pain moderate to severe and intractable?   Y / N :  Y\n", Reading.YES),
    ("Opioid addiction?  Y / N\n", Reading.NOT_APPLICABLE),
])
def test_layout_options_listed_before_the_answer(text: str, reading: Reading) -> None:
    """Blind batch 47: "Y / N :  N" was read as Yes, its first option."""
    line = read_layout(text).lines[0]
    assert line.kind is Kind.QUESTION and line.reading is reading


@pytest.mark.parametrize(("text", "question", "reading"), [
    # Blind batch 58: a dictated or typed "Q: ...? A: ..." is a question decided by its answer.
    ("Q: Any hx of opioid misuse or early refills? A: No.\n", "Any hx of opioid misuse or early refills?", Reading.NO),
    ("Q: Has she ever been treated for alcohol use disorder?\nA: Yes, inpatient rehab in 2015.\n",
     "Has she ever been treated for alcohol use disorder?", Reading.YES),
    # Without an "A:" the other question readers still read the next line's answer (a review's case).
    ("Q: Any history of suicidal ideation?\nAnswer: Yes, passive SI last month.\n", None, Reading.YES),
])
def test_layout_a_q_and_a_line_is_decided_by_its_answer(text, question, reading) -> None:
    first = read_layout(text).lines[0]
    assert first.kind is Kind.QUESTION and first.reading is reading
    if question is not None:
        assert first.key is not None and text[first.key[0]:first.key[1]] == question


def test_layout_two_questions_on_a_line_are_not_one() -> None:
    """A helper's review: "Q: Any falls? A: No. Q: Any allergy to morphine? A: Yes, hives." is not one
    question about falls answered No."""
    first = read_layout("Q: Any falls? A: No. Q: Any allergy to morphine? A: Yes, hives.\n").lines[0]
    assert not (first.kind is Kind.QUESTION and first.reading is Reading.NO and first.value is not None
                and first.value[1] > 30)


PINE_FORM = (" 8  Catheter to be replaced?                                   N\n"
             " 9  Current life expectancy (cancer patients)\n"
             "10  Tumor encroachment of thecal sac on latest imaging?        N\n"
             "11  Infusate                                                   morphine/bupivacaine\n"
             "12  Allergy to infusate                                        none known\n")


def test_layout_a_forms_numbered_items_with_wide_gaps_and_a_blank_item() -> None:
    """Audit 19 (b59q-05): a numbered item left blank between answered ones was read as a
    statement ("(cancer patients)" as the patient's cancer), and numbered "label   value" items
    as prose."""
    kinds = {PINE_FORM[line.start:line.end].split()[0]: (line.kind, line.reading)
             for line in read_layout(PINE_FORM).lines if line.kind is not Kind.BLANK}
    assert kinds["9"] == (Kind.QUESTION, Reading.NOT_APPLICABLE)
    assert kinds["11"][0] is Kind.KEY_VALUE and kinds["12"] == (Kind.KEY_VALUE, Reading.NO)


# Batch 61 and audit 20.
@pytest.mark.parametrize(("text", "reading"), [
    # A pointer to a study answers nothing (b61q-06: "see imaging" read as the finding).
    ("8) Tumor encroachment of the thecal sac?                      see imaging", Reading.NOT_APPLICABLE),
    ("Spinal stenosis with obstruction? .......... see MRI", Reading.NOT_APPLICABLE),
])
def test_layout_a_pointer_to_a_study_is_no_answer(text: str, reading: Reading) -> None:
    line = _only(text)
    assert line.kind is Kind.QUESTION and line.reading is reading


def test_layout_a_problem_list_status_that_is_over_reads_as_past() -> None:
    # b61m-04: a resolved entry for the first pump's ERI was read as a current warning.
    assert value_reading("RESOLVED 04/2021 -- pump replaced") is Reading.PAST
    assert value_reading("inactive") is Reading.PAST
    assert value_reading("active (2012)") is not Reading.PAST


def test_layout_a_label_naming_the_form_is_its_title() -> None:
    # audit 20: "Questionnaire: ... -- Cancer Pain" was cited as the chart documenting cancer pain.
    text = ("HIGHGATE MEDICARE ADVANTAGE -- PRIOR AUTHORIZATION\n"
            "Questionnaire: Implantable Intrathecal Drug Delivery -- Cancer Pain\n\n"
            "Intake questionnaire: failed gabapentin and duloxetine for neuropathic pain\n")
    lines = [line for line in read_layout(text).lines if line.kind is not Kind.BLANK]
    assert lines[1].kind in NOT_EVIDENCE
    assert lines[2].kind not in NOT_EVIDENCE


def test_parent_item_of_an_indented_sub_line() -> None:
    """A line indented under a form's numbered item belongs to it, across sibling sub-lines; a
    line at the margin, or after a blank line, has none."""
    text = ("6. Oral/transdermal opioids tried? .... [X] Y  [ ] N\n"
            "   List agents/doses: oxycodone ER, fentanyl patch\n"
            "   Outcome: [X] inadequate relief\n"
            "\n"
            "   Comment: none\n"
            "Outcome: none\n")
    layout = read_layout(text)
    parent = layout.parent_item(text.index("Outcome: [X]"))
    assert parent is not None and text[parent[0]:parent[1]].startswith("6. Oral")
    assert layout.parent_item(text.index("Comment")) is None
    assert layout.parent_item(text.index("Outcome: none")) is None


@pytest.mark.parametrize(("text", "line", "kind"), [
    # Audits 30 and 33: a document's title under its letterhead names the course, it reports
    # none ("TREATMENT SUMMARY: Cognitive Behavioral Therapy for Chronic Pain").
    ("Harrowgate Behavioral Medicine -- Pain Psychology Program\n"
     "TREATMENT SUMMARY: Cognitive Behavioral Therapy for Chronic Pain\n\nClient: A. B.\n", 1, Kind.HEADING),
    ("WESTBROOK NEUROMODULATION CENTER - Behavioral Medicine\n"
     "Course-of-Treatment Summary (brief CBT for pain coping)\n\nClient: A. B.\n", 1, Kind.HEADING),
    # ...but a finding under a label at the top stays one.
    ("PAIN CLINIC\nProgress note: pain 8/10 despite 14 months of gabapentin.\n", 1, Kind.KEY_VALUE),
    ("PAIN CLINIC\nAssessment: CRPS of the right foot, refractory to sympathetic blocks\n", 1, Kind.KEY_VALUE),
    # Audit 31: a cover sheet's list under "Enclosed:" names documents, none of them evidence.
    ("FAX COVER\n\nEnclosed:\n[X] PM&R spasticity clinic note 05/28/2024\n"
     "[X] School-based PT/OT progress report, spring term\n", 3, Kind.INDEX),
])
def test_layout_a_documents_title_and_its_enclosures_are_not_findings(text: str, line: int, kind: Kind) -> None:
    lines = [ln for ln in read_layout(text).lines if ln.kind is not Kind.BLANK]
    assert lines[line].kind is kind


def test_layout_a_header_set_two_spaces_apart_over_rows_set_alike() -> None:
    """Batch 82 (b82m-04): "Hr post  NRS  BP       HR  SpO2" over "0        8    128/80   84  98%":
    the heart rate's cell is its own, never a relief percent beside the saturation."""
    text = ("Obs table\nHr post  NRS  BP       HR  SpO2  RR  POSS  SE\n"
            "0        8    128/80   84  98%   16  1     -\n1        7    122/76   80  97%   15  1     -\n")
    rows = [ln for ln in read_layout(text).lines if ln.kind is Kind.TABLE_ROW]
    assert [(c.column, text[c.start:c.end]) for c in rows[0].cells][3:5] == [("HR", "84"), ("SpO2", "98%")]


def test_layout_a_fax_covers_subject_urgency_and_contents_are_not_findings() -> None:
    """Audit 36: a cover's "Subject: ... manufacturer recall", its urgency boxes and its "pp 2-6"
    contents name the packet; the recall is documented in the device report."""
    text = ("FAX COVER SHEET\n\nFrom: Device Clinic\nSubject: IDDS pump replacement -- manufacturer recall\n\n"
            "[ ] Urgent   [X] Expedited review requested (see recall notice)   [ ] Routine\n\nContents:\n"
            "pp 2-6    Device clinic interrogation report and recall letter\n")
    kinds = {text[ln.start:ln.end].split()[0]: ln.kind for ln in read_layout(text).lines if ln.kind is not Kind.BLANK}
    assert kinds["Subject:"] is Kind.HEADING and kinds["["] is Kind.HEADING and kinds["pp"] is Kind.INDEX
    assert kinds["From:"] is Kind.KEY_VALUE


@pytest.mark.parametrize("title", [
    "SUMMIT INTERVENTIONAL PAIN -- Med Rec / Problem List / Tx History          Visit 09/10/2024",
    "Westfield Spine and Pain - Treatment history summary",
])
def test_layout_a_first_line_over_the_identification_is_a_title(title: str) -> None:
    """Blind batch 97: a document's first line over the patient's identification line titles the
    document ("Tx History" there is no conservative care); it is never evidence."""
    text = f"{title}\nPt: DOE, Jane R.   DOB 07/02/1980   MRN SIP-30477\n\nPLAN\nContinue PT.\n"
    assert read_layout(text).lines[0].kind in NOT_EVIDENCE


def test_layout_a_first_sentence_over_the_identification_stays_prose() -> None:
    """...but a sentence there is the note's own words."""
    text = "Seen today for CRPS follow-up; tolerating gabapentin well.\nPt: DOE, Jane R.   DOB 07/02/1980\n"
    assert read_layout(text).lines[0].kind is Kind.NARRATIVE


@pytest.mark.parametrize(("text", "reading"), [
    ("   e. body size too small for pump                         N     wt 24.6 kg", Reading.NO),
    ("   3. Active infection                                      Y     cellulitis L thigh", Reading.YES),
])
def test_layout_a_lettered_item_answered_with_a_remark(text: str, reading: Reading) -> None:
    """Blind batch 97: a form's item answered in its column, a remark after it ("N     wt 24.6 kg"),
    is the item's answer, not a table row whose cells all state the finding."""
    line = _only(text)
    assert line.kind is Kind.QUESTION
    assert line.reading is reading


@pytest.mark.parametrize(("text", "kind"), [
    # Evidence audit 45: a document's title in capitals with its date, an aside in lower case.
    ("RIVERBEND OUTPATIENT THERAPY - OT/PT CO-EVAL (spasticity pre-ITB)   10/01/2024\nPt: T. W.   Dx: T7 SCI\n",
     Kind.HEADING),
    # ...but a finding in capitals is still the note's own words.
    ("PATIENT REPORTS PAIN 8/10 WITH NO RELIEF FROM GABAPENTIN\nPlan: trial\n", Kind.NARRATIVE),
    # Evidence audit 45: the requesting practice's name is no diagnosis.
    ("PRIOR AUTH FORM\nRequesting provider: Lakeshore Cancer Pain & Palliative Medicine\nDiagnosis: C25.0\n",
     Kind.LETTERHEAD),
])
def test_layout_titles_and_who_requests_are_not_evidence(text: str, kind: Kind) -> None:
    line = next(line for line in read_layout(text).lines
                if line.kind is not Kind.BLANK and "PRIOR AUTH" not in text[line.start:line.end])
    assert line.kind is kind
