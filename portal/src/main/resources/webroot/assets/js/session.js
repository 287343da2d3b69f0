// The signed-in session. The access token lives in this module's memory only (never in
// localStorage or sessionStorage); a reload gets a new one from the HttpOnly refresh cookie.
import { ApiError } from './problems.js';

const listeners = new Set();
let token = null;
let refreshTimer = 0;
let refreshing = null;
let user = null;

export function isSignedIn() {
  return token !== null;
}

export function accessToken() {
  return token;
}

/** The signed-in person's profile (GET /api/me), once loaded. */
export function currentUser() {
  return user;
}

/** fn(reason) with reason 'signed-in', 'signed-out', 'expired' or 'profile'. */
export function onChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function emit(reason) {
  for (const fn of [...listeners]) {
    fn(reason);
  }
}

function accept(body) {
  token = body.accessToken;
  window.clearTimeout(refreshTimer);
  const seconds = Number(body.expiresIn) > 0 ? Number(body.expiresIn) : 900;
  // Renew a minute early so calls rarely meet an expired token.
  refreshTimer = window.setTimeout(() => refresh().catch(() => {}), Math.max(10, seconds - 60) * 1000);
}

function drop() {
  token = null;
  user = null;
  window.clearTimeout(refreshTimer);
}

async function send(path, init = {}) {
  try {
    return await fetch(path, { credentials: 'same-origin', cache: 'no-store', ...init });
  } catch (err) {
    if (err && err.name === 'AbortError') {
      throw err;
    }
    throw ApiError.network();
  }
}

// Two tabs refreshing with the same cookie at once would look like a replayed token and revoke the
// whole family, so refreshes are serialised across tabs where the browser can.
function exclusively(task) {
  if (navigator.locks && typeof navigator.locks.request === 'function') {
    return navigator.locks.request('shutterbus-refresh', task);
  }
  return task();
}

/**
 * Gets a new access token from the refresh cookie. Resolves true when signed in, false when the
 * cookie is missing, expired or revoked; rejects with an ApiError when the server can't answer.
 */
export function refresh() {
  if (!refreshing) {
    refreshing = exclusively(async () => {
      const res = await send('/api/auth/refresh', { method: 'POST', headers: { Accept: 'application/json' } });
      if (res.ok) {
        accept(await res.json());
        return true;
      }
      if (res.status >= 400 && res.status < 500 && res.status !== 429) {
        // No cookie, an expired or revoked one, or no sign-in service at this address: not signed in.
        expire();
        return false;
      }
      throw await ApiError.fromResponse(res);
    }).finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

/** On a reload: signs in silently when the refresh cookie is still good. */
export async function restore() {
  if (!(await refresh())) {
    return false;
  }
  await loadProfileIfUp();
  if (!isSignedIn()) {
    return false;
  }
  emit('signed-in');
  return true;
}

// Signed in even when the profile can't be read this instant: each page loads what it shows.
async function loadProfileIfUp() {
  try {
    await loadProfile();
  } catch {
    user = null;
  }
}

export async function signIn(email, password) {
  const res = await send('/api/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) {
    throw await ApiError.fromResponse(res);
  }
  accept(await res.json());
  await loadProfileIfUp();
  emit('signed-in');
}

export async function register(name, email, password) {
  const res = await send('/api/auth/register', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ name, email, password }),
  });
  if (!res.ok) {
    throw await ApiError.fromResponse(res);
  }
  return res.json();
}

export async function signOut() {
  try {
    await send('/api/auth/logout', { method: 'POST' });
  } catch {
    // Signed out locally either way; the cookie expires on its own.
  }
  drop();
  emit('signed-out');
}

/** The session is over (refresh refused): forget it and, if there was one, let the app say so. */
function expire() {
  const hadSession = token !== null;
  drop();
  if (hadSession) {
    emit('expired');
  }
}

/**
 * Calls the API with the access token. A 401 gets one refresh and one retry; if that fails the
 * session is over. Resolves with the JSON body (null for 204); rejects with an ApiError.
 */
export async function api(path, { method = 'GET', json, signal } = {}) {
  const attempt = async () => {
    const headers = { Accept: 'application/json' };
    if (token) {
      headers.Authorization = `Bearer ${token}`;
    }
    const init = { method, headers, signal };
    if (json !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(json);
    }
    return send(path, init);
  };
  let res = await attempt();
  if (res.status === 401) {
    if (await renewAfter401()) {
      res = await attempt();
    }
    if (res.status === 401) {
      expire();
      throw ApiError.sessionEnded();
    }
  }
  if (!res.ok) {
    throw await ApiError.fromResponse(res);
  }
  if (res.status === 204) {
    return null;
  }
  const type = res.headers.get('content-type') || '';
  return type.includes('json') ? res.json() : null;
}

/** After a 401: true when a refresh got a new token; false (and the session ends) when refused. */
export async function renewAfter401() {
  let renewed = false;
  try {
    renewed = await refresh();
  } catch {
    renewed = false;
  }
  if (!renewed) {
    expire();
  }
  return renewed;
}

export async function loadProfile() {
  user = await api('/api/me');
  emit('profile');
  return user;
}
