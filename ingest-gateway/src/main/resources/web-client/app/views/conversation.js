import {h, longTime, replace} from '../dom.js';
import {avatar} from './attachments.js';
import {ComposerMedia} from './composer-media.js';
import {ConversationMenu, muteText} from './conversation-menu.js';
import {MessageItems, quoteText} from './message.js';
import {aiBadge} from './sidebar.js';

// The open conversation: its header (presence, members), the messages (older ones loaded as the list is scrolled
// to the top), who is typing, and the composer. Enter sends, Shift+Enter starts a new line. In a direct
// conversation with someone I blocked the composer gives way to a notice with Unblock (the server refuses sends
// there both ways); in a group, messages from someone I blocked are shown collapsed until clicked. An end-to-end
// encrypted conversation says so beside its title, and each message shows its decrypted text or why there is none.
//
// Each message has its actions (message.js): Reply puts the message above the composer, quoted; Edit puts my text
// in the composer to be changed (Enter saves, Escape cancels either); React opens a picker; Delete asks first.
//
// A conversation with the assistant is marked "AI" and says which model answers; it has no attachments, presence or
// typing. An answer being written is drawn after the messages (where its message will land) as it streams in, and
// gives way to the answer's message when that comes (assistant.js); meanwhile a Stop button stands beside Send.

