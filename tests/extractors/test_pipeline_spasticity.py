"""ChartExtractor on spasticity documentation: the condition, oral agents, severity, non-invasive care.

Rows are how physiatry, neurology and caregiver-reported histories are written; a row the
extractor gets wrong is kept and marked xfail(strict) naming the gap. Durations are in days
against the service date 2025-10-01.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.extractors.rows import COLUMNS, FAM, HIST, HYPO, A, N

SERVICE = dt.date(2025, 10, 1)
WEEK, MONTH, YEAR = 7.0, 30.4375, 365.25


def since(year: int, month: int) -> float:
    return float((SERVICE - dt.date(year, month, 1)).days)



SPASTICITY = [
    # Blind batch 15: a denied change is no denied condition (a pump check's "no increased tone").
    ("Mother reports no increased tone, no itching, no lethargy.", "spasticity", None, None),
    ("Spastic diplegic CP, GMFCS level IV.", "spasticity", None, A),
    ("Severe spasticity of the bilateral lower extremities secondary to T6 ASIA A SCI.", "spasticity", None, A),
    ("Generalized dystonia since childhood, worse with stress.", "spasticity", None, A),
    ("Increased tone in the RUE since her left MCA stroke.", "spasticity", None, A),
    ("Relapsing MS with hypertonicity of both legs.", "spasticity", None, A),
    ("Neuro exam: no spasticity or clonus.", "spasticity", None, N),
    ("Tone: normal, no hypertonia.", "spasticity", None, N),
    ("Brother has hereditary spastic paraplegia.", "spasticity", None, FAM),
    ("If spasticity worsens, consider botulinum toxin to the gastrocnemius.", "spasticity", None, HYPO),
    ("Spasticity resolved after selective dorsal rhizotomy.", "spasticity", None, HIST),
    ("Past history of cervical dystonia treated with botox in 2019.", "spasticity", None, HIST),
    ("Bladder spasms from the indwelling Foley.", "spasticity", None, None),
    ("Spastic colon (IBS-C) managed with linaclotide.", "spasticity", None, None),
]

OAS_FAILED = [
    ("Baclofen 20 mg QID x 2 years with inadequate control of spasms.", "oral_antispasmodic_failed", 2 * YEAR, A),
    ("Failed tizanidine (3 months) and dantrolene.", "oral_antispasmodic_failed", 3 * MONTH, A),
    (
        "Spasticity persists despite oral baclofen 80 mg/day for the past 6 months.",
        "oral_antispasmodic_failed",
        6 * MONTH,
        A,
    ),
    (
        "DOS: 10/01/2025\nOral baclofen since March 2024 without meaningful improvement in tone.",
        "oral_antispasmodic_failed",
        since(2024, 3),
        A,
    ),
    # Durations run to the note's own date when it has one, not to the service date.
    (
        "Date of service: 06/15/2025\nOral baclofen since March 2024 without meaningful improvement in tone.",
        "oral_antispasmodic_failed",
        float((dt.date(2025, 6, 15) - dt.date(2024, 3, 1)).days),
        A,
    ),
    ("Muscle relaxants ineffective x 1 yr.", "oral_antispasmodic_failed", YEAR, A),
    (
        "Visit date: 10/01/2025\nSpasms uncontrolled on tizanidine 8 mg TID, started 01/2025.",
        "oral_antispasmodic_failed",
        since(2025, 1),
        A,
    ),
    # A note without a dated header: a date inside the first sentence is not the note's date.
    (
        "Oral baclofen since March 2024 without meaningful improvement in tone.",
        "oral_antispasmodic_failed",
        since(2024, 3),
        A,
    ),
    ("Baclofen titrated to max dose over 8 weeks without improvement.", "oral_antispasmodic_failed", 8 * WEEK, A),
    ("Tried Zanaflex without relief.", "oral_antispasmodic_failed", None, A),
    ("Baclofen is controlling his spasms well.", "oral_antispasmodic_failed", None, None),
    ("Intrathecal baclofen trial failed to reduce tone.", "oral_antispasmodic_failed", None, None),
    ("If oral baclofen fails, will consider ITB.", "oral_antispasmodic_failed", None, None),
    ("Has not tried any oral antispasmodics.", "oral_antispasmodic_failed", None, None),
    ("Baclofen 10 mg TID for 6 wks, no change in spasm frequency.", "oral_antispasmodic_failed", 6 * WEEK, A),
]

OAS_NOT_TOLERATED = [
    # Blind batch 16: a side effect the line denies is no intolerance.
    ("- Tizanidine 4 mg TID - start date: *** (per neuro note) - no sedation reported",
     "oral_antispasmodic_not_tolerated", None, None),
    ("She has not had any particular side effects from the tizanidine other than a dry mouth.",
     "oral_antispasmodic_not_tolerated", None, None),
    ("Tizanidine caused excessive sedation and hypotension.", "oral_antispasmodic_not_tolerated", None, A),
    ("Baclofen stopped due to confusion and weakness.", "oral_antispasmodic_not_tolerated", None, A),
    ("Dantrolene discontinued due to elevated LFTs.", "oral_antispasmodic_not_tolerated", None, A),
    ("Could not tolerate oral baclofen - too drowsy.", "oral_antispasmodic_not_tolerated", None, A),
    ("Diazepam \u2192 daytime somnolence, d/c'd.", "oral_antispasmodic_not_tolerated", None, A),
    ("Baclofen was poorly tolerated (fatigue).", "oral_antispasmodic_not_tolerated", None, A),
    ("Valium made her too sleepy to participate in therapy.", "oral_antispasmodic_not_tolerated", None, A),
    ("Muscle relaxants make him weak and he falls more.", "oral_antispasmodic_not_tolerated", None, A),
    ("No side effects from tizanidine.", "oral_antispasmodic_not_tolerated", None, N),
    ("Tolerating baclofen 10 mg TID without side effects.", "oral_antispasmodic_not_tolerated", None, None),
    ("Discussed that tizanidine may cause drowsiness.", "oral_antispasmodic_not_tolerated", None, None),
    ("Intrathecal baclofen trial caused sedation.", "oral_antispasmodic_not_tolerated", None, None),
]

PAINFUL_SPASTICITY = [
    # Blind batch 15: the parent telling the history is its historian, not its subject.
    ("Mother reports he cries out with painful spasms during diaper changes.", "painful_spasticity", None, A),
    ("Per his mother, he has painful spasms at night.", "painful_spasticity", None, A),
    ("Painful flexor spasms at night wake him 3-4 times.", "painful_spasticity", None, A),
    ("Spasms are excruciating, 8/10 pain.", "painful_spasticity", None, A),
    ("Chief complaint: painful spasticity of both legs.", "painful_spasticity", None, A),
    ("Nocturnal cramping of the calves due to hypertonia.", "painful_spasticity", None, A),
    ("Dystonic posturing of the R foot causing significant pain.", "painful_spasticity", None, A),
    ("She cries with leg spasms during diaper changes.", "painful_spasticity", None, A),
    ("Spasticity-related pain 7/10 in the hip adductors.", "painful_spasticity", None, A),
    ("Denies painful spasms.", "painful_spasticity", None, N),
    ("Spasms are not painful but interfere with transfers.", "painful_spasticity", None, N),
    ("Painless increased tone in the left arm.", "painful_spasticity", None, None),
    ("Low back pain with paraspinal muscle spasm after lifting a box.", "painful_spasticity", None, None),
]

COMPLICATION_RISK = [
    # Blind batch 15: a position is no pressure injury; a wrapped form question is read by its answer.
    ("Left lateral decubitus, L3-L4 interspace, 22 G Whitacre needle.", "spasticity_complication_risk", None, None),
    ("3.  Spasticity increases risk of contractures, pressure injury\n"
     "    or other complications?                                     [ ] Yes   [X] No",
     "spasticity_complication_risk", None, N),
    ("High adductor tone with progressive hip subluxation on x-ray.", "spasticity_complication_risk", None, A),
    ("Spasticity has led to knee flexion contractures.", "spasticity_complication_risk", None, A),
    ("Stage 3 sacral pressure injury aggravated by extensor spasms.", "spasticity_complication_risk", None, A),
    ("Frequent spasms put him at risk for falls out of the wheelchair.", "spasticity_complication_risk", None, A),
    ("Dystonia with recurrent skin breakdown at the heels.", "spasticity_complication_risk", None, A),
    (
        "Adductor tone makes hygiene difficult and an early contracture is forming.",
        "spasticity_complication_risk",
        None,
        A,
    ),
    # An exam's "no contractures" or "no pressure sores" is the harm not yet done, no denial of the risk
    # (session 36: blind golds held the risk unknown beside such exams 28 times in 32); the risk denied
    # is ("not felt to be at particular risk of contracture").
    ("No contractures; full passive ROM despite increased tone.", "spasticity_complication_risk", None, None),
    ("Tone mildly increased. Skin intact, no pressure sores.", "spasticity_complication_risk", None, None),
    ("Spasticity moderate; she is not felt to be at particular risk of contracture or skin breakdown.",
     "spasticity_complication_risk", None, N),
    ("Dupuytren's contracture of the left hand.", "spasticity_complication_risk", None, None),
    ("Braden score 14, pressure injury risk reviewed with nursing.", "spasticity_complication_risk", None, None),
]

IMPAIRS_FUNCTION = [
    # Blind batch 21: independence lost is no independence; the spasticity named two sentences up.
    ("Ms. A is a 44-year-old woman with secondary progressive multiple sclerosis whose lower-extremity spasticity has "
     "become the single most disabling feature of her disease. She experiences painful flexor and extensor spasms of "
     "both legs. Her right ankle is developing a fixed plantarflexion contracture despite nightly splinting. Over "
     "the past year she has gone from independent pivot transfers to needing two people to transfer, and she can no "
     "longer dress her lower body.",
     "spasticity_impairs_function", None, A),
    # Blind batch 21: a baclofen screen's denied adverse effect says nothing of the disease.
    ("ITB SCREENING\nNo respiratory depression, no excessive weakness affecting sitting balance.",
     "spasticity_impairs_function", None, None),
    ("Spasticity interferes with transfers and dressing.", "spasticity_impairs_function", None, A),
    ("Extensor spasms make it difficult to sit in his wheelchair.", "spasticity_impairs_function", None, A),
    (
        "Due to severe adductor tone, caregiver unable to perform perineal care or cath.",
        "spasticity_impairs_function",
        None,
        A,
    ),
    ("Gait impaired by bilateral LE spasticity; uses a walker.", "spasticity_impairs_function", None, A),
    (
        "ADLs: dependent for dressing and bathing secondary to spastic quadriparesis.",
        "spasticity_impairs_function",
        None,
        A,
    ),
    ("Husband has to help her transfer because of leg stiffness.", "spasticity_impairs_function", None, A),
    (
        "Clonus makes her feet bounce off the footplates; cannot position her in the chair.",
        "spasticity_impairs_function",
        None,
        A,
    ),
    ("Spasms wake her four times a night, sleep badly disrupted.", "spasticity_impairs_function", None, A),
    ("Tone does not limit his ADLs.", "spasticity_impairs_function", None, N),
    (
        "Mild spasticity, independent with all ADLs and ambulates without an assistive device.",
        "spasticity_impairs_function",
        None,
        None,
    ),
]

NONINVASIVE_FAILED = [
    ("Despite daily stretching, splinting and PT, tone continues to worsen.", "noninvasive_methods_failed", None, A),
    (
        "Botox to the hamstrings q3 months gave only partial benefit for spasticity.",
        "noninvasive_methods_failed",
        None,
        A,
    ),
    ("Failed serial casting for equinus spasticity.", "noninvasive_methods_failed", None, A),
    ("AFOs not tolerated due to skin breakdown from high tone.", "noninvasive_methods_failed", None, A),
    (
        "Phenol nerve blocks to the obturator nerves with minimal relief of adductor spasms.",
        "noninvasive_methods_failed",
        None,
        A,
    ),
    ("OT/PT x 6 months, spasticity still limits hand function.", "noninvasive_methods_failed", None, A),
    ("Conservative measures exhausted for spastic quadriplegia.", "noninvasive_methods_failed", None, A),
    ("Spasticity well controlled with a stretching program and AFOs.", "noninvasive_methods_failed", None, None),
    ("Botulinum toxin injections effective for upper limb spasticity.", "noninvasive_methods_failed", None, None),
    ("Plan: PT for spasticity, consider Botox.", "noninvasive_methods_failed", None, None),
    ("If Botox fails for her spasticity, ITB would be the next step.", "noninvasive_methods_failed", None, None),
]

NONINVASIVE_CONTROL = [
    # Blind batch 20: a focal gain is no control of the spasticity.
    ("Addendum (4-week follow-up): focal UE tone improved after toxin, hygiene easier per caregiver.",
     "noninvasive_methods_control", None, None),
    # Blind batch 10: a one-grade, one-sided gain after botulinum toxin is no control.
    ("Comment: calf tone improved by one grade on the right only, AFO fit a little easier.",
     "noninvasive_methods_control", None, None),
    ("Spasticity well controlled with stretching and night splints.", "noninvasive_methods_control", None, A),
    ("Botox every 3 months is working well for her upper limb spasticity.", "noninvasive_methods_control", None, A),
    ("Tone improved with PT and AFOs.", "noninvasive_methods_control", None, A),
    ("Stretching program controls her spasms adequately.", "noninvasive_methods_control", None, A),
    ("Orthotics and oral agents have been effective for his tone.", "noninvasive_methods_control", None, A),
    ("Spasticity adequately managed with home stretching and night splints.", "noninvasive_methods_control", None, A),
    ("Despite PT, spasms persist.", "noninvasive_methods_control", None, None),
    ("Spasticity not controlled with Botox.", "noninvasive_methods_control", None, None),
    (
        "Botox helped initially but the effect wears off by 6 weeks; tone worse.",
        "noninvasive_methods_control",
        None,
        None,
    ),
    ("Stretching has not been helpful for her spasticity.", "noninvasive_methods_control", None, None),
]

OAS_EFFECTIVE = [
    # Blind batch 20: "spasms are no better" is no success.
    ("Oral baclofen has now been on board for eleven weeks and mother reports the night spasms are no better.",
     "oral_antispasmodic_effective", None, None),
    # Blind batch 16 (fixture spast-03): denied side effects do not block the drug's success.
    ("She says she is tolerating it without drowsiness or weakness, and she feels the baclofen is helping.",
     "oral_antispasmodic_effective", None, A),
    # Blind batch 15: a partial benefit is no control.
    ("Diazepam        5 mg PO qHS      10/28/2024   ACTIVE - nocturnal spasms partially improved",
     "oral_antispasmodic_effective", None, None),
    ("Diazepam at night helps a little.", "oral_antispasmodic_effective", None, None),
    ("Spasms well controlled on baclofen 20 mg TID.", "oral_antispasmodic_effective", None, A),
    ("Tizanidine at bedtime is helping her nighttime spasms.", "oral_antispasmodic_effective", None, A),
    ("Good response to dantrolene with reduced tone.", "oral_antispasmodic_effective", None, A),
    ("Diazepam helpful for spasms at night.", "oral_antispasmodic_effective", None, A),
    ("Zanaflex 4 mg TID controls his spasticity.", "oral_antispasmodic_effective", None, A),
    ("Her spasticity is well controlled on oral medications.", "oral_antispasmodic_effective", None, A),
    ("Baclofen is effective for his spasms but causes sedation.", "oral_antispasmodic_effective", None, A),
    ("Baclofen no longer effective at max dose.", "oral_antispasmodic_effective", None, None),
    ("Oral baclofen did not help her spasms.", "oral_antispasmodic_effective", None, None),
    ("Will see if tizanidine is effective for her spasms.", "oral_antispasmodic_effective", None, HYPO),
    ("Intrathecal baclofen is working well for his spasticity.", "oral_antispasmodic_effective", None, None),
]


@pytest.mark.parametrize(COLUMNS, SPASTICITY)
def test_pipeline_spasticity(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(COLUMNS, OAS_FAILED)
def test_pipeline_oral_antispasmodic_failed(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(COLUMNS, OAS_NOT_TOLERATED)
def test_pipeline_oral_antispasmodic_not_tolerated(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(COLUMNS, PAINFUL_SPASTICITY)
def test_pipeline_painful_spasticity(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(COLUMNS, COMPLICATION_RISK)
def test_pipeline_spasticity_complication_risk(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(COLUMNS, IMPAIRS_FUNCTION)
def test_pipeline_spasticity_impairs_function(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(COLUMNS, NONINVASIVE_FAILED)
def test_pipeline_noninvasive_methods_failed(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(COLUMNS, NONINVASIVE_CONTROL)
def test_pipeline_noninvasive_methods_control(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(COLUMNS, OAS_EFFECTIVE)
def test_pipeline_oral_antispasmodic_effective(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)
