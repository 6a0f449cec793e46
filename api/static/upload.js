// New review: chart files (drop zone or picker), codes, request type and service date; then the
// progress of the review (uploading -> queued -> processing -> done) until its decision opens.

import { api, guideline, idempotencyKey, upload } from './api.js';
import { fill, focusHeading, h } from './dom.js';

const ACCEPT = '.txt,.text,.pdf,.png,.jpg,.jpeg,.tif,.tiff';
const STEPS = [
  ['uploading', 'Uploading'],
  ['queued', 'Queued'],
  ['processing', 'Processing'],
  ['done', 'Decision ready'],
];

function field(id, labelText, control, hint) {
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  control.id = id;
  control.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  return h('div', { class: 'field' },
    h('label', { for: id }, labelText),
    control,
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    h('p', { class: 'field-error', id: errorId }));
}

function setError(form, id, message) {
  const control = form.querySelector(`#${id}`);
  const error = form.querySelector(`#${id}-error`);
  error.textContent = message || '';
  if (message) control.setAttribute('aria-invalid', 'true');
  else control.removeAttribute('aria-invalid');
}

/** The codes typed, cleaned as the service cleans them (trimmed, upper case). */
export function parseCodes(text) {
  return text.split(/[\s,;]+/).map((c) => c.trim().toUpperCase()).filter(Boolean);
}

