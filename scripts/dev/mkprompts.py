"""Write seven blind-case prompts for batch N: /work/blind/promptK-bNx.md."""

import sys
from pathlib import Path

N = int(sys.argv[1])
STYLES = {
    "q": "1. Payer questionnaire (every case has at least one filled-in payer questionnaire; answers sometimes disagree with the clinical notes)",
    "l": "2. Letter of medical necessity (every case has a letter, plus one or two supporting notes it summarizes or overstates)",
    "d": "3. Device printouts (interrogation / device-clinic reports, alarm logs, ERI/EOS, advisories; for non-replacement cases use trial flowsheets and printout-like key: value documents)",
    "t": "4. Procedure notes with tables (trial notes with hourly NRS tables, Ashworth tables, dosing rows, unrelated vitals and percentages beside them)",
    "p": "5. Psychological evaluation reports and 6. Therapy summaries (clearance given / conditional / deferred / pending; CBT recommended / completed / declined; PT/OT discharge summaries)",
    "m": "7. Medication reconciliation and problem lists, and 10. Imaging reports (tables with start/stop/reason stopped, ICD-10 problem lists, allergy vs intolerance, precise negatives and hedged positives)",
    "x": "8. Dictated notes, 9. Terse EHR notes, 11. Pediatric and caregiver-reported notes and 12. Long packets (mix them: long multi-document packets with copy-forward text, relatives' histories, abbreviations)",
}
out = Path("/work/blind")
out.mkdir(exist_ok=True)
(out / f"batch{N}").mkdir(exist_ok=True)
for k, (letter, style) in enumerate(STYLES.items(), 1):
    tag = f"b{N}{letter}"
    text = f"""# Write six blind test cases for a prior-authorization review engine

You are writing test cases for an engine that reviews requests for intrathecal pain pumps against a
payer guideline. You must NOT look at the engine's code or at any existing test case: do not open
anything under /work/main, and do not open other folders under /work/blind. Read only these, fully:

- /work/shared/guidelines/intrathecal-pain-pumps-v2.txt (the policy)
- /work/shared/spec/CONTRACT.md (request, decision, criterion IDs, section 4: the annotated case
  layout on disk; section 6)
- /work/shared/guides/packet-styles.md (what real packet documents look like)

Your style family: **{style}**. Write every case's documents mainly in that style, in your own
words, the way real clinic staff, physicians, device clinics and psychologists write (vary
wording, abbreviations, layout, spelling; do not write the guideline's sentences back into the
chart). Fictional patients only.

Write six cases into /work/blind/batch{N}/{tag}-01-<short-slug>/ ... {tag}-06-<short-slug>/, each
in the layout of CONTRACT.md section 4 (request.json, documents/ with 2-5 .txt documents,
expected.json with determination, pathway, request_type, the status of EVERY criterion of the
pathway and of every non-indication, evidence quotes copied verbatim from the documents for met and
not_met criteria where the chart states them, and a one-line "why").

Mix across your six cases: the three pathways (cancer pain, chronic non-malignant pain,
spasticity) and the request types (trial, permanent, replacement); about two meeting criteria, two
not meeting (a requirement clearly not met, or a non-indication present), and two with
insufficient information (something the guideline requires is simply not documented, or is
pending). Include realistic traps a careful nurse would catch: relatives' histories, negated or
resolved problems, values that only look relevant (vitals, other percentages), questions whose
answer is No, side effects of other treatments, old care outside the required window, plans vs
things done, contradictions between a letter and the notes. Decide the gold status of each
criterion the way a careful utilization-review nurse would, from the guideline's words.

When done, run: python3 /work/shared/tools/validate_case.py /work/blind/batch{N}/{tag}-*
and fix every problem it reports. Use your own scratch folder /work/scratch-{tag} (not /tmp).
Reply with the six folder names, each case's determination, and one line on its trap.
"""
    (out / f"prompt{k}-{tag}.md").write_text(text)
    print(out / f"prompt{k}-{tag}.md")
