// icons.js -- small line icons drawn as inline SVG through the DOM (no icon font, no files, CSP-safe).
const NS = 'http://www.w3.org/2000/svg';

// Each icon: a list of [tag, attributes] on a 24x24 grid, stroked with currentColor.
const ICONS = {
  article: [['path', { d: 'M14 3H6a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V9z' }], ['path', { d: 'M14 3v6h6' }], ['path', { d: 'M8 13h8M8 17h6' }]],
  image: [['rect', { x: 3, y: 3, width: 18, height: 18, rx: 2 }], ['circle', { cx: 8.5, cy: 8.5, r: 1.5 }], ['path', { d: 'M21 15l-5-5L5 21' }]],
  video: [['rect', { x: 2, y: 4, width: 20, height: 16, rx: 2 }], ['path', { d: 'M10 9l5 3-5 3z' }]],
  flow: [['circle', { cx: 6, cy: 6, r: 2.5 }], ['circle', { cx: 18, cy: 6, r: 2.5 }], ['circle', { cx: 12, cy: 18, r: 2.5 }], ['path', { d: 'M6 8.5v1.5a3 3 0 0 0 3 3h6a3 3 0 0 0 3-3V8.5M12 13v2.5' }]],
  audio: [['path', { d: 'M9 18V5l12-2v13' }], ['circle', { cx: 6, cy: 18, r: 3 }], ['circle', { cx: 18, cy: 16, r: 3 }]],
  file: [['path', { d: 'M13 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V9z' }], ['path', { d: 'M13 2v7h7' }]],
  cobrowse: [['path', { d: 'M4 4l7 16 2.5-6.5L20 11z' }], ['path', { d: 'M14 14l5 5' }]],
  textblock: [['path', { d: 'M5 9h14M5 15h14M10 3L8 21M16 3l-2 18' }]],
  call: [['path', { d: 'M22 16.9v3a2 2 0 0 1-2.2 2 19.8 19.8 0 0 1-8.6-3.1 19.5 19.5 0 0 1-6-6A19.8 19.8 0 0 1 2.1 4.2 2 2 0 0 1 4.1 2h3a2 2 0 0 1 2 1.7c.1.9.4 1.8.7 2.7a2 2 0 0 1-.5 2.1L8 9.8a16 16 0 0 0 6 6l1.3-1.3a2 2 0 0 1 2.1-.4c.9.3 1.8.6 2.7.7a2 2 0 0 1 1.7 2z' }]],
  video_call: [['rect', { x: 2, y: 6, width: 14, height: 12, rx: 2 }], ['path', { d: 'M16 10l6-4v12l-6-4' }]],
  desktop_request: [['rect', { x: 2, y: 3, width: 20, height: 14, rx: 2 }], ['path', { d: 'M8 21h8M12 17v4' }], ['path', { d: 'M9 10l3 3 3-3M12 6v7' }]],
  screen_share: [['rect', { x: 2, y: 3, width: 20, height: 14, rx: 2 }], ['path', { d: 'M8 21h8M12 17v4' }], ['path', { d: 'M9 9l3-3 3 3M12 6v7' }]],
  conference: [['circle', { cx: 9, cy: 8, r: 3.5 }], ['path', { d: 'M2 20c0-3.5 3-6 7-6s7 2.5 7 6' }], ['path', { d: 'M16 4.5a3.5 3.5 0 0 1 0 7M18.5 14.5c2 .8 3.5 2.8 3.5 5.5' }]],
  attach: [['path', { d: 'M21.4 11.1l-9.2 9.2a6 6 0 0 1-8.5-8.5l9.2-9.2a4 4 0 0 1 5.7 5.7l-9.2 9.2a2 2 0 0 1-2.8-2.8l8.5-8.5' }]],
  transfer: [['path', { d: 'M16 3l4 4-4 4M20 7H4M8 21l-4-4 4-4M4 17h16' }]],
  check: [['path', { d: 'M20 6L9 17l-5-5' }]],
  bell: [['path', { d: 'M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9' }], ['path', { d: 'M13.7 21a2 2 0 0 1-3.4 0' }]],
  chat: [['path', { d: 'M21 11.5a8.4 8.4 0 0 1-9 8.4 9 9 0 0 1-4-.9L3 21l1.9-5A8.4 8.4 0 0 1 12 3a8.5 8.5 0 0 1 9 8.5z' }]],
  lock: [['rect', { x: 4, y: 11, width: 16, height: 10, rx: 2 }], ['path', { d: 'M8 11V7a4 4 0 0 1 8 0v4' }]],
  paper: [['path', { d: 'M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8z' }], ['path', { d: 'M14 2v6h6' }]],
  team: [['circle', { cx: 9, cy: 8, r: 3.5 }], ['path', { d: 'M2 20c0-3.5 3-6 7-6s7 2.5 7 6' }], ['path', { d: 'M16 4.5a3.5 3.5 0 0 1 0 7M18.5 14.5c2 .8 3.5 2.8 3.5 5.5' }]],
};

export function icon(name, size = 18) {
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('fill', 'none');
  svg.setAttribute('stroke', 'currentColor');
  svg.setAttribute('stroke-width', '2');
  svg.setAttribute('stroke-linecap', 'round');
  svg.setAttribute('stroke-linejoin', 'round');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', 'icon icon-' + name);
  for (const [tag, attrs] of ICONS[name] || []) {
    const el = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    svg.appendChild(el);
  }
  return svg;
}
