"""rules.guideline: the shipped guideline matches CONTRACT.md section 3; bad guidelines are refused
with a ChartReviewError that names the place to fix."""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from chart_review.contract import Status
from chart_review.errors import ChartReviewError, E
from rules.engine import Evaluator, FactBase
from rules.guideline import (
    FactTest,
    Guideline,
    Node,
    fact_tests,
    load_guideline,
    parse_guideline,
)
from tests.conftest import CONTRACT_MD, REPO, require_shared

SHIPPED = REPO / "rules" / "guidelines" / "intrathecal-pain-pumps-v2.yaml"
OUTSIDE_CODES = ["62355", "62365", "62367", "62368", "62369", "62370", "95990", "95991"]


def contract_tree() -> dict[str, tuple[str, str | None]]:
    """Criterion id -> (logic, parent id), read from CONTRACT.md section 3 as contract_check does."""
    text = require_shared(CONTRACT_MD).read_text(encoding="utf-8")
    block = text.split("## 3. Criterion IDs", 1)[1].split("```", 2)[1]
    tree: dict[str, tuple[str, str | None]] = {}
    stack: list[tuple[int, str]] = []
    for line in block.splitlines():
        m = re.match(r"^( *)([a-z_][a-z0-9_.]*)\s+(any|all|leaf)\b", line)
        if not m:
            continue
        depth, cid, logic = len(m.group(1)), m.group(2), m.group(3)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        tree[cid] = (logic, stack[-1][1] if stack else None)
        stack.append((depth, cid))
    return tree


def guideline_tree(guideline: Guideline) -> dict[str, tuple[str, str | None]]:
    tree: dict[str, tuple[str, str | None]] = {}

    def visit(node: Node, parent: str | None) -> None:
        tree[node.id] = (node.logic, parent)
        for child in node.children:
            visit(child, node.id)

    visit(guideline.indications, None)
    visit(guideline.exclusions, None)
    return tree


# -- the shipped guideline -------------------------------------------------------------------


def test_guideline_shipped_loads(guideline):
    assert (guideline.id, guideline.version) == ("intrathecal-pain-pumps", "2")
    assert guideline.units_allowed == 1
    assert guideline.device_in_place_fact in guideline.facts


def test_guideline_shipped_same_from_path_and_package(guideline):
    assert load_guideline(SHIPPED) == guideline


def test_guideline_contract_tree_parses():
    # Guards the parser below: a broken parse would make the comparisons vacuous.
    tree = contract_tree()
    assert len(tree) > 60
    assert tree["indication"] == ("any", None)
    assert tree["non_indication"] == ("any", None)
    assert tree["cancer_pain.replacement.recalled"] == ("leaf", "cancer_pain.replacement.reason")


def test_guideline_criterion_ids_match_contract(guideline):
    ours, theirs = set(guideline_tree(guideline)), set(contract_tree())
    assert ours - theirs == set(), "criteria the contract does not list"
    assert theirs - ours == set(), "contract criteria the guideline lacks"


def test_guideline_logic_and_parent_match_contract(guideline):
    ours, theirs = guideline_tree(guideline), contract_tree()
    wrong = {cid: (ours[cid], want) for cid, want in theirs.items() if cid in ours and ours[cid] != want}
    assert wrong == {}


def test_guideline_ids_unique(guideline):
    ids = [node.id for node in guideline.nodes()]
    assert len(ids) == len(set(ids))


def test_guideline_agrees_with_contract_check(guideline, contract_check):
    # The checker that grades decisions reads the same tree.
    assert guideline_tree(guideline) == contract_check.contract_tree()


def test_guideline_pathways(guideline):
    pathways = guideline.pathways()
    assert [p.id for p in pathways] == ["cancer_pain", "spasticity", "chronic_pain"]
    assert all(p.applies_when is not None for p in pathways)


