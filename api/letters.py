"""The request for information: a letter to the requesting provider listing exactly the
documentation the decision found missing (issue 11), as JSON and as text a page can print.

Built from the decision's `missing_documentation` (each item says what to send and from whom) and
the request's contract 1.1 identity; nothing else of the chart goes into it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from api.service import identity_text
from chart_review.contract import Decision, MissingDocumentation


class Addressee(BaseModel):
    name: str | None = None
    npi: str | None = None


class RequestForInformation(BaseModel):
    review_id: str
    reference: str | None = Field(default=None, description="The intake system's reference for the request")
    patient_name: str | None = None
    member_id: str | None = None
    birth_date: str | None = None
    procedure_codes: list[str]
    to: Addressee = Field(description="The requesting provider, as the request named them")
    dated: dt.date
    items: list[MissingDocumentation] = Field(description="What to send, and from whom; empty when nothing is missing")
    letter: str = Field(description="The letter as plain text, ready to print or fax")


def request_for_information(review_id: str, request: dict[str, Any], decision: Decision,
                            dated: dt.date) -> RequestForInformation:
    patient = request.get("patient") or {}
    provider = request.get("requesting_provider") or {}
    to = Addressee(name=identity_text(provider.get("name")), npi=identity_text(provider.get("npi")))
    rfi = RequestForInformation(
        review_id=review_id, reference=identity_text(request.get("reference")),
        patient_name=identity_text(patient.get("name")),
        member_id=identity_text(patient.get("member_id")), birth_date=identity_text(patient.get("birth_date")),
        procedure_codes=[str(c) for c in request.get("procedure_codes") or []], to=to, dated=dated,
        items=list(decision.missing_documentation), letter="")
    rfi.letter = _letter(rfi)
    return rfi


def _letter(rfi: RequestForInformation) -> str:
    about = rfi.patient_name or "the patient"
    ids = [f"member ID {rfi.member_id}" if rfi.member_id else "", f"born {rfi.birth_date}" if rfi.birth_date else ""]
    who = ", ".join(part for part in ids if part)
    lines = [
        f"Date: {rfi.dated.isoformat()}",
        f"To: {rfi.to.name or 'the requesting provider'}" + (f" (NPI {rfi.to.npi})" if rfi.to.npi else ""),
        f"Re: prior authorization request {rfi.reference or rfi.review_id}"
        + f" for {about}" + (f" ({who})" if who else "")
        + f", procedure codes {', '.join(rfi.procedure_codes)}",
        "",
    ]
    if not rfi.items:
        lines.append("The documentation received answers every criterion the review needs; nothing further is "
                     "requested.")
        return "\n".join(lines)
    lines += ["We are reviewing this request against the Intrathecal Pain Pumps guideline. To complete the "
              "review, please send the following documentation:", ""]
    for number, item in enumerate(rfi.items, 1):
        source = f" (from {item.request_from})" if item.request_from else ""
        lines.append(f"{number}. {item.documentation}{source}.")
    lines += ["", "Until it is received the request is pended for information; it has not been denied. Please "
                  f"quote the reference {rfi.reference or rfi.review_id} with your reply."]
    return "\n".join(lines)
