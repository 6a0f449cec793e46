"""The reviewer page in a real browser: sign in with a reviewer key, upload a fixture chart, wait
for the decision, follow a criterion to its highlighted evidence, record an override and find it
in the history; screenshots of each view are saved (the decision view also to /tmp).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import FIXTURE_CASES
from tests.web.conftest import Server

CASE = FIXTURE_CASES / "cancer-01-lung-bone-mets-permanent-70pct"
DECISION_SCREENSHOT_COPY = Path("/tmp/decision-view.png")
# `make screenshots` sets this to docs/screenshots: the README's pictures of the page, as it is.
README_SHOTS = os.environ.get("CHART_REVIEW_SCREENSHOTS")
CRITERION = "cancer_pain.metastatic_lesion"
KEYBOARD_CRITERION = "cancer_pain.life_expectancy_3_months"
TIMEOUT_MS = 120_000

# Installed before the form is sent: records every text the progress region announces.
WATCH_PROGRESS = """() => {
  window.__progress = [];
  const region = document.querySelector('#progress-status');
  new MutationObserver(() => window.__progress.push(region.textContent))
    .observe(region, {childList: true, characterData: true, subtree: true});
}"""


def find(nodes: list[dict[str, Any]], criterion_id: str) -> dict[str, Any]:
    for node in nodes:
        if node["id"] == criterion_id:
            return node
        try:
            return find(node["children"], criterion_id)
        except KeyError:
            continue
    raise KeyError(criterion_id)


def unlabelled_controls(page: Any) -> list[str]:
    """Visible form controls with no accessible label (label element, aria-label or aria-labelledby)."""
    result: list[str] = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
        .filter((el) => el.offsetParent !== null && el.type !== 'hidden')
        .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                        && !el.getAttribute('aria-labelledby'))
        .map((el) => el.outerHTML)""")
    return result


# WCAG 2 contrast of every visible piece of text against the background it is drawn on.
LOW_CONTRAST = """() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const linear = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const lum = (c) => c.map(linear).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const low = [];
  for (const el of document.querySelectorAll('body *')) {
    if (!el.offsetParent || el.closest('[disabled], [aria-hidden="true"], .visually-hidden, option')) continue;
    if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
    const [a, b] = [lum(rgb(getComputedStyle(el).color).slice(0, 3)), lum(background(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const what = `${el.tagName} ${el.className}: ${el.textContent.trim().slice(0, 40)}`;
    if (ratio < 4.5) low.push(`${ratio.toFixed(2)} ${what}`);
  }
  return low;
}"""


def sign_in(page: Any, server: Server, key: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{server.url}/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Reviewer key").fill(key)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Reviews", exact=True)).to_be_visible()


def upload(page: Any, files: list[Path], codes: str, request_type: str, service_date: str) -> str:
    """Fill in the new-review form, send it, and wait for the decision; the review's id."""
    from playwright.sync_api import expect

    page.get_by_role("link", name="New review").first.click()
    expect(page.get_by_role("heading", name="New review")).to_be_visible()
    page.get_by_label("Chart files").set_input_files([str(p) for p in files])
    page.get_by_label("Procedure codes").fill(codes)
    page.get_by_label("Request type").select_option(request_type)
    page.get_by_label("Service date").fill(service_date)
    page.get_by_role("button", name="Start review").click()
    page.wait_for_url(re.compile(r".*#/reviews/[0-9a-f]+$"), timeout=TIMEOUT_MS)
    expect(page.locator("#banner-title")).to_be_visible(timeout=TIMEOUT_MS)
    return str(page.url.rsplit("/", 1)[1])