@pytest.mark.parametrize(("codes", "kind"), [
    (OUTSIDE_CODES, "outside"),
    (["E0785", "E0786"], "replacement"),
    (["62323", "62324", "62325", "62326", "62327"], "trial"),
    (["62350", "62351", "62360", "62361", "62362", "E0782", "E0783"], "implant"),
])
def test_guideline_code_kinds(guideline, codes, kind):
    assert {code: guideline.codes[code].kind for code in codes} == dict.fromkeys(codes, kind)


@pytest.mark.parametrize("code", OUTSIDE_CODES)
def test_guideline_outside_codes_give_a_reason(guideline, code):
    assert guideline.codes[code].reason


def test_guideline_non_indications_are_not_met_when_absent(guideline):
    # CONTRACT.md 2: a non-indication is not_met unless the chart affirms it.
    leaves = [n for n in guideline.exclusions.walk() if n.logic == "leaf"]
    assert len(leaves) == 12
    # Each reads facts, and on a chart that says nothing it is not_met, whatever the request.
    assert all(list(fact_tests(n.test)) for n in leaves)
    empty = FactBase.build([], guideline)
    for request_type in ("trial", "permanent", "replacement"):
        evaluator = Evaluator(guideline, empty, request_type, dt.date(2025, 1, 15))
        assert {n.id: evaluator.node(n).status for n in leaves} == {n.id: Status.NOT_MET for n in leaves}


def test_guideline_undecidable_leaves_say_what_would_decide_them(guideline):
    # Every indication leaf that can be unknown carries `needs`; only request-type leaves,
    # which the request always decides, go without.
    leaves = [n for n in guideline.indications.walk() if n.logic == "leaf"]
    lacking = [n.id for n in leaves if not n.needs]
    assert lacking == ["cancer_pain.trial_request", "spasticity.trial_request", "chronic_pain.trial_request"]


@pytest.mark.parametrize(("replacement_reason", "children"), [
    ("cancer_pain.replacement.reason", ["not_functioning", "recalled", "impending_failure"]),
    ("spasticity.replacement.reason", ["not_functioning", "recalled", "impending_failure"]),
    ("chronic_pain.replacement.reason", ["not_functioning", "upgrade_required", "impending_failure"]),
])
def test_guideline_replacement_reasons_as_written(guideline, replacement_reason, children):
    # The guideline's own asymmetry: chronic pain has an upgrade where the others have a recall.
    node = guideline.node(replacement_reason)
    assert [c.id.rsplit(".", 1)[1] for c in node.children] == children


def test_guideline_every_fact_is_used(guideline):
    from rules.guideline import facts_named

    used = {guideline.device_in_place_fact}
    for node in guideline.nodes():
        for test in (node.test, node.ruled_out_by, node.applies_when):
            used.update(facts_named(test))
    assert set(guideline.facts) - used == set()


# -- loader errors ---------------------------------------------------------------------------


def minimal() -> dict[str, Any]:
    return {
        "id": "tiny", "version": "1", "title": "Tiny",
        "codes": {"A1": {"kind": "trial", "description": "a trial"}},
        "facts": {"sign": {"kind": "presence", "about": "a sign"}},
        "indications": {"id": "ind", "logic": "any", "text": "any of", "children": [
            {"id": "ind.sign", "logic": "leaf", "text": "the sign", "test": {"fact": "sign"}},
        ]},
        "exclusions": {"id": "exc", "logic": "any", "text": "none of", "children": [
            {"id": "exc.sign", "logic": "leaf", "text": "no sign", "test": {"fact": "sign", "absent": "not_met"}},
        ]},
    }


def _leaf(data: dict[str, Any]) -> dict[str, Any]:
    return data["indications"]["children"][0]


Mutation = Callable[[dict[str, Any]], Any]

