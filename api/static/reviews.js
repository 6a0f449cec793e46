// The reviews list: GET /v1/reviews with filters (determination, status, creation dates) and pages.
// The filters live in the address (#/reviews?determination=...), so a filtered list can be shared.

import { api } from './api.js';
import {
  DETERMINATION, DISPOSITION_LABEL, REVIEWER_DETERMINATION, REVIEW_STATUS, determinationLabel, fill, focusHeading, h,
  timeEl,
} from './dom.js';

const PAGE_SIZE = 20;

/** The latest reviewer's determination and who made it, or that none is recorded yet. */
function reviewerCell(made) {
  const latest = made && made.length ? made[made.length - 1] : null;
  if (!latest) return h('span', { class: 'hint' }, 'none yet');
  return [REVIEWER_DETERMINATION[latest.determination] || latest.determination, h('br'),
    h('span', { class: 'hint' }, latest.reviewer_label || 'a reviewer')];
}

/** Local midnight of a YYYY-MM-DD date, as an ISO instant (the reviewer's day, not UTC's). */
function startOfDay(value, plusDays = 0) {
  const [y, m, d] = value.split('-').map(Number);
  return new Date(y, m - 1, d + plusDays).toISOString();
}

function select(id, label, options, value) {
  return h('div', { class: 'field field--inline' },
    h('label', { for: id }, label),
    h('select', { id, name: id },
      h('option', { value: '' }, 'Any'),
      options.map(([v, text]) => h('option', { value: v, selected: v === value }, text))));
}

// Who the review is about, as the intake system named them: "Ada Q. Fictional (W100)".
function patientLabel(patient) {
  if (!patient || (!patient.name && !patient.member_id)) return '—';
  if (patient.name && patient.member_id) return `${patient.name} (${patient.member_id})`;
  return patient.name || patient.member_id;
}

// The turnaround clock: when the decision is due, and whether it is late (CMS-0057-F).
function dueCell(clock) {
  if (!clock) return '—';
  return h('span', { class: clock.overdue ? 'due due--overdue' : 'due' },
    timeEl(clock.due_at), clock.priority === 'expedited' ? ' (expedited)' : '', clock.overdue ? ' — overdue' : '');
}

