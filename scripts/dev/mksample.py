"""mksample.py BATCHDIR OUTDIR N SEED: sample N cited quotes (met/not_met) into OUTDIR/sample{1,2,3}.json."""

import json
import random
import sys
from pathlib import Path

from chart_review.review import review_case

batch, out, n, seed = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
out.mkdir(parents=True, exist_ok=True)
rows = []
for case in sorted(p for p in batch.iterdir() if (p / "request.json").exists()):
    d = json.loads(review_case(case).model_dump_json())

    def walk(node, ruled=False, case=case):
        ruled = ruled or (
            node["id"] in ("cancer_pain", "chronic_pain", "spasticity") and "ruled out" in (node.get("reason") or "")
        )
        if node["status"] in ("met", "not_met"):
            for e in node["evidence"]:
                rows.append(
                    {
                        "case": case.name,
                        "criterion": node["id"],
                        "criterion_text": node["text"],
                        "status": node["status"],
                        "node": "leaf" if node["logic"] == "leaf" else "group",
                        "reason": (node.get("reason") or "")[:400],
                        "document": e["document"],
                        "quote": e["text"],
                        "ruled_out_pathway": ruled,
                    }
                )
        for c in node.get("children", []):
            walk(c, ruled)

    for node in d["criteria"]:
        walk(node)
print("cited", len(rows), file=sys.stderr)
random.seed(seed)
sample = random.sample(rows, min(n, len(rows)))
for i, r in enumerate(sample):
    r["id"] = f"{i // 120}-{i % 120:03d}"
for k in range(3):
    part = sample[k * len(sample) // 3 : (k + 1) * len(sample) // 3]
    (out / f"sample{k + 1}.json").write_text(json.dumps(part, indent=1))
(out / "all.json").write_text(json.dumps(sample, indent=1))
