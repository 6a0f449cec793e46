"""Run ChartExtractor over every MTSamples note: errors, throughput and what it found.

Command line (from the repo root, /work/main):

    .venv/bin/python bench/mtsamples_run.py [--csv ../shared/external/mtsamples/mtsamples.csv]
        [--workers 2] [--limit N] [--chunksize 4] [--date YYYY-MM-DD] [--out FILE]

Each worker process builds its own ChartExtractor once, in the pool initializer (nlp.pipe with
n_process does not work: medspaCy's TargetRule objects do not pickle). Notes with an empty
`transcription` are skipped and counted. Progress goes to stderr.

Output (JSON on stdout, or --out FILE): notes, words, errors (note index, exception type and
the innermost frame; never the note text), wall seconds, notes/s and words/s, fact counts by
name and assertion, and two focused reports:
  * pain_pump: notes mentioning "pain pump" (post-operative local-anaesthetic pumps, not
    intrathecal pumps) with every device fact the pipeline produced for them;
  * hospice: notes mentioning hospice with their life_expectancy, malignancy and
    metastatic_disease facts.
Evidence text in those reports is public MTSamples text.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import multiprocessing as mp
import os
import sys
import time
import traceback
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CSV = REPO.parent / "shared" / "external" / "mtsamples" / "mtsamples.csv"

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import project_snapshot, warn_if_changed  # noqa: E402

DEVICE_FACTS = (
    "device_in_place", "device_malfunction", "impending_failure_alert", "device_recalled",
    "battery_end_of_life", "upgrade_required", "replacement_for_convenience",
    "functional_device_upgrade",
)
HOSPICE_FACTS = ("life_expectancy", "malignancy", "metastatic_disease")
FOCUS_FACTS = {"pain_pump": DEVICE_FACTS, "hospice": HOSPICE_FACTS}

_extractor: Any = None
_date: dt.date | None = None



def _init(service_date: dt.date) -> None:
    """Pool initializer: one ChartExtractor per worker process."""
    global _extractor, _date
    from extractors.pipeline import ChartExtractor

    _extractor = ChartExtractor()
    _date = service_date


def _fact_detail(fact: Any) -> dict[str, Any]:
    return {
        "name": fact.name,
        "assertion": str(fact.assertion),
        "rule_id": fact.rule_id,
        "value": fact.value,
        "unit": fact.unit,
        "section": fact.section,
        "evidence": [ev.text for ev in fact.evidence],
        "modifiers": [f"{m.category}:{m.text}" for m in fact.modifiers],
    }


def _work(task: tuple[int, str, str, tuple[str, ...]]) -> dict[str, Any]:
    """Extract one note; only counts come back, plus details of the facts a focus asks for."""
    position, index, text, focus_names = task
    from extractors.documents import Document

    t0 = time.perf_counter()
    try:
        facts = _extractor.extract([Document.from_text(f"mtsamples_{index}.txt", text)], _date)
    except Exception as exc:  # noqa: BLE001 - the point is to count every failure
        tb = traceback.extract_tb(exc.__traceback__)
        where = f"{Path(tb[-1].filename).name}:{tb[-1].lineno} in {tb[-1].name}" if tb else "?"
        return {"position": position, "index": index, "error": type(exc).__name__,
                "where": where, "seconds": time.perf_counter() - t0}
    seconds = time.perf_counter() - t0
    counts = Counter((f.name, str(f.assertion)) for f in facts)
    details = [_fact_detail(f) for f in facts if f.name in focus_names]
    return {"position": position, "index": index, "seconds": seconds, "n_facts": len(facts),
            "counts": [[n, a, c] for (n, a), c in counts.items()], "details": details}


def load_notes(csv_path: Path, limit: int | None) -> list[dict[str, str]]:
    with csv_path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return rows[:limit] if limit else rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", type=Path, default=DEFAULT_CSV, help="mtsamples.csv")
    ap.add_argument("--workers", type=int, default=2, help="worker processes")
    ap.add_argument("--limit", type=int, default=None, help="only the first N rows")
    ap.add_argument("--chunksize", type=int, default=4, help="notes per task batch")
    ap.add_argument("--date", type=dt.date.fromisoformat, default=dt.date.today(),
                    help="service date passed to extract (default today)")
    ap.add_argument("--out", type=Path, help="write the JSON here instead of stdout")
    args = ap.parse_args(argv)
    snapshot_start = project_snapshot()

    rows = load_notes(args.csv, args.limit)
    tasks: list[tuple[int, str, str, tuple[str, ...]]] = []
    meta: dict[int, dict[str, Any]] = {}
    skipped: list[str] = []
    for position, row in enumerate(rows):
        index = (row.get("") or str(position)).strip()
        text = row.get("transcription") or ""
        if not text.strip():
            skipped.append(index)
            continue
        lower = text.lower()
        focus = [name for name, hit in (("pain_pump", "pain pump" in lower),
                                        ("hospice", "hospice" in lower)) if hit]
        names = tuple(sorted({f for name in focus for f in FOCUS_FACTS[name]}))
        meta[position] = {"index": index, "sample_name": row["sample_name"].strip(),
                          "specialty": row["medical_specialty"].strip(),
                          "words": len(text.split()), "focus": focus}
        tasks.append((position, index, text, names))

    total_words = sum(m["words"] for m in meta.values())
    print(f"{len(rows)} rows, {len(tasks)} notes to run ({len(skipped)} empty skipped), "
          f"{total_words:,} words, {args.workers} workers", file=sys.stderr)

    t_start = time.perf_counter()
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    results: list[dict[str, Any]] = []
    done_words = 0
    last_report = 0.0
    with ctx.Pool(args.workers, initializer=_init, initargs=(args.date,)) as pool:
        for res in pool.imap_unordered(_work, tasks, chunksize=args.chunksize):
            results.append(res)
            done_words += meta[res["position"]]["words"]
            now = time.perf_counter()
            if now - last_report >= 2.0 or len(results) == len(tasks):
                last_report = now
                el = now - t_start
                errs = sum(1 for r in results if "error" in r)
                print(f"\r{len(results)}/{len(tasks)} notes  {el:6.1f} s  "
                      f"{len(results) / el:5.1f} notes/s  {done_words / el:7.0f} words/s  "
                      f"errors {errs}", end="", file=sys.stderr, flush=True)
    wall = time.perf_counter() - t_start
    print(file=sys.stderr)

    errors = sorted((r for r in results if "error" in r), key=lambda r: r["position"])
    ok = [r for r in results if "error" not in r]
    by_name: dict[str, Counter[str]] = defaultdict(Counter)
    by_assertion: Counter[str] = Counter()
    notes_with: Counter[str] = Counter()
    for r in ok:
        seen = set()
        for name, assertion, count in r["counts"]:
            by_name[name][assertion] += count
            by_assertion[assertion] += count
            seen.add(name)
        notes_with.update(seen)
    fact_counts = {
        name: {"total": sum(c.values()), "notes": notes_with[name], **dict(sorted(c.items()))}
        for name, c in sorted(by_name.items(), key=lambda kv: -sum(kv[1].values()))
    }

    pain_pump: list[dict[str, Any]] = []
    hospice: list[dict[str, Any]] = []
    for r in sorted(ok, key=lambda r: r["position"]):
        m = meta[r["position"]]
        base = {"index": m["index"], "sample_name": m["sample_name"], "specialty": m["specialty"]}
        if "pain_pump" in m["focus"]:
            device = [d for d in r["details"] if d["name"] in DEVICE_FACTS]
            for d in device:
                d["evidence_mentions_pump"] = any("pump" in e.lower() for e in d["evidence"])
            pain_pump.append(base | {"device_facts": device})
        if "hospice" in m["focus"]:
            hospice.append(base | {"facts": [d for d in r["details"] if d["name"] in HOSPICE_FACTS]})

    slowest = sorted(ok, key=lambda r: -r["seconds"])[:5]
    cpu_seconds = sum(r["seconds"] for r in results)
    result = {
        "project": snapshot_start | {
            "changed_during_run": project_snapshot() != snapshot_start},
        "csv": str(args.csv),
        "service_date": args.date.isoformat(),
        "workers": args.workers,
        "cpu_count": os.cpu_count(),
        "rows": len(rows),
        "notes": len(tasks),
        "skipped_empty": {"count": len(skipped), "indices": skipped},
        "words": total_words,
        "errors": {"count": len(errors),
                   "items": [{"index": e["index"], "type": e["error"], "where": e["where"]}
                             for e in errors]},
        "wall_seconds": round(wall, 2),
        "notes_per_second": round(len(tasks) / wall, 2),
        "words_per_second": round(total_words / wall, 1),
        "per_worker_words_per_second": round(total_words / cpu_seconds, 1) if cpu_seconds else None,
        "extract_seconds_sum": round(cpu_seconds, 2),
        "slowest_notes": [{"index": r["index"], "words": meta[r["position"]]["words"],
                           "seconds": round(r["seconds"], 3)} for r in slowest],
        "facts_total": sum(by_assertion.values()),
        "facts_by_assertion": dict(by_assertion.most_common()),
        "facts_by_name": fact_counts,
        "pain_pump": {
            "notes": len(pain_pump),
            "notes_with_device_facts": sum(1 for p in pain_pump if p["device_facts"]),
            "device_facts": sum(len(p["device_facts"]) for p in pain_pump),
            "items": pain_pump,
        },
        "hospice": {
            "notes": len(hospice),
            "facts": dict(Counter(f["name"] for h in hospice for f in h["facts"])),
            "items": hospice,
        },
    }

    out = json.dumps(result, indent=2, default=str)
    if args.out:
        args.out.write_text(out + "\n", encoding="utf-8")
    else:
        print(out)

    print(f"{len(tasks)} notes, {total_words:,} words in {wall:.1f} s: "
          f"{len(tasks) / wall:.1f} notes/s, {total_words / wall:,.0f} words/s "
          f"({args.workers} workers); errors: {len(errors)}; empty skipped: {len(skipped)}",
          file=sys.stderr)
    for e in errors[:10]:
        print(f"  error: note {e['index']}: {e['error']} at {e['where']}", file=sys.stderr)
    print(f"facts: {result['facts_total']} {dict(by_assertion.most_common())}", file=sys.stderr)
    pp = result["pain_pump"]
    print(f"pain pump: {pp['notes']} notes, {pp['notes_with_device_facts']} with device facts, "
          f"{pp['device_facts']} device facts", file=sys.stderr)
    for p in pain_pump:
        for d in p["device_facts"]:
            print(f"  note {p['index']} ({p['sample_name']}): {d['name']} {d['assertion']} "
                  f"[{d['rule_id']}]", file=sys.stderr)
    print(f"hospice: {len(hospice)} notes, facts {result['hospice']['facts']}", file=sys.stderr)
    warn_if_changed(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
