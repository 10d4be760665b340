// The background script: the only part that talks to dialbridge, through
// native messaging (no port, no CORS, no Local Network Access prompt). It
// adds to each dial the origin of the page it came from, as the browser
// reports the sender, so that dialbridge judges a page's number as that
// page's request and shows the person who asks.
import { api, t } from './api.js';

const HOST = 'org.dialbridge.host';
const MENU = 'dialbridge-call';
// The state changes rarely (pairing, dialing rules); pages ask for it on
// every load.
const STATE_TTL_MS = 30_000;

let nextID = 1;
let state = null;

/**
 * host sends one message to dialbridge and returns its answer; an
 * unreachable dialbridge becomes an answer with the browser's reason.
 */
async function host(msg) {
  try {
    return await api.runtime.sendNativeMessage(HOST, { id: nextID++, ...msg });
  } catch (err) {
    return { ok: false, error: t('notReached') + ' (' + String(err && err.message || err) + ')' };
  }
}

async function getState() {
  if (state && Date.now() - state.at < STATE_TTL_MS) return state.reply;
  const reply = await host({ type: 'state' });
  if (reply.ok) state = { at: Date.now(), reply };
  return reply;
}

// originOf is the origin of the page that sent a message: the browser's
// record of the sender, never anything the page wrote. Opaque origins
// (sandboxed frames, data: pages) are "null", which dialbridge never
// trusts.
function originOf(sender) {
  if (sender.origin) return sender.origin;
  try {
    const o = new URL(sender.url).origin;
    return o && o !== 'null' ? o : 'null';
  } catch {
    return 'null';
  }
}

// fromExtension: the message comes from the extension's own popup, not a
// page.
function fromExtension(sender) {
  return !sender.tab && typeof sender.url === 'string' && sender.url.startsWith(api.runtime.getURL(''));
}

function handle(msg, sender) {
  switch (msg && msg.type) {
    case 'state':
      return getState();
    case 'recent':
      return host({ type: 'recent' });
    case 'dial': {
      const number = String(msg.number || '').slice(0, 64);
      if (fromExtension(sender)) return host({ type: 'dial', number });
      return host({ type: 'dial', number, origin: originOf(sender) });
    }
  }
  return Promise.resolve({ ok: false, error: 'unknown request' });
}

api.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  handle(msg, sender).then(sendResponse);
  return true;
});

function createMenu() {
  api.contextMenus.removeAll(() => {
    api.contextMenus.create({ id: MENU, title: t('menuCall'), contexts: ['selection'] });
  });
}
api.runtime.onInstalled.addListener(createMenu);
api.runtime.onStartup?.addListener(createMenu);

// "Call <selection>": the selected text is the number, the page it was
// selected on asks.
api.contextMenus.onClicked.addListener(async (info, tab) => {
  if (info.menuItemId !== MENU) return;
  const number = String(info.selectionText || '').trim().slice(0, 64);
  let origin = 'null';
  try {
    origin = new URL(info.frameUrl || info.pageUrl || (tab && tab.url)).origin;
  } catch {
    // An unknown page is an untrusted one.
  }
  const r = await host({ type: 'dial', number, origin });
  feedback(tab, r);
});

// feedback shows a dial's outcome on the toolbar button for a moment.
async function feedback(tab, r) {
  const tabId = tab && tab.id;
  const opts = tabId === undefined ? {} : { tabId };
  await api.action.setBadgeBackgroundColor({ ...opts, color: r.ok ? '#2e7d32' : '#c62828' });
  await api.action.setBadgeText({ ...opts, text: r.ok ? '✓' : '!' });
  await api.action.setTitle({ ...opts, title: r.ok ? t('dialed', r.dialed || '') : r.error || t('notReached') });
  setTimeout(() => api.action.setBadgeText({ ...opts, text: '' }), 4000);
}
