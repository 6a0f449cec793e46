"""Check annotated cases: every gold quote verbatim in its case's documents, every criterion id
a contract id, and which criteria the set covers which ways."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from chart_review.evaluate import occurrences
from chart_review.review import case_files, default_guideline
from extractors.ingest import read_document
from rules.guideline import Guideline

ALWAYS_MET_BY_REQUEST = ("trial_request",)


def _leaves(guideline: Guideline) -> list[str]:
    return [node.id for node in guideline.nodes() if node.logic == "leaf"]


def check_cases(root: Path) -> dict[str, Any]:
    """Problems (quotes not found, unknown ids, unreadable cases) and coverage counts."""
    guideline = default_guideline()
    known = {node.id for node in guideline.nodes()}
    exclusions = {node.id for node in guideline.exclusions.walk() if node.logic == "leaf"}
    problems: list[str] = []
    ocr_misses: list[str] = []
    statuses: dict[str, Counter[str]] = defaultdict(Counter)
    distractors: Counter[str] = Counter()
    combos: Counter[str] = Counter()
    determinations: Counter[str] = Counter()
    cases = sorted(p.parent for p in root.glob("*/expected.json"))
    for case in cases:
        try:
            gold = json.loads((case / "expected.json").read_text(encoding="utf-8"))
            _, files = case_files(case)
            documents = [read_document(path) for path in files]
        except (OSError, ValueError) as exc:
            problems.append(f"{case.name}: unreadable: {exc}")
            continue
        scanned = any(doc.ocr_pages for doc in documents)
        determinations[gold.get("determination", "?")] += 1
        combos[f"{gold.get('pathway')} x {gold.get('request_type')}"] += 1
        for cid, label in gold.get("criteria", {}).items():
            if cid not in known:
                problems.append(f"{case.name}: {cid} is not a criterion of the guideline")
                continue
            statuses[cid][label.get("status", "?")] += 1
            for quote in label.get("evidence", []):
                if next(occurrences(quote, documents), None) is not None:
                    continue
                # OCR text cannot be expected to hold a quote letter for letter.
                (ocr_misses if scanned else problems).append(
                    f"{case.name}: {cid}: quote not found verbatim: {quote!r}")
        for cid in gold.get("distractors", {}):
            distractors[cid] += 1
            if gold.get("criteria", {}).get(cid, {}).get("status") != "not_met":
                problems.append(f"{case.name}: distractor {cid} must also be a not_met criterion")
    uncovered = []
    for leaf in _leaves(guideline):
        seen = statuses.get(leaf, Counter())
        met, other = seen["met"], seen["not_met"] + seen["unknown"]
        if leaf in exclusions:
            if not met or not distractors[leaf]:
                uncovered.append(f"{leaf}: present {met}, distractor {distractors[leaf]}")
        elif not met and not leaf.endswith(ALWAYS_MET_BY_REQUEST) or not other:
            uncovered.append(f"{leaf}: met {met}, not met or unknown {other}")
    return {
        "cases": len(cases),
        "problems": problems,
        "quotes_not_in_ocr_text": ocr_misses,
        "uncovered": uncovered,
        "determinations": dict(determinations),
        "pathway_x_request_type": dict(sorted(combos.items())),
        "leaves": {leaf: dict(statuses.get(leaf, {})) for leaf in _leaves(guideline)},
        "distractors": dict(distractors),
    }
