// timeline.js -- renders one timeline entry (a message of any kind, or an internal note).
import { h, clear, fmtTime, fmtDateTime, fmtSize, safeUrl } from './dom.js';
import { blobUrl, token } from './api.js';
import { state } from './state.js';
import { icon } from './icons.js';

/** entry: {key, msg|note, state: sent|pending|failed, error?}; onRetry(entry) for failed own items. */
export function renderEntry(entry, onRetry) {
  return entry.note ? renderNote(entry, onRetry) : renderMessage(entry, onRetry);
}

function ownState(entry, onRetry) {
  if (entry.state === 'pending') return h('span', { class: 'msg-state state-pending' }, 'Sending\u2026');
  if (entry.state === 'failed') {
    return h('span', { class: 'msg-state state-failed' },
      h('span', null, entry.error ? 'Not sent: ' + entry.error : 'Not sent'),
      h('button', { class: 'link-button', type: 'button', testid: 'retry', on: { click: () => onRetry(entry) } }, 'Retry'));
  }
  return h('span', { class: 'msg-state state-sent', title: 'Delivered to the server' }, '\u2713');
}

function renderNote(entry, onRetry) {
  const n = entry.note;
  const own = n.author && state.me && n.author.id === state.me.id;
  return h('div', { class: 'tl-item note', testid: 'note', dataset: { id: n.id, clientMsgId: n.clientMsgId, state: own ? entry.state : null } },
    h('div', { class: 'note-label' }, icon('lock', 12), 'Internal note \u2014 the customer does not see this'),
    h('div', { class: 'note-text' }, n.text || ''),
    h('div', { class: 'msg-meta' },
      h('span', null, (n.author && n.author.name) || 'Agent'),
      h('span', null, fmtTime(n.at)),
      own ? ownState(entry, onRetry) : null));
}

function renderMessage(entry, onRetry) {
  const m = entry.msg;
  const author = (m.author && m.author.type) || 'system';
  const own = author === 'agent' && state.me && m.author.id === state.me.id;
  if (m.kind === 'system' || author === 'system') {
    return h('div', { class: 'tl-item msg system', testid: 'message', dataset: { author: 'system', kind: m.kind, seq: m.seq } },
      h('span', { class: 'system-text' }, m.text || ''),
      h('span', { class: 'system-time' }, fmtTime(m.at)));
  }
  const attrs = { author, kind: m.kind || 'text', seq: m.seq, clientMsgId: own ? m.clientMsgId : null, state: own ? entry.state : null };
  const bare = ['image', 'video', 'audio', 'article', 'flow'].includes(m.kind) && !(m.text && m.kind !== 'flow');
  const bubble = h('div', { class: 'bubble' + (bare ? ' bubble-bare' : '') }, body(m));
  const meta = h('div', { class: 'msg-meta' },
    author === 'agent' ? h('span', null, own ? 'You' : (m.author.name || 'Agent')) : null,
    h('span', { title: fmtDateTime(m.at) }, fmtTime(m.at)),
    own ? ownState(entry, onRetry) : null);
  return h('div', { class: `tl-item msg from-${author}` + (own ? ' own' : '') + (entry.state === 'failed' ? ' failed' : ''),
    testid: 'message', dataset: attrs }, bubble, meta);
}

function body(m) {
  const parts = [];
  switch (m.kind) {
    case 'image': case 'video': case 'audio': case 'file':
      parts.push(media(m));
      if (m.text) parts.push(h('div', { class: 'caption' }, m.text));
      break;
    case 'article': {
      const p = m.payload || {};
      const url = safeUrl(p.url) && /^https?:/i.test(p.url) ? p.url : null;
      if (m.text) parts.push(h('div', { class: 'text' }, m.text));
      parts.push(h('div', { class: 'card article-card', testid: 'article' },
        h('div', { class: 'card-kicker' }, 'Article'),
        h('div', { class: 'card-title' }, p.title || 'Article'),
        p.snippet ? h('div', { class: 'card-snippet' }, p.snippet) : null,
        url ? h('a', { class: 'card-link', href: url, target: '_blank', rel: 'noopener noreferrer' }, 'Open article \u2197') : null));
      break;
    }
    case 'flow': {
      const p = m.payload || {};
      parts.push(h('div', { class: 'card flow-card' },
        h('div', { class: 'card-kicker' }, 'Flow'),
        h('div', { class: 'card-title' }, p.title || m.text || 'Flow'),
        h('div', { class: 'flow-options' }, (p.options || []).map(o =>
          h('span', { class: 'flow-option', testid: 'flow-option', dataset: { id: o.id } }, o.label)))));
      break;
    }
    case 'textblock': {
      const p = m.payload || {};
      parts.push(h('div', { class: 'text' }, m.text || ''));
      parts.push(h('div', { class: 'kind-tag' }, 'Text block' + (p.shortcut ? ' #' + p.shortcut : '')));
      break;
    }
    default:
      parts.push(h('div', { class: 'text' }, m.text || ''));
      if (m.payload && m.payload.flowId && m.payload.optionId) parts.push(h('div', { class: 'kind-tag' }, 'Flow answer'));
  }
  return parts;
}

function media(m) {
  const a = m.attachment || {};
  const url = typeof a.url === 'string' && /^\/api\/attachments\/[A-Za-z0-9_-]+$/.test(a.url) ? a.url : null;
  if (m.kind === 'file' || !url) return fileLink(a, url);
  let el;
  if (m.kind === 'image') el = h('img', { class: 'media media-image', alt: a.name || 'Image' });
  else if (m.kind === 'video') el = h('video', { class: 'media media-video', controls: true, preload: 'metadata' });
  else el = h('audio', { class: 'media media-audio', controls: true, preload: 'metadata' });
  const wrap = h('div', { class: 'media-wrap loading' }, el);
  blobUrl(url).then(u => {
    el.setAttribute('src', u);
    wrap.classList.remove('loading');
  }).catch(() => {
    clear(wrap, fileLink(a, url), h('div', { class: 'media-error' }, 'Preview unavailable'));
    wrap.classList.remove('loading');
  });
  if (m.kind === 'image') {
    el.addEventListener('click', () => blobUrl(url).then(u => window.open(u, '_blank', 'noopener')));
  }
  return wrap;
}

function fileLink(a, url) {
  const link = h('a', { class: 'attachment-link', testid: 'attachment-link', href: url || undefined, download: a.name || 'file', rel: 'noopener' },
    h('span', { class: 'file-icon' }, icon('paper', 18)),
    h('span', { class: 'file-name' }, a.name || 'File'),
    a.size ? h('span', { class: 'file-size' }, fmtSize(a.size)) : null);
  if (url) {
    link.addEventListener('click', ev => {
      if (link.dataset.ready) return;
      ev.preventDefault();
      blobUrl(url).then(u => {
        const tmp = h('a', { href: u, download: a.name || 'file' });
        document.body.appendChild(tmp);
        tmp.click();
        tmp.remove();
      }).catch(() => {});
    });
  }
  return link;
}

