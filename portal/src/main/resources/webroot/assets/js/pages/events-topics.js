// The topics of the cluster with their partitions and message counts (GET /api/admin/events/topics);
// one is chosen at a time, like a set of toggle buttons.
import { h, clear } from '../dom.js';
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
      const label = this.list.querySelector(`button[data-topic="${CSS.escape(name)}"] .topic-count`);
      if (label) {
        label.textContent = count(topic.messages, 'message', 'messages');
      }
    }
  }

  render() {
    const focused = this.list.contains(document.activeElement) ? document.activeElement.dataset.topic : null;
    clear(this.list);
    for (const topic of this.topics) {
      const messages = Number(topic.messages) || 0;
      const button = h('button', {
        type: 'button', class: 'topic', 'aria-pressed': String(topic.name === this.chosen), dataset: { topic: topic.name },
        onClick: () => this.onChoose(topic.name),
      },
      h('span', { class: 'topic-name' }, dotted(topic.name)),
      h('span', { class: 'topic-facts' },
        h('span', { class: 'topic-partitions', text: count(Number(topic.partitions) || 0, 'partition', 'partitions') }),
        h('span', { class: 'topic-count', text: count(messages, 'message', 'messages') })));
      this.list.append(h('li', {}, button));
      if (focused === topic.name) {
        button.focus();
      }
    }
  }
}
