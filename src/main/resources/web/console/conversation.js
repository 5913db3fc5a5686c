// conversation.js -- the open conversation: header and actions, timeline (messages + notes), invites, seen, typing,
// details column. Keeps the timeline merged across reconnects (messages keyed by seq, notes by id).
import { h, clear, fmtDateTime, visitorName, initials } from './dom.js';
import { state, bus, upsertConv, noteMessage, setReadMark, canReply, isAdmin } from './state.js';
import { get } from './api.js';
import { renderEntry } from './timeline.js';
import { pendingFor, retry } from './outbox.js';
import { openTransferDialog, toast } from './dialogs.js';
import { unring } from './ring.js';
import { icon } from './icons.js';

let socket = null;
let paneEl = null;
let detailsEl = null;
let composer = null;
let view = null;

const INVITE_LABELS = {
  cobrowse: 'Co-browsing', call: 'Call', video_call: 'Video call', desktop_request: 'Desktop request',
  screen_share: 'Screen share', conference: 'Conference',
};
const STATE_LABELS = { pending: 'Waiting for the customer', accepted: 'In progress', declined: 'Declined', ended: 'Ended' };

export function initConversation({ pane, details, socket: s, composer: c }) {
  paneEl = pane;
  detailsEl = details;
  socket = s;
  composer = c;
  bus.on('conv', conv => { if (view && conv.id === view.id) { view.summary = conv; renderHeader(); renderDetails(); composer.setView(view); } });
  bus.on('outbox', onOutbox);
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') markRead(); });
  window.addEventListener('focus', () => markRead());
  renderEmpty();
}

export function currentView() { return view; }

function newView(id) {
  return {
    id, summary: state.convs.get(id) || null, loaded: false, error: null,
    msgs: new Map(), seqKey: new Map(), notes: new Map(), noteKey: new Map(), invites: new Map(),
    readSeq: 0, typingOn: false, typingTimer: null, lastReadSent: 0, els: new Map(), dom: null, banner: null,
  };
}

function maxSeq(v) {
  let n = 0;
  for (const s of v.seqKey.keys()) if (s > n) n = s;
  return n;
}

// The end of the unbroken run of messages from the oldest one loaded. Above it there may be a gap: a
// message whose event never came (a server node lost after storing it). Reading after it fills that.
function completeSeq(v) {
  let n = Infinity;
  for (const s of v.seqKey.keys()) if (s < n) n = s;
  if (n === Infinity) return 0;
  while (v.seqKey.has(n + 1)) n++;
  return n;
}

// ---------------------------------------------------------------- opening and loading

export function openConversation(id) {
  if (!id) return;
  if (view && view.id === id) { markRead(); return; }
  if (view) clearTimeout(view.typingTimer);
  view = newView(id);
  state.openId = id;
  for (const item of pendingFor(id)) applyOutbox(view, item);
  buildPane();
  bus.emit('open', id);
  load(false);
}

export function closeConversation() {
  view = null;
  state.openId = null;
  renderEmpty();
  bus.emit('open', null);
}

/** After a reconnect: fetch only what came after the highest seq shown, and merge. */
export function onReconnected() {
  if (view) load(view.loaded);
}

function load(catchUp) {
  const v = view;
  if (!v || !socket.isOpen) return; // the next hello loads it
  const fields = { conversationId: v.id };
  if (catchUp) { fields.afterSeq = completeSeq(v); fields.limit = 500; }
  socket.request('conversation.open', fields).then(r => {
    if (view !== v) return;
    v.error = null;
    if (r.conversation) v.summary = upsertConv(r.conversation) || r.conversation;
    for (const m of r.messages || []) upsertMessage(v, m);
    for (const n of r.notes || []) upsertNote(v, n);
    if (Array.isArray(r.invites)) {
      v.invites.clear();
      for (const i of r.invites) v.invites.set(i.id, i);
    }
    v.loaded = true;
    const newest = (r.messages || []).reduce((a, m) => (m.seq > (a ? a.seq : 0) ? m : a), null);
    if (newest) noteMessage(newest);
    renderAll(true);
    markRead();
    if (catchUp && (r.messages || []).length >= 500) load(true);
  }, err => {
    if (view !== v || err.code === 'disconnected') return;
    v.error = err.code === 'forbidden' ? 'You may not open this conversation.'
      : err.code === 'not_found' ? 'This conversation no longer exists.' : (err.message || 'The conversation cannot be loaded.');
    renderAll(false);
  });
}

