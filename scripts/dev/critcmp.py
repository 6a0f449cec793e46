"""critcmp.py OLD NEW: criterion statuses that moved to or away from their gold between two dumps."""

import json
import sys
from pathlib import Path

a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
to_gold, away = [], []
for case in sorted(set(a) & set(b)):
    gold = json.load(open(Path(case) / "expected.json"))["criteria"]
    old, new = a[case].get("criteria", {}), b[case].get("criteria", {})
    for cid, g in gold.items():
        was, now = (old.get(cid) or [None])[0], (new.get(cid) or [None])[0]
        if was == now:
            continue
        row = f"{Path(case).name} {cid}: {was} -> {now} (gold {g['status']})"
        if now == g["status"]:
            to_gold.append(row)
        elif was == g["status"]:
            away.append(row)
print(f"to gold {len(to_gold)}, away {len(away)}")
for row in away:
    print("AWAY", row)
if "-v" in sys.argv:
    for row in to_gold:
        print("GOLD", row)