def test_browser_review_evidence_and_override(server: Server, browser_context: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    shots = tmp_path / "screenshots"
    shots.mkdir()
    reviewer_key = server.key("reviewer", "browser test reviewer")
    page = browser_context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    outside: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(server.url) else outside.append(request.url))

    # Sign in: the shell loads without a key, then asks for one.
    page.goto(f"{server.url}/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    # The header tells the truth: signed out, it offers no "Sign out".
    expect(page.get_by_role("button", name="Sign out")).to_be_hidden()
    assert unlabelled_controls(page) == []
    page.get_by_label("Reviewer key").fill(reviewer_key)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Reviews", exact=True)).to_be_visible()
    expect(page.locator("#whoami-text")).to_contain_text("reviewer")
    cookies = {c["name"]: c for c in browser_context.cookies(server.url)}
    assert reviewer_key not in cookies["chart_review_session"]["value"]
    assert cookies["chart_review_session"]["sameSite"] == "Strict"

    # New review: files, codes, type, date; the progress region reports each step.
    page.get_by_role("link", name="New review").first.click()
    expect(page.get_by_role("heading", name="New review")).to_be_visible()
    assert unlabelled_controls(page) == []
    documents = sorted((CASE / "documents").glob("*.txt"))
    page.get_by_label("Chart files").set_input_files([str(p) for p in documents])
    for document in documents:
        expect(page.locator("#file-list")).to_contain_text(document.name)
    page.get_by_label("Procedure codes").fill("62362,E0783")
    page.get_by_label("Request type").select_option("permanent")
    page.get_by_label("Service date").fill("2025-10-01")
    page.get_by_label("Patient name").fill("Harold Beckwith")  # the fixture chart's fictional patient
    page.get_by_label("Member ID").fill("FIC-40771")
    page.get_by_label("Reference").fill("PA-2025-0912")
    page.screenshot(path=str(shots / "new-review.png"), full_page=True)
    page.evaluate(WATCH_PROGRESS)
    page.get_by_role("button", name="Start review").click()

    page.wait_for_url(re.compile(r".*#/reviews/[0-9a-f]+$"), timeout=TIMEOUT_MS)
    expect(page.locator("#banner-title")).to_contain_text("Meets criteria", timeout=TIMEOUT_MS)
    review_id = page.url.rsplit("/", 1)[1]
    progress = page.evaluate("() => window.__progress || []")
    assert any(text.startswith("Uploading") for text in progress), progress
    assert any(text.startswith("Done") for text in progress), progress

    # The same decision, from the JSON API the page uses.
    api = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {reviewer_key}"}, timeout=30)
    review = api.get(f"/v1/reviews/{review_id}").json()
    assert review["status"] == "done" and review["determination"] == "meets_criteria"
    criterion = find(review["decision"]["criteria"], CRITERION)
    assert criterion["status"] == "met" and len(criterion["evidence"]) >= 2
    expect(page.locator("#summary")).to_have_text(review["decision"]["summary"])
    expect(page.locator("#criteria-tree")).to_be_visible()
    assert unlabelled_controls(page) == []
    assert page.evaluate(LOW_CONTRAST) == []

    # Colour by meaning (issue 11): an absent non-indication is fine, not red; a pathway the
    # request is not on is grey and collapsed; criteria of other request types are hidden.
    absent = page.locator('button.crit[data-criterion="non_indication.opioid_addiction"] .mark')
    expect(absent).to_have_attribute("data-meaning", "good")
    expect(absent).to_contain_text("absent")
    met = page.locator(f'button.crit[data-criterion="{CRITERION}"] .mark')
    assert absent.evaluate("e => getComputedStyle(e).color") == met.evaluate("e => getComputedStyle(e).color")
    other = page.locator('button.crit[data-criterion="spasticity"] .mark')
    expect(other).to_have_attribute("data-meaning", "inapplicable")
    expect(page.locator('li.tree-item[data-criterion="spasticity"] > ul')).to_be_hidden()
    trial_only = page.locator('li.tree-item[data-criterion="cancer_pain.trial_request"]')
    expect(trial_only).to_be_hidden()
    toggle = page.locator("#toggle-inapplicable")
    expect(toggle).to_contain_text("criteria of other request types")
    toggle.click()
    expect(trial_only).to_be_visible()
    expect(trial_only.locator(".mark").first).to_have_attribute("data-meaning", "inapplicable")
    page.locator("#toggle-inapplicable").click()
    expect(trial_only).to_be_hidden()

    # The chosen criterion's heading stays in view while the evidence panel scrolls.
    page.locator(f'button.crit[data-criterion="{CRITERION}"]').click()
    expect(page.locator("pre.document mark#evidence-mark")).to_be_visible()
    panel = page.locator(".evidence-panel")
    panel.evaluate("e => { e.scrollTop = e.scrollHeight; }")
    title_box, panel_box = page.locator("#detail-title").bounding_box(), panel.bounding_box()
    assert title_box is not None and panel_box is not None
    assert panel_box["y"] - 1 <= title_box["y"] <= panel_box["y"] + panel_box["height"], (title_box, panel_box)
    panel.evaluate("e => { e.scrollTop = 0; }")

    # No internal ids or character offsets in front of the nurse (a criterion is chosen above).
    expect(page.locator("#criterion-detail .detail-head")).not_to_contain_text(CRITERION)
    expect(page.locator("#criterion-detail .viewer-head")).not_to_contain_text("characters ")

    # Keys: the down arrow moves to the next criterion shown, n and p step through its quotes.
    page.locator(f'button.crit[data-criterion="{CRITERION}"]').focus()
    page.keyboard.press("ArrowDown")
    moved = page.evaluate("() => document.activeElement.dataset.criterion")
    assert moved and moved != CRITERION
    expect(page.locator('button.crit[aria-current="true"]')).to_have_attribute("data-criterion", moved)
    page.keyboard.press("ArrowUp")
    expect(page.locator('button.crit[aria-current="true"]')).to_have_attribute("data-criterion", CRITERION)
    page.keyboard.press("n")
    expect(page.locator("pre.document mark#evidence-mark")).to_have_text(criterion["evidence"][1]["text"])
    page.keyboard.press("p")
    expect(page.locator("pre.document mark#evidence-mark")).to_have_text(criterion["evidence"][0]["text"])

    # A met criterion: its first quote is highlighted in its document, scrolled into view.
    page.locator(f'button.crit[data-criterion="{CRITERION}"]').click()
    mark = page.locator("pre.document mark#evidence-mark")
    first = criterion["evidence"][0]
    expect(mark).to_have_text(first["text"])
    assert mark.text_content() == first["text"]
    expect(page.locator("#viewer-document")).to_have_text(first["document"])
    assert page.locator("pre.document mark").count() == 1
    visible = page.evaluate("""() => {
        const pre = document.querySelector('pre.document').getBoundingClientRect();
        const mark = document.querySelector('#evidence-mark').getBoundingClientRect();
        return mark.top >= pre.top - 1 && mark.bottom <= pre.bottom + 1 && mark.top >= 0 && mark.top < innerHeight;
    }""")
    assert visible, "the highlighted evidence is not scrolled into view"
    # Every quote of the criterion can be stepped through.
    page.get_by_role("button", name="Next →").click()
    expect(mark).to_have_text(criterion["evidence"][1]["text"])
    last = criterion["evidence"][-1]
    page.locator(".evidence-item").nth(len(criterion["evidence"]) - 1).click()
    expect(mark).to_have_text(last["text"])
    expect(page.locator("#viewer-document")).to_have_text(last["document"])
    page.locator(".evidence-item").first.click()
    expect(mark).to_have_text(first["text"])
    page.locator(f'button.crit[data-criterion="{CRITERION}"]').click()  # the view as a reviewer opens it
    expect(mark).to_have_text(first["text"])
    page.screenshot(path=str(shots / "decision-view.png"))
    page.screenshot(path=str(shots / "decision-view-full.png"), full_page=True)
    shutil.copyfile(shots / "decision-view.png", DECISION_SCREENSHOT_COPY)

    # The outline works from the keyboard: focus a criterion and press Enter.
    keyboard = find(review["decision"]["criteria"], KEYBOARD_CRITERION)
    page.locator(f'button.crit[data-criterion="{KEYBOARD_CRITERION}"]').focus()
    page.keyboard.press("Enter")
    expect(mark).to_have_text(keyboard["evidence"][0]["text"])
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.locator('button.crit[aria-current="true"]')).to_have_attribute("data-criterion", CRITERION)
    expect(mark).to_have_text(first["text"])

    # Override with a reason: shown beside the automated status and in the history.
    reason = "Browser test: the reviewer reads the restaging PET/CT differently."
    page.get_by_role("button", name="Record override").click()
    expect(page.locator("#override-error")).to_contain_text("Choose the new status")
    page.get_by_label("New status").select_option("not_met")
    page.get_by_role("button", name="Record override").click()
    expect(page.locator("#override-error")).to_contain_text("Give a reason")
    page.get_by_label("Reason (required)").fill(reason)
    page.get_by_role("button", name="Record override").click()
    expect(page.locator("#override-error")).to_contain_text("Override recorded")
    expect(page.locator("#automated-status")).to_contain_text("met")
    expect(page.locator("#override-status")).to_contain_text("not met")
    expect(page.locator("#override-status")).to_contain_text(reason)
    expect(page.locator(f'button.crit[data-criterion="{CRITERION}"] .crit-override')).to_contain_text("not met")
    # Carried up the tree under the same logic: her reading no longer meets the criteria.
    expect(page.locator("#override-note")).to_contain_text("the criteria come to: Does not meet criteria")
    expect(page.locator('button.crit[data-criterion="cancer_pain"] .crit-override--carried')).to_contain_text(
        "not met")
    history = page.locator("#history-list .history-item--override")
    expect(history).to_have_count(1)
    expect(history).to_contain_text(reason)
    # Named by her key's label, never by a key id.
    expect(history).to_contain_text("browser test reviewer")
    expect(page.locator("#history-list")).not_to_contain_text("key ")
    expect(page.locator("#overrides-table")).to_contain_text(reason)
    expect(page.locator("#banner-title")).to_contain_text("Meets criteria")  # the automated decision stays
    expect(mark).to_have_text(first["text"])
    page.locator("#history").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "override-history.png"), full_page=True)
    overrides = api.get(f"/v1/reviews/{review_id}").json()["overrides"]
    assert [(o["criterion_id"], o["status_after"], o["reason"]) for o in overrides] == [
        (CRITERION, "not_met", reason)]
    audit = api.get(f"/v1/reviews/{review_id}/audit").json()
    assert [e["detail"]["reason"] for e in audit if e["action"] == "override"] == [reason]

    # Her own determination, with a reason, recorded beside the automated one (issue 11).
    section = page.locator("#reviewer-determination")
    section.get_by_role("button", name="Record my determination").click()
    expect(page.locator("#reviewer-determination-message")).to_contain_text("Choose a determination")
    section.get_by_label("Determination", exact=True).select_option("refer_to_physician")
    section.get_by_label("Reason for your determination (required)").fill("Prognosis needs the oncologist.")
    section.get_by_role("button", name="Record my determination").click()
    expect(page.locator("#reviewer-determination-message")).to_contain_text("Recorded: Refer to a physician")
    expect(page.locator("#reviewer-determinations")).to_contain_text("Prognosis needs the oncologist.")
    expect(page.locator("#banner-title")).to_contain_text("Meets criteria")  # the automated decision stays
    made = api.get(f"/v1/reviews/{review_id}").json()["reviewer_determinations"]
    assert [(d["determination"], d["reason"]) for d in made] == [("refer_to_physician",
                                                                  "Prognosis needs the oncologist.")]

    # The print summary: banner, criteria with their quotes, overrides; no forms, no document pane.
    page.emulate_media(media="print")
    expect(page.locator(".evidence-panel")).to_be_hidden()
    expect(page.locator(".print-evidence").first).to_be_visible()
    expect(page.locator("#overrides-table")).to_be_visible()
    page.screenshot(path=str(shots / "print-summary.png"), full_page=True)
    page.pdf(path=str(shots / "decision-summary.pdf"))
    page.emulate_media(media="screen")

    # The determination summary to file: her override and determination, named by her key's label.
    page.get_by_role("link", name="Determination summary").click()
    summary = page.locator("#determination-summary")
    expect(summary).to_contain_text("DETERMINATION SUMMARY")
    expect(summary).to_contain_text("refer to physician, by browser test reviewer")
    expect(summary).to_contain_text(reason)
    page.emulate_media(media="print")
    page.pdf(path=str(shots / "determination-summary.pdf"))
    page.emulate_media(media="screen")
    page.get_by_role("link", name="Back to the review").click()
    expect(page.locator("#banner-title")).to_contain_text("Meets criteria")

    # The reviews list, filtered to this determination, links back to the decision.
    page.get_by_role("link", name="Reviews", exact=True).click()
    expect(page.get_by_role("heading", name="Reviews", exact=True)).to_be_visible()
    page.get_by_label("Determination", exact=True).select_option("meets_criteria")
    page.get_by_label("Status").select_option("done")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"determination=meets_criteria"))
    expect(page.locator(".reviews-table tbody tr")).to_have_count(1)
    expect(page.get_by_role("columnheader", name="Decision due")).to_be_visible()  # the turnaround clock
    row = page.locator(".reviews-table tbody tr")
    expect(row).to_contain_text("Harold Beckwith")  # who it is for, and the intake reference
    expect(row).to_contain_text("PA-2025-0912")
    expect(row).to_contain_text("Approve")  # the disposition
    expect(row).to_contain_text("Refer to a physician")  # her determination, and who made it
    expect(row).to_contain_text("browser test reviewer")
    page.screenshot(path=str(shots / "reviews-list.png"), full_page=True)
    page.get_by_label("Determination", exact=True).select_option("does_not_meet_criteria")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("No reviews match these filters.")).to_be_visible()
    page.get_by_label("Determination", exact=True).select_option("")
    page.get_by_label("Disposition").select_option("pend_information")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"disposition=pend_information"))
    expect(page.get_by_text("No reviews match these filters.")).to_be_visible()

    # Signing out ends the session: the API refuses the page's cookie afterwards.
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert page.evaluate("() => fetch('/session').then((r) => r.status)") == 401

    assert errors == [], errors
    assert outside == [], f"the page reached outside the service: {outside}"
    for name in ("new-review", "decision-view", "override-history", "print-summary", "reviews-list"):
        assert (shots / f"{name}.png").stat().st_size > 10_000, name
    if README_SHOTS:
        for name in ("decision-view", "reviews-list"):
            shutil.copyfile(shots / f"{name}.png", Path(README_SHOTS) / f"{name}.png")
    print(f"screenshots: {shots}")



