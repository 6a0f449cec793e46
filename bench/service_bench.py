"""Reviews per second and latency of the real service on loopback, against the library call.

Command line (from the repo root, /work/main):

    .venv/bin/python bench/service_bench.py [--case fixtures/cases/chronic-01-fbss-trial-meets]
        [--workers 1 [2 ...]] [--clients 4] [--requests 40] [--sequential 10] [--probe 10] [--warmup 2]
        [--timeout 90] [--out FILE]

The chart is a typical three-note text chart: the documents/*.txt of --case and its request.json.
For each --workers value (CHART_REVIEW_WORKERS: the service's review worker threads), a fresh
server is started: `python -m uvicorn api.main:app` on 127.0.0.1 and a free port, in a temp dir,
with CHART_REVIEW_DATABASE_URL on a new SQLite file there; once /ready answers, an intake key is
made with `chart-review keys create --role intake` (same environment). Then, all traffic to
127.0.0.1 only:

  * http floor: GET /health round trips on a kept-alive connection (no auth, no database);
  * warm-up: --warmup reviews (at least one), unmeasured (the server builds its extractor on the
    first one); then GET /v1/reviews/{id} of that decided review, round trips without waiting
    (what reading a decision back costs: database, Decision validation, JSON);
  * sequential: --sequential reviews by one client, one after another (overhead without queueing);
  * probe: --probe reviews by one client that polls GET ?wait=0 every 5 ms instead of waiting:
    when the decision becomes visible, without the 0.2 s steps of the ?wait= loop (diagnostic);
  * concurrent: --clients threads, each with its own httpx.Client, take reviews until --requests
    have been sent (or --timeout seconds have passed).

One review, end to end = POST /v1/reviews (JSON: the request and the three notes) and then
GET /v1/reviews/{id}?wait=30 until its status is done or failed. The POST alone is timed too,
and the server's own view (updated_at - created_at of the review: queue wait + processing) is
read from the final response. The server process's CPU time over the concurrent phase is read
from /proc (Linux).

The library call is the same chart in this process: parse_request + Document.from_text for each
note + review_documents with the extractor built once; --requests repetitions (after --warmup
unmeasured ones), half before the first server starts and half after the last one stops, so no
server competes with it. Its median is the one-core cost of a review; reviews/s = 1 / median.

Machines are shared and noisy, so nothing here is an absolute pass/fail: the results are ratios
measured in the same run (service p50 / library median; library reviews/s / service reviews/s;
server CPU per review / library CPU per review). With one worker thread the service decides one
review at a time, so concurrent clients mostly add queueing; the GET ?wait= loop checks the
database every 0.2 s, which rounds every end-to-end latency up to that step.

Results go to stdout as JSON (or to --out FILE); a short summary goes to stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import itertools
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CASE = REPO / "fixtures" / "cases" / "chronic-01-fbss-trial-meets"
STARTUP_SECONDS = 60.0
WAIT_SECONDS = 30
PROBE_POLL_S = 0.005
PROBE_KEY = "probe"
HOST = "127.0.0.1"

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import project_snapshot  # noqa: E402

# -- figures ------------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), linear between closest ranks."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def summary(values: Sequence[float]) -> dict[str, Any]:
    """Seconds in, milliseconds out."""
    if not values:
        return {"n": 0}
    ms = [v * 1000 for v in values]
    return {"n": len(ms), "p50_ms": round(percentile(ms, 50), 1), "p95_ms": round(percentile(ms, 95), 1),
            "min_ms": round(min(ms), 1), "max_ms": round(max(ms), 1), "mean_ms": round(statistics.fmean(ms), 1)}


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


# -- the chart ----------------------------------------------------------------------------------


def load_chart(case: Path) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    request = json.loads((case / "request.json").read_text(encoding="utf-8"))
    folder = case / "documents" if (case / "documents").is_dir() else case
    notes = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.txt"))]
    if not notes:
        raise SystemExit(f"no .txt documents in {folder}")
    return request, notes


# -- the library call ---------------------------------------------------------------------------


class Library:
    """The same review in this process: parse_request, Document.from_text, review_documents."""

    def __init__(self, request: dict[str, Any], notes: list[tuple[str, str]]) -> None:
        t0 = time.perf_counter()
        from chart_review.review import default_extractor, default_guideline, parse_request, review_documents
        from extractors.documents import Document

        self.guideline = default_guideline()
        self.extractor = default_extractor()
        self.build_s = time.perf_counter() - t0
        self._parse, self._review, self._document = parse_request, review_documents, Document
        self.request, self.notes = request, notes
        self.wall: list[float] = []
        self.cpu: list[float] = []
        self.blocks: dict[str, list[float]] = {}
        self.decision: dict[str, Any] | None = None

    def once(self) -> tuple[float, float, dict[str, Any]]:
        gc.collect()
        c0, t0 = time.process_time(), time.perf_counter()
        request = self._parse(self.request, "request", self.guideline)
        documents = [self._document.from_text(name, text) for name, text in self.notes]
        decision = self._review(documents, request, self.guideline, self.extractor)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        return wall, cpu, decision.model_dump(mode="json")

    def run(self, block: str, reps: int, warmup: int) -> None:
        times: list[float] = []
        for rep in range(warmup + reps):
            wall, cpu, self.decision = self.once()
            if rep >= warmup:
                times.append(wall)
                self.cpu.append(cpu)
            progress(f"library ({block}) {rep + 1}/{warmup + reps}{' (warm-up)' if rep < warmup else ''}"
                     f"  {wall * 1000:.1f} ms")
        progress(f"library ({block}): {reps} reps, median {statistics.median(times) * 1000:.1f} ms"
                 if times else f"library ({block}): no reps", end=True)
        self.wall.extend(times)
        self.blocks[block] = times


# -- the server ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def process_cpu_s(pid: int) -> float | None:
    """utime + stime of a process, from /proc (None where there is no /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Server:
    """uvicorn in a subprocess on a fresh SQLite database; stop() leaves nothing running."""

    def __init__(self, workdir: Path, workers: int) -> None:
        import httpx

        self.workdir, self.workers = workdir, workers
        workdir.mkdir(parents=True, exist_ok=True)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("CHART_REVIEW_")}
        self.env |= {"CHART_REVIEW_DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}",
                     "CHART_REVIEW_WORKERS": str(workers), "PYTHONUNBUFFERED": "1"}
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.log_path = workdir / "server.log"
        t0 = time.perf_counter()
        with self.log_path.open("wb") as log:
            # cwd is the temp dir: no .env or ./var of the checkout is read or written.
            self.process = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "api.main:app", "--host", HOST, "--port", str(self.port),
                 "--log-level", "info"],
                cwd=workdir, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            while True:
                if self.process.poll() is not None:
                    raise RuntimeError(f"the server exited ({self.process.returncode}):\n{self.log_tail()}")
                try:
                    if httpx.get(f"{self.base}/ready", timeout=2, trust_env=False).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"no /ready within {STARTUP_SECONDS:g} s:\n{self.log_tail()}")
                time.sleep(0.1)
            self.startup_s = time.perf_counter() - t0
            self.key = self._make_key()
        except BaseException:
            self.stop()
            raise

    def _make_key(self) -> str:
        cli = Path(sys.executable).parent / "chart-review"
        command = [str(cli)] if cli.exists() else [sys.executable, "-m", "chart_review.cli"]
        made = subprocess.run([*command, "keys", "create", "--role", "intake", "--label", "service_bench"],
                              cwd=self.workdir, env=self.env, capture_output=True, text=True, timeout=120)
        if made.returncode != 0:
            raise RuntimeError(f"chart-review keys create failed: {made.stderr.strip()}")
        return made.stdout.strip()

    def cpu_s(self) -> float | None:
        return process_cpu_s(self.process.pid)

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> int | None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        return self.process.returncode


