// api.js -- the HTTP API (bearer token), session storage of the login, attachment blobs.

const KEY = 'switchboard.console.session';
let session = null;
let onUnauthorized = () => {};

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || ('HTTP ' + status));
    this.status = status;
    this.code = code || 'http_' + status;
  }
}

export function loadSession() {
  try {
    const raw = sessionStorage.getItem(KEY);
    session = raw ? JSON.parse(raw) : null;
  } catch { session = null; }
  return session;
}

export function saveSession(s) {
  session = s;
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
}

export function getSession() { return session; }
export function token() { return session && session.token; }

export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

async function parse(res) {
  if (res.status === 204) return null;
  const type = res.headers.get('content-type') || '';
  if (type.includes('application/json')) return res.json();
  return null;
}

export async function request(method, path, body, opts = {}) {
  const headers = {};
  if (token() && !opts.noAuth) headers.Authorization = 'Bearer ' + token();
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) { headers['Content-Type'] = 'application/json'; payload = JSON.stringify(body); }
  let res;
  try {
    res = await fetch(path, { method, headers, body: payload, cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, 'network', 'The server cannot be reached.');
  }
  const data = await parse(res).catch(() => null);
  if (!res.ok) {
    const err = data && data.error ? data.error : {};
    if (res.status === 401 && !opts.noAuth) onUnauthorized();
    throw new ApiError(res.status, err.code, err.message);
  }
  return data;
}

export const get = (path) => request('GET', path);
export const post = (path, body) => request('POST', path, body);

export async function login(email, password) {
  return request('POST', '/api/login', { email, password }, { noAuth: true });
}

export function qs(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, v);
  const s = p.toString();
  return s ? '?' + s : '';
}

export async function upload(file) {
  const fd = new FormData();
  fd.append('file', file, file.name);
  return request('POST', '/api/attachments', fd);
}

const blobs = new Map();

/** Fetches an attachment with the bearer token and answers a blob: URL (cached per URL). */
export function blobUrl(url) {
  if (typeof url !== 'string' || !/^\/api\/attachments\/[A-Za-z0-9_-]+$/.test(url)) return Promise.reject(new Error('bad attachment url'));
  if (!blobs.has(url)) {
    const p = fetch(url, { headers: { Authorization: 'Bearer ' + token() } }).then(res => {
      if (res.status === 401) onUnauthorized();
      if (!res.ok) throw new ApiError(res.status, 'http_' + res.status, 'The file cannot be loaded.');
      return res.blob();
    }).then(b => URL.createObjectURL(b));
    p.catch(() => blobs.delete(url));
    blobs.set(url, p);
  }
  return blobs.get(url);
}

export function dropBlobs() {
  for (const p of blobs.values()) p.then(u => URL.revokeObjectURL(u)).catch(() => {});
  blobs.clear();
}
