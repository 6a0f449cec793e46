"""ChartExtractor on cancer-pain documentation: malignancy, metastases, prognosis, opioid failure.

Rows are how oncologists and pain physicians write, not what the rules happen to catch today:
a row the extractor gets wrong is kept and marked xfail(strict) naming the gap.
"""

from __future__ import annotations

import pytest

from tests.extractors.rows import COLUMNS, FAM, HIST, HYPO, A, N, P

MALIGNANCY = [
    # Blind batch 11: a cancer the chart places in the past.
    ("Remote history: basal cell carcinoma L shoulder, excised 2017, no recurrence.", "malignancy", None, HIST),
    ("Dx: stage IIIB NSCLC, s/p concurrent chemoradiation, now on durvalumab.", "malignancy", None, A),
    ("Assessment: pancreatic adenocarcinoma with celiac axis encasement, not resectable.", "malignancy", None, A),
    ("PMH: HTN, DM2, prostate CA on ADT, GERD", "malignancy", None, A),
    ("Multiple myeloma on daratumumab; diffuse rib and pelvic bone pain.", "malignancy", None, A),
    ("A/P: 1. Pain due to HCC with portal vein thrombus.", "malignancy", None, A),
    ("Lung Ca dx 03/2024, currently on pembrolizumab q3 weeks.", "malignancy", None, A),
    ("Melanoma of the left calf in remission since 2018.", "malignancy", None, HIST),
    ("Past history of breast cancer treated with lumpectomy and radiation in 2009.", "malignancy", None, HIST),
    ("Liver biopsy negative for malignancy.", "malignancy", None, N),
    ("Family history: mother with ovarian cancer, father with colon cancer.", "malignancy", None, FAM),
    ("Rule out lymphoma; excisional node biopsy scheduled.", "malignancy", None, P),
    ("If the biopsy shows carcinoma, she will be referred to oncology.", "malignancy", None, HYPO),
    ("No personal history of cancer.", "malignancy", None, None),
    ("Screening colonoscopy 2024: two tubular adenomas, no malignancy.", "malignancy", None, None),
    ("Benign prostatic hyperplasia on tamsulosin.", "malignancy", None, None),
    ("Her sister was diagnosed with breast cancer at 45.", "malignancy", None, FAM),
    ("Hx of basal cell carcinoma of the nose, excised 2015.", "malignancy", None, HIST),
    ("Concern for lymphoma given B symptoms and adenopathy.", "malignancy", None, P),
]

METASTATIC = [
    ("Widely metastatic renal cell carcinoma to bone and lung.", "metastatic_disease", None, A),
    ("CT: multiple lytic lesions in the thoracolumbar spine c/w osseous metastases.", "metastatic_disease", None, A),
    ("Stage IV colon ca with liver mets, on FOLFIRI.", "metastatic_disease", None, A),
    ("Mets to T10 and L2 vertebral bodies with pathologic fracture of L2.", "metastatic_disease", None, A),
    ("Peritoneal carcinomatosis with malignant ascites requiring weekly paracentesis.", "metastatic_disease", None, A),
    ("Per oncology the disease has metastasized to the liver and adrenals.", "metastatic_disease", None, A),
    ("Restaging PET/CT: no evidence of metastatic disease.", "metastatic_disease", None, N),
    ("Bone scan negative for metastases.", "metastatic_disease", None, N),
    ("MRI brain without mets.", "metastatic_disease", None, N),
    ("Possible hepatic metastases on CT, biopsy to follow.", "metastatic_disease", None, P),
    ("Oncology history: T2N0M0 left breast cancer, completed adjuvant therapy.", "metastatic_disease", None, None),
    ("His father died of metastatic prostate cancer.", "metastatic_disease", None, FAM),
    ("Stress test: exercise tolerance 4 METs, no ischemia.", "metastatic_disease", None, None),
    ("CKD stage 4, baseline creatinine 2.9.", "metastatic_disease", None, None),
    ("Stage IV sacral pressure injury, wound care following.", "metastatic_disease", None, None),
]

