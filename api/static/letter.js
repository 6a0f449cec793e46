// The request for information: the letter GET /v1/reviews/{id}/request-for-information writes.

import { renderPrintable } from './printable.js';

export function renderLetter(ctx, reviewId) {
  return renderPrintable(ctx, reviewId, {
    url: `/v1/reviews/${reviewId}/request-for-information`, field: 'letter', title: 'Request for information', noun: 'letter',
    articleId: 'rfi-letter', blockClass: 'letter-block',
  });
}
