// The toolbar popup: a number field, the paired phone's state, the recent
// calls and the switch for the current site. Everything is set as text.
import { api, t, OFF_SITES } from './api.js';

const $ = (id) => document.getElementById(id);

for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
for (const el of document.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);

$('dial').addEventListener('submit', async (e) => {
  e.preventDefault();
  const number = $('number').value.trim();
  if (!number) return;
  $('result').textContent = t('dialing', number);
  const r = await api.runtime.sendMessage({ type: 'dial', number });
  $('result').textContent = r.ok ? t('dialed', r.dialed || number) : r.error || t('notReached');
  $('result').className = r.ok ? 'ok' : 'error';
});

async function showState() {
  const r = await api.runtime.sendMessage({ type: 'state' });
  if (!r.ok) {
    $('state').textContent = r.error || t('notReached');
    $('state').className = 'error';
    return;
  }
  const s = r.state;
  if (!s.phone) $('state').textContent = t('statePhoneNone');
  else if (s.paired) $('state').textContent = t('statePaired', [s.phone, s.address || '']);
  else $('state').textContent = t('stateNotPaired', s.phone);
  $('region').textContent = t('stateRegion', s.country || '');
}

async function showRecent() {
  const r = await api.runtime.sendMessage({ type: 'recent' });
  const list = $('recent');
  list.replaceChildren();
  const calls = (r.ok && r.calls) || [];
  if (!calls.length) {
    const li = document.createElement('li');
    li.textContent = t('recentNone');
    list.append(li);
    return;
  }
  for (const c of calls) {
    const li = document.createElement('li');
    const who = c.remote_alias ? `${c.remote_alias} (${c.remote})` : c.remote || '?';
    const when = c.created ? new Date(c.created).toLocaleString() : '';
    li.textContent = `${c.direction === 'inbound' ? '←' : '→'} ${who} · ${when} · ${c.outcome}`;
    li.title = t('callAgain');
    li.addEventListener('click', () => {
      $('number').value = c.remote || '';
      $('number').focus();
    });
    list.append(li);
  }
}

async function siteSwitch() {
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  let host = '';
  try {
    const u = new URL(tab.url);
    if (u.protocol === 'http:' || u.protocol === 'https:') host = u.hostname;
  } catch {
    // No page: nothing to switch.
  }
  const box = $('off');
  if (!host) {
    box.disabled = true;
    return;
  }
  $('site').textContent = host;
  const got = await api.storage.local.get(OFF_SITES);
  const off = got[OFF_SITES] || {};
  box.checked = !!off[host];
  box.addEventListener('change', async () => {
    const now = (await api.storage.local.get(OFF_SITES))[OFF_SITES] || {};
    if (box.checked) now[host] = true;
    else delete now[host];
    await api.storage.local.set({ [OFF_SITES]: now });
  });
}

showState();
showRecent();
siteSwitch();
