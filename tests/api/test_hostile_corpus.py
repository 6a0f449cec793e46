"""Issue 12: the hostile-file corpus, uploaded to one running service.

Every file is truncated, bit-flipped, encrypted, a bomb or a lie about its kind. Each must be
refused at once with a 4xx that names it (nothing queued), or accepted and then end as a decided
or failed review with a message that is not an internal error. After the whole corpus the service
still answers, and the review stored before it is unchanged.
"""

from __future__ import annotations

import io
import json
import random
import struct
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from api.main import create_app
from tests.api.conftest import SMALL_NOTE, SMALL_REQUEST, bearer, make_settings, new_key, wait_for
from tests.pdf_factory import deflated, encrypted_pdf, one_page_pdf, png_bomb, typed_pdf, zero_page_pdf

PAGES = ["Metastatic lung cancer with rib pain.", "Intrathecal trial: about 70% relief.", "Plan: permanent pump."]
HELLO = b"BT /F1 12 Tf 72 700 Td (Constant low back pain rated eight out of ten today.) Tj ET\n"
# What one file may cost, upload to a final status (a bomb is read in its child within these).
PER_FILE_SECONDS = 45.0


def _seeded(name: str) -> random.Random:
    return random.Random(f"hostile-{name}")


def truncated(raw: bytes, fraction: float) -> bytes:
    return raw[: max(1, int(len(raw) * fraction))]


def flipped(raw: bytes, name: str, flips: int) -> bytes:
    rng, data = _seeded(name), bytearray(raw)
    for _ in range(flips):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return bytes(data)


def image(kind: str, size: tuple[int, int] = (200, 100)) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", size, 255).save(buffer, kind)
    return buffer.getvalue()


def tiff_claiming(width: int, height: int) -> bytes:
    """A little-endian TIFF header whose one IFD claims width x height 8-bit pixels it never holds."""
    entries = [(256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1),
               (273, 4, 1, 8 + 2 + 12 * 8 + 4), (278, 4, 1, height), (279, 4, 1, 16)]
    ifd = struct.pack("<H", len(entries)) + b"".join(struct.pack("<HHII", *e) for e in entries) + b"\0\0\0\0"
    return b"II*\0" + struct.pack("<I", 8) + ifd + b"\0" * 16


def zip_bomb() -> bytes:
    """A zip holding 200 MB of zeros, a few hundred kB on disk."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("chart.txt", "w") as member:
        block = b"\0" * (1 << 20)
        for _ in range(200):
            member.write(block)
    return buffer.getvalue()


PDF = typed_pdf(PAGES)
PNG = image("PNG")
CORPUS: list[tuple[str, str, Callable[[], bytes]]] = [
    ("pdf-truncated-10", "note.pdf", lambda: truncated(PDF, 0.1)),
    ("pdf-truncated-50", "note.pdf", lambda: truncated(PDF, 0.5)),
    ("pdf-truncated-95", "note.pdf", lambda: truncated(PDF, 0.95)),
    *[(f"pdf-flipped-{n}", "note.pdf", (lambda n=n: flipped(PDF, f"pdf{n}", n))) for n in (1, 8, 64)],
    ("pdf-encrypted", "note.pdf", lambda: encrypted_pdf("Metastatic lung cancer.")),
    ("pdf-no-pages", "note.pdf", zero_page_pdf),
    ("pdf-stream-bomb", "note.pdf", lambda: one_page_pdf(deflated(HELLO, b" " * 1024, 300 << 20), flate=True)),
    ("pdf-mediabox-bomb", "note.pdf", lambda: one_page_pdf(HELLO, mediabox=b"[0 0 14400000 14400000]")),
    ("pdf-that-is-text", "note.pdf", lambda: b"Metastatic cancer, typed, saved as .pdf"),
    ("png-bomb", "scan.png", png_bomb),
    ("png-truncated", "scan.png", lambda: truncated(PNG, 0.5)),
    *[(f"png-flipped-{n}", "scan.png", (lambda n=n: flipped(PNG, f"png{n}", n))) for n in (1, 8)],
    ("jpeg-truncated", "scan.jpg", lambda: truncated(image("JPEG"), 0.4)),
    ("tiff-claiming-a-gigapixel", "scan.tif", lambda: tiff_claiming(40_000, 40_000)),
    ("tiff-that-is-a-pdf", "scan.tif", lambda: PDF),
    ("txt-zip-bomb", "chart.txt", zip_bomb),
    ("txt-with-nul", "chart.txt", lambda: b"Metastatic cancer.\0\0\0Pain 8/10.\n"),
    ("txt-latin-1", "chart.txt", lambda: "Métastatic cancer; pain 8/10 - trial planned.".encode("latin-1")),
    ("txt-utf16-no-bom", "chart.txt", lambda: "Metastatic cancer.".encode("utf-16-le")),
    ("txt-random-bytes", "chart.txt", lambda: _seeded("bytes").randbytes(4096)),
]


@dataclass
class Service:
    client: TestClient
    headers: dict[str, str]
    before: dict[str, Any]


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """One service for the whole corpus, with one review decided before the first hostile file."""
    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'chart-review.db'}"
    app = create_app(make_settings(url, review_seconds=30.0, max_wait_seconds=10.0))
    with TestClient(app) as client:
        headers = bearer(new_key(app.state.db, "intake"))
        body = {"request": SMALL_REQUEST, "documents": [{"name": "note.txt", "text": SMALL_NOTE}]}
        created = client.post("/v1/reviews", json=body, headers=headers)
        assert created.status_code == 202, created.text
        before = wait_for(client, headers, created.json()["id"])
        assert before["status"] == "done"
        yield Service(client, headers, before)
        # After the corpus: the service answers and the review stored before it is unchanged.
        assert client.get("/health").status_code == 200
        assert client.get(f"/v1/reviews/{before['id']}", headers=headers).json() == before


@pytest.mark.parametrize(("name", "make"), [pytest.param(f, m, id=i) for i, f, m in CORPUS])
def test_hostile_file_is_refused_or_reviewed_never_crashes(service: Service, name: str,
                                                           make: Callable[[], bytes]) -> None:
    client, headers = service.client, service.headers
    queued = client.get("/v1/reviews", headers=headers).json()["total"]
    started = time.monotonic()
    response = client.post("/v1/reviews/upload", headers=headers, data={"request": json.dumps(SMALL_REQUEST)},
                           files=[("files", (name, make(), "application/octet-stream"))])
    assert response.status_code < 500, response.text
    if response.status_code != 202:
        assert 400 <= response.status_code < 500, response.text
        error = response.json()
        assert error["code"].startswith("E0") and name in error["detail"], error
        assert "Traceback" not in error["detail"] and "internal" not in error["detail"].lower(), error
        assert client.get("/v1/reviews", headers=headers).json()["total"] == queued, "a refused file was queued"
    else:
        review = wait_for(client, headers, response.json()["id"], seconds=PER_FILE_SECONDS)
        if review["status"] == "failed":
            assert "internal error" not in review["error"], review["error"]
            assert name in review["error"] or review["error"].startswith("E0"), review["error"]
        else:
            assert review["decision"]["determination"], review
    assert time.monotonic() - started < PER_FILE_SECONDS
    assert client.get("/health").status_code == 200

