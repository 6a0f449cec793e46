"""How extraction cost grows with chart size (issue 13): extraction / tokenization at each size.

    .venv/bin/python bench/extract_scaling.py --words 1000,3000,10000,30000,100000 --out FILE

Each chart is MTSamples transcriptions joined in file order (all specialties) until it has the
words asked for, read as one document, as a long fax packet is. At each size, tokenization by a
blank spaCy pipeline and a full extraction are timed back to back, several times (fewer for the
large sizes), and the ratio of their medians is the figure: a flat ratio is linear cost. Also
reports the pipeline's start-up (building it) against one extraction of a 3,000-word chart, and
with --profile, the functions that take the most time at the largest size.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench._common import emit, project_snapshot  # noqa: E402

DEFAULT_CSV = REPO.parent / "shared" / "external" / "mtsamples" / "mtsamples.csv"


def chart(csv_path: Path, words: int, specialties: set[str] | None = None) -> str:
    parts, count = [], 0
    with csv_path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if specialties and row["medical_specialty"].strip() not in specialties:
                continue
            text = (row.get("transcription") or "").strip()
            if text:
                parts.append(text)
                count += len(text.split())
                if count >= words:
                    break
    return "\n\n".join(parts)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    ap.add_argument("--words", default="1000,3000,10000,30000,100000")
    ap.add_argument("--budget", type=float, default=20.0, help="seconds of extraction to spend per size")
    ap.add_argument("--profile", type=int, default=0, metavar="N", help="top N functions at the largest size")
    ap.add_argument("--specialties", default="",
                    help="only these MTSamples specialties, comma-separated (default: all); bench/extract_speed.py "
                         "uses 'Pain Management,Neurology,Hematology - Oncology'")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    only = {s.strip() for s in args.specialties.split(",") if s.strip()} or None

    import spacy

    from extractors.documents import Document
    from extractors.pipeline import ChartExtractor

    t0 = time.perf_counter()
    extractor = ChartExtractor()
    build_s = time.perf_counter() - t0
    blank = spacy.blank("en")
    date = dt.date(2025, 1, 15)
    sizes: list[dict[str, Any]] = []
    for words in (int(w) for w in args.words.split(",")):
        text = chart(args.csv, words, only)
        document = Document.from_text("packet.txt", text)
        extractor.extract([document], date)  # warm-up
        tok, ext = [], []
        spent = 0.0
        while spent < args.budget or len(ext) < 3:
            gc.collect()
            t0 = time.perf_counter()
            blank.make_doc(text)
            tok.append(time.perf_counter() - t0)
            gc.collect()
            t0 = time.perf_counter()
            extractor.extract([document], date)
            ext.append(time.perf_counter() - t0)
            spent += ext[-1]
            if len(ext) >= 30:
                break
        ratio = statistics.median(ext) / statistics.median(tok)
        size = {"words": len(text.split()), "reps": len(ext), "tokenize_ms": round(statistics.median(tok) * 1000, 2),
                "extract_ms": round(statistics.median(ext) * 1000, 1), "ratio": round(ratio, 2)}
        sizes.append(size)
        print(f"{size['words']:>7} words: extraction {size['extract_ms']:>8.1f} ms = {ratio:.2f}x tokenization "
              f"({len(ext)} reps)", file=sys.stderr)
    result: dict[str, Any] = {"build_pipeline_s": round(build_s, 2), "specialties": sorted(only or []),
                              "sizes": sizes, "project": project_snapshot()}
    if args.profile:
        import cProfile
        import pstats

        text = chart(args.csv, max(int(w) for w in args.words.split(",")), only)
        profile = cProfile.Profile()
        profile.enable()
        extractor.extract([Document.from_text("packet.txt", text)], date)
        profile.disable()
        stats = pstats.Stats(profile)
        rows = sorted(((v[2], f"{Path(k[0]).name}:{k[1]}({k[2]})") for k, v in stats.stats.items()),  # type: ignore[attr-defined]
                      reverse=True)[:args.profile]
        result["profile_top_tottime_ms"] = [{"function": name, "ms": round(t * 1000, 1)} for t, name in rows]
    emit(result, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
