// Shutterbus portal: a small client-side router over four pages, the header, and the live region
// that announces what changes. Nothing here is rendered from markup strings.
import { h, clear } from './dom.js';
import { icon } from './icons.js';
import { describe } from './problems.js';
import * as session from './session.js';
import * as live from './live.js';
import * as signinPage from './pages/signin.js';
import * as registerPage from './pages/register.js';
import * as profilePage from './pages/profile.js';
import * as galleryPage from './pages/gallery.js';
import { avatarElement } from './pages/avatar.js';

const ROUTES = [
  { pattern: /^\/signin\/?$/, page: signinPage, signedOut: true },
  { pattern: /^\/register\/?$/, page: registerPage, signedOut: true },
  { pattern: /^\/profile(?:\/.*)?$/, page: profilePage, nav: '/profile' },
  { pattern: /^\/gallery(?:\/.*)?$/, page: galleryPage, nav: '/gallery' },
];

const outlet = document.getElementById('main');
const status = document.getElementById('status');
const nav = document.getElementById('nav');

let current = null; // {route, controller}
let rendered = ''; // the path and query last rendered: a change of #fragment alone is no new page
let firstRender = true;

/** Says something to screen readers and shows it briefly; each message stays for 6 seconds, two at most. */
function announce(text) {
  const line = h('p', { class: 'toast', text });
  status.append(line);
  while (status.children.length > 2) {
    status.firstElementChild.remove();
  }
  window.setTimeout(() => line.remove(), 6000);
}

/** Only paths of this app: never another origin, never a protocol-relative URL. */
function internalPath(value) {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\')
    ? value : null;
}

function navigate(path, { replace = false, notice = null, state = null } = {}) {
  const target = internalPath(path) || '/';
  if (replace) {
    window.history.replaceState(state, '', target);
  } else {
    window.history.pushState(state, '', target);
  }
  render({ notice });
}

function resolve(pathname) {
  if (pathname === '/' || pathname === '/index.html') {
    return { redirect: session.isSignedIn() ? '/gallery' : '/signin' };
  }
  const route = ROUTES.find((r) => r.pattern.test(pathname));
  if (!route) {
    return { redirect: session.isSignedIn() ? '/gallery' : '/signin' };
  }
  if (route.signedOut && session.isSignedIn()) {
    return { redirect: '/gallery' };
  }
  if (!route.signedOut && !session.isSignedIn()) {
    return { redirect: `/signin?next=${encodeURIComponent(pathname)}` };
  }
  return { route };
}

function render({ notice = null } = {}) {
  const pathname = window.location.pathname;
  const { route, redirect } = resolve(pathname);
  if (redirect) {
    window.history.replaceState(null, '', redirect);
    render({ notice });
    return;
  }
  rendered = pathname + window.location.search;
  if (current && current.route === route && current.controller.route) {
    current.controller.route(pathname);
    return;
  }
  if (current && current.controller.unmount) {
    current.controller.unmount();
  }
  clear(outlet);
  updateHeader(route);
  const params = new URLSearchParams(window.location.search);
  const controller = route.page.mount(outlet, {
    navigate,
    announce,
    notice,
    nextPath: internalPath(params.get('next')),
  }) || {};
  current = { route, controller };
  document.title = `${route.page.title} · Shutterbus`;
  if (!firstRender) {
    // A new page: put the keyboard and the screen reader at its heading.
    const heading = document.getElementById('page-title');
    if (heading) {
      heading.focus({ preventScroll: true });
    }
    window.scrollTo(0, 0);
  }
  firstRender = false;
  if (notice && notice.text) {
    announce(notice.text);
  }
}

function updateHeader(route) {
  clear(nav);
  document.body.classList.toggle('signed-in', session.isSignedIn());
  if (!session.isSignedIn()) {
    nav.hidden = true;
    return;
  }
  nav.hidden = false;
  const user = session.currentUser();
  const link = (href, text, iconName) => h('a', {
    href, class: 'nav-link', 'data-link': true, 'aria-current': route && route.nav === href ? 'page' : null,
  }, icon(iconName), h('span', { text }));
  nav.append(
    h('ul', { class: 'nav-links' },
      h('li', {}, link('/gallery', 'Gallery', 'image')),
      h('li', {}, link('/profile', 'Profile', 'user'))),
    h('div', { class: 'nav-user' },
      user ? h('span', { class: 'nav-person' }, avatarElement(user, 'sm'), h('span', { class: 'nav-name', id: 'nav-name', text: user.name })) : null,
      h('button', { type: 'button', class: 'button button-ghost button-sm', id: 'sign-out', onClick: signOut },
        icon('signout', 'icon icon-sm'), h('span', { text: 'Sign out' }))));
}

async function signOut() {
  live.stop();
  await session.signOut();
  navigate('/signin', { replace: true, notice: { text: 'You are signed out. See you soon!', tone: 'success' } });
}

// In-page links: no reload, just the router. Modified clicks (new tab, etc.) keep their meaning.
document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[data-link]') : null;
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
    return;
  }
  event.preventDefault();
  const path = link.getAttribute('href');
  if (path !== window.location.pathname + window.location.search) {
    navigate(path);
  }
});

window.addEventListener('popstate', () => {
  if (window.location.pathname + window.location.search !== rendered) {
    render();
  }
});

session.onChange((reason) => {
  if (reason === 'signed-in') {
    live.start();
  } else if (reason === 'profile' && current) {
    updateHeader(current.route);
  } else if (reason === 'expired') {
    live.stop();
    const here = window.location.pathname;
    navigate(`/signin?next=${encodeURIComponent(here)}`, {
      replace: true, notice: { text: 'Your session has ended. Please sign in again.', tone: 'info' },
    });
  }
});

async function boot() {
  let notice = null;
  try {
    await session.restore();
  } catch (err) {
    notice = { text: describe(err), tone: 'error' };
  }
  document.body.classList.remove('booting');
  render({ notice });
}

boot();
