"""Issue 11: a PDF quote can be checked against the page image, its area marked where the text
layer gives positions, and OCR pages said to be OCR."""

from __future__ import annotations

import io
import json
from typing import Any

from fastapi.testclient import TestClient
from PIL import Image

from tests.api.conftest import SMALL_NOTE, SMALL_REQUEST, assert_error, wait_for
from tests.pdf_factory import fax_image, mixed_pdf, typed_pdf

PAGES = [
    "Pain clinic note, page one. The patient has metastatic lung cancer with bone metastases.",
    "Pain clinic note, page two. Intrathecal morphine trial gave seventy percent pain relief.\n"
    "Plan: refer for a permanent pump after the trial.",
]
# The quote's fill, blended over white paper (extractors/ingest/page_image.py).
MARKED = (255, 240, 165)


def marked_pixels(png: bytes) -> int:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return sum(1 for pixel in image.getdata() if all(abs(a - b) <= 12 for a, b in zip(pixel, MARKED, strict=True)))


def upload(client: TestClient, headers: dict[str, str], pdf: bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    files = [("files", ("note.txt", SMALL_NOTE.encode(), "text/plain")),
             ("files", ("clinic.pdf", pdf, "application/pdf"))]
    created = client.post("/v1/reviews/upload", data={"request": json.dumps(SMALL_REQUEST)}, files=files,
                          headers=headers)
    assert created.status_code == 202, created.text
    review = wait_for(client, headers, created.json()["id"])
    assert review["status"] == "done", review
    text = client.get(f"/v1/reviews/{review['id']}/documents/{review['documents'][1]['id']}", headers=headers)
    return review, text.json()


def test_a_quote_on_a_text_page_is_marked_on_its_image(client: TestClient, intake: dict[str, str]) -> None:
    review, document = upload(client, intake, typed_pdf(PAGES))
    text, starts = document["text"], document["page_starts"]
    quote = "seventy percent pain relief"
    start = text.index(quote)
    base = f"/v1/reviews/{review['id']}/documents/{document['id']}/pages"

    marked = client.get(f"{base}/2", params={"start": start, "end": start + len(quote)}, headers=intake)
    assert marked.status_code == 200, marked.text
    assert marked.headers["content-type"] == "image/png"
    assert marked.headers["quote-marking"] == "marked"
    assert marked_pixels(marked.content) > 500

    plain = client.get(f"{base}/2", headers=intake)
    assert plain.status_code == 200 and plain.headers["quote-marking"] == "no_quote"
    assert marked_pixels(plain.content) == 0
    assert Image.open(io.BytesIO(plain.content)).size == Image.open(io.BytesIO(marked.content)).size

    # A quote that wraps a line is found by its letters, the line break between them.
    wrapped = text.index("relief.\nPlan")
    across = client.get(f"{base}/2", params={"start": wrapped, "end": wrapped + 12}, headers=intake)
    assert across.headers["quote-marking"] == "marked"
    assert starts[1] <= wrapped


def test_a_quote_on_an_ocr_page_is_shown_unmarked_and_said_to_be_ocr(client: TestClient,
                                                                     intake: dict[str, str]) -> None:
    pdf = mixed_pdf([(PAGES[0], False), ("Fax: the intrathecal trial gave seventy percent relief of pain.", True)])
    review, document = upload(client, intake, pdf)
    assert document["ocr_pages"] == [2]
    start = document["page_starts"][1] + 1
    response = client.get(f"/v1/reviews/{review['id']}/documents/{document['id']}/pages/2",
                          params={"start": start, "end": start + 4}, headers=intake)
    assert response.status_code == 200
    assert response.headers["quote-marking"] == "unmarked_ocr"
    assert marked_pixels(response.content) == 0


def test_page_image_refusals_are_clear(client: TestClient, intake: dict[str, str]) -> None:
    review, document = upload(client, intake, typed_pdf(PAGES))
    base = f"/v1/reviews/{review['id']}/documents"
    note = review["documents"][0]["id"]
    assert_error(client.get(f"{base}/{note}/pages/1", headers=intake), 404, says="text file")
    assert_error(client.get(f"{base}/{document['id']}/pages/3", headers=intake), 404, says="no page 3")
    assert_error(client.get(f"{base}/{document['id']}/pages/0", headers=intake), 422)
    # Only one offset, an empty span, or a span off the page asked for.
    for params in ({"start": 5}, {"start": 9, "end": 9}, {"start": 1, "end": 20}):
        response = client.get(f"{base}/{document['id']}/pages/2", params=params, headers=intake)
        assert_error(response, 422, says="start < end")
    assert_error(client.get(f"{base}/{document['id']}/pages/1"), 401)


def test_a_faxed_image_page_is_shown_with_square_pixels_and_said_to_be_ocr(client: TestClient,
                                                                          intake: dict[str, str]) -> None:
    fax = fax_image("Fax: the intrathecal trial gave seventy percent relief of pain.")
    raw = io.BytesIO()
    fax.save(raw, format="TIFF", dpi=(204, 98))
    files = [("files", ("note.txt", SMALL_NOTE.encode(), "text/plain")),
             ("files", ("fax.tif", raw.getvalue(), "image/tiff"))]
    created = client.post("/v1/reviews/upload", data={"request": json.dumps(SMALL_REQUEST)}, files=files,
                          headers=intake)
    assert created.status_code == 202, created.text
    review = wait_for(client, intake, created.json()["id"])
    assert review["status"] == "done", review
    response = client.get(f"/v1/reviews/{review['id']}/documents/{review['documents'][1]['id']}/pages/1",
                          params={"start": 0, "end": 4}, headers=intake)
    assert response.status_code == 200
    assert response.headers["quote-marking"] == "unmarked_ocr"
    width, height = Image.open(io.BytesIO(response.content)).size
    assert abs(height / width - 11 / 8.5) < 0.05, "the fax's 204x98 dpi is stretched to a letter page's shape"
