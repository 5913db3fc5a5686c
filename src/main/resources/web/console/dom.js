// dom.js -- tiny DOM helpers. Data only ever reaches the DOM as text or checked attributes.

const SAFE_ATTRS = /^(class|id|type|name|value|placeholder|title|role|tabindex|for|accept|multiple|disabled|hidden|checked|selected|autocomplete|rows|href|src|download|target|rel|controls|preload|alt|spellcheck|autofocus|required|maxlength|lang)$|^(data|aria)-[a-z0-9_-]+$/;

/**
 * h('div', {class: 'x', dataset: {id}, on: {click: fn}}, child, 'text', [more])
 * Strings become text nodes; null/false children are skipped. href/src are checked with safeUrl.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'on') {
        for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
      } else if (k === 'dataset') {
        for (const [dk, dv] of Object.entries(v)) if (dv !== undefined && dv !== null) el.dataset[dk] = String(dv);
      } else if (k === 'testid') {
        el.setAttribute('data-testid', v);
      } else if (k === 'text') {
        el.textContent = String(v);
      } else if (k === 'href' || k === 'src') {
        const u = safeUrl(v);
        if (u) el.setAttribute(k, u);
      } else if (SAFE_ATTRS.test(k)) {
        if (v === true) el.setAttribute(k, '');
        else el.setAttribute(k, String(v));
      } else {
        throw new Error('attribute not allowed: ' + k);
      }
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

/** Replaces the children of el. */
export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** http(s) URLs, same-origin relative paths (/api/...) and blob: URLs of this page; anything else -> null. */
export function safeUrl(u) {
  if (typeof u !== 'string' || !u) return null;
  if (u.startsWith('blob:')) return u.startsWith('blob:' + location.origin) ? u : null;
  if (u.startsWith('/') && !u.startsWith('//')) return u;
  try {
    const p = new URL(u);
    return p.protocol === 'http:' || p.protocol === 'https:' ? p.href : null;
  } catch {
    return null;
  }
}

export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
  const x = [...b].map(v => v.toString(16).padStart(2, '0')).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export function fmtTime(at) {
  if (!at) return '';
  const d = new Date(at);
  const now = new Date();
  if (d.toDateString() === now.toDateString()) return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return d.toLocaleDateString([], { month: 'short', day: 'numeric' });
}

export function fmtDateTime(at) {
  if (!at) return '';
  return new Date(at).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function fmtSize(n) {
  if (typeof n !== 'number') return '';
  if (n < 1024) return n + ' B';
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KB';
  return (n / 1024 / 1024).toFixed(1) + ' MB';
}

export function visitorName(v) {
  if (v && v.name) return v.name;
  return 'Visitor ' + (v && v.id ? String(v.id).slice(0, 6) : '');
}

export function initials(name) {
  const parts = String(name || '?').trim().split(/\s+/).filter(Boolean);
  return ((parts[0] || '?')[0] + (parts.length > 1 ? parts[parts.length - 1][0] : '')).toUpperCase();
}

/** A one-line preview of a message, as text. */
export function preview(m) {
  if (!m) return '';
  const who = m.author && m.author.type === 'agent' ? 'You: ' : '';
  switch (m.kind) {
    case 'image': return 'Image: ' + (m.text || (m.attachment && m.attachment.name) || 'Image');
    case 'video': return 'Video: ' + (m.text || (m.attachment && m.attachment.name) || 'Video');
    case 'audio': return 'Audio: ' + (m.text || (m.attachment && m.attachment.name) || 'Audio');
    case 'file': return 'File: ' + (m.text || (m.attachment && m.attachment.name) || 'File');
    case 'article': return 'Article: ' + ((m.payload && m.payload.title) || '');
    case 'flow': return 'Flow: ' + (m.text || (m.payload && m.payload.title) || '');
    case 'system': return m.text || '';
    default: return (m.author && m.author.type === 'agent' ? (m.author.name ? m.author.name + ': ' : who) : '') + (m.text || '');
  }
}

export function debounce(fn, ms) {
  let t = null;
  const d = (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
  d.cancel = () => clearTimeout(t);
  return d;
}

/** A minimal event emitter. */
export class Emitter {
  constructor() { this.handlers = new Map(); }
  on(type, fn) {
    if (!this.handlers.has(type)) this.handlers.set(type, new Set());
    this.handlers.get(type).add(fn);
    return () => this.handlers.get(type).delete(fn);
  }
  emit(type, ...args) {
    for (const fn of [...(this.handlers.get(type) || [])]) {
      try { fn(...args); } catch (e) { console.error(e); }
    }
  }
}
