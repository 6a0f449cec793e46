// The decision view: banner, the guideline's criteria as an outline, each criterion's evidence
// shown in its document, missing documentation, non-indications, findings, overrides and history.
// Everything comes from GET /v1/reviews/{id}, /documents/{doc_id} and /audit; overrides are posted
// to /overrides and listed beside the automated decision, which they never change.

import { api } from './api.js';
import {
  DETERMINATION, DISPOSITION_LABEL, REVIEWER_DETERMINATION, REVIEW_STATUS, STATUS, determinationLabel, fill, focusHeading, h, statusMark, timeEl,
} from './dom.js';

// What automation does with the decision (contract 1.1): it approves or pends, never denies.
const SYSTEM_ACTOR = 'system';

/** Every node of a criterion tree, depth first. */
function* walk(node) {
  yield node;
  for (const child of node.children) yield* walk(child);
}

function isAstralFree(text) {
  return !/[\uD800-\uDFFF]/.test(text);
}

/**
 * JS string indexes for code-point offsets. The service counts characters as Python does (code
 * points); a JS string counts UTF-16 units, which differ only after a character beyond U+FFFF.
 */
function toUtf16(text, offsets) {
  if (isAstralFree(text)) return offsets;
  const wanted = [...new Set(offsets)].sort((a, b) => a - b);
  const found = new Map();
  let point = 0;
  let unit = 0;
  let next = 0;
  while (next < wanted.length) {
    while (next < wanted.length && wanted[next] === point) {
      found.set(wanted[next], unit);
      next += 1;
    }
    if (unit >= text.length) break;
    unit += text.codePointAt(unit) > 0xffff ? 2 : 1;
    point += 1;
  }
  return offsets.map((o) => (found.has(o) ? found.get(o) : Math.min(o, text.length)));
}

/** Where the evidence sits in the document text: its offsets, or (if they drifted) its quote. */
export function locate(text, evidence) {
  const [start, end] = toUtf16(text, [evidence.start, evidence.end]);
  if (text.slice(start, end) === evidence.text) return { start, end, exact: true };
  let best = -1;
  for (let at = text.indexOf(evidence.text); at !== -1; at = text.indexOf(evidence.text, at + 1)) {
    if (best === -1 || Math.abs(at - start) < Math.abs(best - start)) best = at;
  }
  if (best !== -1) return { start: best, end: best + evidence.text.length, exact: false };
  return null;
}

function pageOf(pageStarts, offset) {
  let page = 0;
  for (const [i, start] of pageStarts.entries()) if (start <= offset) page = i + 1;
  return Math.max(page, 1);
}

function evidenceLabel(evidence) {
  const where = evidence.page ? `${evidence.document}, page ${evidence.page}` : evidence.document;
  // A model's quote (contract 1.1 origin "llm"): found in the chart and checked by ConText, but
  // proposed by a model, never by the rules; the reviewer sees which is which.
  return evidence.origin === 'llm' ? `${where} · proposed by a model, checked against the chart` : where;
}

/** A finding about the model's answers (one not used, or one that disagreed with the rules). */
function isModelFinding(text) {
  return /^model's answer on |^the model reads |^model assistance /.test(text);
}

export async function renderDecision(ctx, reviewId) {
  const { main, signal } = ctx;
  document.title = 'Review — chart-review';
  fill(main, h('p', { class: 'loading', role: 'status' }, 'Loading the review…'));
  let review = await api(`/v1/reviews/${reviewId}`, { signal });
  if (review.status === 'queued' || review.status === 'processing') {
    const status = h('p', { role: 'status', 'aria-live': 'polite', id: 'progress-status' });
    fill(main, h('h1', {}, 'Review in progress'), h('progress', { 'aria-label': 'Progress' }), status);
    focusHeading(main);
    while (!signal.aborted && (review.status === 'queued' || review.status === 'processing')) {
      status.textContent = `${REVIEW_STATUS[review.status]}: the chart is being read.`;
      review = await api(`/v1/reviews/${reviewId}`, { signal, params: { wait: 10 } });
    }
    if (signal.aborted) return;
  }
  if (review.status === 'failed' || !review.decision) {
    fill(main,
      h('section', { class: 'banner banner--failed', 'aria-labelledby': 'banner-title' },
        h('p', { class: 'banner-kicker' }, 'Review failed'),
        h('h1', { id: 'banner-title' }, 'No decision'),
        h('p', { class: 'summary' }, review.error || 'The review did not finish.')),
      h('p', {}, h('a', { href: '#/reviews' }, 'Back to the reviews')));
    focusHeading(main);
    return;
  }
  const audit = await api(`/v1/reviews/${reviewId}/audit`, { signal });
  if (signal.aborted) return;
  new DecisionView(ctx, review, audit).render();
}

/** What a status means for the request: under the non-indications, met is against it. */
function statusMeaning(status, nonIndication) {
  if (status === 'unknown') return 'open';
  return (status === 'met') !== nonIndication ? 'good' : 'bad';
}

/** Each criterion's meaning: a pathway the decision is not on (and everything under it) does not
 * apply, nor does a leaf decided by the request type alone; the rest by their status. */
function meanings(decision) {
  const out = new Map();
  const [indication, exclusion] = decision.criteria;
  if (exclusion) for (const node of walk(exclusion)) out.set(node.id, statusMeaning(node.status, true));
  if (!indication) return out;
  out.set(indication.id, statusMeaning(indication.status, false));
  for (const pathway of indication.children) {
    const elsewhere = decision.pathway && pathway.id !== decision.pathway;
    for (const node of walk(pathway)) {
      const typeOnly = node.logic === 'leaf' && node.status === 'not_met' && !node.evidence.length;
      out.set(node.id, elsewhere || typeOnly ? 'inapplicable' : statusMeaning(node.status, false));
    }
  }
  return out;
}