export async function renderReviews(ctx, params) {
  const { main, signal, navigate } = ctx;
  document.title = 'Reviews — chart-review';
  const filters = {
    determination: params.get('determination') || '',
    status: params.get('status') || '',
    from: params.get('from') || '',
    to: params.get('to') || '',
    q: params.get('q') || '',
    queue: params.get('queue') || '',
    disposition: params.get('disposition') || '',
  };
  const page = Math.max(1, Number.parseInt(params.get('page') || '1', 10) || 1);

  const form = h('form', { class: 'filters', 'aria-label': 'Filter reviews' },
    h('div', { class: 'field field--inline field--check' },
      h('input', { type: 'checkbox', id: 'queue', name: 'queue', value: '1', checked: filters.queue === '1' }),
      h('label', { for: 'queue' }, 'Needs review (most urgent first)')),
    h('div', { class: 'field field--inline' },
      h('label', { for: 'q' }, 'Patient, reference or member id'),
      h('input', { type: 'search', id: 'q', name: 'q', value: filters.q, minlength: '2', maxlength: '200' })),
    select('determination', 'Determination', Object.entries(DETERMINATION).map(([v, d]) => [v, d.label]),
      filters.determination),
    select('disposition', 'Disposition', Object.entries(DISPOSITION_LABEL), filters.disposition),
    select('status', 'Status', Object.entries(REVIEW_STATUS), filters.status),
    h('div', { class: 'field field--inline' },
      h('label', { for: 'from' }, 'Created from'),
      h('input', { type: 'date', id: 'from', name: 'from', value: filters.from })),
    h('div', { class: 'field field--inline' },
      h('label', { for: 'to' }, 'Created to'),
      h('input', { type: 'date', id: 'to', name: 'to', value: filters.to })),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'button button--primary' }, 'Apply filters'),
      h('button', { type: 'reset', class: 'button button--quiet' }, 'Clear')));
  const results = h('div', { class: 'results', 'aria-live': 'polite', 'aria-busy': 'true' },
    h('p', { class: 'loading' }, 'Loading reviews…'));

  fill(main,
    h('div', { class: 'view-head' },
      h('h1', {}, 'Reviews'),
      h('a', { href: '#/new', class: 'button button--primary' }, 'New review')),
    form, results);
  focusHeading(main);

  function go(next, pageNumber = 1) {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(next)) if (value) query.set(name, value);
    if (pageNumber > 1) query.set('page', String(pageNumber));
    const text = query.toString();
    navigate(`#/reviews${text ? `?${text}` : ''}`);
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    go({ q: data.get('q'), determination: data.get('determination'), status: data.get('status'),
      from: data.get('from'), to: data.get('to'), queue: data.get('queue'), disposition: data.get('disposition') });
  });
  form.addEventListener('reset', (event) => {
    event.preventDefault();
    go({});
  });

  let body;
  try {
    body = await api('/v1/reviews', {
      signal,
      params: {
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
        q: filters.q,
        determination: filters.determination,
        status: filters.status,
        created_after: filters.from ? startOfDay(filters.from) : '',
        created_before: filters.to ? startOfDay(filters.to, 1) : '',
        needs_review: filters.queue === '1' ? 'true' : '',
        disposition: filters.disposition,
      },
    });
  } catch (error) {
    if (signal.aborted) return;
    results.setAttribute('aria-busy', 'false');
    fill(results, h('p', { class: 'form-error', role: 'alert' }, `Could not load the reviews: ${error.message}`));
    return;
  }
  results.setAttribute('aria-busy', 'false');
  if (!body.items.length) {
    fill(results, h('p', {}, body.total ? 'No reviews on this page.' : 'No reviews match these filters.'));
    return;
  }
  const first = body.offset + 1;
  const last = body.offset + body.items.length;
  const pages = Math.max(1, Math.ceil(body.total / PAGE_SIZE));
  const table = h('table', { class: 'reviews-table' },
    h('caption', {}, `Reviews ${first}–${last} of ${body.total}, `
      + (filters.queue === '1' ? 'expedited first, then the oldest' : 'newest first')),
    h('thead', {}, h('tr', {},
      ['Created', 'Decision due', 'Patient', 'Reference', 'Status', 'Determination', 'Disposition', 'Reviewer',
        'Codes', 'Request type', 'Documents', 'Overrides', 'Review']
        .map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, body.items.map((r) => {
      const det = r.determination && DETERMINATION[r.determination];
      return h('tr', {},
        h('td', {}, timeEl(r.created_at)),
        h('td', {}, dueCell(r.turnaround)),
        h('td', {}, patientLabel(r.request.patient)),
        h('td', {}, r.request.reference || '—'),
        h('td', {}, REVIEW_STATUS[r.status] || r.status),
        h('td', {}, det
          ? h('span', { class: `pill pill--${det.tone}` }, h('span', { 'aria-hidden': 'true' }, `${det.symbol} `),
            determinationLabel(r.determination))
          : '—'),
        h('td', {}, r.disposition ? DISPOSITION_LABEL[r.disposition] || r.disposition : '—'),
        h('td', {}, reviewerCell(r.reviewer_determinations)),
        h('td', {}, (r.request.procedure_codes || []).join(', ')),
        h('td', {}, r.request.request_type || (r.decision && r.decision.request_type) || 'auto'),
        h('td', {}, String(r.documents.length)),
        h('td', {}, String(r.overrides.length)),
        h('td', {}, h('a', { href: `#/reviews/${r.id}` }, 'Open', h('span', { class: 'visually-hidden' }, ` review ${r.id}`))));
    })));
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' },
    h('button', {
      type: 'button', class: 'button', disabled: page <= 1, onclick: () => go(filters, page - 1),
    }, '← Newer'),
    h('span', {}, `Page ${page} of ${pages}`),
    h('button', {
      type: 'button', class: 'button', disabled: page >= pages, onclick: () => go(filters, page + 1),
    }, 'Older →'));
  fill(results, h('div', { class: 'table-wrap' }, table), pager);
}
