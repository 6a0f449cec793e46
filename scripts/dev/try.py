"""try.py 'TEXT' [name-substring...] [--date YYYY-MM-DD]: facts read from one note."""

import datetime as dt
import sys

from chart_review.review import default_extractor
from extractors.documents import Document

args = sys.argv[1:]
date = dt.date(2025, 1, 15)
if "--date" in args:
    i = args.index("--date")
    date = dt.date.fromisoformat(args[i + 1])
    del args[i : i + 2]
text, names = args[0].replace("\\n", "\n"), args[1:]
doc = Document.from_text("note.txt", text) if hasattr(Document, "from_text") else Document(name="note.txt", text=text)
for f in default_extractor().extract([doc], date):
    if names and not any(n in f.name for n in names):
        continue
    print(f"{f.name:30} {f.rule_id} {f.assertion.value:9} v={f.value} {f.roles} | {f.evidence[0].text!r} | {f.reason[:100]} | mods={[(m.category, m.text) for m in f.modifiers]}")
