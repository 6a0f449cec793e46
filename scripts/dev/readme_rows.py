"""readme_rows.py DUMP: rewrite the 'now' columns of the README's batch table from a dump."""

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

d = json.load(open(sys.argv[1]))
per = defaultdict(lambda: [0, 0, 0, 0])
for case, r in d.items():
    m = re.search(r"blind/batch(\d+)/", case)
    if not m:
        continue
    gold = json.load(open(Path(case) / "expected.json"))["determination"]
    got = r.get("determination")
    p = per[int(m.group(1))]
    p[1] += 1
    p[0] += got == gold
    p[2] += got == "meets_criteria" and gold != "meets_criteria"
    p[3] += got == "does_not_meet_criteria" and gold == "meets_criteria"
readme = Path("README.md")
lines = readme.read_text().split("\n")
row = re.compile(r"^\| (\d+) \| ")
changed = 0
for i, line in enumerate(lines):
    m = row.match(line)
    if not m or int(m.group(1)) not in per or line.count("|") != 8:
        continue
    cells = line.split("|")
    ok, n, fa, fd = per[int(m.group(1))]
    pct = f"{100 * ok / n:.1f}%".replace("100.0%", "100%")
    new = f" {pct} ({ok}/{n}) "
    newf = f" {fa} / {fd} "
    if cells[6] != new or cells[7] != newf:
        cells[6], cells[7] = new, newf
        lines[i] = "|".join(cells)
        changed += 1
readme.write_text("\n".join(lines))
tot = [sum(p[k] for p in per.values()) for k in range(4)]
print("rows changed", changed, "total", tot, f"{100 * tot[0] / tot[1]:.1f}%")
print("FA cases / FD cases: see score.py")
