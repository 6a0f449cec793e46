"""The public vocabulary of CONTRACT.md sections 1 and 2: request, evidence, criterion result, decision.

These models are what the intake system sends and receives; they change only with a contract
version bump. Validation messages name the field, so a caller knows what to fix.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, ValidationInfo, field_validator

RequestType = Literal["trial", "permanent", "replacement"]
Logic = Literal["all", "any", "leaf"]


class Status(StrEnum):
    """Three-valued status of a criterion: `met` always means "the statement is true"."""

    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


class Determination(StrEnum):
    MEETS = "meets_criteria"
    DOES_NOT_MEET = "does_not_meet_criteria"
    INSUFFICIENT = "insufficient_information"
    OUTSIDE = "outside_guideline"


class Evidence(BaseModel):
    """A half-open character span of one document; `text` equals the document's text there."""

    model_config = ConfigDict(frozen=True)

    document: str
    start: int = Field(ge=0)
    end: int = Field(gt=0)
    text: str
    page: int | None = None
    # Contract 1.1: who found it. None means the rules; "llm" is a model's quote, grounded in the
    # source and checked by ConText (extractors/llm); "reviewer" a person's.
    origin: Literal["rules", "llm", "reviewer"] | None = None


def _date_as_text(value: object) -> object:
    # JSON has no date type: a number would be read as a Unix timestamp and move every window.
    if value is not None and not isinstance(value, str | dt.date):
        raise ValueError("give the date as text, YYYY-MM-DD")
    return value


def _number_as_text(value: object) -> object:
    # Identifiers are text, but intake systems often send them as JSON numbers.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


# Identity text is stored in databases that refuse a NUL character (PostgreSQL): refused here instead.
NO_NUL = r"^[^\x00]*$"
# A date given as text ("2024-05-02"), and an identifier given as text or a number.
DateText = Annotated[dt.date | None, BeforeValidator(_date_as_text)]
IdText = Annotated[str | None, BeforeValidator(_number_as_text, json_schema_input_type=str | int | None)]


class Patient(BaseModel):
    """Known demographics; contract 1.1 adds who the patient is (stored and shown, never logged)."""

    model_config = ConfigDict(extra="forbid")

    age_years: StrictInt | None = Field(default=None, ge=0, le=125)
    member_id: IdText = Field(default=None, min_length=1, max_length=100, pattern=NO_NUL)
    name: str | None = Field(default=None, min_length=1, max_length=200, pattern=NO_NUL)
    birth_date: DateText = None


class RequestingProvider(BaseModel):
    """Contract 1.1: who asks, so a request for information can be addressed to them."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200, pattern=NO_NUL)
    # Not checked against the NPI format: a mistyped NPI must not stop a review of the chart.
    npi: IdText = Field(default=None, min_length=1, max_length=20, pattern=NO_NUL)


class ReviewRequest(BaseModel):
    """CONTRACT.md section 1. Pass `context={"codes": {...}}` to check codes against a guideline."""

    model_config = ConfigDict(extra="forbid")

    procedure_codes: list[str] = Field(min_length=1)
    request_type: RequestType | None = None
    units: StrictInt = Field(default=1, ge=1)
    service_date: DateText = None
    patient: Patient | None = None
    # Contract 1.1 case identity: the intake system's own id for the request.
    reference: str | None = Field(default=None, min_length=1, max_length=200, pattern=NO_NUL)
    requesting_provider: RequestingProvider | None = None

    @field_validator("procedure_codes")
    @classmethod
    def _codes_in_guideline(cls, codes: list[str], info: ValidationInfo) -> list[str]:
        cleaned = [code.strip().upper() for code in codes]
        known = (info.context or {}).get("codes")
        if known is not None:
            unknown = [code for code in cleaned if code not in known]
            if unknown:
                listed = ", ".join(sorted(known))
                raise ValueError(
                    f"unknown procedure code {', '.join(map(repr, unknown))}; "
                    f"the guideline lists {listed}"
                )
        return cleaned

    def effective_service_date(self) -> dt.date:
        """The date windows are measured back from: the request's, else today."""
        return self.service_date or dt.date.today()


class CriterionResult(BaseModel):
    """One node of the evaluated guideline tree (CONTRACT.md section 2)."""

    id: str
    text: str
    logic: Logic
    status: Status
    evidence: list[Evidence] = Field(default_factory=list)
    children: list[CriterionResult] = Field(default_factory=list)
    # Beyond the contract, for reviewers: why this status, and for an unknown leaf what
    # documentation would decide it.
    reason: str | None = None
    needs: str | None = None
    needs_from: str | None = None


class GuidelineRef(BaseModel):
    id: str
    version: str


class DocumentRef(BaseModel):
    name: str
    sha256: str
    pages: int


class Disposition(StrEnum):
    """Contract 1.1: what automation does with the decision. It approves or pends; it never denies."""

    APPROVE = "approve"
    PEND_INFORMATION = "pend_information"
    PEND_CLINICAL_REVIEW = "pend_clinical_review"
    OUTSIDE = "outside_guideline"


class Conflict(BaseModel):
    """Contract 1.1: a leaf the chart both affirms and denies, with both sides' quotes."""

    criterion: str
    affirmed: list[Evidence]
    denied: list[Evidence]


class MissingDocumentation(BaseModel):
    """Beyond the contract's `missing` ids: what to ask for, and of whom, in words a provider's
    office can act on."""

    criterion: str
    documentation: str
    request_from: str | None = None
    sentence: str


class Decision(BaseModel):
    """CONTRACT.md section 2, with contract 1.1's disposition and conflicts."""

    determination: Determination
    request_type: RequestType | None
    pathway: str | None
    summary: str
    criteria: list[CriterionResult]
    missing: list[str]
    findings: list[str]
    guideline: GuidelineRef
    documents: list[DocumentRef]
    disposition: Disposition | None = None
    disposition_reasons: list[str] = Field(default_factory=list)
    conflicts: list[Conflict] = Field(default_factory=list)
    missing_documentation: list[MissingDocumentation] = Field(default_factory=list)
