// The Events page (administrators): what flows through Kafka. Topics with their counts; the chosen
// topic's recent messages, newest first, filtered by key and text on the server; a live tail that
// can be paused (new events are counted, not shown) and resumed; one event's headers and value; and
// how far each consumer group lags behind. Everyone else reads one sentence and gets no data.
import { h, clear } from '../dom.js';
import { icon } from '../icons.js';
import { field, formMessage } from '../forms.js';
import { describe, reference } from '../problems.js';
import { api, currentUser, isAdmin, loadProfile } from '../session.js';
import { pageHeader } from './layout.js';
import { TopicPicker } from './events-topics.js';
import { EventList, eventDetail } from './events-list.js';
import { GroupLag } from './events-groups.js';
import { TopicTail } from './events-tail.js';
import { TailBar } from './events-tailbar.js';

export const title = 'Events';

const LIMIT = 50;
const START_FROM = [
  ['latest', 'Latest events'],
  ['1h', 'The last hour'],
  ['1d', 'The last 24 hours'],
  ['beginning', 'The beginning'],
];
const count = (n, one, many) => `${n} ${n === 1 ? one : many}`;

export function mount(outlet, app) {
  const page = h('div', { class: 'page events-page' }, pageHeader('Events'));
  outlet.append(page);
  let inspector = null;
  let gone = false;

  const denied = () => {
    if (inspector) {
      inspector.dispose();
      inspector = null;
    }
    clear(page);
    page.append(pageHeader('Events'), h('p', { class: 'events-denied', id: 'events-denied', text: 'This page is for administrators.' }));
  };
  const open = (user) => {
    if (gone) {
      return;
    }
    if (!isAdmin(user)) {
      denied();
      return;
    }
    inspector = new EventsInspector(page, app, denied);
  };

  if (currentUser()) {
    open(currentUser());
  } else {
    const message = formMessage();
    page.append(message.el);
    loadProfile().then(open, (err) => {
      if (!err.sessionEnded && !gone) {
        message.show(describe(err), { reference: err.status >= 500 ? reference(err) : null });
      }
    });
  }

  return {
    route: () => inspector && inspector.followAddress(),
    unmount() {
      gone = true;
      if (inspector) {
        inspector.dispose();
      }
    },
  };
}

class EventsInspector {
  constructor(page, app, denied) {
    this.app = app;
    this.denied = denied;
    this.topic = null;
    this.filters = { key: '', q: '', from: 'latest' };
    this.tail = null;
    this.held = new Map(); // partition:offset -> item, while paused
    this.query = 0; // the newest list request; older answers are dropped
    this.pendingNews = 0;
    this.newsTimer = 0;
    this.reconcileTimers = [];

    this.message = formMessage();
    this.topics = new TopicPicker({ onChoose: (name) => this.choose(name, true), onRefresh: () => this.loadTopics(true) });
    this.list = new EventList({ labelledBy: 'messages-title', onOpen: (item, row) => this.openDetail(item, row) });
    this.groups = new GroupLag({ announce: app.announce, onForbidden: denied });
    this.bar = new TailBar({
      onToggle: () => (this.tail ? this.stopTail(true) : this.startTail(true)),
      onPause: () => (this.bar.paused ? this.resume() : this.pause()),
    });
    this.messagesTitle = h('h2', { class: 'section-title', id: 'messages-title', text: 'Messages' });
    this.summary = h('p', { class: 'muted section-note', id: 'event-list-summary', text: 'Choose a topic to see its messages.' });
    this.detail = h('section', { class: 'event-detail', id: 'event-detail', 'aria-label': 'Event details' });
    this.closeDetail();

    page.append(this.message.el, this.topics.el,
      h('section', { class: 'events-section', 'aria-labelledby': 'messages-title' },
        h('div', { class: 'section-header' }, this.messagesTitle),
        this.filterForm(),
        this.bar.el,
        h('div', { class: 'events-browser' },
          h('div', { class: 'event-list-column' }, this.summary, this.list.el),
          this.detail)),
      this.groups.el);

    this.loadTopics(false);
    this.groups.load();
  }

