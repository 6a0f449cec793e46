"""Hand-built charts for rule tests: facts whose evidence points into real document text.

Each fact gets its own line of text, so every Evidence is exact (`text == doc[start:end]`)
and a case directory written from the chart passes the contract checker's offset test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chart_review.contract import DocumentRef, Evidence
from extractors.documents import Document
from extractors.facts import Assertion, Fact

NOTE = "note.txt"


def fact(name: str, assertion: str = "affirmed", **fields: Any) -> dict[str, Any]:
    """A fact spec for a table row: name, assertion, and Fact fields (value, unit, period)."""
    return {"name": name, "assertion": assertion, **fields}


def period(start: str, end: str) -> dict[str, dt.date]:
    return {"period_start": dt.date.fromisoformat(start), "period_end": dt.date.fromisoformat(end)}


@dataclass
class Chart:
    """Documents by name, and the facts whose evidence quotes them."""

    texts: dict[str, str] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)

    @classmethod
    def of(cls, specs: list[dict[str, Any]]) -> Chart:
        chart = cls()
        for spec in specs:
            chart.add(**spec)
        return chart

    def add(self, name: str, assertion: str = "affirmed", *, document: str = NOTE,
            quote: str | None = None, **fields: Any) -> Fact:
        quote = quote or f"[{assertion}] {name.replace('_', ' ')} {fields.get('value', '')}".strip()
        text = self.texts.get(document, f"Chart note {document}.\n")
        start = len(text)
        self.texts[document] = text + quote + "\n"
        evidence = Evidence(document=document, start=start, end=start + len(quote), text=quote)
        made = Fact(name=name, assertion=Assertion(assertion), evidence=[evidence],
                    rule_id=f"test.{name}", reason=f"{assertion} {name}", **fields)
        self.facts.append(made)
        return made

    def documents(self) -> list[Document]:
        return [Document.from_text(name, text) for name, text in (self.texts or {NOTE: "Empty chart.\n"}).items()]

    def refs(self) -> list[DocumentRef]:
        return [DocumentRef(name=d.name, sha256=d.sha256, pages=d.pages) for d in self.documents()]

    def write_case(self, root: Path) -> Path:
        """A case directory (CONTRACT.md section 4) whose documents/ holds this chart's text."""
        folder = root / "documents"
        folder.mkdir(parents=True, exist_ok=True)
        for doc in self.documents():
            (folder / doc.name).write_text(doc.text, encoding="utf-8")
        return root