LOADER_ERRORS: list[tuple[str, Mutation, list[str]]] = [
    ("unknown fact in a test", lambda d: _leaf(d)["test"].update(fact="nope"),
     ["'ind.sign'", "unknown fact 'nope'"]),
    ("unknown fact inside not", lambda d: _leaf(d).update(test={"not": {"fact": "nope"}}),
     ["'ind.sign'", "unknown fact 'nope'"]),
    ("unknown fact in ruled_out_by", lambda d: _leaf(d).update(ruled_out_by={"fact": "nope"}),
     ["'ind.sign'", "unknown fact 'nope'"]),
    ("unknown fact in applies_when", lambda d: d["indications"].update(applies_when={"fact": "nope"}),
     ["'ind'", "unknown fact 'nope'"]),
    ("unknown device_in_place_fact", lambda d: d.update(device_in_place_fact="nope"),
     ["device_in_place_fact", "'nope'"]),
    ("duplicate id", lambda d: d["exclusions"]["children"][0].update(id="ind.sign"),
     ["'ind.sign'", "appears twice"]),
    ("leaf without test", lambda d: _leaf(d).pop("test"),
     ["'ind.sign'", "leaf without a test"]),
    ("leaf with children", lambda d: _leaf(d).update(children=[copy.deepcopy(_leaf(d)) | {"id": "x"}]),
     ["'ind.sign'", "leaf but has children"]),
    ("any without children", lambda d: d["indications"].update(children=[]),
     ["'ind'", "'any'", "no children"]),
    ("all without children", lambda d: d["exclusions"].update(logic="all", children=[]),
     ["'exc'", "'all'", "no children"]),
    ("children omitted", lambda d: d["indications"].pop("children"),
     ["'ind'", "no children"]),
    ("test on a branch", lambda d: d["indications"].update(test={"fact": "sign"}),
     ["'ind'", "only leaves have tests"]),
    ("bad logic value", lambda d: _leaf(d).update(logic="xor"),
     ["indications.children.0.logic", "'all', 'any' or 'leaf'"]),
    ("unknown key on a node", lambda d: _leaf(d).update(colour="red"),
     ["indications.children.0.colour", "Extra inputs"]),
    ("unknown key in a test", lambda d: _leaf(d)["test"].update(at_leest=3),
     ["indications.children.0.test", "at_leest", "Extra inputs"]),
    ("unknown top-level key", lambda d: d.update(colour="red"),
     ["colour", "Extra inputs"]),
    ("test of no known shape", lambda d: _leaf(d).update(test={"facts": "sign"}),
     ["indications.children.0.test"]),
    ("bad absent value", lambda d: _leaf(d)["test"].update(absent="yes"),
     ["indications.children.0.test.fact.absent"]),
    ("empty all test", lambda d: _leaf(d).update(test={"all": []}),
     ["indications.children.0.test.all"]),
    ("empty request_type test", lambda d: _leaf(d).update(test={"request_type": []}),
     ["indications.children.0.test.request_type"]),
    ("bad request type", lambda d: _leaf(d).update(test={"request_type": ["refill"]}),
     ["indications.children.0.test.request_type"]),
    ("bad fact kind", lambda d: d["facts"]["sign"].update(kind="bogus"),
     ["facts.sign.kind"]),
    ("bad historical value", lambda d: d["facts"]["sign"].update(historical="maybe"),
     ["facts.sign.historical"]),
    ("bad code kind", lambda d: d["codes"]["A1"].update(kind="refill"),
     ["codes.A1.kind"]),
    ("no codes", lambda d: d.pop("codes"), ["codes", "Field required"]),
    ("no exclusions", lambda d: d.pop("exclusions"), ["exclusions", "Field required"]),
    ("units_allowed 0", lambda d: d.update(units_allowed=0), ["units_allowed"]),
]


def test_guideline_minimal_is_valid():
    # The base every loader-error row mutates must itself load.
    assert parse_guideline(minimal(), "tiny.yaml").node("ind.sign").logic == "leaf"


