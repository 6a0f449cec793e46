"""Score decisions against annotated cases (CONTRACT.md sections 4 and 5).

Keeps counts and the failing cases, not only rates (after nervaluate), so a report says which
case misses which criterion and why.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import ModuleType
from typing import Any

from chart_review.contract import CriterionResult, Decision, Determination
from chart_review.errors import ChartReviewError, E
from chart_review.review import case_files, default_guideline, load_request, review_assisted
from extractors.documents import Document
from extractors.ingest import read_document
from extractors.llm.settings import LLMSettings
from rules.decide import walk


def find_cases(root: Path) -> list[Path]:
    cases = sorted(p.parent for p in root.glob("*/request.json") if (p.parent / "expected.json").is_file())
    if not cases:
        raise ChartReviewError(E.CASES_MISSING, source=root)
    return cases


def load_contract_check(path: Path | None = None) -> ModuleType | None:
    """The shared contract checker, when it can be found (it ships beside the repo)."""
    candidates = [path] if path else [
        Path.cwd().parent / "shared" / "tools" / "contract_check.py",
        Path(__file__).resolve().parents[2] / "shared" / "tools" / "contract_check.py",
    ]
    for candidate in candidates:
        if candidate and candidate.is_file():
            spec = importlib.util.spec_from_file_location("contract_check", candidate)
            if spec and spec.loader:
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
                return module
    return None


def occurrences(quote: str, documents: list[Document]) -> Iterator[tuple[str, int, int]]:
    """Where a gold quote stands; any run of white space matches any other, since a PDF's
    text layer breaks lines where the typed original did not."""
    words = quote.split()
    if not words:
        return
    pattern = re.compile(r"\s+".join(re.escape(word) for word in words))
    for doc in documents:
        for match in pattern.finditer(doc.text):
            yield doc.name, match.start(), match.end()


@dataclass
class CaseResult:
    case: str
    gold: dict[str, Any]
    decision: Decision | None
    error: str | None = None
    criteria: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (gold, predicted)
    quotes_found: int = 0
    quotes_total: int = 0
    missed_quotes: list[str] = field(default_factory=list)
    evidence_valid: int = 0
    evidence_total: int = 0
    contract_problems: list[str] = field(default_factory=list)
    conflicts: int = 0
    ruled_out: int = 0
    ruled_out_problems: list[str] = field(default_factory=list)


def _carries(node: CriterionResult) -> bool:
    """A node whose status was set by its pathway's ruling rather than by its own test."""
    reason = node.reason or ""
    return node.logic == "leaf" and reason.startswith("the ") and "pathway is ruled out" in reason


def ruled_out_problems(decision: Decision, pathways: set[str]) -> tuple[int, list[str]]:
    """The ruled-out-pathway evidence rule (issue 10): a pathway the chart rules out says why
    once, on its own node, with its quote. Below it, the ruling is carried by at most one child of
    any ALL node (the one three-valued logic needs), with one quote; other leaves keep only
    what their own tests found."""
    count, problems = 0, []
    for root in decision.criteria:
        for node in walk(root):
            if node.id not in pathways or not (node.reason or "").startswith("ruled out"):
                continue
            count += 1
            if not node.evidence:
                problems.append(f"{node.id}: ruled out without a quote on the pathway node")
            for below in walk(node):
                if below.logic == "all" and sum(_carries(child) for child in below.children) > 1:
                    problems.append(f"{below.id}: the pathway's ruling is repeated on several of its parts")
                if _carries(below) and (below.status.value != "not_met" or len(below.evidence) != 1):
                    problems.append(f"{below.id}: carries the pathway's ruling with {len(below.evidence)} quotes")
    return count, problems


def score_case(case_dir: Path, decision: Decision, documents: list[Document],
               checker: ModuleType | None, pathways: set[str] | None = None) -> CaseResult:
    gold = json.loads((case_dir / "expected.json").read_text(encoding="utf-8"))
    result = CaseResult(case=case_dir.name, gold=gold, decision=decision)
    result.conflicts = len(decision.conflicts)
    result.ruled_out, result.ruled_out_problems = ruled_out_problems(decision, pathways or set())
    nodes = {node.id: node for root in decision.criteria for node in walk(root)}
    texts = {doc.name: doc.text for doc in documents}
    for node in nodes.values():
        for ev in node.evidence:
            result.evidence_total += 1
            result.evidence_valid += texts.get(ev.document, "")[ev.start:ev.end] == ev.text
    for cid, label in gold.get("criteria", {}).items():
        predicted = nodes.get(cid)
        result.criteria[cid] = (label["status"], predicted.status.value if predicted else "absent")
        for quote in label.get("evidence", []):
            result.quotes_total += 1
            spans = [(ev.document, ev.start, ev.end) for ev in (predicted.evidence if predicted else [])]
            if any(doc == d and s < ev_end and ev_start < e
                   for doc, s, e in occurrences(quote, documents) for d, ev_start, ev_end in spans):
                result.quotes_found += 1
            else:
                result.missed_quotes.append(f"{cid}: {quote}")
    if checker is not None:
        result.contract_problems = checker.check(json.loads(decision.model_dump_json()), case_dir)
    return result


