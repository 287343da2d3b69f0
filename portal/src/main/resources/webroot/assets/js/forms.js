// Labelled form fields whose errors sit next to them (aria-describedby + aria-invalid), and a
// form-level message box for what concerns no single field.
import { h, nextId, clear, append } from './dom.js';
import { icon } from './icons.js';

/**
 * A labelled field: {el, input, error, setError(text), clearError()}.
 * options: label, name, type, autocomplete, hint, required, id, accept, inputmode.
 */
export function field({ label, name, type = 'text', hint = '', id = nextId(name), ...attrs }) {
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  const input = h('input', { id, name, type, class: type === 'file' ? 'file-input' : 'input', ...attrs });
  const error = h('p', { id: errorId, class: 'field-error', hidden: true });
  const describedBy = () => [hintId, error.hidden ? null : errorId].filter(Boolean).join(' ');
  const sync = () => {
    const ids = describedBy();
    if (ids) {
      input.setAttribute('aria-describedby', ids);
    } else {
      input.removeAttribute('aria-describedby');
    }
  };
  sync();
  const el = h('div', { class: 'field' },
    h('label', { for: id, class: 'label', text: label }),
    hint ? h('p', { id: hintId, class: 'hint', text: hint }) : null,
    input,
    error);
  const api = {
    el,
    input,
    error,
    setError(text) {
      clear(error);
      append(error, icon('alert', 'icon icon-sm'), h('span', { text }));
      error.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      sync();
    },
    clearError() {
      clear(error);
      error.hidden = true;
      input.removeAttribute('aria-invalid');
      sync();
    },
  };
  // Once the person changes the value, the old complaint no longer applies.
  input.addEventListener(type === 'file' ? 'change' : 'input', () => {
    if (!error.hidden) {
      api.clearError();
    }
  });
  return api;
}

/** A message box for the form as a whole; role=alert so it is read out when it appears. */
export function formMessage() {
  const el = h('div', { class: 'form-message', role: 'alert', hidden: true });
  return {
    el,
    show(text, { tone = 'error', reference = null } = {}) {
      clear(el);
      el.className = `form-message form-message-${tone}`;
      append(el, icon(tone === 'error' ? 'alert' : 'check', 'icon'),
        h('div', {}, h('p', { text }), reference ? h('p', { class: 'reference', text: `Reference: ${reference}` }) : null));
      el.hidden = false;
    },
    hide() {
      clear(el);
      el.hidden = true;
    },
  };
}

/** Puts a server error next to its field when it names one we show; returns whether it did. */
export function placeFieldError(fields, err, text) {
  const target = err && err.field ? fields[err.field] : null;
  if (!target) {
    return false;
  }
  target.setError(text);
  return true;
}

/** Moves focus to the first field showing an error. */
export function focusFirstInvalid(fields) {
  const first = Object.values(fields).find((f) => f.input.getAttribute('aria-invalid') === 'true');
  if (first) {
    first.input.focus();
    return true;
  }
  return false;
}

/**
 * Marks a submit button busy while work runs (aria-disabled, not disabled, so focus stays on it);
 * callers ignore submits while busy. Returns the function that restores it.
 */
export function busy(button, label) {
  const original = button.textContent;
  button.setAttribute('aria-disabled', 'true');
  button.setAttribute('aria-busy', 'true');
  clear(button);
  append(button, h('span', { class: 'spinner spinner-sm', 'aria-hidden': 'true' }), h('span', { text: label }));
  return () => {
    button.removeAttribute('aria-disabled');
    button.removeAttribute('aria-busy');
    clear(button);
    button.textContent = original;
  };
}

export const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
