"""The interface between chart text and the rules: documents in, facts with evidence out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from extractors.documents import Document
from extractors.facts import Fact


class Extractor(Protocol):
    def extract(self, documents: Sequence[Document], service_date: dt.date) -> list[Fact]:
        """Every fact the guideline needs, found in the documents, with evidence spans."""
        ...