# Life expectancy in months; a range takes its lower bound and "less than N" is just under N.
LIFE_EXPECTANCY = [
    # Blind batch 23: not finding an estimate is no estimate, and no short one; a lexicon reads
    # across a line wrap as a rule does.
    ("Oncology notes discuss treatment response and plan restaging, but I did not find a\n"
     "  documented estimate of survival.", "life_expectancy", None, None),
    # Blind batch 23: a phrase wrapped onto the next line is still the phrase.
    ("Metastatic NSCLC with partial response. Given his response, I estimate his life\nexpectancy at roughly 6 to 12 "
     "months, possibly longer if the response holds.", "life_expectancy", 6.0, A),
    # Blind batch 23: a relative's prognosis is not the patient's.
    ("Kayla tells me that Annette's own mother died of ovarian cancer at fifty one, and that her grandmother was "
     "told she had three months to live and in the end lived nearly two years.", "life_expectancy", None, None),
    ("Prognosis discussed with her mother: likely 6-12 months.", "life_expectancy", 6.0, A),
    # Blind batch 22: a quoted estimate wrapped across lines.
    ('Oncology (note 08/05/2024): tolerating 2nd line; "I would estimate\nhis survival at roughly 6 months, '
     'potentially longer if he responds to current therapy."', "life_expectancy", 6.0, A),
    # Blind batch 19: a numbered item left blank ("___") answers nothing.
    ("3.   Life expectancy of at least 3 months documented                   ___", "life_expectancy", None, None),
    # Blind batch 15: a negation in an earlier clause ("without ..., and her survival") is not this one's.
    ("Disease is otherwise stable without visceral involvement, and her expected survival is well over a year - "
     "he estimated 18 to 24 months.", "life_expectancy", 18.0, A),
    # Blind batch 14: the device's life expectancy is not the patient's.
    ("DEVICE LIFE EXPECTANCY ...... ~7 yr (manufacturer labeling)", "life_expectancy", None, None),
    # Blind batch 12: a prognosis given then, not now.
    ("Copied from note of 01/14/2025 for reference: hospice was discussed and at that time prognosis was felt to "
     "be weeks.", "life_expectancy", None, None),
    # Form lines: an empty box asserts nothing, a ticked one does.
    ("[ ] Life expectancy >= 3 months documented (awaiting oncology letter)", "life_expectancy", None, None),
    ("[x] Life expectancy of at least 12 months per oncology", "life_expectancy", 12.0, A),
    ("Life expectancy estimated at 3-6 months per oncology.", "life_expectancy", 3.0, A),
    ("Prognosis: TBD, pending restaging.", "life_expectancy", None, None),
    ("Life expectancy has not been addressed with him.", "life_expectancy", None, None),
    ("Prognosis: less than 6 months.", "life_expectancy", 5.99, A),
    ("Hospice eligible, prognosis < 6 months.", "life_expectancy", 5.99, A),
    ("Expected survival > 1 year with current therapy.", "life_expectancy", 12.0, A),
    ("Oncology anticipates survival of several months.", "life_expectancy", 3.0, A),
    ("Prognosis is weeks to months.", "life_expectancy", 0.5, A),
    ("Life expectancy: 12+ months", "life_expectancy", 12.0, A),
    ("Estimated life expectancy of approximately 4 months.", "life_expectancy", 4.0, A),
    ("She is expected to live at least one year per Dr. Kaur (oncology).", "life_expectancy", 12.0, A),
    ("Median survival for this stage is 9 to 12 months.", "life_expectancy", 9.0, A),
    ("Life expectancy greater than 3 months.", "life_expectancy", 3.0, A),
    ("Prognosis: 6-12 mos", "life_expectancy", 6.0, A),
    ("Estimated LE 6-9 months.", "life_expectancy", 6.0, A),
    ("Rehab prognosis: fair for return to independent ambulation.", "life_expectancy", None, None),
    ("Prognosis not yet discussed with the family.", "life_expectancy", None, None),
]

SYSTEMIC_OPIOIDS_FAILED = [
    # Evidence audit 6: a trial's protocol and a standing breakthrough order name no failure.
    ("Oral long-acting opioids stopped at catheter placement; oxycodone IR 10 mg available for breakthrough.",
     "systemic_opioids_failed", None, None),
    ("Breakthrough pain despite oxycodone 30 mg q4h.", "systemic_opioids_failed", None, A),
    (
        "Failed oxycodone, hydromorphone and fentanyl patch due to sedation and inadequate relief.",
        "systemic_opioids_failed",
        None,
        A,
    ),
    ("MS Contin 60 mg BID no longer controls her pain.", "systemic_opioids_failed", None, A),
    ("Opioid-induced hyperalgesia on high-dose methadone.", "systemic_opioids_failed", None, A),
    ("Pain poorly controlled despite oral opioids at 240 MME/day.", "systemic_opioids_failed", None, A),
    ("Dilaudid PO caused intractable nausea and confusion.", "systemic_opioids_failed", None, A),
    ("Tried Norco, Percocet - minimal relief, severe constipation.", "systemic_opioids_failed", None, A),
    (
        "Opioid rotation x3 (oxycodone, hydromorphone, methadone) with persistent 8/10 pain.",
        "systemic_opioids_failed",
        None,
        A,
    ),
    ("Fentanyl 75 mcg patch: somnolence, pt stopped it on her own.", "systemic_opioids_failed", None, A),
    # A failure a condition names is none, hypothetical or not read at all (blind batch 76).
    ("If oxycodone fails, will consider an IT trial.", "systemic_opioids_failed", None, None),
    ("Pain well controlled on oxycodone 10 mg q6h.", "systemic_opioids_failed", None, None),
    ("Tolerating morphine ER well without side effects.", "systemic_opioids_failed", None, None),
    ("Intrathecal morphine trial failed to provide meaningful relief.", "systemic_opioids_failed", None, None),
    ("Denies constipation or sedation on current oxycodone dose.", "systemic_opioids_failed", None, None),
    ("Opioids: tried tramadol and hydrocodone, neither touched the pain.", "systemic_opioids_failed", None, A),
]


@pytest.mark.parametrize(COLUMNS, MALIGNANCY)
def test_pipeline_malignancy(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(COLUMNS, METASTATIC)
def test_pipeline_metastatic_disease(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(COLUMNS, LIFE_EXPECTANCY)
def test_pipeline_life_expectancy(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(COLUMNS, SYSTEMIC_OPIOIDS_FAILED)
def test_pipeline_systemic_opioids_failed(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


def test_pipeline_an_estimate_not_found_denies_no_life_expectancy(facts_for):
    """Blind batch 23: "I did not find a documented estimate of survival" is missing
    documentation, not a prognosis under three months."""
    text = ("Oncology notes discuss treatment response and plan restaging, but I did not find a\n"
            "  documented estimate of survival.")
    assert not [f for f in facts_for(text) if f.name == "life_expectancy"]