def test_browser_pdf_evidence_shows_its_page(server: Server, browser_context: Any, tmp_path: Path) -> None:
    """A two-page PDF: the quote on page 2 is highlighted there, labelled "page 2 of 2"."""
    from playwright.sync_api import expect

    from tests.pdf_factory import typed_pdf

    note = (CASE / "documents" / "oncology_followup.txt").read_text(encoding="utf-8")
    cut = note.index("\n\n", len(note) // 2)
    pdf = tmp_path / "oncology_followup.pdf"
    pdf.write_bytes(typed_pdf([note[:cut], note[cut:]]))
    page = browser_context.new_page()
    page.set_default_timeout(30_000)
    key = server.key("reviewer", "browser test, PDF")
    sign_in(page, server, key)
    review_id = upload(page, [CASE / "documents" / "intrathecal_trial_note.txt", pdf], "62362, E0783", "permanent",
                       "2025-10-01")

    api = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}, timeout=30)
    review = api.get(f"/v1/reviews/{review_id}").json()
    criterion = find(review["decision"]["criteria"], KEYBOARD_CRITERION)
    evidence = criterion["evidence"][0]
    assert evidence["document"] == pdf.name and evidence["page"] == 2, evidence
    page.locator(f'button.crit[data-criterion="{KEYBOARD_CRITERION}"]').click()
    mark = page.locator("pre.document mark#evidence-mark")
    expect(mark).to_have_text(evidence["text"])
    expect(page.locator("#evidence-page")).to_have_text("page 2 of 2")
    expect(page.locator("pre.document .page-break")).to_have_text(["— page 2 —"])
    # The page itself, beside the text we read, with the quote's area outlined (issue 11).
    page.locator("#page-image-button").click()
    image = page.locator("#page-image img")
    expect(image).to_have_attribute("alt", f"Page 2 of {pdf.name}, with the quote outlined")
    expect(page.locator("#page-image figcaption")).to_have_text("The quote's area is outlined on the page.")
    page.wait_for_function("() => document.querySelector('#page-image img').naturalWidth > 1000")
    page.screenshot(path=str(tmp_path / "pdf-evidence.png"))
    if README_SHOTS:
        page.locator("#page-image").screenshot(path=str(Path(README_SHOTS) / "pdf-page-quote.png"))
    page.locator("#page-image-button").click()
    expect(page.locator("#page-image")).to_have_count(0)


