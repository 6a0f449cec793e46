"""Make test PDFs and fax-like page images in code, instead of committing binaries.

A "fax" page is text rendered at 204 dpi, sampled down to 98 dpi vertically (standard fax
resolution), rotated a degree or two and speckled, then placed on a letter page.
"""

from __future__ import annotations

import io
import random
import textwrap

from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

LETTER_PT = (612, 792)


def typed_pdf(pages: list[str]) -> bytes:
    """A PDF with a real text layer, one string a page."""
    pdf = FPDF(format="letter")
    pdf.set_auto_page_break(False)
    for text in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=10)
        pdf.set_xy(15, 15)
        pdf.multi_cell(0, 5, text)
    return bytes(pdf.output())


def fax_image(text: str, seed: int = 0, skew: float = 1.2, speckle: float = 0.002) -> Image.Image:
    """A page of text as a fax machine would send it: 204x98 dpi, skewed, speckled, 1-bit."""
    rng = random.Random(seed)
    width, height = int(8.5 * 204), int(11 * 204)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=30)
    y = 120
    for paragraph in text.split("\n"):
        for line in textwrap.wrap(paragraph, 90) or [""]:
            draw.text((110, y), line, fill=0, font=font)
            y += 42
    page = page.rotate(rng.uniform(-skew, skew), expand=False, fillcolor=255)
    pixels = page.load()
    for _ in range(int(width * height * speckle)):
        pixels[rng.randrange(width), rng.randrange(height)] = 0
    fax = page.resize((width, int(11 * 98)), Image.Resampling.BILINEAR)
    fax = fax.point(lambda v: 255 if v > 150 else 0).convert("1")
    fax.info["dpi"] = (204, 98)
    return fax


def _image_page(pdf: FPDF, image: Image.Image) -> None:
    pdf.add_page()
    buffer = io.BytesIO()
    image.convert("L").save(buffer, format="PNG")
    buffer.seek(0)
    pdf.image(buffer, x=0, y=0, w=pdf.w, h=pdf.h)


def scanned_pdf(pages: list[str], seed: int = 0) -> bytes:
    """A PDF whose pages are fax images with no text layer."""
    pdf = FPDF(format="letter")
    pdf.set_auto_page_break(False)
    for i, text in enumerate(pages):
        _image_page(pdf, fax_image(text, seed=seed + i))
    return bytes(pdf.output())


def mixed_pdf(pages: list[tuple[str, bool]], seed: int = 0) -> bytes:
    """Pages given as (text, scanned?): typed pages keep a text layer, scanned ones do not."""
    pdf = FPDF(format="letter")
    pdf.set_auto_page_break(False)
    for i, (text, scanned) in enumerate(pages):
        if scanned:
            _image_page(pdf, fax_image(text, seed=seed + i))
        else:
            pdf.add_page()
            pdf.set_font("Helvetica", size=10)
            pdf.set_xy(15, 15)
            pdf.multi_cell(0, 5, text)
    return bytes(pdf.output())


def encrypted_pdf(text: str, password: str = "secret") -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(0, 5, text)
    pdf.set_encryption(owner_password=password, user_password=password)
    return bytes(pdf.output())