// ---------------------------------------------------------------- model

/**
 * Puts a server copy in its timeline map: under the key of the pending own item it confirms (by
 * clientMsgId), else under its server key; `index` remembers which key a server id ended up under.
 */
function upsertSent(entries, index, serverId, ownKey, serverKey, field, value) {
  const key = index.get(serverId) || ownKey || serverKey;
  const entry = entries.get(key) || { key };
  entry[field] = value;
  entry.state = 'sent';
  entry.error = null;
  entry.dirty = true;
  entries.set(key, entry);
  index.set(serverId, key);
}

function upsertMessage(v, m) {
  if (!m || typeof m.seq !== 'number') return;
  const own = m.author && m.author.type === 'agent' && state.me && m.author.id === state.me.id && m.clientMsgId;
  upsertSent(v.msgs, v.seqKey, m.seq, own ? 'c:' + m.clientMsgId : null, 's:' + m.seq, 'msg', m);
}

function upsertNote(v, n) {
  if (!n || !n.id) return;
  const own = n.author && state.me && n.author.id === state.me.id && n.clientMsgId;
  upsertSent(v.notes, v.noteKey, n.id, own ? 'nc:' + n.clientMsgId : null, 'n:' + n.id, 'note', n);
}

function applyOutbox(v, item) {
  if (item.type === 'note') {
    const key = 'nc:' + item.clientMsgId;
    const entry = v.notes.get(key) || { key };
    if (item.state === 'sent' && item.result && item.result.note) {
      entry.note = item.result.note;
      v.noteKey.set(item.result.note.id, key);
    } else if (!entry.note || entry.state !== 'sent') {
      entry.note = { ...item.local, id: entry.note && entry.note.id };
    }
    entry.state = item.state === 'sent' ? 'sent' : item.state;
    entry.error = item.error;
    entry.dirty = true;
    entry.clientMsgId = item.clientMsgId;
    v.notes.set(key, entry);
    return;
  }
  const key = 'c:' + item.clientMsgId;
  const entry = v.msgs.get(key) || { key };
  if (item.state === 'sent' && item.result) {
    const r = item.result;
    if (!entry.msg || entry.msg.seq !== r.seq || entry.state !== 'sent') {
      entry.msg = { ...item.local, ...(entry.msg && entry.msg.seq === r.seq ? entry.msg : {}), id: r.messageId, seq: r.seq, at: r.at || item.local.at };
    }
    v.seqKey.set(r.seq, key);
  } else if (!entry.msg) {
    entry.msg = { ...item.local };
  }
  entry.state = item.state;
  entry.error = item.error;
  entry.dirty = true;
  entry.clientMsgId = item.clientMsgId;
  v.msgs.set(key, entry);
}

function onOutbox(item) {
  if (item.state === 'sent' && item.type === 'message' && item.result && typeof item.result.seq === 'number') {
    const msg = { ...item.local, id: item.result.messageId, seq: item.result.seq, at: item.result.at || item.local.at };
    noteMessage(msg);
    setReadMark(item.convId, item.result.seq);
  }
  if (!view || item.convId !== view.id) return;
  applyOutbox(view, item);
  renderTimeline(true);
  if (item.state === 'sent' && item.type === 'message' && item.result && item.local.kind !== 'text') refetchOne(view, item.result.seq);
}