def test_browser_api_docs_work_offline(server: Server, browser_context: Any) -> None:
    """/docs renders every operation from the app's own files: no request leaves the server, and
    nothing is refused by the Content-Security-Policy."""
    page = browser_context.new_page()
    requested: list[str] = []
    refused: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    try:
        page.goto(f"{server.url}/docs")
        page.wait_for_selector(".opblock", timeout=TIMEOUT_MS)
        operations = page.locator(".opblock-summary-path").all_inner_texts()
        assert any("/v1/reviews" in text for text in operations), operations
        assert [url for url in requested if not url.startswith(server.url)] == []
        assert refused == []
    finally:
        page.close()


OVERFLOW = """() => {
    // The page's width against the screen's, and (for the failure message) what sticks out.
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > width + 1)
        .map((el) => `${el.tagName}.${el.className}:${Math.round(el.getBoundingClientRect().right)}`);
    return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 8)};
}"""


def test_browser_phone_layout_has_no_horizontal_overflow(server: Server, browser_context: Any) -> None:
    """Issue 11: at 390x844 nothing is wider than the screen, on the queue and on a decision,
    and the evidence panel does not sit over the criteria."""
    from playwright.sync_api import expect

    key = server.key("reviewer", "phone reviewer")
    documents = [{"name": p.name, "text": p.read_text()} for p in sorted((CASE / "documents").glob("*.txt"))]
    api = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}, timeout=60)
    created = api.post("/v1/reviews", json={"request": {"procedure_codes": ["62362", "E0783"],
                                                        "request_type": "permanent", "service_date": "2025-10-01"},
                                            "documents": documents}).json()
    assert api.get(f"/v1/reviews/{created['id']}", params={"wait": 60}).json()["status"] == "done"
    browser_context.clear_cookies()  # another test's sign-in must not carry over
    page = browser_context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        sign_in(page, server, key)
        found = page.evaluate(OVERFLOW)
        assert found["scroll"] <= found["width"], found
        page.goto(f"{server.url}/#/reviews/{created['id']}")
        expect(page.locator("#criteria-tree")).to_be_visible(timeout=TIMEOUT_MS)
        page.locator(f'button.crit[data-criterion="{CRITERION}"]').click()
        expect(page.locator("pre.document mark#evidence-mark")).to_be_visible()
        found = page.evaluate(OVERFLOW)
        assert found["scroll"] <= found["width"], found
        tree = page.locator(".criteria-panel").bounding_box()
        panel = page.locator(".evidence-panel").bounding_box()
        assert tree is not None and panel is not None
        overlap = not (panel["y"] >= tree["y"] + tree["height"] or panel["y"] + panel["height"] <= tree["y"])
        assert not overlap or panel["x"] >= tree["x"] + tree["width"], (tree, panel)
    finally:
        page.close()


