"""`chart-review batch`: review many cases at once, on local processes or a Ray cluster.

The input is a folder of cases (CONTRACT.md section 4: each sub-folder a request.json and its
documents) or a JSONL manifest, one request a line: {"id": ..., "request": {...} or "path/to/
request.json", "documents": ["path", ...]} with paths relative to the manifest. Each result is
appended to the output as one JSON line as soon as it is done ({"id", "decision"} or {"id",
"error"}), so a run that stops part-way resumes where it stopped: ids already decided in the
output are skipped, and failed ones are tried again (the last line for an id is its result).

Every worker builds the pipeline once and reviews many cases with it. `local` runs a process per
core (extraction holds the interpreter lock, so processes, not threads). `ray` runs the same
function on Ray actors, one pipeline per actor, fed as they free up (ray.util.ActorPool): results
come back one by one, which the progress bar and the resumable output need.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Literal

from chart_review.errors import ChartReviewError, E

Engine = Literal["local", "ray"]


@dataclass(frozen=True)
class Job:
    """One review to do: its id, its request (a path or the request itself) and its documents."""

    id: str
    request: str | dict[str, Any]
    documents: tuple[str, ...]


def jobs_from(source: Path) -> list[Job]:
    """The jobs of a case folder or a JSONL manifest."""
    if source.is_dir():
        return _case_jobs(source)
    if source.is_file():
        return _manifest_jobs(source)
    raise ChartReviewError(E.DOCUMENT_MISSING, source=source)


def _case_jobs(root: Path) -> list[Job]:
    from chart_review.review import case_files

    cases = sorted(p.parent for p in root.glob("*/request.json"))
    if (root / "request.json").is_file():
        cases = [root]
    if not cases:
        raise ChartReviewError(E.CASES_MISSING, source=root)
    jobs = []
    for case in cases:
        request, files = case_files(case)
        jobs.append(Job(case.name, str(request), tuple(str(f) for f in files)))
    return jobs


def _manifest_jobs(path: Path) -> list[Job]:
    jobs, seen = [], set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}, line {number}"
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ChartReviewError(E.REQUEST_NOT_JSON, source=where, problem=str(exc)) from None
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not entry["id"] \
                or not isinstance(entry.get("documents"), list) or not entry["documents"] \
                or not isinstance(entry.get("request"), str | dict):
            raise ChartReviewError(E.REQUEST_INVALID, source=where,
                                   problem='each line needs "id" (text), "request" (an object or a path) and '
                                           '"documents" (a list of paths)')
        if entry["id"] in seen:
            raise ChartReviewError(E.REQUEST_INVALID, source=where, problem=f"id {entry['id']!r} is given twice")
        seen.add(entry["id"])
        request = entry["request"]
        if isinstance(request, str):
            request = str(path.parent / request)
        jobs.append(Job(entry["id"], request, tuple(str(path.parent / d) for d in entry["documents"])))
    if not jobs:
        raise ChartReviewError(E.CASES_MISSING, source=path)
    return jobs


def review_job(job: Job) -> dict[str, Any]:
    """One job's result line: its decision, or its error (code and message, never chart text)."""
    from chart_review.review import default_guideline, parse_request, review_documents, review_paths
    from extractors.ingest import read_document

    try:
        files = [Path(p) for p in job.documents]
        if isinstance(job.request, str):
            decision = review_paths(files, Path(job.request))
        else:
            guideline = default_guideline()
            request = parse_request(job.request, f"{job.id}: request", guideline)
            decision = review_documents([read_document(f) for f in files], request, guideline)
    except ChartReviewError as exc:
        return {"id": job.id, "error": {"code": exc.error.code, "message": str(exc)}}
    except Exception as exc:  # our bug: the kind only, as a message may quote the chart
        return {"id": job.id, "error": {"code": "internal", "message": f"internal error ({type(exc).__name__})"}}
    return {"id": job.id, "decision": json.loads(decision.model_dump_json())}


def warm() -> None:
    """Build the guideline and the pipeline once, before the first job (a worker's start)."""
    from chart_review.review import default_extractor, default_guideline

    default_guideline()
    default_extractor()


