// app.js -- boots the console: login and logout, the socket and its events, inbox lists, presence, top bar.
import { initials } from './dom.js';
import * as api from './api.js';
import { AgentSocket } from './socket.js';
import { state, bus, upsertConv, resetConvs, noteMessage, touched, isAdmin, isUnread, resetMarksCache, tabOf } from './state.js';
import { initInbox, selectTab } from './inbox.js';
import { initConversation, openConversation, closeConversation, handleEvent, onReconnected, sendInvite } from './conversation.js';
import { createComposer } from './composer.js';
import { initOutbox, resendAll, clearOutbox } from './outbox.js';
import { initRing, ring, unring, unringAll, ringing, askNotificationPermission, notificationPermission } from './ring.js';
import { toast } from './dialogs.js';

const $ = id => document.getElementById(id);

const socket = new AgentSocket(() => api.token());
initOutbox(socket);
let started = false;
let booted = false;

// ------------------------------------------------------------------ login / logout

function showLogin(message) {
  $('app').hidden = true;
  $('login').hidden = false;
  const err = $('login-error');
  if (message) { err.textContent = message; err.hidden = false; } else { err.textContent = ''; err.hidden = true; }
  document.title = 'Switchboard \u2014 Sign in';
  setTimeout(() => $('login-email').focus(), 0);
}

async function onLoginSubmit(ev) {
  ev.preventDefault();
  const email = $('login-email').value.trim();
  const password = $('login-password').value;
  const err = $('login-error');
  if (!email || !password) { err.textContent = 'Enter your e-mail and password.'; err.hidden = false; return; }
  const btn = $('login-submit');
  btn.disabled = true;
  btn.textContent = 'Signing in\u2026';
  try {
    const r = await api.login(email, password);
    api.saveSession({ token: r.token, agent: r.agent });
    $('login-password').value = '';
    startApp();
  } catch (e) {
    err.textContent = e.status === 401 ? 'Wrong e-mail or password.' : (e.message || 'Sign-in failed.');
    err.hidden = false;
  } finally {
    btn.disabled = false;
    btn.textContent = 'Sign in';
  }
}

function logout(message) {
  socket.stop();
  api.saveSession(null);
  api.dropBlobs();
  clearOutbox();
  unringAll();
  closeConversation();
  state.me = null;
  state.convs.clear();
  state.presence.clear();
  state.agents.clear();
  touched.clear();
  resetMarksCache();
  started = false;
  showLogin(message);
}

// ------------------------------------------------------------------ app

function startApp() {
  const s = api.getSession();
  if (!s || !s.token) { showLogin(); return; }
  state.me = s.agent || null;
  resetMarksCache();
  $('login').hidden = true;
  $('app').hidden = false;
  if (!booted) {
    booted = true;
    const composer = createComposer({ socket, sendInvite });
    initInbox($('inbox'), openFromUi);
    initConversation({ pane: $('pane'), details: $('details'), socket, composer });
    initRing($('rings'), openFromUi, () => selectTab('unassigned'));
  }
  renderMe();
  updateNotifButton();
  started = true;
  socket.start();
}

function openFromUi(id) {
  const tab = tabOf(state.convs.get(id));
  if (tab && tab !== state.tab) selectTab(tab);
  openConversation(id);
}

function renderMe() {
  const me = state.me || {};
  $('me').textContent = me.name || me.email || '';
  $('me-avatar').textContent = initials(me.name || me.email || '?');
  $('presence').value = state.status;
  $('presence-dot').className = 'presence-dot presence-' + state.status;
  document.title = titleText();
}

function titleText() {
  let n = 0;
  for (const c of state.convs.values()) if (isUnread(c) && c.status !== 'done') n++;
  return (n ? `(${n}) ` : '') + 'Switchboard \u2014 Agent console';
}

function setConnection(s) {
  const el = $('connection');
  el.dataset.state = s;
  el.querySelector('.conn-text').textContent = { online: 'Connected', connecting: 'Connecting\u2026', offline: 'Offline \u2014 reconnecting' }[s] || s;
}

function updateNotifButton() {
  const p = notificationPermission();
  $('enable-notifications').hidden = p !== 'default';
}

// ------------------------------------------------------------------ lists

async function refreshLists() {
  const t0 = Date.now();
  const queries = [{ status: 'done', limit: 100 }];
  if (isAdmin()) queries.push({ status: 'open', limit: 200 }, { status: 'pending', limit: 200 });
  else {
    for (const t of (state.me && state.me.teams) || []) queries.push({ team: t.id, status: 'open', limit: 200 }, { team: t.id, status: 'pending', limit: 200 });
    queries.push({ assignee: 'me', status: 'done', limit: 100 });
  }
  await Promise.all(queries.map(q => api.get('/api/conversations' + api.qs(q)).then(r => {
    for (const c of (r && r.conversations) || []) {
      if ((touched.get(c.id) || 0) > t0) continue;
      upsertConv(c);
    }
  }).catch(e => { if (e.status !== 401) console.warn('list failed', q, e.message); })));
}

function touch(id) { if (id) touched.set(id, Date.now()); }

// ------------------------------------------------------------------ socket

socket.on('state', s => setConnection(s));

socket.on('hello', (f, reconnect) => {
  if (f.agent) {
    state.me = f.agent;
    const s = api.getSession();
    if (s) api.saveSession({ ...s, agent: f.agent });
  }
  state.status = f.status || 'online';
  renderMe();
  const inbox = f.inbox || {};
  const keepOpen = state.openId && state.convs.get(state.openId);
  resetConvs([...(inbox.unassigned || []), ...(inbox.mine || [])]);
  if (keepOpen && !state.convs.has(keepOpen.id)) upsertConv(keepOpen);
  unringTaken(inbox); // somebody took them while we were away
  if (!reconnect && !(inbox.mine || []).length && (inbox.unassigned || []).length) selectTab('unassigned');
  refreshLists();
  resendAll();
  onReconnected();
  if (reconnect) toast('Reconnected.', 'ok');
});

