"""A PAS request Bundle (Claim, Patient, Practitioner or Organization, Coverage, and the chart as
DocumentReference or Binary) as the contract's request and the chart's files."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from chart_review.errors import ChartReviewError, E

# Code systems whose codes are procedures the guideline lists (CPT and HCPCS Level II).
PROCEDURE_SYSTEMS = ("http://www.ama-assn.org/go/cpt", "urn:oid:2.16.840.1.113883.6.12",
                     "https://bluebutton.cms.gov/resources/codesystem/hcpcs", "urn:oid:2.16.840.1.113883.6.285",
                     "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets")
_SUFFIX = {"text/plain": ".txt", "application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg",
           "image/tiff": ".tif"}


@dataclass(frozen=True)
class PasRequest:
    request: dict[str, Any]  # CONTRACT.md section 1
    files: list[tuple[str, bytes]]
    claim_id: str | None
    claim_identifier: dict[str, Any] | None
    patient_ref: str | None
    insurer_ref: str | None
    provider_ref: str | None


def _invalid(problem: str) -> ChartReviewError:
    return ChartReviewError(E.FHIR_INVALID, problem=problem)


def _validated(data: Any) -> Any:
    from fhir.resources.R4B.bundle import Bundle

    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise _invalid("the body is not a FHIR Bundle (resourceType Bundle)")
    try:
        return Bundle.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise _invalid(f"Bundle.{where}: {first.get('msg')}") from None


def _by_ref(bundle: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for entry in bundle.entry or []:
        resource = entry.resource
        if resource is None:
            continue
        kind = resource.get_resource_type()
        if resource.id:
            found[f"{kind}/{resource.id}"] = resource
        if entry.fullUrl:
            found[entry.fullUrl] = resource
    return found


def _file(content_type: str | None, data: Any, title: str | None, name: str) -> tuple[str, bytes]:
    """A chart file from an attachment's or a Binary's content type and data (fhir.resources
    gives base64Binary as the decoded bytes)."""
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind not in _SUFFIX:
        raise ChartReviewError(E.DOCUMENT_UNSUPPORTED, source=name, kind=kind or "(no contentType)")
    if data is None:
        raise _invalid(f"{name}: the attachment has no data (a url-only attachment cannot be fetched)")
    if isinstance(data, bytes):
        content = data
    else:
        try:
            content = base64.b64decode(str(data), validate=True)
        except (binascii.Error, ValueError):
            raise _invalid(f"{name}: the attachment's data is not base64") from None
    title = (title or name).replace("/", "_").strip() or name
    if not title.lower().endswith(tuple(_SUFFIX.values())):
        title += _SUFFIX[kind]
    return title, content


def read_bundle(data: Any) -> PasRequest:
    """The request and chart files a PAS Bundle carries, or a ChartReviewError naming what is wrong."""
    bundle = _validated(data)
    resources = _by_ref(bundle)
    claims = [r for r in resources.values() if r.get_resource_type() == "Claim"]
    if not claims:
        raise _invalid("the Bundle has no Claim")
    claim = claims[0]
    codes: list[str] = []
    units = 1
    service_date = None
    for item in claim.item or []:
        for coding in (item.productOrService.coding or []) if item.productOrService else []:
            if coding.code and (coding.system is None or coding.system in PROCEDURE_SYSTEMS):
                codes.append(str(coding.code))
        if item.quantity is not None and item.quantity.value:
            units = max(units, int(item.quantity.value))
        if item.servicedDate is not None:
            service_date = str(item.servicedDate)
        elif item.servicedPeriod is not None and item.servicedPeriod.start is not None:
            service_date = str(item.servicedPeriod.start)[:10]
    if not codes:
        raise _invalid("Claim.item has no procedure code (CPT or HCPCS in productOrService.coding)")
    request: dict[str, Any] = {"procedure_codes": list(dict.fromkeys(codes)), "units": units}
    if service_date:
        request["service_date"] = service_date
    identifier = claim.identifier[0] if claim.identifier else None
    if identifier is not None and identifier.value:
        request["reference"] = str(identifier.value)[:200]
    patient_ref = claim.patient.reference if claim.patient else None
    patient = resources.get(patient_ref or "")
    person: dict[str, Any] = {}
    if patient is not None:
        if patient.name:
            name = patient.name[0]
            text = name.text or " ".join([*(name.given or []), name.family or ""]).strip()
            if text:
                person["name"] = text[:200]
        if patient.birthDate is not None:
            person["birth_date"] = str(patient.birthDate)
    for insurance in claim.insurance or []:
        coverage = resources.get(insurance.coverage.reference or "") if insurance.coverage else None
        if coverage is not None and coverage.subscriberId:
            person["member_id"] = str(coverage.subscriberId)[:100]
            break
    if person:
        request["patient"] = person
    provider_ref = claim.provider.reference if claim.provider else None
    provider = resources.get(provider_ref or "")
    if provider is not None:
        who: dict[str, Any] = {}
        if provider.get_resource_type() == "Organization" and provider.name:
            who["name"] = provider.name[:200]
        elif provider.get_resource_type() == "Practitioner" and provider.name:
            n = provider.name[0]
            text = n.text or " ".join([*(n.given or []), n.family or ""]).strip()
            if text:
                who["name"] = text[:200]
        for ident in provider.identifier or []:
            if ident.system == "http://hl7.org/fhir/sid/us-npi" and ident.value:
                who["npi"] = str(ident.value)
        if who:
            request["requesting_provider"] = who
    files: list[tuple[str, bytes]] = []
    # The Bundle's entries, each once (the lookup above holds a resource under two keys).
    for resource in (entry.resource for entry in bundle.entry or [] if entry.resource is not None):
        kind = resource.get_resource_type()
        if kind == "DocumentReference":
            for content in resource.content or []:
                attachment = content.attachment
                files.append(_file(attachment.contentType, attachment.data, attachment.title,
                                   f"{resource.id or 'document'}-{len(files) + 1}"))
        elif kind == "Binary":
            name = f"{resource.id or 'binary'}-{len(files) + 1}"
            files.append(_file(resource.contentType, resource.data, None, name))
    if not files:
        raise ChartReviewError(E.NO_DOCUMENTS, source="Bundle")
    names: dict[str, int] = {}
    unique = []
    for name, raw in files:
        n = names.get(name, 0)
        names[name] = n + 1
        unique.append((name if not n else f"{n + 1}-{name}", raw))
    return PasRequest(request=request, files=unique, claim_id=claim.id,
                      claim_identifier=identifier.model_dump(mode="json", exclude_none=True) if identifier else None,
                      patient_ref=patient_ref, insurer_ref=claim.insurer.reference if claim.insurer else None,
                      provider_ref=provider_ref)
