"""How fast ChartExtractor is on a ~3,000-word note, relative to bare spaCy tokenization.

Command line (from the repo root, /work/main):

    .venv/bin/python bench/extract_speed.py [--csv ../shared/external/mtsamples/mtsamples.csv]
        [--words 3000] [--reps 20] [--warmup 2] [--date YYYY-MM-DD] [--profile 15] [--out FILE]

The note is built by concatenating MTSamples transcriptions from the Pain Management,
Neurology and Hematology - Oncology specialties (file order) until it has >= --words words.

Machines are shared and noisy, so nothing here is an absolute pass/fail: each repetition
times (a) `spacy.blank("en").make_doc(text)` and (b) `extractor.extract([Document...], date)`
back to back, and the result is the ratio of their medians (target: extraction within 3.5x of
tokenization). Each repetition also times every component of `extractor.nlp.pipeline` on a
fresh doc, and the nlp call inside extraction (so fact assembly = extraction - nlp call).

Results go to stdout as JSON (or to --out FILE); a short summary goes to stderr.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import json
import platform
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CSV = REPO.parent / "shared" / "external" / "mtsamples" / "mtsamples.csv"
SPECIALTIES = ("Pain Management", "Neurology", "Hematology - Oncology")
TARGET_RATIO = 3.5

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import project_snapshot, warn_if_changed  # noqa: E402


def maxrss_mib() -> float:
    """Peak resident set size of this process so far (ru_maxrss is KiB on Linux)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if sys.platform == "darwin":  # bytes there
        rss /= 1024
    return round(rss / 1024, 1)


def build_note(csv_path: Path, min_words: int) -> tuple[str, list[dict[str, str]]]:
    parts: list[str] = []
    used: list[dict[str, str]] = []
    words = 0
    with csv_path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["medical_specialty"].strip() not in SPECIALTIES:
                continue
            text = (row.get("transcription") or "").strip()
            if not text:
                continue
            parts.append(text)
            used.append({"index": row[""].strip(), "specialty": row["medical_specialty"].strip(),
                         "sample_name": row["sample_name"].strip()})
            words += len(text.split())
            if words >= min_words:
                break
    if words < min_words:
        raise SystemExit(f"only {words} words available from {SPECIALTIES}")
    return "\n\n".join(parts), used


def unseen_notes(csv_path: Path, min_words: int, count: int, skip: set[str]) -> list[str]:
    """`count` more notes of >= `min_words` words each, from transcriptions of any specialty not
    in `skip` (the main note's), each used once: text neither tokenizer has seen before."""
    notes: list[str] = []
    parts: list[str] = []
    words = 0
    if count <= 0:
        return notes
    with csv_path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            text = (row.get("transcription") or "").strip()
            if not text or row[""].strip() in skip:
                continue
            parts.append(text)
            words += len(text.split())
            if words >= min_words:
                notes.append("\n\n".join(parts))
                parts, words = [], 0
                if len(notes) == count:
                    break
    return notes


class TimedNLP:
    """Stands in for extractor.nlp and records how long each call of it takes."""

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp
        self.last = 0.0

    def __call__(self, text: str) -> Any:
        t0 = time.perf_counter()
        doc = self.nlp(text)
        self.last = time.perf_counter() - t0
        return doc

    def __getattr__(self, name: str) -> Any:
        return getattr(self.nlp, name)


def summary(values: list[float]) -> dict[str, float]:
    ms = sorted(v * 1000 for v in values)
    return {
        "median_ms": round(statistics.median(ms), 3),
        "min_ms": round(ms[0], 3),
        "max_ms": round(ms[-1], 3),
        "mean_ms": round(statistics.fmean(ms), 3),
    }


