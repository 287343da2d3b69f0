// Line icons drawn with createElementNS (no markup parsing). Each is decorative: the control that
// holds it carries the accessible name.
import { safeUrl } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';

const SHAPES = {
  upload: [['path', { d: 'M12 16V4' }], ['path', { d: 'M7 9l5-5 5 5' }], ['path', { d: 'M4 16v3a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-3' }]],
  image: [['rect', { x: 3, y: 4, width: 18, height: 16, rx: 2 }], ['circle', { cx: 9, cy: 10, r: 2 }], ['path', { d: 'M21 16l-5-5-9 9' }]],
  trash: [['path', { d: 'M4 7h16' }], ['path', { d: 'M10 11v6M14 11v6' }], ['path', { d: 'M6 7l1 13h10l1-13' }], ['path', { d: 'M9 7V4h6v3' }]],
  retry: [['path', { d: 'M20 11a8 8 0 1 0-2.3 5.7' }], ['path', { d: 'M20 4v7h-7' }]],
  alert: [['circle', { cx: 12, cy: 12, r: 9 }], ['path', { d: 'M12 7v6' }], ['path', { d: 'M12 16.5v.5' }]],
  close: [['path', { d: 'M6 6l12 12M18 6L6 18' }]],
  signout: [['path', { d: 'M15 4h3a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-3' }], ['path', { d: 'M10 17l-5-5 5-5' }], ['path', { d: 'M5 12h11' }]],
  external: [['path', { d: 'M14 4h6v6' }], ['path', { d: 'M20 4l-9 9' }], ['path', { d: 'M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5' }]],
  check: [['path', { d: 'M5 12.5l4.5 4.5L19 7' }]],
  user: [['circle', { cx: 12, cy: 8, r: 4 }], ['path', { d: 'M4 20c1.5-4 4.5-6 8-6s6.5 2 8 6' }]],
};

export function icon(name, className = 'icon') {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', className);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const [tag, attrs] of SHAPES[name] || []) {
    const shape = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs)) {
      shape.setAttribute(key, String(value));
    }
    svg.append(shape);
  }
  return svg;
}

/** An <img> whose src is checked to be of this origin. */
export function picture(src, alt, className) {
  const img = document.createElement('img');
  img.src = safeUrl(src);
  img.alt = alt;
  if (className) {
    img.className = className;
  }
  img.decoding = 'async';
  return img;
}