export class ConversationPane {
  constructor(app, {onBack, onDetails}) {
    this.app = app;
    this.conversationId = null;
    this.title = h('h2', {id: 'conversation-title'});
    this.lock = h('span', {class: 'lock', title: 'Only the members’ devices can read the messages here', hidden: true},
        'End-to-end encrypted');
    this.muteMark = h('span', {class: 'muted-mark', hidden: true});
    this.aiMark = aiBadge();
    this.aiMark.hidden = true;
    this.menu = new ConversationMenu(app); // mute, pin, archive (conversation-menu.js)
    this.subtitle = h('p', {class: 'subtitle', 'aria-live': 'polite'});
    this.older = h('button', {type: 'button', class: 'load-older', onclick: () => this.loadOlder()}, 'Load older messages');
    this.list = h('ol', {class: 'messages', 'aria-label': 'Messages'});
    this.scroller = h('div', {class: 'scroller', role: 'log', 'aria-labelledby': 'conversation-title', tabindex: '0'},
        this.older, this.list);
    this.typing = h('p', {class: 'typing', 'aria-live': 'polite'});
    this.input = h('textarea', {id: 'composer-input', rows: '1', maxlength: '4000', autocomplete: 'off'});
    this.composerLabel = h('label', {for: 'composer-input'}, 'Message');
    this.submit = h('button', {type: 'submit', class: 'primary'}, 'Send');
    // while the assistant writes here: beside Send, where it stays put however the answer grows
    this.stopAnswer = h('button', {type: 'button', class: 'stop-answer', 'aria-label': 'Stop the answer',
      title: 'What was written so far becomes the answer', hidden: true, onclick: () => this.stop()}, 'Stop');
    this.contextText = h('span', {class: 'context-text'});
    this.contextCancel = h('button', {type: 'button', class: 'link', onclick: () => this.cancelComposing()}, 'Cancel');
    this.context = h('div', {class: 'composer-context', role: 'status', hidden: true}, this.contextText, this.contextCancel);
    this.media = new ComposerMedia(app, {onChange: () => {}, fallbackFocus: () => this.input.focus()});
    this.composer = h('form', {class: 'composer', 'aria-label': 'Send a message'},
        this.context, this.composerLabel, this.media.element,
        h('div', {class: 'composer-row'}, this.input, this.stopAnswer, this.submit), this.media.controls);
    this.media.acceptFilesOn(this.composer);
    this.headerAvatar = h('span', {class: 'header-avatar'});
    this.items = new MessageItems(this);
    this.resetMessageState();
    this.blockedText = h('span', {});
    this.unblockButton = h('button', {type: 'button', onclick: () => this.unblock()});
    this.blockedNotice = h('div', {class: 'blocked-notice', role: 'status', hidden: true}, this.blockedText, this.unblockButton);
    this.revealed = new Set(); // `${conversationId}:${seq}` of collapsed messages the reader chose to see
    this.empty = h('div', {class: 'empty-pane'}, h('p', {}, 'Choose a conversation, or start a new one.'));
    this.body = h('div', {class: 'conversation-body'},
        h('header', {class: 'conversation-header'},
            h('button', {type: 'button', class: 'back', onclick: onBack}, 'Back'),
            this.headerAvatar,
            h('div', {class: 'heading'}, h('div', {class: 'title-row'}, this.title, this.aiMark, this.lock, this.muteMark), this.subtitle),
            this.menu.element,
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
      } else if (e.key === 'Escape' && this.composing) {
        e.preventDefault();
        this.cancelComposing();
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
    this.menu.show(conversationId);
    if (!conversationId) {
      replace(this.element, this.empty);
      return;
    }
    if (changed) {
      replace(this.element, this.body);
      this.list.replaceChildren();
      this.input.value = '';
      this.stickToBottom = true;
      this.resetMessageState();
    }
    this.media.show(conversationId);
  }

  /** What is open on the messages (a picker, a confirmation) and what the composer does (reply, edit). */
  resetMessageState() {
    this.reactingTo = null; // the seq whose reaction picker is open
    this.otherReaction = ''; // what is typed in the picker's field
    this.confirmingDelete = null; // the seq whose deletion is being confirmed
    this.composing = null; // {mode: 'reply' | 'edit', seq, draft?}
    this.scrollToSeq = null; // to be shown once drawn (jumpTo)
    this.flashSeq = null; // shown highlighted for a moment after a jump
    this.focusNext = null; // the data-focus key to focus after the next draw
    this.renderContext();
  }

  /** Sends the text and the files chosen (either may be absent); in edit mode, saves the edit. */
  send() {
    const body = this.input.value.trim();
    if (!this.conversationId) return;
    const composing = this.composing;
    if (composing?.mode === 'edit') {
      if (!body) return;
      if (body !== composing.text) this.app.actions.edit(this.conversationId, composing.seq, body);
      this.input.value = composing.draft; // what was being typed before the edit
    } else {
      if (!body && !this.media.hasFiles) return;
      const files = this.media.take(); // null: a file failed or a recording is under way, said by the files
      if (!files) return;
      this.app.send(this.conversationId, body, composing?.seq, files);
      this.input.value = '';
      this.stickToBottom = true;
    }
    this.composing = null;
    this.renderContext();
    this.render();
  }

  // --- message actions (message.js draws them)

  startReply(seq) {
    if (this.composing?.mode === 'edit') this.input.value = this.composing.draft; // the edit given up
    this.composing = {mode: 'reply', seq};
    this.renderContext();
    this.input.focus();
  }

  /** The message's current text in the composer; what was being typed comes back afterwards. */
  startEdit(seq, text) {
    const draft = this.composing?.mode === 'edit' ? this.composing.draft : this.input.value;
    this.composing = {mode: 'edit', seq, text, draft};
    this.input.value = text;
    this.renderContext();
    this.input.focus();
  }

  cancelComposing() {
    const composing = this.composing;
    if (!composing) return;
    if (composing.mode === 'edit') this.input.value = composing.draft;
    this.composing = null;
    this.renderContext();
    this.input.focus();
  }

  /** Above the composer: what it is answering or editing, with a way out. */
  renderContext() {
    const composing = this.composing;
    this.context.hidden = !composing;
    this.submit.textContent = composing?.mode === 'edit' ? 'Save' : 'Send';
    if (!composing) return;
    const {store} = this.app;
    const message = store.message(this.conversationId, composing.seq);
    if (composing.mode === 'edit') {
      this.contextText.textContent = 'Editing your message';
      this.contextCancel.textContent = 'Cancel edit';
    } else {
      const who = message ? store.name(message.senderId) : 'a message';
      replace(this.contextText, 'Replying to ', h('strong', {}, who), ': ',
          h('span', {class: 'quote-text'}, quoteText(this.app, this.conversationId, message)));
      this.contextCancel.textContent = 'Cancel reply';
    }
  }

  toggleReacting(seq) {
    this.reactingTo = this.reactingTo === seq ? null : seq;
    this.confirmingDelete = null;
    this.otherReaction = '';
    this.focusNext = this.reactingTo === null ? `${seq}:react` : `${seq}:quick ${'👍'}`;
    this.render();
  }

  closePicker() {
    const seq = this.reactingTo;
    this.reactingTo = null;
    this.focusNext = `${seq}:react`;
    this.render();
  }

  /** A key picked or typed: added, or taken away when it is already mine (a toggle, as on the message). */
  react(seq, key) {
    const mine = this.app.store.message(this.conversationId, seq)?.reactions?.some(r => r.key === key && r.me);
    this.app.actions.react(this.conversationId, seq, key, Boolean(mine));
    this.closePicker();
  }

  askDelete(seq) {
    this.confirmingDelete = seq;
    this.reactingTo = null;
    this.focusNext = `${seq}:confirm-delete`;
    this.render();
  }

  cancelDelete() {
    const seq = this.confirmingDelete;
    this.confirmingDelete = null;
    this.focusNext = `${seq}:delete`;
    this.render();
  }

  confirmDelete(seq) {
    this.confirmingDelete = null;
    this.app.actions.remove(this.conversationId, seq);
    this.focusNext = `${seq}:message`;
    this.render();
  }

  /**
   * Shows the message `seq`, loading the history around it first when it is not held (a search result, a quoted
   * message further up). `opening`: the conversation's first load, waited for so that the two do not cross.
   */
  async jumpTo(seq, opening = Promise.resolve()) {
    const conversationId = this.conversationId;
    await opening.catch(() => {});
    await this.app.loadAround(conversationId, seq).catch(() => {}); // a failure is in the alerts
    if (this.conversationId !== conversationId) return;
    this.scrollToSeq = seq;
    this.stickToBottom = false;
    this.render();
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
    const picture = store.conversationAvatar(conversation);
    if (this.headerAvatar.dataset.key !== `${picture.mediaId}:${picture.name}`) {
      this.headerAvatar.dataset.key = `${picture.mediaId}:${picture.name}`;
      replace(this.headerAvatar, avatar(this.app, picture, 'medium'));
    }
    const assistant = store.isAssistantConversation(conversation);
    // the server refuses attachments in encrypted conversations; the assistant reads text only
    this.media.setAllowed(!conversation.encrypted && !assistant);
    this.aiMark.hidden = !assistant;
    this.media.render();
    this.lock.hidden = !conversation.encrypted;
    this.muteMark.textContent = muteText(store, conversation);
    this.muteMark.hidden = !this.muteMark.textContent;
    this.composerLabel.textContent = `Message to ${title}`;
    this.subtitle.textContent = this.describe(conversation);
    this.renderBlocked(conversation);
    this.renderStop(conversation);
    this.renderMessages(conversation);
    this.renderTyping();
  }

  /**
   * Stop, while the assistant writes an answer here (one at a time per conversation: the oldest still written). Once
   * pressed it says so with `aria-disabled` rather than `disabled`, so that the focus stays on it until it goes.
   */
  renderStop(conversation) {
    const writing = this.app.store.answers.in(conversation.conversationId).find(a => !a.done);
    if (!writing && document.activeElement === this.stopAnswer) this.input.focus(); // it goes: the focus stays near
    this.stopAnswer.hidden = !writing;
    if (writing?.stopping) this.stopAnswer.setAttribute('aria-disabled', 'true');
    else this.stopAnswer.removeAttribute('aria-disabled');
  }

  stop() {
    const writing = this.app.store.answers.in(this.conversationId).find(a => !a.done);
    if (writing && !writing.stopping) this.app.stopAnswer(writing.conversationId, writing.replyTo);
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
    if (store.isAssistantConversation(conversation)) {
      return store.assistant ? `AI assistant${store.assistant.model ? ` · ${store.assistant.model}` : ''}`
        : 'AI assistant · not available on this server right now';
    }
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
   * (new messages scroll in); above it, the first message in view keeps its position (older pages load above). A
   * message jumped to is brought into view instead. The focus stays on the same control of the same message.
   */
  renderMessages(conversation) {
    const {store} = this.app;
    const {conversationId} = conversation;
    const {messages, outbox} = store.timeline(conversationId);
    const jump = this.scrollToSeq;
    const stick = jump === null && (this.stickToBottom || this.atBottom());
    const anchor = stick || jump !== null ? null : this.firstVisible();
    const anchorTop = anchor?.getBoundingClientRect().top;
    const focused = this.focusNext ?? (this.list.contains(document.activeElement) ? document.activeElement.dataset.focus : null);
    this.focusNext = null;
    if (this.composing?.mode === 'edit' && store.message(conversationId, this.composing.seq)?.deleted) {
      this.input.value = this.composing.draft; // the message being edited was deleted meanwhile
      this.composing = null;
    }
    this.renderContext();

    this.older.hidden = !(messages[0]?.seq > 1);
    replace(this.list,
        messages.map(m => store.fromBlocked(conversation, m) && !this.revealed.has(`${conversationId}:${m.seq}`)
            ? this.collapsed(conversationId, m)
            : this.items.item(conversation, m, store.senderIsMe(m) ? store.messageState(conversationId, m.seq) : null)),
        store.answers.in(conversationId).map(answer => this.items.answer(conversation, answer)),
        outbox.map(m => this.items.pending(conversation, m)));
    this.items.media.prune();

    if (jump !== null) {
      this.scrollToSeq = null;
      this.showJumped(jump);
    } else if (stick) {
      this.scroller.scrollTop = this.scroller.scrollHeight;
      this.stickToBottom = false;
    } else if (anchor) {
      const same = this.list.querySelector(`[data-seq="${anchor.dataset.seq}"]`);
      if (same) this.scroller.scrollTop += same.getBoundingClientRect().top - anchorTop;
    }
    if (focused) this.refocus(focused);
  }

  /**
   * The text of an answer being written grew (or started over): changed in place, the list staying at the bottom
   * when it was there. False when its bubble is not drawn yet (the caller draws everything then).
   */
  answerTextChanged(key) {
    const answer = this.app.store.answers.get(key);
    if (!answer || answer.conversationId !== this.conversationId) return true; // not on screen: nothing to change
    const text = this.list.querySelector(`[data-answer="${CSS.escape(key)}"] .streaming`);
    if (!text) return false;
    const stick = this.atBottom();
    text.textContent = answer.text;
    if (stick) this.scroller.scrollTop = this.scroller.scrollHeight;
    return true;
  }

  /** The message jumped to, in the middle of the view, highlighted for a moment and focused. */
  showJumped(seq) {
    const target = this.list.querySelector(`[data-seq="${seq}"]`);
    if (!target) {
      this.app.problem('That message could not be shown: it is no longer in this conversation.');
      return;
    }
    target.scrollIntoView({block: 'center'});
    target.classList.add('flash');
    this.flashSeq = seq;
    this.focusNext = null;
    target.focus({preventScroll: true});
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => {
      this.flashSeq = null;
      this.list.querySelector(`[data-seq="${seq}"]`)?.classList.remove('flash');
    }, 2_000);
  }

  /** The control with this focus key after a redraw; when it is gone, its message; else the list itself. */
  refocus(key) {
    if (this.list.contains(document.activeElement) && document.activeElement.dataset.focus === key) return;
    const seq = key.split(':')[0];
    const target = this.list.querySelector(`[data-focus="${CSS.escape(key)}"]`)
        ?? this.list.querySelector(`[data-seq="${CSS.escape(seq)}"]`);
    (target ?? this.scroller).focus({preventScroll: true});
  }

  firstVisible() {
    const top = this.scroller.getBoundingClientRect().top;
    return [...this.list.querySelectorAll('[data-seq]')].find(e => e.getBoundingClientRect().bottom > top);
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
