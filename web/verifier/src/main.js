// The page: wires inputs (paste, image file, camera, URL fragment) to verifyHc1 and renders the answer.
// Every text from a certificate or a file reaches the DOM through textContent, never as markup.
import { verifyHc1 } from './verify.js';
import { buildTrustList, trustListFromFile } from './trust.js';
import { describe, outcomeOf } from './reasons.js';
import { fieldsOf, certificateFacts, personName } from './display.js';
import { readQr, readQrFromFile, readQrFromImageUrl } from './qr.js';
import { VerifyError } from './limits.js';

const $ = (id) => document.getElementById(id);
let trust = null;
let run = 0; // a newer check wins over a slower older one

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

const VERDICT = {
  VALID: { vi: 'HỢP LỆ', en: 'VALID', icon: '✔' },
  INVALID: { vi: 'KHÔNG HỢP LỆ', en: 'INVALID', icon: '✖' },
  INDETERMINATE: { vi: 'CHƯA XÁC ĐỊNH ĐƯỢC', en: 'INDETERMINATE', icon: '?' },
};

function fieldTable(rows) {
  const table = el('table', 'fields');
  for (const r of rows) {
    const tr = table.insertRow();
    const th = el('th');
    if (r.no) th.append(el('span', 'no', String(r.no)));
    th.append(el('span', 'vi', r.vi), el('span', 'en', r.en));
    const td = el('td', r.value ? '' : 'empty', r.value || '—');
    if (r.note) td.append(el('div', 'note', r.note));
    tr.append(th, td);
  }
  return table;
}

function render(answer) {
  const outcome = answer.outcome;
  const reason = describe(answer.reason);
  const verdict = VERDICT[outcome];
  const section = $('result');
  section.replaceChildren();
  section.hidden = false;
  section.dataset.outcome = outcome;
  section.dataset.reason = answer.reason;

  const banner = el('div', `verdict ${outcome.toLowerCase()}`);
  banner.append(el('div', 'icon', verdict.icon));
  const words = el('div', 'words');
  words.append(el('div', 'big', verdict.vi), el('div', 'big-en', verdict.en));
  const why = el('div', 'why');
  why.append(el('p', 'vi', reason.vi), el('p', 'en', reason.en));
  why.append(el('p', 'code', `${answer.reason}${reason.code !== undefined ? ` · ${reason.code}` : ''}`));
  banner.append(words, why);
  section.append(banner);

  if (answer.dcc) {
    const trusted = outcome === 'VALID';
    const data = el('div', `card data ${trusted ? 'trusted' : 'untrusted'}`);
    data.dataset.trusted = String(trusted);
    const { written, icao } = personName(answer.dcc);
    if (trusted) {
      data.append(el('div', 'holder', written || icao), el('div', 'holder-note', 'Đối chiếu với hộ chiếu · Compare with the passport'));
    } else {
      data.append(el('div', 'untrusted-title', '⚠ DỮ LIỆU CHƯA ĐƯỢC XÁC THỰC · UNVERIFIED DATA'),
        el('p', 'untrusted-text', 'Nội dung dưới đây là những gì mã tự khai, có thể bị giả mạo. Không dùng để quyết định. · '
          + 'What follows is only what the code claims; it may be forged. Do not rely on it.'));
    }
    data.append(fieldTable(fieldsOf(answer)), fieldTable(certificateFacts(answer)));
    section.append(data);
  }
  window.scrollTo(0, 0); // the verdict sits above the inputs: show it, not the button that was pressed
}

/** Runs one check from a producer of HC1 text; whatever goes wrong ends as a typed answer on screen. */
async function check(produceText) {
  const mine = ++run;
  document.body.dataset.state = 'busy';
  let answer;
  try {
    answer = await verifyHc1(await produceText(), trust);
  } catch (e) {
    const reason = e instanceof VerifyError ? e.reason : 'InternalError';
    answer = { outcome: outcomeOf(reason), reason };
  }
  if (mine !== run) return;
  render(answer);
  document.body.dataset.state = 'done';
}

