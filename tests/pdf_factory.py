"""Make test PDFs and fax-like page images in code, instead of committing binaries.

A "fax" page is text rendered at 204 dpi, sampled down to 98 dpi vertically (standard fax
resolution), rotated a degree or two and speckled, then placed on a letter page.
"""

from __future__ import annotations

import io
import random
import struct
import textwrap
import zlib

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


# Hand-built bytes: the shapes a library would refuse to write (bombs, empty page trees).


def build_pdf(objects: list[bytes]) -> bytes:
    """A PDF whose object i+1 has body objects[i], with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def zero_page_pdf() -> bytes:
    return build_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def one_page_pdf(stream: bytes, mediabox: bytes = b"[0 0 612 792]", flate: bool = False) -> bytes:
    """One page drawing `stream` (already deflated when `flate`) in Helvetica."""
    dictionary = b"<< /Length %d%s >>" % (len(stream), b" /Filter /FlateDecode" if flate else b"")
    return build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>" % mediabox,
        dictionary + b"\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])




def deflated(head: bytes, unit: bytes, total_bytes: int) -> bytes:
    """zlib of `head` then `unit` repeated to about total_bytes, compressed a chunk at a time so
    this process never holds the inflated stream."""
    packer = zlib.compressobj(9)
    parts = [packer.compress(head)]
    chunk = unit * max(1, (8 << 20) // len(unit))
    for _ in range(max(1, total_bytes // len(chunk))):
        parts.append(packer.compress(chunk))
    parts.append(packer.flush())
    return b"".join(parts)


def png_bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A valid 1-bit PNG of width x height white pixels, a few tens of kB on disk."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
