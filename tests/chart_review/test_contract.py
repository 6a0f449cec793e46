"""chart_review.review.parse_request / load_request: CONTRACT.md section 1, with errors that name
the field to fix."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from chart_review.contract import ReviewRequest
from chart_review.errors import ChartReviewError, E
from chart_review.review import load_request, parse_request

OK = {"procedure_codes": ["62362", "E0783"]}


def error_of(data: Any, guideline) -> ChartReviewError:
    with pytest.raises(ChartReviewError) as info:
        parse_request(data, "request.json", guideline)
    return info.value


@pytest.mark.parametrize(("data", "expected"), [
    pytest.param(OK, {"procedure_codes": ["62362", "E0783"], "request_type": None, "units": 1,
                      "service_date": None, "patient": None}, id="codes only"),
    pytest.param({"procedure_codes": ["62362", "E0783"], "request_type": "permanent", "units": 1,
                  "service_date": "2024-05-02", "patient": {"age_years": 57}},
                 {"procedure_codes": ["62362", "E0783"], "request_type": "permanent", "units": 1,
                  "service_date": dt.date(2024, 5, 2),
                  "patient": {"age_years": 57, "member_id": None, "name": None, "birth_date": None}},
                 id="the contract's example"),
    pytest.param({"procedure_codes": [" e0786 ", "62323"]}, {"procedure_codes": ["E0786", "62323"]},
                 id="codes trimmed and upper-cased"),
    pytest.param({"procedure_codes": ["95990"], "units": 3}, {"procedure_codes": ["95990"], "units": 3},
                 id="units above the allowance parse; decide reports them"),
    pytest.param({"procedure_codes": ["62323"], "request_type": None}, {"request_type": None},
                 id="request_type null"),
    pytest.param({"procedure_codes": ["62323"], "patient": {}},
                 {"patient": {"age_years": None, "member_id": None, "name": None, "birth_date": None}},
                 id="empty patient"),
    pytest.param({"procedure_codes": ["62362"], "reference": "PA-2024-000123",
                  "patient": {"age_years": 57, "member_id": "W123456789", "name": "Jane Q. Sample",
                              "birth_date": "1967-02-11"},
                  "requesting_provider": {"name": "Northside Pain Associates", "npi": "1234567893"}},
                 {"reference": "PA-2024-000123",
                  "patient": {"age_years": 57, "member_id": "W123456789", "name": "Jane Q. Sample",
                              "birth_date": dt.date(1967, 2, 11)},
                  "requesting_provider": {"name": "Northside Pain Associates", "npi": "1234567893"}},
                 id="contract 1.1 case identity"),
    pytest.param({"procedure_codes": ["62362"], "patient": {"member_id": 998877},
                  "requesting_provider": {"npi": 1234567893}},
                 {"patient": {"age_years": None, "member_id": "998877", "name": None, "birth_date": None},
                  "requesting_provider": {"name": None, "npi": "1234567893"}},
                 id="identifiers sent as numbers are read as text"),
])
def test_contract_parse_request_valid(guideline, data, expected):
    parsed = parse_request(data, "request.json", guideline).model_dump()
    assert {key: parsed[key] for key in expected} == expected


@pytest.mark.parametrize(("data", "field", "fragments"), [
    pytest.param({"procedure_codes": ["99999"]}, "procedure_codes", ["unknown procedure code '99999'"],
                 id="unknown code"),
    pytest.param({"procedure_codes": ["62362", "X1234", "Y9"]}, "procedure_codes",
                 ["unknown procedure code 'X1234', 'Y9'"], id="two unknown codes"),
    pytest.param({"procedure_codes": []}, "procedure_codes", ["at least 1 item"], id="empty codes"),
    pytest.param({}, "procedure_codes", ["Field required"], id="no codes"),
    pytest.param({"procedure_codes": ["62362"], "request_type": "refill"}, "request_type",
                 ["'trial', 'permanent' or 'replacement'"], id="impossible request_type"),
    pytest.param({"procedure_codes": ["62362"], "request_type": "Permanent"}, "request_type", [],
                 id="request_type is case-sensitive"),
    pytest.param({"procedure_codes": ["62362"], "service_date": "2024-13-01"}, "service_date", ["month"],
                 id="month 13"),
    pytest.param({"procedure_codes": ["62362"], "service_date": "05/02/2024"}, "service_date", ["date"],
                 id="US date format"),
    pytest.param({"procedure_codes": ["62362"], "service_date": "2024-02-30"}, "service_date", [],
                 id="February 30"),
    pytest.param({"procedure_codes": ["62362"], "service_date": "soon"}, "service_date", [], id="not a date"),
    pytest.param({"procedure_codes": ["62362"], "units": 0}, "units", ["greater than or equal to 1"],
                 id="zero units"),
    pytest.param({"procedure_codes": ["62362"], "patient": {"age_years": 200}}, "patient.age_years", [],
                 id="impossible age"),
    pytest.param({"procedure_codes": ["62362"], "member_id": "A1"}, "member_id", ["Extra inputs"],
                 id="extra key"),
    pytest.param({"procedure_codes": ["62362"], "patient": {"age": 57}}, "patient.age", ["Extra inputs"],
                 id="extra patient key"),
    pytest.param({"procedure_codes": ["62362"], "reference": "x" * 201}, "reference", ["at most 200"],
                 id="reference too long"),
    pytest.param({"procedure_codes": ["62362"], "reference": ""}, "reference", [], id="reference empty"),
    pytest.param({"procedure_codes": ["62362"], "patient": {"birth_date": "02/11/1967"}},
                 "patient.birth_date", ["date"], id="birth date US format"),
    pytest.param({"procedure_codes": ["62362"], "requesting_provider": {"npi": "1" * 21}},
                 "requesting_provider.npi", [], id="NPI too long"),
    pytest.param({"procedure_codes": ["62362"], "requesting_provider": {"fax": "555"}},
                 "requesting_provider.fax", ["Extra inputs"], id="extra provider key"),
])
def test_contract_parse_request_errors_name_the_field(guideline, data, field, fragments):
    err = error_of(data, guideline)
    assert err.error is E.REQUEST_INVALID and err.http_status == 422
    assert str(err).startswith(f"E011 request.json: {field}: ")
    assert "\n" not in str(err)
    for fragment in fragments:
        assert fragment in str(err)


def test_contract_unknown_code_lists_the_guideline_codes(guideline):
    message = str(error_of({"procedure_codes": ["99999"]}, guideline))
    assert all(code in message for code in guideline.codes)


WRONG_TYPES: list[Any] = [
    pytest.param({"procedure_codes": "62362"}, "procedure_codes", id="codes as a string"),
    pytest.param({"procedure_codes": [62362]}, "procedure_codes.0", id="code as a number"),
    pytest.param({"procedure_codes": [None]}, "procedure_codes.0", id="code null"),
    pytest.param({"procedure_codes": {"0": "62362"}}, "procedure_codes", id="codes as an object"),
    pytest.param({"procedure_codes": ["62362"], "request_type": 1}, "request_type", id="request_type number"),
    pytest.param({"procedure_codes": ["62362"], "request_type": ["trial"]}, "request_type",
                 id="request_type list"),
    pytest.param({"procedure_codes": ["62362"], "units": "two"}, "units", id="units word"),
    pytest.param({"procedure_codes": ["62362"], "units": 1.5}, "units", id="units fraction"),
    pytest.param({"procedure_codes": ["62362"], "units": None}, "units", id="units null"),
    pytest.param({"procedure_codes": ["62362"], "service_date": ["2024-05-02"]}, "service_date",
                 id="service_date list"),
    pytest.param({"procedure_codes": ["62362"], "patient": []}, "patient", id="patient list"),
    pytest.param({"procedure_codes": ["62362"], "patient": {"age_years": "old"}}, "patient.age_years",
                 id="age word"),
    pytest.param([], "request", id="a list"),
    pytest.param("62362", "request", id="a string"),
    pytest.param(None, "request", id="null"),
    pytest.param({"procedure_codes": ["62362"], "units": True}, "units", id="units true"),
    pytest.param({"procedure_codes": ["62362"], "units": "2"}, "units", id="units as a string"),
    pytest.param({"procedure_codes": ["62362"], "service_date": 0}, "service_date", id="service_date number"),
    pytest.param({"procedure_codes": ["62362"], "patient": {"birth_date": 0}}, "patient.birth_date",
                 id="birth_date number"),
    pytest.param({"procedure_codes": ["62362"], "reference": 123}, "reference", id="reference number"),
]


@pytest.mark.parametrize(("data", "field"), WRONG_TYPES)
def test_contract_parse_request_wrong_json_types(guideline, data, field):
    assert str(error_of(data, guideline)).startswith(f"E011 request.json: {field}: ")


def test_contract_without_guideline_codes_any_code_parses():
    # The model alone checks shape; the guideline's code table comes in through the context.
    assert ReviewRequest.model_validate({"procedure_codes": ["99999"]}).procedure_codes == ["99999"]


@pytest.mark.parametrize(("service_date", "expected"), [
    ("2024-05-02", dt.date(2024, 5, 2)),
    (None, "today"),
])
def test_contract_effective_service_date(service_date, expected):
    request = ReviewRequest(procedure_codes=["62362"], service_date=service_date)
    assert request.effective_service_date() == (dt.date.today() if expected == "today" else expected)


# -- load_request: the file ------------------------------------------------------------------


@pytest.mark.parametrize(("content", "error", "fragment"), [
    pytest.param(b"{not json", E.REQUEST_NOT_JSON, "not valid JSON", id="not JSON"),
    pytest.param(b"", E.REQUEST_NOT_JSON, "not valid JSON", id="empty"),
    pytest.param(b"\xff\xfe{}", E.REQUEST_NOT_JSON, "not valid JSON", id="not UTF-8"),
    pytest.param(json.dumps({"procedure_codes": ["99999"]}).encode(), E.REQUEST_INVALID,
                 "procedure_codes: unknown procedure code '99999'", id="unknown code"),
    pytest.param(b"[]", E.REQUEST_INVALID, "request: ", id="a JSON list"),
])
def test_contract_load_request_errors(tmp_path, guideline, content, error, fragment):
    path = tmp_path / "R.json"
    path.write_bytes(content)
    with pytest.raises(ChartReviewError) as info:
        load_request(path, guideline)
    assert info.value.error is error
    assert str(info.value).startswith(f"{error.code} {path}: ")
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)


def test_contract_load_request_missing(tmp_path, guideline):
    with pytest.raises(ChartReviewError) as info:
        load_request(tmp_path / "R.json", guideline)
    assert str(info.value) == f"E020 {tmp_path / 'R.json'}: no such file"


def test_contract_load_request_ok(tmp_path, guideline):
    path = tmp_path / "R.json"
    path.write_text(json.dumps(OK | {"request_type": "permanent"}), encoding="utf-8")
    assert load_request(path, guideline).request_type == "permanent"
