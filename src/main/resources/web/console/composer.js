// composer.js -- the reply box: text and notes, # text-block search, attachments, the action bar, own typing.
import { h, clear, debounce, visitorName } from './dom.js';
import { get, qs, upload } from './api.js';
import { state, canReply } from './state.js';
import { sendOwn } from './outbox.js';
import { openPicker, toast } from './dialogs.js';
import { icon } from './icons.js';

const ACTIONS = [
  { id: 'article', label: 'Send an article' },
  { id: 'image', label: 'Send an image', accept: 'image/*' },
  { id: 'video', label: 'Send a video', accept: 'video/*' },
  { id: 'flow', label: 'Send a flow' },
  { id: 'audio', label: 'Send an audio file', accept: 'audio/*' },
  { id: 'file', label: 'Send a file', accept: '' },
  { id: 'cobrowse', label: 'Ask for co-browsing', invite: true },
  { id: 'textblock', label: 'Send a text block' },
  { id: 'call', label: 'Request a call', invite: true },
  { id: 'video_call', label: 'Request a video call', invite: true },
  { id: 'desktop_request', label: 'Request the customer\u2019s desktop', invite: true },
  { id: 'screen_share', label: 'Show my screen', invite: true },
  { id: 'conference', label: 'Invite to a conference', invite: true },
];

