"""Measure classify_assertion on the NegEx and ConText annotation sets (Chapman et al.).

Command line (from the repo root, /work/main):

    .venv/bin/python bench/assertion_eval.py
        [--negex ../shared/external/negex/negex_annotations.tsv]
        [--context ../shared/external/negex/context_annotations.tsv]
        [--errors /tmp/assertion_errors.txt] [--max-errors 25] [--out FILE]

For every (sentence, concept) pair the concept span is located in the sentence (the concept is
upper-cased there): a case-insensitive search for the concept's words with any run of
whitespace between them, preferring an occurrence written in upper case. Pairs that cannot be
located, or on which classify_assertion raises, are counted and reported, not fatal.

NegEx set: predicted negated iff result.negated; TP/FP/FN/TN, sensitivity, specificity, PPV,
NPV, F1 against the published NegEx figures. ConText set: negation again; temporality
Historical vs not (result.historical); Hypothetical vs not (result.hypothetical; the file has
no Hypothetical label, so 'Not particular' vs not is reported as well); experiencer
not-Patient vs Patient (result.family). The first --max-errors false negatives and false
positives of negation on the NegEx set go to --errors (concept, sentence, the modifiers seen).

JSON results go to stdout (or --out FILE); a short summary goes to stderr.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
EXTERNAL = REPO.parent / "shared" / "external" / "negex"
PUBLISHED_NEGEX = {"sensitivity": 0.778, "specificity": 0.945, "ppv": 0.845}

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import project_snapshot, warn_if_changed  # noqa: E402


def read_tsv(path: Path) -> tuple[list[str], list[list[str]]]:
    """Tab-separated, CRLF or LF, some fields quoted: the csv module handles all three."""
    with path.open(newline="", encoding="utf-8") as fh:
        rows = [row for row in csv.reader(fh, delimiter="\t") if row]
    return rows[0], rows[1:]


def locate(sentence: str, concept: str) -> tuple[int, int, str] | None:
    """The concept's span in the sentence, and how it was found ('upper', 'first', None)."""
    words = concept.split()
    if not words:
        return None
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words), re.I)
    matches = list(pattern.finditer(sentence))
    if not matches:
        return None
    for m in matches:
        if m.group(0) == m.group(0).upper() and any(c.isalpha() for c in m.group(0)):
            return m.start(), m.end(), "upper" if len(matches) == 1 else "upper_of_several"
    m = matches[0]
    return m.start(), m.end(), "first_of_several" if len(matches) > 1 else "only_not_upper"


def metrics(tp: int, fp: int, fn: int, tn: int) -> dict[str, Any]:
    def div(a: float, b: float) -> float | None:
        return round(a / b, 4) if b else None

    sens, ppv = div(tp, tp + fn), div(tp, tp + fp)
    f1 = round(2 * sens * ppv / (sens + ppv), 4) if sens and ppv else (0.0 if tp == 0 and
                                                                          (fp or fn) else None)
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "n": tp + fp + fn + tn,
            "sensitivity": sens, "recall": sens, "specificity": div(tn, tn + fp),
            "ppv": ppv, "precision": ppv, "npv": div(tn, tn + fn), "f1": f1,
            "accuracy": div(tp + tn, tp + fp + fn + tn)}


def confusion(pairs: list[tuple[bool, bool]]) -> dict[str, Any]:
    """pairs of (gold positive, predicted positive)."""
    tp = sum(1 for g, p in pairs if g and p)
    fp = sum(1 for g, p in pairs if not g and p)
    fn = sum(1 for g, p in pairs if g and not p)
    tn = sum(1 for g, p in pairs if not g and not p)
    return metrics(tp, fp, fn, tn)


