// The live tail as the page uses it: new events go on top of the list, or, while paused, are
// counted and held until Resume. After each (re)connection the latest events are asked for once
// more, so nothing that came while the tail was getting ready is missed; duplicates are dropped.
import { TopicTail } from './events-tail.js';
import { TailBar } from './events-tailbar.js';

const count = (n, one, many) => `${n} ${n === 1 ? one : many}`;
const idOf = (item) => `${item.partition}:${item.offset}`;

export class LiveFeed {
  /**
   * list: the EventList; topics: the TopicPicker (its counts follow); latest(topic): the newest
   * events with the current filters, or null when the list shows older ones; onChange() after
   * events were added; onForbidden() when the server refuses.
   */
  constructor({ announce, list, topics, latest, onChange, onForbidden }) {
    this.announce = announce;
    this.list = list;
    this.topics = topics;
    this.latest = latest;
    this.onChange = onChange;
    this.onForbidden = onForbidden;
    this.tail = null;
    this.topic = null;
    this.held = new Map();
    this.news = 0;
    this.newsTimer = 0;
    this.catchUps = [];
    this.bar = new TailBar({
      onToggle: () => (this.tail ? this.stop() : this.start(this.topic, this.filters)),
      onPause: () => (this.bar.paused ? this.resume() : this.pause()),
    });
    this.el = this.bar.el;
  }

  get running() {
    return this.tail !== null;
  }

  /** Where the tail would look; a running tail moves there at once. */
  follow(topic, filters) {
    const wasRunning = this.running;
    this.stop();
    this.topic = topic;
    this.filters = filters;
    if (wasRunning) {
      this.start(topic, filters);
    }
  }

  start(topic, filters) {
    if (this.tail || !topic) {
      return;
    }
    this.topic = topic;
    this.filters = filters;
    this.held.clear();
    this.bar.setPaused(false, 0);
    this.tail = new TopicTail({
      topic,
      key: filters.key,
      q: filters.q,
      onMessage: (item) => this.arrived([item]),
      onState: (state, detail) => this.state(state, detail),
    });
    this.tail.start();
  }

  stop() {
    if (!this.tail) {
      return;
    }
    const tail = this.tail;
    this.tail = null;
    this.cancelCatchUps();
    tail.stop();
    this.release();
  }

  state(state, detail) {
    if (state === 'forbidden') {
      this.onForbidden();
      return;
    }
    if (state === 'failed' || state === 'stopped') {
      this.tail = null;
    }
    this.bar.show(state, detail);
    if (state === 'failed') {
      this.announce(detail);
    }
    if (state === 'live') {
      // The server positions the tail at the end a moment after it answers: ask twice, shortly after.
      this.cancelCatchUps();
      this.catchUps = [1500, 6000].map((ms) => window.setTimeout(() => this.catchUp(), ms));
    }
  }

  async catchUp() {
    const topic = this.topic;
    try {
      const items = await this.latest(topic);
      if (items && this.tail && topic === this.topic) {
        this.arrived(items);
      }
    } catch {
      // the tail itself is up; the next reconnection asks again
    }
  }

  arrived(items) {
    const fresh = items.filter((item) => item.topic === this.topic && !this.list.has(item) && !this.held.has(idOf(item)));
    if (fresh.length === 0) {
      return;
    }
    this.topics.bump(this.topic, fresh.length);
    if (this.bar.paused) {
      fresh.forEach((item) => this.held.set(idOf(item), item));
      this.bar.setPaused(true, this.held.size);
      return;
    }
    this.list.prepend(fresh);
    this.onChange();
    this.news += fresh.length;
    if (!this.newsTimer) {
      // Several events at once make one announcement, not a burst of them.
      this.newsTimer = window.setTimeout(() => {
        this.announce(`${count(this.news, 'new event', 'new events')} in ${this.topic}.`);
        this.news = 0;
        this.newsTimer = 0;
      }, 1500);
    }
  }

  // Start, stop, pause and resume are read out by the bar's own status line; only what changed on
  // the list is announced besides.
  pause() {
    this.bar.setPaused(true, this.held.size);
  }

  resume() {
    const added = this.release();
    if (added > 0) {
      this.announce(`${count(added, 'new event', 'new events')} added at the top.`);
    }
  }

  /** Puts the held events on the list and leaves the paused state; answers how many were added. */
  release() {
    const waiting = [...this.held.values()];
    this.held.clear();
    this.bar.setPaused(false, 0);
    const added = waiting.length ? this.list.prepend(waiting) : 0;
    if (added) {
      this.onChange();
    }
    return added;
  }

  cancelCatchUps() {
    this.catchUps.forEach((t) => window.clearTimeout(t));
    this.catchUps = [];
  }

  dispose() {
    this.stop();
    window.clearTimeout(this.newsTimer);
  }
}
