// socket.js -- the agent WebSocket: connect, refs and replies, events, reconnect with backoff + jitter.
import { Emitter } from './dom.js';

export class SocketError extends Error {
  constructor(code, message) {
    super(message || code);
    this.code = code;
  }
}

const BASE_MS = 500;
const MAX_MS = 30000;
const REQUEST_TIMEOUT_MS = 20000;

/**
 * Events emitted: 'state' (connecting|online|offline), 'hello' (frame, isReconnect), 'event' (frame),
 * 'closed' ({code, reason, beforeHello}).
 */
export class AgentSocket extends Emitter {
  constructor(tokenFn) {
    super();
    this.tokenFn = tokenFn;
    this.ws = null;
    this.ready = false;      // hello received on the current socket
    this.attempt = 0;
    this.timer = null;
    this.stopped = true;
    this.pending = new Map(); // ref -> {resolve, reject, timer}
    this.seq = 0;
    this.helloCount = 0;
    this.state = 'offline';
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.ws) { try { this.ws.close(1000, 'logout'); } catch {} }
    this.ws = null;
    this.ready = false;
    this.failAll('disconnected');
    this.setState('offline');
  }

  setState(s) {
    if (this.state === s) return;
    this.state = s;
    this.emit('state', s);
  }

  connect() {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const url = `${proto}//${location.host}/ws/agent?token=${encodeURIComponent(this.tokenFn() || '')}`;
    this.setState('connecting');
    let ws;
    try { ws = new WebSocket(url); } catch { this.scheduleReconnect(); return; }
    this.ws = ws;
    this.ready = false;
    ws.addEventListener('message', ev => this.onFrame(ws, ev.data));
    ws.addEventListener('close', ev => this.onClose(ws, ev));
    ws.addEventListener('error', () => {});
  }

  onFrame(ws, data) {
    if (ws !== this.ws) return;
    let f;
    try { f = JSON.parse(data); } catch { return; }
    if (!f || typeof f !== 'object') return;
    if (f.type === 'hello') {
      this.ready = true;
      this.attempt = 0;
      this.helloCount++;
      this.setState('online');
      this.emit('hello', f, this.helloCount > 1);
      return;
    }
    if ((f.type === 'ack' || f.type === 'error') && f.ref) {
      const p = this.pending.get(f.ref);
      if (p) {
        this.pending.delete(f.ref);
        clearTimeout(p.timer);
        if (f.type === 'ack') p.resolve(f.result || {});
        else p.reject(new SocketError(f.code, f.message));
      }
      return;
    }
    if (f.type === 'error') {
      console.warn('socket error', f.code, f.message);
      this.emit('error', f);
      return;
    }
    this.emit('event', f);
  }

  onClose(ws, ev) {
    if (ws !== this.ws) return;
    const beforeHello = !this.ready;
    this.ws = null;
    this.ready = false;
    this.failAll('disconnected');
    if (this.stopped) return;
    this.setState('offline');
    this.emit('closed', { code: ev.code, reason: ev.reason, beforeHello });
    this.scheduleReconnect(ev.code === 1008 ? 10 : 0);
  }

  /** Exponential backoff with full jitter; extra steps for policy closes. */
  scheduleReconnect(extra = 0) {
    if (this.stopped) return;
    const n = Math.min(this.attempt + extra, 10);
    const cap = Math.min(MAX_MS, BASE_MS * 2 ** n);
    const delay = cap / 2 + Math.random() * cap / 2;
    this.attempt++;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  /** Reconnect now (e.g. the browser came back online). */
  kick() {
    if (this.stopped || this.ws) return;
    this.attempt = 0;
    this.connect();
  }

  failAll(code) {
    for (const [, p] of this.pending) { clearTimeout(p.timer); p.reject(new SocketError(code, 'The connection was lost.')); }
    this.pending.clear();
  }

  get isOpen() { return !!(this.ws && this.ready && this.ws.readyState === WebSocket.OPEN); }

  /** Sends a frame without ref (no reply). Answers false when not connected. */
  send(frame) {
    if (!this.isOpen) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  /** Sends a frame with a ref; resolves with the ack's result, rejects with SocketError. */
  request(type, fields = {}) {
    if (!this.isOpen) return Promise.reject(new SocketError('disconnected', 'Not connected.'));
    const ref = 'r' + (++this.seq);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(ref);
        reject(new SocketError('timeout', 'The server did not answer.'));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(ref, { resolve, reject, timer });
      this.ws.send(JSON.stringify({ type, ref, ...fields }));
    });
  }
}