  filterForm() {
    this.keyField = field({ label: 'Key', name: 'key', id: 'filter-key', hint: 'The exact key, such as a user or image id.', spellcheck: 'false', autocomplete: 'off' });
    this.textField = field({ label: 'Text', name: 'q', id: 'filter-text', hint: 'Found in the value or a header.', spellcheck: 'false', autocomplete: 'off' });
    this.fromSelect = h('select', { id: 'filter-from', name: 'from', class: 'input select', 'aria-describedby': 'filter-from-hint' },
      START_FROM.map(([value, label]) => h('option', { value, text: label })));
    const from = h('div', { class: 'field' },
      h('label', { for: 'filter-from', class: 'label', text: 'Messages from' }),
      h('p', { class: 'hint', id: 'filter-from-hint', text: `Up to ${LIMIT} events. The live tail always starts now.` }),
      this.fromSelect);
    return h('form', { class: 'event-filters', role: 'search', 'aria-label': 'Filter messages', novalidate: true, onSubmit: (e) => this.applyFilters(e) },
      this.keyField.el, this.textField.el, from,
      h('div', { class: 'event-filter-actions' },
        h('button', { type: 'submit', class: 'button button-primary', id: 'filter-apply', text: 'Apply filters' }),
        h('button', { type: 'button', class: 'button button-ghost', id: 'filter-clear', text: 'Clear', onClick: () => this.clearFilters() })));
  }

  // ---- topics
  async loadTopics(byButton) {
    try {
      const answer = await api('/api/admin/events/topics');
      this.topics.show((answer && answer.topics) || []);
      const asked = new URLSearchParams(window.location.search).get('topic');
      const first = this.topic && this.topics.names().includes(this.topic) ? this.topic : this.topics.preferred(asked);
      if (first && first !== this.topic) {
        this.choose(first, false);
      } else {
        this.topics.choose(this.topic);
      }
      if (byButton) {
        this.app.announce(`${count(this.topics.topics.length, 'topic', 'topics')} refreshed.`);
      }
    } catch (err) {
      this.failed(err, (text) => this.topics.failed(`Topics couldn’t be loaded. ${text}`));
    }
  }

  /** The address names a topic (Back, Forward, a shared link): show that one. */
  followAddress() {
    const asked = new URLSearchParams(window.location.search).get('topic');
    if (asked && asked !== this.topic && this.topics.names().includes(asked)) {
      this.choose(asked, false);
    }
  }

  choose(name, byPerson) {
    const wasLive = this.tail !== null;
    this.stopTail(false);
    this.topic = name;
    this.topics.choose(name);
    this.messagesTitle.textContent = `Messages in ${name}`;
    window.history.replaceState(window.history.state, '', `/events?topic=${encodeURIComponent(name)}`);
    this.closeDetail();
    this.loadMessages(byPerson ? `${name} chosen.` : null);
    if (wasLive) {
      this.startTail(false);
    }
  }

  // ---- messages
  async loadMessages(sayWhenDone = null) {
    if (!this.topic) {
      return;
    }
    const mine = ++this.query;
    const params = this.listParams(this.filters.from);
    this.list.el.setAttribute('aria-busy', 'true');
    this.summary.textContent = 'Loading messages…';
    try {
      const answer = await api(`${this.topicPath()}/messages?${params}`);
      if (mine !== this.query) {
        return;
      }
      const items = (answer && answer.items) || [];
      this.list.replace(items);
      this.closeDetail();
      this.summarise();
      if (sayWhenDone) {
        this.app.announce(`${sayWhenDone} ${this.summary.textContent}`);
      }
    } catch (err) {
      if (mine === this.query) {
        this.failed(err, (text) => {
          this.summary.textContent = `Messages couldn’t be loaded. ${text}`;
        });
      }
    } finally {
      if (mine === this.query) {
        this.list.el.removeAttribute('aria-busy');
      }
    }
  }

  listParams(from) {
    const params = new URLSearchParams({ limit: String(LIMIT) });
    if (this.filters.key) {
      params.set('key', this.filters.key);
    }
    if (this.filters.q) {
      params.set('q', this.filters.q);
    }
    if (from === 'beginning') {
      params.set('fromBeginning', 'true');
    } else if (from !== 'latest') {
      params.set('since', from);
    }
    return params;
  }

  topicPath() {
    return `/api/admin/events/topics/${encodeURIComponent(this.topic)}`;
  }

  summarise() {
    const n = this.list.size;
    const filtered = this.filters.key || this.filters.q;
    this.summary.textContent = n === 0
      ? (filtered ? 'No events match these filters.' : 'No events in this topic yet.')
      : `${count(n, 'event', 'events')}${filtered ? ' matching the filters' : ''}, newest first.`;
  }

  applyFilters(event) {
    event.preventDefault();
    this.filters = {
      key: this.keyField.input.value.trim(),
      q: this.textField.input.value.trim(),
      from: this.fromSelect.value,
    };
    if (this.tail) {
      this.stopTail(false);
      this.startTail(false);
    }
    this.loadMessages('Filters applied.');
  }

  clearFilters() {
    this.keyField.input.value = '';
    this.textField.input.value = '';
    this.fromSelect.value = 'latest';
    this.applyFilters(new Event('submit'));
  }

