// The Events page (administrators): what flows through Kafka. Topics with their counts; the chosen
// topic's recent messages, newest first, filtered by key and text on the server; a live tail that
// can be paused (new events are counted, not shown) and resumed; one event's headers and value; and
// how far each consumer group lags behind. Everyone else reads one sentence and gets no data.
import { h, clear } from '../dom.js';
import { icon } from '../icons.js';
import { formMessage } from '../forms.js';
import { describe, reference } from '../problems.js';
import { api, currentUser, isAdmin, loadProfile } from '../session.js';
import { pageHeader } from './layout.js';
import { TopicPicker } from './events-topics.js';
import { EventList, eventDetail } from './events-list.js';
import { GroupLag } from './events-groups.js';
import { FilterForm, NO_FILTERS, messagesQuery } from './events-filters.js';
import { LiveFeed } from './events-feed.js';

export const title = 'Events';

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
    this.filters = NO_FILTERS;
    this.query = 0; // the newest list request; older answers are dropped

    this.topics = new TopicPicker({ onChoose: (name) => this.choose(name, true), onRefresh: () => this.loadTopics(true) });
    this.list = new EventList({ labelledBy: 'messages-title', onOpen: (item, row) => this.openDetail(item, row) });
    this.groups = new GroupLag({ announce: app.announce, onForbidden: denied });
    this.filterForm = new FilterForm({ onApply: (filters) => this.applyFilters(filters) });
    this.feed = new LiveFeed({
      announce: app.announce,
      list: this.list,
      topics: this.topics,
      latest: (topic) => this.latest(topic),
      onChange: () => this.summarise(),
      onForbidden: denied,
    });
    this.messagesTitle = h('h2', { class: 'section-title', id: 'messages-title', text: 'Messages' });
    this.summary = h('p', { class: 'muted section-note', id: 'event-list-summary', text: 'Choose a topic to see its messages.' });
    this.detail = h('section', { class: 'event-detail', id: 'event-detail', 'aria-label': 'Event details' });
    this.closeDetail();

    page.append(this.topics.el,
      h('section', { class: 'events-section', 'aria-labelledby': 'messages-title' },
        h('div', { class: 'section-header' }, this.messagesTitle),
        this.filterForm.el,
        this.feed.el,
        h('div', { class: 'events-browser' },
          h('div', { class: 'event-list-column' }, this.summary, this.list.el),
          this.detail)),
      this.groups.el);

    this.loadTopics(false);
    this.groups.load();
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
    if (name === this.topic) {
      return;
    }
    this.topic = name;
    this.topics.choose(name);
    this.messagesTitle.textContent = `Messages in ${name}`;
    window.history.replaceState(window.history.state, '', `/events?topic=${encodeURIComponent(name)}`);
    this.feed.follow(name, this.filters);
    this.loadMessages(byPerson ? `${name} chosen.` : null);
  }

  // ---- messages
  topicPath(topic = this.topic) {
    return `/api/admin/events/topics/${encodeURIComponent(topic)}`;
  }

  async loadMessages(sayWhenDone = null) {
    if (!this.topic) {
      return;
    }
    const mine = ++this.query;
    this.list.el.setAttribute('aria-busy', 'true');
    this.summary.textContent = 'Loading messages…';
    try {
      const answer = await api(`${this.topicPath()}/messages?${messagesQuery(this.filters)}`);
      if (mine !== this.query) {
        return;
      }
      this.list.replace((answer && answer.items) || []);
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

  /** The newest events with the current filters, for the live tail to catch up; null when the list shows older ones. */
  async latest(topic) {
    if (this.filters.from !== 'latest') {
      return null;
    }
    const answer = await api(`${this.topicPath(topic)}/messages?${messagesQuery(this.filters, 'latest')}`);
    return (answer && answer.items) || [];
  }

  summarise() {
    const n = this.list.size;
    const filtered = this.filters.key || this.filters.q;
    this.summary.textContent = n === 0
      ? (filtered ? 'No events match these filters.' : 'No events in this topic yet.')
      : `${count(n, 'event', 'events')}${filtered ? ' matching the filters' : ''}, newest first.`;
  }

  applyFilters(filters) {
    this.filters = filters;
    this.feed.follow(this.topic, filters);
    this.loadMessages('Filters applied.');
  }

  // ---- detail
  openDetail(item, row) {
    this.list.select(item);
    clear(this.detail);
    this.detail.append(eventDetail(item, () => this.closeDetail(row)));
    this.detail.classList.add('event-detail-open');
    document.getElementById('event-detail-title').focus({ preventScroll: true });
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
    this.feed.dispose();
    this.query += 1;
  }
}
