"""leaf.py CASE_DIR LEAF-substring...: status, evidence and reason of matching criteria."""

import json
import sys
from pathlib import Path

from chart_review.review import review_case

d = json.loads(review_case(Path(sys.argv[1])).model_dump_json())


def walk(n):
    if any(s in n["id"] for s in sys.argv[2:]):
        print(f"== {n['id']} {n['status']}")
        for e in n["evidence"]:
            print("   E", e["document"], repr(e["text"][:200]))
        print("   R", (n.get("reason") or "")[:700])
    for c in n.get("children", []):
        walk(c)


for n in d["criteria"]:
    walk(n)
print(d["determination"])
