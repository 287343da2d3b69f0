// Live status changes of the signed-in person's images, from GET /api/events/stream. EventSource
// can't send an Authorization header, so the stream is read with fetch() and parsed here. The
// connection comes back by itself (with backoff) and asks the server again about anything it may
// have missed while it was away, so the page never polls.
import { accessToken, renewAfter401 } from './session.js';

const HEARTBEAT_TIMEOUT_MS = 45_000; // the server pings every 15 s
const MAX_BACKOFF_MS = 30_000;
const REMEMBERED = 200;

const subscribers = new Set();
const latest = new Map(); // imageId -> last event, for cards that appear after their event
let controller = null;
let generation = 0; // each start() begins a new one; a loop of an older one ends itself
let running = false;
let connected = false;

/** fn({type, data}) for every event; fn({type: 'open'}) on each (re)connection. */
export function subscribe(fn) {
  subscribers.add(fn);
  return () => subscribers.delete(fn);
}

export function isConnected() {
  return connected;
}

/** The last event seen for an image, if any. */
export function lastEventFor(imageId) {
  return latest.get(imageId) || null;
}

export function forget(imageId) {
  latest.delete(imageId);
}

function publish(event) {
  if (event.data && event.data.imageId) {
    latest.delete(event.data.imageId);
    latest.set(event.data.imageId, event);
    if (latest.size > REMEMBERED) {
      latest.delete(latest.keys().next().value);
    }
  }
  for (const fn of [...subscribers]) {
    try {
      fn(event);
    } catch (err) {
      console.warn('live update handler failed', err);
    }
  }
}

export function start() {
  if (running) {
    return;
  }
  running = true;
  generation += 1;
  loop(generation);
}

export function stop() {
  running = false;
  connected = false;
  latest.clear();
  if (controller) {
    controller.abort();
    controller = null;
  }
}

const sleep = (ms) => new Promise((resolve) => window.setTimeout(resolve, ms));

async function loop(mine) {
  let backoff = 1000;
  const current = () => running && mine === generation;
  while (current()) {
    const outcome = await connectOnce(() => {
      backoff = 1000;
    });
    if (!current()) {
      return;
    }
    connected = false;
    if (outcome === 'signed-out') {
      running = false;
      return;
    }
    await sleep(backoff / 2 + Math.random() * (backoff / 2));
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  }
}

async function connectOnce(onData) {
  controller = new AbortController();
  const signal = controller.signal;
  let res;
  try {
    res = await fetch('/api/events/stream', {
      headers: { Accept: 'text/event-stream', Authorization: `Bearer ${accessToken()}` },
      cache: 'no-store',
      credentials: 'same-origin',
      signal,
    });
  } catch {
    return 'retry';
  }
  if (res.status === 401) {
    return (await renewAfter401()) ? 'retry' : 'signed-out';
  }
  if (!res.ok || !res.body) {
    return 'retry';
  }
  connected = true;
  publish({ type: 'open' });

  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new EventStreamParser((type, data) => {
    let parsed = null;
    try {
      parsed = JSON.parse(data);
    } catch {
      return;
    }
    publish({ type, data: parsed });
  });
  await pumpEventStream(reader, parser, onData, () => controller && controller.abort());
  return 'retry';
}

/**
 * Feeds a text/event-stream body to {@code parser} until it ends, fails, or stays silent longer
 * than {@code HEARTBEAT_TIMEOUT_MS} (the server pings every 15 s): then {@code abort} is called.
 * Resolves in every case, so the caller simply reconnects.
 */
export async function pumpEventStream(reader, parser, onData, abort) {
  let watchdog = 0;
  const arm = () => {
    window.clearTimeout(watchdog);
    watchdog = window.setTimeout(abort, HEARTBEAT_TIMEOUT_MS);
  };
  arm();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        break;
      }
      arm();
      onData();
      parser.push(value);
    }
  } catch {
    // aborted, silent for too long, or the connection dropped
  } finally {
    window.clearTimeout(watchdog);
  }
}

/** The text/event-stream format: fields per line, an empty line ends an event, ':' starts a comment. */
export class EventStreamParser {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buffer = '';
    this.type = '';
    this.data = [];
  }

  push(text) {
    this.buffer += text;
    // A lone CR at the very end may be the first half of a CRLF split across chunks: wait for more.
    const lines = this.buffer.split(/\r\n|\r(?!$)|\n/);
    this.buffer = lines.pop();
    for (const line of lines) {
      this.line(line);
    }
  }

  line(line) {
    if (line === '') {
      if (this.data.length > 0) {
        this.onEvent(this.type || 'message', this.data.join('\n'));
      }
      this.type = '';
      this.data = [];
      return;
    }
    if (line.startsWith(':')) {
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    if (field === 'event') {
      this.type = value;
    } else if (field === 'data') {
      this.data.push(value);
    }
  }
}