def _rate(hit: int, total: int) -> float | None:
    return round(hit / total, 4) if total else None


def report(results: list[CaseResult]) -> dict[str, Any]:
    decided = [r for r in results if r.decision is not None]
    det_hits = [r for r in decided if r.decision and r.decision.determination.value == r.gold["determination"]]
    def is_det(r: CaseResult, det: Determination) -> bool:
        return r.decision is not None and r.decision.determination is det
    false_approvals = [r.case for r in decided
                       if is_det(r, Determination.MEETS) and r.gold["determination"] != "meets_criteria"]
    false_denials = [r.case for r in decided
                     if is_det(r, Determination.DOES_NOT_MEET) and r.gold["determination"] == "meets_criteria"]
    pathway_cases = [r for r in decided if "pathway" in r.gold]
    pathway_hits = [r for r in pathway_cases if r.decision and r.decision.pathway == r.gold["pathway"]]

    per_criterion: dict[str, dict[str, Any]] = defaultdict(lambda: {"support": 0, "correct": 0, "missed_in": []})
    for r in decided:
        for cid, (gold_status, predicted) in r.criteria.items():
            row = per_criterion[cid]
            row["support"] += 1
            if gold_status == predicted:
                row["correct"] += 1
            else:
                row["missed_in"].append(f"{r.case} (gold {gold_status}, got {predicted})")
    for row in per_criterion.values():
        row["accuracy"] = _rate(row["correct"], row["support"])

    per_pathway: dict[str, dict[str, Any]] = defaultdict(lambda: {"cases": 0, "determination_correct": 0})
    for r in decided:
        key = str(r.gold.get("pathway"))
        per_pathway[key]["cases"] += 1
        per_pathway[key]["determination_correct"] += r in det_hits
    for row in per_pathway.values():
        row["determination_accuracy"] = _rate(row["determination_correct"], row["cases"])

    criteria_total = sum(len(r.criteria) for r in decided)
    criteria_hits = sum(g == p for r in decided for g, p in r.criteria.values())
    failing = []
    for r in results:
        problems = []
        if r.error:
            problems.append(f"error: {r.error}")
        elif r.decision and r.decision.determination.value != r.gold["determination"]:
            problems.append(f"determination {r.decision.determination.value}, gold {r.gold['determination']}")
        problems += [f"{cid}: gold {g}, got {p}" for cid, (g, p) in r.criteria.items() if g != p]
        problems += [f"evidence missed: {q}" for q in r.missed_quotes]
        problems += [f"contract: {p}" for p in r.contract_problems]
        problems += [f"ruled-out evidence: {p}" for p in r.ruled_out_problems]
        if problems:
            failing.append({"case": r.case, "why": r.gold.get("why"), "problems": problems})
    return {
        "cases": len(results),
        "errors": sum(r.error is not None for r in results),
        "determination_accuracy": _rate(len(det_hits), len(results)),
        "false_approvals": len(false_approvals),
        "false_approval_cases": false_approvals,
        "false_denials": len(false_denials),
        "false_denial_cases": false_denials,
        "pathway_accuracy": _rate(len(pathway_hits), len(pathway_cases)),
        "criterion_status_accuracy": _rate(criteria_hits, criteria_total),
        "evidence_recall": _rate(sum(r.quotes_found for r in decided), sum(r.quotes_total for r in decided)),
        "evidence_validity": _rate(sum(r.evidence_valid for r in decided), sum(r.evidence_total for r in decided)),
        "contract_problems": sum(len(r.contract_problems) for r in results),
        # Contradictions left to a reviewer (each blocks approval), and the cases that have one.
        "conflicts": sum(r.conflicts for r in decided),
        "conflict_cases": [r.case for r in decided if r.conflicts],
        "ruled_out_pathways": sum(r.ruled_out for r in decided),
        "ruled_out_evidence_problems": sum(len(r.ruled_out_problems) for r in decided),
        "per_pathway": dict(sorted(per_pathway.items())),
        "per_criterion": dict(sorted(per_criterion.items())),
        "failing_cases": failing,
    }


