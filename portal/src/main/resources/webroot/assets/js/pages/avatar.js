// The profile picture: what to show for a person, and a freshly uploaded picture followed until it
// is processed. The live stream says when the thumbnail exists; the profile (auth) learns it from
// Kafka on its own schedule, so the thumbnail from the event is shown until /api/me has it too.
import { h } from '../dom.js';
import { picture } from '../icons.js';
import { api, currentUser, loadProfile, onChange } from '../session.js';
import { subscribe, lastEventFor } from '../live.js';

let pending = null; // {id, state: 'processing'|'ready'|'failed', thumb, reason}
const watchers = new Set();

export function onAvatarChange(fn) {
  watchers.add(fn);
  return () => watchers.delete(fn);
}

function notify() {
  for (const fn of [...watchers]) {
    fn(pending);
  }
}

export function pendingAvatar() {
  return pending;
}

export function rememberAvatarUpload(id) {
  pending = { id, state: 'processing', thumb: null, reason: null };
  const seen = lastEventFor(id);
  if (seen) {
    apply(seen.type, seen.data);
  }
  notify();
}

function apply(type, data) {
  if (!pending || !data || data.imageId !== pending.id) {
    return false;
  }
  if (type === 'image.processed' || data.status === 'ready') {
    const thumbs = data.thumbnails || {};
    pending = { ...pending, state: 'ready', thumb: thumbs['256'] || thumbs['1024'] || data.url || null };
    // One look at the profile now that the picture exists; it may not have caught up yet.
    window.setTimeout(() => loadProfile().then(settle, () => {}), 1500);
  } else if (type === 'image.failed' || data.status === 'failed') {
    pending = { ...pending, state: 'failed', reason: data.reason || data.failureReason || null };
  }
  notify();
  return true;
}

function settle(user) {
  if (pending && pending.state === 'ready' && user && user.avatarUrl) {
    pending = null;
    notify();
  }
}

subscribe((event) => {
  if (event.type === 'open') {
    // Reconnected: ask once about a picture still processing, in case its event came while away.
    if (pending && pending.state === 'processing') {
      const id = pending.id;
      api(`/api/images/${encodeURIComponent(id)}`).then((image) => {
        if (image && image.status !== 'processing') {
          apply(image.status === 'ready' ? 'image.processed' : 'image.failed',
            { imageId: id, status: image.status, thumbnails: image.thumbnails, url: image.url, reason: image.failureReason });
        }
      }, () => {});
    }
    return;
  }
  apply(event.type, event.data);
});

onChange((reason) => {
  if (reason === 'signed-out' || reason === 'expired') {
    pending = null;
  }
});

/** The URL to show as a person's picture: the profile's, or the one just processed. */
export function avatarUrlOf(user) {
  if (pending && pending.state === 'ready' && pending.thumb) {
    return pending.thumb;
  }
  return user && user.avatarUrl ? user.avatarUrl : null;
}

export function initialsOf(name) {
  const words = String(name || '').trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? words[0][0] + words[words.length - 1][0] : (words[0] || '?').slice(0, 2);
  return letters.toUpperCase();
}

/** An avatar: the picture when there is one, else the initials on a coloured disc. */
export function avatarElement(user, size = 'md', alt = '') {
  const url = avatarUrlOf(user || currentUser());
  if (url) {
    return picture(url, alt, `avatar avatar-${size}`);
  }
  return h('span', { class: `avatar avatar-${size} avatar-initials`, 'aria-hidden': alt ? null : 'true', role: alt ? 'img' : null, 'aria-label': alt || null },
    initialsOf(user ? user.name : ''));
}
