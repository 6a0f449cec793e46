"""Parse PDFs and images in a child interpreter, so a hostile file can neither hang nor crash us.

The child is a fresh `python -m extractors.ingest.isolated` with an address-space limit; the
parent holds a deadline and kills it past that. Bytes go in on stdin; progress and page texts
come back as JSON lines. Only page texts cross back, never a parser object.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import resource
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from extractors.ingest.limits import Limits
from extractors.ingest.problem import ParseProblem

Kind = Literal["pdf", "image", "probe", "probe_many", "render"]
Progress = Callable[[int, int, str], None]
# A page: its text and how it was read ("text" layer or "ocr").
Page = tuple[str, str]
# Fewer letters than this on a page means no usable text layer: a scan, or just a page number.
MIN_TEXT_LETTERS = 25


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def _clean(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").replace("\f", "\n")


def _ocr_page(image: Any, limits: Limits, page_no: int) -> str:
    from extractors.ingest.ocr import OcrUnavailable, default_engine
    from extractors.ingest.ocr_fix import correct

    try:
        return correct(default_engine().recognize(image, timeout=limits.ocr_seconds_per_page))
    except OcrUnavailable as exc:
        raise ParseProblem(f"page {page_no} is a scanned image and {exc}") from None
    except TimeoutError as exc:
        raise ParseProblem(f"page {page_no}: {exc}") from None


def open_pdf(raw: bytes) -> Any:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        return pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise ParseProblem("the PDF is encrypted or password-protected; send an unlocked copy") from None
        if code == pdfium_c.FPDF_ERR_SUCCESS:
            # pdfium refuses a document with an empty page tree without naming an error.
            raise ParseProblem("the PDF has no pages") from None
        raise ParseProblem(f"the PDF is corrupt or truncated ({exc})") from None


def _counted(pdf: Any, limits: Limits) -> int:
    count = len(pdf)
    if count == 0:
        raise ParseProblem("the PDF has no pages")
    if count > limits.max_pages:
        raise ParseProblem(f"the PDF has {count} pages; the limit is {limits.max_pages}")
    return count


def _pdf_pages(raw: bytes, limits: Limits, send: Callable[[Any], None]) -> list[Page]:
    pdf = open_pdf(raw)
    count = _counted(pdf, limits)
    pages: list[Page] = []
    for index in range(count):
        page = pdf[index]
        text = _clean(page.get_textpage().get_text_bounded())
        method = "text"
        if _letters(text) < MIN_TEXT_LETTERS:
            width, height = page.get_size()
            scale = limits.ocr_dpi / 72
            if width * height * scale * scale > limits.max_render_pixels:
                scale = math.sqrt(limits.max_render_pixels / max(width * height, 1.0))
            image = page.render(scale=scale, grayscale=True).to_pil()
            ocr_text = _clean(_ocr_page(image, limits, index + 1))
            if _letters(ocr_text) > _letters(text):
                text, method = ocr_text, "ocr"
        pages.append((text, method))
        send(["progress", index + 1, count, method])
    return pages


def _probe_pdf(raw: bytes, limits: Limits, send: Callable[[Any], None]) -> list[Page]:
    """Open the PDF and count its pages only: the cheap check an upload gets before it is queued."""
    return [("", "probe")] * _counted(open_pdf(raw), limits)


def framed(raws: list[bytes]) -> bytes:
    """Several files on one stdin: each as an 8-byte length, then its bytes."""
    return b"".join(len(raw).to_bytes(8, "big") + raw for raw in raws)


def unframed(data: bytes) -> list[bytes]:
    files, at = [], 0
    while at + 8 <= len(data):
        size = int.from_bytes(data[at:at + 8], "big")
        files.append(data[at + 8:at + 8 + size])
        at += 8 + size
    return files


def _probe_many(raw: bytes, limits: Limits, send: Callable[[Any], None]) -> list[Page]:
    """Probe every PDF of an upload in one process: one result a file, ("", "ok") or
    (problem, "error")."""
    results: list[Page] = []
    for one in unframed(raw):
        try:
            _counted(open_pdf(one), limits)
            results.append(("", "ok"))
        except ParseProblem as exc:
            results.append((str(exc), "error"))
        except MemoryError:
            results.append(("the file needs more memory to parse than one upload may use", "error"))
        except Exception as exc:  # a parser failure on hostile input is that file's problem
            results.append((f"the file could not be parsed ({type(exc).__name__})", "error"))
    return results


def square_pixels(frame: Any) -> Any:
    """A page image with square pixels: faxes are 204x98 dpi, stretched before OCR or display."""
    xdpi, ydpi = (float(v) for v in frame.info.get("dpi", (0, 0)))  # TIFF gives rationals
    if xdpi and ydpi and abs(xdpi - ydpi) > 1:
        return frame.resize((frame.width, round(frame.height * xdpi / ydpi)))
    return frame


def _image_pages(raw: bytes, limits: Limits, send: Callable[[Any], None]) -> list[Page]:
    import io

    from PIL import Image, ImageSequence

    Image.MAX_IMAGE_PIXELS = limits.max_render_pixels * 4
    try:
        image = Image.open(io.BytesIO(raw))
        frames = [frame.copy() for frame in ImageSequence.Iterator(image)]
    except Image.DecompressionBombError:
        raise ParseProblem("the image is too large to read safely") from None
    except (OSError, ValueError) as exc:
        raise ParseProblem(f"the image is corrupt or unreadable ({exc})") from None
    if len(frames) > limits.max_pages:
        raise ParseProblem(f"the image has {len(frames)} pages; the limit is {limits.max_pages}")
    pages: list[Page] = []
    for index, frame in enumerate(frames):
        frame = square_pixels(frame)
        pages.append((_clean(_ocr_page(frame, limits, index + 1)), "ocr"))
        send(["progress", index + 1, len(frames), "ocr"])
    return pages


def _child_main() -> int:
    """Entry point of the child: raw bytes on stdin, JSON lines out (progress, then the result)."""
    kind = sys.argv[1]
    limits = Limits(**json.loads(sys.argv[2]))
    os.environ["OMP_THREAD_LIMIT"] = "1"  # tesseract's own threads fight over 2 cores
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limits.parse_memory_bytes, limits.parse_memory_bytes))
    except (ValueError, OSError):
        pass
    out = sys.stdout

    def send(message: Any) -> None:
        out.write(json.dumps(message) + "\n")
        out.flush()

    raw = sys.stdin.buffer.read()
    try:
        if kind == "render":
            from extractors.ingest.page_image import render_in_child

            send(["done", render_in_child(raw, limits, send)])
        else:
            parse = {"pdf": _pdf_pages, "image": _image_pages, "probe": _probe_pdf, "probe_many": _probe_many}[kind]
            send(["done", parse(raw, limits, send)])
    except ParseProblem as exc:
        send(["error", str(exc)])
    except MemoryError:
        send(["error", "the file needs more memory to parse than one upload may use"])
    except Exception as exc:  # a parser failure on hostile input: report it, never raise it
        send(["error", f"the file could not be parsed ({type(exc).__name__})"])
    return 0


# Each parse's scratch directory names the process that made it: chart-review-parse-<pid>-<random>.
SCRATCH_PREFIX = "chart-review-parse-"


def parse_isolated(raw: bytes, kind: Kind, limits: Limits, progress: Progress | None = None) -> list[Page]:
    """Per-page texts of a PDF or image, parsed by a fresh interpreter under `limits`."""
    return [(text, how) for text, how in run_isolated(raw, kind, limits, progress)]


def run_isolated(raw: bytes, kind: Kind, limits: Limits, progress: Progress | None = None) -> Any:
    """The child's result for `kind` on `raw`, from a fresh interpreter under `limits`."""
    command = [sys.executable, "-m", "extractors.ingest.isolated", kind, json.dumps(dataclasses.asdict(limits))]
    # The child and whatever it starts (tesseract) form one process group, killed together at
    # the deadline; its temporary files (rendered chart pages) live in a directory we remove.
    scratch = tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-")
    env = {**os.environ, "TMPDIR": scratch}
    child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             cwd=_PACKAGE_ROOT, env=env, start_new_session=True)
    assert child.stdin is not None and child.stdout is not None
    deadline = time.monotonic() + limits.parse_seconds
    try:
        try:
            child.stdin.write(raw)
            child.stdin.close()
        except BrokenPipeError:
            pass
        with selectors.DefaultSelector() as selector:
            selector.register(child.stdout, selectors.EVENT_READ)
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise ParseProblem(f"reading the file took longer than {limits.parse_seconds:g} s")
                if not selector.select(min(remaining, 1.0)):
                    continue
                line = child.stdout.readline()
                if not line:
                    child.wait(5)
                    raise ParseProblem(f"the parser stopped unexpectedly (exit code {child.returncode})")
                message = json.loads(line)
                if message[0] == "progress" and progress is not None:
                    progress(message[1], message[2], message[3])
                elif message[0] == "done":
                    return message[1]
                elif message[0] == "error":
                    raise ParseProblem(message[1])
    finally:
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        child.wait(5)
        child.stdout.close()
        shutil.rmtree(scratch, ignore_errors=True)


def remove_orphaned_scratch(root: str | None = None) -> int:
    """Remove parse directories whose process is gone (a crash or `kill -9` left them, with the
    chart's rendered pages in them); the directories of live processes are left alone. Returns
    how many were removed."""
    removed = 0
    for path in Path(root or tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*"):
        pid = path.name[len(SCRATCH_PREFIX):].split("-", 1)[0]
        if not path.is_dir() or not pid.isdigit() or _alive(int(pid)):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: alive, and not ours to clean
    return True


# The child runs as `python -m extractors.ingest.isolated` from the directory holding the package.
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])

if __name__ == "__main__":
    sys.exit(_child_main())
