"""A data file's key written twice is silently one (YAML keeps the last): a lexicon added under a
name already in use replaces the first, and every rule naming it reads the wrong words. Each
mapping in the extractors' data files names each key once."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest
import yaml

FILES = ["target_rules.yaml", "context_rules.yaml", "layout.yaml", "attribution.yaml"]


class _Strict(yaml.SafeLoader):
    pass


def _mapping(loader: _Strict, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise ValueError(f"key {key!r} written twice (line {key_node.start_mark.line + 1})")
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_Strict.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


@pytest.mark.parametrize("name", FILES)
def test_each_key_is_written_once(name: str) -> None:
    text = (resources.files("extractors") / "resources" / name).read_text("utf-8")
    assert yaml.load(text, Loader=_Strict) is not None