def test_browser_request_for_information_letter_prints(server: Server, browser_context: Any) -> None:
    """Issue 11: the letter for a review pended for information opens from the decision and shows
    the service's text, with what is missing, ready to print."""
    from playwright.sync_api import expect

    key = server.key("reviewer", "letter reviewer")
    api = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}, timeout=60)
    created = api.post("/v1/reviews", json={
        "request": {"procedure_codes": ["62323"], "service_date": "2025-10-01", "reference": "PA-LETTER-1"},
        "documents": [{"name": "note.txt", "text": "Metastatic lung cancer with osseous metastases. Trial requested."}],
    }).json()
    review = api.get(f"/v1/reviews/{created['id']}", params={"wait": 60}).json()
    assert review["determination"] == "insufficient_information"
    letter = api.get(f"/v1/reviews/{created['id']}/request-for-information").json()["letter"]
    browser_context.clear_cookies()
    page = browser_context.new_page()
    try:
        sign_in(page, server, key)
        page.goto(f"{server.url}/#/reviews/{created['id']}")
        page.get_by_role("link", name="Request for information").click()
        article = page.locator("#rfi-letter")
        expect(article).to_contain_text("PA-LETTER-1")
        expect(article).to_contain_text(letter.split("\n\n")[1].split("\n")[0])
        expect(page.get_by_role("button", name="Print letter")).to_be_visible()
    finally:
        page.close()


