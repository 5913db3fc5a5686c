// dialogs.js -- modal dialogs (transfer, pickers) and toasts.
import { h, clear, debounce } from './dom.js';
import { get } from './api.js';
import { state, upsertConv } from './state.js';
import { icon } from './icons.js';

let toastBox = null;

export function toast(text, kind = 'info') {
  if (!toastBox) {
    toastBox = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.appendChild(toastBox);
  }
  const el = h('div', { class: 'toast toast-' + kind, testid: 'toast' }, text);
  toastBox.appendChild(el);
  setTimeout(() => { el.classList.add('leaving'); setTimeout(() => el.remove(), 300); }, 3500);
}

/** A modal shell: answers {root, body, footer, close}. */
function modal(testid, title, { wide = false } = {}) {
  const prevFocus = document.activeElement;
  const body = h('div', { class: 'modal-body' });
  const footer = h('div', { class: 'modal-footer' });
  const closeBtn = h('button', { class: 'modal-x', type: 'button', 'aria-label': 'Close' }, '\u00d7');
  const box = h('div', { class: 'modal' + (wide ? ' modal-wide' : ''), role: 'dialog', 'aria-modal': 'true', 'aria-label': title, testid },
    h('div', { class: 'modal-head' }, h('h2', null, title), closeBtn), body, footer);
  const root = h('div', { class: 'overlay' }, box);
  const close = () => {
    root.remove();
    document.removeEventListener('keydown', onKey, true);
    if (prevFocus && prevFocus.focus) prevFocus.focus();
  };
  const onKey = ev => { if (ev.key === 'Escape') { ev.preventDefault(); ev.stopPropagation(); close(); } };
  document.addEventListener('keydown', onKey, true);
  closeBtn.addEventListener('click', close);
  root.addEventListener('mousedown', ev => { if (ev.target === root) close(); });
  document.body.appendChild(root);
  return { root, box, body, footer, close };
}

const PRESENCE_LABEL = { online: 'Online', away: 'Away', offline: 'Offline' };

export async function openTransferDialog(conv, socket) {
  const m = modal('transfer-dialog', 'Transfer conversation', { wide: true });
  let choice = null; // {type:'agent'|'team', id, name}
  const agentsBox = h('div', { class: 'option-list' }, h('div', { class: 'muted' }, 'Loading agents\u2026'));
  const teamsBox = h('div', { class: 'option-list' }, h('div', { class: 'muted' }, 'Loading teams\u2026'));
  const comment = h('textarea', { class: 'input', testid: 'transfer-comment', rows: '3', maxlength: '10000',
    placeholder: 'Comment for the colleague (the customer does not see it)' });
  const error = h('div', { class: 'form-error', hidden: true, role: 'alert' });
  const submit = h('button', { class: 'btn btn-primary', type: 'button', testid: 'transfer-submit', disabled: true }, 'Transfer');
  const cancel = h('button', { class: 'btn', type: 'button', testid: 'transfer-cancel', on: { click: m.close } }, 'Cancel');
  m.body.append(
    h('div', { class: 'transfer-cols' },
      h('div', { class: 'transfer-col' }, h('h3', null, 'Agents'), agentsBox),
      h('div', { class: 'transfer-col' }, h('h3', null, 'Teams'), teamsBox)),
    h('label', { class: 'field-label' }, 'Comment'), comment, error);
  m.footer.append(cancel, submit);

  const options = [];
  const select = (opt, el) => {
    choice = opt;
    for (const o of options) o.classList.toggle('selected', o === el);
    for (const o of options) o.setAttribute('aria-pressed', o === el ? 'true' : 'false');
    submit.disabled = false;
    error.hidden = true;
  };

  // Every colleague with presence and load, every team with its online members, as the server counts them now.
  let directory = { agents: [], teams: [] };
  try { directory = (await get('/api/directory')) || directory; } catch { /* the lists say so below */ }
  for (const a of directory.agents) {
    const k = state.agents.get(a.id) || {};
    state.agents.set(a.id, { ...k, id: a.id, name: a.name, maxChats: a.maxChats });
    state.presence.set(a.id, a.status);
  }
  const agents = [...directory.agents].sort((a, b) => String(a.name).localeCompare(String(b.name)));
  clear(agentsBox, agents.length ? agents.map(a => {
    const p = a.status;
    const holds = !!(conv.assignee && a.id === conv.assignee.id);
    const el = h('button', { class: 'option', type: 'button', testid: 'transfer-agent', dataset: { id: a.id, presence: p }, 'aria-pressed': 'false',
      disabled: holds, title: holds ? 'Already holds this conversation' : null },
      h('span', { class: 'presence-dot presence-' + p, title: PRESENCE_LABEL[p] || p }),
      h('span', { class: 'option-name' }, a.name + (state.me && a.id === state.me.id ? ' (you)' : '')),
      h('span', { class: 'option-meta' }, (PRESENCE_LABEL[p] || p) + ' \u00b7 ' + `${a.load}/${a.maxChats}` + (holds ? ' \u00b7 assigned' : '')));
    el.addEventListener('click', () => select({ type: 'agent', id: a.id, name: a.name }, el));
    options.push(el);
    return el;
  }) : h('div', { class: 'muted' }, 'No agents could be listed.'));

  const teams = [...directory.teams].sort((a, b) => String(a.name).localeCompare(String(b.name)));
  clear(teamsBox, teams.length ? teams.map(t => {
    const el = h('button', { class: 'option', type: 'button', testid: 'transfer-team', dataset: { id: t.id }, 'aria-pressed': 'false' },
      h('span', { class: 'team-icon' }, icon('team', 16)),
      h('span', { class: 'option-name' }, t.name),
      h('span', { class: 'option-meta' }, (conv.team && conv.team.id === t.id ? 'current team \u00b7 ' : '') + `${t.online} online`));
    el.addEventListener('click', () => select({ type: 'team', id: t.id, name: t.name }, el));
    options.push(el);
    return el;
  }) : h('div', { class: 'muted' }, 'No teams could be listed.'));

  const send = (force) => {
    if (!choice) return;
    const fields = { conversationId: conv.id };
    if (choice.type === 'agent') fields.toAgentId = choice.id; else fields.toTeamId = choice.id;
    if (comment.value.trim()) fields.comment = comment.value.trim();
    if (force) fields.force = true;
    submit.disabled = true;
    socket.request('conversation.transfer', fields).then(r => {
      if (r.conversation) upsertConv(r.conversation);
      m.close();
      toast(`Transferred to ${choice.name}.`, 'ok');
    }, err => {
      submit.disabled = false;
      const forceBtn = h('button', { class: 'btn btn-warn', type: 'button', testid: 'transfer-force', on: { click: () => send(true) } }, 'Transfer anyway');
      if (err.code === 'conflict' && choice.type === 'agent' && !force) {
        clear(error, h('span', null, (err.message || 'The agent is away or at capacity.') + ' '), forceBtn);
      } else {
        clear(error, err.message || 'The transfer failed.');
      }
      error.hidden = false;
    });
  };
  submit.addEventListener('click', () => send(false));
}