/** The server fills text blocks and builds payloads: show its version of what we sent. */
function refetchOne(v, seq) {
  if (!seq) return;
  get(`/api/conversations/${encodeURIComponent(v.id)}/messages?afterSeq=${seq - 1}&limit=1`).then(r => {
    if (view !== v) return;
    for (const m of (r && r.messages) || []) if (m.seq === seq) upsertMessage(v, m);
    renderTimeline(false);
  }).catch(() => {});
}

// ---------------------------------------------------------------- events

export function handleEvent(f) {
  const v = view;
  switch (f.type) {
    case 'message': {
      const m = f.message;
      if (!v || !m || m.conversationId !== v.id) return;
      if (v.loaded && m.seq > maxSeq(v) + 1) load(true); // a gap: catch up
      upsertMessage(v, m);
      if (m.author && m.author.type === 'customer') setTyping(v, false);
      renderTimeline(true);
      markRead();
      return;
    }
    case 'note': {
      if (!v || !f.note || f.note.conversationId !== v.id) return;
      upsertNote(v, f.note);
      renderTimeline(true);
      return;
    }
    case 'typing': {
      if (!v || f.conversationId !== v.id || !f.who || f.who.type !== 'customer') return;
      setTyping(v, !!f.on);
      return;
    }
    case 'read': {
      if (!v || f.conversationId !== v.id || !f.who || f.who.type !== 'customer') return;
      if (f.seq > v.readSeq) { v.readSeq = f.seq; renderSeen(); }
      return;
    }
    case 'invite.updated': {
      const i = f.invite;
      if (!v || !i || i.conversationId !== v.id) return;
      v.invites.set(i.id, i);
      renderInvites();
      return;
    }
    default:
  }
}

function setTyping(v, on) {
  clearTimeout(v.typingTimer);
  v.typingOn = on;
  if (on) v.typingTimer = setTimeout(() => { v.typingOn = false; renderTyping(); }, 7000);
  renderTyping();
}

export function markRead() {
  const v = view;
  if (!v || !v.loaded || document.visibilityState !== 'visible') return;
  const seq = Math.max(maxSeq(v), (v.summary && v.summary.lastSeq) || 0);
  if (seq <= 0) return;
  setReadMark(v.id, seq);
  if (seq > v.lastReadSent && socket.send({ type: 'read', conversationId: v.id, seq })) v.lastReadSent = seq;
}

// ---------------------------------------------------------------- rendering

function renderEmpty() {
  clear(paneEl, h('div', { class: 'pane-empty' },
    h('div', { class: 'pane-empty-icon' }, icon('chat', 44)),
    h('div', { class: 'pane-empty-title' }, 'No conversation selected'),
    h('div', { class: 'pane-empty-text' }, 'Pick one from the inbox, or take a new one when it rings.')));
  clear(detailsEl, h('div', { class: 'details-empty' }, 'Conversation details appear here.'));
}

function buildPane() {
  const v = view;
  const dom = {};
  dom.root = h('section', { class: 'conversation', testid: 'conversation', dataset: { id: v.id, status: (v.summary && v.summary.status) || '' } });
  dom.header = h('header', { class: 'conv-header' });
  dom.banner = h('div', { class: 'banner', hidden: true, role: 'status' });
  dom.timeline = h('div', { class: 'timeline', testid: 'timeline', 'aria-live': 'polite' });
  dom.typing = h('div', { class: 'typing', testid: 'typing', hidden: true },
    h('span', { class: 'dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')), h('span', { class: 'typing-text' }, ''));
  dom.scroller = h('div', { class: 'timeline-scroll' }, dom.timeline, dom.typing);
  dom.invites = h('div', { class: 'invite-bar', hidden: true });
  dom.seen = h('div', { class: 'seen', testid: 'seen' }, '\u2713\u2713 Seen');
  dom.composer = h('div', { class: 'composer-slot' });
  dom.root.append(dom.header, dom.banner, dom.scroller, dom.invites, dom.composer);
  v.dom = dom;
  clear(paneEl, dom.root);
  composer.mount(dom.composer);
  composer.setView(v);
  renderAll(true);
}