class DecisionView {
  constructor(ctx, review, audit) {
    this.ctx = ctx;
    this.review = review;
    this.audit = audit;
    this.decision = review.decision;
    this.nodes = new Map();
    for (const root of this.decision.criteria) for (const node of walk(root)) this.nodes.set(node.id, node);
    this.documentsByName = new Map();
    for (const doc of review.documents) {
      if (!this.documentsByName.has(doc.name)) this.documentsByName.set(doc.name, doc);
    }
    this.texts = new Map();
    this.selected = null;
    this.evidenceIndex = 0;
    this.token = 0;
    this.collapsed = new Set();
    const pathway = this.decision.pathway;
    const [indication] = this.decision.criteria;
    if (pathway && indication) {
      for (const child of indication.children) if (child.id !== pathway) this.collapsed.add(child.id);
    }
    this.meanings = meanings(this.decision);
    this.exclusionIds = new Set();
    const exclusion = this.decision.criteria[1];
    if (exclusion) for (const node of walk(exclusion)) this.exclusionIds.add(node.id);
    this.showInapplicable = false;
    this.canOverride = (ctx.me.permissions || []).includes('override');
  }

  /** A status mark coloured by what it means for the request, worded for its kind of criterion. */
  mark(node, status = node.status) {
    const meaning = status === node.status ? this.meanings.get(node.id) : statusMeaning(status, this.exclusionIds.has(node.id));
    return statusMark(status, '', meaning, this.exclusionIds.has(node.id) && node.logic === 'leaf');
  }

  /** A group's status once the reviewers' overrides below it are carried up (same logic). */
  recomputed(criterionId) {
    const view = this.review.reviewer_view;
    const moved = view && view.changed.find((c) => c.criterion_id === criterionId);
    return moved ? moved.reviewer : null;
  }

  /** A leaf decided by the request type alone (not met, nothing quoted): it does not apply here. */
  requestTypeOnly(node) {
    return this.meanings.get(node.id) === 'inapplicable' && node.status === 'not_met' && !node.evidence.length
      && !this.exclusionIds.has(node.id);
  }

  inapplicableToggle() {
    const count = [...this.nodes.values()].filter((n) => n.logic === 'leaf' && this.requestTypeOnly(n)).length;
    if (!count) return null;
    const button = h('button', { type: 'button', class: 'link-button', id: 'toggle-inapplicable', 'aria-pressed': 'false' },
      `Show the ${count} criteria of other request types`);
    button.addEventListener('click', () => {
      this.showInapplicable = !this.showInapplicable;
      button.setAttribute('aria-pressed', String(this.showInapplicable));
      button.textContent = this.showInapplicable ? `Hide the ${count} criteria of other request types`
        : `Show the ${count} criteria of other request types`;
      this.refresh();
    });
    return h('p', { class: 'no-print' }, button);
  }

  latestOverride(criterionId) {
    let latest = null;
    for (const o of this.review.overrides) if (o.criterion_id === criterionId) latest = o;
    return latest;
  }

  /** Who acted, by the label the API gives (the person's name on her key); never a key id. */
  actorName(actor, label) {
    if (actor === SYSTEM_ACTOR) return 'the service';
    return label || 'a reviewer';
  }

  // -- layout -----------------------------------------------------------------------------------

  render() {
    const { main } = this.ctx;
    const d = this.decision;
    const det = DETERMINATION[d.determination] || { label: d.determination, symbol: '•', tone: 'outside' };
    document.title = `${det.label} — review ${this.review.id.slice(0, 8)} — chart-review`;

    this.overrideNote = h('p', { class: 'banner-note', id: 'override-note' });
    const request = this.review.request;
    const pathwayNode = d.pathway ? this.nodes.get(d.pathway) : null;
    const banner = h('section', {
      class: `banner banner--${det.tone}`, id: 'banner', 'aria-labelledby': 'banner-title',
      dataset: { determination: d.determination },
    },
    h('p', { class: 'banner-kicker' }, 'Automated determination'),
    h('h1', { id: 'banner-title' }, h('span', { class: 'banner-symbol', 'aria-hidden': 'true' }, det.symbol), ' ', det.label),
    h('p', { class: 'summary', id: 'summary' }, d.summary),
    this.overrideNote,
    h('dl', { class: 'facts' },
      // Which patient and request this is, as the intake system named them (contract 1.1).
      request.patient && (request.patient.name || request.patient.member_id)
        ? fact('Patient', [request.patient.name, request.patient.member_id && `member ${request.patient.member_id}`,
          request.patient.birth_date && `born ${request.patient.birth_date}`].filter(Boolean).join(', '))
        : null,
      request.reference ? fact('Reference', request.reference) : null,
      request.requesting_provider && request.requesting_provider.name
        ? fact('Requested by', request.requesting_provider.name) : null,
      d.disposition ? fact('Disposition', DISPOSITION_LABEL[d.disposition] || d.disposition) : null,
      fact('Codes', (request.procedure_codes || []).join(', ')),
      fact('Request type', d.request_type ? `${d.request_type}${request.request_type ? '' : ' (derived)'}` : 'not determined'),
      fact('Pathway', pathwayNode ? pathwayNode.text : 'none'),
      fact('Service date', request.service_date || 'the day of review'),
      fact('Guideline', `${d.guideline.id} v${d.guideline.version}`),
      fact('Documents', this.review.documents.map((doc) => doc.name).join(', ')),
      fact('Review', h('span', {}, this.review.id, ', ', timeEl(this.review.created_at)))),
    h('div', { class: 'banner-actions no-print' },
      h('button', { type: 'button', class: 'button', onclick: () => window.print() }, 'Print summary'),
      h('a', { href: `#/reviews/${this.review.id}/determination-summary`, class: 'button' }, 'Determination summary'),
      (d.missing_documentation || []).length
        ? h('a', { href: `#/reviews/${this.review.id}/request-for-information`, class: 'button' },
          'Request for information')
        : null,
      h('a', { href: '#/reviews', class: 'button button--quiet' }, 'All reviews')));

    this.treeBox = h('div', { class: 'tree-box' });
    this.nonIndicationBox = h('div', {});
    const criteria = h('section', { class: 'panel criteria-panel', 'aria-labelledby': 'criteria-title' },
      h('h2', { id: 'criteria-title' }, 'Criteria'),
      h('p', { class: 'legend hint' }, 'The guideline\'s outline, coloured by what each status means for the request: ',
        statusMark('met', '', 'good'), ' ', statusMark('not_met', '', 'bad'), ' ', statusMark('unknown', '', 'open'), ' ',
        statusMark('not_met', '', 'inapplicable'), ' does not apply. A non-indication ',
        statusMark('met', '', 'bad', true), ' is a reason against; ', statusMark('not_met', '', 'good', true),
        ' is fine. Choose a criterion to see its evidence.'),
      this.inapplicableToggle(),
      this.treeBox);

    this.detail = h('div', { class: 'detail', id: 'criterion-detail' });
    this.live = h('p', { class: 'visually-hidden', 'aria-live': 'polite', id: 'evidence-live' });
    const evidence = h('section', { class: 'panel evidence-panel', 'aria-labelledby': 'evidence-title' },
      h('h2', { id: 'evidence-title' }, 'Evidence'), this.live, this.detail);

    this.overridesBox = h('div', {});
    this.determinationBox = h('div', {});
    this.historyBox = h('div', {});
    fill(main,
      banner,
      h('div', { class: 'decision-grid' }, criteria, evidence),
      this.section('missing', 'Missing documentation', this.renderMissing()),
      this.section('non-indications', 'Non-indications', this.nonIndicationBox),
      this.section('findings', 'Findings', this.renderFindings()),
      this.section('reviewer-determination', 'Your determination', this.determinationBox),
      this.section('overrides', 'Reviewer overrides', this.overridesBox),
      this.section('history', 'History', this.historyBox, 'no-print'));
    this.refresh();
    this.renderDetail();
    // Until she navigates away (the view's signal aborts): arrows for criteria, n / p for quotes.
    document.addEventListener('keydown', (event) => this.onKey(event), { signal: this.ctx.signal });
    focusHeading(main);
  }

