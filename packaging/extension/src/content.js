// The content script: marks the numbers of the page (and of what the page
// adds later), and dials the one the person clicks through the background
// script and dialbridge's native messaging host.
import { api, t, OFF_SITES } from './api.js';
import { markNumbers, markedNumber, unmarkAll } from './mark.js';

// How long the observer gathers added content before marking it: a page
// that rewrites itself constantly costs one pass per interval, not one per
// change.
const THROTTLE_MS = 300;

let region = '';
let observer = null;
let pending = new Set();
let timer = 0;

// regionFromLanguage is the country to read numbers in while dialbridge
// cannot be asked: the first of the browser's languages that names one
// ("de-AT"), else the main country of the first language.
function regionFromLanguage() {
  const langs = navigator.languages?.length ? navigator.languages : [navigator.language || 'en-US'];
  for (const l of langs) {
    const m = /^[a-z]{2,3}[-_]([A-Za-z]{2})\b/i.exec(l);
    if (m) return m[1].toUpperCase();
  }
  const lang = String(langs[0]).slice(0, 2).toLowerCase();
  return { en: 'US', da: 'DK', sv: 'SE', cs: 'CZ', el: 'GR', ja: 'JP', ko: 'KR', zh: 'CN', uk: 'UA', he: 'IL' }[lang] || lang.toUpperCase();
}

async function start() {
  if (await switchedOff()) return;
  try {
    const r = await api.runtime.sendMessage({ type: 'state' });
    region = (r && r.ok && r.state && r.state.country) || regionFromLanguage();
  } catch {
    region = regionFromLanguage();
  }
  observe();
  mark([document.body || document.documentElement]);
}

async function switchedOff() {
  const got = await api.storage.local.get(OFF_SITES);
  return !!(got[OFF_SITES] || {})[location.hostname];
}

// mark marks the numbers below each root, with the observer paused so
// that the script's own changes do not come back to it.
function mark(roots) {
  const t0 = performance.now();
  observer?.disconnect();
  let n = 0;
  for (const root of roots) n += markNumbers(root, region);
  if (observer) {
    observer.takeRecords();
    observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
  }
  // For the benchmark and the tests: what the last pass did and how long
  // it took (no number leaves the page this way).
  document.documentElement.setAttribute('data-dialbridge-pass', `${n} ${Math.round((performance.now() - t0) * 10) / 10}`);
}

function observe() {
  observer = new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'characterData') pending.add(r.target);
      for (const n of r.addedNodes) pending.add(n);
    }
    if (!timer) timer = setTimeout(flush, THROTTLE_MS);
  });
  observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
}

function flush() {
  timer = 0;
  const nodes = pending;
  pending = new Set();
  // Nodes removed again, or inside another pending node, are done with
  // the rest.
  const roots = [];
  for (const n of nodes) {
    if (!n.isConnected) continue;
    let p = n.parentNode;
    while (p && !nodes.has(p)) p = p.parentNode;
    if (!p) roots.push(n);
  }
  if (roots.length) mark(roots);
}

function stop() {
  observer?.disconnect();
  observer = null;
  clearTimeout(timer);
  timer = 0;
  pending = new Set();
  unmarkAll(document);
}

// A click on a marked number or a taken-over link dials. Only the
// person's own clicks count: a page's script can dispatch click events,
// but not trusted ones. Only what this script marked counts, with the
// number it found (markedNumber).
document.addEventListener('click', (e) => {
  const m = e.target instanceof Element ? markedNumber(e.target) : null;
  if (!m || !e.isTrusted || e.button !== 0) return;
  e.preventDefault();
  e.stopPropagation();
  dial(m.el, m.number);
}, true);

// The tooltip, set when the pointer or the focus first reaches a number
// (and never over the page's own title of a link).
function explain(e) {
  const m = e.target instanceof Element ? markedNumber(e.target) : null;
  if (m && !m.el.title && !m.el.hasAttribute('data-dialbridge-state')) m.el.title = t('callNumber', m.number);
}
document.addEventListener('mouseover', explain, true);
document.addEventListener('focusin', explain, true);

document.addEventListener('keydown', (e) => {
  const m = e.target instanceof Element ? markedNumber(e.target) : null;
  if (!m || !e.isTrusted || (e.key !== 'Enter' && e.key !== ' ')) return;
  e.preventDefault();
  dial(m.el, m.number);
}, true);

async function dial(el, number) {
  el.setAttribute('data-dialbridge-state', 'dialing');
  el.title = t('dialing', number);
  let r;
  try {
    r = await api.runtime.sendMessage({ type: 'dial', number });
  } catch (err) {
    r = { ok: false, error: String(err && err.message || err) };
  }
  el.setAttribute('data-dialbridge-state', r && r.ok ? 'dialed' : 'refused');
  el.title = r && r.ok ? t('dialed', number) : (r && r.error) || t('notReached');
}

api.storage.onChanged.addListener((changes, area) => {
  if (area !== 'local' || !changes[OFF_SITES]) return;
  const off = !!(changes[OFF_SITES].newValue || {})[location.hostname];
  if (off) stop();
  else if (!observer) start();
});

start();
