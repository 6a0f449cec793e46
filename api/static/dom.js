// Small DOM helpers and the page's shared vocabulary (status marks, determinations).
// Text is always set as text (never as HTML): chart text must not be able to inject markup.

/** An element: h('button', {class: 'x', onclick: fn}, 'label', child, ...). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') el.className = value;
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'value' || name === 'checked' || name === 'selected') el[name] = value;
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/** Replace an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let counter = 0;
/** A fresh id for label/aria wiring. */
export function uid(prefix = 'id') {
  counter += 1;
  return `${prefix}-${counter}`;
}

// Status marks are a symbol and a word, never colour alone.
export const STATUS = {
  met: { symbol: '✓', label: 'met' },
  not_met: { symbol: '✗', label: 'not met' },
  unknown: { symbol: '?', label: 'unknown' },
};

// What a status means for the request, which sets its colour: a non-indication that is met is a
// reason against (bad), one not met is fine (good); a pathway the request is not on does not apply.
export const MEANING = {
  good: 'for the request', bad: 'against the request', open: 'undecided', inapplicable: 'does not apply',
};
// A non-indication is present or absent; "met" and "not met" read backwards there.
const NON_INDICATION_LABEL = { met: 'present', not_met: 'absent', unknown: 'unknown' };

export function statusMark(status, extraClass = '', meaning = null, nonIndication = false) {
  const s = STATUS[status] || { symbol: '•', label: status };
  const label = nonIndication ? NON_INDICATION_LABEL[status] || s.label : s.label;
  const tone = meaning ? ` mark--${meaning}` : '';
  return h('span', {
    class: `mark mark--${status}${tone} ${extraClass}`.trim(), dataset: { status, meaning: meaning || '' },
    title: meaning ? MEANING[meaning] : null,
  }, h('span', { class: 'mark-symbol', 'aria-hidden': 'true' }, s.symbol), ' ', label);
}

export const DETERMINATION = {
  meets_criteria: { label: 'Meets criteria', symbol: '✓', tone: 'meets' },
  does_not_meet_criteria: { label: 'Does not meet criteria', symbol: '✗', tone: 'denied' },
  insufficient_information: { label: 'Insufficient information', symbol: '?', tone: 'insufficient' },
  outside_guideline: { label: 'Outside the guideline', symbol: '–', tone: 'outside' },
};

// What automation did with its determination (contract 1.1): it never denies.
export const DISPOSITION_LABEL = {
  approve: 'Approve',
  pend_information: 'Pend: documentation missing',
  pend_clinical_review: 'Pend: clinician review',
  outside_guideline: 'Outside this guideline',
};

// What a reviewer may decide: she approves, pends, or refers; only a physician denies.
export const REVIEWER_DETERMINATION = {
  approve: 'Approve',
  pend_information: 'Pend for information',
  refer_to_physician: 'Refer to a physician',
};

export const REVIEW_STATUS = {
  queued: 'Queued',
  processing: 'Processing',
  done: 'Done',
  failed: 'Failed',
};

export function determinationLabel(value) {
  return (DETERMINATION[value] && DETERMINATION[value].label) || value || '—';
}

/** A timestamp in the reader's locale. */
export function when(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export function timeEl(iso) {
  return h('time', { datetime: iso }, when(iso));
}

/** Move focus to the view's heading, so a screen reader announces the new view. */
export function focusHeading(root) {
  const heading = root.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
  }
}
