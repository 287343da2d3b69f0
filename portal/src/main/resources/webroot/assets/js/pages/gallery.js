import { h } from '../dom.js';
import { icon } from '../icons.js';
import { formMessage } from '../forms.js';
import { describe, reference } from '../problems.js';
import { api } from '../session.js';
import { ACCEPTED_TYPES } from '../uploads.js';
import { subscribe, lastEventFor, forget } from '../live.js';
import { GalleryCard } from './gallery-card.js';
import { confirmDialog } from './dialogs.js';
import { ViewerRoute } from './gallery-viewer.js';
import { acceptDroppedFiles } from './file-drop.js';
import { UploadQueue } from './upload-queue.js';
import { pageHeader } from './layout.js';

export const title = 'Gallery';

const PAGE_SIZE = 24;
const sentence = (text) => text.charAt(0).toUpperCase() + text.slice(1);
const PARALLEL_UPLOADS = 3;

export function mount(outlet, app) {
  const cards = new Map(); // image id -> card
  let nextCursor = null;
  let unmounted = false;

  const fileInput = h('input', {
    type: 'file', id: 'upload-input', class: 'visually-hidden', multiple: true, accept: ACCEPTED_TYPES,
    tabindex: '-1', 'aria-hidden': 'true',
  });
  fileInput.addEventListener('change', () => {
    addFiles(fileInput.files);
    fileInput.value = '';
  });
  const chooseButton = h('button', { type: 'button', class: 'button button-primary', id: 'upload-button', onClick: () => fileInput.click() },
    icon('upload'), h('span', { text: 'Choose pictures' }));
  const dropzone = h('section', { class: 'dropzone', 'aria-labelledby': 'dropzone-title', 'aria-describedby': 'dropzone-hint' },
    h('span', { class: 'dropzone-icon' }, icon('upload', 'icon icon-lg')),
    h('div', { class: 'dropzone-text' },
      h('h2', { id: 'dropzone-title', class: 'dropzone-title', text: 'Add pictures' }),
      h('p', { id: 'dropzone-hint', class: 'muted', text: 'Drag and drop them here, or choose several at once. PNG, JPEG, GIF or WebP.' })),
    chooseButton,
    fileInput);
  const message = formMessage();
  const grid = h('ul', { class: 'grid', id: 'gallery-grid', 'aria-label': 'Your pictures', 'aria-busy': 'true' });
  const empty = h('div', { class: 'empty', hidden: true },
    icon('image', 'icon icon-xl'),
    h('p', { class: 'empty-title', text: 'No pictures yet' }),
    h('p', { class: 'muted', text: 'Pictures you add appear here, with their thumbnails ready in a moment.' }));
  const moreButton = h('button', { type: 'button', class: 'button button-secondary', id: 'load-more', hidden: true, text: 'Show more pictures', onClick: () => loadPage() });

  outlet.append(h('div', { class: 'page' },
    pageHeader('Your gallery'),
    message.el,
    dropzone,
    grid,
    empty,
    h('div', { class: 'more' }, moreButton)));

  const actions = {
    open: (card) => app.navigate(`/gallery/${encodeURIComponent(card.id)}`, { state: { viewer: card.id } }),
    cancel: (card) => {
      if (card.upload) {
        card.upload.cancel();
      } else if (uploads.withdraw(card)) {
        removeCard(card, true);
      }
    },
    dismiss: (card) => removeCard(card, true),
    reupload: (card) => {
      card.state = 'queued';
      card.render();
      uploads.add(card);
    },
    retry: (card) => reprocess(card),
    remove: (card) => removeImage(card),
  };

  let listFailed = false;

  function syncEmpty() {
    empty.hidden = grid.children.length > 0 || listFailed;
  }

  function register(card) {
    if (card.id) {
      cards.set(card.id, card);
      const seen = lastEventFor(card.id);
      if (seen && card.state === 'processing') {
        card.applyEvent(seen.type, seen.data);
      }
    }
  }

  // ---- uploads
  function addFiles(fileList) {
    const files = Array.from(fileList || []);
    if (files.length === 0) {
      return;
    }
    message.hide();
    for (const file of files) {
      const card = new GalleryCard({ file, actions });
      grid.prepend(card.el);
      uploads.add(card);
    }
    syncEmpty();
    app.announce(files.length === 1 ? `Uploading ${files[0].name}.` : `Uploading ${files.length} pictures.`);
  }

  const uploads = new UploadQueue({
    parallel: PARALLEL_UPLOADS,
    onAccepted: (card, accepted) => {
      card.setImage({ id: accepted.id, status: accepted.status || 'processing', url: accepted.url, thumbnails: {}, metadata: {} });
      register(card);
      if (card.state === 'processing') {
        app.announce(`${sentence(card.label)} uploaded. Making its thumbnail…`);
      }
    },
    onFailed: (card, err) => {
      if (err && err.name === 'AbortError') {
        removeCard(card, true);
        app.announce(`Upload of ${card.label} cancelled.`);
        return;
      }
      if (err.sessionEnded) {
        return;
      }
      const text = describe(err, { context: 'upload', name: card.name });
      card.setRejected(text, err.status);
      app.announce(text);
    },
  });

  // ---- live updates
  const stopLive = subscribe((event) => {
    if (event.type === 'open') {
      reconcile();
      return;
    }
    const card = event.data ? cards.get(event.data.imageId) : null;
    if (!card) {
      return;
    }
    const changed = card.applyEvent(event.type, event.data);
    if (changed === 'ready') {
      app.announce(`${sentence(card.label)} is ready.`);
    } else if (changed === 'failed') {
      app.announce(`${sentence(card.label)} couldn’t be processed.`);
    }
  });

  /** After a (re)connection: one question per picture still processing, for events missed meanwhile. */
  function reconcile() {
    for (const card of cards.values()) {
      if (card.state === 'processing') {
        api(`/api/images/${encodeURIComponent(card.id)}`).then((image) => {
          if (image && image.status !== 'processing' && card.state === 'processing') {
            card.setImage(image);
          }
        }, () => {});
      }
    }
  }

  // ---- list
  let loading = false;

  async function loadPage() {
    if (loading) {
      return;
    }
    loading = true;
    const byButton = !moreButton.hidden;
    if (byButton) {
      moreButton.textContent = 'Loading…';
      moreButton.setAttribute('aria-disabled', 'true');
    }
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (nextCursor) {
      query.set('cursor', nextCursor);
    }
    try {
      const page = await api(`/api/images?${query}`);
      if (unmounted) {
        return;
      }
      listFailed = false;
      message.hide();
      let firstNew = null;
      for (const image of page.items || []) {
        if (image.purpose === 'avatar' || cards.has(image.id)) {
          continue;
        }
        const card = new GalleryCard({ image, actions });
        grid.append(card.el);
        register(card);
        firstNew = firstNew || card;
      }
      nextCursor = page.nextCursor || null;
      moreButton.hidden = !nextCursor;
      moreButton.textContent = 'Show more pictures';
      if (byButton && firstNew) {
        const focusable = firstNew.el.querySelector('button');
        if (focusable) {
          focusable.focus();
        }
      }
    } catch (err) {
      if (err.sessionEnded) {
        return;
      }
      listFailed = true;
      message.show(describe(err), { reference: err.status >= 500 ? reference(err) : null });
      moreButton.hidden = false;
      moreButton.textContent = 'Try again';
    } finally {
      loading = false;
      grid.removeAttribute('aria-busy');
      moreButton.removeAttribute('aria-disabled');
      syncEmpty();
    }
  }

  // ---- actions on a picture
  function removeCard(card, moveFocus = false) {
    const next = card.el.nextElementSibling || card.el.previousElementSibling;
    card.el.remove();
    if (card.id) {
      cards.delete(card.id);
    }
    syncEmpty();
    if (moveFocus) {
      const target = next ? next.querySelector('button') : chooseButton;
      (target || chooseButton).focus();
    }
  }

  async function reprocess(card) {
    try {
      forget(card.id);
      const image = await api(`/api/images/${encodeURIComponent(card.id)}/reprocess`, { method: 'POST' });
      card.setImage({ ...(image || {}), status: (image && image.status) || 'processing' });
      app.announce(`Trying ${card.label} again…`);
    } catch (err) {
      if (!err.sessionEnded) {
        app.announce(describe(err, { context: 'image' }));
        message.show(describe(err, { context: 'image' }));
      }
    }
  }

  async function removeImage(card) {
    const opener = document.activeElement;
    const sure = await confirmDialog({
      title: 'Delete this picture?',
      text: `${sentence(card.label)} and its thumbnails will be deleted. This can’t be undone.`,
      confirm: 'Delete',
      opener,
    });
    if (!sure) {
      return;
    }
    try {
      await api(`/api/images/${encodeURIComponent(card.id)}`, { method: 'DELETE' });
      removeCard(card, true);
      app.announce(`${sentence(card.label)} deleted.`);
    } catch (err) {
      if (err.sessionEnded) {
        return;
      }
      if (err.status === 404) {
        removeCard(card, true);
      }
      message.show(describe(err, { context: 'image' }));
    }
  }

  const viewer = new ViewerRoute({ app, cards, message, fallbackFocus: chooseButton });
  const stopDrops = acceptDroppedFiles(dropzone, addFiles);

  loadPage().then(() => viewer.show(window.location.pathname));

  return {
    route: (path) => viewer.show(path),
    unmount() {
      unmounted = true;
      stopLive();
      stopDrops();
      viewer.dispose();
    },
  };
}