def classify_all(rows: list[list[str]], concept_col: int, sentence_col: int,
                 ) -> tuple[list[tuple[list[str], Any, tuple[int, int]]], dict[str, Any]]:
    """classify_assertion on every locatable pair; what could not be located or failed."""
    from extractors.assertion import classify_assertion

    done: list[tuple[list[str], Any, tuple[int, int]]] = []
    unlocated: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    how: Counter[str] = Counter()
    for n, row in enumerate(rows, start=2):
        concept, sentence = row[concept_col], row[sentence_col]
        found = locate(sentence, concept)
        if found is None:
            unlocated.append({"line": n, "concept": concept[:80]})
            continue
        start, end, way = found
        how[way] += 1
        try:
            result = classify_assertion(sentence, start, end)
        except Exception as exc:  # noqa: BLE001 - counted, never fatal
            failed.append({"line": n, "concept": concept[:80], "error": type(exc).__name__})
            continue
        done.append((row, result, (start, end)))
    report = {"pairs": len(rows), "classified": len(done),
              "unlocated": {"count": len(unlocated), "items": unlocated},
              "classify_failed": {"count": len(failed), "items": failed},
              "located_how": dict(how.most_common())}
    return done, report


def modifiers_text(result: Any) -> str:
    return ", ".join(f"{m.category}:'{m.text}'" for m in result.modifiers) or "-"


