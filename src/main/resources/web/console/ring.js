// ring.js -- alerts for new conversations: a short tone (WebAudio), an in-page card, a browser Notification.
import { h, clear, preview, visitorName } from './dom.js';
import { icon } from './icons.js';

let container = null;
let openHandler = () => {};
let moreHandler = () => {};
let moreEl = null;
const MAX_VISIBLE = 4;
let audio = null;
const rings = new Map();          // conversationId -> element
const notifications = new Map();  // conversationId -> Notification

export function initRing(el, onOpen, onMore) {
  container = el;
  openHandler = onOpen;
  moreHandler = onMore || (() => {});
  moreEl = h('button', { class: 'ring-more', type: 'button', hidden: true, on: { click: () => moreHandler() } });
  container.appendChild(moreEl);
  // Browsers allow audio only after a user gesture: unlock on the first one.
  const unlock = () => { ensureAudio(); window.removeEventListener('pointerdown', unlock); window.removeEventListener('keydown', unlock); };
  window.addEventListener('pointerdown', unlock);
  window.addEventListener('keydown', unlock);
}

function ensureAudio() {
  try {
    if (!audio) {
      const Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) return null;
      audio = new Ctx();
    }
    if (audio.state === 'suspended') audio.resume().catch(() => {});
  } catch { audio = null; }
  return audio;
}

/** Two short notes, like a door chime. */
let lastTone = 0;

export function playTone() {
  // Many conversations re-alerting together make one chime, not a chord.
  if (Date.now() - lastTone < 1500) return;
  lastTone = Date.now();
  const ctx = ensureAudio();
  if (!ctx) return;
  try {
    const t0 = ctx.currentTime + 0.01;
    [[880, 0], [1174.66, 0.16]].forEach(([freq, at]) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, t0 + at);
      gain.gain.exponentialRampToValueAtTime(0.18, t0 + at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + at + 0.28);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t0 + at);
      osc.stop(t0 + at + 0.3);
    });
  } catch {}
}

export function notificationsSupported() { return 'Notification' in window; }
export function notificationPermission() { return notificationsSupported() ? Notification.permission : 'unsupported'; }

/** Must run inside a user gesture. */
export async function askNotificationPermission() {
  ensureAudio();
  if (!notificationsSupported()) return 'unsupported';
  if (Notification.permission !== 'default') return Notification.permission;
  try { return await Notification.requestPermission(); } catch { return Notification.permission; }
}

/** Shows (or refreshes) the alert for a conversation waiting to be taken. Never stacks duplicates. */
export function ring(conv, message, transfer) {
  if (!container || !conv) return;
  const id = conv.id;
  const who = visitorName(conv.visitor);
  const text = message ? preview(message) : (conv.lastMessage ? preview(conv.lastMessage) : '');
  const title = transfer ? `Transferred by ${(transfer.from && transfer.from.name) || 'a colleague'}` : 'New conversation';
  let el = rings.get(id);
  const body = [
    h('div', { class: 'ring-icon' }, icon('bell', 20)),
    h('div', { class: 'ring-body' },
      h('div', { class: 'ring-title' }, title),
      h('div', { class: 'ring-who' }, who + (conv.team ? ' \u00b7 ' + conv.team.name : '')),
      text ? h('div', { class: 'ring-text' }, text) : null,
      transfer && transfer.comment ? h('div', { class: 'ring-comment' }, '\u201c' + transfer.comment + '\u201d') : null),
    h('button', { class: 'ring-close', type: 'button', title: 'Dismiss', 'aria-label': 'Dismiss', on: { click: ev => { ev.stopPropagation(); unring(id); } } }, '\u00d7'),
  ];
  const fresh = !el;
  if (!el) {
    el = h('div', { class: 'ring', role: 'button', tabindex: '0', testid: 'ring', dataset: { id },
      on: {
        click: () => openHandler(id),
        keydown: ev => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); openHandler(id); } },
      } });
    rings.set(id, el);
    container.appendChild(el);
  }
  el.dataset.createdAt = String(conv.createdAt || Date.now());
  layout();
  clear(el, body);
  if (!fresh) { el.classList.remove('ring-again'); void el.offsetWidth; el.classList.add('ring-again'); }
  playTone();
  browserNotify(id, title + ': ' + who, text);
}

function browserNotify(id, title, body) {
  if (!notificationsSupported() || Notification.permission !== 'granted') return;
  try {
    const old = notifications.get(id);
    if (old) old.close();
    const n = new Notification(title, { body: body || '', tag: 'switchboard-' + id });
    n.addEventListener('click', () => {
      try { window.focus(); } catch {}
      n.close();
      openHandler(id);
    });
    notifications.set(id, n);
  } catch (e) {
    console.warn('notification failed', e);
  }
}

/** Only the newest few cards show; the rest are summed up in one line. */
function layout() {
  if (!container || !moreEl) return;
  // Newest conversation first: a re-alert of an old one never pushes a new one out of sight.
  const cards = [...container.querySelectorAll('.ring')].sort((a, b) => Number(b.dataset.createdAt) - Number(a.dataset.createdAt));
  cards.forEach((el, i) => { el.hidden = i >= MAX_VISIBLE; container.appendChild(el); });
  const extra = cards.length - MAX_VISIBLE;
  moreEl.hidden = extra <= 0;
  moreEl.textContent = extra > 0 ? `+${extra} more waiting — show Unassigned` : '';
  container.appendChild(moreEl);
}

export function unring(id) {
  const el = rings.get(id);
  if (el) { el.remove(); rings.delete(id); layout(); }
  const n = notifications.get(id);
  if (n) { try { n.close(); } catch {} notifications.delete(id); }
}

export function ringing() { return [...rings.keys()]; }

export function unringAll() { for (const id of [...rings.keys()]) unring(id); }