@pytest.mark.parametrize(("mutate", "fragments"), [pytest.param(m, f, id=i) for i, m, f in LOADER_ERRORS])
def test_guideline_parse_errors_name_the_place(mutate, fragments):
    data = minimal()
    mutate(data)
    with pytest.raises(ChartReviewError) as info:
        parse_guideline(data, "tiny.yaml")
    assert info.value.error is E.GUIDELINE_INVALID
    message = str(info.value)
    assert message.startswith("E001 guideline tiny.yaml: ")
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message


@pytest.mark.parametrize("data", [None, [], "a string", 3])
def test_guideline_parse_refuses_non_mappings(data):
    with pytest.raises(ChartReviewError, match="tiny.yaml: not a mapping"):
        parse_guideline(data, "tiny.yaml")


def test_guideline_x_keys_are_anchors_not_fields():
    data = minimal() | {"x-tests": {"shared": {"fact": "sign"}}}
    assert parse_guideline(data, "tiny.yaml").id == "tiny"


def test_guideline_yaml_anchors_are_shared(tmp_path):
    text = """
x-tests:
  seen: &seen {fact: sign}
id: tiny
version: "1"
title: Tiny
codes: {A1: {kind: trial, description: a trial}}
facts: {sign: {kind: presence, about: a sign}}
indications: {id: ind, logic: any, text: t, children: [{id: ind.sign, logic: leaf, text: s, test: *seen}]}
exclusions: {id: exc, logic: any, text: t, children: [{id: exc.sign, logic: leaf, text: s, test: *seen}]}
"""
    path = tmp_path / "tiny.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_guideline(path)
    assert loaded.node("ind.sign").test == loaded.node("exc.sign").test == FactTest(fact="sign")


def _write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "broken.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "fragments"), [
    pytest.param("id: tiny\ncodes: {A1: [unclosed\n", ["not YAML", "line"], id="yaml syntax error"),
    pytest.param("id: tiny\n  bad: indent\n", ["not YAML", "line 2"], id="bad indentation"),
    pytest.param("", ["not a mapping"], id="empty file"),
    pytest.param("- just\n- a list\n", ["not a mapping"], id="a list"),
    pytest.param(yaml.safe_dump(minimal() | {"colour": "red"}), ["colour"], id="unknown key"),
])
def test_guideline_load_errors_name_the_file(tmp_path, text, fragments):
    path = _write(tmp_path, text)
    with pytest.raises(ChartReviewError) as info:
        load_guideline(path)
    message = str(info.value)
    assert message.startswith(f"E001 guideline {path}: ")
    for fragment in fragments:
        assert fragment in message


def test_guideline_load_missing_file(tmp_path):
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(ChartReviewError) as info:
        load_guideline(path)
    assert str(info.value) == f"E001 guideline {path}: No such file or directory"


def test_guideline_load_directory(tmp_path):
    with pytest.raises(ChartReviewError, match=re.escape(str(tmp_path))):
        load_guideline(tmp_path)


def test_guideline_load_not_utf8(tmp_path):
    path = _write(tmp_path, b"id: tiny\ntitle: caf\xe9\n")
    with pytest.raises(ChartReviewError, match=re.escape(str(path))):
        load_guideline(path)


@pytest.mark.parametrize("test", [
    pytest.param({"fact": "score", "at_least": 3, "within_months": 12}, id="window on a quantity"),
    pytest.param({"fact": "sign", "months_at_least": 6}, id="duration threshold on a presence fact"),
    pytest.param({"fact": "sign", "at_least": 3}, id="quantity threshold on a presence fact"),
])
def test_guideline_refuses_tests_that_cannot_apply_to_the_fact(test):
    data = minimal()
    data["facts"]["score"] = {"kind": "quantity", "about": "a score"}
    _leaf(data)["test"] = test
    with pytest.raises(ChartReviewError, match="ind.sign"):
        parse_guideline(data, "tiny.yaml")
