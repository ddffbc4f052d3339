import {h, replace, shortTime} from '../dom.js';
import {attachmentsSummary} from '../media.js';
import {avatar} from './attachments.js';
import {MessageSearch} from './search.js';

// The conversation list: pinned ones first, then the most recent, each with its last message, time and unread count,
// a lock when it is end-to-end encrypted, a pin when pinned and a crossed bell while muted. Archived conversations
// are out of it, under an "Archived (n)" toggle below. Above it the actions, Contacts among them with the number of
// requests waiting for an answer, and the message search, whose results take the lists' place while shown.
// "New assistant chat" is there only while the server has a model (GET /v1/assistant answered 200); a conversation
// with the assistant is marked "AI" in the list, and says that the assistant is writing while it is.

const BLOCKED_PREVIEW = 'Message from someone you blocked';
const ENCRYPTED_PREVIEW = 'Encrypted message';
const DELETED_PREVIEW = 'Message deleted';

export class Sidebar {
  constructor(app, {onOpen, onOpenAt, onNewChat, onNewGroup, onNewAssistantChat, onContacts}) {
    this.app = app;
    this.onOpen = onOpen;
    this.list = h('ul', {class: 'conversation-list', 'aria-label': 'Conversations'});
    this.showArchived = false;
    this.archivedToggle = h('button', {type: 'button', class: 'archived-toggle', 'aria-expanded': 'false',
      'aria-controls': 'archived-list', onclick: () => {
        this.showArchived = !this.showArchived;
        this.render();
      }});
    this.archived = h('ul', {class: 'conversation-list archived', id: 'archived-list',
      'aria-label': 'Archived conversations', hidden: true});
    this.lists = h('div', {class: 'lists'}, this.list, this.archivedToggle, this.archived);
    this.search = new MessageSearch(app, {onOpenAt, onToggle: shown => { this.lists.hidden = shown; }});
    this.online = h('p', {class: 'online-count', role: 'status'});
    this.requestBadge = h('span', {class: 'badge', hidden: true});
    this.assistantButton = h('button', {type: 'button', class: 'assistant-button', hidden: true, onclick: async () => {
      this.assistantButton.disabled = true; // one click, one conversation
      try {
        await onNewAssistantChat();
      } finally {
        this.assistantButton.disabled = false;
      }
    }}, 'New assistant chat');
    this.element = h('aside', {class: 'sidebar', 'aria-label': 'Conversation list'},
        h('div', {class: 'sidebar-actions'},
            h('button', {type: 'button', onclick: onNewChat}, 'New chat'),
            h('button', {type: 'button', onclick: onNewGroup}, 'New group'),
            this.assistantButton,
            h('button', {type: 'button', class: 'contacts-button', onclick: onContacts}, 'Contacts', this.requestBadge)),
        this.search.element,
        this.lists,
        this.online);
  }

  render() {
    const {store} = this.app;
    const conversations = store.conversationList();
    const archived = store.conversationList({archived: true});
    replace(this.list, conversations.length === 0
        ? h('li', {class: 'empty'}, archived.length === 0 ? 'No conversations yet. Start one with “New chat”.'
          : 'Every conversation is archived.')
        : conversations.map(c => this.item(c)));
    this.renderArchived(archived);
    this.renderRequestBadge();
    this.assistantButton.hidden = store.assistant === null;
    if (store.assistant) this.assistantButton.title = `Ask ${store.assistant.name}, an AI model, in a conversation of your own`;
    this.scheduleUnmute([...conversations, ...archived]);
    const stats = store.online;
    this.online.textContent = stats
        ? `${stats.users} ${stats.users === 1 ? 'user' : 'users'} online · ${stats.connections} ${stats.connections === 1 ? 'connection' : 'connections'}`
        : '';
  }

  /**
   * "Archived (n)", with the unread count of the archived conversations that are not muted (a message does not bring
   * a conversation out of the archive, so it shows here), and their list when expanded.
   */
  renderArchived(archived) {
    const shown = this.showArchived && archived.length > 0;
    this.archivedToggle.hidden = archived.length === 0;
    this.archivedToggle.setAttribute('aria-expanded', String(shown));
    const unread = archived.filter(c => !this.app.store.isMuted(c)).reduce((n, c) => n + (c.unread > 0 ? c.unread : 0), 0);
    replace(this.archivedToggle, `Archived (${archived.length})`, unread > 0
      ? h('span', {class: 'badge', 'aria-label': `${unread} unread`}, String(unread)) : null);
    this.archived.hidden = !shown;
    replace(this.archived, shown ? archived.map(c => this.item(c)) : []);
  }

  /** A mute with a time ends by itself: the list (and the open conversation's header) are drawn again then. */
  scheduleUnmute(conversations) {
    const {store} = this.app;
    const now = Date.now();
    const ends = conversations.filter(c => store.isMuted(c, now)).map(c => Date.parse(store.settings(c).mutedUntil))
        .filter(Number.isFinite);
    clearTimeout(this.unmuteTimer);
    if (ends.length === 0) return;
    // a timer's delay is a 32-bit number of ms: a week is within it, and a longer wait is simply taken again
    const delay = Math.min(Math.max(0, Math.min(...ends) - now) + 50, 2 ** 31 - 1);
    this.unmuteTimer = setTimeout(() => store.changed('conversations'), delay);
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
    const assistant = store.isAssistantConversation(conversation);
    const preview = assistant && store.answers.writing(conversation.conversationId) ? `${store.assistantName()} is writing…`
        : last
        ? store.fromBlocked(conversation, last) ? BLOCKED_PREVIEW : `${from}${this.text(conversation, last)}`
        : (conversation.type === 'group' ? `Group · ${conversation.members.length} members` : 'No messages yet');
    const muted = store.isMuted(conversation);
    const {pinned} = store.settings(conversation);
    const unread = conversation.unread > 0
        ? h('span', {class: muted ? 'badge quiet' : 'badge', 'aria-label': `${conversation.unread} unread`},
            String(conversation.unread))
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
                h('span', {class: 'title'}, title),
                assistant ? aiBadge() : null,
                muted ? h('span', {class: 'mark muted', role: 'img', 'aria-label': 'Muted'}) : null,
                pinned ? h('span', {class: 'mark pinned', role: 'img', 'aria-label': 'Pinned'}) : null,
                h('time', {datetime: last?.ts ?? false}, shortTime(last?.ts))),
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

/** The mark of a conversation with the assistant (list and header): "AI", explained to assistive technology. */
export function aiBadge() {
  return h('span', {class: 'ai-badge', role: 'img', 'aria-label': 'AI assistant', title: 'Answers come from an AI model'},
      'AI');
}