/** Rings for conversations that are no longer waiting for an agent, as `inbox` says, go. */
function unringTaken(inbox) {
  const waiting = new Set((inbox.unassigned || []).map(c => c.id));
  for (const id of ringing()) if (!waiting.has(id)) unring(id);
}

/**
 * Another server node was lost, maybe with some of our events. The inbox is as the server read it
 * just before this frame (events after it come after it); our own acks may be newer, so what we know
 * is kept: only conversations we did not know are added (one assigned to us, say), and the lists
 * and the open conversation are read again.
 */
function onResync(inbox) {
  for (const c of [...(inbox.unassigned || []), ...(inbox.mine || [])]) if (!state.convs.has(c.id)) upsertConv(c);
  unringTaken(inbox);
  refreshLists();
  onReconnected();
}

let lastAuthCheck = 0;
socket.on('closed', async info => {
  if ((info.beforeHello || info.code === 1008) && Date.now() - lastAuthCheck > 8000) {
    lastAuthCheck = Date.now();
    // The handshake status is hidden from scripts: ask over HTTP whether the token still works.
    try { await api.get('/api/me'); } catch { /* a 401 logs out through the handler */ }
  }
});

socket.on('event', f => {
  switch (f.type) {
    case 'conversation.new': {
      const c = f.conversation;
      if (!c) return;
      touch(c.id);
      upsertConv(c);
      if (f.message) noteMessage(f.message);
      if (!c.assignee && c.status === 'open') ring(state.convs.get(c.id) || c, f.message, f.transfer);
      return;
    }
    case 'conversation.assigned': {
      const c = f.conversation;
      if (!c) return;
      const before = state.convs.get(c.id);
      touch(c.id);
      upsertConv(c);
      unring(c.id);
      if (c.assignee && state.me && c.assignee.id === state.me.id && !(before && before.assignee && before.assignee.id === state.me.id)) {
        if (state.openId !== c.id) toast('A conversation was assigned to you.', 'info');
      }
      return;
    }
    case 'conversation.status': {
      const c = f.conversation;
      if (!c) return;
      touch(c.id);
      upsertConv(c);
      if (c.status !== 'open' || c.assignee) unring(c.id);
      return;
    }
    case 'conversation.transferred': {
      const c = f.conversation;
      if (!c) return;
      touch(c.id);
      upsertConv(c);
      if (c.assignee && state.me && c.assignee.id === state.me.id) {
        const who = (f.from && f.from.name) || 'A colleague';
        toast(`${who} transferred a conversation to you` + (f.comment ? `: \u201c${f.comment}\u201d` : '.'), 'info');
      }
      return;
    }
    case 'message': {
      const m = f.message;
      if (!m) return;
      touch(m.conversationId);
      if (!noteMessage(m)) fetchSummary(m.conversationId);
      handleEvent(f);
      return;
    }
    case 'resync':
      onResync(f.inbox || {});
      return;
    case 'presence': {
      if (!f.agentId) return;
      state.presence.set(f.agentId, f.status);
      if (state.me && f.agentId === state.me.id) { state.status = f.status; renderMe(); }
      return;
    }
    default:
      handleEvent(f);
  }
});

/** A message for a conversation this console has not seen: learn its summary. */
const fetching = new Set();
function fetchSummary(id) {
  if (fetching.has(id) || !socket.isOpen) return;
  fetching.add(id);
  socket.request('conversation.open', { conversationId: id, limit: 1 }).then(r => {
    if (r.conversation) upsertConv(r.conversation);
  }).catch(() => {}).finally(() => fetching.delete(id));
}

bus.on('convs', () => { document.title = titleText(); });

// ------------------------------------------------------------------ wiring

api.setUnauthorizedHandler(() => {
  if (started) logout('Your session has ended. Please sign in again.');
});

$('login-form').addEventListener('submit', onLoginSubmit);
$('logout').addEventListener('click', () => logout());
$('presence').addEventListener('change', () => {
  const sel = $('presence');
  const want = sel.value;
  socket.request('status.set', { status: want }).then(r => {
    state.status = r.status || want;
    renderMe();
    if (want === 'offline') toast('You are offline: your open conversations go back to the queue.', 'info');
  }, err => {
    sel.value = state.status;
    toast(err.code === 'disconnected' ? 'Not connected.' : (err.message || 'The status could not be changed.'), 'warn');
  });
});
$('enable-notifications').addEventListener('click', async () => {
  const p = await askNotificationPermission();
  updateNotifButton();
  toast(p === 'granted' ? 'Notifications are on.' : 'Notifications are blocked by the browser.', p === 'granted' ? 'ok' : 'warn');
});
$('login-submit').addEventListener('click', () => {
  // A user gesture: the right moment to ask for notifications (and to unlock sound).
  if (notificationPermission() === 'default') askNotificationPermission().then(updateNotifButton);
});
window.addEventListener('online', () => socket.kick());
document.addEventListener('keydown', ev => {
  if (ev.altKey && ['1', '2', '3', '4'].includes(ev.key)) {
    selectTab(['unassigned', 'mine', 'team', 'done'][Number(ev.key) - 1]);
  }
});

if (api.loadSession()) startApp(); else showLogin();