# -- clients ------------------------------------------------------------------------------------


def iso(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def one_review(http: Any, body: dict[str, Any], give_up: float, poll_every: float | None = None) -> dict[str, Any]:
    """POST, then GET ?wait= until done/failed (or give_up, a time.perf_counter() instant).

    With poll_every (seconds), GET ?wait=0 that often instead: when the decision becomes visible.
    """
    t0 = time.perf_counter()
    created = http.post("/v1/reviews", json=body)
    post_s = time.perf_counter() - t0
    if created.status_code != 202:
        return {"ok": False, "post_s": post_s, "error": f"POST {created.status_code}: {created.text[:200]}"}
    location = created.headers["location"]
    polls = 0
    while True:
        wait = 0 if poll_every else max(0, min(WAIT_SECONDS, int(give_up - time.perf_counter())))
        got = http.get(location, params={"wait": wait})
        polls += 1
        review = got.json() if got.status_code == 200 else {"status": f"HTTP {got.status_code}"}
        if review.get("status") in ("done", "failed") or got.status_code != 200 or time.perf_counter() > give_up:
            break
        if poll_every:
            time.sleep(poll_every)
    total_s = time.perf_counter() - t0
    out: dict[str, Any] = {"ok": review.get("status") == "done", "id": review.get("id"), "post_s": post_s,
                           "total_s": total_s, "polls": polls,
                           "status": review.get("status")}
    if review.get("created_at") and review.get("updated_at"):
        out["server_s"] = (iso(review["updated_at"]) - iso(review["created_at"])).total_seconds()
    out["decision"] = review.get("decision")
    if review.get("error"):
        out["error"] = review["error"]
    return out


def client(base: str, key: str) -> Any:
    import httpx

    # trust_env=False: no proxy from the environment; every request goes straight to 127.0.0.1.
    return httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"},
                        timeout=WAIT_SECONDS + 15, trust_env=False)


