"""The `chart-review` command (CONTRACT.md section 5). Exit 0 ok, 2 bad input, 1 our bug."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from chart_review.errors import ChartReviewError

log = logging.getLogger("chart_review")

if TYPE_CHECKING:
    from api.db import Database


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line on stderr, as every other bad input gets.
        self.exit(2, f"chart-review: {message} (see chart-review --help)\n")


def _review_bundle(path: Path) -> Any:
    from chart_review.errors import E
    from chart_review.pas.bundle import read_bundle
    from chart_review.review import default_guideline, parse_request, review_documents
    from extractors.ingest import read_bytes

    try:
        data = json.loads(path.read_text("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise ChartReviewError(E.REQUEST_NOT_JSON, source=path, problem=str(exc)[:200]) from None
    pas = read_bundle(data)
    guideline = default_guideline()
    request = parse_request(pas.request, str(path), guideline)
    return review_documents([read_bytes(name, raw) for name, raw in pas.files], request, guideline)


def _fhir_export(args: argparse.Namespace) -> int:
    """The PAS response Bundle of a stored review: ClaimResponse, QuestionnaireResponse and the
    DocumentReferences its evidence points at."""
    from api.routes.fhir import response_bundle
    from api.service import NotFound, get_review

    db = _keys_database()
    try:
        with db.session() as session:
            try:
                review = get_review(session, args.review_id)
            except NotFound as exc:
                raise _Usage(str(exc)) from None
            bundle = response_bundle(review)
    finally:
        db.engine.dispose()
    sys.stdout.write(json.dumps(bundle, indent=2) + "\n")
    return 0


def _review(args: argparse.Namespace) -> int:
    from chart_review.review import review_case, review_paths

    paths = [Path(p) for p in args.paths]
    if args.request is None and len(paths) == 1 and paths[0].is_file() and paths[0].suffix.lower() == ".json":
        decision = _review_bundle(paths[0])  # a Da Vinci PAS request Bundle
    elif args.request is None:
        if len(paths) != 1 or not paths[0].is_dir():
            raise _Usage("give a case directory, a PAS Bundle (.json), or chart files with --request REQUEST.json")
        decision = review_case(paths[0])
    else:
        decision = review_paths(paths, Path(args.request))
    sys.stdout.write(decision.model_dump_json(indent=2) + "\n")
    return 0


class _Usage(Exception):
    pass


def _evaluate(args: argparse.Namespace) -> int:
    from chart_review.evaluate import evaluate, format_text, load_contract_check, print_progress

    checker = load_contract_check(Path(args.contract_check) if args.contract_check else None)
    progress = print_progress if sys.stderr.isatty() else None
    llm = answers = None
    if args.llm:
        from dataclasses import replace

        from extractors.llm.settings import load_settings

        answers = Path(args.llm_answers) if args.llm_answers else None
        llm = load_settings()
        if args.llm_replay:
            if answers is None:
                raise _Usage("--llm-replay needs --llm-answers DIR (the recorded answers)")
            llm = replace(llm, replay=True, url=None, cache_dir=answers)
        if not llm.enabled:
            raise _Usage("--llm needs a model server (CHART_REVIEW_LLM_URL) or --llm-replay with --llm-answers")
    report = evaluate(Path(args.cases_root), checker, progress, llm=llm, answers=answers)
    if args.text and llm is not None:
        sys.stdout.write("WITHOUT model assistance\n" + format_text(report["without_assistance"])
                         + "\n\nWITH model assistance\n" + format_text(report["with_assistance"])
                         + "\n\n" + json.dumps(report["model"], indent=2) + "\n")
    elif args.text:
        sys.stdout.write(format_text(report) + "\n")
    else:
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
    return 0


def _coverage(args: argparse.Namespace) -> int:
    from chart_review.coverage import check_cases

    report = check_cases(Path(args.cases_root))
    sys.stdout.write(json.dumps(report, indent=2) + "\n")
    if report["problems"] or report["uncovered"]:
        sys.stderr.write(f"chart-review: {len(report['problems'])} problems, "
                         f"{len(report['uncovered'])} criteria not covered both ways (see the JSON)\n")
        return 2
    return 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from api.settings import get_settings

    get_settings()  # refuse to start on a missing or published secret: one line, exit 2

    # Access logs carry paths and status codes only: no chart text, no keys.
    uvicorn.run("api.main:app", host=args.host, port=args.port, log_level=args.log_level)
    return 0


def _batch(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from chart_review.batch import run_batch

    def progress(results: Any, total: int) -> Any:
        # On stderr: count, rate and time left; stdout stays free for the summary.
        return tqdm(results, total=total, unit="review", file=sys.stderr, mininterval=1.0, smoothing=0.1,
                    disable=args.quiet)

    summary = run_batch(Path(args.input), Path(args.out), args.engine, args.processes, args.address, progress)
    sys.stdout.write(json.dumps({"input": args.input, "out": args.out, "engine": args.engine, "total": summary.total,
                                 "already_decided": summary.skipped, "reviewed": summary.reviewed,
                                 "failed": summary.errors, "seconds": round(summary.seconds, 2),
                                 "determinations": dict(summary.determinations)}, indent=2) + "\n")
    sys.stderr.write(f"chart-review batch: {summary.line()}\n")
    return 1 if summary.errors else 0


def _worker(args: argparse.Namespace) -> int:
    from api.settings import get_settings
    from api.worker_process import run

    get_settings()  # a bad setting is one line and exit 2, before any process starts
    return run(args.processes, args.threads, args.grace)


def _keys_create(args: argparse.Namespace) -> int:
    from api.auth import create_key
    from api.db import Database, upgrade
    from api.settings import get_settings

    settings = get_settings()
    upgrade(settings.database_url)
    db = Database(settings.database_url)
    with db.session() as session:
        row, plaintext = create_key(session, args.role, args.label, args.expires_days)
    db.engine.dispose()
    # The key alone on stdout, so `KEY=$(chart-review keys create --role intake)` works.
    sys.stdout.write(plaintext + "\n")
    expiry = f", expiring {row.expires_at.isoformat(timespec='seconds')}" if row.expires_at else ""
    sys.stderr.write(f"created {args.role} key {row.id}{expiry}; it is shown only now, store it\n")
    return 0


def _positive_days(value: str) -> float:
    try:
        days = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of days: {value!r}") from None
    if not 0 < days <= 3650:
        raise argparse.ArgumentTypeError("give between 0 and 3650 days")
    return days


def _keys_database() -> Database:
    from api.db import Database, upgrade
    from api.settings import get_settings

    settings = get_settings()
    upgrade(settings.database_url)
    return Database(settings.database_url)


def _keys_list(args: argparse.Namespace) -> int:
    from api.auth import list_keys

    db = _keys_database()
    with db.session() as session:
        rows = [(k.id, k.role, k.label, k.created_at.isoformat(timespec="seconds"),
                 k.revoked_at.isoformat(timespec="seconds") if k.revoked_at else "-",
                 k.expires_at.isoformat(timespec="seconds") if k.expires_at else "-") for k in list_keys(session)]
    db.engine.dispose()
    sys.stdout.write(f"{'id':<34}{'role':<10}{'created':<27}{'revoked':<27}{'expires':<27}label\n")
    for key_id, role, label, created, revoked, expires in rows:
        sys.stdout.write(f"{key_id:<34}{role:<10}{created:<27}{revoked:<27}{expires:<27}{label}\n")
    return 0


def _keys_revoke(args: argparse.Namespace) -> int:
    from api.auth import revoke_key

    db = _keys_database()
    with db.session() as session:
        row = revoke_key(session, args.key_id)
        found = row is not None
    db.engine.dispose()
    if not found:
        sys.stderr.write(f"no key {args.key_id}; `chart-review keys list` shows the ids\n")
        return 2
    sys.stderr.write(f"revoked key {args.key_id}; its page sessions end with it\n")
    return 0


def _version() -> str:
    """The installed package's version."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("chart-review")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="chart-review", description=__doc__)
    parser.add_argument("--version", action="version", version=f"chart-review {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    review = sub.add_parser("review", help="review a chart against the guideline; prints JSON")
    review.add_argument("paths", nargs="+", metavar="FILE_OR_CASE_DIR")
    review.add_argument("--request", metavar="REQUEST.json", help="the request (CONTRACT.md 1)")
    review.set_defaults(run=_review)
    fhir = sub.add_parser("fhir", help="HL7 Da Vinci PAS: export a stored review as a FHIR Bundle")
    fhir_sub = fhir.add_subparsers(dest="fhir_command", required=True, parser_class=_Parser)
    export = fhir_sub.add_parser("export", help="the review's ClaimResponse, QuestionnaireResponse and documents")
    export.add_argument("review_id", metavar="REVIEW_ID")
    export.set_defaults(run=_fhir_export)
    evaluate = sub.add_parser("evaluate", help="score every annotated case; prints a JSON report")
    evaluate.add_argument("cases_root", metavar="CASES_ROOT")
    evaluate.add_argument("--json", action="store_true", help="JSON report (the default)")
    evaluate.add_argument("--text", action="store_true", help="tables for a person instead of JSON")
    evaluate.add_argument("--contract-check", metavar="PATH",
                          help="contract_check.py to run on every decision (default: ../shared/tools)")
    evaluate.add_argument("--llm", action="store_true",
                          help="also with model assistance (CHART_REVIEW_LLM_* settings): both reports side by side")
    evaluate.add_argument("--llm-answers", metavar="DIR",
                          help="keep the model's answers per case in DIR (recorded; replayed with --llm-replay)")
    evaluate.add_argument("--llm-replay", action="store_true",
                          help="answer from --llm-answers only, with no model server")
    evaluate.set_defaults(run=_evaluate)
    coverage = sub.add_parser("coverage", help="check gold quotes and criterion coverage of annotated cases")
    coverage.add_argument("cases_root", metavar="CASES_ROOT")
    coverage.set_defaults(run=_coverage)
    serve = sub.add_parser("serve", help="start the reviews API and reviewer page (uvicorn)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    serve.set_defaults(run=_serve)
    batch = sub.add_parser(
        "batch", help="review a folder of cases or a JSONL manifest; one decision per line, resumable",
        description="Review every case of INPUT (a folder of case folders, or a JSONL manifest with one "
                    '{"id", "request", "documents"} a line) and append one JSON line per result to --out. '
                    "Run it again to resume: ids already decided in --out are skipped. Exit status 1 when a "
                    "case failed (its line says why). Examples: chart-review batch cases/ --out decisions.jsonl; "
                    "chart-review batch manifest.jsonl --out d.jsonl --engine ray --address ray://head:10001")
    batch.add_argument("input", metavar="INPUT")
    batch.add_argument("--out", required=True, metavar="DECISIONS.jsonl")
    batch.add_argument("--engine", choices=["local", "ray"], default="local",
                       help="local processes (default), or Ray (local, or the cluster at --address)")
    batch.add_argument("--processes", type=int, default=None, choices=range(1, 257), metavar="N",
                       help="worker processes or Ray actors (default: one per core)")
    batch.add_argument("--address", default=None, metavar="ray://HOST:10001",
                       help="a Ray cluster to run on (with --engine ray; default: a local Ray for the run)")
    batch.add_argument("--quiet", action="store_true", help="no progress bar")
    batch.set_defaults(run=_batch)
    worker = sub.add_parser(
        "worker", help="run review workers as separate processes (beside API processes with CHART_REVIEW_WORKERS=0)",
        description="Take queued reviews from the database (CHART_REVIEW_DATABASE_URL) and decide them. Run any "
                    "number, on any machine that reaches the database. Example: chart-review worker --processes 2")
    worker.add_argument("--processes", type=int, default=1, choices=range(1, 65), metavar="N",
                        help="worker processes to start (default 1; one per core is the most that helps)")
    worker.add_argument("--threads", type=int, default=1, choices=range(1, 17), metavar="N",
                        help="reviews worked at once per process (default 1; more helps only while OCR runs)")
    worker.add_argument("--grace", type=float, default=60.0, metavar="SECONDS",
                        help="on SIGTERM, time to finish the reviews in hand before they go back to the queue")
    worker.set_defaults(run=_worker)
    keys = sub.add_parser("keys", help="manage API keys")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True, parser_class=_Parser)
    create = keys_sub.add_parser("create", help="create an API key and print it (shown only once)")
    create.add_argument("--role", required=True, choices=["intake", "reviewer", "admin"])
    create.add_argument("--label", default="")
    create.add_argument("--expires-days", type=_positive_days, default=None, metavar="N",
                        help="the key stops working N days from now (default: never)")
    create.set_defaults(run=_keys_create)
    listing = keys_sub.add_parser("list", help="list API keys: ids, roles, labels, when made and revoked")
    listing.set_defaults(run=_keys_list)
    revoke = keys_sub.add_parser("revoke", help="revoke an API key by its id")
    revoke.add_argument("key_id", metavar="KEY_ID")
    revoke.set_defaults(run=_keys_revoke)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except (ChartReviewError, _Usage) as exc:
        sys.stderr.write(f"chart-review: {exc}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception:  # our bug, not the user's: say so in one line, keep the trace for -v runs
        log.exception("internal error")
        sys.stderr.write("chart-review: internal error (exit 1); please report it\n")
        return 1


if __name__ == "__main__":
    sys.exit(main())
