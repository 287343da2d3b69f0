// The messages of a topic, newest first, and the detail of the one chosen. Each row is a button;
// Up and Down move between rows. Values are shown as text only (the server has masked e-mails).
import { h, clear } from '../dom.js';
import { icon } from '../icons.js';

const MAX_ROWS = 300;
const PREVIEW_CHARS = 160;

const idOf = (item) => `${item.partition}:${item.offset}`;

/** Newest first: by time, then by partition and offset for events of the same millisecond. */
export function newestFirst(a, b) {
  const t = Date.parse(b.timestamp) - Date.parse(a.timestamp);
  if (t) {
    return t;
  }
  return a.partition !== b.partition ? b.partition - a.partition : b.offset - a.offset;
}

export function eventType(item) {
  return (item.headers && item.headers.ce_type) || 'event';
}

/** A dotted name (shutterbus.user.registered.v1) that may wrap after its dots, never inside a word. */
export function dotted(name) {
  const parts = String(name).split('.');
  return parts.flatMap((part, i) => (i < parts.length - 1 ? [`${part}.`, h('wbr')] : [part]));
}

/** The value as people read it: JSON pretty-printed, anything else as it came. */
export function prettyValue(value) {
  if (value === null || value === undefined) {
    return '(no value)';
  }
  if (typeof value === 'string') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2);
}

function preview(value) {
  const text = value === null || value === undefined ? '(no value)'
    : typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
}

const sameDay = (a, b) => a.toDateString() === b.toDateString();

export function shortTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return '';
  }
  const options = { hour: '2-digit', minute: '2-digit', second: '2-digit' };
  if (!sameDay(date, new Date())) {
    Object.assign(options, { month: 'short', day: 'numeric' });
  }
  return new Intl.DateTimeFormat(undefined, options).format(date);
}

function longTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso
    : new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' }).format(date);
}

export class EventList {
  /** onOpen(item, row) when a row is chosen. */
  constructor({ labelledBy, onOpen }) {
    this.rows = new Map(); // partition:offset -> {item, el}
    this.onOpen = onOpen;
    this.selected = null;
    this.el = h('ul', { class: 'event-list', id: 'event-list', 'aria-labelledby': labelledBy });
    this.el.addEventListener('keydown', (event) => this.arrows(event));
  }

  get size() {
    return this.rows.size;
  }

  has(item) {
    return this.rows.has(idOf(item));
  }

  /** Shows exactly these events. */
  replace(items) {
    this.rows.clear();
    clear(this.el);
    const sorted = [...items].sort(newestFirst);
    for (const item of sorted.slice(0, MAX_ROWS)) {
      const row = this.row(item, false);
      this.rows.set(idOf(item), row);
      this.el.append(row.el);
    }
    this.markSelected();
  }

  /** Puts new events on top (newest first among them) and answers how many were new. */
  prepend(items) {
    const fresh = items.filter((item) => !this.has(item)).sort(newestFirst);
    for (const item of [...fresh].reverse()) {
      const row = this.row(item, true);
      this.rows.set(idOf(item), row);
      this.el.prepend(row.el);
    }
    while (this.rows.size > MAX_ROWS) {
      const last = this.el.lastElementChild;
      this.rows.delete(last.dataset.id);
      last.remove();
    }
    return fresh.length;
  }

  select(item) {
    this.selected = item ? idOf(item) : null;
    this.markSelected();
  }

  rowButton(item) {
    const row = item ? this.rows.get(idOf(item)) : null;
    return row ? row.el.querySelector('button') : null;
  }

  markSelected() {
    for (const [id, row] of this.rows) {
      const button = row.el.querySelector('button');
      if (id === this.selected) {
        button.setAttribute('aria-current', 'true');
      } else {
        button.removeAttribute('aria-current');
      }
    }
  }

  row(item, fresh) {
    const button = h('button', {
      type: 'button', class: 'event-row', id: `event-${item.partition}-${item.offset}`, 'aria-controls': 'event-detail',
      onClick: () => this.onOpen(item, button),
    },
    h('span', { class: 'event-row-top' },
      h('span', { class: 'event-type', text: eventType(item) }),
      fresh ? h('span', { class: 'badge badge-new', text: 'New' }) : null,
      h('time', { class: 'event-time', datetime: item.timestamp, text: shortTime(item.timestamp) })),
    h('span', { class: 'event-row-meta' },
      h('span', { text: `Partition ${item.partition}` }),
      h('span', { text: `Offset ${item.offset}` }),
      item.key ? h('span', { class: 'event-row-key', text: `Key ${item.key}` }) : null),
    h('span', { class: 'event-row-value', text: preview(item.value) }));
    const el = h('li', { class: fresh ? 'event-item event-item-new' : 'event-item', dataset: { id: idOf(item) } }, button);
    return { item, el };
  }

  arrows(event) {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') {
      return;
    }
    const item = event.target.closest('li');
    const next = item && (event.key === 'ArrowDown' ? item.nextElementSibling : item.previousElementSibling);
    if (next) {
      event.preventDefault();
      next.querySelector('button').focus();
    }
  }
}

/** The detail of one event: where it sits, its headers, its value. onClose() by button or Escape. */
export function eventDetail(item, onClose) {
  const headerRows = Object.entries(item.headers || {}).map(([name, value]) => h('tr', {},
    h('th', { scope: 'row', text: name }),
    h('td', { text: value === null ? '' : String(value) })));
  const detail = h('div', { class: 'event-detail-body' },
    h('div', { class: 'event-detail-header' },
      h('h3', { id: 'event-detail-title', class: 'event-detail-title', tabindex: '-1' }, dotted(eventType(item))),
      h('button', { type: 'button', class: 'button button-ghost button-icon', id: 'event-detail-close', 'aria-label': 'Close event details', onClick: onClose },
        icon('close'))),
    h('dl', { class: 'event-facts' },
      h('div', {}, h('dt', { text: 'Topic' }), h('dd', {}, dotted(item.topic))),
      fact('Partition', String(item.partition)),
      fact('Offset', String(item.offset)),
      h('div', {}, h('dt', { text: 'Time' }),
        h('dd', {}, h('time', { datetime: item.timestamp, text: longTime(item.timestamp) }),
          h('span', { class: 'event-iso muted', text: item.timestamp }))),
      fact('Key', item.key === null || item.key === undefined ? '(none)' : item.key, 'event-key')),
    h('h4', { class: 'event-detail-subtitle', id: 'event-headers-title', text: 'Headers' }),
    headerRows.length
      ? h('div', { class: 'table-scroll', role: 'region', 'aria-labelledby': 'event-headers-title', tabindex: '0' },
        h('table', { class: 'data-table headers-table', id: 'event-headers' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Header' }), h('th', { scope: 'col', text: 'Value' }))),
          h('tbody', {}, headerRows)))
      : h('p', { class: 'muted', text: 'This event has no headers.' }),
    h('h4', { class: 'event-detail-subtitle', id: 'event-value-title', text: 'Value' }),
    h('pre', { class: 'event-value', id: 'event-value', tabindex: '0', 'aria-labelledby': 'event-value-title', text: prettyValue(item.value) }));
  detail.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    }
  });
  return detail;
}

function fact(term, value, className) {
  return h('div', {}, h('dt', { text: term }), h('dd', { class: className || null, text: value }));
}
