"""The questions model assistance would ask on a folder of cases, and the answers kept for replay.

    .venv/bin/python bench/llm_questions.py ask CASES_ROOT QUESTIONS.jsonl [--model NAME]
    .venv/bin/python bench/llm_questions.py keep QUESTIONS.jsonl ANSWERS.jsonl ANSWERS_DIR [--model NAME]

`ask` writes one line per question ({"case", "criterion", "key", "system", "user"}) for any model
to answer, a person or a program; `keep` stores answers ({"key", "content"}) where
`chart-review evaluate --llm --llm-replay --llm-answers ANSWERS_DIR` finds them (ANSWERS_DIR/<case>/),
so a run with a real model can be replayed by anyone, without the model.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def ask(root: Path, out: Path, model: str) -> None:
    from chart_review.assist import leaves_to_ask
    from chart_review.evaluate import find_cases
    from chart_review.review import case_files, default_extractor, default_guideline, load_request, review_documents
    from extractors.ingest import read_document
    from extractors.llm.client import prompt_key
    from extractors.llm.questions import question_for
    from extractors.llm.settings import LLMSettings
    from rules.guideline import facts_named

    guideline, extractor, budget = default_guideline(), default_extractor(), LLMSettings().max_prompt_chars
    limit = LLMSettings().max_calls
    with out.open("w", encoding="utf-8") as sink:
        for case in find_cases(root):
            request_path, files = case_files(case)
            documents = [read_document(p) for p in files]
            decision = review_documents(documents, load_request(request_path, guideline), guideline)
            asked = 0
            for criterion in leaves_to_ask(decision):
                if asked >= limit:
                    break
                node = guideline.node(criterion)
                question = question_for(criterion, node.text, node.needs, sorted(set(facts_named(node.test))),
                                        extractor.rules, documents, budget)
                if question is None:
                    continue
                asked += 1
                sink.write(json.dumps({"case": case.name, "criterion": criterion,
                                       "key": prompt_key(model, question.system, question.user),
                                       "system": question.system, "user": question.user}) + "\n")


def keep(questions: Path, answers: Path, store: Path, model: str) -> None:
    cases = {}
    for line in questions.read_text("utf-8").splitlines():
        row = json.loads(line)
        cases[row["key"]] = row["case"]
    kept = 0
    for line in answers.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        case = cases.get(row["key"])
        if case is None:
            continue
        folder = store / case
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{row['key']}.json").write_text(json.dumps({"model": model, "content": row["content"]}), "utf-8")
        kept += 1
    print(f"kept {kept} answers for {len(set(cases.values()))} cases in {store}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    a = sub.add_parser("ask")
    a.add_argument("root", type=Path)
    a.add_argument("out", type=Path)
    a.add_argument("--model", default="default")
    k = sub.add_parser("keep")
    k.add_argument("questions", type=Path)
    k.add_argument("answers", type=Path)
    k.add_argument("store", type=Path)
    k.add_argument("--model", default="default")
    args = ap.parse_args()
    if args.command == "ask":
        ask(args.root, args.out, args.model)
    else:
        keep(args.questions, args.answers, args.store, args.model)


if __name__ == "__main__":
    main()
