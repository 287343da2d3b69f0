import { h, formatBytes } from '../dom.js';
import { field, formMessage, focusFirstInvalid, busy, placeFieldError, EMAIL_SHAPE } from '../forms.js';
import { describe, reference } from '../problems.js';
import { register, signIn } from '../session.js';
import { uploadImage, ACCEPTED_TYPES } from '../uploads.js';
import { rememberAvatarUpload } from './avatar.js';
import { authLayout } from './layout.js';

export const title = 'Create an account';

const PICTURE_TYPES = ACCEPTED_TYPES.split(',');

// The browser's guess from the file name: enough to catch a wrong pick early. The server decides
// from the bytes, and an unknown guess ('') is left to it.
function looksLikePicture(file) {
  return file.type === '' || PICTURE_TYPES.includes(file.type);
}

export function mount(outlet, app) {
  const fields = {
    name: field({ label: 'Name', name: 'name', autocomplete: 'name', id: 'register-name', required: true, maxlength: '100' }),
    email: field({ label: 'E-mail address', name: 'email', type: 'email', autocomplete: 'email', id: 'register-email', required: true, spellcheck: 'false' }),
    password: field({
      label: 'Password', name: 'password', type: 'password', autocomplete: 'new-password', id: 'register-password',
      required: true, hint: 'At least 10 characters. A few unrelated words make a strong one.',
    }),
    image: field({
      label: 'Profile picture (optional)', name: 'image', type: 'file', id: 'register-avatar', accept: ACCEPTED_TYPES,
      hint: 'PNG, JPEG, GIF or WebP. You can add or change it later.',
    }),
  };
  const preview = h('div', { class: 'avatar-preview', hidden: true });
  fields.image.el.append(preview);
  const progress = h('progress', { class: 'progress', max: '100', value: '0', 'aria-label': 'Uploading your picture' });
  const progressRow = h('div', { class: 'upload-progress', hidden: true },
    h('span', { class: 'upload-progress-label', text: 'Uploading your picture…' }), progress);
  const message = formMessage();
  const submit = h('button', { type: 'submit', class: 'button button-primary button-block', text: 'Create account' });
  let working = false;
  let previewUrl = null;

  fields.image.input.addEventListener('change', showPreview);

  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'page-title', onSubmit: onSubmit },
    message.el,
    fields.name.el,
    fields.email.el,
    fields.password.el,
    fields.image.el,
    progressRow,
    submit);

  outlet.append(authLayout(
    h('h1', { id: 'page-title', class: 'page-title', tabindex: '-1', text: 'Create your account' }),
    h('p', { class: 'lead', text: 'It takes a minute. Your pictures stay yours.' }),
    form,
    h('p', { class: 'switch' }, 'Already have an account? ', h('a', { href: '/signin', 'data-link': true, text: 'Sign in' }))));

  function chosenPicture() {
    return fields.image.input.files && fields.image.input.files[0] ? fields.image.input.files[0] : null;
  }

  function showPreview() {
    fields.image.clearError();
    if (previewUrl) {
      URL.revokeObjectURL(previewUrl);
      previewUrl = null;
    }
    preview.replaceChildren();
    const file = chosenPicture();
    if (!file) {
      preview.hidden = true;
      return;
    }
    if (!looksLikePicture(file)) {
      preview.hidden = true;
      fields.image.setError(`“${file.name}” isn’t a picture Shutterbus can use. Please choose a PNG, JPEG, GIF or WebP image.`);
      return;
    }
    previewUrl = URL.createObjectURL(file);
    const img = h('img', { class: 'avatar avatar-md', alt: 'Preview of your profile picture', src: previewUrl });
    preview.append(img, h('span', { class: 'muted', text: `${file.name} · ${formatBytes(file.size)}` }));
    preview.hidden = false;
  }

  function validate() {
    const name = fields.name.input.value.trim();
    const email = fields.email.input.value.trim();
    const password = fields.password.input.value;
    if (!name) {
      fields.name.setError('Enter your name.');
    }
    if (!email) {
      fields.email.setError('Enter your e-mail address.');
    } else if (!EMAIL_SHAPE.test(email)) {
      fields.email.setError('Enter an e-mail address like name@example.com.');
    }
    if (password.length < 10) {
      fields.password.setError('Use at least 10 characters for your password.');
    } else if (password.length > 128) {
      fields.password.setError('Use at most 128 characters for your password.');
    }
    const file = chosenPicture();
    if (file && !looksLikePicture(file)) {
      fields.image.setError(`“${file.name}” isn’t a picture Shutterbus can use. Please choose a PNG, JPEG, GIF or WebP image.`);
    }
    return { name, email, password, file };
  }

  async function onSubmit(event) {
    event.preventDefault();
    if (working) {
      return;
    }
    message.hide();
    Object.values(fields).forEach((f) => f.clearError());
    const { name, email, password, file } = validate();
    if (focusFirstInvalid(fields)) {
      return;
    }
    working = true;
    const done = busy(submit, 'Creating your account…');
    try {
      await register(name, email, password);
    } catch (err) {
      done();
      working = false;
      const text = describe(err, { context: 'register' });
      const target = err.status === 409 ? 'email' : err.field;
      if (target && fields[target]) {
        fields[target].setError(text);
        focusFirstInvalid(fields);
      } else if (!placeFieldError(fields, err, text)) {
        message.show(text, { reference: err.status >= 500 ? reference(err) : null });
        submit.focus();
      }
      return;
    }
    let avatarProblem = null;
    try {
      await signIn(email, password);
      if (file) {
        avatarProblem = await uploadAvatar(file);
      }
    } catch (err) {
      // The account exists; only signing in failed. Send them to sign in with what happened.
      app.navigate('/signin', { replace: true, notice: { text: `Your account is ready, but signing in failed: ${describe(err, { context: 'signin' })}`, tone: 'error' } });
      return;
    }
    app.navigate('/profile', { replace: true, notice: avatarProblem
      ? { text: `Welcome to Shutterbus! Your account is ready, but your picture couldn’t be used: ${avatarProblem}`, tone: 'error' }
      : { text: `Welcome to Shutterbus, ${name}! Your account is ready.`, tone: 'success' } });
  }

  async function uploadAvatar(file) {
    progressRow.hidden = false;
    const upload = uploadImage(file, {
      purpose: 'avatar',
      onProgress: (fraction) => {
        progress.value = Math.round(fraction * 100);
      },
    });
    try {
      const accepted = await upload.done;
      rememberAvatarUpload(accepted.id);
      return null;
    } catch (err) {
      return describe(err, { context: 'avatar', name: file.name });
    } finally {
      progressRow.hidden = true;
    }
  }

  return {
    unmount() {
      if (previewUrl) {
        URL.revokeObjectURL(previewUrl);
      }
    },
  };
}
