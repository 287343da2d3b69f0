// The topics of the cluster with their partitions and message counts (GET /api/admin/events/topics);
// one is chosen at a time, like a set of toggle buttons.
import { h } from '../dom.js';
import { icon } from '../icons.js';
import { dotted } from './events-list.js';

const count = (n, one, many) => `${n} ${n === 1 ? one : many}`;

export class TopicPicker {
  /** onChoose(name) when a person picks a topic; onRefresh() for the Refresh button. */
  constructor({ onChoose, onRefresh }) {
    this.onChoose = onChoose;
    this.topics = [];
    this.chosen = null;
    this.list = h('ul', { class: 'topic-list', id: 'topic-list', 'aria-labelledby': 'topics-title', 'aria-busy': 'true' });
    this.note = h('p', { class: 'muted section-note', id: 'topics-note', text: 'Loading topics…' });
    this.refreshButton = h('button', { type: 'button', class: 'button button-secondary button-sm', id: 'topics-refresh', onClick: onRefresh },
      icon('retry', 'icon icon-sm'), h('span', { text: 'Refresh' }));
    this.el = h('section', { class: 'events-section', 'aria-labelledby': 'topics-title' },
      h('div', { class: 'section-header' },
        h('h2', { class: 'section-title', id: 'topics-title', text: 'Topics' }),
        this.refreshButton),
      this.note,
      this.list);
  }

  names() {
    return this.topics.map((t) => t.name);
  }

  /** A sensible first choice: the one asked for, else the first topic holding messages, else the first. */
  preferred(asked) {
    if (asked && this.names().includes(asked)) {
      return asked;
    }
    const busy = this.topics.find((t) => Number(t.messages) > 0);
    return busy ? busy.name : (this.topics[0] ? this.topics[0].name : null);
  }

  show(topics) {
    this.topics = topics;
    this.list.removeAttribute('aria-busy');
    this.note.textContent = topics.length === 0 ? 'There are no topics yet.' : 'Choose a topic to inspect its messages.';
    this.render();
  }

  failed(text) {
    this.list.removeAttribute('aria-busy');
    this.note.textContent = text;
  }

  choose(name) {
    this.chosen = name;
    for (const button of this.list.querySelectorAll('button')) {
      button.setAttribute('aria-pressed', String(button.dataset.topic === name));
    }
  }

  /** One more message seen live in a topic: its count follows without asking the server. */
  bump(name, by) {
    const topic = this.topics.find((t) => t.name === name);
    if (topic && by > 0) {
      topic.messages = Number(topic.messages) + by;
      this.render();
    }
  }

  /** Updates the buttons in place (a refresh keeps the focus where it was), adding and removing as needed. */
  render() {
    const existing = new Map([...this.list.children].map((li) => [li.firstElementChild.dataset.topic, li]));
    const wanted = new Set(this.topics.map((t) => t.name));
    for (const [name, li] of existing) {
      if (!wanted.has(name)) {
        li.remove();
        existing.delete(name);
      }
    }
    let previous = null;
    for (const topic of this.topics) {
      let li = existing.get(topic.name);
      if (!li) {
        li = h('li', {}, this.button(topic.name));
      }
      const button = li.firstElementChild;
      button.setAttribute('aria-pressed', String(topic.name === this.chosen));
      button.querySelector('.topic-partitions').textContent = count(Number(topic.partitions) || 0, 'partition', 'partitions');
      button.querySelector('.topic-count').textContent = count(Number(topic.messages) || 0, 'message', 'messages');
      const place = previous ? previous.nextElementSibling : this.list.firstElementChild;
      if (place !== li) {
        this.list.insertBefore(li, place);
      }
      previous = li;
    }
  }

  button(name) {
    return h('button', {
      type: 'button', class: 'topic', 'aria-pressed': 'false', dataset: { topic: name },
      onClick: () => this.onChoose(name),
    },
    h('span', { class: 'topic-name' }, dotted(name)),
    h('span', { class: 'topic-facts' }, h('span', { class: 'topic-partitions' }), h('span', { class: 'topic-count' })));
  }
}
