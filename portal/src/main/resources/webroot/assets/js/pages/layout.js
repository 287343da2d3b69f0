import { h } from '../dom.js';
import { icon } from '../icons.js';

/** The frame of the signed-out pages: the form card, and beside it on wide screens a short pitch. */
export function authLayout(...children) {
  return h('div', { class: 'auth' },
    h('section', { class: 'auth-card' }, ...children),
    h('aside', { class: 'auth-hero' },
      h('div', { class: 'auth-hero-tiles' },
        h('span', { class: 'tile tile-1' }, icon('image', 'icon icon-lg')),
        h('span', { class: 'tile tile-2' }),
        h('span', { class: 'tile tile-3' }),
        h('span', { class: 'tile tile-4' }, icon('check', 'icon icon-lg'))),
      h('p', { class: 'auth-hero-title', text: 'Your pictures, ready in a moment.' }),
      h('p', { class: 'auth-hero-text', text: 'Drop them in, keep going: thumbnails appear by themselves while Shutterbus does the work.' })));
}

/** The frame of the signed-in pages: a heading row and the page's content. */
export function pageHeader(titleText, ...aside) {
  return h('div', { class: 'page-header' },
    h('h1', { id: 'page-title', class: 'page-title', tabindex: '-1', text: titleText }),
    aside.length ? h('div', { class: 'page-header-actions' }, ...aside) : null);
}
