"""Batch review throughput (issue 13): 1 local process vs 2 local processes vs Ray, in one run.

The fixture cases are repeated to at least --reviews reviews (a JSONL manifest), and each engine
reviews all of them through `chart_review.batch.run_batch`, the code `chart-review batch` runs.
Each figure is reviews per second over the whole run, pipeline start-up included; the ratios
are against the single process measured in the same run, so machine speed cancels out.

    .venv/bin/python bench/batch_throughput.py --reviews 505 --out bench/results/batch.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import REPO, emit, project_snapshot  # noqa: E402
from chart_review.batch import run_batch  # noqa: E402


def manifest(reviews: int, folder: Path) -> Path:
    cases = sorted(p.parent for p in (REPO / "fixtures" / "cases").glob("*/request.json"))
    path = folder / "manifest.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for i in range(reviews):
            case = cases[i % len(cases)]
            docs = case / "documents" if (case / "documents").is_dir() else case
            out.write(json.dumps({"id": f"{case.name}#{i}", "request": str(case / "request.json"),
                                  "documents": sorted(str(p) for p in docs.iterdir()
                                                      if p.suffix in (".txt", ".pdf"))}) + "\n")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=505)
    parser.add_argument("--engines", default="local:1,local:2,ray:2",
                        help="engine:processes, comma-separated; the first is the baseline")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        source = manifest(args.reviews, Path(tmp))
        for spec in args.engines.split(","):
            engine, processes = spec.split(":")
            out = Path(tmp) / f"{engine}-{processes}.jsonl"
            summary = run_batch(source, out, engine, int(processes))  # type: ignore[arg-type]
            rate = summary.reviewed / summary.seconds
            runs.append({"engine": engine, "processes": int(processes), "reviews": summary.reviewed,
                         "errors": summary.errors, "seconds": round(summary.seconds, 2),
                         "reviews_per_second": round(rate, 2)})
            print(f"{engine} x{processes}: {summary.reviewed} reviews in {summary.seconds:.1f} s, {rate:.2f}/s",
                  file=sys.stderr)
    base = runs[0]["reviews_per_second"]
    for run in runs:
        run["speedup"] = round(run["reviews_per_second"] / base, 2)
    result = {"cores": os.cpu_count(), "reviews": args.reviews, "runs": runs, "project": project_snapshot()}
    emit(result, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
