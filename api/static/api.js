// The /v1 JSON API, as the intake system sees it; the page authenticates by its session cookie.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let onUnauthorized = () => {};
/** What to do when the session has ended (a 401 from any call but sign-in). */
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

function errorFrom(status, body, fallback) {
  // An RFC 9457 problem: {code, detail, errors, request_id}.
  const problem = body || {};
  return new ApiError(status, problem.code || `HTTP${status}`, problem.detail || fallback || `HTTP ${status}`);
}

/** Call the API; resolves to the JSON body (null for 204), rejects with ApiError. */
export async function api(path, { method = 'GET', json, params, signal, signIn = false } = {}) {
  let url = path;
  if (params) {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) {
      if (value !== undefined && value !== null && value !== '') query.set(name, String(value));
    }
    const text = query.toString();
    if (text) url += `?${text}`;
  }
  const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin', signal };
  if (json !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(json);
  }
  const response = await fetch(url, init);
  if (response.status === 204) return null;
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const error = errorFrom(response.status, body, response.statusText);
    if (response.status === 401 && !signIn) onUnauthorized(error);
    throw error;
  }
  return body;
}

/** A random Idempotency-Key, so a retried upload cannot make a second review. */
export function idempotencyKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** POST multipart form data with upload progress (fetch cannot report it); resolves to JSON. */
export function upload(path, formData, { onProgress, idempotency } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.responseType = 'json';
    xhr.setRequestHeader('Accept', 'application/json');
    if (idempotency) xhr.setRequestHeader('Idempotency-Key', idempotency);
    xhr.upload.addEventListener('progress', (event) => {
      if (onProgress && event.lengthComputable) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(xhr.response);
        return;
      }
      const error = errorFrom(xhr.status, xhr.response, xhr.statusText);
      if (xhr.status === 401) onUnauthorized(error);
      reject(error);
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'NETWORK', 'the upload could not reach the service')));
    xhr.addEventListener('abort', () => reject(new ApiError(0, 'ABORTED', 'the upload was cancelled')));
    xhr.send(formData);
  });
}

let guidelinePromise = null;
/** GET /v1/guideline, once per page load (its codes validate the new-review form). */
export function guideline() {
  if (!guidelinePromise) {
    guidelinePromise = api('/v1/guideline').catch((error) => {
      guidelinePromise = null;
      throw error;
    });
  }
  return guidelinePromise;
}
