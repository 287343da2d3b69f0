// What the k6 scenarios share: settings from the environment, and the requests a user makes, each
// tagged with the request name that scenarios.md, the thresholds and the Gatling twin use.
import http from 'k6/http';
import { check, fail, sleep } from 'k6';
import { Trend } from 'k6/metrics';
import { distinctPng } from './png.js';

export const BASE_URL = (__ENV.BASE_URL || 'http://gateway:8080').replace(/\/+$/, '');
export const DURATION = __ENV.DURATION || '1m';
export const RATE = Number(__ENV.RATE || '1');
export const PASSWORD = 'correct horse battery staple';

/** Accepted (202) until no longer processing, as the poll sees it (every 100 ms). */
export const acceptedToReady = new Trend('accepted_to_ready', true);

// A failed request is one whose status is not one of these (k6 counts it in http_req_failed).
http.setResponseCallback(http.expectedStatuses(200, 201, 202, 304));

/** @param {string} token */
function bearer(token) {
  return { Authorization: `Bearer ${token}` };
}

/**
 * @param {import('k6/http').RefinedResponse<any>} res
 * @param {string} name
 * @param {number} status
 */
function expect(res, name, status) {
  return check(res, { [`${name} is ${status}`]: (r) => r.status === status });
}

/** Registers a fresh account and signs in: its access token (the refresh cookie stays in the VU's jar). */
export function registerAndLogin(prefix = 'k6') {
  const email = `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e9)}@example.com`;
  const json = { headers: { 'Content-Type': 'application/json' } };
  const registered = http.post(`${BASE_URL}/api/auth/register`,
    JSON.stringify({ email, password: PASSWORD, name: 'k6' }), { ...json, tags: { name: 'register' } });
  if (!expect(registered, 'register', 201)) fail(`register: ${registered.status} ${registered.body}`);
  const login = http.post(`${BASE_URL}/api/auth/login`,
    JSON.stringify({ email, password: PASSWORD }), { ...json, tags: { name: 'login' } });
  if (!expect(login, 'login', 200)) fail(`login: ${login.status} ${login.body}`);
  return String(login.json('accessToken'));
}

/**
 * Uploads a distinct PNG, polls it every 100 ms until it is not processing, records accepted_to_ready.
 * @param {string} token @returns {any} the image as the API shows it
 */
export function uploadAndAwaitReady(token, width = 320, height = 240) {
  const png = distinctPng(width, height, Math.floor(Math.random() * 2147483647));
  const accepted = http.post(`${BASE_URL}/api/images`, { image: http.file(png, 'load.png', 'image/png') },
    { headers: bearer(token), tags: { name: 'upload' } });
  if (!expect(accepted, 'upload', 202)) fail(`upload: ${accepted.status} ${accepted.body}`);
  const acceptedAt = Date.now();
  const id = accepted.json('id');
  for (;;) {
    const res = http.get(`${BASE_URL}/api/images/${id}`, { headers: bearer(token), tags: { name: 'image_status' } });
    if (!expect(res, 'image_status', 200)) fail(`image_status: ${res.status}`);
    const image = res.json();
    if (image && /** @type {any} */ (image).status !== 'processing') {
      acceptedToReady.add(Date.now() - acceptedAt);
      return image;
    }
    sleep(0.1);
  }
}

/** @param {string} token @param {string} name @param {string} query @returns {any} */
export function gallery(token, name, query) {
  const res = http.get(`${BASE_URL}/api/images${query}`, { headers: bearer(token), tags: { name } });
  expect(res, name, 200);
  return res.status === 200 ? res.json() : { items: [] };
}

/** @param {any} page */
export function thumbnails(page) {
  for (const item of page.items || []) {
    const res = http.get(`${BASE_URL}${item.thumbnails['256']}`, { tags: { name: 'thumbnail' } });
    expect(res, 'thumbnail', 200);
  }
}

/** Rotates the refresh cookie: the new access token. */
export function refresh() {
  const res = http.post(`${BASE_URL}/api/auth/refresh`, null, { tags: { name: 'refresh' } });
  expect(res, 'refresh', 200);
  return res.status === 200 ? String(res.json('accessToken')) : '';
}

/** @param {string} token */
export function me(token) {
  expect(http.get(`${BASE_URL}/api/me`, { headers: bearer(token), tags: { name: 'me' } }), 'me', 200);
}

/** The original, then the same URL revalidated with its ETag: a 304 without the bytes. @param {string} path */
export function originalWithRevalidation(path) {
  const first = http.get(`${BASE_URL}${path}`, { tags: { name: 'original' } });
  expect(first, 'original', 200);
  const etag = first.headers.Etag || first.headers.ETag || '';
  const again = http.get(`${BASE_URL}${path}`, { headers: { 'If-None-Match': etag }, tags: { name: 'original_revalidate' } });
  expect(again, 'original_revalidate', 304);
}

/** k6 duration text ('90s', '2m', '1h') in seconds. @param {string} text */
export function seconds(text) {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text);
  if (!m) throw new Error(`DURATION '${text}' is not like 30s, 2m or 1h`);
  return Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[/** @type {'ms'|'s'|'m'|'h'} */ (m[2])];
}