def decided_ids(out: Path) -> set[str]:
    """Ids whose last line in `out` is a decision: the work a resumed run skips."""
    last: dict[str, bool] = {}
    if out.is_file():
        for line in out.read_text(encoding="utf-8").splitlines():
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut short by a crash is done again
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                last[entry["id"]] = "decision" in entry
    return {job_id for job_id, decided in last.items() if decided}


def _ends_mid_line(path: Path) -> bool:
    with path.open("rb") as handle:
        if handle.seek(0, os.SEEK_END) == 0:
            return False
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) != b"\n"


def run_local(jobs: list[Job], processes: int) -> Iterator[dict[str, Any]]:
    """Results as they finish, from `processes` spawned workers; a few jobs in flight each."""
    if processes <= 1:
        warm()
        for job in jobs:
            yield review_job(job)
        return
    with ProcessPoolExecutor(processes, mp_context=get_context("spawn"), initializer=warm) as pool:
        pending: set[Future[dict[str, Any]]] = set()
        queue = iter(jobs)
        while True:
            for job in queue:
                pending.add(pool.submit(review_job, job))
                if len(pending) >= processes * 4:
                    break
            if not pending:
                return
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()


def run_ray(jobs: list[Job], processes: int, address: str | None) -> Iterator[dict[str, Any]]:
    """Results as they finish, from `processes` Ray actors (each builds the pipeline once) on the
    cluster at `address` (`ray://host:10001`), or on a local Ray started for the run."""
    try:
        import ray
        from ray.util import ActorPool
    except ImportError:
        raise ChartReviewError(E.SETTINGS_INVALID, problem="--engine ray needs Ray: pip install 'ray[default]'") \
            from None

    started = not ray.is_initialized()
    if started:
        # A cluster's nodes need this package installed, as the driver has it (pip install .).
        ray.init(address=address, include_dashboard=False, log_to_driver=False)

    @ray.remote(num_cpus=1)
    class Reviewer:
        def __init__(self) -> None:
            warm()

        def review(self, job: dict[str, Any]) -> dict[str, Any]:
            return review_job(Job(**job))

    try:
        pool = ActorPool([Reviewer.remote() for _ in range(max(processes, 1))])  # type: ignore[attr-defined]
        yield from pool.map_unordered(lambda actor, job: actor.review.remote(job), [asdict(j) for j in jobs])
    finally:
        if started:
            ray.shutdown()


@dataclass
class Summary:
    total: int
    skipped: int
    reviewed: int = 0
    errors: int = 0
    seconds: float = 0.0
    determinations: Counter[str] = field(default_factory=Counter)

    def line(self) -> str:
        rate = self.reviewed / self.seconds if self.seconds else 0.0
        counts = ", ".join(f"{k} {v}" for k, v in sorted(self.determinations.items()))
        return (f"{self.reviewed} reviewed ({rate:.2f}/s), {self.errors} failed, {self.skipped} already decided"
                f"{'; ' + counts if counts else ''}")


def run_batch(source: Path, out: Path, engine: Engine = "local", processes: int | None = None,
              address: str | None = None, progress: Callable[[Iterable[Any], int], Iterable[Any]] | None = None,
              ) -> Summary:
    """Review every job of `source` not yet decided in `out`, appending each result to `out`."""
    jobs = jobs_from(source)
    done = decided_ids(out)
    todo = [job for job in jobs if job.id not in done]
    processes = processes or os.cpu_count() or 1
    summary = Summary(total=len(jobs), skipped=len(jobs) - len(todo))
    started = time.monotonic()
    results = run_ray(todo, processes, address) if engine == "ray" else run_local(todo, processes)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("a", encoding="utf-8") as sink:
        if _ends_mid_line(out):
            sink.write("\n")  # a line a killed run left half-written stays a line of its own
        for result in progress(results, len(todo)) if progress else results:
            sink.write(json.dumps(result, separators=(",", ":")) + "\n")
            sink.flush()
            summary.reviewed += 1
            if "error" in result:
                summary.errors += 1
            else:
                summary.determinations[result["decision"]["determination"]] += 1
    summary.seconds = time.monotonic() - started
    return summary
