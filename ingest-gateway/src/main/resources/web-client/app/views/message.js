import {h, longTime, shortTime} from '../dom.js';
import {attachmentsSummary, formatDuration, formatSize} from '../media.js';
import {MAX_REACTION_KEY} from '../message-updates.js';
import {MessageMedia} from './attachments.js';
import {uploadState} from './composer-media.js';

// One message of the open conversation as the list shows it: the quoted message it answers, its text (or why there
// is none: deleted, encrypted for another device), its reactions, the "edited" mark, and its actions (Reply, React,
// Edit, Delete), with the reaction picker and the delete confirmation when open. The pane (conversation.js) holds
// what is open and does what the buttons ask. Every button has a `data-focus` key, so that focus survives the list
// being drawn again (the list is redrawn on every change).
//
// The assistant's answers are messages like the others, marked as the assistant's; one saying the model failed
// (`failed: true`) is marked so, in words. An answer still being written (assistant.js) has a bubble of its own, with
// the question it answers quoted above its text and "Writing…" (its Stop button is by the composer).

export const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏'];
const STATE_LABEL = {pending: 'Sending…', sent: 'Sent', delivered: 'Delivered', read: 'Read'};
const DOING_LABEL = {edit: 'Saving edit…', delete: 'Deleting…'};
const QUOTE_CHARS = 120;

export class MessageItems {
  constructor(pane) {
    this.pane = pane;
    this.app = pane.app;
    this.media = new MessageMedia(pane.app); // photos, voice notes and files, kept across drawings
  }

  /** `state`: the mark of one of my messages (sent, delivered, read), null for someone else's. */
  item(conversation, message, state) {
    const {store} = this.app;
    const {conversationId} = conversation;
    const {seq} = message;
    const mine = state !== null;
    const focus = name => `${seq}:${name}`;
    const reading = message.deleted ? null : this.app.bodyOf(conversationId, message);
    const doing = this.app.actions.pendingOn(conversationId, seq).map(a => DOING_LABEL[a.kind]).find(Boolean);
    const failed = message.failed === true && !message.deleted;
    const classes = ['message', mine ? 'mine' : 'theirs', message.deleted ? 'deleted' : '',
      store.isAssistantUser(message.senderId) ? 'assistant-answer' : '', failed ? 'failed-answer' : '',
      this.pane.flashSeq === seq ? 'flash' : ''].filter(Boolean).join(' ');
    return h('li', {class: classes, 'data-seq': seq, 'data-id': message.id, tabindex: '-1', 'data-focus': focus('message')},
        conversation.type === 'group' && !mine ? h('span', {class: 'sender'}, store.name(message.senderId)) : null,
        message.replyTo ? this.quote(conversation, message.replyTo, focus('quote')) : null,
        failed ? h('p', {class: 'failed-note'}, 'The assistant could not answer') : null,
        message.deleted ? h('p', {class: 'body-note deleted'}, 'This message was deleted')
            : body(reading, message.attachments?.length > 0),
        message.deleted ? null : this.media.list(conversation, message, mine ? null : store.name(message.senderId)),
        message.deleted ? null : this.reactions(conversationId, message, focus),
        h('span', {class: 'meta'},
            h('time', {datetime: message.ts, title: longTime(message.ts)}, shortTime(message.ts)),
            message.editedAt && !message.deleted
                ? h('span', {class: 'edited', title: `Edited ${longTime(message.editedAt)}`}, 'edited') : null,
            doing ? h('span', {class: 'doing'}, doing) : null,
            mine ? h('span', {class: `state state-${state}`}, STATE_LABEL[state]) : null),
        message.deleted ? null : this.actions(conversation, message, reading, focus),
        !message.deleted && this.pane.reactingTo === seq ? this.picker(message, focus) : null,
        !message.deleted && this.pane.confirmingDelete === seq ? this.confirmDelete(message, mine, focus) : null);
  }

  /**
   * The message answered, compactly: its sender and the start of its text, "message deleted", or "message not
   * loaded" (not among those held). A click shows it, loading the history around it when needed.
   */
  quote(conversation, seq, focusKey) {
    const quoted = this.app.store.message(conversation.conversationId, seq);
    const who = quoted ? this.app.store.name(quoted.senderId) : null;
    const text = quoteText(this.app, conversation.conversationId, quoted);
    return h('button', {type: 'button', class: `quote${quoted ? '' : ' unknown'}`, 'data-focus': focusKey,
      'aria-label': `In reply to ${who ?? 'a message'}: ${text}. Show that message`,
      onclick: () => this.pane.jumpTo(seq)},
    who ? h('span', {class: 'quote-sender'}, who) : null, h('span', {class: 'quote-text'}, text));
  }

