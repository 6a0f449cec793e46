"""extractors.ingest on PDFs and images: text layers, OCR, page maps, and every way a file can be bad.

All files are built here (tests/pdf_factory.py, or by hand as bytes); nothing binary is committed.
OCR costs about a second a page, so scanned pages are few and short, and the Limits are small.
"""

from __future__ import annotations

import io
import json
import os
import random
import resource
import threading
import time
from collections.abc import Iterator

import pytest
from fpdf import FPDF
from PIL import Image

from chart_review.contract import CriterionResult, Determination, Evidence, Status
from chart_review.errors import ChartReviewError, E
from extractors.documents import Document
from extractors.ingest import Limits, read_bytes, read_document
from extractors.ingest.ocr_fix import correct
from tests.pdf_factory import (
    deflated,
    encrypted_pdf,
    fax_image,
    mixed_pdf,
    one_page_pdf,
    png_bomb,
    scanned_pdf,
    typed_pdf,
    zero_page_pdf,
)

# Small enough that a hang or a runaway parse cannot stall the suite, large enough for one OCR page.
FAST = Limits(parse_seconds=10.0, ocr_seconds_per_page=8.0, parse_memory_bytes=1 << 30)
# What one refused file may cost beyond its parse deadline (child start-up, kill and reap).
SLACK_SECONDS = 6.0

TYPED_PAGES = [
    "PAGEONE Oncology follow-up visit. Patient reports constant mid back pain rated 8/10 at rest.",
    "PAGETWO Imaging shows osseous metastases in T9 and L2. Prognosis discussed with the family.",
    "PAGETHREE Plan: referral to interventional pain for an intrathecal pump evaluation.",
]
SCANNED_TEXT = (
    "Intrathecal morphine trial at L4-5.\n"
    "The patient reported about 70% relief of back pain.\n"
    "Tolerated well with minimal side effects."
)
SCANNED_WORDS = ["Intrathecal", "morphine", "trial", "70%", "relief", "Tolerated", "minimal"]
# A full fax page: about a second of tesseract at 300 dpi.
DENSE_TEXT = "\n".join(["Constant low back pain radiating to both legs, worse with standing and walking."] * 40)
MIXED_PAGES = [
    ("TYPEDFIRST Referral letter for a patient with metastatic lung cancer and rib pain.", False),
    ("Oxycodone escalation caused sedation and confusion.\nOral opioids failed.", True),
    ("TYPEDLAST Follow-up visit planned in three weeks with repeat imaging.", False),
]


