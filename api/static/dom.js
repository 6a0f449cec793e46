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

export function statusMark(status, extraClass = '') {
  const s = STATUS[status] || { symbol: '•', label: status };
  return h('span', { class: `mark mark--${status} ${extraClass}`.trim(), dataset: { status } },
    h('span', { class: 'mark-symbol', 'aria-hidden': 'true' }, s.symbol), ' ', s.label);
}

export const DETERMINATION = {
  meets_criteria: { label: 'Meets criteria', symbol: '✓', tone: 'meets' },
  does_not_meet_criteria: { label: 'Does not meet criteria', symbol: '✗', tone: 'denied' },
  insufficient_information: { label: 'Insufficient information', symbol: '?', tone: 'insufficient' },
  outside_guideline: { label: 'Outside the guideline', symbol: '–', tone: 'outside' },
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