def evaluate(root: Path, checker: ModuleType | None = None,
             progress: Callable[[int, int, str], None] | None = None,
             llm: LLMSettings | None = None, answers: Path | None = None) -> dict[str, Any]:
    """The report over every case. With `llm` (model assistance on), the same figures without and
    with assistance side by side, and what became of the model's answers; `answers` keeps them per
    case (answers/<case>/), recorded, or replayed when the settings say so."""
    guideline = default_guideline()
    pathways = {node.id for node in guideline.indications.walk() if node.pathway}
    results, plain = [], []
    used: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    asked = calls = 0
    off = LLMSettings()
    cases = find_cases(root)
    for i, case_dir in enumerate(cases, 1):
        if progress:
            progress(i, len(cases), case_dir.name)
        try:
            request_path, files = case_files(case_dir)
            request = load_request(request_path, guideline)
            documents = [read_document(path) for path in files]
            settings = off
            if llm is not None:
                settings = replace(llm, cache_dir=answers / case_dir.name) if answers is not None else llm
            decision, helped = review_assisted(documents, request, guideline, llm=settings)
        except ChartReviewError as exc:
            gold = json.loads((case_dir / "expected.json").read_text(encoding="utf-8"))
            failed = CaseResult(case=case_dir.name, gold=gold, decision=None, error=str(exc))
            results.append(failed)
            plain.append(failed)
            continue
        results.append(score_case(case_dir, decision, documents, checker, pathways))
        if llm is not None:
            before = helped.before if helped is not None and helped.before is not None else decision
            plain.append(score_case(case_dir, before, documents, checker, pathways))
            if helped is not None:
                asked += len(helped.asked)
                calls += helped.calls
                used.update(c.criterion for c in helped.claims)
                refused.update(r.reason for r in helped.refusals)
    if llm is None:
        return report(results)
    return {"without_assistance": report(plain), "with_assistance": report(results),
            "model": {"model": llm.model, "questions": asked, "calls": calls,
                      "claims_used": sum(used.values()), "claims_by_criterion": dict(used.most_common()),
                      # not found / context disagrees / changes a decided leaf / timeout / not JSON ...
                      "refused": dict(refused.most_common())}}


def format_text(rep: dict[str, Any]) -> str:
    """The report as tables a person reads."""
    lines = [
        f"cases {rep['cases']}  errors {rep['errors']}",
        f"determination accuracy {rep['determination_accuracy']}  false approvals "
        f"{rep['false_approvals']}  false denials {rep['false_denials']}",
        f"pathway accuracy {rep['pathway_accuracy']}  criterion status accuracy "
        f"{rep['criterion_status_accuracy']}",
        f"evidence recall {rep['evidence_recall']}  evidence validity {rep['evidence_validity']}  "
        f"contract problems {rep['contract_problems']}",
        f"conflicts {rep['conflicts']} in {len(rep['conflict_cases'])} cases  ruled-out pathways "
        f"{rep['ruled_out_pathways']}  ruled-out evidence problems {rep['ruled_out_evidence_problems']}",
        "",
        f"{'pathway':<16}{'cases':>6}{'accuracy':>10}",
    ]
    for name, row in rep["per_pathway"].items():
        lines.append(f"{name:<16}{row['cases']:>6}{row['determination_accuracy']!s:>10}")
    lines += ["", f"{'criterion':<52}{'support':>8}{'accuracy':>10}  missed in"]
    for cid, row in rep["per_criterion"].items():
        missed = "; ".join(row["missed_in"])
        lines.append(f"{cid:<52}{row['support']:>8}{row['accuracy']!s:>10}  {missed}")
    lines += ["", "failing cases:"]
    for case in rep["failing_cases"]:
        lines.append(f"- {case['case']}: {case['why']}")
        lines += [f"    {p}" for p in case["problems"]]
    return "\n".join(lines)


def print_progress(i: int, total: int, name: str) -> None:
    sys.stderr.write(f"\r[{i}/{total}] {name[:60]:<60}")
    if i == total:
        sys.stderr.write("\n")
