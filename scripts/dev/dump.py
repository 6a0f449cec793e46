"""Dump facts and decisions for every case under the given roots: dump.py OUT ROOT...
Output: {case_path: {"facts": [...], "determination": ..., "criteria": {id: [status, [quotes]]}}}"""

import json
import sys
from pathlib import Path

from chart_review.contract import DocumentRef  # noqa
from chart_review.review import case_files, default_extractor, default_guideline, load_request
from extractors.ingest import read_document  # noqa
from rules.decide import decide

out, roots = sys.argv[1], sys.argv[2:]
g = default_guideline()
ex = default_extractor()
res = {}


def flat(nodes, out=None):
    out = {} if out is None else out
    for n in nodes:
        out[n["id"]] = [n["status"], [e["text"] for e in n.get("evidence", [])]]
        flat(n.get("children", []), out)
    return out


if roots[0] == "--keys":
    cases = [Path(k) for k in json.load(open(roots[1]))]
else:
    cases = sorted({p.parent for r in roots for p in Path(r).rglob("request.json")})
for i, case in enumerate(cases):
    try:
        req_path, files = case_files(case)
        req = load_request(req_path, g)
        docs = [read_document(f) for f in files]
        facts = ex.extract(docs, req.effective_service_date())
        refs = [DocumentRef(name=d.name, sha256=d.sha256, pages=d.pages) for d in docs]
        dec = decide(g, req, facts, refs)
        dj = json.loads(dec.model_dump_json())
        res[str(case)] = {
            "facts": sorted(json.dumps(json.loads(f.model_dump_json()), sort_keys=True) for f in facts),
            "determination": dj.get("determination"),
            "criteria": flat(dj.get("criteria") or []),
        }
    except Exception as e:  # keep going
        res[str(case)] = {"error": repr(e)}
    if i % 100 == 0:
        print(i, len(cases), file=sys.stderr)
json.dump(res, open(out, "w"))
