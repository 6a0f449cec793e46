"""cmp.py OLD NEW: which cases changed determination / criteria / facts."""

import json
import sys

a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
nd = nc = nf = 0
for k in sorted(set(a) & set(b)):
    x, y = a.get(k, {}), b.get(k, {})
    if x.get("determination") != y.get("determination"):
        nd += 1
        print("DET", k, x.get("determination"), "->", y.get("determination"))
    if json.dumps(x.get("criteria"), sort_keys=True) != json.dumps(y.get("criteria"), sort_keys=True):
        nc += 1
        if "-v" in sys.argv:
            print("CRIT", k)
    fx, fy = set(x.get("facts", [])), set(y.get("facts", []))
    if fx != fy:
        nf += 1
        if "-v" in sys.argv:
            for f in sorted(fx - fy)[:5]:
                print("  -", f[:300])
            for f in sorted(fy - fx)[:5]:
                print("  +", f[:300])
print(f"cases {len(b)}; determination changed {nd}; criteria changed {nc}; facts changed {nf}")
