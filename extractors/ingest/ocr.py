"""OCR behind a small interface, so the engine can be swapped after measuring.

Tesseract 5 (Debian's tesseract-ocr, driven by pytesseract) is the default: offline, installed
by the README's set-up. On our fax-like pages (`bench/ocr_eval.py`) it reads at 1.3% character
error and 0.24 s a short page with the preparation below, against 3.5% and 0.81 s for rapidocr
3.10, which would also bring OpenCV next to spaCy's numpy<2.
"""

from __future__ import annotations

import shutil
from typing import Protocol

from PIL import Image, ImageFilter


class OcrUnavailable(RuntimeError):
    """No OCR engine is installed on this machine."""


class OcrEngine(Protocol):
    name: str

    def available(self) -> bool: ...

    def recognize(self, image: Image.Image, timeout: float) -> str:
        """The page's text; raises TimeoutError past `timeout` seconds."""
        ...


class TesseractEngine:
    name = "tesseract"

    def __init__(self, lang: str = "eng", psm: int = 3) -> None:
        # psm 3 (automatic page segmentation): as accurate as psm 4 on clean fax pages (1.5%
        # character error), and psm 4 read heavily speckled pages as two columns (47-60% error)
        # where psm 3 stayed under 2.1% (bench/ocr_eval.py --speckle 0.02 --skew 2).
        self.lang = lang
        self.config = f"--psm {psm}"

    def available(self) -> bool:
        return shutil.which("tesseract") is not None

    def recognize(self, image: Image.Image, timeout: float) -> str:
        import pytesseract

        if not self.available():
            raise OcrUnavailable("tesseract is not installed (Debian package tesseract-ocr)")
        try:
            return str(pytesseract.image_to_string(prepare(image), lang=self.lang,
                                                   config=self.config, timeout=timeout))
        except RuntimeError as exc:  # pytesseract signals its timeout as RuntimeError
            if "timeout" in str(exc).lower():
                raise TimeoutError(f"OCR took longer than {timeout:g} s") from None
            raise


def prepare(image: Image.Image) -> Image.Image:
    """Grayscale and a 3x3 median filter: fax speckle otherwise reads as punctuation and breaks
    words. On a full speckled fax page rendered from PDF it took character error from 32% to 2%;
    on light-speckle pages from 2.9% to 1.6% (bench/ocr_eval.py)."""
    return image.convert("L").filter(ImageFilter.MedianFilter(3))


def default_engine() -> OcrEngine:
    return TesseractEngine()