/**
 * A searchable list. opts: {testid, title, placeholder, search: async q => [{id, title, sub}], onChoose(item)}
 */
export function openPicker(opts) {
  const m = modal('picker', opts.title);
  const input = h('input', { class: 'input', type: 'search', placeholder: opts.placeholder || 'Search', testid: 'picker-search', autocomplete: 'off' });
  const list = h('div', { class: 'picker-list', role: 'listbox' });
  if (opts.searchable === false) m.body.append(list); else m.body.append(input, list);
  let items = [];
  let active = 0;
  let seq = 0;
  const choose = it => { m.close(); opts.onChoose(it); };
  const paint = () => {
    if (!items.length) { clear(list, h('div', { class: 'muted' }, 'Nothing found.')); return; }
    clear(list, items.map((it, i) => h('button', {
      class: 'picker-option' + (i === active ? ' active' : ''), type: 'button', role: 'option', testid: 'picker-option',
      dataset: { id: it.id }, 'aria-selected': i === active ? 'true' : 'false', on: { click: () => choose(it) },
    }, h('span', { class: 'picker-title' }, it.title), it.sub ? h('span', { class: 'picker-sub' }, it.sub) : null)));
  };
  const run = async () => {
    const my = ++seq;
    clear(list, h('div', { class: 'muted' }, 'Searching\u2026'));
    try {
      const res = await opts.search(input.value.trim());
      if (my !== seq) return;
      items = res || [];
      active = 0;
      paint();
    } catch (e) {
      if (my === seq) clear(list, h('div', { class: 'form-error' }, e.message || 'Search failed.'));
    }
  };
  const later = debounce(run, 200);
  input.addEventListener('input', later);
  input.addEventListener('keydown', ev => {
    if (ev.key === 'ArrowDown') { ev.preventDefault(); active = Math.min(items.length - 1, active + 1); paint(); }
    else if (ev.key === 'ArrowUp') { ev.preventDefault(); active = Math.max(0, active - 1); paint(); }
    else if (ev.key === 'Enter') { ev.preventDefault(); if (items[active]) choose(items[active]); }
  });
  m.footer.append(h('button', { class: 'btn', type: 'button', testid: 'picker-cancel', on: { click: m.close } }, 'Cancel'));
  run();
  setTimeout(() => input.focus(), 0);
  return m;
}
