// The determination summary GET /v1/reviews/{id}/determination-summary writes, for the case file.

import { renderPrintable } from './printable.js';

export function renderSummary(ctx, reviewId) {
  return renderPrintable(ctx, reviewId, {
    url: `/v1/reviews/${reviewId}/determination-summary`, title: 'Determination summary', noun: 'summary',
    articleId: 'determination-summary', blockTag: 'pre', blockClass: 'letter-block summary-block',
  });
}