  // ---- live tail
  startTail(byPerson) {
    if (this.tail || !this.topic) {
      return;
    }
    this.held.clear();
    this.bar.setPaused(false, 0);
    this.tail = new TopicTail({
      topic: this.topic,
      key: this.filters.key,
      q: this.filters.q,
      onMessage: (item) => this.arrived([item]),
      onState: (state, detail) => this.tailState(state, detail),
    });
    this.tail.start();
    if (byPerson) {
      this.app.announce(`Live tail of ${this.topic} started.`);
    }
  }

  stopTail(byPerson) {
    if (!this.tail) {
      return;
    }
    const tail = this.tail;
    this.tail = null;
    this.reconcileTimers.forEach((t) => window.clearTimeout(t));
    tail.stop();
    if (this.held.size > 0) {
      this.list.prepend([...this.held.values()]);
      this.held.clear();
      this.summarise();
    }
    this.bar.setPaused(false, 0);
    if (byPerson) {
      this.app.announce('Live tail stopped.');
    }
  }

  tailState(state, detail) {
    if (state === 'forbidden') {
      this.denied();
      return;
    }
    if (state === 'failed' || state === 'stopped') {
      this.tail = null;
    }
    this.bar.show(state, detail);
    if (state === 'failed') {
      this.app.announce(detail);
    }
    if (state === 'live' && this.filters.from === 'latest') {
      // The server starts the tail at the end of the topic once it is positioned there, a moment
      // after answering: what came meanwhile (or while it was away) is asked for, twice, shortly after.
      this.reconcileTimers.forEach((t) => window.clearTimeout(t));
      this.reconcileTimers = [1500, 6000].map((ms) => window.setTimeout(() => this.reconcile(), ms));
    }
  }

  async reconcile() {
    const topic = this.topic;
    try {
      const answer = await api(`${this.topicPath()}/messages?${this.listParams('latest')}`);
      if (this.tail && topic === this.topic) {
        this.arrived((answer && answer.items) || []);
      }
    } catch {
      // the tail itself is up; the next reconnection asks again
    }
  }

  arrived(items) {
    const fresh = items.filter((item) => item.topic === this.topic && !this.list.has(item)
      && !this.held.has(`${item.partition}:${item.offset}`));
    if (fresh.length === 0) {
      return;
    }
    this.topics.bump(this.topic, fresh.length);
    if (this.bar.paused) {
      fresh.forEach((item) => this.held.set(`${item.partition}:${item.offset}`, item));
      this.bar.setPaused(true, this.held.size);
      return;
    }
    this.list.prepend(fresh);
    this.summarise();
    this.pendingNews += fresh.length;
    if (!this.newsTimer) {
      // Several events at once are one announcement, not a burst of them.
      this.newsTimer = window.setTimeout(() => {
        this.app.announce(`${count(this.pendingNews, 'new event', 'new events')} in ${this.topic}.`);
        this.pendingNews = 0;
        this.newsTimer = 0;
      }, 1500);
    }
  }

  pause() {
    this.bar.setPaused(true, this.held.size);
    this.app.announce('Live tail paused. New events are counted until you resume.');
  }

  resume() {
    const waiting = [...this.held.values()];
    this.held.clear();
    this.bar.setPaused(false, 0);
    const added = this.list.prepend(waiting);
    this.summarise();
    this.app.announce(added > 0 ? `Live tail resumed. ${count(added, 'new event', 'new events')} added at the top.` : 'Live tail resumed.');
  }

  // ---- detail
  openDetail(item, row) {
    this.list.select(item);
    clear(this.detail);
    this.detail.append(eventDetail(item, () => this.closeDetail(row)));
    this.detail.classList.add('event-detail-open');
    const heading = document.getElementById('event-detail-title');
    heading.focus({ preventScroll: true });
    this.detail.scrollIntoView({ block: 'nearest' });
  }

  closeDetail(returnTo = null) {
    this.list.select(null);
    clear(this.detail);
    this.detail.classList.remove('event-detail-open');
    this.detail.append(h('div', { class: 'event-detail-empty' }, icon('pulse', 'icon icon-lg'),
        h('p', { class: 'muted', text: 'Choose an event to see its headers and value.' })));
    if (returnTo && returnTo.isConnected) {
      returnTo.focus();
    }
  }

  // ---- errors
  failed(err, show) {
    if (err.status === 403) {
      this.denied();
    } else if (!err.sessionEnded) {
      show(describe(err));
    }
  }

  dispose() {
    this.stopTail(false);
    window.clearTimeout(this.newsTimer);
    this.reconcileTimers.forEach((t) => window.clearTimeout(t));
    this.query += 1;
  }
}
