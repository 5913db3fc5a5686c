// state.js -- what the console knows: the agent, conversation summaries, read marks, presence, agents.
import { Emitter } from './dom.js';

export const bus = new Emitter();

export const state = {
  me: null,              // Agent {id,name,email,role,maxChats,teams}
  status: 'online',
  convs: new Map(),      // id -> Summary
  presence: new Map(),   // agentId -> online|away|offline
  agents: new Map(),     // agentId -> {id,name,maxChats?}
  openId: null,
  tab: 'mine',
};

export function isAdmin() { return !!(state.me && state.me.role === 'admin'); }
export function myTeamIds() { return new Set(((state.me && state.me.teams) || []).map(t => t.id)); }

/** Only the assignee or an admin may write to the customer. */
export function canReply(c) {
  if (!c || !state.me) return false;
  return isAdmin() || (c.assignee && c.assignee.id === state.me.id);
}

export function rememberAgent(ref) {
  if (!ref || !ref.id) return;
  const known = state.agents.get(ref.id) || { id: ref.id };
  if (ref.name) known.name = ref.name;
  if (ref.maxChats) known.maxChats = ref.maxChats;
  state.agents.set(ref.id, known);
}

/** The tab a conversation belongs to, or null when it belongs to none. */
export function tabOf(c) {
  if (!c || !state.me) return null;
  if (c.status === 'done') return 'done';
  const teams = myTeamIds();
  if (!c.assignee) return c.status === 'open' && (!c.team || teams.has(c.team.id) || isAdmin()) ? 'unassigned' : null;
  if (c.assignee.id === state.me.id) return 'mine';
  if ((c.team && teams.has(c.team.id)) || isAdmin()) return 'team';
  return null;
}

let notifyScheduled = false;
function changed() {
  if (notifyScheduled) return;
  notifyScheduled = true;
  queueMicrotask(() => { notifyScheduled = false; bus.emit('convs'); });
}

/** Stores a summary. A summary older than what is known (lower lastSeq) keeps the newer lastMessage. */
export function upsertConv(c) {
  if (!c || !c.id) return null;
  const old = state.convs.get(c.id);
  const next = { ...(old || {}), ...c };
  if (old && (old.lastSeq || 0) > (c.lastSeq || 0)) {
    next.lastSeq = old.lastSeq;
    next.lastMessage = old.lastMessage;
  }
  if (!next.lastMessage && old) next.lastMessage = old.lastMessage;
  state.convs.set(c.id, next);
  if (c.assignee) rememberAgent(c.assignee);
  changed();
  bus.emit('conv', next);
  return next;
}

export function removeConv(id) {
  if (state.convs.delete(id)) changed();
}

/** When events last changed each conversation: an HTTP list fetched before that must not undo them. */
export const touched = new Map();

export function resetConvs(list) {
  state.convs.clear();
  for (const c of list) upsertConv(c);
  changed();
}

/** Records a message in the summary it belongs to (lastSeq, lastMessage). */
export function noteMessage(m) {
  if (m.author && m.author.type === 'agent') rememberAgent(m.author);
  const c = state.convs.get(m.conversationId);
  if (!c) return false;
  if ((m.seq || 0) >= (c.lastSeq || 0)) {
    c.lastSeq = m.seq;
    c.lastMessage = m;
    changed();
    bus.emit('conv', c);
  }
  return true;
}

// ---- read marks (per agent, in localStorage) ----

function marksKey() { return 'switchboard.console.read.' + (state.me ? state.me.id : 'none'); }
let marks = null;

function loadMarks() {
  if (marks && marks.key === marksKey()) return marks.map;
  let map = {};
  try { map = JSON.parse(localStorage.getItem(marksKey()) || '{}') || {}; } catch { map = {}; }
  marks = { key: marksKey(), map };
  return map;
}

export function readMark(id) { return loadMarks()[id] || 0; }

/** Moves the read mark forward; answers true when it moved. */
export function setReadMark(id, seq) {
  const map = loadMarks();
  if ((map[id] || 0) >= seq) return false;
  map[id] = seq;
  try { localStorage.setItem(marksKey(), JSON.stringify(map)); } catch {}
  changed();
  return true;
}

export function isUnread(c) {
  if (!c || (c.lastSeq || 0) <= readMark(c.id)) return false;
  return lastIsOthers(c);
}

/** A message the agent wrote itself does not make a conversation unread. */
function lastIsOthers(c) {
  const m = c.lastMessage;
  if (m && m.seq === c.lastSeq && m.author && m.author.type === 'agent' && state.me && m.author.id === state.me.id) return false;
  return true;
}

export function resetMarksCache() { marks = null; }
