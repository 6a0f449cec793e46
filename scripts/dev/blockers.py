"""blockers.py RULE_ID 'TEXT': which of the rule's match, requires and blocked_by lexicons the text holds."""

import re
import sys

from extractors.target_rules import load_rules

rules = load_rules()
rule = rules.by_id[sys.argv[1]]
text = sys.argv[2]
lex = rules.compiled_lexicons
m = re.search(rules.expand(rule.match), text, re.I)
print("match:", m and m.group(0))
for kind in ("requires", "blocked_by", "affirmation_blocked_by"):
    for name in getattr(rule, kind):
        hit = lex[name].search(text)
        print(f"{kind:24} {name:28} {hit.group(0) if hit else '-'}")
