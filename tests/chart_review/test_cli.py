"""chart_review.cli.main: exit codes, JSON on stdout, one line on stderr for bad input, and
decisions that pass the shared contract checker (CONTRACT.md section 5)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from chart_review.cli import main
from tests.conftest import CONTRACT_CHECK, FIXTURE_CASES, require_shared

# One case per pathway for the output tests; more, of every request type, for the contract check.
CASES = ["cancer-01-lung-bone-mets-permanent-70pct", "spast-07-sci-permanent-mas-1plus",
         "chronic-11-replacement-motor-stall"]
CHECKED_CASES = [*CASES, "cancer-20-outside-95990-refill", "spast-13-sci-teen-replacement-battery-eri",
                 "chronic-16-stenosis-with-myelographic-block", "spast-10-stroke-pump-type-derived"]
DETERMINATIONS = {"meets_criteria", "does_not_meet_criteria", "insufficient_information", "outside_guideline"}
REQUEST = {"procedure_codes": ["62323"], "service_date": "2024-10-01"}


def run(argv: Sequence[str | Path]) -> int:
    """main(argv), with argparse's SystemExit turned into the exit code it carries."""
    try:
        return main([str(a) for a in argv])
    except SystemExit as exc:
        return int(exc.code or 0)


def case(name: str) -> Path:
    path = FIXTURE_CASES / name
    if not path.is_dir():
        pytest.skip(f"fixture case {name} is absent")
    return path


def documents_of(case_dir: Path) -> list[Path]:
    return sorted((case_dir / "documents").glob("*.txt"))


def check_decision_json(out: str, case_dir: Path) -> dict:
    decision = json.loads(out)
    assert decision["determination"] in DETERMINATIONS
    assert decision["guideline"] == {"id": "intrathecal-pain-pumps", "version": "2"}
    assert [d["name"] for d in decision["documents"]] == [p.name for p in documents_of(case_dir)]
    request = json.loads((case_dir / "request.json").read_text(encoding="utf-8"))
    if "request_type" in request:
        assert decision["request_type"] == request["request_type"]
    return decision