@pytest.fixture(autouse=True)
def private_tmpdir(tmp_path, monkeypatch):
    """The parse child, and pytesseract in it, put temp files here: a parse killed at its deadline
    could leave its page images behind, and they must not pile up in /tmp."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))


def words_of(text: str) -> set[str]:
    return {w.strip(".,;:()").lower() for w in text.split()}


# ---------------------------------------------------------------------------------------------
# Hand-built PDFs and images


HELLO = b"BT /F1 12 Tf 72 700 Td (Constant low back pain rated eight out of ten today.) Tj ET\n"


def png_bytes(image: Image.Image, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", **params)
    return buffer.getvalue()


def square_fax(text: str, seed: int) -> Image.Image:
    """A fax page stretched back to square pixels (204 x 204 dpi), as a fax server would store it."""
    fax = fax_image(text, seed=seed)
    return fax.resize((fax.width, round(fax.height * 204 / 98)))


def tiff_bytes(frames: list[Image.Image], **params: object) -> bytes:
    buffer = io.BytesIO()
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:], compression="group4",
                   **params)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>Pain 8/10.</w:document>")
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Documents read once per module (OCR is the expensive part)


@pytest.fixture(scope="module")
def typed_doc() -> Document:
    return read_bytes("typed.pdf", typed_pdf(TYPED_PAGES), FAST)


@pytest.fixture(scope="module")
def scanned_doc() -> Document:
    return read_bytes("scanned.pdf", scanned_pdf([SCANNED_TEXT], seed=5), FAST)


@pytest.fixture(scope="module")
def mixed_doc() -> Document:
    return read_bytes("mixed.pdf", mixed_pdf(MIXED_PAGES, seed=7), FAST)


# ---------------------------------------------------------------------------------------------
# Typed PDFs: the text layer and the page map


def test_typed_pdf_reads_the_text_layer(typed_doc):
    assert (typed_doc.name, typed_doc.paged, typed_doc.pages, typed_doc.ocr_pages) == ("typed.pdf", True, 3, [])
    for page in TYPED_PAGES:
        assert " ".join(page.split()) in " ".join(typed_doc.text.split())


def test_typed_pdf_page_starts(typed_doc):
    # Each page begins with its marker, and pages are joined by one blank line.
    starts = [typed_doc.text.index(page.split()[0]) for page in TYPED_PAGES]
    assert starts[0] == 0
    assert typed_doc.page_starts == starts
    for before, start in zip(starts, starts[1:], strict=False):
        assert typed_doc.text[start - 2:start] == "\n\n"
        assert typed_doc.text[before:start - 2].strip()


@pytest.mark.parametrize(("phrase", "page"), [
    ("PAGEONE", 1),
    ("rated 8/10 at rest", 1),
    ("PAGETWO", 2),
    ("osseous metastases", 2),
    ("family.", 2),
    ("PAGETHREE", 3),
    ("intrathecal pump evaluation", 3),
])
def test_typed_pdf_page_of(typed_doc, phrase, page):
    start = typed_doc.text.index(phrase)
    end = start + len(phrase) - 1
    assert typed_doc.page_of(start) == typed_doc.page_of(end) == page


@pytest.mark.parametrize("page", [1, 2, 3])
def test_typed_pdf_page_of_at_page_edges(typed_doc, page):
    start = typed_doc.page_starts[page - 1]
    assert typed_doc.page_of(start) == page
    if page > 1:
        assert typed_doc.page_of(start - 1) == page - 1  # the blank line closing the page before
    assert typed_doc.page_of(len(typed_doc.text) - 1) == 3


# ---------------------------------------------------------------------------------------------
# Scans, mixed PDFs and images: OCR


@pytest.mark.parametrize("word", SCANNED_WORDS)
def test_scanned_pdf_is_ocred(scanned_doc, word):
    assert (scanned_doc.paged, scanned_doc.pages, scanned_doc.ocr_pages) == (True, 1, [1])
    assert word.lower() in words_of(scanned_doc.text), scanned_doc.text


def test_mixed_pdf_ocrs_only_the_scanned_page(mixed_doc):
    assert (mixed_doc.pages, mixed_doc.ocr_pages) == (3, [2])


@pytest.mark.parametrize(("phrase", "page"), [
    ("TYPEDFIRST", 1),
    ("metastatic lung cancer", 1),
    ("sedation", 2),
    ("Oral opioids failed", 2),
    ("TYPEDLAST", 3),
    ("repeat imaging", 3),
])
def test_mixed_pdf_reads_both_kinds_of_page(mixed_doc, phrase, page):
    assert phrase in mixed_doc.text, mixed_doc.text
    assert mixed_doc.page_of(mixed_doc.text.index(phrase)) == page


FAX_A = "Intrathecal trial on 09/23/2025. Patient reported about 70% relief of back pain."
FAX_B = "Oncology follow up. Metastatic lung cancer with osseous metastases."


@pytest.mark.parametrize(("name", "make", "pages", "wanted"), [
    pytest.param("fax.png", lambda: png_bytes(fax_image(FAX_A, seed=1), dpi=(204, 98)), 1,
                 {1: ["intrathecal", "70%", "relief"]}, id="fax PNG at 204x98 dpi"),
    pytest.param("fax.tif", lambda: tiff_bytes([square_fax(FAX_A, 1), square_fax(FAX_B, 2)]), 2,
                 {1: ["intrathecal", "70%", "relief"], 2: ["oncology", "metastatic", "metastases"]},
                 id="2-frame TIFF, square pixels"),
    pytest.param("fax.tif", lambda: tiff_bytes([fax_image(FAX_A, seed=1), fax_image(FAX_B, seed=2)],
                                               dpi=(204, 98)), 2,
                 {1: ["intrathecal", "70%", "relief"], 2: ["oncology", "metastatic", "metastases"]},
                 id="2-frame fax TIFF at 204x98 dpi"),
])
def test_images_are_ocred(name, make, pages, wanted):
    doc = read_bytes(name, make(), FAST)
    assert (doc.paged, doc.pages, doc.ocr_pages) == (True, pages, list(range(1, pages + 1)))
    for page, page_words in wanted.items():
        start = doc.page_starts[page - 1]
        end = doc.page_starts[page] if page < pages else len(doc.text)
        found = words_of(doc.text[start:end])
        missing = [w for w in page_words if w not in found]
        assert not missing, f"page {page} lacks {missing}: {doc.text[start:end]!r}"


# ---------------------------------------------------------------------------------------------
# Bad files: a ChartReviewError naming the file and the reason, in bounded time

BAD_FILES: list[object] = [
    pytest.param("note.pdf", lambda: b"", FAST, E.DOCUMENT_EMPTY, "the document is empty", id="empty"),
    pytest.param("note.pdf", lambda: b" \r\n\t ", FAST, E.DOCUMENT_EMPTY, "the document is empty",
                 id="whitespace only"),
    pytest.param("note.pdf", lambda: typed_pdf(TYPED_PAGES)[:400], FAST, E.DOCUMENT_UNREADABLE,
                 "corrupt or truncated", id="truncated PDF"),
    pytest.param("note.pdf", lambda: b"%PDF-1.7\n" + bytes(range(256)) * 8, FAST, E.DOCUMENT_UNREADABLE,
                 "corrupt or truncated", id="corrupt PDF"),
    pytest.param("note.pdf", lambda: encrypted_pdf("Pain 8/10 in the low back."), FAST,
                 E.DOCUMENT_UNREADABLE, "encrypted or password-protected", id="encrypted PDF"),
    pytest.param("note.pdf", lambda: b"Pain 8/10 in the low back, this is plain text.", FAST,
                 E.DOCUMENT_UNREADABLE, "named .pdf but the file is not a PDF", id="text named .pdf"),
    pytest.param("note.pdf", lambda: b"\x00\x01\x02binary\xff\xfe" * 50, FAST, E.DOCUMENT_UNREADABLE,
                 "named .pdf but the file is not a PDF", id="binary named .pdf"),
    # pdfium will not open a PDF with no pages at all; the message must still say why.
    pytest.param("note.pdf", zero_page_pdf, FAST, E.DOCUMENT_UNREADABLE, "PDF", id="zero-page PDF"),
    pytest.param("note.pdf", lambda: typed_pdf(TYPED_PAGES), Limits(max_pages=2, parse_seconds=10.0),
                 E.DOCUMENT_UNREADABLE, "the PDF has 3 pages; the limit is 2", id="PDF over max_pages"),
    pytest.param("fax.tif", lambda: tiff_bytes([square_fax("one", 1), square_fax("two", 2)]),
                 Limits(max_pages=1, parse_seconds=10.0), E.DOCUMENT_UNREADABLE,
                 "the image has 2 pages; the limit is 1", id="TIFF over max_pages"),
    pytest.param("note.docx", docx_bytes, FAST, E.DOCUMENT_UNSUPPORTED,
                 "unsupported file type a Word or other zipped office document", id="docx"),
    pytest.param("note.pdf", docx_bytes, FAST, E.DOCUMENT_UNREADABLE,
                 "named .pdf but the file is not a PDF", id="docx named .pdf"),
    pytest.param("chart.bin", lambda: bytes(random.Random(1).randbytes(4096)), FAST, E.DOCUMENT_UNSUPPORTED,
                 "unsupported file type .bin", id="unknown binary"),
    pytest.param("chart", lambda: b"\x7fELF" + bytes(500), FAST, E.DOCUMENT_UNSUPPORTED,
                 "unsupported file type (no extension)", id="binary without extension"),
    pytest.param("note.txt", lambda: b"Pain 8/10.\n" * 200, Limits(max_text_bytes=1000), E.DOCUMENT_TOO_LARGE,
                 "2200 bytes; the limit is 1000 bytes a document", id="text over max_text_bytes"),
    pytest.param("scan.pdf", lambda: b"%PDF-1.4\n" + b"x" * 5000, Limits(max_pdf_bytes=4096),
                 E.DOCUMENT_TOO_LARGE, "5009 bytes; the limit is 4096 bytes a document", id="PDF over max_pdf_bytes"),
    pytest.param("fax.png", lambda: png_bytes(fax_image("x"))[:300], FAST, E.DOCUMENT_UNREADABLE,
                 "the image is corrupt or unreadable", id="truncated PNG"),
    pytest.param("fax.png", png_bomb, FAST, E.DOCUMENT_UNREADABLE, "the image is too large to read safely",
                 id="PNG of 400 megapixels"),
    pytest.param("scan.pdf", lambda: scanned_pdf([DENSE_TEXT]), Limits(parse_seconds=0.5),
                 E.DOCUMENT_UNREADABLE, "reading the file took longer than 0.5 s", id="parse over parse_seconds"),
]


@pytest.mark.parametrize(("name", "make", "limits", "error", "fragment"), BAD_FILES)
def test_bad_files_are_refused(tmp_path, name, make, limits, error, fragment):
    path = tmp_path / name
    path.write_bytes(make())
    started = time.monotonic()
    with pytest.raises(ChartReviewError) as info:
        read_document(path, limits=limits)
    elapsed = time.monotonic() - started
    message = str(info.value)
    assert info.value.error is error, message
    assert message.startswith(f"{error.code} {name}: "), message
    assert fragment in message
    assert elapsed < min(limits.parse_seconds, 10.0) + SLACK_SECONDS


def test_zero_page_pdf_says_it_has_no_pages():
    with pytest.raises(ChartReviewError) as info:
        read_bytes("empty.pdf", zero_page_pdf(), FAST)
    assert str(info.value) == "E024 empty.pdf: the PDF has no pages"


def test_text_note_mentioning_pdf_header_is_read_as_text():
    raw = b"Fax cover: the attachment (header %PDF-1.4) did not open; note follows.\nPain 8/10.\n"
    doc = read_bytes("note.txt", raw, FAST)
    assert doc.text == raw.decode()


def test_two_thousand_page_pdf_is_refused_quickly_under_default_limits():
    pdf = FPDF(format="letter")
    pdf.set_font("Helvetica", size=10)
    for number in range(1, 2001):
        pdf.add_page()
        pdf.text(20, 20, f"Page {number} of an exported chart: progress note, vitals and medication list.")
    raw = bytes(pdf.output())
    started = time.monotonic()
    with pytest.raises(ChartReviewError) as info:
        read_bytes("export.pdf", raw)
    assert time.monotonic() - started < 10
    assert str(info.value) == "E024 export.pdf: the PDF has 2000 pages; the limit is 300"


# Bombs: each must be read or refused inside its limits, never take the test process down.
BOMB_LIMITS = Limits(parse_seconds=20.0, ocr_seconds_per_page=8.0, parse_memory_bytes=1 << 30)


@pytest.mark.parametrize(("name", "make", "expect_text"), [
    pytest.param("spaces.pdf", lambda: one_page_pdf(deflated(HELLO, b" " * 1024, 300 << 20), flate=True),
                 True, id="content stream inflating to 300 MB of blanks"),
    pytest.param("paths.pdf", lambda: one_page_pdf(deflated(HELLO, b"1 1 m 2 2 l S\n", 200 << 20), flate=True),
                 None, id="content stream inflating to 200 MB of path operators"),
    pytest.param("huge-mediabox.pdf", lambda: one_page_pdf(HELLO, mediabox=b"[0 0 14400000 14400000]"),
                 None, id="MediaBox 200,000 inches square"),
    pytest.param("sliver-mediabox.pdf", lambda: one_page_pdf(HELLO, mediabox=b"[0 0 1 100000000]"),
                 None, id="MediaBox 1 pt by 1,400,000 inches"),
])
def test_decompression_and_page_size_bombs_stay_within_limits(name, make, expect_text):
    raw = make()
    assert len(raw) < 2 << 20  # the bomb is small on disk
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    try:
        doc = read_bytes(name, raw, BOMB_LIMITS)
    except ChartReviewError as exc:
        assert expect_text is not True, f"refused: {exc}"
        assert exc.error is E.DOCUMENT_UNREADABLE and name in str(exc)
    else:
        assert expect_text is not False
        assert "low back pain" in doc.text
    assert time.monotonic() - started < BOMB_LIMITS.parse_seconds + SLACK_SECONDS
    # The inflating happened in the child: this process grew by well under the bomb's size.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before < 150 * 1024


def _stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _tesseract_pids(mine: bool = True) -> set[int]:
    """Running tesseract processes; with `mine`, only those started for this test process: their
    process group's leader (the parser child) is our child. Other suites running OCR on the same
    machine must not count."""
    pids = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                if not handle.read().split(b"\0")[0].endswith(b"tesseract"):
                    continue
        except OSError:
            continue
        fields = _stat(int(entry))
        if fields is None:
            continue
        if mine:
            leader = _stat(int(fields[2]))  # fields: state, ppid, pgrp, ...
            if leader is None or int(leader[1]) != os.getpid():
                continue
        pids.add(int(entry))
    return pids


def test_timeout_during_ocr_leaves_no_tesseract_or_page_images(tmp_path):
    # TMPDIR is tmp_path (the autouse fixture): the child, and so pytesseract, inherit it.
    raw = scanned_pdf([DENSE_TEXT], seed=3)
    seen: set[int] = set()
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            seen.update(_tesseract_pids())
            time.sleep(0.01)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        # At 600 dpi the child starts tesseract about 0.7 s in and it runs until about 2.4 s:
        # the 1.5 s deadline falls midway, with room for a machine half or twice as fast.
        read_bytes("dense.pdf", raw, Limits(parse_seconds=1.5, ocr_dpi=600, max_render_pixels=40_000_000))
    except ChartReviewError as exc:
        if "took longer than 1.5 s" not in str(exc):
            raise RuntimeError(f"refused for another reason: {exc}") from None
    else:
        pytest.skip("OCR finished inside the deadline on this machine; nothing to check")
    finally:
        time.sleep(0.3)
        stop.set()
        watcher.join()
    if not seen:
        pytest.skip("the deadline fell before OCR began on this machine; nothing to check")
    alive = seen & _tesseract_pids(mine=False)
    for _ in range(100):  # let any orphan finish before looking for its files
        if not seen & _tesseract_pids(mine=False):
            break
        time.sleep(0.1)
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("tess_"))
    assert not alive, f"tesseract still running after the refusal: {sorted(alive)}"
    assert not left, f"left in the temp directory: {left}"


# ---------------------------------------------------------------------------------------------
# Fuzzing: truncated and bit-flipped copies of generated PDFs

FUZZ_LIMITS = Limits(parse_seconds=4.0, ocr_seconds_per_page=3.0, ocr_dpi=100, max_pages=10,
                     parse_memory_bytes=1 << 30)
FUZZ_BASES = ("typed", "scanned", "mixed")
FUZZ_CASES = [(base, how, n) for base in FUZZ_BASES for how in ("truncate", "flip") for n in range(7)]


@pytest.fixture(scope="module")
def fuzz_bases() -> dict[str, bytes]:
    return {
        "typed": typed_pdf(TYPED_PAGES),
        "scanned": scanned_pdf(["Intrathecal trial: about 70% relief."], seed=11),
        "mixed": mixed_pdf([(TYPED_PAGES[0], False), ("Opioids failed.", True)], seed=12),
    }


def mutate(raw: bytes, how: str, rng: random.Random) -> bytes:
    if how == "truncate":
        return raw[:rng.randrange(1, len(raw))]
    data = bytearray(raw)
    for _ in range(rng.choice([1, 4, 16, 64])):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return bytes(data)


@pytest.mark.parametrize(("base", "how", "n"), FUZZ_CASES, ids=[f"{b}-{h}-{n}" for b, h, n in FUZZ_CASES])
def test_fuzzed_pdfs_give_a_document_or_a_chart_review_error(fuzz_bases, base, how, n):
    rng = random.Random(f"chart-review-fuzz-{base}-{how}-{n}")
    raw = mutate(fuzz_bases[base], how, rng)
    started = time.monotonic()
    try:
        doc = read_bytes(f"{base}.pdf", raw, FUZZ_LIMITS)
    except ChartReviewError as exc:  # anything else fails the test
        assert f"{base}.pdf" in str(exc)
    else:
        assert isinstance(doc, Document) and doc.paged and doc.text.strip()
        assert doc.page_starts[0] == 0 and doc.page_starts == sorted(set(doc.page_starts))
    assert time.monotonic() - started < FUZZ_LIMITS.parse_seconds + SLACK_SECONDS


# ---------------------------------------------------------------------------------------------
# OCR correction

def test_ocr_fix_keeps_correct_english_words():
    assert correct("Recent fall at home; fall risk discussed.") == "Recent fall at home; fall risk discussed."


@pytest.mark.parametrize(("ocr", "fixed"), [
    ("Patlent reports rellef", "Patient reports relief"),
    ("oplold paln", "opioid pain"),
    ("Intrathecal PUMP", "Intrathecal PUMP"),
    pytest.param("PATlENT PAlN", "PATIENT PAIN"),
    ("Plt 111, INR 1.0", "Plt 111, INR 1.0"),
])
def test_ocr_fix_corrects_lookalikes_keeping_length(ocr, fixed):
    assert correct(ocr) == fixed


# ---------------------------------------------------------------------------------------------
# End to end: a case directory of a typed PDF and a scanned PDF through review_case

ONCOLOGY_PAGE_1 = (
    "RIVERSIDE ONCOLOGY ASSOCIATES\nOncology Follow-up Visit\n\n"
    "Patient: Test Patient    Visit date: 09/08/2025\n\n"
    "HPI: 61 year old woman with stage IV breast carcinoma diagnosed in 2023, treated with chemotherapy "
    "and now on maintenance endocrine therapy. She reports constant mid back and hip pain, 8/10 at rest.\n\n"
    "Allergies: Penicillin (rash)\nSocial: retired teacher. No history of substance misuse.\n"
    "Exam: ECOG 2. Tender over the lower thoracic spine."
)
ONCOLOGY_PAGE_2 = (
    "Imaging: PET/CT 08/2025 shows progression of osseous metastases involving T10, L3 and the left "
    "iliac wing.\n\n"
    "Pain regimen: oxycodone ER 40 mg every 12 hours and oxycodone IR 10 mg as needed for the past "
    "4 months. Oral opioids have failed: each dose increase caused marked sedation, and further "
    "escalation is not tolerated.\n\n"
    "Assessment/Plan: Metastatic breast cancer with painful bone metastases. Discussed prognosis with "
    "the patient; her life expectancy is 6 to 12 months. Referral to interventional pain for an "
    "intrathecal pump evaluation.\n\nAnneliese Marrow, MD"
)
TRIAL_NOTE = (
    "PAIN PROCEDURE NOTE  DOS 09/22/2025\n"
    "Procedure: intrathecal morphine trial, single injection at L4-5.\n"
    "Baseline pain 8/10. At 6 hours pain 2/10.\n"
    "Assessment: Positive trial. The patient reported about 70% relief of her back pain.\n"
    "She tolerated the trial well with minimal side effects.\n"
    "Plan: request a permanent intrathecal pump."
)


def walk(results: list[CriterionResult]) -> Iterator[CriterionResult]:
    for result in results:
        yield result
        yield from walk(result.children)


def test_case_of_typed_and_scanned_pdfs_end_to_end(tmp_path):
    from chart_review.review import review_case

    case = tmp_path / "cancer-permanent-pdf"
    case.mkdir()
    request = {"procedure_codes": ["62362", "E0783"], "request_type": "permanent", "service_date": "2025-10-01"}
    (case / "request.json").write_text(json.dumps(request))
    (case / "oncology_note.pdf").write_bytes(typed_pdf([ONCOLOGY_PAGE_1, ONCOLOGY_PAGE_2]))
    (case / "trial_note.pdf").write_bytes(scanned_pdf([TRIAL_NOTE], seed=3))

    decision = review_case(case)
    documents = {path.name: read_document(path) for path in case.glob("*.pdf")}
    assert documents["oncology_note.pdf"].ocr_pages == []
    assert documents["trial_note.pdf"].ocr_pages == [1]
    assert decision.determination is Determination.MEETS, decision.summary
    assert decision.pathway == "cancer_pain"
    assert {(d.name, d.pages) for d in decision.documents} == {("oncology_note.pdf", 2), ("trial_note.pdf", 1)}

    met = {r.id: r for r in walk(decision.criteria) if r.status is Status.MET}
    for leaf in ["cancer_pain.metastatic_lesion", "cancer_pain.life_expectancy_3_months",
                 "cancer_pain.systemic_opioids_failed", "cancer_pain.permanent_after_trial"]:
        assert met.get(leaf) and met[leaf].evidence, f"{leaf} not met with evidence"
    evidence: list[Evidence] = [e for r in met.values() for e in r.evidence]
    for item in evidence:
        doc = documents[item.document]
        assert item.text == doc.text[item.start:item.end]
        assert item.page == doc.page_of(item.start), item
    pages = {(e.document, e.page) for e in met["cancer_pain.life_expectancy_3_months"].evidence}
    assert pages == {("oncology_note.pdf", 2)}
    assert {(e.document, e.page) for e in met["cancer_pain.permanent_after_trial"].evidence} == {
        ("trial_note.pdf", 1)}
    # Every evidence item in the decision, met or not, indexes its document's text.
    for result in walk(decision.criteria):
        for item in result.evidence:
            assert item.text == documents[item.document].text[item.start:item.end]


def test_parse_directories_of_a_stopped_process_are_removed(tmp_path):
    """Issue 12 item 13: a parse killed mid-way (a crash, `kill -9`) leaves its scratch directory,
    with the chart's rendered pages, behind; the next start removes it, never a live process's."""
    import subprocess
    import sys

    from extractors.ingest.isolated import SCRATCH_PREFIX, remove_orphaned_scratch

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    orphan = tmp_path / f"{SCRATCH_PREFIX}{gone.pid}-abc123"
    (orphan / "page").mkdir(parents=True)
    (orphan / "page" / "p1.png").write_bytes(b"rendered chart page")
    live = tmp_path / f"{SCRATCH_PREFIX}{os.getpid()}-def456"
    live.mkdir()
    unrelated = tmp_path / "other-dir"
    unrelated.mkdir()
    assert remove_orphaned_scratch(str(tmp_path)) == 1
    assert not orphan.exists() and live.exists() and unrelated.exists()
