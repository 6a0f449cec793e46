"""Bounds on what one upload may cost: bytes, pages, pixels, memory and seconds."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_text_bytes: int = 5 * 1024 * 1024
    max_pdf_bytes: int = 50 * 1024 * 1024
    max_image_bytes: int = 25 * 1024 * 1024
    max_pages: int = 300
    # Rendering a page for OCR: about 300 dpi for a letter page, never more pixels than this.
    max_render_pixels: int = 12_000_000
    ocr_dpi: int = 300
    ocr_seconds_per_page: float = 60.0
    # The whole parse of one file, OCR included, in its own process.
    parse_seconds: float = 900.0
    parse_memory_bytes: int = 3 * 1024 * 1024 * 1024


DEFAULT_LIMITS = Limits()