function showTrust(list, problem) {
  const status = $('trust-status');
  status.replaceChildren();
  status.className = 'trust-status' + (list && list.count ? (list.dev ? ' dev' : ' ok') : ' none');
  if (problem) {
    const kept = list && list.count ? ` (vẫn dùng · still using ${list.label})` : '';
    status.textContent = `Không đọc được danh sách tin cậy · Trust list unreadable: ${problem}${kept}`;
    return;
  }
  if (!list || !list.count) {
    status.textContent = 'Chưa có danh sách tin cậy · No trust list';
    return;
  }
  status.append(el('strong', '', list.label), el('span', '', ` · ${list.count} DSC`));
  if (list.dev) status.append(el('span', 'dev-tag', 'CHỈ ĐỂ THỬ · DEV ONLY'));
  if (list.problems.length) status.title = list.problems.join('\n');
}

async function loadEmbeddedTrust() {
  const embedded = window.VAXCERT_EMBEDDED_TRUST;
  if (!embedded || !Array.isArray(embedded.certificates)) return;
  trust = await buildTrustList(embedded.certificates.map((rawData) => ({ rawData, declaredKid: null })), String(embedded.label));
  trust.dev = embedded.dev === true;
}

// --- camera -------------------------------------------------------------------------------------------------------
let cameraStream = null;

function stopCamera() {
  if (cameraStream) cameraStream.getTracks().forEach((t) => t.stop());
  cameraStream = null;
  $('camera').hidden = true;
  $('camera-toggle').classList.remove('active');
}

async function startCamera() {
  const video = $('camera');
  try {
    cameraStream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  } catch {
    check(() => { throw new VerifyError('CameraUnavailable'); });
    return;
  }
  video.srcObject = cameraStream;
  video.hidden = false;
  $('camera-toggle').classList.add('active');
  await video.play().catch(() => {});
  const scan = () => {
    if (!cameraStream) return;
    const text = video.videoWidth ? readQr(video, video.videoWidth, video.videoHeight) : null;
    if (text) {
      stopCamera();
      check(() => text);
    } else {
      setTimeout(() => requestAnimationFrame(scan), 150);
    }
  };
  scan();
}

// --- wiring -------------------------------------------------------------------------------------------------------
function fromFragment() {
  // #hc1=HC1:... or #image=data:image/png;base64,... (a scanner app or a test hands the code over without any network).
  const params = new URLSearchParams(location.hash.slice(1));
  const hc1 = params.get('hc1');
  const image = params.get('image');
  if (!hc1 && !image) return;
  history.replaceState(null, '', location.pathname + location.search); // keep personal data out of the history
  if (hc1) check(() => hc1);
  else if (image.startsWith('data:image/')) check(() => readQrFromImageUrl(image));
  else check(() => { throw new VerifyError('ImageUnreadable'); });
}

async function main() {
  try {
    await loadEmbeddedTrust();
    showTrust(trust);
  } catch (e) {
    showTrust(null, e && e.message);
  }

  $('text-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = $('hc1-text').value;
    check(() => text);
  });
  $('image-file').addEventListener('change', (e) => {
    const file = e.target.files && e.target.files[0];
    e.target.value = '';
    if (file) check(() => readQrFromFile(file));
  });
  $('trust-file').addEventListener('change', async (e) => {
    const file = e.target.files && e.target.files[0];
    e.target.value = '';
    if (!file) return;
    try {
      const list = await trustListFromFile(file);
      if (!list.count) throw new Error(list.problems[0] || 'no usable certificate');
      trust = list;
      showTrust(trust);
    } catch (err) {
      showTrust(trust, err && err.message); // a bad file never replaces a working list
    }
  });
  const toggle = $('camera-toggle');
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) toggle.disabled = true;
  toggle.addEventListener('click', () => (cameraStream ? stopCamera() : startCamera()));

  document.body.dataset.state = 'ready';
  fromFragment();
}

main();
