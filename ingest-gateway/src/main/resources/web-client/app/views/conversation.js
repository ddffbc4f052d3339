import {h, longTime, replace, shortTime} from '../dom.js';

// The open conversation: its header (presence, members), the messages (older ones loaded as the list is scrolled
// to the top), who is typing, and the composer. Enter sends, Shift+Enter starts a new line. In a direct
// conversation with someone I blocked the composer gives way to a notice with Unblock (the server refuses sends
// there both ways); in a group, messages from someone I blocked are shown collapsed until clicked. An end-to-end
// encrypted conversation says so beside its title, and each message shows its decrypted text or why there is none.

const STATE_LABEL = {pending: 'Sending…', sent: 'Sent', delivered: 'Delivered', read: 'Read'};

export class ConversationPane {
  constructor(app, {onBack, onDetails}) {
    this.app = app;
    this.conversationId = null;
    this.title = h('h2', {id: 'conversation-title'});
    this.lock = h('span', {class: 'lock', title: 'Only the members’ devices can read the messages here', hidden: true},
        'End-to-end encrypted');
    this.subtitle = h('p', {class: 'subtitle', 'aria-live': 'polite'});
    this.older = h('button', {type: 'button', class: 'load-older', onclick: () => this.loadOlder()}, 'Load older messages');
    this.list = h('ol', {class: 'messages', 'aria-label': 'Messages'});
    this.scroller = h('div', {class: 'scroller', role: 'log', 'aria-labelledby': 'conversation-title', tabindex: '0'},
        this.older, this.list);
    this.typing = h('p', {class: 'typing', 'aria-live': 'polite'});
    this.input = h('textarea', {id: 'composer-input', rows: '1', maxlength: '4000', autocomplete: 'off'});
    this.composerLabel = h('label', {for: 'composer-input'}, 'Message');
    this.composer = h('form', {class: 'composer', 'aria-label': 'Send a message'},
        this.composerLabel, h('div', {class: 'composer-row'}, this.input, h('button', {type: 'submit', class: 'primary'}, 'Send')));
    this.blockedText = h('span', {});
    this.unblockButton = h('button', {type: 'button', onclick: () => this.unblock()});
    this.blockedNotice = h('div', {class: 'blocked-notice', role: 'status', hidden: true}, this.blockedText, this.unblockButton);
    this.revealed = new Set(); // `${conversationId}:${seq}` of collapsed messages the reader chose to see
    this.empty = h('div', {class: 'empty-pane'}, h('p', {}, 'Choose a conversation, or start a new one.'));
    this.body = h('div', {class: 'conversation-body'},
        h('header', {class: 'conversation-header'},
            h('button', {type: 'button', class: 'back', onclick: onBack}, 'Back'),
            h('div', {class: 'heading'}, h('div', {class: 'title-row'}, this.title, this.lock), this.subtitle),
            h('button', {type: 'button', onclick: () => onDetails(this.conversationId)}, 'Details')),
        this.scroller, this.typing, this.blockedNotice, this.composer);
    this.element = h('section', {class: 'conversation', 'aria-label': 'Conversation'}, this.empty);

    this.composer.addEventListener('submit', e => {
      e.preventDefault();
      this.send();
    });
    this.input.addEventListener('keydown', e => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.send();
      }
    });
    this.input.addEventListener('input', () => {
      if (this.input.value.trim()) this.app.typing(this.conversationId);
      else this.app.stopTyping(this.conversationId);
    });
    this.scroller.addEventListener('scroll', () => {
      if (this.scroller.scrollTop < 120) this.loadOlder();
      if (this.atBottom()) this.app.markSeen();
    });
    // the typing line goes stale on its own (a typist not heard of for 6 s)
    setInterval(() => this.renderTyping(), 1_000);
  }

  show(conversationId) {
    const changed = conversationId !== this.conversationId;
    this.conversationId = conversationId;
    if (!conversationId) {
      replace(this.element, this.empty);
      return;
    }
    if (changed) {
      replace(this.element, this.body);
      this.list.replaceChildren();
      this.input.value = '';
      this.stickToBottom = true;
    }
  }

  send() {
    const body = this.input.value.trim();
    if (!body || !this.conversationId) return;
    this.app.send(this.conversationId, body);
    this.input.value = '';
    this.stickToBottom = true;
  }

  async loadOlder() {
    if (!this.conversationId || this.older.hidden) return;
    await this.app.loadOlder(this.conversationId).catch(() => {}); // shown by the app's alerts
  }

  atBottom() {
    return this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight < 40;
  }

  render() {
    const {store} = this.app;
    const conversation = store.conversations.get(this.conversationId);
    if (!conversation) return;
    const title = store.title(conversation);
    this.title.textContent = title;
    this.lock.hidden = !conversation.encrypted;
    this.composerLabel.textContent = `Message to ${title}`;
    this.subtitle.textContent = this.describe(conversation);
    this.renderBlocked(conversation);
    this.renderMessages(conversation);
    this.renderTyping();
  }

  /** A direct conversation with someone I blocked: no composer (a send would be refused), a way to unblock. */
  renderBlocked(conversation) {
    const {store} = this.app;
    const other = store.otherMember(conversation);
    const blocked = Boolean(other && store.contacts.hasBlocked(other.userId));
    this.blockedNotice.hidden = !blocked;
    this.composer.hidden = blocked;
    if (!blocked) return;
    const name = store.name(other.userId);
    this.blockedText.textContent = `You blocked ${name}. Neither of you can send messages here until you unblock them.`;
    this.unblockButton.textContent = `Unblock ${name}`;
    this.unblockButton.dataset.userId = other.userId;
  }

  unblock() {
    const userId = this.unblockButton.dataset.userId;
    if (userId) this.app.contacts.unblock(userId).catch(e => this.app.problem(`Unblocking: ${e.message}`));
  }

  describe(conversation) {
    const {store} = this.app;
    const other = store.otherMember(conversation);
    if (other) {
      const presence = store.presence.get(other.userId);
      if (!presence) return '';
      return presence.online ? 'online' : presence.lastSeen ? `last seen ${longTime(presence.lastSeen)}` : 'offline';
    }
    const online = conversation.members.filter(m => store.presence.get(m.userId)?.online).length;
    return `${conversation.members.length} members${online ? ` · ${online} online` : ''}`;
  }

  /**
   * Draws the whole list again, keeping what the reader looks at in place: at the bottom it stays at the bottom
   * (new messages scroll in); above it, the first message in view keeps its position (older pages load above).
   */
  renderMessages(conversation) {
    const {store} = this.app;
    const {messages, outbox} = store.timeline(conversation.conversationId);
    const stick = this.stickToBottom || this.atBottom();
    const anchor = stick ? null : this.firstVisible();
    const anchorTop = anchor?.getBoundingClientRect().top;

    this.older.hidden = !(messages[0]?.seq > 1);
    const group = conversation.type === 'group';
    replace(this.list,
        messages.map(m => store.fromBlocked(conversation, m) && !this.revealed.has(`${conversation.conversationId}:${m.seq}`)
            ? this.collapsed(conversation.conversationId, m)
            : this.message(conversation.conversationId, m, group,
                store.senderIsMe(m) ? store.messageState(conversation.conversationId, m.seq) : null)),
        outbox.map(m => this.pending(m)));

    if (stick) {
      this.scroller.scrollTop = this.scroller.scrollHeight;
      this.stickToBottom = false;
    } else if (anchor) {
      const same = this.list.querySelector(`[data-seq="${anchor.dataset.seq}"]`);
      if (same) this.scroller.scrollTop += same.getBoundingClientRect().top - anchorTop;
    }
  }

  firstVisible() {
    const top = this.scroller.getBoundingClientRect().top;
    return [...this.list.querySelectorAll('[data-seq]')].find(e => e.getBoundingClientRect().bottom > top);
  }

  message(conversationId, message, group, state) {
    const {store} = this.app;
    const mine = state !== null;
    return h('li', {class: `message ${mine ? 'mine' : 'theirs'}`, 'data-seq': message.seq, 'data-id': message.id},
        group && !mine ? h('span', {class: 'sender'}, store.name(message.senderId)) : null,
        body(this.app.bodyOf(conversationId, message)),
        h('span', {class: 'meta'},
            h('time', {datetime: message.ts, title: longTime(message.ts)}, shortTime(message.ts)),
            mine ? h('span', {class: `state state-${state}`}, STATE_LABEL[state]) : null));
  }

  /**
   * A group message from someone I blocked, folded: the group's order is everyone's, so it is delivered and keeps
   * its place (and its seq), but its sender and body appear only when the reader asks.
   */
  collapsed(conversationId, message) {
    return h('li', {class: 'message theirs collapsed', 'data-seq': message.seq, 'data-id': message.id},
        h('button', {type: 'button', class: 'link', 'aria-expanded': 'false', onclick: () => {
          this.revealed.add(`${conversationId}:${message.seq}`);
          this.render();
        }}, 'Message from someone you blocked'));
  }

  /** Sent but not yet seen echoed: "Sending…", or refused with the reason and a way to try again. */
  pending(entry) {
    const failed = entry.state === 'failed';
    return h('li', {class: `message mine ${failed ? 'failed' : 'pending'}`, 'data-id': entry.id},
        entry.body === undefined ? h('p', {class: 'body-note'}, failed ? 'Encrypted message' : 'Decrypting…')
            : h('p', {class: 'body'}, entry.body),
        h('span', {class: 'meta'}, failed
            ? [h('span', {class: 'state state-failed', role: 'alert'}, `Not sent: ${entry.error ?? 'refused'}`),
              entry.body === undefined ? null
                  : h('button', {type: 'button', class: 'link', onclick: () => this.app.retry(entry.id)}, 'Retry'),
              h('button', {type: 'button', class: 'link', onclick: () => this.app.discard(entry.id)}, 'Discard')]
            : h('span', {class: 'state state-pending'}, STATE_LABEL[entry.state] ?? STATE_LABEL.pending)));
  }

  renderTyping() {
    if (!this.conversationId) return;
    const {store} = this.app;
    const names = store.typists(this.conversationId).map(id => store.name(id));
    const text = names.length === 0 ? ''
        : names.length === 1 ? `${names[0]} is typing…`
        : `${names.slice(0, -1).join(', ')} and ${names.at(-1)} are typing…`;
    if (this.typing.textContent !== text) this.typing.textContent = text;
  }
}

/**
 * A message's text, or in an encrypted conversation what stands in for it: never the envelope's bytes. The marks
 * are not `.body`, so nothing reads them as what someone wrote.
 */
function body(reading) {
  switch (reading.state) {
    case 'plain':
    case 'ok':
      return h('p', {class: 'body'}, reading.text);
    case 'pending':
      return h('p', {class: 'body-note'}, 'Decrypting…');
    case 'missing':
      return h('p', {class: 'body-note', title: 'It was sent before this device could read encrypted messages'},
          'Not encrypted for this device');
    default:
      return h('p', {class: 'body-note undecryptable', title: 'It is not signed by the sending device as the key '
          + 'directory knows it, or not sealed for this device’s keys'}, 'Could not decrypt this message');
  }
}
