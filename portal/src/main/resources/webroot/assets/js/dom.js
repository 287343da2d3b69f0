// Builds DOM from data without ever parsing markup: text goes in through textContent, attributes
// through setAttribute after a check, listeners through addEventListener. Nothing here accepts
// HTML, so a name like <img src=x onerror=alert(1)> can only ever be shown as text.

const REFUSED_ATTRIBUTE = /^(on|style$|srcdoc$|formaction$)/i;

/** A same-origin path (or a blob: URL made by this page) for href/src; anything else throws. */
export function safeUrl(value) {
  const text = String(value);
  if (text.startsWith('blob:')) {
    return text;
  }
  const url = new URL(text, window.location.origin);
  if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === window.location.origin) {
    return url.pathname + url.search + url.hash;
  }
  throw new Error('refused a URL that is not of this origin');
}

/**
 * h('button', {class: 'button', type: 'button', onClick: fn}, 'Text', childNode)
 * Props: class, text, dataset, on<Event> (listener), href/src (checked by safeUrl), anything else as
 * an attribute (true = present, false/null/undefined = absent). style and on* attributes are refused.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  setProps(el, props);
  append(el, ...children);
  return el;
}

export function setProps(el, props) {
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (key === 'class') {
      el.className = value;
    } else if (key === 'text') {
      el.textContent = String(value);
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (/^on[A-Z]/.test(key) && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (REFUSED_ATTRIBUTE.test(key)) {
      throw new Error('refused attribute ' + key);
    } else if (key === 'href' || key === 'src') {
      el.setAttribute(key, safeUrl(value));
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
  return el;
}

/** Appends nodes and strings (as text); null, undefined and false are skipped; arrays are flattened. */
export function append(parent, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

let uid = 0;
/** A document-unique id for label/aria wiring. */
export function nextId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** Bytes as people read them: 512 B, 34 KB, 2.4 MB. */
export function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) {
    return '';
  }
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

export function formatDate(iso, options = { dateStyle: 'long' }) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : new Intl.DateTimeFormat(undefined, options).format(date);
}