export function createComposer({ socket, sendInvite }) {
  let view = null;
  const drafts = new Map();
  let fileKind = null; // forced kind for the next chosen file, or null: by content type
  let typingSentAt = 0;
  let typingOn = false;
  let typingTimer = null;
  let tb = { open: false, items: [], active: 0, start: 0, end: 0, seq: 0 };

  const textarea = h('textarea', { class: 'composer-input', testid: 'composer', rows: '3', placeholder: 'Write a reply\u2026 (# for text blocks)', 'aria-label': 'Message' });
  const notesSwitch = h('input', { type: 'checkbox', testid: 'notes-switch', class: 'switch-input' });
  const notesLabel = h('label', { class: 'switch', title: 'Internal note: only your team sees it' }, notesSwitch, h('span', { class: 'switch-text' }, 'Note'));
  const sendBtn = h('button', { class: 'btn btn-primary send-btn', type: 'button', testid: 'send' }, 'Send');
  const fileInput = h('input', { type: 'file', testid: 'file-input', class: 'visually-hidden', tabindex: '-1', 'aria-hidden': 'true' });
  const attachBtn = h('button', { class: 'icon-btn', type: 'button', testid: 'attach', title: 'Attach a file', 'aria-label': 'Attach a file' }, icon('attach'));
  const hint = h('div', { class: 'composer-hint', testid: 'composer-hint', hidden: true });
  const upload_ = h('div', { class: 'composer-upload', hidden: true });
  const results = h('div', { class: 'textblock-results', testid: 'textblock-results', role: 'listbox', hidden: true });
  const actionButtons = ACTIONS.map(a => h('button', { class: 'icon-btn action', type: 'button', testid: 'action-' + a.id, title: a.label, 'aria-label': a.label,
    on: { click: () => runAction(a) } }, icon(a.id)));
  const actionBar = h('div', { class: 'action-bar', role: 'toolbar', 'aria-label': 'Special messages and invitations' }, attachBtn, actionButtons);
  const root = h('div', { class: 'composer' },
    results, hint, upload_,
    h('div', { class: 'composer-box' }, textarea),
    h('div', { class: 'composer-bar' }, notesLabel, actionBar, h('span', { class: 'spacer' }), fileInput, sendBtn));

  // ------------------------------------------------------------------ state

  function allowedToReply() {
    const c = view && view.summary;
    return !!c && canReply(c) && c.status !== 'done';
  }

  function refresh() {
    const notes = notesSwitch.checked;
    const c = view && view.summary;
    const reply = allowedToReply();
    root.classList.toggle('note-mode', notes);
    textarea.placeholder = notes ? 'Write an internal note \u2014 the customer does not see this' : 'Write a reply\u2026 (# for text blocks, Shift+Enter for a new line)';
    const canType = notes || reply;
    textarea.disabled = !canType;
    sendBtn.disabled = !canType;
    sendBtn.textContent = notes ? 'Add note' : 'Send';
    attachBtn.disabled = !reply || notes;
    for (const b of actionButtons) b.disabled = !reply || notes;
    if (!reply && !notes && c) {
      hint.hidden = false;
      clear(hint, c.status === 'done' && canReply(c)
        ? 'This conversation is done. Set its status to Open to reply. Notes stay allowed.'
        : 'Assign to me to reply. You can still write an internal note.');
    } else hint.hidden = true;
  }

  function setView(v) {
    if (view && view !== v && view.id !== (v && v.id)) {
      drafts.set(view.id, textarea.value);
      stopTyping();
      closeResults();
    }
    const changed = !view || !v || view.id !== v.id;
    view = v;
    if (changed && v) textarea.value = drafts.get(v.id) || '';
    refresh();
  }

  function mount(el) {
    el.appendChild(root);
  }

  // ------------------------------------------------------------------ sending

  function send() {
    if (!view) return;
    const text = textarea.value;
    if (!text.trim()) return;
    if (notesSwitch.checked) {
      sendOwn('note', view.id, { text }, { text });
    } else {
      if (!allowedToReply()) { toast('Assign to me to reply.', 'warn'); return; }
      sendOwn('message', view.id, { kind: 'text', text }, { kind: 'text', text });
      stopTyping();
    }
    textarea.value = '';
    drafts.delete(view.id);
    closeResults();
    textarea.focus();
  }

  function sendTyping(on) {
    if (!view) return;
    socket.send({ type: 'typing', conversationId: view.id, on });
  }

  function stopTyping() {
    clearTimeout(typingTimer);
    if (typingOn) { sendTyping(false); typingOn = false; }
  }

  function onTypingInput() {
    if (notesSwitch.checked || !allowedToReply()) return;
    const now = Date.now();
    if (!typingOn || now - typingSentAt > 2500) {
      sendTyping(true);
      typingOn = true;
      typingSentAt = now;
    }
    clearTimeout(typingTimer);
    typingTimer = setTimeout(stopTyping, 3000);
    if (!textarea.value) stopTyping();
  }

  // ------------------------------------------------------------------ # text blocks

  function fill(body) {
    const vis = (view && view.summary && view.summary.visitor) || {};
    return String(body)
      .replace(/\{\{\s*customer\.name\s*\}\}/g, vis.name || '')
      .replace(/\{\{\s*customer\.email\s*\}\}/g, vis.email || '')
      .replace(/\{\{\s*agent\.name\s*\}\}/g, (state.me && state.me.name) || '');
  }

  function searchBlocks(q) {
    if (socket.isOpen) return socket.request('textblocks.search', { q }).then(r => r.results || []);
    return get('/api/text-blocks' + qs({ q })).then(r => (r && r.results) || []);
  }

  const runSearch = debounce(q => {
    const my = ++tb.seq;
    searchBlocks(q).then(items => {
      if (my !== tb.seq || !tb.open) return;
      tb.items = items;
      tb.active = 0;
      paintResults();
    }).catch(() => {
      if (my === tb.seq) { tb.items = []; paintResults('Text blocks cannot be searched right now.'); }
    });
  }, 150);

  function detectHash() {
    const caret = textarea.selectionStart;
    if (caret !== textarea.selectionEnd) { closeResults(); return; }
    const before = textarea.value.slice(0, caret);
    const m = /(^|\s)#([^\s#]{0,40})$/.exec(before);
    if (!m) { closeResults(); return; }
    const q = m[2];
    tb.start = caret - q.length - 1;
    tb.end = caret;
    if (!tb.open || tb.q !== q) {
      tb.open = true;
      tb.q = q;
      results.hidden = false;
      if (!tb.items.length) paintResults('Searching\u2026');
      runSearch(q);
    }
  }

  function paintResults(message) {
    if (!tb.open) return;
    if (message || !tb.items.length) {
      clear(results, h('div', { class: 'tb-empty' }, message || (tb.q ? `No text block matches \u201c${tb.q}\u201d.` : 'No text block yet.')));
      return;
    }
    clear(results,
      h('div', { class: 'tb-head' }, 'Text blocks \u2014 \u2191\u2193 to choose, Enter to insert'),
      tb.items.map((b, i) => h('div', {
        class: 'textblock-option' + (i === tb.active ? ' active' : ''), role: 'option', testid: 'textblock-option',
        dataset: { id: b.id }, 'aria-selected': i === tb.active ? 'true' : 'false',
        on: { mousedown: ev => { ev.preventDefault(); chooseBlock(b); } },
      },
      h('div', { class: 'tb-top' }, h('span', { class: 'tb-shortcut' }, '#' + b.shortcut), h('span', { class: 'tb-title' }, b.title)),
      h('div', { class: 'tb-body' }, b.body))));
    const act = results.querySelector('.textblock-option.active');
    if (act && act.scrollIntoView) act.scrollIntoView({ block: 'nearest' });
  }

  function chooseBlock(b) {
    const body = fill(b.body);
    const v = textarea.value;
    textarea.value = v.slice(0, tb.start) + body + v.slice(tb.end);
    const caret = tb.start + body.length;
    closeResults();
    textarea.focus();
    textarea.setSelectionRange(caret, caret);
  }

  function closeResults() {
    tb.open = false;
    tb.items = [];
    tb.q = null;
    tb.seq++;
    runSearch.cancel();
    results.hidden = true;
    clear(results);
  }

  // ------------------------------------------------------------------ files and actions

  function chooseFile(kind, accept) {
    fileKind = kind;
    fileInput.setAttribute('accept', accept || '');
    fileInput.value = '';
    fileInput.click();
  }

  function kindFor(contentType) {
    const t = String(contentType || '');
    if (t.startsWith('image/')) return 'image';
    if (t.startsWith('video/')) return 'video';
    if (t.startsWith('audio/')) return 'audio';
    return 'file';
  }

  async function sendFiles(files) {
    const v = view;
    if (!v) return;
    for (const file of files) {
      upload_.hidden = false;
      clear(upload_, h('span', { class: 'spinner', 'aria-hidden': 'true' }), 'Uploading ' + file.name + '\u2026');
      try {
        const a = await upload(file);
        let kind = kindFor(a.contentType);
        if (fileKind === 'file') kind = 'file';
        else if (fileKind && fileKind !== kind) toast(`${file.name} is not ${fileKind === 'image' ? 'an image' : 'a ' + fileKind} file; sent as ${kind}.`, 'warn');
        sendOwn('message', v.id, { kind, attachmentId: a.id }, { kind, attachment: a });
      } catch (e) {
        toast(e.code === 'too_large' ? `${file.name} is too large.` : `${file.name} could not be uploaded: ${e.message}`, 'warn');
      }
    }
    upload_.hidden = true;
    fileKind = null;
  }

  function runAction(a) {
    if (!view || !allowedToReply()) { toast('Assign to me to reply.', 'warn'); return; }
    const v = view;
    if (a.invite) { sendInvite(a.id); return; }
    if ('accept' in a) { chooseFile(a.id, a.accept); return; }
    if (a.id === 'article') {
      openPicker({
        title: 'Send an article', placeholder: 'Search articles',
        search: q => get('/api/articles' + qs({ q })).then(r => ((r && r.results) || []).map(x => ({
          id: x.id, title: x.title, sub: String(x.body || '').replace(/\s+/g, ' ').slice(0, 120), data: x }))),
        onChoose: it => sendOwn('message', v.id, { kind: 'article', payload: { articleId: it.id } },
          { kind: 'article', payload: { articleId: it.id, title: it.data.title, url: it.data.url || null, snippet: String(it.data.body || '').replace(/\s+/g, ' ').slice(0, 200) } }),
      });
    } else if (a.id === 'flow') {
      let cache = null;
      openPicker({
        title: 'Send a flow', placeholder: 'Filter flows',
        search: async q => {
          if (!cache) cache = ((await get('/api/flows')) || {}).flows || [];
          const ql = q.toLowerCase();
          return cache.filter(f => !ql || f.title.toLowerCase().includes(ql)).map(f => ({
            id: f.id, title: f.title, sub: (f.options || []).map(o => o.label).join(' \u00b7 '), data: f }));
        },
        onChoose: it => sendOwn('message', v.id, { kind: 'flow', payload: { flowId: it.id } },
          { kind: 'flow', text: it.data.title, payload: { flowId: it.id, title: it.data.title, options: it.data.options || [] } }),
      });
    } else if (a.id === 'textblock') {
      openPicker({
        title: 'Send a text block', placeholder: 'Search text blocks',
        search: q => searchBlocks(q).then(list => list.map(b => ({ id: b.id, title: '#' + b.shortcut + ' \u2014 ' + b.title, sub: b.body, data: b }))),
        onChoose: it => sendOwn('message', v.id, { kind: 'textblock', payload: { textBlockId: it.id } },
          { kind: 'textblock', text: fill(it.data.body), payload: { textBlockId: it.id, shortcut: it.data.shortcut } }),
      });
    }
  }

  // ------------------------------------------------------------------ wiring

  textarea.addEventListener('keydown', ev => {
    if (tb.open && tb.items.length) {
      if (ev.key === 'ArrowDown') { ev.preventDefault(); tb.active = (tb.active + 1) % tb.items.length; paintResults(); return; }
      if (ev.key === 'ArrowUp') { ev.preventDefault(); tb.active = (tb.active - 1 + tb.items.length) % tb.items.length; paintResults(); return; }
      if (ev.key === 'Enter' || ev.key === 'Tab') { ev.preventDefault(); chooseBlock(tb.items[tb.active]); return; }
    }
    if (tb.open && ev.key === 'Escape') { ev.preventDefault(); closeResults(); return; }
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); send(); }
  });
  textarea.addEventListener('input', () => { detectHash(); onTypingInput(); if (view) drafts.set(view.id, textarea.value); });
  textarea.addEventListener('click', detectHash);
  textarea.addEventListener('blur', () => setTimeout(() => { if (document.activeElement !== textarea) closeResults(); }, 150));
  sendBtn.addEventListener('click', send);
  notesSwitch.addEventListener('change', () => { if (notesSwitch.checked) stopTyping(); refresh(); textarea.focus(); });
  attachBtn.addEventListener('click', () => { if (allowedToReply()) chooseFile(null, ''); });
  fileInput.addEventListener('change', () => { const files = [...(fileInput.files || [])]; if (files.length) sendFiles(files); });
  // Files dropped on the composer are sent like attached ones.
  root.addEventListener('dragover', ev => { if (allowedToReply() && !notesSwitch.checked) { ev.preventDefault(); root.classList.add('drop'); } });
  root.addEventListener('dragleave', () => root.classList.remove('drop'));
  root.addEventListener('drop', ev => {
    root.classList.remove('drop');
    if (!allowedToReply() || notesSwitch.checked) return;
    ev.preventDefault();
    const files = [...((ev.dataTransfer && ev.dataTransfer.files) || [])];
    if (files.length) { fileKind = null; sendFiles(files); }
  });

  return { mount, setView, refresh, visitorName };
}
