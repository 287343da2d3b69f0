import { h, clear } from '../dom.js';
import { icon } from '../icons.js';
import { formMessage } from '../forms.js';
import { describe, reference } from '../problems.js';
import { api } from '../session.js';
import { uploadImage, ACCEPTED_TYPES } from '../uploads.js';
import { subscribe, lastEventFor, forget } from '../live.js';
import { GalleryCard } from './gallery-card.js';
import { confirmDialog, viewerDialog } from './dialogs.js';
import { pageHeader } from './layout.js';

export const title = 'Gallery';

const PAGE_SIZE = 24;
const sentence = (text) => text.charAt(0).toUpperCase() + text.slice(1);
const PARALLEL_UPLOADS = 3;

export function mount(outlet, app) {
  const cards = new Map(); // image id -> card
  const queue = [];
  let running = 0;
  let nextCursor = null;
  let viewer = null;
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
      } else {
        removeCard(card, true);
        const i = queue.indexOf(card);
        if (i >= 0) {
          queue.splice(i, 1);
        }
      }
    },
    dismiss: (card) => removeCard(card, true),
    reupload: (card) => {
      card.state = 'queued';
      card.render();
      enqueue(card);
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
      enqueue(card);
    }
    syncEmpty();
    app.announce(files.length === 1 ? `Uploading ${files[0].name}.` : `Uploading ${files.length} pictures.`);
  }

  function enqueue(card) {
    queue.push(card);
    pump();
  }

  function pump() {
    while (running < PARALLEL_UPLOADS && queue.length > 0) {
      const card = queue.shift();
      running += 1;
      send(card).finally(() => {
        running -= 1;
        pump();
      });
    }
  }

  async function send(card) {
    card.setUploading(0);
    card.upload = uploadImage(card.file, { onProgress: (f) => card.setUploading(Math.round(f * 100)) });
    try {
      const accepted = await card.upload.done;
      card.upload = null;
      card.setImage({ id: accepted.id, status: accepted.status || 'processing', url: accepted.url, thumbnails: {}, metadata: {} });
      register(card);
      if (card.state === 'processing') {
        app.announce(`${sentence(card.label)} uploaded. Making its thumbnail…`);
      }
    } catch (err) {
      card.upload = null;
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
    }
  }

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

  // ---- the viewer, at /gallery/<id>
  async function route(path) {
    const match = /^\/gallery\/([^/]+)\/?$/.exec(path);
    const id = match ? decodeURIComponent(match[1]) : null;
    if (!id) {
      if (viewer) {
        const open = viewer;
        viewer = null;
        open.dialog.close();
      }
      return;
    }
    if (viewer && viewer.id === id) {
      return;
    }
    let card = cards.get(id);
    let image = card ? card.image : null;
    if (!image || image.status !== 'ready') {
      try {
        image = await api(`/api/images/${encodeURIComponent(id)}`);
      } catch (err) {
        if (!err.sessionEnded) {
          message.show(describe(err, { context: 'image' }));
          app.navigate('/gallery', { replace: true });
        }
        return;
      }
    }
    if (unmounted) {
      return;
    }
    const opener = card ? card.el.querySelector('[data-action="open"]') : chooseButton;
    const entry = { id, dialog: null };
    entry.dialog = viewerDialog({
      image,
      label: card ? card.title : 'Picture',
      opener: opener || chooseButton,
      onClose: () => {
        if (viewer === entry) {
          // Closed by Escape or the button, not by the Back button: leave /gallery/<id> too.
          viewer = null;
          if (window.history.state && window.history.state.viewer === id) {
            window.history.back();
          } else {
            app.navigate('/gallery', { replace: true });
          }
        }
      },
    });
    viewer = entry;
  }

  // ---- drag and drop anywhere on the page (a drop outside the zone must not open the file)
  let dragDepth = 0;
  const hasFiles = (event) => event.dataTransfer && Array.from(event.dataTransfer.types || []).includes('Files');
  const onDragEnter = (event) => {
    if (hasFiles(event)) {
      event.preventDefault();
      dragDepth += 1;
      dropzone.classList.add('dropzone-active');
    }
  };
  const onDragOver = (event) => {
    if (hasFiles(event)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
    }
  };
  const onDragLeave = (event) => {
    if (hasFiles(event)) {
      dragDepth = Math.max(0, dragDepth - 1);
      if (dragDepth === 0) {
        dropzone.classList.remove('dropzone-active');
      }
    }
  };
  const onDrop = (event) => {
    if (hasFiles(event)) {
      event.preventDefault();
      dragDepth = 0;
      dropzone.classList.remove('dropzone-active');
      addFiles(event.dataTransfer.files);
    }
  };
  window.addEventListener('dragenter', onDragEnter);
  window.addEventListener('dragover', onDragOver);
  window.addEventListener('dragleave', onDragLeave);
  window.addEventListener('drop', onDrop);

  loadPage().then(() => route(window.location.pathname));

  return {
    route,
    unmount() {
      unmounted = true;
      stopLive();
      window.removeEventListener('dragenter', onDragEnter);
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('dragleave', onDragLeave);
      window.removeEventListener('drop', onDrop);
      if (viewer) {
        const open = viewer;
        viewer = null;
        open.dialog.close();
      }
    },
  };
}
