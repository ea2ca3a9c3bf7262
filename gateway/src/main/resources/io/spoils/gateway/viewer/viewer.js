// SPOILS web viewer: plain JavaScript, no framework, same origin only.
// Posts the study with "Prefer: respond-async" (202 + the analysis' URLs): the picked files, or a
// DICOMweb reference (JSON) naming a study on the server's PACS, which the server fetches
// itself. Then follows its events with an EventSource, then draws the analysed slice with its label map and fills the tables.
// With an access token (a server with authentication) every call carries it as a bearer
// header, which an EventSource cannot send: the events are then read from a fetch() stream and
// the images fetched as blobs. Every value from the server goes into the page as text
// (textContent), never as HTML.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);

  /** Label ids of the 14-class map: name drawn on the image, colour, whether it is a disc. */
  const LABELS = [
    null,
    { name: 'L1', rgb: [230, 25, 75] }, { name: 'L2', rgb: [245, 130, 48] },
    { name: 'L3', rgb: [255, 225, 25] }, { name: 'L4', rgb: [191, 239, 69] },
    { name: 'L5', rgb: [60, 180, 75] }, { name: 'S1', rgb: [66, 212, 244] },
    { name: 'T12-L1', rgb: [67, 99, 216], disc: true },
    { name: 'L1-L2', rgb: [145, 30, 180], disc: true },
    { name: 'L2-L3', rgb: [240, 50, 230], disc: true },
    { name: 'L3-L4', rgb: [70, 153, 144], disc: true },
    { name: 'L4-L5', rgb: [0, 130, 200], disc: true },
    { name: 'L5-S1', rgb: [154, 99, 36], disc: true },
    { name: 'canal', rgb: [250, 190, 212], noText: true },
  ];
  const STEPS = ['upload', 'accepted', 'segmentation', 'disc', 'summary'];

  const state = { source: null, discsExpected: 0, discsSeen: 0, labels: null, slice: null };
  window.spoilsViewer = state; // for the browser test and the curious

  // ---- small formatting helpers -------------------------------------------------------------
  const strip = (v, prefix) => (v || '').replace(prefix, '');
  const level = (v) => (v === 'DISC_LEVEL_THORACIC' ? 'Thoracic'
    : strip(v, 'DISC_LEVEL_').replace('_', '-'));
  const discClass = (v) => strip(v, 'DISC_CLASS_');
  const titleCase = (s) => s.toLowerCase().replace(/_/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
  const severity = (v) => (v ? titleCase(strip(v, 'SEVERITY_')) : '');
  const stratum = (v) => (v ? titleCase(strip(v, 'TREATMENT_STRATUM_')) : '');
  const role = (v) => (v ? titleCase(strip(v, 'MODEL_ROLE_')).replace(/\bcnn\b/, 'CNN') : '');
  const pct = (p) => (typeof p === 'number' ? Math.round(p * 100) + ' %' : '');
  const LEVEL_ORDER = ['DISC_LEVEL_THORACIC', 'DISC_LEVEL_T12_L1', 'DISC_LEVEL_L1_L2',
    'DISC_LEVEL_L2_L3', 'DISC_LEVEL_L3_L4', 'DISC_LEVEL_L4_L5', 'DISC_LEVEL_L5_S1'];

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  /** The most probable class of a ClassProbabilities, as "2L 87 %". */
  function opinion(probs) {
    if (!probs || !probs.entries || probs.entries.length === 0) return '—';
    const top = probs.entries.reduce((a, b) => ((b.probability || 0) > (a.probability || 0) ? b : a));
    return discClass(top.discClass) + ' ' + pct(top.probability || 0);
  }

  // ---- progress -------------------------------------------------------------------------------
  function setStep(step, fraction) {
    const at = STEPS.indexOf(step);
    document.querySelectorAll('#steps li').forEach((li) => {
      const i = STEPS.indexOf(li.dataset.step);
      li.className = i < at ? 'done' : i === at ? 'active' : '';
    });
    if (step === 'summary') {
      document.querySelectorAll('#steps li').forEach((li) => { li.className = 'done'; });
    }
    if (typeof fraction === 'number') $('progress').value = Math.round(fraction * 100);
  }

  function status(text, progressState) {
    $('status').textContent = text;
    if (progressState) document.body.dataset.state = progressState;
  }

  function fail(title, detail) {
    const box = $('error');
    box.hidden = false;
    box.textContent = '';
    box.appendChild(el('strong', title));
    if (detail) box.appendChild(el('div', detail));
    status('Stopped: ' + title, 'failed');
    $('analyse').disabled = false;
    if (state.source) state.source.close();
  }

  function log(kind, event) {
    const ms = event && typeof event.elapsedMs === 'number' ? event.elapsedMs.toFixed(0) + ' ms' : '';
    $('log').appendChild(el('li', kind + (ms ? ' · ' + ms : '')));
  }

  // ---- access token ---------------------------------------------------------------------------
  const token = () => $('token').value.trim();
  const authHeaders = () => (token() ? { Authorization: 'Bearer ' + token() } : {});

  /** The problem object of a failed fetch() answer, or a stand-in. */
  async function problemOf(res) {
    try { return await res.json(); } catch (e) { return { title: 'HTTP ' + res.status }; }
  }

  // ---- submit ---------------------------------------------------------------------------------
  function reset() {
    $('error').hidden = true;
    $('log').textContent = '';
    $('discs').tBodies[0].textContent = '';
    $('models').tBodies[0].textContent = '';
    $('warnings').textContent = '';
    $('warnings').appendChild(el('li', 'None so far.', 'muted'));
    $('stratum').textContent = 'Working…';
    $('stratum').className = 'stratum muted';
    $('disclaimer').textContent = '';
    $('slice-reason').textContent = '';
    $('stack').hidden = true;
    $('no-image').hidden = false;
    $('legend').textContent = '';
    Object.assign(state, { discsExpected: 0, discsSeen: 0, labels: null, slice: null });
  }

  const fromPacs = () => $('source-pacs').checked;

  /** Shows the inputs of the chosen source; only the shown ones are required. */
  function chooseSource() {
    const pacs = fromPacs();
    $('files-box').hidden = pacs;
    $('pacs-box').hidden = !pacs;
    $('files').required = !pacs;
    $('study-uid').required = pacs;
  }

  const UID = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/;

  /**
   * The JSON reference of the study on the PACS (DicomWebJson on the server), or a string saying
   * what is wrong with the inputs.
   */
  function reference(odi, nrs) {
    const study = $('study-uid').value.trim();
    const series = $('series-uid').value.trim();
    const pacs = $('pacs').value.trim();
    const uid = (v) => UID.test(v) && v.length <= 64;
    if (!uid(study)) {
      return 'The StudyInstanceUID must be a DICOM UID: numbers without leading zeros, separated '
        + 'by dots, at most 64 characters.';
    }
    if (series !== '' && !uid(series)) return 'The SeriesInstanceUID must be a DICOM UID, or empty.';
    const dicomweb = { studyInstanceUid: study };
    if (series !== '') dicomweb.seriesInstanceUid = series;
    if (pacs !== '') dicomweb.pacs = pacs;
    const body = { dicomweb };
    if (odi !== '') { body.odi = Number(odi); body.nrs = Number(nrs); }
    return body;
  }

  function submit(ev) {
    ev.preventDefault();
    const files = $('files').files;
    const pacs = fromPacs();
    if (!pacs && (!files || files.length === 0)) {
      return fail('No file', 'Pick a DICOM file or a series.');
    }
    const odi = $('odi').value.trim();
    const nrs = $('nrs').value.trim();
    if ((odi === '') !== (nrs === '')) {
      return fail('Scores incomplete', 'Give both ODI and NRS, or neither for imaging only.');
    }
    const ref = pacs ? reference(odi, nrs) : null;
    if (typeof ref === 'string') return fail('Study not named', ref);
    if (state.source) state.source.close();
    reset();
    let body;
    if (pacs) {
      body = JSON.stringify(ref);
    } else {
      body = new FormData();
      for (const f of files) body.append('file', f, f.name);
      if (odi !== '') { body.append('odi', odi); body.append('nrs', nrs); }
    }
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/v1/analyses');
    xhr.setRequestHeader('Prefer', 'respond-async');
    if (pacs) xhr.setRequestHeader('Content-Type', 'application/json');
    if (token()) xhr.setRequestHeader('Authorization', 'Bearer ' + token());
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) setStep('upload', 0.25 * e.loaded / e.total);
    };
    xhr.upload.onload = () => status(pacs ? 'Sent; waiting for a slot, then the PACS…'
      : 'Uploaded; waiting for a slot…', 'queued');
    xhr.onerror = () => fail('Network error', 'The server could not be reached.');
    xhr.onload = () => accepted(xhr);
    $('analyse').disabled = true;
    setStep('upload', 0);
    status(pacs ? 'Asking the server to fetch the study from the PACS…'
      : 'Uploading ' + files.length + (files.length === 1 ? ' file…' : ' files…'), 'uploading');
    xhr.send(body);
  }

  function accepted(xhr) {
    let body = null;
    try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
    if (xhr.status === 401 || xhr.status === 403) $('token-box').open = true;
    if (xhr.status !== 202 || !body) {
      const hint = xhr.status === 401 ? ' Enter an access token under "Access token".' : '';
      return fail((body && body.title) || ('HTTP ' + xhr.status),
        ((body && body.detail) || '') + hint);
    }
    state.id = body.id;
    state.urls = body;
    status('Analysing…', 'running');
    setStep('accepted', 0.3);
    follow(body.events);
  }

  // ---- events ---------------------------------------------------------------------------------
  const HANDLERS = {
    accepted: onAccepted,
    segmentation: onSegmentation,
    disc: onDisc,
    warning: onWarning,
    summary: (s) => { state.source.close(); onSummary(s); },
  };

  /** One server-sent event: its name and its data (one line of JSON). */
  function dispatch(kind, data) {
    if (kind === 'error') { // the analysis failed: a problem object
      const p = JSON.parse(data);
      log('error', null);
      fail(p.title || 'Failed', p.detail);
      return;
    }
    const handler = HANDLERS[kind];
    if (!handler) return;
    const event = JSON.parse(data);
    log(kind, event);
    handler(event[kind], event);
  }

  function follow(url) {
    if (token()) {
      followWithToken(url);
      return;
    }
    const source = new EventSource(url);
    state.source = source;
    Object.keys(HANDLERS).forEach((kind) => source.addEventListener(kind,
      (m) => dispatch(kind, m.data)));
    source.addEventListener('error', (m) => {
      if (m.data) {
        dispatch('error', m.data);
      } else if (source.readyState === EventSource.CLOSED) {
        fail('Connection lost', 'The event stream closed before the summary.');
      }
    });
  }

  /** The same events read from a fetch() stream, which can carry the bearer header. */
  async function followWithToken(url) {
    const controller = new AbortController();
    state.source = { close: () => controller.abort() };
    let buffer = '';
    try {
      const res = await fetch(url, { signal: controller.signal,
        headers: Object.assign({ Accept: 'text/event-stream' }, authHeaders()) });
      if (!res.ok) {
        const p = await problemOf(res);
        fail(p.title || 'HTTP ' + res.status, p.detail);
        return;
      }
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        buffer += chunk.value;
        for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
          let kind = 'message';
          let data = '';
          for (const line of buffer.slice(0, cut).split('\n')) {
            if (line.startsWith('event: ')) kind = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          buffer = buffer.slice(cut + 2);
          dispatch(kind, data);
        }
      }
    } catch (e) {
      if (controller.signal.aborted) return; // closed by us: summary or failure
    }
    if (document.body.dataset.state === 'running') {
      fail('Connection lost', 'The event stream closed before the summary.');
    }
  }

  function onAccepted(a) {
    const s = a.series || {};
    status('Accepted: ' + (a.filesReceived || 0) + ' file(s), ' + (s.sliceCount || 1)
      + ' slice(s) in the chosen series; segmenting…');
    setStep('accepted', 0.35);
  }

  function onSegmentation(seg) {
    state.discsExpected = (seg.discLevels || []).length;
    setStep('segmentation', 0.55);
    status('Segmented: ' + state.discsExpected + ' disc(s) found; grading…');
    const m = seg.measuredSlice || {};
    $('slice-reason').textContent = 'Measured slice ' + ((m.sliceIndex || 0) + 1)
      + (m.reason ? ': ' + m.reason : '');
    loadImages();
  }

  function onDisc(d) {
    state.discsSeen += 1;
    const expected = Math.max(state.discsExpected, state.discsSeen);
    setStep('disc', 0.55 + 0.4 * state.discsSeen / expected);
    status('Graded ' + state.discsSeen + ' of ' + expected + ' disc(s)…');
    const tr = document.createElement('tr');
    tr.dataset.level = d.level || '';
    const graded = !!d.discClass;
    const sev = severity(d.severity);
    const cells = [
      el('th', level(d.level)), el('td', graded ? discClass(d.discClass) : '—'),
      el('td', d.pfirrmannGrade || '—', 'num'),
      el('td', sev || '—', sev === 'High' ? 'sev-h' : sev === 'Medium' ? 'sev-m' : ''),
      el('td', graded ? pct(d.confidence || 0) : '—', 'num'),
      el('td', opinion(d.cnn)), el('td', opinion(d.trees)),
      contributions(d.contributions), el('td', stratum(d.stratum)),
    ];
    cells[0].scope = 'row';
    if (d.stratumReason) cells[8].title = d.stratumReason;
    cells.forEach((c) => tr.appendChild(c));
    const body = $('discs').tBodies[0];
    const rank = (r) => LEVEL_ORDER.indexOf(r.dataset.level);
    const before = Array.from(body.rows).find((r) => rank(r) > rank(tr));
    body.insertBefore(tr, before || null);
  }

  function contributions(list) {
    const td = document.createElement('td');
    const top = (list || []).slice().sort((a, b) => Math.abs(b.contribution || 0)
      - Math.abs(a.contribution || 0)).slice(0, 3);
    if (top.length === 0) { td.textContent = '—'; return td; }
    const ul = el('ul', null, 'contrib');
    for (const c of top) {
      const v = c.contribution || 0;
      const value = typeof c.value === 'number' ? ' = ' + c.value.toFixed(2) : '';
      ul.appendChild(el('li', c.feature + value + ': ' + (v >= 0 ? '+' : '') + v.toFixed(3),
        v >= 0 ? 'for' : 'against'));
    }
    td.appendChild(ul);
    return td;
  }

  function onWarning(w) {
    const list = $('warnings');
    if (list.querySelector('.muted')) list.textContent = '';
    const where = w.level ? ' (' + level(w.level) + ')' : '';
    list.appendChild(el('li', w.code + where + ': ' + w.message, 'warn'));
  }

  function onSummary(s) {
    setStep('summary', 1);
    status('Done: ' + (s.discsGraded || 0) + ' disc(s) graded.', 'done');
    const box = $('stratum');
    box.className = 'stratum';
    box.textContent = '';
    box.appendChild(el('strong', 'Stratum: ' + (stratum(s.stratum) || 'none')));
    if (s.stratumReason) box.appendChild(el('div', s.stratumReason));
    const clinical = s.clinical || {};
    const scores = typeof clinical.odiPercent === 'number'
      ? 'ODI ' + clinical.odiPercent + ' %, NRS ' + (clinical.nrs || 0) : 'imaging only (no ODI/NRS)';
    const worst = s.worstLevel ? '; most degenerated: ' + level(s.worstLevel) + ' '
      + discClass(s.worstClass) : '';
    box.appendChild(el('div', 'Scores: ' + scores + worst, 'muted'));
    const models = $('models').tBodies[0];
    models.textContent = '';
    for (const m of s.models || []) {
      const tr = document.createElement('tr');
      [m.name, m.version, role(m.role), m.backend].forEach((v) => tr.appendChild(el('td', v)));
      if (m.provenance) tr.title = m.provenance;
      models.appendChild(tr);
    }
    $('disclaimer').textContent = s.disclaimer || '';
    const warnings = $('warnings').querySelector('.muted');
    if (warnings) warnings.textContent = 'None.';
    $('analyse').disabled = false;
  }

  // ---- image and overlay ----------------------------------------------------------------------
  /** Where the page can load {@code url} from: itself, or a blob fetched with the token. */
  async function source(url) {
    if (!token()) return url;
    const res = await fetch(url, { headers: authHeaders() });
    if (!res.ok) throw new Error('cannot load ' + url + ' (HTTP ' + res.status + ')');
    return URL.createObjectURL(await res.blob());
  }

  function image(url) {
    return source(url).then((src) => new Promise((resolve, reject) => {
      const img = new Image();
      img.onload = () => {
        if (src.startsWith('blob:')) URL.revokeObjectURL(src);
        resolve(img);
      };
      img.onerror = () => reject(new Error('cannot load ' + url));
      img.src = src;
    }));
  }

  function loadImages() {
    Promise.all([image(state.urls.slice), image(state.urls.labels)]).then(([slice, labels]) => {
      state.slice = slice;
      state.labels = classIds(labels);
      const base = $('slice');
      base.width = slice.naturalWidth;
      base.height = slice.naturalHeight;
      base.getContext('2d').drawImage(slice, 0, 0);
      $('stack').hidden = false;
      $('no-image').hidden = true;
      drawOverlay();
    }).catch((e) => onWarning({ code: 'IMAGE', message: e.message }));
  }

  /** The class id of each pixel of the label-map PNG (its grey value). */
  function classIds(img) {
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const rgba = ctx.getImageData(0, 0, c.width, c.height).data;
    const ids = new Uint8Array(c.width * c.height);
    for (let i = 0; i < ids.length; i++) ids[i] = rgba[i * 4];
    return { width: c.width, height: c.height, ids };
  }

  function drawOverlay() {
    const map = state.labels;
    const canvas = $('overlay');
    if (!map) return;
    canvas.width = map.width;
    canvas.height = map.height;
    const ctx = canvas.getContext('2d');
    ctx.clearRect(0, 0, map.width, map.height);
    if (!$('show-overlay').checked) return;
    const alpha = Math.round(2.55 * Number($('opacity').value));
    const out = ctx.createImageData(map.width, map.height);
    const boxes = new Map();
    for (let i = 0; i < map.ids.length; i++) {
      const id = map.ids[i];
      const label = LABELS[id];
      if (!label) continue;
      out.data.set([label.rgb[0], label.rgb[1], label.rgb[2], alpha], i * 4);
      const x = i % map.width;
      const y = (i - x) / map.width;
      const b = boxes.get(id) || { minX: x, maxX: x, sumX: 0, sumY: 0, n: 0 };
      b.minX = Math.min(b.minX, x); b.maxX = Math.max(b.maxX, x);
      b.sumX += x; b.sumY += y; b.n += 1;
      boxes.set(id, b);
    }
    ctx.putImageData(out, 0, 0);
    drawNames(ctx, boxes, map.width);
    legend(boxes);
  }

  /** Vertebra names on their bodies; disc names beside the disc, outside the spine. */
  function drawNames(ctx, boxes, width) {
    const size = Math.max(10, Math.round(width / 34));
    ctx.font = '600 ' + size + 'px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    ctx.lineWidth = Math.max(2, size / 5);
    ctx.strokeStyle = 'rgba(0,0,0,0.85)';
    for (const [id, b] of boxes) {
      const label = LABELS[id];
      if (label.noText || b.n < 20) continue;
      const y = b.sumY / b.n;
      let x = b.sumX / b.n - ctx.measureText(label.name).width / 2;
      if (label.disc) x = Math.max(2, b.minX - ctx.measureText(label.name).width - size / 2);
      ctx.fillStyle = label.disc ? 'rgb(' + label.rgb.join(',') + ')' : '#fff';
      ctx.strokeText(label.name, x, y);
      ctx.fillText(label.name, x, y);
    }
  }

  function legend(boxes) {
    const ul = $('legend');
    ul.textContent = '';
    [...boxes.keys()].sort((a, b) => a - b).forEach((id) => {
      const li = el('li');
      const sw = el('span', null, 'swatch');
      sw.style.background = 'rgb(' + LABELS[id].rgb.join(',') + ')';
      li.appendChild(sw);
      li.appendChild(document.createTextNode(LABELS[id].name));
      ul.appendChild(li);
    });
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('study-form').addEventListener('submit', submit);
    document.querySelectorAll('input[name="source"]').forEach((r) => r.addEventListener('change',
      chooseSource));
    chooseSource();
    $('show-overlay').addEventListener('change', drawOverlay);
    $('opacity').addEventListener('input', drawOverlay);
  });
}());
