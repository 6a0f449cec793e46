// The request for information: the letter GET /v1/reviews/{id}/request-for-information writes,
// shown as a page that prints on Letter paper (the API's text is the letter; nothing is re-worded here).

import { api } from './api.js';
import { fill, focusHeading, h } from './dom.js';

export async function renderLetter(ctx, reviewId) {
  const { main, signal } = ctx;
  document.title = 'Request for information — chart-review';
  fill(main, h('p', { class: 'loading', role: 'status' }, 'Loading the letter…'));
  let rfi;
  try {
    rfi = await api(`/v1/reviews/${reviewId}/request-for-information`, { signal });
  } catch (error) {
    if (signal.aborted) return;
    fill(main, h('p', { class: 'form-error', role: 'alert' }, `Could not make the letter: ${error.message}`),
      h('p', {}, h('a', { href: `#/reviews/${reviewId}` }, 'Back to the review')));
    return;
  }
  fill(main,
    h('div', { class: 'view-head no-print' },
      h('h1', {}, 'Request for information'),
      h('div', { class: 'banner-actions' },
        h('button', { type: 'button', class: 'button button--primary', onclick: () => window.print() }, 'Print letter'),
        h('a', { href: `#/reviews/${reviewId}`, class: 'button button--quiet' }, 'Back to the review'))),
    h('article', { class: 'panel letter', 'aria-label': 'Letter' },
      rfi.letter.split('\n\n').map((block) => h('p', { class: 'letter-block' }, block))));
  focusHeading(main);
}
