// The filters of the messages list, applied by the server: the exact key, a text found in the value
// or a header, and where the list starts. The live tail takes the key and text too.
import { h } from '../dom.js';
import { field } from '../forms.js';

export const LIMIT = 50;
const START_FROM = [
  ['latest', 'Latest events'],
  ['1h', 'The last hour'],
  ['1d', 'The last 24 hours'],
  ['beginning', 'The beginning'],
];

export const NO_FILTERS = Object.freeze({ key: '', q: '', from: 'latest' });

/** The query string of GET .../messages for these filters, starting where `from` says. */
export function messagesQuery(filters, from = filters.from) {
  const params = new URLSearchParams({ limit: String(LIMIT) });
  if (filters.key) {
    params.set('key', filters.key);
  }
  if (filters.q) {
    params.set('q', filters.q);
  }
  if (from === 'beginning') {
    params.set('fromBeginning', 'true');
  } else if (from !== 'latest') {
    params.set('since', from);
  }
  return params;
}

export class FilterForm {
  /** onApply(filters) when the form is submitted or cleared. */
  constructor({ onApply }) {
    this.key = field({
      label: 'Key', name: 'key', id: 'filter-key', hint: 'The exact key, such as a user or image id.', spellcheck: 'false', autocomplete: 'off',
    });
    this.text = field({
      label: 'Text', name: 'q', id: 'filter-text', hint: 'Found in the value or a header.', spellcheck: 'false', autocomplete: 'off',
    });
    this.from = h('select', { id: 'filter-from', name: 'from', class: 'input select', 'aria-describedby': 'filter-from-hint' },
      START_FROM.map(([value, label]) => h('option', { value, text: label })));
    const apply = () => onApply(this.values());
    this.el = h('form', {
      class: 'event-filters', role: 'search', 'aria-label': 'Filter messages', novalidate: true,
      onSubmit: (event) => {
        event.preventDefault();
        apply();
      },
    },
    this.key.el,
    this.text.el,
    h('div', { class: 'field' },
      h('label', { for: 'filter-from', class: 'label', text: 'Messages from' }),
      h('p', { class: 'hint', id: 'filter-from-hint', text: `Up to ${LIMIT} events. The live tail always starts now.` }),
      this.from),
    h('div', { class: 'event-filter-actions' },
      h('button', { type: 'submit', class: 'button button-primary', id: 'filter-apply', text: 'Apply filters' }),
      h('button', {
        type: 'button', class: 'button button-ghost', id: 'filter-clear', text: 'Clear',
        onClick: () => {
          this.key.input.value = '';
          this.text.input.value = '';
          this.from.value = NO_FILTERS.from;
          apply();
        },
      })));
  }

  values() {
    return { key: this.key.input.value.trim(), q: this.text.input.value.trim(), from: this.from.value };
  }
}
