// A document the service writes as text (the request-for-information letter, the determination
// summary), shown as a page that prints on Letter paper: nothing is re-worded here.

import { api } from './api.js';
import { fill, focusHeading, h } from './dom.js';

/** Fetch `url`, and show its text (the JSON's `field`) under `title` with print and back buttons. */
export async function renderPrintable(ctx, reviewId, {
  url, field = 'text', title, noun, articleId, blockTag = 'p', blockClass,
}) {
  const { main, signal } = ctx;
  document.title = `${title} — chart-review`;
  fill(main, h('p', { class: 'loading', role: 'status' }, `Loading the ${noun}…`));
  let body;
  try {
    body = await api(url, { signal });
  } catch (error) {
    if (signal.aborted) return;
    fill(main, h('p', { class: 'form-error', role: 'alert' }, `Could not make the ${noun}: ${error.message}`),
      h('p', {}, h('a', { href: `#/reviews/${reviewId}` }, 'Back to the review')));
    return;
  }
  fill(main,
    h('div', { class: 'view-head no-print' },
      h('h1', {}, title),
      h('div', { class: 'banner-actions' },
        h('button', { type: 'button', class: 'button button--primary', onclick: () => window.print() }, `Print ${noun}`),
        h('a', { href: `#/reviews/${reviewId}`, class: 'button button--quiet' }, 'Back to the review'))),
    h('article', { class: 'panel letter', id: articleId, 'aria-label': title },
      body[field].split('\n\n').map((block) => h(blockTag, { class: blockClass }, block))));
  focusHeading(main);
}