  /** Each key with its count; mine pressed. Pressing one adds mine, or takes mine away. */
  reactions(conversationId, message, focus) {
    const reactions = message.reactions ?? [];
    if (reactions.length === 0) return null;
    return h('ul', {class: 'reactions', 'aria-label': 'Reactions'}, reactions.map(r => h('li', {},
        h('button', {
          type: 'button', class: 'reaction', 'aria-pressed': String(r.me), 'data-key': r.key,
          'data-focus': focus(`reaction ${r.key}`),
          'aria-label': `${r.key} ${r.count} ${r.count === 1 ? 'reaction' : 'reactions'}`,
          title: r.me ? 'You reacted with this: press to take yours away' : 'Press to react with this too',
          onclick: () => this.app.actions.react(conversationId, message.seq, r.key, r.me),
        }, h('span', {class: 'key'}, r.key), h('span', {class: 'count'}, String(r.count))))));
  }

  actions(conversation, message, reading, focus) {
    const {store} = this.app;
    const {seq} = message;
    const readable = reading.state === 'plain' || reading.state === 'ok';
    const button = (label, name, onclick, extra = {}) =>
      h('button', {type: 'button', class: 'link', 'data-focus': focus(name), onclick, ...extra}, label);
    return h('div', {class: 'message-actions', role: 'group', 'aria-label': 'Message actions'},
        button('Reply', 'reply', () => this.pane.startReply(seq)),
        button('React', 'react', () => this.pane.toggleReacting(seq),
            {'aria-expanded': String(this.pane.reactingTo === seq)}),
        // a photo or voice note sent without words has no text to edit
        store.canEdit(message) && readable && reading.text
            ? button('Edit', 'edit', () => this.pane.startEdit(seq, reading.text)) : null,
        store.canDelete(conversation, message) ? button('Delete', 'delete', () => this.pane.askDelete(seq)) : null);
  }

  /** A few quick emoji, or any key typed (1 to 32 characters); Escape closes it. */
  picker(message, focus) {
    const {seq} = message;
    const id = `reaction-other-${seq}`;
    const input = h('input', {id, maxlength: String(MAX_REACTION_KEY), autocomplete: 'off', 'data-focus': focus('other'),
      value: this.pane.otherReaction, oninput: () => { this.pane.otherReaction = input.value; }});
    const form = h('form', {class: 'reaction-picker', 'aria-label': 'Choose a reaction'},
        h('div', {class: 'quick', role: 'group', 'aria-label': 'Quick reactions'}, QUICK_REACTIONS.map(key =>
          h('button', {type: 'button', 'aria-label': `React with ${key}`, 'data-focus': focus(`quick ${key}`),
            onclick: () => this.pane.react(seq, key)}, key))),
        h('label', {for: id}, 'Another reaction (an emoji or a short word)'),
        h('div', {class: 'picker-row'}, input,
            h('button', {type: 'submit', 'data-focus': focus('add-reaction')}, 'Add'),
            h('button', {type: 'button', 'data-focus': focus('close-picker'), onclick: () => this.pane.closePicker()},
                'Close')));
    form.addEventListener('submit', e => {
      e.preventDefault();
      if (input.value.trim()) this.pane.react(seq, input.value.trim());
    });
    form.addEventListener('keydown', e => {
      if (e.key === 'Escape') this.pane.closePicker();
    });
    return form;
  }

  /** Deleting is for everyone and cannot be undone: asked once more, in place. */
  confirmDelete(message, mine, focus) {
    const whose = mine ? 'this message' : `${this.app.store.name(message.senderId)}’s message`;
    const element = h('div', {class: 'confirm-delete', role: 'group', 'aria-label': 'Confirm the deletion'},
        h('span', {}, `Delete ${whose} for everyone?`),
        h('button', {type: 'button', class: 'small danger', 'data-focus': focus('confirm-delete'),
          onclick: () => this.pane.confirmDelete(message.seq)}, 'Delete for everyone'),
        h('button', {type: 'button', class: 'small', 'data-focus': focus('cancel-delete'),
          onclick: () => this.pane.cancelDelete()}, 'Cancel'));
    element.addEventListener('keydown', e => {
      if (e.key === 'Escape') this.pane.cancelDelete();
    });
    return element;
  }

