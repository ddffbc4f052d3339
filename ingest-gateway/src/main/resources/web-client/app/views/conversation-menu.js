import {h, replace, shortTime} from '../dom.js';

// The open conversation's menu (a button in its header): mute it for a while or until I turn it back on, unmute it,
// pin or unpin it (pinned ones head the list), archive or unarchive it (archived ones leave the main list). Each
// choice is one PUT of my settings; the other devices of mine follow through `settings` frames.
//
// A menu button as ARIA describes it: Enter, Space or Arrow Down open it on the first item, Arrow Up on the last;
// the arrows, Home and End move between the items; Enter or Space chooses; Escape closes it and gives the focus
// back to the button; Tab or a click elsewhere closes it.

const HOUR_MS = 60 * 60 * 1000;
const MUTE_CHOICES = [
  ['Mute for 1 hour', HOUR_MS],
  ['Mute for 8 hours', 8 * HOUR_MS],
  ['Mute for 1 week', 7 * 24 * HOUR_MS],
  ['Mute until I turn it back on', null],
];

export class ConversationMenu {
  constructor(app) {
    this.app = app;
    this.conversationId = null;
    this.button = h('button', {type: 'button', class: 'menu-button', 'aria-haspopup': 'menu', 'aria-expanded': 'false',
      'aria-controls': 'conversation-menu', onclick: () => (this.isOpen ? this.close(true) : this.open(0))}, 'Options');
    this.menu = h('div', {role: 'menu', id: 'conversation-menu', class: 'menu', 'aria-label': 'Conversation options',
      hidden: true});
    this.element = h('div', {class: 'menu-anchor'}, this.button, this.menu);
    this.button.addEventListener('keydown', e => {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        this.open(e.key === 'ArrowDown' ? 0 : -1);
      }
    });
    this.menu.addEventListener('keydown', e => this.onKey(e));
    this.menu.addEventListener('focusout', e => {
      if (this.isOpen && !this.element.contains(e.relatedTarget)) this.close(false); // Tab, or a click elsewhere
    });
    this.outside = e => {
      if (!this.element.contains(e.target)) this.close(false);
    };
  }

  get isOpen() {
    return !this.menu.hidden;
  }

  show(conversationId) {
    if (conversationId !== this.conversationId) this.close(false);
    this.conversationId = conversationId;
  }

  /** Opens with the focus on item `index` (-1: the last). */
  open(index) {
    if (!this.conversationId) return;
    replace(this.menu, this.items());
    this.menu.hidden = false;
    this.button.setAttribute('aria-expanded', 'true');
    document.addEventListener('pointerdown', this.outside);
    this.focusItem(index);
  }

  close(focusButton) {
    if (!this.isOpen) return;
    this.menu.hidden = true;
    this.button.setAttribute('aria-expanded', 'false');
    document.removeEventListener('pointerdown', this.outside);
    if (focusButton) this.button.focus();
  }

  items() {
    const {store} = this.app;
    const id = this.conversationId;
    const conversation = store.conversations.get(id);
    const settings = store.settings(conversation);
    const item = (label, action) => h('button', {type: 'button', role: 'menuitem', tabindex: '-1', onclick: () => {
      this.close(true);
      action().catch(() => {}); // a refusal is in the app's alerts
    }}, label);
    const separator = () => h('div', {role: 'separator', class: 'menu-separator'});
    const mute = store.isMuted(conversation)
      ? [item('Unmute', () => this.app.unmute(id))]
      : MUTE_CHOICES.map(([label, duration]) => item(label, () => this.app.mute(id, duration)));
    return [
      settings.pinned ? item('Unpin', () => this.app.pin(id, false)) : item('Pin', () => this.app.pin(id, true)),
      separator(), ...mute, separator(),
      settings.archived ? item('Unarchive', () => this.app.archive(id, false)) : item('Archive', () => this.app.archive(id, true)),
    ];
  }

  menuItems() {
    return [...this.menu.querySelectorAll('[role=menuitem]')];
  }

  focusItem(index) {
    const items = this.menuItems();
    if (items.length === 0) return;
    items.at(((index % items.length) + items.length) % items.length).focus();
  }

  onKey(e) {
    const items = this.menuItems();
    const at = items.indexOf(document.activeElement);
    const moves = {ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: -1};
    if (e.key in moves) {
      e.preventDefault();
      this.focusItem(moves[e.key]);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.close(true);
    }
  }
}

/** What the header says of a mute: "Muted", or "Muted until 18:30" (a date when not today). */
export function muteText(store, conversation) {
  if (!store.isMuted(conversation)) return '';
  const {mutedUntil} = store.settings(conversation);
  return mutedUntil ? `Muted until ${shortTime(mutedUntil)}` : 'Muted';
}
