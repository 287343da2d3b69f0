// The live tail's controls and state: Start/Stop, Pause/Resume, and one status line (a polite live
// region) that says whether new events are flowing, how many wait while paused, or what went wrong.
import { h, clear, append } from '../dom.js';
import { icon } from '../icons.js';

const OFF = 'The live tail is off. Start it to see new events as they arrive.';

export class TailBar {
  constructor({ onToggle, onPause }) {
    this.state = 'stopped';
    this.paused = false;
    this.waiting = 0;
    this.detail = '';
    this.dot = h('span', { class: 'tail-dot', 'aria-hidden': 'true' });
    this.status = h('p', { class: 'tail-status', id: 'tail-status', role: 'status', text: OFF });
    this.toggle = h('button', { type: 'button', class: 'button button-primary button-sm', id: 'tail-toggle', onClick: onToggle });
    this.pauseButton = h('button', { type: 'button', class: 'button button-secondary button-sm', id: 'tail-pause', onClick: onPause });
    this.el = h('div', { class: 'tail-bar', id: 'tail-bar' },
      h('div', { class: 'tail-state' }, this.dot, this.status),
      h('div', { class: 'tail-actions' }, this.pauseButton, this.toggle));
    this.render();
  }

  get running() {
    return this.state !== 'stopped' && this.state !== 'failed';
  }

  show(state, detail = '') {
    this.state = state;
    this.detail = detail || '';
    if (!this.running) {
      this.paused = false;
      this.waiting = 0;
    }
    this.render();
  }

  setPaused(paused, waiting) {
    this.paused = paused;
    this.waiting = waiting;
    this.render();
  }

  text() {
    if (this.state === 'failed') {
      return this.detail;
    }
    if (!this.running) {
      return OFF;
    }
    if (this.paused) {
      return this.waiting === 0 ? 'Paused. No new events yet.'
        : `Paused. ${this.waiting} new event${this.waiting === 1 ? ' is' : 's are'} waiting.`;
    }
    switch (this.state) {
      case 'connecting':
        return 'Connecting to the live tail…';
      case 'retrying':
        return this.detail;
      default:
        return 'Live: new events appear at the top as they arrive.';
    }
  }

  render() {
    const text = this.text();
    if (this.status.textContent !== text) {
      this.status.textContent = text;
    }
    const tone = !this.running ? 'off' : this.paused ? 'paused' : this.state === 'live' ? 'live' : 'trouble';
    this.dot.className = `tail-dot tail-dot-${tone}`;
    this.el.dataset.state = tone;

    clear(this.toggle);
    this.toggle.className = `button button-sm ${this.running ? 'button-secondary' : 'button-primary'}`;
    append(this.toggle, this.running ? icon('stop', 'icon icon-sm') : icon('play', 'icon icon-sm'),
      h('span', { text: this.running ? 'Stop live tail' : 'Start live tail' }));

    this.pauseButton.hidden = !this.running;
    clear(this.pauseButton);
    append(this.pauseButton, this.paused ? icon('play', 'icon icon-sm') : icon('pause', 'icon icon-sm'),
      h('span', { text: this.paused ? 'Resume' : 'Pause' }),
      this.paused && this.waiting > 0 ? h('span', { class: 'badge badge-count', text: String(this.waiting) }) : null);
    if (this.paused && this.waiting > 0) {
      this.pauseButton.setAttribute('aria-label', `Resume, ${this.waiting} new`);
    } else {
      this.pauseButton.removeAttribute('aria-label');
    }
  }
}
