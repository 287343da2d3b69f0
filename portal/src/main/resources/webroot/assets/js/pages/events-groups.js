// Consumer lag: per group and partition, the committed offset, the end of the partition and how far
// behind the group is (GET /api/admin/events/groups). Refreshed on demand, never polled.
import { h, clear } from '../dom.js';
import { icon } from '../icons.js';
import { describe } from '../problems.js';
import { api } from '../session.js';

const COLUMNS = ['Group', 'Topic', 'Partition', 'Committed', 'End', 'Lag'];
const count = (n, one, many) => `${n} ${n === 1 ? one : many}`;

export class GroupLag {
  /** onForbidden() when the server says the person is not an administrator. */
  constructor({ announce, onForbidden }) {
    this.announce = announce;
    this.onForbidden = onForbidden;
    this.loading = false;
    this.body = h('tbody', {});
    this.note = h('p', { class: 'muted section-note', id: 'groups-note', text: 'Loading consumer groups…' });
    this.refreshButton = h('button', {
      type: 'button', class: 'button button-secondary button-sm', id: 'groups-refresh', onClick: () => this.load(true),
    }, icon('retry', 'icon icon-sm'), h('span', { text: 'Refresh' }));
    this.table = h('table', { class: 'data-table lag-table', id: 'groups-table', 'aria-describedby': 'groups-note' },
      h('caption', { class: 'visually-hidden', text: 'Committed offset, end offset and lag of each consumer group per partition' }),
      h('thead', {}, h('tr', {}, COLUMNS.map((name, i) => h('th', { scope: 'col', class: i >= 2 ? 'numeric' : null, text: name })))),
      this.body);
    this.scroller = h('div', { class: 'table-scroll', role: 'region', 'aria-labelledby': 'groups-title', tabindex: '0' }, this.table);
    this.el = h('section', { class: 'events-section', 'aria-labelledby': 'groups-title' },
      h('div', { class: 'section-header' },
        h('h2', { class: 'section-title', id: 'groups-title', text: 'Consumer lag' }),
        this.refreshButton),
      this.note,
      this.scroller);
  }

  async load(byButton = false) {
    if (this.loading) {
      return;
    }
    this.loading = true;
    this.refreshButton.setAttribute('aria-disabled', 'true');
    this.table.setAttribute('aria-busy', 'true');
    try {
      const answer = await api('/api/admin/events/groups');
      this.render((answer && answer.groups) || []);
      if (byButton) {
        this.announce('Consumer lag refreshed.');
      }
    } catch (err) {
      if (err.status === 403) {
        this.onForbidden();
      } else if (!err.sessionEnded) {
        this.note.textContent = `Consumer lag couldn’t be loaded. ${describe(err)}`;
      }
    } finally {
      this.loading = false;
      this.refreshButton.removeAttribute('aria-disabled');
      this.table.removeAttribute('aria-busy');
    }
  }

  render(rows) {
    clear(this.body);
    for (const row of rows) {
      const behind = Number(row.lag) > 0;
      this.body.append(h('tr', { class: behind ? 'lag-behind' : null },
        h('th', { scope: 'row', text: row.group }),
        h('td', { text: row.topic }),
        h('td', { class: 'numeric', text: String(row.partition) }),
        h('td', { class: 'numeric', text: String(row.committed) }),
        h('td', { class: 'numeric', text: String(row.end) }),
        h('td', { class: 'numeric lag-cell' },
          behind ? h('span', { class: 'badge badge-warn', text: String(row.lag) }) : h('span', { text: String(row.lag) }))));
    }
    const groups = new Set(rows.map((r) => r.group)).size;
    const behind = rows.filter((r) => Number(r.lag) > 0).length;
    this.scroller.hidden = rows.length === 0;
    this.note.textContent = rows.length === 0
      ? 'No consumer group has committed an offset yet.'
      : `${count(groups, 'group', 'groups')}, ${behind === 0 ? 'all caught up' : `${count(behind, 'partition', 'partitions')} behind`}. Updated ${new Date().toLocaleTimeString()}.`;
  }
}
