"""Evidence precision from a helper audit: the share of cited quotes that support their leaf.

Command line (from the repo root):

    .venv/bin/python bench/evidence_precision.py fixtures/blind/evidence-audit/audit2-batch5.json [--now]

An audit file holds quotes the engine cited for met / not_met criteria on a blind batch at one
commit, each labelled by a helper as supports, neutral or contradicts (with an error class).
Without --now it reports the audit as labelled. With --now it reviews the batch again with this
checkout and reports, for the labelled quotes still cited, the same shares, plus how many quotes
are cited now that nobody labelled (a new audit is needed for those).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def shares(labels: list[str]) -> dict[str, object]:
    counts = Counter(labels)
    total = sum(counts.values())
    return {"spans": total, **{k: counts.get(k, 0) for k in ("supports", "neutral", "contradicts")},
            "precision": round(counts.get("supports", 0) / total, 4) if total else None}


def cited_now(batch: Path) -> set[tuple[str, str, str, str]]:
    from chart_review.review import review_case
    from rules.decide import walk

    found = set()
    for case in sorted(p for p in batch.iterdir() if (p / "request.json").is_file()):
        decision = review_case(case)
        for root in decision.criteria:
            for node in walk(root):
                if node.status.value in ("met", "not_met"):
                    found |= {(case.name, node.id, node.status.value, ev.text) for ev in node.evidence}
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("audit", type=Path)
    ap.add_argument("--now", action="store_true", help="re-review the batch with this checkout")
    args = ap.parse_args()
    audit = json.loads(args.audit.read_text("utf-8"))
    rows = audit["rows"]
    report: dict[str, object] = {"audit": args.audit.name, "batch": audit["batch"], "commit": audit["commit"],
                                 "as_labelled": shares([r["label"] for r in rows])}
    if any("ruled_out_pathway" in r for r in rows):
        # The issue's own figure is outside ruled-out pathways: there a leaf can only repeat the
        # quote that rules its pathway out (the contract wants each not_met leaf cited).
        report["outside_ruled_out_pathways"] = shares([r["label"] for r in rows if not r.get("ruled_out_pathway")])
        report["on_ruled_out_pathways"] = shares([r["label"] for r in rows if r.get("ruled_out_pathway")])
    classes = Counter(r["error_class"] for r in rows if r["label"] != "supports")
    report["error_classes"] = dict(classes.most_common())
    if args.now:
        now = cited_now(REPO / "fixtures" / "blind" / audit["batch"])
        labelled = {(r["case"], r["criterion"], r["status"], r["quote"]): r["label"] for r in rows}
        kept = [label for key, label in labelled.items() if key in now]
        report["still_cited"] = shares(kept)
        report["no_longer_cited"] = shares([label for key, label in labelled.items() if key not in now])
        report["cited_now_unlabelled"] = len(now - labelled.keys())
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