def run_profile(extractor: Any, document_cls: Any, text: str, date: dt.date,
                top: int) -> list[dict[str, Any]]:
    """One extraction under cProfile: where the time goes, function by function."""
    import cProfile
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    extractor.extract([document_cls.from_text("note.txt", text)], date)
    prof.disable()
    stats = pstats.Stats(prof)
    rows = []
    for (filename, line, func), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        short = "/".join(Path(filename).parts[-2:]) if filename != "~" else "~"
        rows.append({"function": f"{short}:{line}({func})", "calls": ncalls,
                     "tottime_ms": round(tottime * 1000, 2), "cumtime_ms": round(cumtime * 1000, 2)})
    rows.sort(key=lambda r: r["tottime_ms"], reverse=True)
    return rows[:top]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", type=Path, default=DEFAULT_CSV, help="mtsamples.csv")
    ap.add_argument("--words", type=int, default=3000, help="minimum words in the note")
    ap.add_argument("--reps", type=int, default=20, help="measured repetitions")
    ap.add_argument("--warmup", type=int, default=2, help="unmeasured repetitions first")
    ap.add_argument("--date", type=dt.date.fromisoformat, default=dt.date.today(),
                    help="service date passed to extract (default today)")
    ap.add_argument("--out", type=Path, help="write the JSON here instead of stdout")
    ap.add_argument("--unseen", type=int, default=12, metavar="K",
                    help="also time K notes of the same size built from other transcriptions, each "
                         "once (the first only warms up): the cost on text no cache has seen")
    ap.add_argument("--profile", type=int, default=15, metavar="N",
                    help="after timing, cProfile one extraction and report the top N functions "
                         "by internal time (0: skip)")
    args = ap.parse_args(argv)
    snapshot_start = project_snapshot()

    rss_start = maxrss_mib()
    t0 = time.perf_counter()
    import spacy

    from extractors.documents import Document
    from extractors.pipeline import ChartExtractor
    import_s = time.perf_counter() - t0
    rss_imports = maxrss_mib()

    text, used = build_note(args.csv, args.words)
    words = len(text.split())

    t0 = time.perf_counter()
    extractor = ChartExtractor()
    build_s = time.perf_counter() - t0
    rss_built = maxrss_mib()

    timed = TimedNLP(extractor.nlp)
    extractor.nlp = timed  # type: ignore[assignment]
    nlp = timed.nlp
    blank = spacy.blank("en")
    names = [name for name, _ in nlp.pipeline]

    tok_t: list[float] = []
    ext_t: list[float] = []
    nlp_in_ext_t: list[float] = []
    post_t: list[float] = []
    full_nlp_t: list[float] = []
    comp_t: dict[str, list[float]] = {"tokenizer (make_doc)": []} | {n: [] for n in names}
    n_facts = 0
    n_tokens = 0
    n_targets = 0

    first_call_s = None
    for rep in range(args.warmup + args.reps):
        measured = rep >= args.warmup
        gc.collect()
        # (a) tokenization only
        t0 = time.perf_counter()
        doc = blank.make_doc(text)
        ta = time.perf_counter() - t0
        n_tokens = len(doc)
        gc.collect()
        # (b) full extraction
        t0 = time.perf_counter()
        facts = extractor.extract([Document.from_text("note.txt", text)], args.date)
        tb = time.perf_counter() - t0
        n_facts = len(facts)
        if first_call_s is None:
            first_call_s = tb
        gc.collect()
        # (c) the extractor's pipeline, one component at a time
        parts: dict[str, float] = {}
        t0 = time.perf_counter()
        doc = nlp.make_doc(text)
        parts["tokenizer (make_doc)"] = time.perf_counter() - t0
        for name, proc in nlp.pipeline:
            t1 = time.perf_counter()
            doc = proc(doc)
            parts[name] = time.perf_counter() - t1
        n_targets = len(doc.spans["targets"]) if "targets" in doc.spans else 0
        if measured:
            tok_t.append(ta)
            ext_t.append(tb)
            nlp_in_ext_t.append(timed.last)
            post_t.append(tb - timed.last)
            full_nlp_t.append(sum(parts.values()))
            for k, v in parts.items():
                comp_t[k].append(v)
        print(f"\rrep {rep + 1}/{args.warmup + args.reps}{'' if measured else ' (warm-up)'}  "
              f"tok {ta * 1000:.1f} ms  extract {tb * 1000:.1f} ms", end="", file=sys.stderr)
    print(file=sys.stderr)

    # Unseen text: spaCy's tokenizer caches the runs it has split, and the extractor remembers
    # them too (extractors/tokenizer.py), so one note timed again and again flatters both. Each
    # of these notes is read once, after the others.
    unseen_tok: list[float] = []
    unseen_ext: list[float] = []
    for k, other in enumerate(unseen_notes(args.csv, args.words, args.unseen,
                                           {u["index"] for u in used})):
        gc.collect()
        t0 = time.perf_counter()
        blank.make_doc(other)
        ta = time.perf_counter() - t0
        gc.collect()
        t0 = time.perf_counter()
        extractor.extract([Document.from_text("note.txt", other)], args.date)
        tb = time.perf_counter() - t0
        if k:
            unseen_tok.append(ta)
            unseen_ext.append(tb)
    unseen_ratios = [e / t for e, t in zip(unseen_ext, unseen_tok, strict=True)]

    profile = run_profile(extractor, Document, text, args.date, args.profile) if args.profile else []

    tok_med = statistics.median(tok_t)
    ext_med = statistics.median(ext_t)
    ratio = ext_med / tok_med
    per_rep_ratios = [e / t for e, t in zip(ext_t, tok_t, strict=True)]
    comp_med = {k: statistics.median(v) for k, v in comp_t.items()}
    comp_total = sum(comp_med.values())
    post_med = statistics.median(post_t)

    result: dict[str, Any] = {
        "project": snapshot_start | {
            "changed_during_run": project_snapshot() != snapshot_start},
        "note": {"words": words, "chars": len(text), "tokens": n_tokens,
                 "source_notes": len(used), "sources": used},
        "setup": {"import_s": round(import_s, 3), "build_s": round(build_s, 3),
                  "reps": args.reps, "warmup": args.warmup, "service_date": args.date.isoformat(),
                  "python": platform.python_version(), "spacy": spacy.__version__,
                  "machine": platform.machine()},
        "tokenization": summary(tok_t),
        "extraction": summary(ext_t),
        "ratio_extraction_over_tokenization": {
            "median_ratio": round(ratio, 2),
            "per_rep_ratio_median": round(statistics.median(per_rep_ratios), 2),
            "per_rep_ratio_min": round(min(per_rep_ratios), 2),
            "per_rep_ratio_max": round(max(per_rep_ratios), 2),
            "target": TARGET_RATIO,
            "within_target": ratio <= TARGET_RATIO,
        },
        "unseen_notes": {
            "notes": len(unseen_ratios),
            "tokenization": summary(unseen_tok) if unseen_tok else None,
            "extraction": summary(unseen_ext) if unseen_ext else None,
            "median_ratio": round(statistics.median(unseen_ratios), 2) if unseen_ratios else None,
            "ratio_of_medians": round(statistics.median(unseen_ext) / statistics.median(unseen_tok), 2)
            if unseen_ratios else None,
        },
        "words_per_second": round(words / ext_med, 1),
        "tokenization_words_per_second": round(words / tok_med, 1),
        "first_extraction_ms (cold, warm-up)": round((first_call_s or 0) * 1000, 3),
        "facts_found": n_facts,
        "target_spans": n_targets,
        "breakdown": {
            "nlp_call_inside_extraction": summary(nlp_in_ext_t),
            "fact_assembly (extraction - nlp call)": summary(post_t),
            "components_on_fresh_doc": {
                k: summary(v) | {"share_of_extraction": round(comp_med[k] / ext_med, 3),
                                 "x_tokenization": round(comp_med[k] / tok_med, 2)}
                for k, v in comp_t.items()
            },
            "components_sum_median_ms": round(comp_total * 1000, 3),
            "fact_assembly_share_of_extraction": round(post_med / ext_med, 3),
        },
        "profile_top_by_tottime": profile,
        "peak_memory_mib": {"at_start": rss_start, "after_imports": rss_imports,
                            "after_build": rss_built, "at_end": maxrss_mib(),
                            "source": "resource.getrusage(RUSAGE_SELF).ru_maxrss"},
    }

    out = json.dumps(result, indent=2)
    if args.out:
        args.out.write_text(out + "\n", encoding="utf-8")
    else:
        print(out)

    print(f"note: {words} words, {n_tokens} tokens, {len(used)} MTSamples notes; "
          f"build {build_s:.2f} s; {n_facts} facts", file=sys.stderr)
    print(f"tokenization median {tok_med * 1000:.1f} ms; extraction median {ext_med * 1000:.1f} ms"
          f" -> ratio {ratio:.2f}x (target <= {TARGET_RATIO:g}x: "
          f"{'within' if ratio <= TARGET_RATIO else 'OVER'}); {words / ext_med:,.0f} words/s",
          file=sys.stderr)
    if unseen_ratios:
        print(f"unseen notes ({len(unseen_ratios)}, each read once): median ratio "
              f"{statistics.median(unseen_ratios):.2f}x", file=sys.stderr)
    for k in comp_t:
        print(f"  {k:28s} {comp_med[k] * 1000:8.1f} ms  ({comp_med[k] / ext_med:5.1%})",
              file=sys.stderr)
    print(f"  {'fact assembly':28s} {post_med * 1000:8.1f} ms  ({post_med / ext_med:5.1%})",
          file=sys.stderr)
    print(f"peak RSS {maxrss_mib()} MiB (after build {rss_built} MiB)", file=sys.stderr)
    warn_if_changed(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
