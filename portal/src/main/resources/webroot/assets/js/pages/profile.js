import { h, clear, formatDate } from '../dom.js';
import { icon } from '../icons.js';
import { formMessage } from '../forms.js';
import { describe, reference } from '../problems.js';
import { currentUser, loadProfile, onChange } from '../session.js';
import { uploadImage, ACCEPTED_TYPES } from '../uploads.js';
import { avatarElement, onAvatarChange, pendingAvatar, rememberAvatarUpload } from './avatar.js';
import { pageHeader } from './layout.js';

export const title = 'Profile';

export function mount(outlet, app) {
  const message = formMessage();
  const card = h('section', { class: 'profile-card', 'aria-busy': 'true', 'aria-labelledby': 'page-title' },
    h('div', { class: 'skeleton skeleton-avatar' }),
    h('div', { class: 'skeleton skeleton-line' }),
    h('div', { class: 'skeleton skeleton-line skeleton-short' }));
  outlet.append(h('div', { class: 'page page-narrow' }, pageHeader('Your profile'), message.el, card));
  if (app.notice) {
    message.show(app.notice.text, { tone: app.notice.tone || 'info' });
  }

  let user = null;
  let avatarUpload = null;
  const fileInput = h('input', {
    type: 'file', id: 'profile-avatar-input', class: 'visually-hidden', accept: ACCEPTED_TYPES, tabindex: '-1', 'aria-hidden': 'true',
  });
  fileInput.addEventListener('change', () => {
    const file = fileInput.files && fileInput.files[0];
    fileInput.value = '';
    if (file) {
      changeAvatar(file);
    }
  });

  function render() {
    if (!user) {
      return;
    }
    card.removeAttribute('aria-busy');
    // Re-rendering replaces the buttons: keep the keyboard where it was.
    const focused = card.contains(document.activeElement) ? document.activeElement.id : '';
    const pending = pendingAvatar();
    let avatarNote = null;
    if (avatarUpload) {
      avatarNote = h('div', { class: 'avatar-note' },
        h('span', { class: 'muted', text: 'Uploading your picture…' }),
        h('progress', { class: 'progress', max: '100', value: String(avatarUpload.percent), 'aria-label': 'Uploading your picture' }));
    } else if (pending && pending.state === 'processing') {
      avatarNote = h('p', { class: 'avatar-note muted', id: 'profile-avatar-status' },
        h('span', { class: 'spinner spinner-sm', 'aria-hidden': 'true' }), ' Your picture is being processed…');
    } else if (pending && pending.state === 'failed') {
      avatarNote = h('p', { class: 'avatar-note field-error', id: 'profile-avatar-status' }, icon('alert', 'icon icon-sm'),
        h('span', { text: pending.reason ? `Your picture couldn’t be processed: ${pending.reason}` : 'Your picture couldn’t be processed. Please try another one.' }));
    }
    const count = Number(user.imageCount) || 0;
    clear(card);
    card.append(
      h('div', { class: 'profile-avatar', id: 'profile-avatar' }, avatarElement(user, 'xl', `Profile picture of ${user.name}`)),
      h('div', { class: 'profile-main' },
        h('p', { class: 'profile-name', id: 'profile-name', text: user.name }),
        h('p', { class: 'profile-email muted', id: 'profile-email', text: user.email }),
        avatarNote,
        h('div', { class: 'profile-actions' },
          h('button', { type: 'button', class: 'button button-secondary', id: 'profile-change-avatar', onClick: () => fileInput.click() },
            icon('upload'), h('span', { text: changeLabel(user) })),
          h('a', { href: '/gallery', 'data-link': true, class: 'button button-ghost', id: 'profile-gallery-link' }, icon('image'), h('span', { text: 'Go to your gallery' })),
          fileInput)),
      h('dl', { class: 'profile-facts' },
        h('div', {}, h('dt', { text: 'Member since' }), h('dd', { id: 'profile-member-since', text: formatDate(user.createdAt) })),
        h('div', {}, h('dt', { text: 'Pictures' }), h('dd', { id: 'profile-image-count', text: String(count) }))));
    const again = focused ? document.getElementById(focused) : null;
    if (again) {
      again.focus();
    }
  }

  function changeLabel(u) {
    return u.avatarUrl || (pendingAvatar() && pendingAvatar().state !== 'failed') ? 'Change picture' : 'Add a picture';
  }

  async function changeAvatar(file) {
    message.hide();
    avatarUpload = { percent: 0 };
    render();
    const upload = uploadImage(file, {
      purpose: 'avatar',
      onProgress: (fraction) => {
        avatarUpload.percent = Math.round(fraction * 100);
        const bar = card.querySelector('progress');
        if (bar) {
          bar.value = avatarUpload.percent;
        }
      },
    });
    try {
      const accepted = await upload.done;
      avatarUpload = null;
      rememberAvatarUpload(accepted.id);
      app.announce('Picture uploaded. It will appear here as soon as it is processed.');
    } catch (err) {
      avatarUpload = null;
      render();
      message.show(describe(err, { context: 'avatar', name: file.name }));
    }
    const changeButton = card.querySelector('#profile-change-avatar');
    if (changeButton) {
      changeButton.focus();
    }
  }

  async function load() {
    try {
      user = await loadProfile();
    } catch (err) {
      if (err.sessionEnded) {
        return;
      }
      card.removeAttribute('aria-busy');
      clear(card);
      card.append(h('p', { class: 'muted', text: 'Your profile couldn’t be loaded.' }),
        h('button', { type: 'button', class: 'button button-secondary', text: 'Try again', onClick: () => load() }));
      message.show(describe(err), { reference: err.status >= 500 ? reference(err) : null });
      return;
    }
    render();
  }

  const stopAvatar = onAvatarChange((pending) => {
    render();
    if (pending && pending.state === 'ready') {
      app.announce('Your profile picture is ready.');
    } else if (pending && pending.state === 'failed') {
      app.announce('Your profile picture couldn’t be processed.');
    }
  });
  const stopSession = onChange((reason) => {
    if (reason === 'profile' && currentUser()) {
      user = currentUser();
      render();
    }
  });

  load();
  return {
    unmount() {
      stopAvatar();
      stopSession();
    },
  };
}