def write_errors(path: Path, done: list[tuple[list[str], Any, tuple[int, int]]],
                 limit: int) -> dict[str, int]:
    fns = [(row, res, span) for row, res, span in done
           if row[3] == "Negated" and not res.negated]
    fps = [(row, res, span) for row, res, span in done
           if row[3] != "Negated" and res.negated]
    with path.open("w", encoding="utf-8") as fh:
        fh.write("# classify_assertion negation errors on the NegEx set "
                 f"(first {limit} of each; {len(fns)} FN, {len(fps)} FP in all)\n")
        fh.write("# The concept is marked [[like this]] in the sentence; modifiers are what "
                 "ConText attached.\n")
        for title, items in (("FALSE NEGATIVES (gold Negated, predicted not negated)", fns),
                             ("FALSE POSITIVES (gold Affirmed, predicted negated)", fps)):
            fh.write(f"\n## {title}: {len(items)}\n")
            for row, res, (s, e) in items[:limit]:
                sent = " ".join(row[2].split())
                marked = " ".join((row[2][:s] + "[[" + row[2][s:e] + "]]" + row[2][e:]).split())
                fh.write(f"\n- report {row[0]} | concept: {' '.join(row[1].split())} | "
                         f"assertion: {res.assertion} | modifiers: {modifiers_text(res)}\n")
                fh.write(f"  {marked if len(marked) < 2000 else sent[:2000]}\n")
    return {"false_negatives": len(fns), "false_positives": len(fps)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--negex", type=Path, default=EXTERNAL / "negex_annotations.tsv")
    ap.add_argument("--context", type=Path, default=EXTERNAL / "context_annotations.tsv")
    ap.add_argument("--errors", type=Path, default=Path("/tmp/assertion_errors.txt"),
                    help="where the negation errors go")
    ap.add_argument("--max-errors", type=int, default=25, help="FNs and FPs written, each")
    ap.add_argument("--out", type=Path, help="write the JSON here instead of stdout")
    args = ap.parse_args(argv)
    snapshot_start = project_snapshot()

    t0 = time.perf_counter()
    result: dict[str, Any] = {}
    result["project"] = snapshot_start

    # --- NegEx set: Report No, Concept, Sentence, Negation ---
    header, rows = read_tsv(args.negex)
    done, report = classify_all(rows, 1, 2)
    negation = confusion([(row[3] == "Negated", res.negated) for row, res, _ in done])
    published = {k: {"published": v, "ours": negation[k],
                     "difference": round(negation[k] - v, 4) if negation[k] is not None else None}
                 for k, v in PUBLISHED_NEGEX.items()}
    error_counts = write_errors(args.errors, done, args.max_errors)
    fp_cues = Counter(m.text.lower() for row, res, _ in done if row[3] != "Negated" and res.negated
                      for m in res.modifiers if m.category == "NEGATED_EXISTENCE")
    result["negex"] = {
        "file": str(args.negex), "header": header, **report,
        "gold": dict(Counter(r[3] for r in rows)),
        "negation": negation, "vs_published_negex": published,
        "errors_file": str(args.errors), **error_counts,
        "false_positive_negation_cues": dict(fp_cues.most_common(20)),
        "predicted_assertion": dict(Counter(str(res.assertion) for _, res, _ in done)),
    }
    nx_seconds = time.perf_counter() - t0

    # --- ConText set: line number, Condition, sentence, negation, temporality, experiencer ---
    header, rows = read_tsv(args.context)
    done, report = classify_all(rows, 1, 2)
    gold_temp = Counter(r[4] for r in rows)
    gold_exp = Counter(r[5] for r in rows)
    hypo = confusion([(row[4] == "Hypothetical", res.hypothetical) for row, res, _ in done])
    result["context"] = {
        "file": str(args.context), "header": header, **report,
        "gold": {"negation": dict(Counter(r[3] for r in rows)), "temporality": dict(gold_temp),
                 "experiencer": dict(gold_exp)},
        "negation": confusion([(row[3] == "Negated", res.negated) for row, res, _ in done]),
        "historical": confusion([(row[4] == "Historical", res.historical) for row, res, _ in done]),
        "hypothetical": hypo | ({"note": "no pair is annotated Hypothetical in this file "
                                         "(temporality values: " + ", ".join(gold_temp) +
                                         "); every predicted hypothetical counts as a FP"}
                                if not gold_temp.get("Hypothetical") else {}),
        "hypothetical_vs_not_particular": confusion(
            [(row[4] == "Not particular", res.hypothetical) for row, res, _ in done]) | {
            "definition": "secondary reading, since the file has no 'Hypothetical' label: gold "
                          "positive = temporality 'Not particular'; predicted = result.hypothetical"},
        "hypothetical_by_gold_temporality": {
            t: sum(1 for row, res, _ in done if row[4] == t and res.hypothetical) for t in gold_temp},
        "experiencer_other": confusion([(row[5] != "Patient", res.family)
                                        for row, res, _ in done]) | {
            "definition": "gold positive = experiencer is not 'Patient' "
                          "('Family member' or 'Other'); predicted = result.family"},
        "family_predicted_by_gold_experiencer": {
            e: sum(1 for row, res, _ in done if row[5] == e and res.family) for e in gold_exp},
        "predicted_assertion": dict(Counter(str(res.assertion) for _, res, _ in done)),
    }
    end = project_snapshot()
    result["project"]["changed_during_run"] = end != snapshot_start
    result["seconds"] = {"negex": round(nx_seconds, 2),
                         "total": round(time.perf_counter() - t0, 2)}

    out = json.dumps(result, indent=2)
    if args.out:
        args.out.write_text(out + "\n", encoding="utf-8")
    else:
        print(out)

    def line(name: str, m: dict[str, Any]) -> str:
        def pct(x: float | None) -> str:
            return "n/a" if x is None else f"{x:.1%}"
        return (f"  {name:30s} TP {m['tp']:4d} FP {m['fp']:4d} FN {m['fn']:4d} TN {m['tn']:4d}  "
                f"sens/recall {pct(m['sensitivity'])}  spec {pct(m['specificity'])}  "
                f"PPV/prec {pct(m['ppv'])}  NPV {pct(m['npv'])}  F1 {pct(m['f1'])}")

    nx, cx = result["negex"], result["context"]
    print(f"NegEx set: {nx['classified']}/{nx['pairs']} pairs classified "
          f"({nx['unlocated']['count']} not located, {nx['classify_failed']['count']} failed)",
          file=sys.stderr)
    print(line("negation", nx["negation"]), file=sys.stderr)
    print("  published NegEx: sensitivity 77.8%, specificity 94.5%, PPV 84.5%", file=sys.stderr)
    print(f"ConText set: {cx['classified']}/{cx['pairs']} pairs classified "
          f"({cx['unlocated']['count']} not located, {cx['classify_failed']['count']} failed)",
          file=sys.stderr)
    for key in ("negation", "historical", "hypothetical", "hypothetical_vs_not_particular",
                "experiencer_other"):
        print(line(key, cx[key]), file=sys.stderr)
    print(f"errors: {nx['false_negatives']} FN, {nx['false_positives']} FP of negation; first "
          f"{args.max_errors} of each in {args.errors}", file=sys.stderr)
    warn_if_changed(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
