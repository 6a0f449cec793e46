#!/bin/sh
# ev.sh CASE_DIR... : evaluate just these cases (linked into a scratch root) and print what is wrong.
# Run from the repo root.
root=$(mktemp -d)
for c in "$@"; do ln -s "$(readlink -f "$c")" "$root/"; done
.venv/bin/chart-review evaluate "$root" 2>/dev/null | python3 -c "
import json, sys
d = json.load(sys.stdin)
print('det', d['determination_accuracy'], 'crit', d['criterion_status_accuracy'])
for c in d['failing_cases']:
    print('==', c['case'])
    for p in c['problems']:
        print('   ', p[:250])"
rm -rf "$root"