def round_trips(server: Server, path: str, n: int = 20) -> dict[str, Any]:
    """n GETs of one path on a kept-alive connection, after one unmeasured."""
    times = []
    with client(server.base, server.key) as http:
        http.get(path).raise_for_status()
        for _ in range(n):
            t0 = time.perf_counter()
            http.get(path).raise_for_status()
            times.append(time.perf_counter() - t0)
    return summary(times)


def progress(line: str, end: bool = False) -> None:
    """A progress line, rewritten in place on a terminal; only the last one otherwise."""
    if sys.stderr.isatty():
        print(f"\r{line}   ", end="\n" if end else "", file=sys.stderr)
    elif end:
        print(line, file=sys.stderr)


def run_phase(server: Server, body: dict[str, Any], clients: int, requests: int, timeout: float,
              label: str, poll_every: float | None = None) -> tuple[list[dict[str, Any]], float, float | None, float]:
    """`requests` reviews by `clients` threads; (results, wall seconds, server CPU s, client CPU s)."""
    tickets = itertools.count()
    lock = threading.Lock()
    results: list[dict[str, Any]] = []
    start = threading.Barrier(clients + 1)
    stop_issuing = [0.0]

    def work() -> None:
        with client(server.base, server.key) as http:
            http.get("/health")  # connect before the clock starts
            start.wait()
            while True:
                with lock:
                    ticket = next(tickets)
                if ticket >= requests or time.perf_counter() > stop_issuing[0]:
                    return
                try:
                    result = one_review(http, body, stop_issuing[0] + WAIT_SECONDS, poll_every)
                except Exception as exc:  # counted as a failure; the run goes on
                    result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
                with lock:
                    results.append(result)
                    progress(f"{label}: {len(results)}/{requests}")

    threads = [threading.Thread(target=work, name=f"bench-client-{i}") for i in range(clients)]
    for thread in threads:
        thread.start()
    cpu0, client_cpu0 = server.cpu_s(), time.process_time()
    t0 = time.perf_counter()
    stop_issuing[0] = t0 + timeout
    start.wait()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - t0
    cpu1, client_cpu = server.cpu_s(), time.process_time() - client_cpu0
    progress(f"{label}: {len(results)}/{requests} in {wall:.2f} s", end=True)
    server_cpu = cpu1 - cpu0 if cpu0 is not None and cpu1 is not None else None
    return results, wall, server_cpu, client_cpu


def phase_report(results: list[dict[str, Any]], wall: float, server_cpu: float | None, client_cpu: float,
                 clients: int, library_decision: dict[str, Any] | None) -> dict[str, Any]:
    done = [r for r in results if r.get("ok")]
    rps = len(done) / wall if wall > 0 and done else None
    return {
        "clients": clients,
        "sent": len(results),
        "done": len(done),
        "failed_or_unfinished": len(results) - len(done),
        "errors": sorted({str(r.get("error") or r.get("status")) for r in results if not r.get("ok")})[:5],
        "wall_s": round(wall, 3),
        "reviews_per_s": round(rps, 2) if rps else None,
        "latency_end_to_end": summary([r["total_s"] for r in done]),
        "latency_post_only": summary([r["post_s"] for r in results if "post_s" in r]),
        "server_created_to_decided": summary([r["server_s"] for r in done if "server_s" in r]),
        "polls_per_review_mean": round(statistics.fmean(r["polls"] for r in done), 2) if done else None,
        "server_cpu_s": round(server_cpu, 3) if server_cpu is not None else None,
        "server_cpu_per_review_ms": round(server_cpu / len(done) * 1000, 1) if server_cpu and done else None,
        "client_cpu_s (this process, all client threads)": round(client_cpu, 3),
        "decisions_same_as_library": sum(r.get("decision") == library_decision for r in done),
    }


