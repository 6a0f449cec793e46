"""facts.py CASE_DIR [name-substring...]: print the case's facts (name, assertion, dates, quote)."""

import sys
from pathlib import Path

from chart_review.review import case_files, default_extractor, default_guideline, load_request
from extractors.ingest import read_document

case = Path(sys.argv[1])
names = sys.argv[2:]
g = default_guideline()
req_path, files = case_files(case)
req = load_request(req_path, g)
docs = [read_document(f) for f in files]
for f in default_extractor().extract(docs, req.effective_service_date()):
    if names and not any(n in f.name for n in names):
        continue
    e = f.evidence[0]
    print(
        f"{f.name:32} {f.rule_id:28} {f.assertion.value if hasattr(f.assertion, 'value') else f.assertion:9} nd={f.note_date} ob={f.observed_on} p={f.period_start}..{f.period_end} src={f.source} {f.roles} | {e.document}: {e.text[:150]!r}"
    )