  section(id, title, body, extraClass = '') {
    return h('section', { class: `panel panel--section ${extraClass}`.trim(), id, 'aria-labelledby': `${id}-title` },
      h('h2', { id: `${id}-title` }, title), body);
  }

  /** Re-render what overrides change: tree marks, non-indications, overrides and history. */
  refresh() {
    const count = this.review.overrides.length;
    const view = this.review.reviewer_view;
    this.overrideNote.textContent = count
      ? `${count} reviewer override${count === 1 ? '' : 's'} recorded (listed below); the automated `
        + 'determination above is unchanged.'
        + (view ? ` With the overrides, the criteria come to: ${determinationLabel(view.determination)}.` : '')
      : '';
    this.overrideNote.hidden = !count;
    if (!this.decision.criteria.length) {
      fill(this.treeBox, h('p', { id: 'criteria-tree' }, 'No criteria were evaluated: the request is outside the guideline.'));
      fill(this.nonIndicationBox, this.renderNonIndications());
      fill(this.overridesBox, this.renderOverrides());
      fill(this.historyBox, this.renderHistory());
      fill(this.determinationBox, this.renderDetermination());
      return;
    }
    fill(this.treeBox, h('ul', { class: 'tree', id: 'criteria-tree' },
      this.decision.criteria.map((root, i) => {
        const item = this.renderNode(root);
        if (i > 0) item.classList.add('tree-item--exclusions');
        return item;
      })));
    fill(this.nonIndicationBox, this.renderNonIndications());
    fill(this.overridesBox, this.renderOverrides());
    fill(this.historyBox, this.renderHistory());
    fill(this.determinationBox, this.renderDetermination());
    this.markSelected();
  }

  // -- the reviewer's own determination -----------------------------------------------------------