  /**
   * An answer the assistant is writing: the question quoted, the text so far (changed in place as it grows, see
   * ConversationPane.answerTextChanged) and what the assistant is doing. Its Stop button is by the composer, where it
   * stays put: here it would move under the finger as the text grows. `aria-busy` while it grows, so that a screen
   * reader reads the answer once rather than every few characters. A device that joined mid-answer has missed its
   * start and says so: the answer's message shows it whole.
   */
  answer(conversation, stream) {
    const status = stream.done ? 'Finishing…' : stream.stopping ? 'Stopping…' : 'Writing…';
    return h('li', {class: 'message theirs assistant-answer pending-answer', 'data-answer': stream.key,
      'aria-busy': String(!stream.done)},
    this.quote(conversation, stream.replyTo, `answer-${stream.replyTo}:quote`),
    stream.missedStart ? h('p', {class: 'body-note'}, 'The start of this answer was missed here: it shows in full when '
        + 'it is done.') : null,
    h('p', {class: 'body streaming', hidden: stream.missedStart}, stream.text),
    h('span', {class: 'meta'}, h('span', {class: 'writing'}, `${this.app.store.assistantName()}: ${status}`)));
  }

  /**
   * A message of the outbox, sent but not yet seen echoed: "Sending…", or refused with the reason and a way to try
   * again. A reply shows what it answers already.
   */
  pending(conversation, entry) {
    const failed = entry.state === 'failed';
    const uploading = !failed && this.app.filesOf(entry).state === 'uploading';
    return h('li', {class: `message mine ${failed ? 'failed' : 'pending'}`, 'data-id': entry.id},
        entry.replyTo ? this.quote(conversation, entry.replyTo, `${entry.id}:quote`) : null,
        entry.body === undefined ? h('p', {class: 'body-note'}, failed ? 'Encrypted message' : 'Decrypting…')
            : entry.body === '' && entry.attachments?.length ? null : h('p', {class: 'body'}, entry.body),
        this.pendingFiles(entry),
        h('span', {class: 'meta'}, failed
            ? [h('span', {class: 'state state-failed', role: 'alert'}, `Not sent: ${entry.error ?? 'refused'}`),
              this.app.canRetry(entry)
                  ? h('button', {type: 'button', class: 'link', onclick: () => this.app.retry(entry.id)}, 'Retry') : null,
              h('button', {type: 'button', class: 'link', onclick: () => this.app.discard(entry.id)}, 'Discard')]
            : h('span', {class: 'state state-pending'}, uploading ? 'Uploading…'
                : STATE_LABEL[entry.state] ?? STATE_LABEL.pending)));
  }

  /** The files of a message not sent yet: a photo from this device's own bytes, the others by name, each's upload. */
  pendingFiles(entry) {
    const attachments = entry.attachments ?? [];
    if (attachments.length === 0) return null;
    return h('ul', {class: 'attachments pending-files', 'aria-label': 'Files'}, attachments.map(attachment => {
      const upload = this.app.uploads.get(attachment.localId);
      const voice = Boolean(attachment.durationMs);
      const label = voice ? 'Voice note' : attachment.name;
      return h('li', {class: 'attachment pending-file'},
          upload?.preview ? h('img', {class: 'tray-preview', src: upload.preview, alt: ''}) : null,
          h('span', {class: 'tray-info'},
              h('span', {class: 'tray-name'}, label),
              h('span', {class: 'tray-details'}, voice ? formatDuration(attachment.durationMs) : formatSize(attachment.size)),
              attachment.mediaId ? null : upload ? uploadState(upload) : null));
    }));
  }
}

/** What a quote or the composer shows of a message: the start of its text, or what stands in for it. */
export function quoteText(app, conversationId, message) {
  if (!message) return 'message not loaded';
  if (message.deleted) return 'message deleted';
  const reading = app.bodyOf(conversationId, message);
  if (reading.state !== 'plain' && reading.state !== 'ok') {
    return reading.state === 'pending' ? 'Decrypting…' : 'Encrypted message';
  }
  const text = (reading.text ?? '').replace(/\s+/g, ' ').trim() || attachmentsSummary(message.attachments);
  return text.length > QUOTE_CHARS ? `${text.slice(0, QUOTE_CHARS - 1)}…` : text;
}

/**
 * A message's text, or in an encrypted conversation what stands in for it: never the envelope's bytes. The marks
 * are not `.body`, so nothing reads them as what someone wrote.
 */
function body(reading, hasAttachments) {
  switch (reading.state) {
    case 'plain':
    case 'ok':
      // a photo or a voice note sent without words has no text to show
      return hasAttachments && !reading.text ? null : h('p', {class: 'body'}, reading.text ?? '');
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
