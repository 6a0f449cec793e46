"""Character error and seconds a page of OCR on fax-like pages (tests/pdf_factory.fax_image).

Command line (from the repo root, /work/main):

    OMP_THREAD_LIMIT=1 .venv/bin/python bench/ocr_eval.py [--reps 1] [--seed 0] [--no-pipeline]
        [--speckle 0.002] [--skew 1.2] [--psm N] [--show-errors] [--out FILE]

Six fictional clinical paragraphs (below) are each rendered as one fax page: 204x98 dpi, a
degree or so of skew (--skew), speckle (--speckle, the fraction of pixels blackened), 1-bit
(fax_image, seed = --seed + page index). Each page is read:

  raw        the fax image exactly as received (204x98 dpi, 1-bit) through pytesseract's default
             settings (automatic page segmentation, no preprocessing)
  stretched  the same, after the stretch to square pixels that ingest does for a 204x98 dpi image
             (isolated._image_pages): separates the aspect-ratio fix from the engine's own steps
  engine-raw the project's engine on the image as received, not stretched (what a fax image that
             carries no dpi tag gets)
  engine     extractors.ingest.ocr.default_engine().recognize on the stretched image: `prepare`
             (grayscale, 3x3 median) and --psm 4 (--psm N measures TesseractEngine(psm=N) instead)
  engine+fix the engine's text through extractors.ingest.ocr_fix.correct
  pipeline   read_bytes("fax.png", ...) on the page saved as PNG at 204x98 dpi: the whole ingest
             path (child interpreter, stretch, engine, fix); its seconds include the child's start

Character error rate (CER) = Levenshtein distance / reference length, both texts with every run of
whitespace made one space and the ends stripped; case and punctuation count. Seconds a page are
wall time of the OCR call (the median of --reps runs). OMP_THREAD_LIMIT is forced to 1, as the
ingest child does. JSON goes to stdout (or --out FILE); a summary table goes to stderr.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

# Fictional patients and clinicians; the wording is clinical on purpose (the vocabulary ocr_fix knows).
PARAGRAPHS = [
    "ONCOLOGY FOLLOW-UP 09/08/2025. Patient is a 63 year old man with stage IV lung adenocarcinoma "
    "and progression of osseous metastases involving T9, L2 and the right iliac wing. Pain is constant, "
    "8/10 at rest and 10/10 with transfers. Expected survival is in the range of 6 to 12 months.",
    "Pain regimen over the past 4 months: oxycodone ER 60 mg PO q12h, oxycodone IR 15 mg q4h prn "
    "(5-6 doses a day), gabapentin 300 mg TID. Each attempt to increase the oxycodone produced more "
    "sedation, and his wife reports two nights of confusion. Further oral escalation is not safe.",
    "PROCEDURE NOTE: intrathecal morphine trial, single injection at L4-5 under fluoroscopy. "
    "Preservative-free morphine 0.25 mg. Baseline NRS 8/10; at 6 hours 2/10, at 24 hours 4/10. "
    "The patient reported about 70% relief of his back pain. Tolerated well, side effects minimal "
    "(transient pruritus only). No respiratory depression; lowest SpO2 93%.",
    "Physical therapy twice weekly from March to June 2025 with a home exercise program, without lasting "
    "benefit. Lumbar epidural steroid injections in 2024 gave two weeks of partial relief. She has "
    "difficulty with bathing, dressing and household chores and walks less than one block.",
    "PSYCHOLOGICAL EVALUATION: mood stable, no suicidal ideation, no history of substance misuse. "
    "Former smoker, quit in 2010. Realistic expectations about the pump. Cleared for intrathecal "
    "therapy from a psychological standpoint. Allergies: penicillin (rash); no known opioid allergy.",
    "PUMP INTERROGATION 10/02/2025: programmable pump implanted 2017, reservoir volume 14 mL, "
    "elective replacement indicator reached; estimated battery life under 90 days. Catheter dye study "
    "shows normal flow. Plan: replace the pump (62362, E0783) before end of battery life.",
]
METHODS = ["raw", "stretched", "engine-raw", "engine", "engine+fix", "pipeline"]


def normalize(text: str) -> str:
    return " ".join(text.split())


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions all cost 1), two rows of the DP table."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def cer(reference: str, hypothesis: str) -> float:
    ref, hyp = normalize(reference), normalize(hypothesis)
    return levenshtein(ref, hyp) / max(len(ref), 1)


def stretch(image: Image.Image) -> Image.Image:
    """What ingest does to an image whose dpi is not square (isolated._image_pages)."""
    dpi = image.info.get("dpi", (0, 0))
    if dpi and dpi[0] and dpi[1] and abs(float(dpi[0]) - float(dpi[1])) > 1:
        return image.resize((image.width, round(image.height * float(dpi[0]) / float(dpi[1]))))
    return image


def page_readers(fax: Image.Image, square: Image.Image, png: bytes, engine: Any) -> dict[str, Callable[[], str]]:
    """One page's OCR calls, by method (engine+fix is the engine's text corrected, timed apart)."""
    import pytesseract

    from extractors.ingest import read_bytes

    return {
        "raw": lambda: str(pytesseract.image_to_string(fax)),
        "stretched": lambda: str(pytesseract.image_to_string(square)),
        "engine-raw": lambda: str(engine.recognize(fax, timeout=60)),
        "engine": lambda: str(engine.recognize(square, timeout=60)),
        "pipeline": lambda: read_bytes("fax.png", png).text,
    }


def timed(call: Callable[[], str], reps: int) -> tuple[str, float]:
    seconds = []
    text = ""
    for _ in range(reps):
        started = time.perf_counter()
        text = call()
        seconds.append(time.perf_counter() - started)
    return text, statistics.median(seconds)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=1, help="timed runs per page and method (median kept)")
    ap.add_argument("--seed", type=int, default=0, help="fax_image seed of the first page")
    ap.add_argument("--speckle", type=float, default=0.002, help="fax_image speckle (default 0.002)")
    ap.add_argument("--skew", type=float, default=1.2, help="fax_image maximum skew in degrees (default 1.2)")
    ap.add_argument("--psm", type=int, help="measure TesseractEngine(psm=N) instead of default_engine()")
    ap.add_argument("--no-pipeline", action="store_true", help="skip the whole-ingest read_bytes method")
    ap.add_argument("--show-errors", action="store_true", help="print each page's engine+fix text to stderr")
    ap.add_argument("--out", type=Path, help="write the JSON here instead of stdout")
    args = ap.parse_args(argv)
    # Tesseract (started per call) reads it: its own threads fight over 2 cores, as in the ingest child.
    os.environ["OMP_THREAD_LIMIT"] = "1"

    import pytesseract

    from extractors.ingest.ocr import TesseractEngine, default_engine
    from extractors.ingest.ocr_fix import correct
    from tests.pdf_factory import fax_image

    engine = TesseractEngine(psm=args.psm) if args.psm is not None else default_engine()
    if not engine.available():
        print("tesseract is not installed (Debian package tesseract-ocr)", file=sys.stderr)
        return 2
    # The pipeline always uses default_engine(): measure it only when that is the engine measured.
    skip_pipeline = args.no_pipeline or args.psm is not None
    methods = [m for m in METHODS if not (skip_pipeline and m == "pipeline")]
    pages: list[dict[str, Any]] = []
    for index, reference in enumerate(PARAGRAPHS):
        fax = fax_image(reference, seed=args.seed + index, skew=args.skew, speckle=args.speckle)
        square = stretch(fax)
        buffer = io.BytesIO()
        fax.save(buffer, format="PNG", dpi=fax.info["dpi"])
        png = buffer.getvalue()
        readers = page_readers(fax, square, png, engine)
        texts: dict[str, str] = {}
        seconds: dict[str, float] = {}
        for method in ("raw", "stretched", "engine-raw", "engine"):
            texts[method], seconds[method] = timed(readers[method], args.reps)
        started = time.perf_counter()
        texts["engine+fix"] = correct(texts["engine"])
        seconds["engine+fix"] = seconds["engine"] + time.perf_counter() - started
        if "pipeline" in methods:
            texts["pipeline"], seconds["pipeline"] = timed(readers["pipeline"], args.reps)
        page_cer = {m: round(cer(reference, texts[m]), 4) for m in methods}
        page_seconds = {m: round(seconds[m], 3) for m in methods}
        pages.append({"page": index + 1, "reference_chars": len(normalize(reference)),
                      "cer": page_cer, "seconds": page_seconds})
        print(f"page {index + 1}: " + "  ".join(f"{m} {page_cer[m]:.3f}/{page_seconds[m]:.2f}s"
                                               for m in methods), file=sys.stderr)
        if args.show_errors:
            print(f"  engine+fix: {normalize(texts['engine+fix'])}", file=sys.stderr)

    summary = {m: {"median_cer": round(statistics.median(p["cer"][m] for p in pages), 4),
                   "mean_cer": round(statistics.fmean(p["cer"][m] for p in pages), 4),
                   "max_cer": round(max(p["cer"][m] for p in pages), 4),
                   "median_seconds_per_page": round(statistics.median(p["seconds"][m] for p in pages), 3)}
               for m in methods}
    result = {
        "bench": "ocr_eval",
        "pages": len(pages),
        "reps": args.reps,
        "seed": args.seed,
        "speckle": args.speckle,
        "skew": args.skew,
        "tesseract": str(pytesseract.get_tesseract_version()),
        "engine_config": getattr(engine, "config", None),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "omp_thread_limit": os.environ["OMP_THREAD_LIMIT"],
        "summary": summary,
        "per_page": pages,
    }
    text = json.dumps(result, indent=2)
    if args.out:
        args.out.write_text(text + "\n")
    else:
        print(text)
    print(f"\n{'method':<11} {'median CER':>10} {'mean CER':>9} {'max CER':>8} {'s/page':>7}", file=sys.stderr)
    for m in methods:
        s = summary[m]
        print(f"{m:<11} {s['median_cer']:>10.3f} {s['mean_cer']:>9.3f} {s['max_cer']:>8.3f} "
              f"{s['median_seconds_per_page']:>7.2f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
