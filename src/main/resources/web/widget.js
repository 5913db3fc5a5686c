/*
 * Switchboard customer chat widget.
 *
 * Embed with one tag:
 *   <script src="https://HOST/widget.js" data-widget="KEY" async></script>
 * Optional: data-name="..." data-email="..." (recorded on the visitor).
 *
 * A classic script (no modules, no build step, no dependencies). Everything lives in an open shadow
 * root on <div id="switchboard-widget">, styled only by ORIGIN/widget.css, so the host page's CSS
 * cannot reach in and ours cannot leak out. It speaks protocol version 1 (docs/protocol.md) over
 * /ws/customer. Text that a person typed only ever reaches the DOM as text nodes.
 */
(function () {
  'use strict';

  var HOST_ID = 'switchboard-widget';
  if (typeof document === 'undefined' || document.getElementById(HOST_ID) || window.__switchboardWidgetLoaded) {
    return;
  }
  window.__switchboardWidgetLoaded = true;

  var script = document.currentScript || document.querySelector('script[data-widget]');
  if (!script) {
    console.error('Switchboard: could not find the widget\'s <script data-widget="KEY"> tag; the chat is disabled.');
    return;
  }
  var KEY = (script.getAttribute('data-widget') || '').trim();
  var ORIGIN;
  try {
    ORIGIN = new URL(script.src, location.href).origin;
  } catch (e) {
    ORIGIN = location.origin;
  }
  if (!KEY) {
    console.error('Switchboard: the <script> tag has no data-widget key, so the chat is disabled. '
      + 'Add data-widget="YOUR_WIDGET_KEY" to the tag that loads ' + ORIGIN + '/widget.js.');
    return;
  }
  var VISITOR_NAME = (script.getAttribute('data-name') || '').trim().slice(0, 200);
  var VISITOR_EMAIL = (script.getAttribute('data-email') || '').trim().slice(0, 200);

  // ---------------------------------------------------------------------------------------------
  // Small helpers
  // ---------------------------------------------------------------------------------------------

  var SVG_NS = 'http://www.w3.org/2000/svg';

  /** Builds an element. attrs: plain attributes, plus `on: {event: fn}` and `class`. Children: nodes or strings (as text). */
  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === 'on') {
          Object.keys(v).forEach(function (ev) { el.addEventListener(ev, v[ev]); });
        } else if (k === 'class') {
          el.className = v;
        } else if (v === true) {
          el.setAttribute(k, '');
        } else {
          el.setAttribute(k, String(v));
        }
      });
    }
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }

  function append(el, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(el, c); }); return; }
    el.appendChild(typeof child === 'string' || typeof child === 'number'
      ? document.createTextNode(String(child)) : child);
  }

  /** Icons: fixed path data only (never user data). */
  var ICONS = {
    chat: 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z',
    close: 'M6 6l12 12M18 6L6 18',
    send: 'M3 11.5L21 3l-8.5 18-2.2-7.3L3 11.5z',
    clip: 'M21 11.5l-8.6 8.6a5 5 0 0 1-7.1-7.1l8.6-8.6a3.4 3.4 0 0 1 4.8 4.8l-8.6 8.6a1.7 1.7 0 0 1-2.4-2.4l7.9-7.9',
    file: 'M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8l-5-5zM14 3v5h5',
    down: 'M6 9l6 6 6-6',
    video: 'M3 7h12v10H3zM15 10l6-3v10l-6-3',
    phone: 'M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2z',
    screen: 'M3 4h18v12H3zM8 20h8M12 16v4',
    pointer: 'M5 3l6 17 2.5-7.5L21 10 5 3z',
    users: 'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21v-1a6 6 0 0 1 12 0v1M16 3.5a4 4 0 0 1 0 7.5M22 21v-1a6 6 0 0 0-4-5.6'
  };

  function icon(name, cls) {
    var svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.setAttribute('class', 'icon' + (cls ? ' ' + cls : ''));
    var p = document.createElementNS(SVG_NS, 'path');
    p.setAttribute('d', ICONS[name]);
    svg.appendChild(p);
    return svg;
  }

  function uuid() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
    // Fallback for non-secure contexts (http on a LAN host): RFC 4122 v4 from getRandomValues.
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var s = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
    return s.slice(0, 8) + '-' + s.slice(8, 12) + '-' + s.slice(12, 16) + '-' + s.slice(16, 20) + '-' + s.slice(20);
  }

  function formatSize(n) {
    if (typeof n !== 'number' || !isFinite(n) || n < 0) return '';
    if (n < 1024) return n + ' B';
    if (n < 1024 * 1024) return (n / 1024).toFixed(n < 10 * 1024 ? 1 : 0) + ' KB';
    if (n < 1024 * 1024 * 1024) return (n / 1024 / 1024).toFixed(1) + ' MB';
    return (n / 1024 / 1024 / 1024).toFixed(1) + ' GB';
  }

  function formatTime(ms) {
    if (typeof ms !== 'number') return '';
    try {
      return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    } catch (e) {
      return '';
    }
  }

  /** An http(s) URL as a string, or null. */
  function safeHttpUrl(u) {
    if (typeof u !== 'string' || !u) return null;
    try {
      var url = new URL(u);
      return (url.protocol === 'http:' || url.protocol === 'https:') ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  /** The absolute, token-carrying URL of an attachment, or null when the server's url is not a same-origin path. */
  function attachmentUrl(att) {
    if (!att || typeof att.url !== 'string') return null;
    var u = att.url;
    if (u.charAt(0) !== '/' || u.charAt(1) === '/' || u.charAt(1) === '\\') return null;
    var full;
    try {
      full = new URL(ORIGIN + u);
    } catch (e) {
      return null;
    }
    if (full.origin !== ORIGIN) return null;
    if (state.token) full.searchParams.set('token', state.token);
    return full.href;
  }

  function kindOfContentType(ct) {
    ct = String(ct || '').toLowerCase();
    if (ct.indexOf('image/') === 0) return 'image';
    if (ct.indexOf('video/') === 0) return 'video';
    if (ct.indexOf('audio/') === 0) return 'audio';
    return 'file';
  }

  // localStorage can throw (blocked storage, Safari private mode): fall back to memory.
  var memoryStore = {};
  var store = {
    get: function (k) {
      try { return window.localStorage.getItem(k); } catch (e) { return memoryStore[k] || null; }
    },
    set: function (k, v) {
      try { window.localStorage.setItem(k, v); } catch (e) { memoryStore[k] = v; }
    },
    remove: function (k) {
      try { window.localStorage.removeItem(k); } catch (e) { delete memoryStore[k]; }
    }
  };
  var STORE_PREFIX = 'switchboard:' + ORIGIN + ':' + KEY + ':';
  var TOKEN_KEY = STORE_PREFIX + 'token';
  var READ_KEY = STORE_PREFIX + 'read';

  var INVITE_TEXT = {
    cobrowse: { ask: 'invites you to browse this page together', title: 'Co-browsing', active: 'Co-browsing in progress', icon: 'pointer' },
    call: { ask: 'invites you to a call', title: 'Call', active: 'Call in progress', icon: 'phone' },
    video_call: { ask: 'invites you to a video call', title: 'Video call', active: 'Video call in progress', icon: 'video' },
    desktop_request: { ask: 'asks to see your screen', title: 'Screen sharing', active: 'Sharing your screen', icon: 'screen' },
    screen_share: { ask: 'wants to show you their screen', title: 'Screen share', active: 'Agent screen share in progress', icon: 'screen' },
    conference: { ask: 'invites you to a conference', title: 'Conference', active: 'Conference in progress', icon: 'users' }
  };

  var ERROR_TEXT = {
    rate_limited: 'You are sending messages too quickly. Please wait a moment.',
    too_large: 'File is too large',
    unavailable: 'The chat service is busy right now. Please try again shortly.',
    internal: 'Something went wrong on our side. Please try again.',
    not_found: 'That is no longer available.',
    conflict: 'That is no longer possible.',
    forbidden: 'That is not allowed.',
    unauthorized: 'Your chat session has expired. Reconnecting…',
    bad_request: 'That message could not be sent.'
  };

  // ---------------------------------------------------------------------------------------------
  // State
  // ---------------------------------------------------------------------------------------------

  var state = {
    token: store.get(TOKEN_KEY),
    name: null, // the widget's name
    ws: null,
    ready: false, // hello received on the current socket
    everOnline: false,
    attempt: 0,
    reconnectTimer: null,
    disabled: false,
    open: false,
    // The conversation on screen.
    convId: null,
    socketConvId: null, // the socket's current conversation (hello or last ack): what `read` marks
    retired: {}, // conversations we left (never switch back to them)
    ended: false,
    assignee: null,
    bySeq: {}, // seq -> message element
    maxSeq: 0,
    gapTimer: null, // a gap in the seqs on screen waits for its message before it is read
    readSeq: 0,
    sentReadSeq: 0,
    unread: 0,
    outbox: [], // own messages not acknowledged yet, in the order they were written
    byClientId: {}, // clientMsgId -> item {clientMsgId, text, payload, file, attachment, state, el, ...}
    invites: {}, // id -> {invite, el}
    requests: {}, // ref -> {resolve, reject, type}
    refCounter: 0,
    orderCounter: 0,
    typingOn: false,
    typingSentAt: 0,
    typingIdleTimer: null,
    agentTypingTimer: null
  };

  var ui = {};

  // ---------------------------------------------------------------------------------------------
  // Boot: check the key, then build the UI and connect
  // ---------------------------------------------------------------------------------------------

  function backoffDelay(attempt) {
    var base = Math.min(15000, 500 * Math.pow(2, attempt));
    return Math.round(base / 2 + Math.random() * base / 2); // "equal jitter": between half and all of it
  }

  var infoAttempt = 0;

  function checkKey() {
    fetch(ORIGIN + '/api/public/widgets/' + encodeURIComponent(KEY), { method: 'GET', mode: 'cors', credentials: 'omit' })
      .then(function (res) {
        if (res.status === 404) {
          disable('the widget key "' + KEY + '" is not known to ' + ORIGIN + '; the chat is disabled. Check data-widget.');
          return null;
        }
        if (!res.ok) throw new Error('HTTP ' + res.status);
        return res.json();
      })
      .then(function (info) {
        if (!info) return;
        state.name = (info && typeof info.name === 'string' && info.name.trim()) ? info.name.trim() : 'Chat';
        whenBody(start);
      })
      .catch(function (err) {
        if (state.disabled) return;
        var delay = backoffDelay(infoAttempt++);
        console.warn('Switchboard: could not reach ' + ORIGIN + ' (' + (err && err.message) + '); trying again in '
          + Math.round(delay / 1000) + ' s.');
        setTimeout(checkKey, delay);
      });
  }

  function disable(why) {
    state.disabled = true;
    console.error('Switchboard: ' + why);
    if (state.reconnectTimer) clearTimeout(state.reconnectTimer);
    if (state.ws) {
      try { state.ws.close(1000); } catch (e) { /* ignore */ }
    }
    if (ui.host && ui.host.parentNode) ui.host.parentNode.removeChild(ui.host);
  }

  function whenBody(fn) {
    if (document.body) fn();
    else document.addEventListener('DOMContentLoaded', fn);
  }

  function start() {
    if (state.disabled || ui.host) return;
    buildUi();
    connect();
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState === 'visible') {
        markRead();
        if (!state.ws && !state.disabled) reconnectNow();
      }
    });
    window.addEventListener('online', function () { if (!state.ws && !state.disabled) reconnectNow(); });
  }

  // ---------------------------------------------------------------------------------------------
  // UI
  // ---------------------------------------------------------------------------------------------

  function buildUi() {
    var host = h('div', { id: HOST_ID });
    // `:host { all: initial }` in widget.css loses to a host page's `div { … !important }`; an inline
    // important declaration (set through the CSSOM, which the CSP allows) does not.
    host.style.setProperty('all', 'initial', 'important');
    var root = host.attachShadow({ mode: 'open' });
    ui.host = host;
    ui.root = root;

    var link = h('link', { rel: 'stylesheet', href: ORIGIN + '/widget.css' });
    var wrap = h('div', { class: 'sb', hidden: true });
    // Show nothing until the styles are in, so the page never flashes an unstyled widget.
    link.addEventListener('load', function () { wrap.hidden = false; });
    link.addEventListener('error', function () {
      console.error('Switchboard: could not load ' + ORIGIN + '/widget.css; showing the chat unstyled.');
      wrap.hidden = false;
    });

    ui.unread = h('span', { class: 'unread', 'data-testid': 'unread', hidden: true, 'aria-hidden': 'true' });
    ui.launcherIcon = h('span', { class: 'launcher-icon' }, icon('chat', 'icon-chat'), icon('down', 'icon-close'));
    ui.launcher = h('button', {
      type: 'button', class: 'launcher', 'data-testid': 'launcher', 'aria-label': 'Open chat',
      'aria-expanded': 'false', 'aria-controls': 'sb-panel',
      on: {
        click: function () { setOpen(!state.open); },
        keydown: function (e) { if (e.key === 'Escape' && state.open) { e.preventDefault(); setOpen(false); } }
      }
    }, ui.launcherIcon, ui.unread);

    ui.title = h('h2', { class: 'title', id: 'sb-title' }, state.name);
    ui.connText = h('span', { class: 'conn-text' }, 'Connecting…');
    ui.connection = h('span', { class: 'connection', 'data-testid': 'connection', 'data-state': 'connecting', role: 'status' },
      h('span', { class: 'dot', 'aria-hidden': 'true' }), ui.connText);
    ui.subtitle = h('span', { class: 'subtitle' });
    ui.avatar = h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(state.name));
    var closeBtn = h('button', {
      type: 'button', class: 'icon-btn close', 'aria-label': 'Close chat',
      on: { click: function () { setOpen(false); } }
    }, icon('close'));
    var header = h('header', { class: 'header' },
      ui.avatar,
      h('div', { class: 'header-text' }, ui.title, h('div', { class: 'header-sub' }, ui.connection, ui.subtitle)),
      closeBtn);

    ui.active = h('div', { class: 'active-bar', hidden: true });
    ui.queue = h('div', { class: 'queue', 'data-testid': 'queue-position', hidden: true, role: 'status' });
    ui.banner = h('div', { class: 'banner', role: 'alert', hidden: true });

    ui.welcome = h('div', { class: 'welcome' },
      h('p', { class: 'welcome-title' }, 'Hi there 👋'),
      h('p', { class: 'welcome-text' }, 'Ask us anything. We usually answer within a few minutes.'));
    ui.messages = h('div', { class: 'messages', 'data-testid': 'messages', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions' });
    ui.typingText = h('span', { class: 'typing-text' });
    ui.typing = h('div', { class: 'typing', 'data-testid': 'typing', hidden: true, 'aria-live': 'polite' },
      h('span', { class: 'typing-dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')), ui.typingText);
    ui.scroller = h('div', { class: 'scroller' }, ui.welcome, ui.messages, ui.typing);

    ui.fileInput = h('input', {
      type: 'file', class: 'visually-hidden', 'data-testid': 'file-input', tabindex: '-1', 'aria-hidden': 'true',
      on: { change: onFilePicked }
    });
    ui.attach = h('button', {
      type: 'button', class: 'icon-btn attach', 'data-testid': 'attach', 'aria-label': 'Attach a file',
      on: { click: function () { ui.fileInput.click(); } }
    }, icon('clip'));
    ui.composer = h('textarea', {
      class: 'composer', 'data-testid': 'composer', rows: '1', maxlength: '10000',
      placeholder: 'Write a message…', 'aria-label': 'Message',
      on: { keydown: onComposerKey, input: onComposerInput, paste: onComposerPaste }
    });
    ui.send = h('button', {
      type: 'button', class: 'icon-btn send', 'data-testid': 'send', 'aria-label': 'Send message',
      on: { click: sendComposer }
    }, icon('send'));
    var footer = h('div', { class: 'footer' },
      h('div', { class: 'compose-row' }, ui.attach, ui.composer, ui.send, ui.fileInput),
      h('div', { class: 'powered' }, 'Powered by Switchboard'));

    ui.panel = h('section', {
      id: 'sb-panel', class: 'panel', 'data-testid': 'panel', hidden: true, role: 'dialog',
      'aria-labelledby': 'sb-title', 'aria-modal': 'false'
    }, header, ui.active, ui.queue, ui.banner, ui.scroller, footer);
    ui.panel.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') { e.preventDefault(); setOpen(false); }
    });
    ui.panel.addEventListener('dragover', function (e) { if (hasFiles(e)) e.preventDefault(); });
    ui.panel.addEventListener('drop', function (e) {
      if (!hasFiles(e)) return;
      e.preventDefault();
      Array.prototype.forEach.call(e.dataTransfer.files, sendFile);
    });

    append(wrap, [ui.panel, ui.launcher]);
    root.appendChild(link);
    root.appendChild(wrap);
    document.body.appendChild(host);
  }

  function hasFiles(e) {
    return e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types || [], 'Files') >= 0;
  }

  function initials(name) {
    var parts = String(name || '').trim().split(/\s+/).filter(Boolean);
    if (!parts.length) return '?';
    var s = parts[0].charAt(0) + (parts.length > 1 ? parts[parts.length - 1].charAt(0) : '');
    return s.toUpperCase();
  }

  function setOpen(open) {
    state.open = open;
    ui.panel.hidden = !open;
    ui.launcher.setAttribute('aria-expanded', open ? 'true' : 'false');
    ui.launcher.setAttribute('aria-label', open ? 'Close chat' : 'Open chat');
    ui.launcher.classList.toggle('is-open', open);
    ui.host.classList.toggle('sb-open', open);
    if (open) {
      scrollToBottom(true);
      markRead();
      setTimeout(function () { ui.composer.focus(); }, 0);
    } else {
      sendTyping(false);
      ui.launcher.focus();
    }
  }

  function setConnection(s) {
    ui.connection.setAttribute('data-state', s);
    ui.connText.textContent = s === 'online' ? 'Online' : s === 'offline' ? 'Offline, reconnecting…' : 'Connecting…';
  }

  function updateSubtitle() {
    ui.subtitle.textContent = state.assignee ? '· ' + state.assignee + ' is helping you' : '';
    ui.avatar.textContent = initials(state.assignee || state.name);
  }

  var bannerTimer = null;
  function showBanner(text, ms) {
    ui.banner.textContent = text;
    ui.banner.hidden = false;
    if (bannerTimer) clearTimeout(bannerTimer);
    bannerTimer = setTimeout(function () { ui.banner.hidden = true; }, ms || 6000);
  }

  function isNearBottom() {
    var s = ui.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight < 80;
  }

  function scrollToBottom(force) {
    if (!ui.scroller) return;
    if (force || state.stickToBottom !== false) {
      ui.scroller.scrollTop = ui.scroller.scrollHeight;
    }
  }

  /** Inserts an item into the list at its order key: messages by seq, pending ones last, events after the latest seq. */
  function place(el, key) {
    el._sbKey = key;
    var wasNear = isNearBottom();
    var list = ui.messages;
    var ref = null;
    for (var c = list.lastElementChild; c; c = c.previousElementSibling) {
      if (c._sbKey <= key) break;
      ref = c;
    }
    list.insertBefore(el, ref);
    ui.welcome.hidden = true;
    if (wasNear || !state.open) scrollToBottom(true);
  }

  function eventKey() {
    state.orderCounter += 1;
    return state.maxSeq + 0.5 + state.orderCounter * 1e-6;
  }

  function pendingKey() {
    state.orderCounter += 1;
    return 1e12 + state.orderCounter;
  }

  // ---------------------------------------------------------------------------------------------
  // Rendering messages
  // ---------------------------------------------------------------------------------------------

  function authorType(m) {
    var t = m && m.author && m.author.type;
    return t === 'customer' || t === 'agent' || t === 'system' ? t : 'system';
  }

  /** The body of a message: what its kind carries. */
  function renderBody(m, own) {
    var kind = m.kind;
    var parts = [];
    var text = typeof m.text === 'string' ? m.text : '';
    if (kind === 'image' || kind === 'video' || kind === 'audio' || kind === 'file') {
      parts.push(renderAttachment(kind, m.attachment, own));
      if (text) parts.push(h('div', { class: 'text caption' }, text));
    } else if (kind === 'article') {
      if (text) parts.push(h('div', { class: 'text' }, text));
      parts.push(renderArticle(m.payload || {}));
    } else if (kind === 'flow') {
      parts.push(renderFlow(m));
    } else {
      // text, textblock, system and anything unknown: its text.
      parts.push(h('div', { class: 'text' }, text));
    }
    return parts;
  }

  function renderAttachment(kind, att, own) {
    att = att || {};
    var name = typeof att.name === 'string' && att.name ? att.name : 'file';
    var url = own && own.localUrl && !att.url ? own.localUrl : attachmentUrl(att);
    if (kind === 'image' && url) {
      var img = h('img', { src: url, alt: name, class: 'media-img', loading: 'lazy' });
      img.addEventListener('load', function () { if (isNearBottom()) scrollToBottom(true); });
      return url.indexOf('blob:') === 0 ? h('div', { class: 'media' }, img)
        : h('a', { class: 'media', href: url, target: '_blank', rel: 'noopener noreferrer', 'aria-label': 'Open image ' + name }, img);
    }
    if (kind === 'video' && url) {
      return h('video', { src: url, controls: true, preload: 'metadata', class: 'media-video', 'aria-label': name });
    }
    if (kind === 'audio' && url) {
      return h('audio', { src: url, controls: true, preload: 'metadata', class: 'media-audio', 'aria-label': name });
    }
    var size = formatSize(att.size);
    var inner = [h('span', { class: 'file-icon' }, icon('file')),
      h('span', { class: 'file-meta' }, h('span', { class: 'file-name' }, name), size ? h('span', { class: 'file-size' }, size) : null)];
    if (!url || url.indexOf('blob:') === 0) return h('span', { class: 'file' }, inner);
    return h('a', {
      class: 'file', 'data-testid': 'attachment-link', href: url, download: name, target: '_blank', rel: 'noopener noreferrer',
      'aria-label': 'Download ' + name + (size ? ' (' + size + ')' : '')
    }, inner);
  }

  function renderArticle(p) {
    var url = safeHttpUrl(p.url);
    return h('div', { class: 'article', 'data-testid': 'article' },
      h('div', { class: 'article-label' }, 'Article'),
      h('div', { class: 'article-title' }, typeof p.title === 'string' ? p.title : 'Article'),
      typeof p.snippet === 'string' && p.snippet ? h('p', { class: 'article-snippet' }, p.snippet) : null,
      url ? h('a', { class: 'article-link', href: url, target: '_blank', rel: 'noopener noreferrer' }, 'Read article') : null);
  }

  function renderFlow(m) {
    var p = m.payload || {};
    var title = typeof p.title === 'string' && p.title ? p.title : (typeof m.text === 'string' ? m.text : '');
    var options = Array.isArray(p.options) ? p.options : [];
    var box = h('div', { class: 'flow' }, h('div', { class: 'text flow-title' }, title));
    var buttons = h('div', { class: 'flow-options', role: 'group', 'aria-label': title || 'Options' });
    options.forEach(function (o) {
      if (!o || typeof o.id !== 'string') return;
      var label = typeof o.label === 'string' ? o.label : o.id;
      var b = h('button', {
        type: 'button', class: 'flow-option', 'data-testid': 'flow-option', 'data-option-id': o.id,
        on: {
          click: function () {
            if (b.disabled) return;
            answerFlow(box, p.flowId, o.id, label);
          }
        }
      }, label);
      buttons.appendChild(b);
    });
    box.appendChild(buttons);
    box._flowId = p.flowId;
    return box;
  }

  function disableFlow(box, optionId) {
    Array.prototype.forEach.call(box.querySelectorAll('.flow-option'), function (b) {
      b.disabled = true;
      if (optionId && b.getAttribute('data-option-id') === optionId) b.classList.add('chosen');
    });
    box.classList.add('answered');
  }

  function answerFlow(box, flowId, optionId, label) {
    disableFlow(box, optionId);
    queueMessage({ text: label, payload: { flowId: flowId, optionId: optionId } });
  }

  /** Disables the buttons of the unanswered flows with this id that came before `seq` (a flow answer was seen). */
  function markFlowAnswered(flowId, optionId) {
    if (!flowId) return;
    Array.prototype.forEach.call(ui.messages.querySelectorAll('.flow:not(.answered)'), function (box) {
      if (box._flowId === flowId) disableFlow(box, optionId);
    });
  }

  /** Builds a message item. `own`: the outbox item when it is the customer's own message on this tab. */
  function messageEl(m, own) {
    var author = authorType(m);
    var kind = typeof m.kind === 'string' ? m.kind : 'text';
    var attrs = { class: 'msg from-' + author + ' kind-' + kind, 'data-testid': 'message', 'data-author': author, 'data-kind': kind };
    if (typeof m.seq === 'number') attrs['data-seq'] = m.seq;
    if (author === 'customer') {
      if (m.clientMsgId) attrs['data-client-msg-id'] = m.clientMsgId;
      attrs['data-state'] = own ? own.state : 'sent';
    }
    if (author === 'system' || kind === 'system') {
      attrs.class = 'msg system-line from-' + author + ' kind-' + kind;
      return h('div', attrs, h('span', { class: 'text' }, typeof m.text === 'string' ? m.text : ''));
    }
    var bubble = h('div', { class: 'bubble' }, renderBody(m, own));
    var meta = h('div', { class: 'meta' });
    var el = h('div', attrs);
    if (author === 'agent') {
      var name = m.author && typeof m.author.name === 'string' && m.author.name ? m.author.name : 'Agent';
      el.appendChild(h('div', { class: 'author' }, name));
    }
    el.appendChild(bubble);
    el.appendChild(meta);
    el._meta = meta;
    el._at = m.at;
    updateMeta(el, own);
    return el;
  }

  function updateMeta(el, own) {
    var meta = el._meta;
    if (!meta) return;
    meta.textContent = '';
    var st = own ? own.state : null;
    if (st === 'pending') {
      append(meta, h('span', { class: 'status' }, own.uploading ? 'Uploading…' : 'Sending…'));
    } else if (st === 'failed') {
      append(meta, h('span', { class: 'status failed-text' }, own.error || 'Not sent'));
      append(meta, h('button', {
        type: 'button', class: 'link-btn', 'data-testid': 'retry', 'aria-label': 'Retry sending this message',
        on: { click: function () { retry(own); } }
      }, 'Retry'));
      append(meta, h('button', {
        type: 'button', class: 'link-btn', 'aria-label': 'Delete this unsent message',
        on: { click: function () { discard(own); } }
      }, 'Delete'));
    } else {
      var t = formatTime(el._at);
      if (t) append(meta, h('span', { class: 'time' }, t));
      if (el.getAttribute('data-author') === 'customer') {
        var seen = typeof state.agentReadSeq === 'number' && Number(el.getAttribute('data-seq')) <= state.agentReadSeq;
        append(meta, h('span', { class: 'status' }, seen ? '· Seen' : '· Sent'));
      }
    }
  }

  /** Shows a message that carries a seq (from an event or history), once. */
  function showMessage(m) {
    if (!m || typeof m.seq !== 'number') return;
    if (m.conversationId && m.conversationId !== state.convId) {
      if (state.retired[m.conversationId]) return;
      switchConversation(m.conversationId, true);
    }
    var own = m.clientMsgId ? state.byClientId[m.clientMsgId] : null;
    if (own && own.el && own.state !== 'sent') {
      // Our own message, stored though its ack was lost or is still coming: it is sent.
      confirmOwn(own, { seq: m.seq, at: m.at, conversationId: m.conversationId }, m);
      return;
    }
    if (state.bySeq[m.seq]) return;
    var author = authorType(m);
    var el = messageEl(m, null);
    state.bySeq[m.seq] = el;
    el._conv = state.convId;
    if (m.seq > state.maxSeq) state.maxSeq = m.seq;
    place(el, m.seq);
    if (author === 'customer' && m.payload && m.payload.flowId) markFlowAnswered(m.payload.flowId, m.payload.optionId);
    if (author === 'agent') setAgentTyping(false);
    if (m.kind === 'flow') {
      // A flow answered already (we see the answer later in the history) stays disabled.
      var answered = false;
      Object.keys(state.bySeq).forEach(function (s) {
        var e = state.bySeq[s];
        if (Number(s) > m.seq && e._flowAnswer && e._flowAnswer.flowId === (m.payload && m.payload.flowId)) answered = e._flowAnswer;
      });
      if (answered) disableFlow(el.querySelector('.flow'), answered.optionId);
    }
    if (author === 'customer' && m.payload && m.payload.flowId) el._flowAnswer = m.payload;
    if (author !== 'customer' && m.seq > state.readSeq) {
      if (isReading()) markRead();
      else bumpUnread();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Conversation state
  // ---------------------------------------------------------------------------------------------

  /** Leaves the conversation on screen for another one: its messages, events and marks go. */
  function switchConversation(id, loadHistory) {
    if (state.convId === id) return;
    if (state.convId) state.retired[state.convId] = true;
    Array.prototype.slice.call(ui.messages.children).forEach(function (el) {
      var own = el._own;
      if (own && own.state !== 'sent') return; // unsent own messages stay (they go to the new one)
      if (own && own.conversationId === id) return;
      ui.messages.removeChild(el);
    });
    state.convId = id;
    state.bySeq = {};
    state.maxSeq = 0;
    state.ended = false;
    state.assignee = null;
    state.agentReadSeq = null;
    state.invites = {};
    var saved = readMark();
    state.readSeq = saved.convId === id ? saved.seq : 0;
    state.sentReadSeq = 0;
    state.unread = 0;
    ui.welcome.hidden = ui.messages.children.length > 0;
    renderUnread();
    setQueue(null);
    setAgentTyping(false);
    renderActive();
    updateSubtitle();
    if (loadHistory) loadHistoryFrom(id, 0);
  }

  function readMark() {
    try {
      var v = JSON.parse(store.get(READ_KEY) || 'null');
      if (v && typeof v.convId === 'string' && typeof v.seq === 'number') return v;
    } catch (e) { /* ignore */ }
    return { convId: null, seq: 0 };
  }

  function isReading() {
    return state.open && document.visibilityState === 'visible';
  }

  function markRead() {
    if (!state.convId || !isReading()) return;
    var seq = state.maxSeq;
    if (seq > state.readSeq) {
      state.readSeq = seq;
      store.set(READ_KEY, JSON.stringify({ convId: state.convId, seq: seq }));
    }
    state.unread = 0;
    renderUnread();
    if (state.ready && state.socketConvId === state.convId && seq > state.sentReadSeq) {
      state.sentReadSeq = seq;
      sendFrame({ type: 'read', seq: seq });
    }
  }

  function bumpUnread() {
    state.unread += 1;
    renderUnread();
  }

  function renderUnread() {
    if (!ui.unread) return;
    var n = state.unread;
    ui.unread.hidden = n <= 0;
    ui.unread.textContent = n > 9 ? '9+' : String(n);
    ui.launcher.setAttribute('aria-label', (state.open ? 'Close chat' : 'Open chat')
      + (n > 0 ? ' (' + n + ' unread message' + (n === 1 ? '' : 's') + ')' : ''));
  }

  function setQueue(position) {
    if (typeof position === 'number' && position > 0 && !state.ended) {
      ui.queue.textContent = position === 1 ? 'You are number 1 in line. An agent will be with you shortly.'
        : 'You are number ' + position + ' in line.';
      ui.queue.hidden = false;
    } else {
      ui.queue.textContent = '';
      ui.queue.hidden = true;
    }
  }

  function setAgentTyping(on, name) {
    if (state.agentTypingTimer) { clearTimeout(state.agentTypingTimer); state.agentTypingTimer = null; }
    if (on) {
      ui.typingText.textContent = (name || state.assignee || 'The agent') + ' is typing…';
      var wasNear = isNearBottom();
      ui.typing.hidden = false;
      if (wasNear) scrollToBottom(true);
      state.agentTypingTimer = setTimeout(function () { setAgentTyping(false); }, 6000);
    } else if (ui.typing) {
      ui.typing.hidden = true;
    }
  }

  function systemLine(testid, text) {
    var el = h('div', { class: 'event-line', 'data-testid': testid }, h('span', {}, text));
    el._conv = state.convId;
    place(el, eventKey());
    return el;
  }

  function setEnded(ended) {
    if (ended === state.ended) return;
    state.ended = ended;
    var old = ui.messages.querySelector('[data-testid="conversation-ended"]');
    if (ended) {
      if (!old) systemLine('conversation-ended', 'This conversation has ended. Write a message to start a new one.');
      setQueue(null);
      setAgentTyping(false);
    } else if (old) {
      old.parentNode.removeChild(old);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Invitations
  // ---------------------------------------------------------------------------------------------

  function inviteText(kind) {
    return INVITE_TEXT[kind] || { ask: 'sends you an invitation', title: 'Invitation', active: 'Session in progress', icon: 'users' };
  }

  function onInvite(inv) {
    if (!inv || typeof inv.id !== 'string') return;
    if (inv.conversationId && inv.conversationId !== state.convId) {
      if (state.retired[inv.conversationId]) return;
      switchConversation(inv.conversationId, true);
    }
    var rec = state.invites[inv.id];
    if (!rec) {
      if (inv.state !== 'pending' && inv.state !== 'accepted') {
        // An update of an invite we never saw (we were away): nothing to show but the end of a session.
        state.invites[inv.id] = { invite: inv, el: null };
        renderActive();
        return;
      }
      rec = state.invites[inv.id] = { invite: inv, el: null };
      rec.el = h('div', { class: 'invite', 'data-testid': 'invite', role: 'group' });
      rec.el._conv = state.convId;
      place(rec.el, eventKey());
    }
    rec.invite = inv;
    renderInvite(rec);
    renderActive();
  }

  function renderInvite(rec) {
    var inv = rec.invite;
    var el = rec.el;
    if (!el) return;
    var t = inviteText(inv.kind);
    var who = state.assignee || 'The agent';
    el.setAttribute('data-invite-id', inv.id);
    el.setAttribute('data-kind', String(inv.kind));
    el.setAttribute('data-state', String(inv.state));
    el.setAttribute('aria-label', t.title + ' invitation');
    el.textContent = '';
    var head = h('div', { class: 'invite-head' },
      h('span', { class: 'invite-icon' }, icon(t.icon)),
      h('div', { class: 'invite-text' },
        h('div', { class: 'invite-title' }, t.title),
        h('div', { class: 'invite-ask' }, who + ' ' + t.ask + '.')));
    el.appendChild(head);
    if (inv.state === 'pending') {
      var accept = h('button', {
        type: 'button', class: 'btn primary', 'data-testid': 'invite-accept',
        on: { click: function () { respondInvite(rec, true, accept, decline); } }
      }, 'Accept');
      var decline = h('button', {
        type: 'button', class: 'btn', 'data-testid': 'invite-decline',
        on: { click: function () { respondInvite(rec, false, accept, decline); } }
      }, 'Decline');
      el.appendChild(h('div', { class: 'invite-actions' }, accept, decline));
    } else {
      var label = inv.state === 'accepted' ? 'Accepted: ' + t.active.toLowerCase()
        : inv.state === 'declined' ? 'You declined this invitation'
          : 'This invitation has ended';
      el.appendChild(h('div', { class: 'invite-status' }, label));
    }
  }

  function respondInvite(rec, accept, b1, b2) {
    b1.disabled = true;
    b2.disabled = true;
    request({ type: 'invite.respond', inviteId: rec.invite.id, accept: accept })
      .then(function (result) {
        if (result && result.invite) onInvite(result.invite);
      })
      .catch(function (err) {
        if (err && err.code === 'conflict') {
          showBanner('This invitation is no longer open.');
        } else {
          showBanner(errorText(err));
          b1.disabled = false;
          b2.disabled = false;
        }
      });
  }

  function renderActive() {
    if (!ui.active) return;
    ui.active.textContent = '';
    var any = false;
    Object.keys(state.invites).forEach(function (id) {
      var inv = state.invites[id].invite;
      if (inv.state !== 'accepted') return;
      any = true;
      var t = inviteText(inv.kind);
      ui.active.appendChild(h('div', {
        class: 'invite-active', 'data-testid': 'invite-active', 'data-kind': String(inv.kind), 'data-invite-id': inv.id, role: 'status'
      }, h('span', { class: 'live-dot', 'aria-hidden': 'true' }), icon(t.icon), h('span', {}, t.active)));
    });
    ui.active.hidden = !any;
  }

  // ---------------------------------------------------------------------------------------------
  // Own messages: outbox, uploads, acks
  // ---------------------------------------------------------------------------------------------

  function onComposerKey(e) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      sendComposer();
    }
  }

  function autosize() {
    ui.composer.style.height = 'auto';
    ui.composer.style.height = Math.min(ui.composer.scrollHeight, 140) + 'px';
  }

  function onComposerInput() {
    autosize();
    var has = ui.composer.value.trim().length > 0;
    if (has) {
      var now = Date.now();
      if (!state.typingOn || now - state.typingSentAt > 3000) sendTyping(true);
      if (state.typingIdleTimer) clearTimeout(state.typingIdleTimer);
      state.typingIdleTimer = setTimeout(function () { sendTyping(false); }, 4000);
    } else {
      sendTyping(false);
    }
  }

  function sendTyping(on) {
    if (state.typingIdleTimer && !on) { clearTimeout(state.typingIdleTimer); state.typingIdleTimer = null; }
    if (!on && !state.typingOn) return;
    if (!state.ready || !state.socketConvId || state.ended) { state.typingOn = false; return; }
    state.typingOn = on;
    if (on) state.typingSentAt = Date.now();
    sendFrame({ type: 'typing', on: on });
  }

  function onComposerPaste(e) {
    var files = e.clipboardData && e.clipboardData.files;
    if (files && files.length) {
      e.preventDefault();
      Array.prototype.forEach.call(files, sendFile);
    }
  }

  function sendComposer() {
    var text = ui.composer.value;
    if (!text.trim()) { ui.composer.focus(); return; }
    ui.composer.value = '';
    autosize();
    sendTyping(false);
    queueMessage({ text: text });
    ui.composer.focus();
  }

  function onFilePicked() {
    var files = ui.fileInput.files ? Array.prototype.slice.call(ui.fileInput.files) : [];
    files.forEach(sendFile);
    ui.fileInput.value = '';
  }

  function sendFile(file) {
    if (!file) return;
    var kind = kindOfContentType(file.type);
    var item = newItem({ file: file, kind: kind });
    if (kind === 'image' || kind === 'video' || kind === 'audio') {
      try { item.localUrl = URL.createObjectURL(file); } catch (e) { item.localUrl = null; }
    }
    showOwn(item);
    pump();
  }

  function newItem(fields) {
    var item = {
      clientMsgId: uuid(),
      text: fields.text,
      payload: fields.payload,
      file: fields.file || null,
      kind: fields.kind || 'text',
      attachment: null,
      state: 'pending',
      inFlight: false,
      uploading: false,
      autoRetry: true,
      error: null,
      conversationId: null,
      seq: null,
      at: Date.now(),
      el: null
    };
    state.outbox.push(item);
    state.byClientId[item.clientMsgId] = item;
    return item;
  }

  function queueMessage(fields) {
    var item = newItem(fields);
    showOwn(item);
    pump();
  }

  /** The message object an own item stands for, for rendering. */
  function ownAsMessage(item) {
    var att = item.attachment || (item.file ? { name: item.file.name, size: item.file.size, contentType: item.file.type } : null);
    return {
      seq: item.seq, at: item.at, clientMsgId: item.clientMsgId, author: { type: 'customer' },
      kind: item.attachment ? kindOfContentType(item.attachment.contentType) : item.kind,
      text: item.file ? '' : item.text, attachment: att, payload: item.payload
    };
  }

  function showOwn(item) {
    var el = messageEl(ownAsMessage(item), item);
    el._own = item;
    item.el = el;
    if (item.payload && item.payload.flowId) el._flowAnswer = item.payload;
    place(el, pendingKey());
    scrollToBottom(true);
  }

  function rerenderOwn(item) {
    if (!item.el) return;
    var fresh = messageEl(ownAsMessage(item), item);
    fresh._own = item;
    fresh._sbKey = item.el._sbKey;
    fresh._conv = item.el._conv;
    fresh._flowAnswer = item.el._flowAnswer;
    if (item.el.parentNode) item.el.parentNode.replaceChild(fresh, item.el);
    item.el = fresh;
  }

  function setOwnState(item, st, error) {
    item.state = st;
    item.error = error || null;
    if (item.el) {
      item.el.setAttribute('data-state', st);
      updateMeta(item.el, item);
    }
  }

  /** Sends what can go: uploads first need a token; messages need a socket that said hello. In written order. */
  function pump() {
    for (var i = 0; i < state.outbox.length; i++) {
      var item = state.outbox[i];
      if (item.state !== 'pending' || item.inFlight) continue;
      if (item.file && !item.attachment) {
        if (!item.uploading && state.token) upload(item);
        continue;
      }
      if (!state.ready) continue;
      transmit(item);
    }
  }

  function transmit(item) {
    var frame = { type: 'message', clientMsgId: item.clientMsgId };
    if (item.attachment) {
      frame.attachmentId = item.attachment.id;
    } else {
      frame.text = item.text;
      if (item.payload) frame.payload = item.payload;
    }
    item.inFlight = true;
    request(frame).then(function (ack) {
      item.inFlight = false;
      confirmOwn(item, ack || {}, null);
    }, function (err) {
      item.inFlight = false;
      if (item.state === 'sent') return;
      if (err && err.code === 'closed') {
        // The socket went before the ack: failed for now, re-sent (same clientMsgId) after reconnecting.
        item.autoRetry = true;
        setOwnState(item, 'failed', 'Not sent yet, will retry');
        return;
      }
      item.autoRetry = false;
      var text = errorText(err);
      setOwnState(item, 'failed', text);
      showBanner(text);
      if (err && err.code === 'not_found' && item.attachment) item.attachment = null; // upload again on retry
    });
  }

  /** An own message is stored: ack (or history/echo carrying its clientMsgId). */
  function confirmOwn(item, ack, message) {
    var convId = typeof ack.conversationId === 'string' ? ack.conversationId : state.convId;
    if (convId && convId !== state.convId) {
      if (!state.retired[convId]) {
        switchConversation(convId, true);
      } else {
        // Stored in a conversation we have left: it is sent, but belongs to the old transcript.
        finishOwn(item);
        if (item.el && item.el.parentNode) item.el.parentNode.removeChild(item.el);
        return;
      }
    }
    if (convId) state.socketConvId = message ? state.socketConvId : convId;
    item.conversationId = convId;
    if (typeof ack.seq === 'number') item.seq = ack.seq;
    if (typeof ack.at === 'number') item.at = ack.at;
    if (message && message.attachment) item.attachment = message.attachment;
    finishOwn(item);
    if (typeof item.seq === 'number') {
      var existing = state.bySeq[item.seq];
      if (existing && existing !== item.el) {
        // Already shown (e.g. by history before the ack): keep one.
        if (existing.parentNode) existing.parentNode.removeChild(existing);
      }
      state.bySeq[item.seq] = item.el;
      if (item.seq > state.maxSeq) state.maxSeq = item.seq;
      item.el._conv = state.convId;
      item.el._at = item.at;
      item.el.setAttribute('data-seq', String(item.seq));
      if (item.el.parentNode) {
        item.el.parentNode.removeChild(item.el);
        place(item.el, item.seq);
      }
    }
    setOwnState(item, 'sent');
    if (state.ended) setEnded(false);
    // Our own message counts as read by us.
    if (typeof item.seq === 'number' && item.seq > state.readSeq && isReading()) markRead();
  }

  function finishOwn(item) {
    item.state = 'sent';
    var i = state.outbox.indexOf(item);
    if (i >= 0) state.outbox.splice(i, 1);
    if (item.file && item.attachment && item.attachment.url) {
      // Swap the local preview for the stored file (and a real download link).
      var old = item.localUrl;
      item.localUrl = null;
      item.state = 'sent';
      rerenderOwn(item);
      if (old) setTimeout(function () { try { URL.revokeObjectURL(old); } catch (e) { /* ignore */ } }, 1000);
    }
  }

  function retry(item) {
    if (item.state !== 'failed') return;
    item.autoRetry = true;
    setOwnState(item, 'pending');
    pump();
  }

  function discard(item) {
    var i = state.outbox.indexOf(item);
    if (i >= 0) state.outbox.splice(i, 1);
    delete state.byClientId[item.clientMsgId];
    if (item.el && item.el.parentNode) item.el.parentNode.removeChild(item.el);
    if (item.localUrl) { try { URL.revokeObjectURL(item.localUrl); } catch (e) { /* ignore */ } }
    ui.composer.focus();
  }

  function upload(item) {
    item.uploading = true;
    updateMeta(item.el, item);
    var form = new FormData();
    form.append('file', item.file, item.file.name || 'file');
    fetch(ORIGIN + '/api/attachments?token=' + encodeURIComponent(state.token), {
      method: 'POST', body: form, mode: 'cors', credentials: 'omit'
    }).then(function (res) {
      if (res.status === 413) throw { code: 'too_large' };
      if (res.status === 401) throw { code: 'unauthorized' };
      if (!res.ok) {
        return res.json().catch(function () { return {}; }).then(function (body) {
          throw { code: (body && body.error && body.error.code) || 'http_' + res.status, message: body && body.error && body.error.message };
        });
      }
      return res.json();
    }).then(function (att) {
      item.uploading = false;
      if (!att || typeof att.id !== 'string') throw { code: 'internal' };
      item.attachment = att;
      if (item.el) updateMeta(item.el, item);
      pump();
    }).catch(function (err) {
      item.uploading = false;
      var code = err && err.code;
      var text = code === 'too_large' ? 'File is too large'
        : code ? errorText(err) : 'The upload failed. Check your connection.';
      item.autoRetry = false;
      setOwnState(item, 'failed', text);
      showBanner(text);
    });
  }

  function errorText(err) {
    if (!err) return 'Something went wrong.';
    return ERROR_TEXT[err.code] || err.message || 'Something went wrong.';
  }

  // ---------------------------------------------------------------------------------------------
  // Socket
  // ---------------------------------------------------------------------------------------------

  function socketUrl() {
    var u = new URL(ORIGIN + '/ws/customer');
    u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
    u.searchParams.set('widget', KEY);
    if (state.token) u.searchParams.set('token', state.token);
    if (VISITOR_NAME) u.searchParams.set('name', VISITOR_NAME);
    if (VISITOR_EMAIL) u.searchParams.set('email', VISITOR_EMAIL);
    return u.href;
  }

  function connect() {
    if (state.disabled) return;
    state.reconnectTimer = null;
    if (!state.everOnline) setConnection('connecting');
    var ws;
    try {
      ws = new WebSocket(socketUrl());
    } catch (e) {
      console.error('Switchboard: cannot open the chat connection: ' + (e && e.message));
      scheduleReconnect();
      return;
    }
    state.ws = ws;
    ws._opened = false;
    ws.onopen = function () { ws._opened = true; };
    ws.onmessage = function (ev) {
      if (state.ws !== ws) return;
      var frame;
      try { frame = JSON.parse(ev.data); } catch (e) { return; }
      if (frame && typeof frame === 'object') onFrame(frame);
    };
    ws.onclose = function (ev) {
      if (state.ws !== ws) return;
      onClose(ws, ev);
    };
    ws.onerror = function () { /* onclose follows */ };
  }

  function onClose(ws, ev) {
    state.ws = null;
    state.ready = false;
    state.typingOn = false;
    state.sentReadSeq = 0;
    var refs = state.requests;
    state.requests = {};
    Object.keys(refs).forEach(function (r) { refs[r].reject({ code: 'closed' }); });
    state.outbox.forEach(function (item) { item.inFlight = false; });
    setAgentTyping(false);
    if (state.disabled) return;
    setConnection(state.everOnline ? 'offline' : 'connecting');
    if (!ws._opened) {
      // The handshake failed; browsers hide why, so ask the same URL over HTTP (not at every attempt: while the
      // server is simply down, each probe is one more failed request in the console).
      var n = state.attempt;
      var ask = n < 2 || n % 3 === 0 ? probe() : Promise.resolve('skipped');
      ask.then(function (why) {
        if (why === 'unknown_key') {
          disable('the widget key "' + KEY + '" is not known to ' + ORIGIN + '; the chat is disabled. Check data-widget.');
        } else if (why === 'bad_token') {
          // Our visitor is not known any more (e.g. the server's data was reset): start as a new visitor.
          console.warn('Switchboard: the stored visitor token was refused; starting a new chat session.');
          store.remove(TOKEN_KEY);
          state.token = null;
          switchConversation(null, false);
          scheduleReconnect(0);
        } else {
          scheduleReconnect();
        }
      });
      return;
    }
    if (ev && ev.code === 1008) {
      console.error('Switchboard: the server closed the chat connection (policy: ' + (ev.reason || 'too many frames') + ').');
      scheduleReconnect(60000);
      return;
    }
    scheduleReconnect();
  }

  /**
   * Why a handshake failed: browsers hide its HTTP status from scripts, so ask the public widget check,
   * which names an unknown key (404) and says whether the stored visitor token still counts.
   */
  function probe() {
    var url = ORIGIN + '/api/public/widgets/' + encodeURIComponent(KEY) +
      (state.token ? '?token=' + encodeURIComponent(state.token) : '');
    return fetch(url, { mode: 'cors', credentials: 'omit', cache: 'no-store' }).then(function (res) {
      if (res.status === 404) return 'unknown_key';
      if (!res.ok || !state.token) return 'other';
      return res.json().then(function (body) { return body.visitorKnown === false ? 'bad_token' : 'other'; });
    }).catch(function () { return 'network'; });
  }

  function scheduleReconnect(delay) {
    if (state.disabled || state.reconnectTimer) return;
    if (typeof delay !== 'number') delay = backoffDelay(state.attempt++);
    state.reconnectTimer = setTimeout(connect, delay);
  }

  function reconnectNow() {
    if (state.reconnectTimer) { clearTimeout(state.reconnectTimer); state.reconnectTimer = null; }
    if (!state.ws) connect();
  }

  function sendFrame(frame) {
    var ws = state.ws;
    if (!ws || ws.readyState !== 1) return false;
    try {
      ws.send(JSON.stringify(frame));
      return true;
    } catch (e) {
      return false;
    }
  }

  function request(frame) {
    return new Promise(function (resolve, reject) {
      state.refCounter += 1;
      var ref = 'w' + state.refCounter;
      frame.ref = ref;
      if (!state.ready || !sendFrame(frame)) {
        reject({ code: 'closed' });
        return;
      }
      state.requests[ref] = { resolve: resolve, reject: reject, type: frame.type };
    });
  }

  function onFrame(f) {
    if (f.type === 'ack' || (f.type === 'error' && f.ref)) {
      var req = state.requests[f.ref];
      if (!req) return;
      delete state.requests[f.ref];
      if (f.type === 'ack') req.resolve(f.result || {});
      else req.reject({ code: f.code, message: f.message });
      return;
    }
    switch (f.type) {
      case 'hello': onHello(f); break;
      // Another server node was lost and some events with it: read again from where we are.
      case 'resync': onResync(f); break;
      case 'message': showMessage(f.message); watchGap(); break;
      case 'typing':
        setAgentTyping(!!f.on, f.who && typeof f.who.name === 'string' ? f.who.name : null);
        break;
      case 'read':
        if (typeof f.seq === 'number') {
          state.agentReadSeq = Math.max(state.agentReadSeq || 0, f.seq);
          Array.prototype.forEach.call(ui.messages.querySelectorAll('[data-author="customer"][data-state="sent"]'), function (el) {
            updateMeta(el, el._own);
          });
        }
        break;
      case 'agent.joined': {
        var name = f.agent && typeof f.agent.name === 'string' && f.agent.name ? f.agent.name : 'An agent';
        state.assignee = name;
        updateSubtitle();
        setQueue(null);
        systemLine('agent-joined', name + ' joined the chat');
        break;
      }
      case 'queue.position':
        if (f.conversationId && f.conversationId !== state.convId) {
          if (state.retired[f.conversationId]) break;
          switchConversation(f.conversationId, true);
        }
        setQueue(f.position);
        break;
      case 'conversation.status':
        if (f.conversationId && f.conversationId !== state.convId) break;
        if (f.status === 'done') setEnded(true);
        else if (state.ended) setEnded(false);
        break;
      case 'invite':
      case 'invite.updated':
        onInvite(f.invite);
        break;
      case 'error':
        // Errors of frames sent without ref (typing, read): a read of a conversation just switched is harmless.
        if (f.code === 'conflict') break;
        showBanner(errorText(f));
        break;
      default:
        break; // version 1 may gain events: ignore what we do not know
    }
  }

  function onHello(f) {
    state.ready = true;
    state.everOnline = true;
    state.attempt = 0;
    setConnection('online');
    if (f.visitor && typeof f.visitor.token === 'string') {
      state.token = f.visitor.token;
      store.set(TOKEN_KEY, state.token);
    }
    var conv = f.conversation && typeof f.conversation.id === 'string' ? f.conversation : null;
    state.socketConvId = conv ? conv.id : null;
    catchUp(conv);
    // Unacknowledged messages go again, same clientMsgId, before anything new (the outbox is in order).
    state.outbox.forEach(function (item) {
      if (item.state === 'failed' && item.autoRetry) setOwnState(item, 'pending');
    });
    pump();
    markRead();
  }

  /**
   * Another server node was lost, maybe with some of our events. `conversation` is as the server
   * read it just before this frame (no event it lacks came before it); an ack of ours may be newer (a
   * message that opened a conversation the read did not see yet). So the screen follows it for the
   * conversation on screen, or when none is; otherwise what is missing of that one is read, and
   * nothing else moves.
   */
  function onResync(f) {
    if (!state.ready) return;
    var conv = f.conversation && typeof f.conversation.id === 'string' ? f.conversation : null;
    if (conv && (conv.id === state.convId || !state.convId)) catchUp(conv); // none on screen: one another tab opened
    else if (state.convId) loadHistoryFrom(state.convId, completeSeq());
  }

  /**
   * Brings the screen up to `conv`, the visitor's current conversation as the server says it now
   * (hello, resync), or null when it has none that is not done.
   */
  function catchUp(conv) {
    if (conv) {
      if (conv.id !== state.convId) {
        switchConversation(conv.id, false);
        loadHistoryFrom(conv.id, 0);
      } else {
        var complete = completeSeq();
        if (!(typeof conv.lastSeq === 'number' && conv.lastSeq <= complete)) loadHistoryFrom(conv.id, complete);
      }
      state.retired[conv.id] = false;
      if (conv.assignee && typeof conv.assignee.name === 'string') {
        state.assignee = conv.assignee.name;
        setQueue(null);
      } else if (conv.status === 'open') {
        state.assignee = null;
      }
      updateSubtitle();
      if (conv.status === 'done') setEnded(true);
      else if (state.ended) setEnded(false);
    } else if (state.convId && !state.ended) {
      // The conversation on screen is over (resolved while we were away): catch up on it, then say so.
      var id = state.convId;
      loadHistoryFrom(id, completeSeq(), function () { if (state.convId === id) setEnded(true); });
    }
  }

  /**
   * A message shown past a missing one: events may come out of order, so the missing one gets a
   * moment (our own, say, whose ack is still coming); still missing then, it is read (PROTOCOL.md).
   */
  function watchGap() {
    if (state.gapTimer || state.maxSeq <= completeSeq()) return;
    state.gapTimer = setTimeout(function () {
      state.gapTimer = null;
      var complete = completeSeq();
      if (state.maxSeq > complete) loadHistoryFrom(state.convId, complete);
    }, 2000);
  }

  /**
   * The highest seq up to which every message is on screen. Below the highest one shown there may be
   * a gap: a message whose event never came (a server node lost after storing it); reading after
   * this fills it, and what is shown already is not shown twice.
   */
  function completeSeq() {
    var seq = 0;
    while (state.bySeq[seq + 1]) seq++;
    return seq;
  }

  function loadHistoryFrom(convId, afterSeq, done) {
    if (!state.ready || !convId) return;
    request({ type: 'history', conversationId: convId, afterSeq: afterSeq, limit: 500 }).then(function (result) {
      if (state.convId !== convId) return;
      var list = result && Array.isArray(result.messages) ? result.messages : [];
      list.forEach(function (m) {
        if (!m.conversationId) m.conversationId = convId;
        showMessage(m);
      });
      if (list.length >= 500) {
        loadHistoryFrom(convId, list[list.length - 1].seq, done);
        return;
      }
      if (done) done();
      markRead();
    }, function (err) {
      if (err && err.code !== 'closed') console.warn('Switchboard: could not load the conversation history (' + err.code + ').');
    });
  }

  checkKey();
})();
