import { h } from '../dom.js';
import { field, formMessage, focusFirstInvalid, busy, EMAIL_SHAPE } from '../forms.js';
import { describe, reference } from '../problems.js';
import { signIn } from '../session.js';
import { authLayout } from './layout.js';

export const title = 'Sign in';

export function mount(outlet, app) {
  const fields = {
    email: field({ label: 'E-mail address', name: 'email', type: 'email', autocomplete: 'email', id: 'signin-email', required: true, spellcheck: 'false' }),
    password: field({ label: 'Password', name: 'password', type: 'password', autocomplete: 'current-password', id: 'signin-password', required: true }),
  };
  const message = formMessage();
  const submit = h('button', { type: 'submit', class: 'button button-primary button-block', text: 'Sign in' });
  let working = false;

  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'page-title', onSubmit: onSubmit },
    message.el,
    fields.email.el,
    fields.password.el,
    submit);

  outlet.append(authLayout(
    h('h1', { id: 'page-title', class: 'page-title', tabindex: '-1', text: 'Sign in' }),
    h('p', { class: 'lead', text: 'Welcome back. Sign in to see your pictures.' }),
    form,
    h('p', { class: 'switch' }, 'New to Shutterbus? ', h('a', { href: '/register', 'data-link': true, text: 'Create an account' }))));

  if (app.notice) {
    message.show(app.notice.text, { tone: app.notice.tone || 'info' });
  }

  async function onSubmit(event) {
    event.preventDefault();
    if (working) {
      return;
    }
    message.hide();
    Object.values(fields).forEach((f) => f.clearError());
    const email = fields.email.input.value.trim();
    const password = fields.password.input.value;
    if (!email) {
      fields.email.setError('Enter your e-mail address.');
    } else if (!EMAIL_SHAPE.test(email)) {
      fields.email.setError('Enter an e-mail address like name@example.com.');
    }
    if (!password) {
      fields.password.setError('Enter your password.');
    }
    if (focusFirstInvalid(fields)) {
      return;
    }
    working = true;
    const done = busy(submit, 'Signing in…');
    try {
      await signIn(email, password);
      app.navigate(app.nextPath || '/gallery', { replace: true });
    } catch (err) {
      done();
      working = false;
      const text = describe(err, { context: 'signin' });
      if (err.field && fields[err.field]) {
        fields[err.field].setError(text);
        focusFirstInvalid(fields);
      } else {
        message.show(text, { reference: err.status >= 500 ? reference(err) : null });
        fields.password.input.select();
        fields.password.input.focus();
      }
    }
  }

  return {};
}
