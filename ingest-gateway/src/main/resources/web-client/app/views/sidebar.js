import {h, replace, shortTime} from '../dom.js';
import {attachmentsSummary} from '../media.js';
import {avatar} from './attachments.js';
import {MessageSearch} from './search.js';

// The conversation list: most recent first, each with its last message, time and unread count, and a lock when it
// is end-to-end encrypted. Above it the actions, Contacts among them with the number of requests waiting for an
// answer, and the message search, whose results take the list's place while shown.

const BLOCKED_PREVIEW = 'Message from someone you blocked';
const ENCRYPTED_PREVIEW = 'Encrypted message';
const DELETED_PREVIEW = 'Message deleted';

export class Sidebar {
  constructor(app, {onOpen, onOpenAt, onNewChat, onNewGroup, onContacts}) {
    this.app = app;
    this.onOpen = onOpen;
    this.list = h('ul', {class: 'conversation-list', 'aria-label': 'Conversations'});
    this.search = new MessageSearch(app, {onOpenAt, onToggle: shown => { this.list.hidden = shown; }});
    this.online = h('p', {class: 'online-count', role: 'status'});
    this.requestBadge = h('span', {class: 'badge', hidden: true});
    this.element = h('aside', {class: 'sidebar', 'aria-label': 'Conversation list'},
        h('div', {class: 'sidebar-actions'},
            h('button', {type: 'button', onclick: onNewChat}, 'New chat'),
            h('button', {type: 'button', onclick: onNewGroup}, 'New group'),
            h('button', {type: 'button', class: 'contacts-button', onclick: onContacts}, 'Contacts', this.requestBadge)),
        this.search.element,
        this.list,
        this.online);
  }

  render() {
    const {store} = this.app;
    const conversations = store.conversationList();
    replace(this.list, conversations.length === 0
        ? h('li', {class: 'empty'}, 'No conversations yet. Start one with “New chat”.')
        : conversations.map(c => this.item(c)));
    this.renderRequestBadge();
    const stats = store.online;
    this.online.textContent = stats
        ? `${stats.users} ${stats.users === 1 ? 'user' : 'users'} online · ${stats.connections} ${stats.connections === 1 ? 'connection' : 'connections'}`
        : '';
  }

  /** The incoming requests waiting for an answer; none: no badge. */
  renderRequestBadge() {
    const waiting = this.app.store.contacts.requestsOf('incoming').length;
    this.requestBadge.hidden = waiting === 0;
    this.requestBadge.textContent = String(waiting);
    this.requestBadge.setAttribute('aria-label', `${waiting} contact ${waiting === 1 ? 'request' : 'requests'} waiting`);
  }

  item(conversation) {
    const {store} = this.app;
    const title = store.title(conversation);
    const last = conversation.lastMessage;
    const from = last?.senderId === store.me.userId ? 'You: '
        : conversation.type === 'group' ? `${store.name(last?.senderId)}: ` : '';
    const preview = last
        ? store.fromBlocked(conversation, last) ? BLOCKED_PREVIEW : `${from}${this.text(conversation, last)}`
        : (conversation.type === 'group' ? `Group · ${conversation.members.length} members` : 'No messages yet');
    const unread = conversation.unread > 0
        ? h('span', {class: 'badge', 'aria-label': `${conversation.unread} unread`}, String(conversation.unread))
        : null;
    const open = this.app.openId === conversation.conversationId;
    return h('li', {},
        h('button', {
          type: 'button', class: 'conversation-item', 'aria-current': open ? 'true' : false,
          'data-conversation-id': conversation.conversationId,
          onclick: () => this.onOpen(conversation.conversationId),
        },
        avatar(this.app, store.conversationAvatar(conversation)),
        h('span', {class: 'item-text'},
            h('span', {class: 'row'},
                conversation.encrypted ? h('span', {class: 'lock', role: 'img', 'aria-label': 'End-to-end encrypted'}) : null,
                h('span', {class: 'title'}, title), h('time', {datetime: last?.ts ?? false}, shortTime(last?.ts))),
            h('span', {class: 'row'}, h('span', {class: 'preview'}, preview), unread))));
  }

  /** The last message's text; of an encrypted one, decrypted when its envelope for this device is there. */
  text(conversation, message) {
    if (message.deleted) return DELETED_PREVIEW;
    const reading = this.app.bodyOf(conversation.conversationId, message);
    if (reading.state !== 'plain' && reading.state !== 'ok') return ENCRYPTED_PREVIEW;
    return reading.text || attachmentsSummary(message.attachments); // a photo sent without words: "Photo: …"
  }
}
