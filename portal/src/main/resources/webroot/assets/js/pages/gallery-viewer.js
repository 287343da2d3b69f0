// The picture viewer belongs to the address /gallery/<id>: it opens when the address says so
// (a click, a link, Back/Forward, a reload) and the address follows when it is closed.
import { describe } from '../problems.js';
import { api } from '../session.js';
import { viewerDialog } from './dialogs.js';

export class ViewerRoute {
  /** cards: id -> GalleryCard; fallbackFocus: where focus goes when no card opened the viewer. */
  constructor({ app, cards, message, fallbackFocus }) {
    this.app = app;
    this.cards = cards;
    this.message = message;
    this.fallbackFocus = fallbackFocus;
    this.open = null; // {id, dialog}
    this.gone = false;
  }

  async show(path) {
    const match = /^\/gallery\/([^/]+)\/?$/.exec(path);
    const id = match ? decodeURIComponent(match[1]) : null;
    if (!id) {
      this.close();
      return;
    }
    if (this.open && this.open.id === id) {
      return;
    }
    const card = this.cards.get(id);
    let image = card ? card.image : null;
    if (!image || image.status !== 'ready') {
      try {
        image = await api(`/api/images/${encodeURIComponent(id)}`);
      } catch (err) {
        if (!err.sessionEnded) {
          this.message.show(describe(err, { context: 'image' }));
          this.app.navigate('/gallery', { replace: true });
        }
        return;
      }
    }
    if (this.gone) {
      return;
    }
    const opener = card ? card.el.querySelector('[data-action="open"]') : null;
    const entry = { id, dialog: null };
    entry.dialog = viewerDialog({
      image,
      label: card ? card.title : 'Picture',
      opener: opener || this.fallbackFocus,
      onClose: () => {
        if (this.open !== entry) {
          return; // closed because the address changed (Back): nothing to undo
        }
        this.open = null;
        if (window.history.state && window.history.state.viewer === id) {
          window.history.back();
        } else {
          this.app.navigate('/gallery', { replace: true });
        }
      },
    });
    this.open = entry;
  }

  close() {
    if (this.open) {
      const entry = this.open;
      this.open = null;
      entry.dialog.close();
    }
  }

  dispose() {
    this.gone = true;
    this.close();
  }
}
