// inbox.js -- the tabs (Unassigned, Mine, Team, Done) and the conversation list.
import { h, clear, fmtTime, preview, visitorName, initials } from './dom.js';
import { state, bus, tabOf, isUnread, readMark } from './state.js';

const TABS = [
  { id: 'unassigned', label: 'Unassigned' },
  { id: 'mine', label: 'Mine' },
  { id: 'team', label: 'Team' },
  { id: 'done', label: 'Done' },
];

let tabsEl, listEl, emptyEl;
let openHandler = () => {};
const tabButtons = new Map();

export function initInbox(root, onOpen) {
  openHandler = onOpen;
  tabsEl = h('div', { class: 'tabs', role: 'tablist' });
  for (const t of TABS) {
    const count = h('span', { class: 'count', testid: 'count' }, '0');
    const b = h('button', { class: 'tab', type: 'button', role: 'tab', testid: 'tab-' + t.id, dataset: { tab: t.id },
      on: { click: () => selectTab(t.id) } }, h('span', { class: 'tab-label' }, t.label), count);
    tabButtons.set(t.id, { b, count });
    tabsEl.appendChild(b);
  }
  listEl = h('div', { class: 'conv-list', testid: 'conversation-list', role: 'list' });
  emptyEl = h('div', { class: 'list-empty' });
  clear(root, tabsEl, listEl);
  bus.on('convs', render);
  bus.on('open', render);
  render();
}

export function selectTab(id) {
  state.tab = id;
  render();
}

function lastAt(c) { return (c.lastMessage && c.lastMessage.at) || c.createdAt || 0; }

function render() {
  if (!listEl) return;
  const groups = { unassigned: [], mine: [], team: [], done: [] };
  for (const c of state.convs.values()) {
    const t = tabOf(c);
    if (t) groups[t].push(c);
  }
  for (const t of TABS) {
    const { b, count } = tabButtons.get(t.id);
    const n = groups[t.id].filter(isUnread).length;
    count.textContent = String(n);
    count.classList.toggle('zero', n === 0);
    b.classList.toggle('active', state.tab === t.id);
    b.setAttribute('aria-selected', state.tab === t.id ? 'true' : 'false');
  }
  const items = groups[state.tab] || [];
  if (state.tab === 'unassigned') items.sort((a, b) => (a.createdAt || 0) - (b.createdAt || 0));
  else items.sort((a, b) => lastAt(b) - lastAt(a));
  if (!items.length) {
    clear(emptyEl, {
      unassigned: 'No conversation is waiting. New ones ring here.',
      mine: 'Nothing assigned to you right now.',
      team: 'Your teams have no conversation with a colleague.',
      done: 'No resolved conversation yet.',
    }[state.tab]);
    clear(listEl, emptyEl);
    return;
  }
  clear(listEl, items.map(item));
}

function item(c) {
  const unread = isUnread(c);
  const name = visitorName(c.visitor);
  const meta = [];
  if (state.tab === 'team' && c.assignee) meta.push(c.assignee.name || 'Colleague');
  if (c.team) meta.push(c.team.name);
  if (c.status === 'pending') meta.push('Pending');
  return h('div', {
    class: 'conv-item' + (unread ? ' is-unread' : '') + (state.openId === c.id ? ' is-open' : ''),
    role: 'listitem', tabindex: '0', testid: 'conversation-item', dataset: { id: c.id, status: c.status },
    on: {
      click: () => openHandler(c.id),
      keydown: ev => { if (ev.key === 'Enter') openHandler(c.id); },
    },
  },
  h('div', { class: 'avatar', 'aria-hidden': 'true' }, initials(name)),
  h('div', { class: 'conv-main' },
    h('div', { class: 'conv-top' },
      h('span', { class: 'conv-name' }, name),
      h('span', { class: 'conv-time' }, fmtTime(lastAt(c)))),
    h('div', { class: 'conv-bottom' },
      h('span', { class: 'conv-preview' }, c.lastMessage ? preview(c.lastMessage) : 'No message yet'),
      unread ? h('span', { class: 'unread', testid: 'unread', title: 'Unread' }, unreadLabel(c)) : null),
    meta.length ? h('div', { class: 'conv-meta' }, meta.join(' \u00b7 ')) : null));
}

function unreadLabel(c) {
  const n = (c.lastSeq || 0) - readMark(c.id);
  return n > 99 ? '99+' : String(Math.max(1, n));
}