  /** The reviewer's determinations so far, beside the automated one, and a form to record hers. */
  renderDetermination() {
    const made = this.review.reviewer_determinations || [];
    const choice = h('select', { id: 'reviewer-determination-choice', name: 'determination', required: true },
      h('option', { value: '' }, 'Choose…'),
      Object.entries(REVIEWER_DETERMINATION).map(([value, label]) => h('option', { value }, label)));
    const reason = h('textarea', { id: 'reviewer-determination-reason', name: 'reason', rows: 2, required: true,
      minlength: 3, maxlength: 4000 });
    const message = h('p', { id: 'reviewer-determination-message', role: 'status' });
    const submit = h('button', { type: 'submit', class: 'button button--primary' }, 'Record my determination');
    const form = h('form', { class: 'determination-form no-print', id: 'reviewer-determination-form', novalidate: true },
      h('div', { class: 'field' }, h('label', { for: 'reviewer-determination-choice' }, 'Determination'), choice),
      h('div', { class: 'field' }, h('label', { for: 'reviewer-determination-reason' }, 'Reason for your determination (required)'), reason),
      h('div', { class: 'actions' }, submit), message);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      message.classList.remove('form-error');
      if (!choice.value || reason.value.trim().length < 3) {
        message.classList.add('form-error');
        message.textContent = 'Choose a determination and give a reason (at least 3 characters).';
        (choice.value ? reason : choice).focus();
        return;
      }
      submit.disabled = true;
      try {
        await api(`/v1/reviews/${this.review.id}/determination`, {
          method: 'POST', json: { determination: choice.value, reason: reason.value.trim() },
        });
        const [review, audit] = await Promise.all([
          api(`/v1/reviews/${this.review.id}`), api(`/v1/reviews/${this.review.id}/audit`)]);
        this.review = review;
        this.audit = audit;
        this.refresh();
        const fresh = this.determinationBox.querySelector('#reviewer-determination-message');
        if (fresh) fresh.textContent = `Recorded: ${REVIEWER_DETERMINATION[choice.value]}.`;
      } catch (error) {
        message.classList.add('form-error');
        message.textContent = `Your determination was not recorded: ${error.message}`;
      } finally {
        submit.disabled = false;
      }
    });
    return [
      h('p', {}, 'The automated result above is kept as it is; yours is recorded beside it with your reason.'),
      made.length
        ? h('ul', { class: 'determinations', id: 'reviewer-determinations' }, made.map((d) => h('li', {},
          h('strong', {}, REVIEWER_DETERMINATION[d.determination] || d.determination), ' — ', d.reason, ' ',
          h('span', { class: 'hint' }, '(', this.actorName(d.reviewer, d.reviewer_label), ', ', timeEl(d.created_at), ')'))))
        : h('p', { class: 'hint' }, 'No reviewer determination yet.'),
      form,
    ];
  }

  // -- criteria outline -------------------------------------------------------------------------

  renderNode(node) {
    const override = this.latestOverride(node.id);
    const button = h('button', {
      type: 'button', class: `crit crit--${node.logic}`, dataset: { criterion: node.id, status: node.status },
      onclick: () => this.select(node.id, 0),
    },
    this.mark(node),
    h('span', { class: 'crit-text' }, node.text),
    node.evidence.length
      ? h('span', { class: 'crit-count' }, `${node.evidence.length} quote${node.evidence.length === 1 ? '' : 's'}`)
      : null,
    override ? h('span', { class: 'crit-override' }, 'override: ', this.mark(node, override.status_after))
      : this.recomputed(node.id) ? h('span', { class: 'crit-override crit-override--carried' },
        'with overrides: ', this.mark(node, this.recomputed(node.id))) : null);
    const inapplicable = this.meanings.get(node.id) === 'inapplicable';
    const item = h('li', {
      class: `tree-item${inapplicable ? ' tree-item--inapplicable' : ''}`, dataset: { criterion: node.id },
      // A criterion of another request type (a permanent pump's trial result, for a trial) is
      // hidden until she asks for it; a pathway the request is not on stays, collapsed and grey.
      hidden: !this.showInapplicable && node.logic === 'leaf' && this.requestTypeOnly(node),
    });
    const row = h('div', { class: 'tree-row' });
    if (node.children.length) {
      const childrenId = `children-${node.id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
      const open = !this.collapsed.has(node.id);
      const toggle = h('button', {
        type: 'button', class: 'toggle', 'aria-expanded': String(open), 'aria-controls': childrenId,
        'aria-label': `${open ? 'Collapse' : 'Expand'}: ${node.text}`,
      }, h('span', { 'aria-hidden': 'true' }, open ? '▾' : '▸'));
      const list = h('ul', { id: childrenId, hidden: !open }, node.children.map((child) => this.renderNode(child)));
      toggle.addEventListener('click', () => {
        const nowOpen = list.hidden;
        list.hidden = !nowOpen;
        if (nowOpen) this.collapsed.delete(node.id);
        else this.collapsed.add(node.id);
        toggle.setAttribute('aria-expanded', String(nowOpen));
        toggle.setAttribute('aria-label', `${nowOpen ? 'Collapse' : 'Expand'}: ${node.text}`);
        toggle.firstChild.textContent = nowOpen ? '▾' : '▸';
      });
      row.append(toggle, button);
      item.append(row, list);
    } else {
      row.append(h('span', { class: 'toggle-spacer', 'aria-hidden': 'true' }), button);
      item.append(row);
      // On paper the quotes sit under their criterion (the screen shows them in the document).
      if (node.evidence.length) {
        item.append(h('ul', { class: 'print-only print-evidence' },
          node.evidence.map((e) => h('li', {}, h('q', {}, e.text), ` — ${evidenceLabel(e)}`))));
      }
    }
    return item;
  }

  markSelected() {
    for (const button of this.treeBox.querySelectorAll('button.crit')) {
      if (button.dataset.criterion === this.selected) button.setAttribute('aria-current', 'true');
      else button.removeAttribute('aria-current');
    }
  }

  /** Open a collapsed branch so the chosen criterion's button can be seen. */
  reveal(criterionId) {
    let changed = false;
    for (const [id, node] of this.nodes) {
      if (this.collapsed.has(id) && [...walk(node)].some((n) => n.id === criterionId && n.id !== id)) {
        this.collapsed.delete(id);
        changed = true;
      }
    }
    if (changed) this.refresh();
  }

  // -- the chosen criterion and its evidence ------------------------------------------------------

  select(criterionId, evidenceIndex = 0) {
    this.selected = criterionId;
    this.evidenceIndex = evidenceIndex;
    this.reveal(criterionId);
    this.markSelected();
    this.renderDetail();
    this.panel().scrollTop = 0; // a new criterion reads from its heading
    const node = this.nodes.get(criterionId);
    if (node && node.evidence.length) this.showEvidence(evidenceIndex);
    else this.detail.scrollIntoView({ block: 'nearest' });
  }

  renderDetail() {
    const node = this.selected ? this.nodes.get(this.selected) : null;
    if (!node) {
      fill(this.detail,
        h('p', {}, 'Choose a criterion in the outline to see the chart text it rests on, or open a document:'),
        h('ul', { class: 'doc-buttons' }, this.review.documents.map((doc) => h('li', {},
          h('button', { type: 'button', class: 'button button--quiet', onclick: () => this.showDocument(doc) },
            doc.name, doc.pages > 1 ? ` (${doc.pages} pages)` : '')))),
        this.viewer = h('div', { class: 'viewer', id: 'viewer' }));
      return;
    }
    const override = this.latestOverride(node.id);
    const head = h('div', { class: 'detail-head' },
      h('h3', { id: 'detail-title' }, node.text),
      h('dl', { class: 'status-pair' },
        h('div', {}, h('dt', {}, 'Automated'), h('dd', { id: 'automated-status' }, this.mark(node))),
        h('div', {}, h('dt', {}, 'Reviewer'), h('dd', { id: 'override-status' },
          override
            ? [this.mark(node, override.status_after), h('span', { class: 'hint' }, ` by ${this.actorName(override.reviewer, override.reviewer_label)}, `,
              timeEl(override.created_at), ': ', h('q', {}, override.reason))]
            : h('span', { class: 'hint' }, 'no override')))),
      node.reason ? h('p', { class: 'reason' }, h('strong', {}, 'Why: '), node.reason) : null,
      node.needs && node.status === 'unknown'
        ? h('p', { class: 'needs' }, h('strong', {}, 'Would be decided by: '), node.needs) : null);

    // The document comes first, so the highlighted quote is in view beside the outline; the list
    // of every quote of the criterion follows, to step through.
    const parts = [head];
    this.viewer = h('div', { class: 'viewer', id: 'viewer' });
    if (node.evidence.length) {
      this.evidenceButtons = node.evidence.map((e, i) => h('button', {
        type: 'button', class: 'evidence-item', dataset: { index: String(i) },
        onclick: () => this.showEvidence(i),
      },
      h('span', { class: e.origin === 'llm' ? 'evidence-where evidence-where--model' : 'evidence-where' },
        `${i + 1}. ${evidenceLabel(e)}`),
      h('span', { class: 'evidence-quote' }, `“${e.text}”`)));
      this.stepCount = h('span', { class: 'step-count' });
      this.prevButton = h('button', { type: 'button', class: 'button button--small', onclick: () => this.step(-1) }, '← Previous');
      this.nextButton = h('button', { type: 'button', class: 'button button--small', onclick: () => this.step(1) }, 'Next →');
      parts.push(
        h('div', { class: 'stepper', role: 'group', 'aria-label': 'Step through the evidence' },
          h('span', { class: 'stepper-title' }, 'Quote'), this.prevButton, this.stepCount, this.nextButton),
        this.viewer,
        h('h4', { id: 'evidence-list-title' }, `All quotes for this criterion (${node.evidence.length})`),
        h('ol', { class: 'evidence-list', 'aria-labelledby': 'evidence-list-title' },
          this.evidenceButtons.map((b) => h('li', {}, b))));
    } else {
      this.evidenceButtons = [];
      parts.push(h('p', { class: 'no-evidence' }, node.logic === 'leaf'
        ? 'No chart text was quoted for this criterion.'
        : 'A group: its status follows from the criteria under it.'));
    }
    if (this.canOverride) parts.push(this.renderOverrideForm(node));
    fill(this.detail, parts);
  }

  panel() {
    return this.detail.closest('.evidence-panel') || this.detail;
  }

  /** Scroll the evidence panel so the document's first lines show (a quote far down the list was chosen). */
  revealViewer() {
    const panel = this.panel();
    const anchor = this.detail.querySelector('.stepper') || this.viewer;
    const outer = panel.getBoundingClientRect();
    const top = anchor.getBoundingClientRect().top;
    if (top < outer.top || top > outer.top + panel.clientHeight / 2) panel.scrollTop += top - outer.top - 8;
  }

  /** Keys (issue 11): up and down arrows move through the criteria shown, n and p through the
   * chosen criterion's quotes. Never while she types in a field. */
  onKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target.closest && event.target.closest('input, textarea, select, [contenteditable="true"]')) return;
    if (event.key === 'n' || event.key === 'p') {
      if (!this.selected) return;
      event.preventDefault();
      this.step(event.key === 'n' ? 1 : -1);
      return;
    }
    if ((event.key !== 'ArrowDown' && event.key !== 'ArrowUp') || !event.target.closest('button.crit')) return;
    const shown = [...this.treeBox.querySelectorAll('button.crit')].filter((b) => b.offsetParent !== null);
    const at = shown.indexOf(event.target.closest('button.crit'));
    const next = shown[at + (event.key === 'ArrowDown' ? 1 : -1)];
    if (!next) return;
    event.preventDefault();
    next.focus();
    this.select(next.dataset.criterion, 0);
  }

  step(delta) {
    const node = this.nodes.get(this.selected);
    const next = this.evidenceIndex + delta;
    if (!node || next < 0 || next >= node.evidence.length) return;
    this.showEvidence(next);
  }

  loadText(doc) {
    if (!this.texts.has(doc.id)) {
      const pending = api(`/v1/reviews/${this.review.id}/documents/${doc.id}`, { signal: this.ctx.signal });
      pending.catch(() => this.texts.delete(doc.id));
      this.texts.set(doc.id, pending);
    }
    return this.texts.get(doc.id);
  }

  async showEvidence(index) {
    const node = this.nodes.get(this.selected);
    const evidence = node.evidence[index];
    this.evidenceIndex = index;
    for (const [i, button] of this.evidenceButtons.entries()) {
      if (i === index) button.setAttribute('aria-current', 'true');
      else button.removeAttribute('aria-current');
    }
    this.stepCount.textContent = `${index + 1} of ${node.evidence.length}`;
    this.prevButton.disabled = index === 0;
    this.nextButton.disabled = index === node.evidence.length - 1;
    const doc = this.documentsByName.get(evidence.document);
    if (!doc) {
      fill(this.viewer, h('p', { class: 'form-error' }, `The document ${evidence.document} is not in this review.`));
      return;
    }
    await this.showDocument(doc, evidence);
  }

  async showDocument(doc, evidence = null) {
    const token = ++this.token;
    const viewer = this.viewer;
    fill(viewer, h('p', { class: 'loading' }, `Loading ${doc.name}…`));
    let body;
    try {
      body = await this.loadText(doc);
    } catch (error) {
      if (token === this.token) fill(viewer, h('p', { class: 'form-error', role: 'alert' }, `Could not load ${doc.name}: ${error.message}`));
      return;
    }
    if (token !== this.token) return; // a later click won
    const text = body.text;
    const pageStarts = toUtf16(text, body.page_starts || [0]);
    const paged = pageStarts.length > 1 || (evidence && evidence.page != null);
    const span = evidence ? locate(text, evidence) : null;

    const pre = h('pre', { class: 'document', tabindex: '0', 'aria-label': `Text of ${doc.name}` });
    let mark = null;
    const cuts = new Set([0, text.length]);
    if (paged) for (const start of pageStarts.slice(1)) if (!span || start <= span.start || start >= span.end) cuts.add(start);
    if (span) { cuts.add(span.start); cuts.add(span.end); }
    const points = [...cuts].sort((a, b) => a - b);
    const pageBreaks = new Set(paged ? pageStarts.slice(1) : []);
    for (let i = 0; i < points.length - 1; i += 1) {
      const [from, to] = [points[i], points[i + 1]];
      if (pageBreaks.has(from)) {
        pre.append(h('span', { class: 'page-break', 'aria-hidden': 'true' }, `— page ${pageOf(pageStarts, from)} —\n`));
      }
      const piece = text.slice(from, to);
      if (span && from === span.start && to === span.end) {
        mark = h('mark', { id: 'evidence-mark', tabindex: '-1' }, piece);
        pre.append(mark);
      } else if (piece) {
        pre.append(piece);
      }
    }

    const where = [];
    if (evidence) {
      const page = evidence.page ?? (paged && span ? pageOf(pageStarts, span.start) : null);
      if (page) where.push(h('span', { class: 'page-label', id: 'evidence-page' }, `page ${page}${doc.pages ? ` of ${doc.pages}` : ''}`));
      if (page && evidence.page != null) where.push(' ', this.pageImageButton(doc, evidence, page));
    } else if (doc.pages > 1) {
      where.push(h('span', { class: 'hint' }, `${doc.pages} pages`));
    }
    if (doc.ocr_pages && doc.ocr_pages.length) {
      where.push(h('span', { class: 'hint' }, ` · read by OCR: page${doc.ocr_pages.length === 1 ? '' : 's'} ${doc.ocr_pages.join(', ')}`));
    }
    fill(viewer,
      h('p', { class: 'viewer-head' }, h('strong', { id: 'viewer-document' }, doc.name), ' ', where),
      evidence && !span
        ? h('p', { class: 'form-error', role: 'alert' }, 'This quote could not be found in the document text.')
        : null,
      span && !span.exact
        ? h('p', { class: 'hint' }, 'The offsets did not match the text; the quote is shown where it occurs.')
        : null,
      pre);

    if (mark) {
      // Scroll the document (and if need be its panel), not the page, so the outline stays in view.
      this.revealViewer();
      pre.scrollTop = Math.max(0, mark.offsetTop - pre.clientHeight / 3);
      const box = mark.getBoundingClientRect();
      if (box.top < 0 || box.bottom > window.innerHeight) mark.scrollIntoView({ block: 'nearest' });
      const node = this.nodes.get(this.selected);
      this.live.textContent = `Evidence ${this.evidenceIndex + 1} of ${node.evidence.length}, ${evidenceLabel(evidence)}: ${evidence.text}`;
    } else {
      this.live.textContent = `Showing ${doc.name}.`;
    }
  }

  /** A button that shows the PDF page a quote came from, its area marked where the text layer
   * gives positions; an OCR page is shown unmarked and said to be OCR. */
  pageImageButton(doc, evidence, page) {
    const button = h('button', { type: 'button', class: 'button button--small', id: 'page-image-button',
      'aria-expanded': 'false' }, 'Show the page');
    button.addEventListener('click', async () => {
      const shown = document.getElementById('page-image');
      if (shown) {
        shown.remove();
        button.setAttribute('aria-expanded', 'false');
        button.textContent = 'Show the page';
        return;
      }
      button.disabled = true;
      const figure = h('figure', { class: 'page-image', id: 'page-image' },
        h('p', { class: 'loading' }, `Drawing page ${page}…`));
      button.closest('.viewer-head').after(figure);
      try {
        const query = new URLSearchParams({ start: String(evidence.start), end: String(evidence.end) });
        const response = await fetch(`/v1/reviews/${this.review.id}/documents/${doc.id}/pages/${page}?${query}`,
          { credentials: 'same-origin' });
        if (!response.ok) {
          const problem = await response.json().catch(() => ({}));
          throw new Error(problem.detail || `HTTP ${response.status}`);
        }
        const marking = response.headers.get('Quote-Marking');
        const url = URL.createObjectURL(await response.blob());
        const caption = {
          marked: 'The quote\'s area is outlined on the page.',
          unmarked_ocr: `Page ${page} is a scan read by OCR: its text has no positions, so the quote is not marked. Compare it by eye.`,
          not_found: 'The quote\'s letters were not found in this page\'s text layer, so it is not marked. Compare it by eye.',
        }[marking] || '';
        fill(figure,
          h('img', { src: url, alt: `Page ${page} of ${doc.name}${marking === 'marked' ? ', with the quote outlined' : ''}` }),
          h('figcaption', { class: marking === 'marked' ? 'hint' : 'hint hint--warn' }, caption));
        button.setAttribute('aria-expanded', 'true');
        button.textContent = 'Hide the page';
        const box = figure.querySelector('img');
        box.addEventListener('load', () => figure.scrollIntoView({ block: 'nearest' }), { once: true });
      } catch (error) {
        fill(figure, h('p', { class: 'form-error', role: 'alert' }, `Could not show page ${page}: ${error.message}`));
      } finally {
        button.disabled = false;
      }
    });
    return button;
  }

  // -- overrides ----------------------------------------------------------------------------------

  renderOverrideForm(node) {
    const status = h('select', { id: 'override-status-select', name: 'status', required: true },
      h('option', { value: '' }, 'Choose a status…'),
      Object.entries(STATUS).map(([value, s]) => h('option', { value }, `${s.symbol} ${s.label}`)));
    const reason = h('textarea', {
      id: 'override-reason', name: 'reason', rows: '3', required: true, minlength: '3', maxlength: '4000',
      'aria-describedby': 'override-reason-hint override-error',
    });
    const message = h('p', { class: 'form-message', id: 'override-error', role: 'status', 'aria-live': 'polite' });
    const submit = h('button', { type: 'submit', class: 'button button--primary' }, 'Record override');
    const form = h('form', { class: 'override-form no-print', id: 'override-form', novalidate: true, 'aria-labelledby': 'override-title' },
      h('h4', { id: 'override-title' }, 'Override this criterion'),
      h('p', { class: 'hint' }, 'Recorded beside the automated status with your reason; the automated decision is kept.'),
      h('div', { class: 'field' }, h('label', { for: 'override-status-select' }, 'New status'), status),
      h('div', { class: 'field' },
        h('label', { for: 'override-reason' }, 'Reason (required)'),
        reason,
        h('p', { class: 'hint', id: 'override-reason-hint' }, 'What in the chart supports the new status; at least 3 characters.')),
      h('div', { class: 'actions' }, submit),
      message);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      message.classList.remove('form-error');
      status.removeAttribute('aria-invalid');
      reason.removeAttribute('aria-invalid');
      if (!status.value) {
        status.setAttribute('aria-invalid', 'true');
        message.classList.add('form-error');
        message.textContent = 'Choose the new status.';
        status.focus();
        return;
      }
      if (reason.value.trim().length < 3) {
        reason.setAttribute('aria-invalid', 'true');
        message.classList.add('form-error');
        message.textContent = 'Give a reason (at least 3 characters).';
        reason.focus();
        return;
      }
      submit.disabled = true;
      try {
        await api(`/v1/reviews/${this.review.id}/overrides`, {
          method: 'POST', json: { criterion_id: node.id, status: status.value, reason: reason.value.trim() },
        });
        const [review, audit] = await Promise.all([
          api(`/v1/reviews/${this.review.id}`),
          api(`/v1/reviews/${this.review.id}/audit`),
        ]);
        this.review = review;
        this.audit = audit;
        this.refresh();
        this.renderDetailHeadOnly();
        const fresh = this.detail.querySelector('#override-error');
        if (fresh) fresh.textContent = `Override recorded: ${STATUS[status.value].label}.`;
      } catch (error) {
        message.classList.add('form-error');
        message.textContent = `The override was not recorded: ${error.message}`;
      } finally {
        submit.disabled = false;
      }
    });
    return form;
  }

  /** After an override: redraw the criterion's statuses and form, keeping the document as shown. */
  renderDetailHeadOnly() {
    const viewer = this.viewer;
    const index = this.evidenceIndex;
    this.renderDetail();
    this.viewer.replaceWith(viewer);
    this.viewer = viewer;
    const node = this.nodes.get(this.selected);
    if (node && node.evidence.length) {
      for (const [i, button] of this.evidenceButtons.entries()) {
        if (i === index) button.setAttribute('aria-current', 'true');
      }
      this.stepCount.textContent = `${index + 1} of ${node.evidence.length}`;
      this.prevButton.disabled = index === 0;
      this.nextButton.disabled = index === node.evidence.length - 1;
    }
  }

  renderOverrides() {
    if (!this.review.overrides.length) return h('p', {}, 'No overrides.');
    return h('div', { class: 'table-wrap' }, h('table', { class: 'overrides-table', id: 'overrides-table' },
      h('caption', { class: 'visually-hidden' }, 'Reviewer overrides, oldest first'),
      h('thead', {}, h('tr', {}, ['Criterion', 'Automated', 'Before', 'After', 'Reason', 'Reviewer', 'When']
        .map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, this.review.overrides.map((o) => {
        const node = this.nodes.get(o.criterion_id);
        return h('tr', {},
          h('td', {}, node ? node.text : o.criterion_id),
          h('td', {}, node ? statusMark(node.status) : '—'),
          h('td', {}, statusMark(o.status_before)),
          h('td', {}, statusMark(o.status_after)),
          h('td', {}, o.reason),
          h('td', {}, this.actorName(o.reviewer, o.reviewer_label)),
          h('td', {}, timeEl(o.created_at)));
      }))));
  }

  renderHistory() {
    if (!this.audit.length) return h('p', {}, 'No events.');
    return h('ol', { class: 'history', id: 'history-list' }, this.audit.map((event) => {
      const d = event.detail || {};
      let what;
      if (event.action === 'created') {
        what = `created the review: ${d.documents} document${d.documents === 1 ? '' : 's'}, codes ${(d.codes || []).join(', ')}`;
      } else if (event.action === 'decided') {
        what = `decided: ${(DETERMINATION[d.determination] || {}).label || d.determination}`;
      } else if (event.action === 'override') {
        const node = this.nodes.get(d.criterion_id);
        what = [`overrode “${node ? node.text : d.criterion_id}”: `,
          statusMark(d.before), ' → ', statusMark(d.after), ' — reason: ', h('q', { class: 'history-reason' }, d.reason)];
      } else if (event.action === 'failed') {
        what = `failed: ${d.error}`;
      } else if (event.action === 'documents_added') {
        // The decision before is kept in the review's earlier_decisions.
        const before = d.earlier_determination ? `; the earlier decision (${(DETERMINATION[d.earlier_determination] || {}).label
          || d.earlier_determination}) is kept` : '';
        what = `added ${d.documents} document${d.documents === 1 ? '' : 's'} and sent the review to be read again${before}`;
      } else {
        what = `${event.action.replace(/_/g, ' ')}`;
      }
      return h('li', { class: `history-item history-item--${event.action}`, dataset: { action: event.action } },
        timeEl(event.created_at), ' — ', h('span', { class: 'actor' }, this.actorName(event.actor, event.actor_label)), ' ', what);
    }));
  }

  // -- missing documentation, non-indications, findings -----------------------------------------------

  renderMissing() {
    const missing = this.decision.missing || [];
    if (!missing.length) {
      return h('p', {}, this.decision.determination === 'insufficient_information'
        ? 'No unknown criterion names the documentation it needs.'
        : 'Nothing: the decision does not wait on further documentation.');
    }
    return h('ul', { class: 'missing-list', id: 'missing-list' }, missing.map((id) => {
      const node = this.nodes.get(id);
      // Who to ask, when the guideline names it ("from the treating oncologist").
      const from = node && node.needs_from ? ` (from ${node.needs_from})` : '';
      return h('li', {},
        h('strong', {}, node && node.needs ? node.needs : (node ? node.text : id)), from,
        node ? h('span', { class: 'hint' }, ' — for: ',
          h('button', { type: 'button', class: 'link-button', onclick: () => this.select(id, 0) }, node.text)) : null);
    }));
  }

  renderNonIndications() {
    const root = this.decision.criteria.find((c) => c.id.startsWith('non_indication')) || this.decision.criteria[1];
    if (!root) return h('p', {}, 'Not evaluated.');
    const leaves = [...walk(root)].filter((n) => n.logic === 'leaf');
    const order = { met: 0, unknown: 1, not_met: 2 };
    leaves.sort((a, b) => (order[a.status] - order[b.status]) || (b.evidence.length - a.evidence.length));
    const present = leaves.filter((n) => n.status === 'met').length;
    return [
      h('p', {}, present
        ? `${present} non-indication${present === 1 ? ' is' : 's are'} present: the request does not meet criteria.`
        : 'None is present. Chart text that was considered and ruled out is quoted below.'),
      h('ul', { class: 'non-indications', id: 'non-indication-list' }, leaves.map((node) => {
        const override = this.latestOverride(node.id);
        return h('li', { class: `non-indication non-indication--${node.status}` },
          h('div', { class: 'non-indication-head' },
            this.mark(node),
            ' ',
            h('button', { type: 'button', class: 'link-button', onclick: () => this.select(node.id, 0) }, node.text),
            override ? h('span', { class: 'crit-override' }, ' override: ', this.mark(node, override.status_after)) : null),
          node.reason ? h('p', { class: 'hint' }, node.reason) : null,
          node.evidence.length
            ? h('ul', { class: 'quotes' }, node.evidence.map((e, i) => h('li', {},
              h('button', {
                type: 'button', class: 'link-button quote-button',
                onclick: () => this.select(node.id, i),
              }, h('q', {}, e.text)), h('span', { class: 'hint' }, ` — ${evidenceLabel(e)}`))))
            : null);
      })),
    ];
  }

  renderFindings() {
    const findings = this.decision.findings || [];
    const conflicts = this.decision.conflicts || [];
    if (!findings.length && !conflicts.length) {
      return h('p', {}, 'No findings: no contradictions across notes, and the request is consistent.');
    }
    return [
      conflicts.length
        ? h('ul', { class: 'findings conflicts', id: 'conflict-list' }, conflicts.map((c) => this.renderConflict(c)))
        : null,
      findings.length
        ? h('ul', { class: 'findings', id: 'findings-list' }, findings.map((f) => h('li',
          { class: isModelFinding(f) ? 'finding--model' : '' },
          h('span', { class: 'finding-mark', 'aria-hidden': 'true' }, '⚠ '),
          isModelFinding(f) ? h('strong', {}, 'Model: ') : null, f)))
        : null,
    ];
  }

  /** A contradiction the engine would not decide: each side's quotes, each opening in its document. */
  renderConflict(conflict) {
    const node = this.nodes.get(conflict.criterion);
    const side = (label, quotes) => (quotes.length
      ? h('div', { class: 'conflict-side' }, h('span', { class: 'hint' }, label), ' ', quotes.map((e) => h('button', {
        type: 'button', class: 'link-button quote-button',
        onclick: () => this.select(conflict.criterion, Math.max(0, this.evidenceAt(node, e))),
      }, h('q', {}, e.text), h('span', { class: 'hint' }, ` — ${evidenceLabel(e)}`))))
      : null);
    return h('li', { class: 'conflict', dataset: { criterion: conflict.criterion } },
      h('span', { class: 'finding-mark', 'aria-hidden': 'true' }, '⚠ '),
      'The chart contradicts itself on ', h('strong', {}, node ? node.text : conflict.criterion),
      '; a clinician weighs both sides.',
      side('Says so:', conflict.affirmed || []), side('Says not:', conflict.denied || []));
  }

  /** Where a quote is among a criterion's evidence (-1 when the criterion does not cite it). */
  evidenceAt(node, quote) {
    if (!node) return -1;
    return node.evidence.findIndex((e) => e.document === quote.document && e.start === quote.start);
  }
}

function fact(label, value) {
  return h('div', {}, h('dt', {}, label), h('dd', {}, value));
}