def bench_service(workers: int, workdir: Path, body: dict[str, Any], args: argparse.Namespace,
                  library_decision: dict[str, Any] | None) -> dict[str, Any]:
    print(f"starting the server (workers={workers})...", file=sys.stderr)
    server = Server(workdir, workers)
    try:
        floor = round_trips(server, "/health")
        warm = run_phase(server, body, 1, max(args.warmup, 1), args.timeout, f"service w={workers} warm-up")[0]
        first_s = warm[0].get("total_s")
        # What reading a decided review costs (database, Decision validation, JSON), without waiting.
        read_done = round_trips(server, f"/v1/reviews/{warm[0]['id']}") if warm[0].get("ok") else None
        seq = run_phase(server, body, 1, args.sequential, args.timeout, f"service w={workers} sequential") \
            if args.sequential else None
        probe = run_phase(server, body, 1, args.probe, args.timeout, f"service w={workers} probe (wait=0)",
                          poll_every=PROBE_POLL_S) if args.probe else None
        conc = run_phase(server, body, args.clients, args.requests, args.timeout,
                         f"service w={workers} {args.clients} clients")
    except BaseException:
        print(f"\nserver log (tail):\n{server.log_tail()}", file=sys.stderr)
        raise
    finally:
        returncode = server.stop()
    log = server.log_tail(2000)
    return {
        "workers": workers,
        "port": server.port,
        "startup_to_ready_s": round(server.startup_s, 2),
        "first_review_s (cold: builds the extractor)": round(first_s, 3) if first_s else None,
        "http_floor_get_health": floor,
        "get_decided_review": read_done,
        "sequential": phase_report(*seq, 1, library_decision) if seq else None,
        PROBE_KEY: phase_report(*probe, 1, library_decision) if probe else None,
        "concurrent": phase_report(*conc, args.clients, library_decision),
        "server_exit_code": returncode,
        "server_log_errors": sum(1 for line in log.splitlines() if line.startswith(("ERROR", "Traceback"))),
    }


def ratios(phase: dict[str, Any] | None, lib_median: float, lib_cpu: float) -> dict[str, Any] | None:
    if not phase:
        return None
    p50 = phase["latency_end_to_end"].get("p50_ms")
    rps = phase["reviews_per_s"]
    cpu = phase["server_cpu_per_review_ms"]
    return {
        "service_p50_over_library_median": ratio(p50, lib_median * 1000),
        "library_rps_over_service_rps": ratio(1 / lib_median, rps),
        "server_cpu_per_review_over_library_cpu": ratio(cpu, lib_cpu * 1000),
    }


