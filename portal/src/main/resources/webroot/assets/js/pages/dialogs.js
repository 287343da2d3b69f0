// Modal dialogs on the native <dialog>: focus is trapped and Escape closes, for free.
import { h, formatBytes, formatDate } from '../dom.js';
import { icon, picture } from '../icons.js';

function modal(dialog, opener) {
  document.body.append(dialog);
  dialog.showModal();
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (opener && opener.isConnected) {
      opener.focus();
    }
  });
  // A click on the backdrop (the dialog box itself, outside its content) closes it.
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) {
      dialog.close('cancel');
    }
  });
  return dialog;
}

/** Asks before an irreversible action; resolves true when confirmed. */
export function confirmDialog({ title, text, confirm, opener }) {
  return new Promise((resolve) => {
    const cancelButton = h('button', { type: 'button', class: 'button button-secondary', autofocus: true, text: 'Cancel', onClick: () => dialog.close('cancel') });
    const confirmButton = h('button', { type: 'button', class: 'button button-danger', text: confirm, onClick: () => dialog.close('confirm') });
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-text' },
      h('div', { class: 'dialog-content' },
        h('h2', { id: 'confirm-title', class: 'dialog-title', text: title }),
        h('p', { id: 'confirm-text', text }),
        h('div', { class: 'dialog-actions' }, cancelButton, confirmButton)));
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'));
    modal(dialog, opener);
  });
}

/** Shows a picture large, with what is known about it and a link to the original file. */
export function viewerDialog({ image, label, opener, onClose }) {
  const m = image.metadata || {};
  const thumbs = image.thumbnails || {};
  const facts = [
    ['Dimensions', m.width && m.height ? `${m.width} × ${m.height} pixels` : null],
    ['Format', m.format ? String(m.format).toUpperCase() : null],
    ['File size', m.bytes ? formatBytes(m.bytes) : null],
    ['Camera', m.camera || null],
    ['Taken', m.takenAt ? formatDate(m.takenAt, { dateStyle: 'medium', timeStyle: 'short' }) : null],
    ['Uploaded', image.createdAt ? formatDate(image.createdAt, { dateStyle: 'medium', timeStyle: 'short' }) : null],
  ].filter(([, value]) => value);
  const dialog = h('dialog', { class: 'dialog viewer', 'aria-labelledby': 'viewer-title' },
    h('div', { class: 'viewer-bar' },
      h('h2', { id: 'viewer-title', class: 'viewer-title', text: label }),
      h('a', { class: 'button button-secondary button-sm', href: image.url, target: '_blank', rel: 'noopener', id: 'viewer-original' },
        icon('external', 'icon icon-sm'), h('span', { text: 'Open original' })),
      h('button', { type: 'button', class: 'button button-ghost button-icon', autofocus: true, 'aria-label': 'Close', onClick: () => dialog.close() },
        icon('close'))),
    h('div', { class: 'viewer-stage' }, picture(thumbs['1024'] || image.url, label, 'viewer-image')),
    facts.length ? h('dl', { class: 'viewer-facts' }, facts.map(([k, v]) => h('div', {}, h('dt', { text: k }), h('dd', { text: v })))) : null);
  dialog.addEventListener('close', () => onClose && onClose());
  return modal(dialog, opener);
}
