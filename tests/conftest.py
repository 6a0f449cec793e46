"""Session-wide fixtures: the shipped guideline, the shared contract checker, the extractor."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from extractors.base import Extractor
from rules.guideline import Guideline, load_guideline

REPO = Path(__file__).resolve().parents[1]
# The shared folder ships beside the repo, not inside it: tests that need it skip without it.
SHARED = REPO / ".." / "shared"
CONTRACT_MD = SHARED / "spec" / "CONTRACT.md"
CONTRACT_CHECK = SHARED / "tools" / "contract_check.py"
FIXTURE_CASES = REPO / "fixtures" / "cases"


def require_shared(path: Path) -> Path:
    """`path` under the shared folder, or skip the test saying what is absent."""
    if not path.is_file():
        pytest.skip(f"{path.resolve()} is absent: the shared contract folder ships beside the repo")
    return path


@pytest.fixture(scope="session", autouse=True)
def _data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test's service data (database, generated secret) in a temporary directory, never
    the developer's own data directory."""
    path = tmp_path_factory.mktemp("data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CHART_REVIEW_DATA_DIR", str(path))
        # Model assistance is off unless a test turns it on with its own server.
        for name in ("CHART_REVIEW_LLM_URL", "CHART_REVIEW_LLM_REPLAY", "CHART_REVIEW_LLM_CACHE"):
            patch.delenv(name, raising=False)
        yield path


@pytest.fixture(scope="session")
def guideline() -> Guideline:
    return load_guideline()


@pytest.fixture(scope="session")
def contract_check() -> ModuleType:
    """contract_check.py imported as a module, for its `check` and `contract_tree`."""
    path = require_shared(CONTRACT_CHECK)
    spec = importlib.util.spec_from_file_location("contract_check", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """The medspaCy extractor, built once for the whole session.

    `default_extractor` is cached per process, so the CLI and review functions reuse this one.
    """
    from chart_review.review import default_extractor

    return default_extractor()
