'use strict';
// The Socket.IO 4.8 peer a team would otherwise build on: the same customer<->agent relay as the raw
// Vert.x relay baseline, but every message is INSERTed into Postgres (its own table, in the Postgres
// instance Switchboard uses) before it is acked and forwarded. Websocket transport only.
//
// Events (client -> server, with an ack callback): "message" {clientMsgId,text[,conversationId]},
// "ping" {}, "conversation.status" {}. Server -> client: "hello", "conversation.assigned",
// "agent.joined", "message" — shaped like Switchboard's frames, so the harness uses one client.
// Query: role=customer|agent, group=G (customers are bound round-robin to agents of their group),
// token=AGENT_ID (agents).
//
// Env: PORT (0: any; printed as "SIO_PORT n"), PG_URL, PG_POOL (default 8, Switchboard's pool size).
const http = require('http');
const crypto = require('crypto');
const { Server } = require('socket.io');
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.PG_URL, max: Number(process.env.PG_POOL || 8) });
const agentsByGroup = new Map();
const rr = new Map();
const conversations = new Map();
let ids = 0;

function pick(group) {
  const list = agentsByGroup.get(group);
  if (!list || list.length === 0) return null;
  const n = rr.get(group) || 0;
  rr.set(group, n + 1);
  return list[n % list.length];
}

async function store(conv, author, clientMsgId, text) {
  const seq = ++conv.seq;
  const at = Date.now();
  const r = await pool.query(
    'insert into sio_messages (conversation_id, seq, author, client_msg_id, text, at) values ($1,$2,$3,$4,$5,$6) returning id',
    [conv.id, seq, author.type, clientMsgId, text, at]);
  return { id: String(r.rows[0].id), conversationId: conv.id, seq, at, clientMsgId, author, kind: 'text', text };
}

function ackOf(m) {
  return { conversationId: m.conversationId, messageId: m.id, seq: m.seq, at: m.at, duplicate: false };
}

async function main() {
  await pool.query(`create table if not exists sio_messages (
      id bigserial primary key, conversation_id text not null, seq int not null, author text not null,
      client_msg_id text, text text, at bigint not null)`);
  const server = http.createServer((req, res) => {
    res.writeHead(req.url.startsWith('/health') ? 200 : 404, { 'content-type': 'application/json' });
    res.end('{"status":"up"}');
  });
  const io = new Server(server, { transports: ['websocket'], serveClient: false, perMessageDeflate: false, maxHttpBufferSize: 65536 });
  io.on('connection', (socket) => {
    const q = socket.handshake.query;
    const group = String(q.group || '0');
    if (q.role === 'agent') {
      const agent = { id: String(q.token || 'agent-' + (++ids)), socket };
      if (!agentsByGroup.has(group)) agentsByGroup.set(group, []);
      agentsByGroup.get(group).push(agent);
      socket.on('disconnect', () => {
        const l = agentsByGroup.get(group);
        const i = l.indexOf(agent);
        if (i >= 0) l.splice(i, 1);
      });
      socket.emit('hello', { protocol: 1, role: 'agent', agent: { id: agent.id, name: agent.id }, status: 'online',
        inbox: { unassigned: [], mine: [] } });
      socket.on('message', async (data, cb) => {
        const conv = conversations.get(data && data.conversationId);
        if (!conv) { if (cb) cb({ error: { code: 'not_found', message: 'no such conversation' } }); return; }
        try {
          const m = await store(conv, { type: 'agent', id: agent.id, name: agent.id }, data.clientMsgId, data.text);
          if (cb) cb(ackOf(m));
          conv.customer.emit('message', { message: m });
        } catch (e) {
          if (cb) cb({ error: { code: 'internal', message: String(e.message || e) } });
        }
      });
      socket.on('ping', (d, cb) => { if (cb) cb({}); });
      socket.on('conversation.status', (d, cb) => { if (cb) cb({}); });
      return;
    }
    const visitorId = 'v-' + (++ids);
    const conv = { id: crypto.randomUUID(), customer: socket, visitorId, agent: pick(group), seq: 0, started: false };
    socket.emit('hello', { protocol: 1, role: 'customer', visitor: { id: visitorId, token: 'vt-' + visitorId }, conversation: null });
    socket.on('disconnect', () => conversations.delete(conv.id));
    socket.on('message', async (data, cb) => {
      if (!conv.agent) conv.agent = pick(group);
      if (!conv.agent) { if (cb) cb({ error: { code: 'unavailable', message: 'no agent' } }); return; }
      try {
        const m = await store(conv, { type: 'customer', id: visitorId }, data && data.clientMsgId, data && data.text);
        if (cb) cb(ackOf(m));
        const a = conv.agent;
        if (!conv.started) {
          conv.started = true;
          conversations.set(conv.id, conv);
          a.socket.emit('conversation.assigned', { conversation: { id: conv.id, status: 'open', assignee: { id: a.id, name: a.id },
            team: null, visitor: { id: visitorId }, lastSeq: m.seq, lastMessage: m } });
          socket.emit('agent.joined', { agent: { name: a.id } });
        } else {
          a.socket.emit('message', { message: m });
        }
      } catch (e) {
        if (cb) cb({ error: { code: 'internal', message: String(e.message || e) } });
      }
    });
    socket.on('ping', (d, cb) => { if (cb) cb({}); });
  });
  server.listen(Number(process.env.PORT || 0), '0.0.0.0', () => {
    console.log('SIO_PORT ' + server.address().port);
  });
  const stop = () => { io.close(); pool.end().finally(() => process.exit(0)); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => { console.error(e); process.exit(1); });
