// A live tail of one Kafka topic: GET /api/admin/events/topics/{topic}/tail?key&q, read with fetch()
// (the bearer token can't ride on an EventSource) and parsed with the portal's SSE parser. The
// server applies the filters and starts at the end of the topic; this side reconnects with backoff
// and lets the page ask again about anything it may have missed while it was away.
import { EventStreamParser, pumpEventStream } from '../live.js';
import { ApiError, describe } from '../problems.js';
import { accessToken, renewAfter401 } from '../session.js';

const MAX_BACKOFF_MS = 30_000;

const sleep = (ms, signal) => new Promise((resolve) => {
  const timer = window.setTimeout(resolve, ms);
  signal.addEventListener('abort', () => {
    window.clearTimeout(timer);
    resolve();
  }, { once: true });
});

/**
 * onMessage(item) for each event; onState(state, detail) with state 'connecting', 'live',
 * 'retrying' (detail: a sentence), 'forbidden', 'failed' (detail: a sentence) or 'stopped'.
 */
export class TopicTail {
  constructor({ topic, key = '', q = '', onMessage, onState }) {
    this.topic = topic;
    this.key = key;
    this.q = q;
    this.onMessage = onMessage;
    this.onState = onState;
    this.stopper = null;
  }

  get running() {
    return this.stopper !== null;
  }

  start() {
    if (this.stopper) {
      return;
    }
    this.stopper = new AbortController();
    this.loop(this.stopper.signal);
  }

  stop() {
    if (!this.stopper) {
      return;
    }
    this.stopper.abort();
    this.stopper = null;
    this.onState('stopped');
  }

  url() {
    const query = new URLSearchParams();
    if (this.key) {
      query.set('key', this.key);
    }
    if (this.q) {
      query.set('q', this.q);
    }
    const suffix = query.toString() ? `?${query}` : '';
    return `/api/admin/events/topics/${encodeURIComponent(this.topic)}/tail${suffix}`;
  }

  async loop(stopped) {
    let backoff = 1000;
    let renewed = false;
    while (!stopped.aborted) {
      this.onState('connecting');
      const outcome = await this.connectOnce(stopped, () => {
        backoff = 1000;
      });
      if (stopped.aborted) {
        return;
      }
      if (outcome.final) {
        this.stopper = null;
        this.onState(outcome.state, outcome.detail);
        return;
      }
      // A fresh token is tried at once, but only once in a row: a server that keeps refusing gets the backoff.
      if (outcome.renewed && !renewed) {
        renewed = true;
        continue;
      }
      renewed = false;
      const wait = backoff / 2 + Math.random() * (backoff / 2);
      this.onState('retrying', outcome.detail || 'The live tail lost its connection. Reconnecting…');
      await sleep(wait, stopped);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }

  async connectOnce(stopped, onData) {
    const connection = new AbortController();
    const abort = () => connection.abort();
    stopped.addEventListener('abort', abort, { once: true });
    try {
      let res;
      try {
        res = await fetch(this.url(), {
          headers: { Accept: 'text/event-stream', Authorization: `Bearer ${accessToken()}` },
          cache: 'no-store',
          credentials: 'same-origin',
          signal: connection.signal,
        });
      } catch {
        return { detail: describe(ApiError.network()) };
      }
      if (res.status === 401) {
        return (await renewAfter401()) ? { renewed: true } : { final: true, state: 'stopped' };
      }
      if (res.status === 403) {
        return { final: true, state: 'forbidden' };
      }
      if (!res.ok || !res.body) {
        const err = await ApiError.fromResponse(res);
        const retry = res.status === 429 || res.status >= 500;
        return retry ? { detail: describe(err) } : { final: true, state: 'failed', detail: describe(err) };
      }
      return await this.read(res, connection, onData);
    } finally {
      stopped.removeEventListener('abort', abort);
    }
  }

  async read(res, connection, onData) {
    let serverError = null;
    const parser = new EventStreamParser((type, data) => {
      let parsed = null;
      try {
        parsed = JSON.parse(data);
      } catch {
        return;
      }
      if (type === 'message') {
        this.onMessage(parsed);
      } else if (type === 'error') {
        serverError = parsed && typeof parsed.detail === 'string' ? parsed.detail : null;
      }
    });
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    this.onState('live');
    await pumpEventStream(reader, parser, onData, () => connection.abort());
    return serverError ? { detail: `The live tail was interrupted (${serverError}). Reconnecting…` } : {};
  }
}
