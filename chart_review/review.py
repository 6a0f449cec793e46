"""One review, end to end: request and chart files in, a Decision out."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from chart_review.assist import Assistance, Refusal, assist
from chart_review.contract import Decision, DocumentRef, ReviewRequest
from chart_review.errors import ChartReviewError, E
from extractors.base import Extractor
from extractors.documents import Document
from extractors.ingest import CASE_SUFFIXES, read_document
from extractors.llm.settings import LLMSettings
from extractors.llm.settings import load_settings as load_llm_settings
from rules.assisted import apply_claims
from rules.decide import decide
from rules.guideline import Guideline, load_guideline


@lru_cache(maxsize=1)
def default_guideline() -> Guideline:
    return load_guideline()


@lru_cache(maxsize=1)
def default_extractor() -> Extractor:
    """The medspaCy extractor, built once per process (building it costs far more than a note)."""
    from extractors.pipeline import ChartExtractor

    return ChartExtractor()


def parse_request(data: object, source: str, guideline: Guideline) -> ReviewRequest:
    """Validate request data; the error names the field and what is wrong with it."""
    try:
        return ReviewRequest.model_validate(data, context={"codes": guideline.codes})
    except ValidationError as exc:
        problems = [(".".join(str(part) for part in found["loc"]) or "request",
                     found["msg"].removeprefix("Value error, ")) for found in exc.errors()]
        place, message = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ChartReviewError(E.REQUEST_INVALID, source=source, problem=f"{place}: {message}{more}",
                               problems=[(f"{source}.{place}", text) for place, text in problems]) from None


def load_request(path: Path, guideline: Guideline) -> ReviewRequest:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ChartReviewError(E.DOCUMENT_MISSING, source=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ChartReviewError(E.REQUEST_NOT_JSON, source=path, problem=str(exc)) from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ChartReviewError(E.REQUEST_NOT_JSON, source=path, problem=str(exc)) from None
    return parse_request(data, str(path), guideline)


def case_files(case_dir: Path) -> tuple[Path, list[Path]]:
    """request.json and the chart files of a case laid out as CONTRACT.md section 4."""
    request = case_dir / "request.json"
    if not request.is_file():
        raise ChartReviewError(E.REQUEST_MISSING, source=case_dir)
    folder = case_dir / "documents" if (case_dir / "documents").is_dir() else case_dir
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in CASE_SUFFIXES)
    if not files:
        raise ChartReviewError(E.NO_DOCUMENTS, source=folder)
    return request, files


def review_documents(
    documents: Sequence[Document],
    request: ReviewRequest,
    guideline: Guideline | None = None,
    extractor: Extractor | None = None,
    llm: LLMSettings | None = None,
) -> Decision:
    return review_assisted(documents, request, guideline, extractor, llm)[0]


def review_assisted(
    documents: Sequence[Document],
    request: ReviewRequest,
    guideline: Guideline | None = None,
    extractor: Extractor | None = None,
    llm: LLMSettings | None = None,
) -> tuple[Decision, Assistance | None]:
    """The decision, and what model assistance did (None when the layer is off: the default,
    `CHART_REVIEW_LLM_URL` unset, and then no socket is opened)."""
    guideline = guideline or default_guideline()
    refs = [DocumentRef(name=d.name, sha256=d.sha256, pages=d.pages) for d in documents]
    if all(guideline.codes[c].kind == "outside" for c in request.procedure_codes):
        return decide(guideline, request, [], refs), None
    extractor = extractor or default_extractor()
    facts = extractor.extract(documents, request.effective_service_date())
    decision = decide(guideline, request, facts, refs)
    settings = llm if llm is not None else load_llm_settings()
    if not settings.enabled:
        return decision, None
    helped = assist(decision, documents, guideline, extractor, settings, request.effective_service_date())
    helped.before = decision
    decision, refused = apply_claims(decision, helped.claims, settings.allow_model_approval)
    helped.refusals.extend(Refusal(criterion, why) for criterion, why in refused)
    notes = [f"model's answer on {r.criterion} not used: {r.reason}"
             + (f" ({r.quote[:90]!r} in {r.document})" if r.quote and r.reason == "context disagrees" else "")
             for r in helped.refusals if r.reason not in ("unknown", "changes a decided leaf")]
    return decision.model_copy(update={"findings": [*decision.findings, *notes]}), helped


def review_paths(files: Sequence[Path], request_path: Path) -> Decision:
    guideline = default_guideline()
    request = load_request(request_path, guideline)
    documents = [read_document(path) for path in files]
    return review_documents(documents, request, guideline)


def review_case(case_dir: Path) -> Decision:
    request_path, files = case_files(case_dir)
    return review_paths(files, request_path)