function renderAll(scroll) {
  if (!view || !view.dom) return;
  renderHeader();
  renderDetails();
  renderTimeline(scroll);
  renderInvites();
  renderTyping();
}

function showBanner(text, kind = 'warn') {
  const b = view && view.dom && view.dom.banner;
  if (!b) return;
  clear(b, h('span', null, text), h('button', { class: 'link-button', type: 'button', on: { click: () => { b.hidden = true; } } }, 'Dismiss'));
  b.className = 'banner banner-' + kind;
  b.hidden = false;
}

function renderHeader() {
  const v = view;
  if (!v || !v.dom) return;
  const c = v.summary || { id: v.id, status: '', visitor: {} };
  v.dom.root.dataset.status = c.status || '';
  const name = visitorName(c.visitor);
  const mine = c.assignee && state.me && c.assignee.id === state.me.id;
  const done = c.status === 'done';

  const statusSel = h('select', { class: 'status-select', testid: 'status', 'aria-label': 'Status', disabled: !canReply(c) },
    ['open', 'pending', 'done'].map(s => h('option', { value: s, selected: c.status === s }, s[0].toUpperCase() + s.slice(1))));
  statusSel.value = c.status || 'open';
  statusSel.addEventListener('change', () => setStatus(statusSel.value, statusSel));

  const assignBtn = h('button', { class: 'btn btn-primary', type: 'button', testid: 'assign', hidden: mine || done,
    on: { click: () => assign() } }, 'Assign to me');
  const transferBtn = h('button', { class: 'btn btn-icon-text', type: 'button', testid: 'transfer', title: 'Transfer to an agent or a team', disabled: done,
    on: { click: () => openTransferDialog(v.summary || c, socket) } }, icon('transfer', 16), 'Transfer');
  const resolveBtn = h('button', { class: 'btn btn-resolve', type: 'button', testid: 'resolve', title: 'Resolve (move to Done)', 'aria-label': 'Resolve',
    disabled: done || !canReply(c), on: { click: () => setStatus('done') } }, icon('check', 18));

  clear(v.dom.header,
    h('div', { class: 'avatar avatar-lg', 'aria-hidden': 'true' }, initials(name)),
    h('div', { class: 'conv-title' },
      h('div', { class: 'conv-title-name' }, name,
        h('span', { class: 'status-pill status-' + (c.status || 'none') }, c.status || '\u2026')),
      h('div', { class: 'conv-title-sub' },
        h('span', null, c.assignee ? 'Assigned to ' + (mine ? 'you' : (c.assignee.name || 'a colleague')) : 'Unassigned'),
        c.team ? h('span', null, ' \u00b7 Team ' + c.team.name) : null,
        c.visitor && c.visitor.email ? h('span', null, ' \u00b7 ' + c.visitor.email) : null)),
    h('div', { class: 'conv-actions' }, assignBtn, transferBtn, statusSel, resolveBtn));
}

function assign() {
  const v = view;
  socket.request('conversation.assign', { conversationId: v.id }).then(r => {
    if (r.conversation) upsertConv(r.conversation);
    unring(v.id);
    state.tab = 'mine';
    bus.emit('convs');
    toast('The conversation is yours.', 'ok');
  }, err => {
    if (err.code === 'conflict') { showBanner('Someone else took it.'); toast('Someone else took it', 'warn'); }
    else if (err.code === 'forbidden') showBanner('You cannot take this conversation (not in its team).');
    else showBanner(err.message || 'Could not assign the conversation.');
  });
}