def test_browser_conflicts_link_to_their_quotes(server: Server, browser_context: Any) -> None:
    """Issue 11: a contradiction is listed with each side's quotes, and a quote opens in its document."""
    from playwright.sync_api import expect

    case = FIXTURE_CASES / "blind-b-06-no-hep-cbt-adl"
    key = server.key("reviewer", "conflict reviewer")
    api = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}, timeout=60)
    request = json.loads((case / "request.json").read_text())
    documents = [{"name": p.name, "text": p.read_text()} for p in sorted((case / "documents").glob("*.txt"))]
    created = api.post("/v1/reviews", json={"request": request, "documents": documents}).json()
    review = api.get(f"/v1/reviews/{created['id']}", params={"wait": 60}).json()
    conflict = review["decision"]["conflicts"][0]
    browser_context.clear_cookies()
    page = browser_context.new_page()
    try:
        sign_in(page, server, key)
        page.goto(f"{server.url}/#/reviews/{created['id']}")
        item = page.locator(f'#conflict-list li[data-criterion="{conflict["criterion"]}"]')
        expect(item).to_contain_text("contradicts itself")
        item.locator(".quote-button").first.click()
        expect(page.locator("pre.document mark#evidence-mark")).to_have_text(conflict["affirmed"][0]["text"])
    finally:
        page.close()