# -- success ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CASES)
def test_cli_review_case_dir(extractor, capsys, name):
    case_dir = case(name)
    assert run(["review", case_dir]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.endswith("}\n")
    check_decision_json(out, case_dir)


@pytest.mark.parametrize("name", CASES)
def test_cli_review_files_with_request(extractor, capsys, name):
    case_dir = case(name)
    assert run(["review", *documents_of(case_dir), "--request", case_dir / "request.json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    check_decision_json(out, case_dir)


def test_cli_files_and_case_dir_agree(extractor, capsys):
    case_dir = case(CASES[0])
    run(["review", case_dir])
    from_dir = json.loads(capsys.readouterr().out)
    run(["review", *documents_of(case_dir), "--request", case_dir / "request.json"])
    assert json.loads(capsys.readouterr().out) == from_dir


def test_cli_outside_code(extractor, capsys):
    case_dir = case("cancer-20-outside-95990-refill")
    assert run(["review", case_dir]) == 0
    decision = json.loads(capsys.readouterr().out)
    assert decision["determination"] == "outside_guideline"
    assert decision["criteria"] == []


# -- bad input: exit 2 and one line on stderr ------------------------------------------------


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def chart_and_request(tmp: Path, chart: str | bytes = "Metastatic lung cancer.\n", chart_name: str = "note.txt",
                      request: str | bytes = json.dumps(REQUEST)) -> list[Path | str]:
    return ["review", write(tmp / chart_name, chart), "--request", write(tmp / "R.json", request)]


BAD_INPUT: list[tuple[str, Callable[[Path], list[Path | str]], list[str]]] = [
    ("missing chart file",
     lambda t: ["review", t / "missing.txt", "--request", write(t / "R.json", json.dumps(REQUEST))],
     ["E020", "missing.txt", "no such file"]),
    ("missing request file",
     lambda t: ["review", write(t / "note.txt", "Chart.\n"), "--request", t / "nope.json"],
     ["E020", "nope.json", "no such file"]),
    ("empty chart", lambda t: chart_and_request(t, chart=b""), ["E021", "note.txt", "empty"]),
    ("whitespace-only chart", lambda t: chart_and_request(t, chart=b" \n\t\r\n  \r"), ["E021", "note.txt"]),
    ("BOM-only chart", lambda t: chart_and_request(t, chart=b"\xef\xbb\xbf\n"), ["E021", "note.txt"]),
    ("request not JSON", lambda t: chart_and_request(t, request="procedure_codes: 62323"),
     ["E010", "R.json", "not valid JSON"]),
    ("request JSON of the wrong shape", lambda t: chart_and_request(t, request='["62323"]'),
     ["E011", "R.json"]),
    ("unknown code", lambda t: chart_and_request(t, request=json.dumps({"procedure_codes": ["99999"]})),
     ["E011", "procedure_codes", "'99999'"]),
    ("bad service_date", lambda t: chart_and_request(t, request=json.dumps(REQUEST | {"service_date": "May 2"})),
     ["E011", "service_date"]),
    ("directory without request.json",
     lambda t: ["review", write(t / "case" / "documents" / "n.txt", "x").parents[1]],
     ["E012", "no request.json"]),
    ("case without chart documents",
     lambda t: ["review", write(t / "case" / "request.json", json.dumps(REQUEST)).parent],
     ["E025", "no chart documents"]),
    ("unsupported file type", lambda t: chart_and_request(t, chart=b"PK\x03\x04", chart_name="note.docx"),
     ["E022", "note.docx", ".docx"]),
    ("a file without --request", lambda t: ["review", write(t / "note.txt", "Chart.\n")],
     ["--request"]),
    ("no arguments", lambda t: [], ["required"]),
    ("review without paths", lambda t: ["review"], ["required"]),
    ("unknown command", lambda t: ["approve", "x"], ["invalid choice"]),
]


@pytest.mark.parametrize(("argv", "fragments"), [pytest.param(a, f, id=i) for i, a, f in BAD_INPUT])
def test_cli_bad_input_exits_2_with_one_line(tmp_path, capsys, argv, fragments):
    assert run(argv(tmp_path)) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("chart-review: ")
    assert err.endswith("\n") and err.count("\n") == 1, err
    for fragment in fragments:
        assert fragment in err


def test_cli_internal_error_exits_1(tmp_path, capsys, monkeypatch):
    import chart_review.review

    def broken(*args, **kwargs):
        raise RuntimeError("chart text must not leak")

    monkeypatch.setattr(chart_review.review, "review_paths", broken)
    assert run(chart_and_request(tmp_path)) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "chart-review: internal error (exit 1); please report it\n"


# -- the shared contract checker on what the CLI prints --------------------------------------


@pytest.mark.parametrize("name", CHECKED_CASES)
def test_cli_output_passes_contract_check(extractor, capsys, tmp_path, name):
    checker = require_shared(CONTRACT_CHECK)
    case_dir = case(name)
    assert run(["review", case_dir]) == 0
    decision = tmp_path / "decision.json"
    decision.write_text(capsys.readouterr().out, encoding="utf-8")
    done = subprocess.run([sys.executable, str(checker), str(decision), str(case_dir)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.stdout.splitlines()[-1:] == ["contract: 0 problems"], done.stdout
    assert done.returncode == 0


def test_cli_contract_check_reads_stdin(extractor, capsys):
    # The documented pipe: chart-review review CASE_DIR | contract_check.py - CASE_DIR
    checker = require_shared(CONTRACT_CHECK)
    case_dir = case(CASES[1])
    assert run(["review", case_dir]) == 0
    done = subprocess.run([sys.executable, str(checker), "-", str(case_dir)], input=capsys.readouterr().out,
                          capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stdout.splitlines()[-1]) == (0, "contract: 0 problems")


@pytest.mark.parametrize(("name", "raw"), [
    pytest.param("note.txt", b"Pain 8/10.\x00\x00 Relief 60%.", id="NUL in text"),
    pytest.param("note.txt", b"PK\x03\x04\x14\x00\x00\x00\x08\x00binary zip body", id="a zip named .txt"),
])
def test_cli_admits_what_the_service_admits(tmp_path, capsys, name, raw):  # type: ignore[no-untyped-def]
    """Issue 12 item 11: the command took these (exit 0) while the service refused them (422)."""
    from chart_review.cli import main

    (tmp_path / name).write_bytes(raw)
    request = tmp_path / "request.json"
    request.write_text('{"procedure_codes": ["62323"], "service_date": "2025-06-01"}')
    assert main(["review", str(tmp_path / name), "--request", str(request)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "NUL bytes" in err[0]


def test_cli_review_a_5_mb_chart(extractor, capsys, tmp_path, contract_check):
    """Issue 12 item 5: a 5 MB text (five times spaCy's max_length) is reviewed, not a traceback:
    the same decision as its 3 KB core, every quote at its offsets, and contract_check clean."""
    source = case(CASES[0])
    assert run(["review", source]) == 0
    small = json.loads(capsys.readouterr()[0])
    big = tmp_path / "big-case"
    (big / "documents").mkdir(parents=True)
    (big / "request.json").write_text((source / "request.json").read_text(encoding="utf-8"), encoding="utf-8")
    filler = "Routine nursing check. Vitals stable. Tolerating diet. Ambulating in the hall with staff.\n\n"
    for document in documents_of(source):
        text = document.read_text(encoding="utf-8")
        if document == documents_of(source)[0]:
            text = filler * (5_000_000 // len(filler)) + text  # the findings sit at the end, past 5 MB
        (big / "documents" / document.name).write_text(text, encoding="utf-8")
    assert (big / "documents" / documents_of(source)[0].name).stat().st_size > 5_000_000
    assert run(["review", big]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    decision = json.loads(out)
    assert decision["determination"] == small["determination"]
    assert contract_check.check(decision, big) == []


def test_cli_version(capsys):
    from importlib.metadata import version

    assert run(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"chart-review {version('chart-review')}"