function setStatus(status, select) {
  const v = view;
  socket.request('conversation.status', { conversationId: v.id, status }).then(r => {
    if (r.conversation) upsertConv(r.conversation);
    if (status === 'done') toast('Resolved \u2014 moved to Done.', 'ok');
  }, err => {
    if (select) select.value = (v.summary && v.summary.status) || 'open';
    showBanner(err.code === 'forbidden' ? 'Only the assignee can change the status. Assign to me first.' : (err.message || 'The status could not be changed.'));
  });
}

function renderDetails() {
  const v = view;
  if (!v) return;
  const c = v.summary || { visitor: {} };
  const vis = c.visitor || {};
  const row = (label, value) => h('div', { class: 'detail-row' }, h('span', { class: 'detail-label' }, label), h('span', { class: 'detail-value' }, value || '\u2014'));
  clear(detailsEl,
    h('div', { class: 'details-card' },
      h('div', { class: 'details-visitor' },
        h('div', { class: 'avatar avatar-xl', 'aria-hidden': 'true' }, initials(visitorName(vis))),
        h('div', { class: 'details-name' }, visitorName(vis)),
        vis.email ? h('div', { class: 'details-email' }, vis.email) : null),
      row('Visitor id', vis.id ? String(vis.id).slice(0, 8) : '')),
    h('div', { class: 'details-card' },
      h('div', { class: 'details-heading' }, 'Conversation'),
      row('Status', c.status),
      row('Assignee', c.assignee ? c.assignee.name : 'Unassigned'),
      row('Team', c.team ? c.team.name : 'No team'),
      row('Started', fmtDateTime(c.createdAt)),
      row('Messages', String(c.lastSeq || 0))),
    h('div', { class: 'details-card' },
      h('div', { class: 'details-heading' }, 'Tips'),
      h('div', { class: 'details-tip' }, 'Type # in the composer to search text blocks.'),
      h('div', { class: 'details-tip' }, 'Switch on Note to write something only your team sees.')));
}

function orderedEntries(v) {
  const msgs = [...v.msgs.values()];
  const sent = msgs.filter(e => typeof e.msg.seq === 'number').sort((a, b) => a.msg.seq - b.msg.seq);
  const unsent = msgs.filter(e => typeof e.msg.seq !== 'number');
  const notes = [...v.notes.values()].filter(e => e.state === 'sent' || e.note.id).sort((a, b) => (a.note.at || 0) - (b.note.at || 0));
  const pendingNotes = [...v.notes.values()].filter(e => !(e.state === 'sent' || e.note.id));
  const out = [];
  let j = 0;
  for (const e of sent) {
    while (j < notes.length && (notes[j].note.at || 0) < (e.msg.at || 0)) out.push(notes[j++]);
    out.push(e);
  }
  while (j < notes.length) out.push(notes[j++]);
  const tail = [...unsent, ...pendingNotes].sort((a, b) => ((a.msg || a.note).at || 0) - ((b.msg || b.note).at || 0));
  return out.concat(tail);
}

function renderTimeline(scroll) {
  const v = view;
  if (!v || !v.dom) return;
  const tl = v.dom.timeline;
  const sc = v.dom.scroller;
  const nearBottom = sc.scrollHeight - sc.scrollTop - sc.clientHeight < 120;
  if (v.error) {
    clear(tl, h('div', { class: 'timeline-error' }, v.error));
    return;
  }
  if (!v.loaded && !v.msgs.size) {
    clear(tl, h('div', { class: 'timeline-loading' }, socket.isOpen ? 'Loading\u2026' : 'Waiting for the connection\u2026'));
    return;
  }
  const entries = orderedEntries(v);
  const wanted = new Set(entries.map(e => e.key));
  for (const [key, el] of v.els) if (!wanted.has(key)) { el.remove(); v.els.delete(key); }
  for (const child of [...tl.children]) if (!child.dataset.key) child.remove();
  let prev = null;
  for (const e of entries) {
    let el = v.els.get(e.key);
    if (!el || e.dirty) {
      const fresh = renderEntry(e, onRetry);
      fresh.dataset.key = e.key;
      if (el) el.replaceWith(fresh);
      el = fresh;
      v.els.set(e.key, el);
      e.dirty = false;
    }
    const want = prev ? prev.nextSibling : tl.firstChild;
    if (want !== el) tl.insertBefore(el, want);
    prev = el;
  }
  if (!entries.length) tl.appendChild(h('div', { class: 'timeline-loading' }, 'No messages yet.'));
  renderSeen();
  if (scroll || nearBottom) sc.scrollTop = sc.scrollHeight;
}

