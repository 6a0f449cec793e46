"""The extractors' data files, read one way: libyaml's safe loader where PyYAML was built with it
(about five times faster than the pure-Python one, and building the pipeline reads them all)."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str) -> Any:
    return yaml.load(text, Loader=LOADER)


def load(name: str) -> Any:
    """A data file of this folder, parsed."""
    return parse((resources.files("extractors") / "resources" / name).read_text("utf-8"))
