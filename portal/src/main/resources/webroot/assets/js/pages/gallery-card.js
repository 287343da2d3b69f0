// One picture in the gallery, through its life: queued, uploading (a progress bar), processing,
// then ready (the thumbnail) or failed (the reason and Retry); or rejected at upload (the reason).
import { h, clear, formatBytes, formatDate } from '../dom.js';
import { icon, picture } from '../icons.js';

const RETRYABLE_UPLOAD = (status) => status === 0 || status === 429 || status >= 500;

export class GalleryCard {
  constructor({ file = null, image = null, actions }) {
    this.file = file;
    this.image = image;
    this.name = file ? file.name : null;
    this.state = image ? image.status : 'queued';
    this.percent = 0;
    this.message = null;
    this.uploadStatus = null;
    this.actions = actions;
    this.el = h('li', { class: 'card' });
    this.render();
  }

  get id() {
    return this.image ? this.image.id : null;
  }

  get uploadedAt() {
    return this.image && this.image.createdAt ? formatDate(this.image.createdAt, { dateStyle: 'medium', timeStyle: 'short' }) : '';
  }

  /** What the card shows as its title: the file name, or (short) when it was uploaded. */
  get title() {
    if (this.name) {
      return this.name;
    }
    return this.image && this.image.createdAt
      ? formatDate(this.image.createdAt, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' })
      : 'Picture';
  }

  /** What buttons and announcements call this picture. */
  get label() {
    if (this.name) {
      return this.name;
    }
    return this.uploadedAt ? `the picture from ${this.uploadedAt}` : 'this picture';
  }

  setUploading(percent) {
    if (this.state !== 'uploading') {
      this.state = 'uploading';
      this.percent = percent;
      this.render();
      return;
    }
    this.percent = percent;
    if (this.progress) {
      this.progress.value = percent;
      this.progressText.textContent = `Uploading… ${percent}%`;
    }
  }

  setImage(image) {
    this.image = { ...(this.image || {}), ...image };
    this.state = this.image.status || 'processing';
    this.message = null;
    this.render();
  }

  /** Applies a live event; returns the new state when it changed something. */
  applyEvent(type, data) {
    if (!this.image || data.imageId !== this.image.id) {
      return null;
    }
    if (type === 'image.processed') {
      this.setImage({
        status: 'ready',
        url: data.url || this.image.url,
        thumbnails: data.thumbnails || {},
        metadata: { ...(this.image.metadata || {}), ...(data.metadata || {}) },
        failureReason: null,
      });
      return 'ready';
    }
    if (type === 'image.failed') {
      this.setImage({ status: 'failed', failureReason: data.reason || null });
      return 'failed';
    }
    return null;
  }

  setRejected(message, status) {
    this.state = 'rejected';
    this.message = message;
    this.uploadStatus = status;
    this.render();
  }

  render() {
    const focusedAction = this.el.contains(document.activeElement) ? document.activeElement.dataset.action || 'any' : null;
    this.progress = null;
    this.progressText = null;
    this.el.dataset.status = this.state;
    if (this.id) {
      this.el.dataset.imageId = this.id;
    }
    clear(this.el);
    this.el.append(this.media(), this.body());
    if (focusedAction) {
      const target = this.el.querySelector(`[data-action="${focusedAction}"]`) || this.el.querySelector('button, a');
      if (target) {
        target.focus();
      }
    }
  }

  media() {
    const box = h('div', { class: 'card-media' });
    switch (this.state) {
      case 'queued':
        box.append(icon('image', 'icon icon-xl placeholder-icon'));
        break;
      case 'uploading':
        this.progress = h('progress', { class: 'progress', max: '100', value: String(this.percent), 'aria-label': `Uploading ${this.label}` });
        box.append(icon('upload', 'icon icon-xl placeholder-icon'), this.progress);
        break;
      case 'processing':
        box.append(h('span', { class: 'spinner', 'aria-hidden': 'true' }));
        break;
      case 'ready': {
        const thumbs = this.image.thumbnails || {};
        const src = thumbs['256'] || thumbs['1024'] || this.image.url;
        const img = picture(src, this.name || `Picture uploaded ${this.uploadedAt}`.trim(), 'card-thumb');
        img.loading = 'lazy';
        img.width = 256;
        img.height = 256;
        box.append(h('button', {
          type: 'button', class: 'card-open', 'data-action': 'open', 'aria-label': `Open ${this.label}`,
          onClick: () => this.actions.open(this),
        }, img));
        break;
      }
      default:
        box.classList.add('card-media-problem');
        box.append(icon('alert', 'icon icon-xl'));
    }
    return box;
  }

  statusText() {
    switch (this.state) {
      case 'queued':
        return 'Waiting to upload…';
      case 'uploading':
        return `Uploading… ${this.percent}%`;
      case 'processing':
        return 'Processing…';
      case 'ready':
        return this.metaText();
      case 'failed':
        return this.image.failureReason
          ? `Couldn’t be processed: ${this.image.failureReason}`
          : 'Couldn’t be processed.';
      default:
        return this.message || 'Couldn’t be uploaded.';
    }
  }

  metaText() {
    const m = (this.image && this.image.metadata) || {};
    const parts = [];
    if (m.width && m.height) {
      parts.push(`${m.width} × ${m.height}`);
    }
    if (m.format) {
      parts.push(String(m.format).toUpperCase());
    }
    if (m.bytes) {
      parts.push(formatBytes(m.bytes));
    }
    return parts.join(' · ') || 'Ready';
  }

  body() {
    const status = h('p', { class: `card-status card-status-${this.state}`, text: this.statusText() });
    if (this.state === 'uploading') {
      this.progressText = status;
    }
    const actions = h('div', { class: 'card-actions' });
    const button = (action, text, iconName, handler, tone = 'ghost') => h('button', {
      type: 'button', class: `button button-${tone} button-sm`, 'data-action': action,
      'aria-label': `${text} ${this.label}`, onClick: () => handler(this),
    }, icon(iconName, 'icon icon-sm'), h('span', { text }));
    switch (this.state) {
      case 'queued':
      case 'uploading':
        actions.append(button('cancel', 'Cancel', 'close', this.actions.cancel));
        break;
      case 'failed':
        actions.append(button('retry', 'Retry', 'retry', this.actions.retry, 'secondary'),
          button('delete', 'Delete', 'trash', this.actions.remove));
        break;
      case 'rejected':
        if (this.file && RETRYABLE_UPLOAD(this.uploadStatus)) {
          actions.append(button('retry', 'Try again', 'retry', this.actions.reupload, 'secondary'));
        }
        actions.append(button('dismiss', 'Dismiss', 'close', this.actions.dismiss));
        break;
      default:
        actions.append(button('delete', 'Delete', 'trash', this.actions.remove));
    }
    return h('div', { class: 'card-body' },
      h('p', { class: 'card-title', title: this.title, text: this.title }),
      status,
      actions);
  }
}