function onRetry(entry) {
  if (entry.clientMsgId) retry(entry.clientMsgId);
}

function renderSeen() {
  const v = view;
  if (!v || !v.dom) return;
  const seen = v.dom.seen;
  if (!v.readSeq) { seen.remove(); return; }
  let target = null;
  let fallback = null;
  for (const [seq, key] of v.seqKey) {
    if (seq > v.readSeq) continue;
    const e = v.msgs.get(key);
    if (!e) continue;
    if (!fallback || seq > fallback.msg.seq) fallback = e;
    if (e.msg.author && e.msg.author.type === 'agent' && (!target || seq > target.msg.seq)) target = e;
  }
  target = target || fallback;
  const el = target && v.els.get(target.key);
  if (!el) { seen.remove(); return; }
  seen.dataset.seq = String(target.msg.seq);
  if (el.nextSibling !== seen) el.after(seen);
}

function renderTyping() {
  const v = view;
  if (!v || !v.dom) return;
  const t = v.dom.typing;
  t.hidden = !v.typingOn;
  t.querySelector('.typing-text').textContent = visitorName(v.summary && v.summary.visitor) + ' is typing\u2026';
}

function renderInvites() {
  const v = view;
  if (!v || !v.dom) return;
  const bar = v.dom.invites;
  const list = [...v.invites.values()].sort((a, b) => (a.at || 0) - (b.at || 0));
  // Finished invites stay visible for a while; only the last few are kept.
  const shown = list.filter(i => i.state === 'pending' || i.state === 'accepted').concat(list.filter(i => i.state !== 'pending' && i.state !== 'accepted').slice(-4));
  bar.hidden = shown.length === 0;
  clear(bar, shown.map(i => {
    const live = i.state === 'pending' || i.state === 'accepted';
    return h('div', { class: 'invite-chip state-' + i.state, testid: 'invite-state', dataset: { id: i.id, kind: i.kind, state: i.state } },
      h('span', { class: 'invite-dot', 'aria-hidden': 'true' }),
      h('span', { class: 'invite-kind' }, INVITE_LABELS[i.kind] || i.kind),
      h('span', { class: 'invite-status' }, STATE_LABELS[i.state] || i.state),
      live && (canReply(v.summary) || isAdmin()) ? h('button', { class: 'link-button', type: 'button', testid: 'invite-end',
        on: { click: () => endInvite(i) } }, 'End') : null);
  }));
}

function endInvite(i) {
  socket.request('invite.end', { inviteId: i.id }).then(r => {
    if (r.invite && view && r.invite.conversationId === view.id) { view.invites.set(r.invite.id, r.invite); renderInvites(); }
  }, err => toast(err.message || 'The invitation could not be ended.', 'warn'));
}

/** Used by the composer's action bar. */
export function sendInvite(kind) {
  const v = view;
  if (!v) return;
  socket.request('invite', { conversationId: v.id, kind }).then(r => {
    if (r.invite && view === v) { v.invites.set(r.invite.id, r.invite); renderInvites(); }
    toast((INVITE_LABELS[kind] || kind) + ' invitation sent.', 'ok');
  }, err => {
    if (err.code === 'conflict') toast(err.message || 'An invitation of this kind is already pending.', 'warn');
    else if (err.code === 'forbidden') toast('Assign to me to send invitations.', 'warn');
    else toast(err.message || 'The invitation could not be sent.', 'warn');
  });
}
