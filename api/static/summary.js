// The determination summary GET /v1/reviews/{id}/determination-summary writes, as a page that
// prints on Letter paper for the case file (the API's text is the summary; nothing is re-worded here).

import { api } from './api.js';
import { fill, focusHeading, h } from './dom.js';

export async function renderSummary(ctx, reviewId) {
  const { main, signal } = ctx;
  document.title = 'Determination summary — chart-review';
  fill(main, h('p', { class: 'loading', role: 'status' }, 'Loading the summary…'));
  let summary;
  try {
    summary = await api(`/v1/reviews/${reviewId}/determination-summary`, { signal });
  } catch (error) {
    if (signal.aborted) return;
    fill(main, h('p', { class: 'form-error', role: 'alert' }, `Could not make the summary: ${error.message}`),
      h('p', {}, h('a', { href: `#/reviews/${reviewId}` }, 'Back to the review')));
    return;
  }
  fill(main,
    h('div', { class: 'view-head no-print' },
      h('h1', {}, 'Determination summary'),
      h('div', { class: 'banner-actions' },
        h('button', { type: 'button', class: 'button button--primary', onclick: () => window.print() }, 'Print summary'),
        h('a', { href: `#/reviews/${reviewId}`, class: 'button button--quiet' }, 'Back to the review'))),
    h('article', { class: 'panel letter', id: 'determination-summary', 'aria-label': 'Determination summary' },
      summary.text.split('\n\n').map((block) => h('pre', { class: 'letter-block summary-block' }, block))));
  focusHeading(main);
}