export async function renderNewReview(ctx) {
  const { main, signal, navigate } = ctx;
  document.title = 'New review — chart-review';
  let files = [];

  const input = h('input', { type: 'file', multiple: true, accept: ACCEPT, class: 'file-input' });
  const fileList = h('ul', { class: 'file-list', id: 'file-list' });
  const drop = h('div', { class: 'dropzone', id: 'dropzone' },
    h('p', { class: 'dropzone-title' }, 'Drop chart files here'),
    h('p', { class: 'hint' }, 'or choose them:'),
    h('label', { for: 'files', class: 'file-label' }, 'Chart files'),
    input,
    h('p', { class: 'hint', id: 'files-hint' }, 'Text (.txt), PDF, or scanned images (PNG, JPEG, TIFF).'));
  input.id = 'files';
  input.setAttribute('aria-describedby', 'files-hint files-error');

  const codes = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', placeholder: '62362, E0783', required: true });
  const type = h('select', {},
    h('option', { value: '' }, 'Auto (from the codes and the chart)'),
    h('option', { value: 'trial' }, 'Trial'),
    h('option', { value: 'permanent' }, 'Permanent'),
    h('option', { value: 'replacement' }, 'Replacement'));
  const date = h('input', { type: 'date' });
  const age = h('input', { type: 'number', min: '0', max: '125', step: '1', inputmode: 'numeric' });
  // Who the review is for (contract 1.1 case identity): shown on every list row and decision.
  const patientName = h('input', { type: 'text', autocomplete: 'off', maxlength: '200' });
  const memberId = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', maxlength: '100' });
  const reference = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', maxlength: '200' });
  const submit = h('button', { type: 'submit', class: 'button button--primary' }, 'Start review');
  const formError = h('p', { class: 'form-error', role: 'alert' });

  const form = h('form', { class: 'new-review', novalidate: true, 'aria-labelledby': 'new-review-title' },
    h('fieldset', { class: 'files' },
      h('legend', {}, 'Chart'),
      drop,
      h('p', { class: 'field-error', id: 'files-error' }),
      fileList),
    h('fieldset', {},
      h('legend', {}, 'Request'),
      field('codes', 'Procedure codes', codes, 'Comma separated, e.g. 62362, E0783.'),
      field('request-type', 'Request type', type),
      field('service-date', 'Service date', date, 'Date windows are measured back from it; blank means today.'),
      field('patient-age', 'Patient age in years (optional)', age)),
    h('fieldset', {},
      h('legend', {}, 'Patient and reference (optional)'),
      field('patient-name', 'Patient name', patientName),
      field('member-id', 'Member ID', memberId),
      field('reference', 'Reference', reference, 'The request\'s number in your intake system.')),
    formError,
    h('div', { class: 'actions' }, submit));

  const stepsList = h('ol', { class: 'steps' },
    STEPS.map(([key, label]) => h('li', { dataset: { step: key } }, label)));
  const bar = h('progress', { max: '100', id: 'upload-progress', 'aria-label': 'Progress' });
  const statusText = h('p', { id: 'progress-status', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
  const progress = h('section', { class: 'progress-panel', id: 'progress', 'aria-labelledby': 'progress-title', hidden: true },
    h('h2', { id: 'progress-title' }, 'Progress'), stepsList, bar, statusText);

  fill(main,
    h('h1', { id: 'new-review-title' }, 'New review'),
    h('p', { class: 'lede' }, 'Upload the chart, give the request, and the decision opens when the chart has been read.'),
    form, progress);
  focusHeading(main);

  const codeHint = main.querySelector('#codes-hint');
  let known = null;
  guideline().then((g) => {
    known = new Set(Object.keys(g.codes));
    codeHint.textContent = `Comma separated. The guideline (${g.title}, v${g.version}) lists `
      + `${[...known].sort().join(', ')}.`;
  }).catch(() => { /* checked again on submit; the service validates codes in any case */ });

  function showFiles() {
    fill(fileList, files.map((file, index) => h('li', {},
      h('span', { class: 'file-name' }, file.name),
      h('span', { class: 'file-size' }, ` (${formatSize(file.size)})`),
      h('button', {
        type: 'button', class: 'button button--quiet button--small',
        'aria-label': `Remove ${file.name}`,
        onclick: () => { files.splice(index, 1); showFiles(); },
      }, 'Remove'))));
    if (files.length) setError(form, 'files', '');
  }

  function addFiles(list) {
    for (const file of list) {
      if (!files.some((f) => f.name === file.name && f.size === file.size)) files.push(file);
    }
    showFiles();
  }

  input.addEventListener('change', () => {
    addFiles(input.files);
    input.value = '';
  });
  for (const name of ['dragenter', 'dragover']) {
    drop.addEventListener(name, (event) => {
      event.preventDefault();
      drop.classList.add('dropzone--over');
    });
  }
  for (const name of ['dragleave', 'drop']) {
    drop.addEventListener(name, () => drop.classList.remove('dropzone--over'));
  }
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files) addFiles(event.dataTransfer.files);
  });

  function validate() {
    const list = parseCodes(codes.value);
    let codeError = '';
    if (!list.length) codeError = 'Enter at least one procedure code.';
    else if (known) {
      const unknown = list.filter((c) => !known.has(c));
      if (unknown.length) {
        codeError = `Not in the guideline: ${unknown.join(', ')}. It lists ${[...known].sort().join(', ')}.`;
      }
    }
    setError(form, 'codes', codeError);
    setError(form, 'files', files.length ? '' : 'Add at least one chart file.');
    const ageValue = age.value.trim();
    const ageBad = ageValue !== '' && !/^\d{1,3}$/.test(ageValue);
    setError(form, 'patient-age', ageBad ? 'Give the age as whole years, 0 to 125.' : '');
    const ok = !codeError && files.length > 0 && !ageBad;
    if (!ok) {
      const first = form.querySelector('[aria-invalid="true"]') || (files.length ? null : input);
      if (first) first.focus();
    }
    return ok;
  }

  function step(current, message) {
    const index = STEPS.findIndex(([key]) => key === current);
    for (const [i, li] of [...stepsList.children].entries()) {
      li.classList.toggle('step--done', i < index || current === 'done');
      li.classList.toggle('step--current', i === index && current !== 'done');
      if (i === index) li.setAttribute('aria-current', 'step');
      else li.removeAttribute('aria-current');
    }
    statusText.textContent = message;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    formError.textContent = '';
    if (!validate()) return;
    const request = { procedure_codes: parseCodes(codes.value) };
    if (type.value) request.request_type = type.value;
    if (date.value) request.service_date = date.value;
    const patient = {};
    if (age.value.trim()) patient.age_years = Number(age.value);
    if (patientName.value.trim()) patient.name = patientName.value.trim();
    if (memberId.value.trim()) patient.member_id = memberId.value.trim();
    if (Object.keys(patient).length) request.patient = patient;
    if (reference.value.trim()) request.reference = reference.value.trim();
    const data = new FormData();
    data.append('request', JSON.stringify(request));
    for (const file of files) data.append('files', file, file.name);

    submit.disabled = true;
    progress.hidden = false;
    bar.value = 0;
    step('uploading', `Uploading ${files.length} file${files.length === 1 ? '' : 's'}…`);
    let review;
    try {
      review = await upload('/v1/reviews/upload', data, {
        idempotency: idempotencyKey(),
        onProgress: (fraction) => { bar.value = Math.round(fraction * 40); },
      });
    } catch (error) {
      submit.disabled = false;
      progress.hidden = true;
      formError.textContent = `The review was not started: ${error.message}`;
      return;
    }
    bar.value = 40;
    await follow(review);
  });

  async function follow(review) {
    const started = Date.now();
    while (!signal.aborted) {
      if (review.status === 'queued') {
        bar.value = 50;
        step('queued', 'Queued: waiting for the reader.');
      } else if (review.status === 'processing') {
        bar.value = 75;
        const seconds = Math.round((Date.now() - started) / 1000);
        const r = review.reading;
        step('processing', r
          ? `Processing: reading ${r.document}, page ${r.page} of ${r.pages}${r.method === 'ocr' ? ' (OCR)' : ''} (${seconds} s).`
          : `Processing: reading ${review.documents.length} document${review.documents.length === 1 ? '' : 's'} (${seconds} s).`);
      } else if (review.status === 'done') {
        bar.value = 100;
        step('done', 'Done: opening the decision.');
        navigate(`#/reviews/${review.id}`);
        return;
      } else if (review.status === 'failed') {
        bar.value = 0;
        step('processing', `The review failed: ${review.error || 'no reason given'}`);
        submit.disabled = false;
        formError.textContent = `The review failed: ${review.error || 'no reason given'}`;
        return;
      }
      try {
        review = await api(`/v1/reviews/${review.id}`, { params: { wait: 10 }, signal });
      } catch (error) {
        if (signal.aborted) return;
        statusText.textContent = `Could not check the review (${error.message}); trying again…`;
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
  }
}

function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
