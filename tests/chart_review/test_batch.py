"""Issue 13: `chart-review batch` reviews a folder of cases or a JSONL manifest, on local processes
or Ray (its local mode here), resumes where it stopped, and gives the same decisions as `review`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from chart_review.batch import Job, decided_ids, jobs_from, run_batch
from chart_review.cli import main
from chart_review.review import review_case
from tests.conftest import FIXTURE_CASES

CASES = ["cancer-01-lung-bone-mets-permanent-70pct", "spast-07-sci-permanent-mas-1plus",
         "chronic-11-replacement-motor-stall"]


def run(argv: list[str | Path]) -> int:
    try:
        return main([str(a) for a in argv])
    except SystemExit as exc:
        return int(exc.code or 0)


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    root = tmp_path / "cases"
    for name in CASES:
        shutil.copytree(FIXTURE_CASES / name, root / name)
    return root


@pytest.fixture(scope="module")
def expected() -> dict[str, dict[str, Any]]:
    return {name: json.loads(review_case(FIXTURE_CASES / name).model_dump_json()) for name in CASES}


def test_batch_local_processes_give_the_decisions_review_gives(cases: Path, tmp_path: Path,
                                                               expected: dict[str, Any]) -> None:
    out = tmp_path / "decisions.jsonl"
    summary = run_batch(cases, out, "local", processes=2)
    assert (summary.total, summary.reviewed, summary.errors, summary.skipped) == (3, 3, 0, 0)
    got = {line["id"]: line["decision"] for line in lines(out)}
    assert got == expected


def test_batch_resumes_where_it_stopped_and_retries_failures(cases: Path, tmp_path: Path,
                                                             expected: dict[str, Any],
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "decisions.jsonl"
    first = CASES[0]
    # An earlier run decided one case, failed another, and was killed while writing a third line.
    out.write_text(json.dumps({"id": first, "decision": expected[first]}) + "\n"
                   + json.dumps({"id": CASES[1], "error": {"code": "E024", "message": "unreadable"}}) + "\n"
                   + '{"id": "' + CASES[2] + '", "decis', encoding="utf-8")
    assert decided_ids(out) == {first}
    (cases / "broken").mkdir()
    (cases / "broken" / "request.json").write_text('{"procedure_codes": ["99999"]}', encoding="utf-8")
    (cases / "broken" / "note.txt").write_text("Pain clinic note.\n", encoding="utf-8")

    assert run(["batch", cases, "--out", out, "--processes", "1", "--quiet"]) == 1, "a failed case is exit 1"
    summary = json.loads(capsys.readouterr().out)
    assert (summary["total"], summary["already_decided"], summary["reviewed"], summary["failed"]) == (4, 1, 3, 1)
    written = out.read_text(encoding="utf-8").splitlines()
    new = [json.loads(line) for line in written[3:]]  # after the two results and the cut line
    assert sorted(entry["id"] for entry in new) == sorted([*CASES[1:], "broken"]), "a decided case is skipped"
    last = {entry["id"]: entry for entry in [json.loads(written[0]), *new]}
    assert last["broken"]["error"]["code"] == "E011" and "99999" in last["broken"]["error"]["message"]
    assert {k: v["decision"] for k, v in last.items() if k != "broken"} == expected


def test_batch_manifest_with_inline_requests_and_relative_paths(tmp_path: Path, expected: dict[str, Any]) -> None:
    name = CASES[0]
    shutil.copytree(FIXTURE_CASES / name, tmp_path / "charts" / name)
    documents = sorted((tmp_path / "charts" / name / "documents").iterdir())
    request = json.loads((FIXTURE_CASES / name / "request.json").read_text(encoding="utf-8"))
    manifest = tmp_path / "manifest.jsonl"
    manifest.write_text(json.dumps({"id": "A-1", "request": request,
                                    "documents": [str(p.relative_to(tmp_path)) for p in documents]}) + "\n\n"
                        + json.dumps({"id": "A-2", "request": f"charts/{name}/request.json",
                                      "documents": [str(p.relative_to(tmp_path)) for p in documents]}) + "\n")
    assert jobs_from(manifest)[1] == Job("A-2", str(tmp_path / "charts" / name / "request.json"),
                                         tuple(str(p) for p in documents))
    out = tmp_path / "out.jsonl"
    assert run_batch(manifest, out, processes=1).errors == 0
    assert [(line["id"], line["decision"]) for line in lines(out)] == [("A-1", expected[name]), ("A-2", expected[name])]


@pytest.mark.parametrize(("manifest", "says"), [
    ('{"id": "x", "request": {}}\n', '"documents"'),
    ('not json\n', "not valid JSON"),
    ('{"id": "x", "request": {}, "documents": ["a.txt"]}\n{"id": "x", "request": {}, "documents": ["a.txt"]}\n',
     "given twice"),
    ('\n', "no cases"),
])
def test_batch_bad_manifest_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   manifest: str, says: str) -> None:
    path = tmp_path / "m.jsonl"
    path.write_text(manifest, encoding="utf-8")
    assert run(["batch", path, "--out", tmp_path / "o.jsonl"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err, err
    assert not (tmp_path / "o.jsonl").exists()


def test_batch_on_ray_local_mode_gives_the_same_decisions(cases: Path, tmp_path: Path,
                                                          expected: dict[str, Any]) -> None:
    pytest.importorskip("ray")
    out = tmp_path / "ray.jsonl"
    summary = run_batch(cases, out, "ray", processes=2)
    assert (summary.reviewed, summary.errors) == (3, 0)
    assert {line["id"]: line["decision"] for line in lines(out)} == expected