# -- main ---------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--case", type=Path, default=DEFAULT_CASE, help="case dir: request.json, documents/*.txt")
    ap.add_argument("--workers", type=int, nargs="+", default=[1], metavar="N",
                    help="CHART_REVIEW_WORKERS; several values run one fresh server each (default 1)")
    ap.add_argument("--clients", type=int, default=4, help="concurrent client threads")
    ap.add_argument("--requests", type=int, default=40,
                    help="reviews in the concurrent phase, and library repetitions")
    ap.add_argument("--sequential", type=int, default=10, help="reviews by one client first (0: skip)")
    ap.add_argument("--probe", type=int, default=10,
                    help="reviews by one client polling GET ?wait=0 every 5 ms (0: skip): when the "
                         "decision becomes visible, without the ?wait= loop's 0.2 s steps")
    ap.add_argument("--warmup", type=int, default=2, help="unmeasured reviews (service and library)")
    ap.add_argument("--timeout", type=float, default=90.0,
                    help="seconds a phase may take: no new review is sent after it")
    ap.add_argument("--out", type=Path, help="write the JSON here instead of stdout")
    args = ap.parse_args(argv)
    if args.clients < 1 or args.requests < 2 or min(args.workers) < 1:
        ap.error("--clients and --workers must be >= 1 and --requests >= 2")
    snapshot_start = project_snapshot()
    run_t0 = time.perf_counter()

    request, notes = load_chart(args.case)
    body = {"request": request, "documents": [{"name": name, "text": text} for name, text in notes]}

    library = Library(request, notes)
    before = args.requests // 2
    library.run("before", before, args.warmup)

    services: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="chart-review-bench-") as tmp:
        for workers in args.workers:
            services.append(bench_service(workers, Path(tmp) / f"workers-{workers}", body, args,
                                          library.decision))

    library.run("after", args.requests - before, 1)

    lib_median = statistics.median(library.wall)
    lib_cpu = statistics.median(library.cpu)
    for service in services:
        service["ratios"] = {"concurrent": ratios(service["concurrent"], lib_median, lib_cpu),
                             "sequential": ratios(service["sequential"], lib_median, lib_cpu),
                             "probe": ratios(service[PROBE_KEY], lib_median, lib_cpu)}

    import httpx
    import uvicorn

    result: dict[str, Any] = {
        "project": snapshot_start | {"changed_during_run": project_snapshot() != snapshot_start},
        "chart": {"case": str(args.case.resolve().relative_to(REPO)) if args.case.resolve().is_relative_to(REPO)
                  else str(args.case), "request": request,
                  "documents": [{"name": n, "chars": len(t), "words": len(t.split())} for n, t in notes],
                  "determination": (library.decision or {}).get("determination")},
        "setup": {"clients": args.clients, "requests": args.requests, "sequential": args.sequential,
                  "warmup": args.warmup, "timeout_s": args.timeout, "wait_param_s": WAIT_SECONDS,
                  "probe": f"one client, GET ?wait=0 every {PROBE_POLL_S * 1000:g} ms: when the decision is visible",
                  "host": HOST, "database": "sqlite (fresh file per server)",
                  "python": platform.python_version(), "uvicorn": uvicorn.__version__, "httpx": httpx.__version__,
                  "machine": platform.machine(), "cpus": os.cpu_count(),
                  "library_build_s": round(library.build_s, 3), "run_s": None},
        "library": {
            "reps": len(library.wall),
            "latency": summary(library.wall),
            "median_ms": round(lib_median * 1000, 1),
            "reviews_per_s_one_core": round(1 / lib_median, 2),
            "cpu_median_ms": round(lib_cpu * 1000, 1),
            "block_medians_ms": {k: round(statistics.median(v) * 1000, 1) for k, v in library.blocks.items() if v},
        },
        "service": services,
    }
    result["setup"]["run_s"] = round(time.perf_counter() - run_t0, 1)

    out = json.dumps(result, indent=2)
    if args.out:
        args.out.write_text(out + "\n", encoding="utf-8")
    else:
        print(out)

    print_summary(result, lib_median)
    return 0 if all(s["concurrent"]["failed_or_unfinished"] == 0 for s in services) else 1


def print_summary(result: dict[str, Any], lib_median: float) -> None:
    say: Callable[[str], None] = lambda line: print(line, file=sys.stderr)  # noqa: E731
    chart = result["chart"]
    say(f"chart: {chart['case']} ({len(chart['documents'])} notes, "
        f"{sum(d['words'] for d in chart['documents'])} words) -> {chart['determination']}")
    lib = result["library"]
    say(f"library: median {lib['median_ms']} ms ({lib['reviews_per_s_one_core']} reviews/s on one core; "
        f"blocks {lib['block_medians_ms']})")
    for s in result["service"]:
        say(f"service, workers={s['workers']} (ready in {s['startup_to_ready_s']} s; "
            f"GET /health p50 {s['http_floor_get_health'].get('p50_ms')} ms; "
            f"GET of a decided review p50 {(s['get_decided_review'] or {}).get('p50_ms')} ms):")
        for name, key in (("sequential", "sequential"), ("probe", PROBE_KEY), ("concurrent", "concurrent")):
            phase = s[key]
            if not phase:
                continue
            lat, post = phase["latency_end_to_end"], phase["latency_post_only"]
            r = s["ratios"][name]
            say(f"  {name:10s} {phase['clients']} client(s): {phase['done']}/{phase['sent']} done, "
                f"{phase['reviews_per_s']} reviews/s; p50 {lat.get('p50_ms')} / p95 {lat.get('p95_ms')} / "
                f"max {lat.get('max_ms')} ms; POST p50 {post.get('p50_ms')} ms; "
                f"server-side p50 {phase['server_created_to_decided'].get('p50_ms')} ms")
            say(f"  {'':10s} ratios: service p50 / library median {r['service_p50_over_library_median']}x; "
                f"library rps / service rps {r['library_rps_over_service_rps']}x; "
                f"server CPU per review / library {r['server_cpu_per_review_over_library_cpu']}x")
        if s["server_log_errors"]:
            say(f"  WARNING: {s['server_log_errors']} error lines in the server log")
    if result["project"]["changed_during_run"]:
        say("WARNING: extractors/ changed while this ran; figures mix code versions")
    say(f"run took {result['setup']['run_s']} s")


if __name__ == "__main__":
    sys.exit(main())
