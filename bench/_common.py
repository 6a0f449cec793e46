"""What the bench scripts share: which code was measured."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

def project_snapshot() -> dict[str, str]:
    """Which code was measured: the project is edited while benches run, so fingerprint it."""
    import hashlib

    files = sorted((REPO / "extractors").rglob("*.py")) + sorted(
        (REPO / "extractors" / "resources").glob("*.yaml"))
    digest = hashlib.sha256()
    newest = 0.0
    for path in files:
        digest.update(path.relative_to(REPO).as_posix().encode() + b"\0" + path.read_bytes())
        newest = max(newest, path.stat().st_mtime)
    return {"extractors_sha256": digest.hexdigest()[:16], "files": str(len(files)),
            "newest_mtime": dt.datetime.fromtimestamp(newest, dt.UTC).isoformat(timespec="seconds")}



def warn_if_changed(result: dict[str, Any]) -> None:
    if result["project"]["changed_during_run"]:
        print("WARNING: extractors/ changed while this ran; figures mix code versions", file=sys.stderr)


def emit(result: dict[str, Any], out: Path | None) -> None:
    """The result as JSON on stdout, and in `out` when given."""
    import json

    text = json.dumps(result, indent=2)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n", encoding="utf-8")
    print(text)
