// outbox.js -- the agent's own messages and notes until the server acks them; resent with the same clientMsgId.
import { uuid } from './dom.js';
import { state, bus } from './state.js';

let socket = null;
const items = new Map(); // clientMsgId -> item

export function initOutbox(s) { socket = s; }

const TRANSIENT = new Set(['disconnected', 'timeout', 'unavailable', 'rate_limited', 'internal']);

/**
 * type: 'message' | 'note'. fields: the frame's fields (kind, text, attachmentId, payload).
 * local: what to show until the server's version is known (kind, text, attachment, payload).
 */
export function sendOwn(type, convId, fields, local) {
  const clientMsgId = uuid();
  const me = state.me || {};
  const item = {
    clientMsgId, type, convId,
    frame: { conversationId: convId, clientMsgId, ...fields },
    local: { ...local, clientMsgId, conversationId: convId, at: Date.now(), author: { type: 'agent', id: me.id, name: me.name } },
    state: 'pending', error: null, inflight: false, result: null,
  };
  items.set(clientMsgId, item);
  bus.emit('outbox', item);
  attempt(item);
  return item;
}

function attempt(item) {
  item.state = 'pending';
  item.error = null;
  bus.emit('outbox', item);
  if (!socket || !socket.isOpen || item.inflight) return; // resent after the next hello
  item.inflight = true;
  socket.request(item.type, item.frame).then(result => {
    item.inflight = false;
    item.state = 'sent';
    item.result = result;
    items.delete(item.clientMsgId);
    bus.emit('outbox', item);
  }, err => {
    item.inflight = false;
    if (TRANSIENT.has(err.code)) {
      item.state = 'pending';
      if (socket.isOpen) setTimeout(() => { if (items.has(item.clientMsgId) && item.state === 'pending') attempt(item); }, 1500 + Math.random() * 1500);
    } else {
      item.state = 'failed';
      item.error = explain(err);
    }
    bus.emit('outbox', item);
  });
}

function explain(err) {
  switch (err.code) {
    case 'forbidden': return 'only the assignee can reply';
    case 'conflict': return err.message || 'the conversation changed';
    case 'not_found': return err.message || 'not found';
    case 'bad_request': return err.message || 'refused';
    default: return err.message || err.code;
  }
}

/** Same clientMsgId, so the server never stores it twice. */
export function retry(clientMsgId) {
  const item = items.get(clientMsgId);
  if (item) attempt(item);
}

/** After a reconnect: everything not acked goes again, in order. */
export function resendAll() {
  for (const item of items.values()) if (item.state === 'pending' && !item.inflight) attempt(item);
}

export function pendingFor(convId) {
  return [...items.values()].filter(i => i.convId === convId);
}

export function clearOutbox() { items.clear(); }
