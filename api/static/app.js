// The reviewer page: sign-in, then three views chosen by the address's hash:
//   #/new           a new review (upload and progress)
//   #/reviews       the reviews list, with filters
//   #/reviews/{id}  a decision
//   #/reviews/{id}/request-for-information  the letter asking for what is missing
//   #/reviews/{id}/determination-summary    the summary fit to file
// No framework and no build step: plain ES modules served from /static.

import { api, setUnauthorizedHandler } from './api.js';
import { fill, focusHeading, h } from './dom.js';
import { renderDecision } from './decision.js';
import { renderLetter } from './letter.js';
import { renderSummary } from './summary.js';
import { renderReviews } from './reviews.js';
import { renderNewReview } from './upload.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const whoami = document.getElementById('whoami');
const whoamiText = document.getElementById('whoami-text');

let me = null; // GET /session: {key_id, role, label, permissions}
let view = null; // the shown view's AbortController: navigating away cancels its requests
let signInShown = false;

function parseHash() {
  const raw = window.location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = raw.split('?');
  return { path: path.replace(/\/+$/, '') || '/', params: new URLSearchParams(query) };
}

function navigate(hash) {
  if (window.location.hash === hash) route();
  else window.location.hash = hash;
}

function showChrome(path) {
  nav.hidden = !me;
  whoami.hidden = !me;
  if (me) whoamiText.textContent = `Signed in: ${me.role}${me.label ? ` (${me.label})` : ''}`;
  for (const link of nav.querySelectorAll('a[data-nav]')) {
    const active = (link.dataset.nav === 'new' && path === '/new')
      || (link.dataset.nav === 'reviews' && path.startsWith('/reviews'));
    if (active) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function showSignIn(message = '') {
  if (view) view.abort();
  view = null;
  me = null;
  showChrome('');
  document.title = 'Sign in — chart-review';
  if (signInShown) {
    const note = main.querySelector('#sign-in-error');
    if (note && message) note.textContent = message;
    return;
  }
  signInShown = true;
  const key = h('input', {
    id: 'key', name: 'key', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true,
    'aria-describedby': 'key-hint sign-in-error',
  });
  const error = h('p', { class: 'form-error', id: 'sign-in-error', role: 'alert' }, message);
  const submit = h('button', { type: 'submit', class: 'button button--primary' }, 'Sign in');
  const form = h('form', { class: 'sign-in', novalidate: true, 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title' }, 'Sign in'),
    h('div', { class: 'field' },
      h('label', { for: 'key' }, 'Reviewer key'),
      key,
      h('p', { class: 'hint', id: 'key-hint' },
        'The API key you were given (crk_…). The page keeps a signed session; the key itself is not stored.')),
    error,
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!key.value.trim()) {
      error.textContent = 'Enter your key.';
      key.setAttribute('aria-invalid', 'true');
      key.focus();
      return;
    }
    submit.disabled = true;
    try {
      me = await api('/session', { method: 'POST', json: { key: key.value.trim() }, signIn: true });
      signInShown = false;
      if (!window.location.hash || window.location.hash === '#/') navigate('#/reviews');
      else route();
    } catch (failure) {
      error.textContent = failure.status === 401 ? 'That key is not valid or was revoked.' : failure.message;
      key.setAttribute('aria-invalid', 'true');
      key.focus();
    } finally {
      submit.disabled = false;
    }
  });
  fill(main, form);
  key.focus();
}

async function signOut() {
  try {
    await api('/session', { method: 'DELETE', signIn: true });
  } finally {
    showSignIn('You are signed out.');
  }
}

function route() {
  if (!me) {
    showSignIn();
    return;
  }
  if (view) view.abort();
  view = new AbortController();
  signInShown = false;
  const { path, params } = parseHash();
  showChrome(path);
  const ctx = { main, signal: view.signal, me, navigate };
  let shown;
  const decision = path.match(/^\/reviews\/([A-Za-z0-9_-]+)$/);
  const letter = path.match(/^\/reviews\/([A-Za-z0-9_-]+)\/request-for-information$/);
  const summary = path.match(/^\/reviews\/([A-Za-z0-9_-]+)\/determination-summary$/);
  if (path === '/new') shown = renderNewReview(ctx);
  else if (decision) shown = renderDecision(ctx, decision[1]);
  else if (letter) shown = renderLetter(ctx, letter[1]);
  else if (summary) shown = renderSummary(ctx, summary[1]);
  else if (path === '/reviews') shown = renderReviews(ctx, params);
  else {
    navigate('#/reviews');
    return;
  }
  const signal = view.signal;
  Promise.resolve(shown).catch((error) => {
    if (signal.aborted || error.name === 'AbortError' || error.status === 401) return;
    fill(main,
      h('h1', {}, error.status === 404 ? 'Not found' : 'Something went wrong'),
      h('p', { class: 'form-error', role: 'alert' }, error.message),
      h('p', {}, h('a', { href: '#/reviews' }, 'Back to the reviews')));
    focusHeading(main);
  });
}

async function boot() {
  setUnauthorizedHandler(() => showSignIn('Your session has ended; sign in again.'));
  document.getElementById('sign-out').addEventListener('click', signOut);
  window.addEventListener('hashchange', route);
  try {
    me = await api('/session', { signIn: true });
  } catch {
    me = null;
  }
  route();
}

boot();
