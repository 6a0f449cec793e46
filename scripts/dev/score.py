"""score.py DUMP: determination accuracy per blind batch and totals, from a dump's determinations."""

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

d = json.load(open(sys.argv[1]))
per = defaultdict(lambda: [0, 0, [], []])
for case, r in d.items():
    gold = json.load(open(Path(case) / "expected.json"))["determination"]
    got = r.get("determination")
    m = re.search(r"blind/batch(\d+)/", case)
    key = int(m.group(1)) if m else ("blind-2" if "/blind/" in case else "fixtures")
    p = per[key]
    p[1] += 1
    if got == gold:
        p[0] += 1
    elif got == "meets_criteria":
        p[2].append(Path(case).name)
    elif gold == "meets_criteria" and got == "does_not_meet_criteria":
        p[3].append(Path(case).name)
tot = [0, 0, 0, 0]
for k in sorted(per, key=lambda x: (isinstance(x, str), x)):
    ok, n, fa, fd = per[k]
    if isinstance(k, int):
        tot[0] += ok
        tot[1] += n
        tot[2] += len(fa)
        tot[3] += len(fd)
    if "-v" in sys.argv or ok < n:
        print(k, f"{ok}/{n}", "FA", fa, "FD", fd)
print("blind batches total", f"{tot[0]}/{tot[1]} = {tot[0] / tot[1]:.1%}", "FA", tot[2], "FD", tot[3])
