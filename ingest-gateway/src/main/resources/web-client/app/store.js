import {ASSISTANT_USER_ID, AnswerStreams} from './assistant.js';
import {ContactBook} from './contact-book.js';
import {MessageCache} from './message-cache.js';
import {applyUpdate, isBehind} from './message-updates.js';

// What the client knows, merged from REST answers and socket events. Every merge is idempotent (a message is
// kept by its seq, a receipt only moves forward), because the same fact can come from both, or twice. The messages
// this device has shown are also kept in the tab's storage (message-cache.js) and start the histories after a
// reload, until the server's copies replace them.
//
// Edits, deletes and reactions (`message_update` frames) change the copy held; the server's copy from history
// replaces the held one, unless an update to that message came in the last moments: the archive that history reads
// may not have it yet. Such messages are read again one by one a moment later (`reconcile` in chat.js): the frame
// and the history page may also both hold the same reaction, which only the server's copy can count right.

const OUTBOX_KEY = 'kchat.outbox';
/** How long after an update frame a history copy of its message may still predate it: the archive's lag, with room. */
export const UPDATE_SETTLE_MS = 5_000;
/** A single message read this long after its last update frame has it: the archive is about a second behind. */
const ARCHIVE_LAG_MS = 2_000;
const DEFAULT_SETTINGS = Object.freeze({muted: false, pinned: false, archived: false});

export class ChatStore extends EventTarget {
  constructor(me, storage = sessionStorage) {
    super();
    this.me = me; // {userId, username, displayName, dmPolicy}
    this.storage = storage;
    this.users = new Map(); // userId -> profile
    this.conversations = new Map(); // conversationId -> conversation (the API's, plus activity)
    this.histories = new Map(); // conversationId -> {messages: Map seq -> message, loaded, cached: Set of seqs}
    this.receipts = new Map(); // conversationId -> Map userId -> {delivered, read}
    this.presence = new Map(); // userId -> {online, lastSeen}
    this.typing = new Map(); // conversationId -> Map userId -> until (ms)
    this.outboxKey = `${OUTBOX_KEY}.${me.userId}`;
    // messages not yet echoed by the server: {id, conversationId, body, state, error, encrypted?, sealed?}
    this.outbox = readOutbox(storage, this.outboxKey);
    this.online = null; // {users, connections}
    this.contacts = new ContactBook(me.userId, () => this.changed('contacts'));
    this.users.set(me.userId, me);
    // the assistant's user cannot be looked up like a person's (docs/api.md): its name comes from GET /v1/assistant
    this.assistant = null; // {userId, name, model} while the server has a model; null otherwise or not known yet
    this.users.set(ASSISTANT_USER_ID, assistantProfile(ASSISTANT_USER_ID, 'Assistant'));
    this.answers = new AnswerStreams(userId => this.isAssistantUser(userId)); // answers being written (assistant.js)
    this.cache = new MessageCache(storage, me.userId);
    for (const [conversationId, messages] of this.cache.load()) {
      const history = this.history(conversationId);
      for (const message of messages) {
        history.messages.set(message.seq, message);
        history.cached.add(message.seq);
      }
    }
  }

  changed(what) {
    this.dispatchEvent(new CustomEvent('change', {detail: what}));
  }

  // --- conversations

  setConversations(list) {
    const seen = new Set();
    let previous = Date.now();
    for (const conversation of list) {
      seen.add(conversation.conversationId);
      // the list is read from the archive too: the newest message this tab holds may be past its last one
      const lastMessage = newer(this.timeline(conversation.conversationId).messages.at(-1), conversation.lastMessage);
      const lastSeq = Math.max(conversation.lastSeq ?? 0, lastMessage?.seq ?? 0);
      // one nothing was said in keeps its place in the server's order (by creation) just below the one before it
      previous = this.putConversation({...conversation, lastMessage, lastSeq}, previous - 1).activity;
    }
    for (const id of [...this.conversations.keys()]) {
      if (!seen.has(id)) this.conversations.delete(id);
    }
    this.cache.retain(seen);
    this.changed('conversations');
  }

  /** `order` places a conversation nothing was said in (a time in ms); one with messages sorts by its last one. */
  putConversation(conversation, order = 0) {
    const known = this.conversations.get(conversation.conversationId);
    const merged = {...known, ...conversation};
    merged.lastSeq = Math.max(known?.lastSeq ?? 0, conversation.lastSeq ?? 0);
    merged.readSeq = Math.max(known?.readSeq ?? 0, conversation.readSeq ?? 0);
    merged.unread = conversation.unread ?? known?.unread ?? 0;
    merged.lastMessage = newer(known?.lastMessage, conversation.lastMessage);
    merged.activity = merged.lastMessage ? Date.parse(merged.lastMessage.ts) : (known?.activity ?? order);
    this.conversations.set(conversation.conversationId, merged);
    this.changed('conversations');
    return merged;
  }

  removeConversation(conversationId) {
    this.conversations.delete(conversationId);
    this.histories.delete(conversationId);
    this.answers.drop(conversationId);
    this.cache.drop(conversationId);
    this.changed('conversations');
  }

  /**
   * The main list (`archived`: the archived ones instead): pinned conversations first, then by most recent activity.
   * A new message does not take a conversation out of the archive (see the README).
   */
  conversationList({archived = false} = {}) {
    return [...this.conversations.values()]
        .filter(c => this.settings(c).archived === archived)
        .sort((a, b) => Number(this.settings(b).pinned) - Number(this.settings(a).pinned) || b.activity - a.activity);
  }

  // --- my settings of each conversation: muted (maybe until a time), pinned, archived

  /** A conversation's settings as the API shows them; none known yet: the defaults. */
  settings(conversation) {
    return {...DEFAULT_SETTINGS, ...conversation?.settings};
  }

  /** From the answer to a change, or a `settings` frame (a change made on another device). */
  setSettings(conversationId, settings) {
    const conversation = this.conversations.get(conversationId);
    if (!conversation || !settings) return; // a conversation not listed yet brings its settings with it
    conversation.settings = {...DEFAULT_SETTINGS, ...settings};
    this.changed('conversations');
  }

  /** Muted now: a mute with a time that has passed is over, whether or not the server said so yet. */
  isMuted(conversation, now = Date.now()) {
    const {muted, mutedUntil} = this.settings(conversation);
    return muted && (!mutedUntil || Date.parse(mutedUntil) > now);
  }

  // --- messages

  history(conversationId) {
    let history = this.histories.get(conversationId);
    if (!history) {
      // `cached`: the seqs known only from this tab's storage so far; the server's copy replaces them
      // `updated`: seq -> when an update frame for it came (recent ones only), held or not; `readAt`: when a
      // history page of it was last read
      history = {messages: new Map(), loaded: false, cached: new Set(), updated: new Map(), readAt: 0};
      this.histories.set(conversationId, history);
    }
    return history;
  }

  /**
   * To be read from REST again (after a `gap`). What is held stays on screen meanwhile, and in the cache, as the
   * archive may not have the newest of it yet; the server's copies replace it as they come.
   */
  reloadHistory(conversationId) {
    const history = this.history(conversationId);
    history.loaded = false;
    history.cached = new Set(history.messages.keys());
  }

  /**
   * Messages from REST (`fromHistory`: the server's current state) or the socket (a message as first sent). A
   * message known only from the cache is replaced by either; one known otherwise is replaced by a history copy
   * only, and not while an update to it is recent (the archive may lag it). Returns the seqs whose state is
   * uncertain for that reason, to be read again a moment later. The conversation's newest messages are kept for a
   * reload before anything is drawn.
   */
  addMessages(conversationId, messages, fromHistory = false) {
    const history = this.history(conversationId);
    const uncertain = [];
    if (fromHistory) history.readAt = Date.now(); // a reaction frame soon after may be counted in this page already
    for (const message of messages) {
      const behind = isBehind(message, history.messages.get(message.seq));
      const recent = fromHistory && (this.recentlyUpdated(history, message.seq) || behind);
      if (recent) uncertain.push(message.seq);
      if (message.senderId === this.me.userId) this.settleOutbox(message.id);
      // a copy behind the held one never replaces it (a reload right after a delete): read again until it caught up
      if (behind) continue;
      if (!history.messages.has(message.seq) || history.cached.delete(message.seq) || (fromHistory && !recent)) {
        history.messages.set(message.seq, message);
      }
    }
    this.answers.messagesHeld(conversationId, messages); // an answer takes the place of its stream, in the same draw
    this.cache.save(conversationId, history.messages.values());
    this.changed({messages: conversationId});
    return uncertain;
  }

  /**
   * One message read again from the server after an update (GET …/messages/{seq}), asked for at `askedAt`: it
   * replaces the held copy unless an update came too shortly before the question for the archive to have it, or
   * since (then false: to be asked again).
   */
  replaceMessage(message, askedAt) {
    const history = this.history(message.conversationId);
    if ((history.updated.get(message.seq) ?? 0) > askedAt - ARCHIVE_LAG_MS) return false;
    if (isBehind(message, history.messages.get(message.seq))) return false;
    history.messages.set(message.seq, message);
    history.cached.delete(message.seq);
    this.cache.save(message.conversationId, history.messages.values());
    this.setLastMessageState(message);
    this.changed({messages: message.conversationId});
    return true;
  }

  recentlyUpdated(history, seq, now = Date.now()) {
    for (const [updatedSeq, at] of history.updated) {
      if (now - at > UPDATE_SETTLE_MS) history.updated.delete(updatedSeq);
    }
    return history.updated.has(seq);
  }

  /**
   * A `message_update` frame: applied to the held copy of its message and to the list's last message if it is
   * that one. Neither the unread count nor the list's order moves: an update is not a message. True when the
   * message was held here.
   */
  applyUpdate(update) {
    const {conversationId, seq} = update;
    const history = this.history(conversationId);
    history.updated.set(seq, Date.now());
    const held = history.messages.get(seq);
    if (held) {
      history.messages.set(seq, applyUpdate(held, update, this.me.userId));
      this.cache.save(conversationId, history.messages.values());
    }
    const last = this.conversations.get(conversationId)?.lastMessage;
    if (last?.seq === seq) this.setLastMessageState(applyUpdate(last, update, this.me.userId));
    this.changed({messages: conversationId});
    return Boolean(held);
  }

  /** The list's last message in a newer state (same seq, same time: the conversation keeps its place). */
  setLastMessageState(message) {
    const conversation = this.conversations.get(message.conversationId);
    if (conversation?.lastMessage?.seq !== message.seq) return;
    conversation.lastMessage = message;
    this.changed('conversations');
  }

  /** The message `seq` of a conversation as held here (from the server or this tab's storage), if it is. */
  message(conversationId, seq) {
    return this.histories.get(conversationId)?.messages.get(seq);
  }

  /**
   * A live message: kept in the history even before it is loaded (the archive, which REST reads, can lag behind
   * the socket), and counted in the list's last message and unread count.
   */
  messageArrived(message) {
    const conversation = this.conversations.get(message.conversationId);
    this.addMessages(message.conversationId, [message]);
    if (!conversation) return;
    const fresh = message.seq > (conversation.lastSeq ?? 0);
    const mine = message.senderId === this.me.userId;
    this.putConversation({
      conversationId: message.conversationId,
      lastSeq: message.seq,
      readSeq: mine ? message.seq : conversation.readSeq, // sending moves one's own readSeq (docs/api.md)
      unread: mine ? 0 : conversation.unread + (fresh && message.seq > conversation.readSeq ? 1 : 0),
      lastMessage: this.message(message.conversationId, message.seq) ?? message, // as held: maybe updated since
    });
  }

  /** Sorted by seq, with the messages still in the outbox after them. */
  timeline(conversationId) {
    const history = this.histories.get(conversationId);
    const messages = history ? [...history.messages.values()].sort((a, b) => a.seq - b.seq) : [];
    return {messages, outbox: this.outbox.filter(m => m.conversationId === conversationId)};
  }

  /** The seqs missing between the oldest and the newest message held: a socket event came past an unloaded one. */
  firstHole(conversationId) {
    const seqs = [...this.history(conversationId).messages.keys()].sort((a, b) => a - b);
    for (let i = 1; i < seqs.length; i++) {
      if (seqs[i] !== seqs[i - 1] + 1) return seqs[i - 1];
    }
    return null;
  }

  markRead(conversationId, seq) {
    const conversation = this.conversations.get(conversationId);
    if (!conversation || seq <= conversation.readSeq) return false;
    this.putConversation({conversationId, readSeq: seq, unread: seq >= conversation.lastSeq ? 0 : conversation.unread});
    return true;
  }

  // --- outbox: what was sent but not yet seen echoed, kept across a reload so that nothing is silently lost

  /**
   * `replyTo`: the seq of the message it answers. `encrypted`: a message of an end-to-end encrypted conversation. Its plaintext stays in memory; what the tab's
   * storage keeps of it is `sealed`, an envelope for this device alone (set once made), opened again after a reload.
   */
  queue(conversationId, id, body, {encrypted = false, replyTo, attachments} = {}) {
    this.outbox.push({id, conversationId, body, state: 'pending', ...(encrypted ? {encrypted} : {}),
      ...(replyTo ? {replyTo} : {}), ...(attachments?.length ? {attachments} : {})});
    this.saveOutbox();
  }

  /**
   * An upload named by outbox entries is done: they carry its media from now on (and the tab's storage with them,
   * so a reload sends the message with its files). `media` is the server's answer to the upload.
   */
  uploaded(localId, media) {
    let changed = false;
    for (const entry of this.outbox) {
      for (const attachment of entry.attachments ?? []) {
        if (attachment.localId !== localId || attachment.mediaId) continue;
        Object.assign(attachment, {mediaId: media.mediaId, contentType: media.contentType ?? attachment.contentType,
          size: media.size ?? attachment.size},
        media.width ? {width: media.width, height: media.height} : {});
        changed = true;
      }
    }
    if (changed) this.saveOutbox();
  }

  setSealed(id, sealed) {
    const entry = this.outboxEntry(id);
    if (!entry) return;
    entry.sealed = sealed;
    this.saveOutbox();
  }

  /** An encrypted entry's plaintext, opened again after a reload; not saved. */
  setOutboxBody(id, body) {
    const entry = this.outboxEntry(id);
    if (entry) entry.body = body;
    this.changed('outbox');
  }

  outboxEntry(id) {
    return this.outbox.find(m => m.id === id);
  }

  setOutboxState(id, state, error) {
    const entry = this.outboxEntry(id);
    if (!entry) return;
    entry.state = state;
    entry.error = error;
    this.saveOutbox();
  }

  settleOutbox(id) {
    const entry = this.outboxEntry(id);
    if (!entry) return;
    this.outbox = this.outbox.filter(m => m !== entry);
    this.saveOutbox();
    this.dispatchEvent(new CustomEvent('settled', {detail: entry})); // its uploads are let go (chat.js)
  }

  saveOutbox() {
    const kept = this.outbox.map(({body, ...entry}) => (entry.encrypted ? entry : {...entry, body}));
    this.storage.setItem(this.outboxKey, JSON.stringify(kept));
    this.changed('outbox');
  }

  // --- receipts, presence, typing

  receipt(conversationId, userId, kind, seq) {
    let members = this.receipts.get(conversationId);
    if (!members) this.receipts.set(conversationId, members = new Map());
    const current = members.get(userId) ?? {delivered: 0, read: 0};
    const next = {...current, [kind]: Math.max(current[kind], seq)};
    if (kind === 'read') next.delivered = Math.max(next.delivered, seq); // read implies delivered
    members.set(userId, next);
    if (userId === this.me.userId && kind === 'read') this.markRead(conversationId, seq); // another device read it
    this.changed({messages: conversationId});
  }

  /** sent, delivered or read: how far every other member has got with one of my messages. */
  messageState(conversationId, seq) {
    const conversation = this.conversations.get(conversationId);
    const others = (conversation?.members ?? []).filter(m => m.userId !== this.me.userId);
    if (others.length === 0) return 'sent';
    const marks = this.receipts.get(conversationId) ?? new Map();
    const all = kind => others.every(m => (marks.get(m.userId)?.[kind] ?? 0) >= seq);
    if (all('read')) return 'read';
    if (all('delivered')) return 'delivered';
    return 'sent';
  }

  setPresence(userId, online, lastSeen) {
    this.presence.set(userId, {online, lastSeen});
    this.changed('presence');
  }

  setTyping(conversationId, userId, active, now = Date.now()) {
    let members = this.typing.get(conversationId);
    if (!members) this.typing.set(conversationId, members = new Map());
    // a "stopped" notice can be lost with a socket: a typist not heard of again is dropped after a while
    if (active) members.set(userId, now + 6_000);
    else members.delete(userId);
    this.changed({typing: conversationId});
  }

  typists(conversationId, now = Date.now()) {
    const members = this.typing.get(conversationId) ?? new Map();
    return [...members].filter(([userId, until]) => until > now && userId !== this.me.userId).map(([userId]) => userId);
  }

  // --- the assistant

  /** What `GET /v1/assistant` said: {userId, name, model}, or null when the server has no model (or did not answer). */
  setAssistant(info) {
    this.assistant = info ? {userId: info.userId, name: info.name || 'Assistant', model: info.model ?? ''} : null;
    if (this.assistant) this.users.set(this.assistant.userId, assistantProfile(this.assistant.userId, this.assistant.name));
    this.changed('assistant');
  }

  isAssistantUser(userId) {
    return userId === ASSISTANT_USER_ID || (this.assistant !== null && userId === this.assistant.userId);
  }

  /** The assistant's name as the server gives it ("Assistant" until it did). */
  assistantName() {
    return this.name(this.assistant?.userId ?? ASSISTANT_USER_ID);
  }

  isAssistantConversation(conversation) {
    return conversation?.type === 'assistant';
  }

  /**
   * An `assistant_stream` frame: a change of its text alone is told as an `answertext` event (the view changes that
   * text in place: frames come many a second), any other change as a store change (the view draws again).
   */
  answerStreamed(frame) {
    const change = this.answers.frame(frame);
    if (change === 'text') this.dispatchEvent(new CustomEvent('answertext', {detail: `${frame.conversationId}:${frame.replyTo}`}));
    else if (change === 'state') this.changed({answers: frame.conversationId});
  }

  /** A stop asked for (or refused: false again). */
  setStopping(key, stopping) {
    const stream = this.answers.get(key);
    if (this.answers.setStopping(key, stopping)) this.changed({answers: stream.conversationId});
  }

  // --- users

  putUser(profile) {
    this.users.set(profile.userId, profile);
    if (profile.userId === this.me.userId) this.me = profile;
    this.changed('users');
  }

  name(userId) {
    const user = this.users.get(userId);
    return user?.displayName || user?.username || 'Someone';
  }

  /** The avatar of a person: {mediaId?, name} (initials stand in without a picture). */
  userAvatar(userId) {
    return {mediaId: this.users.get(userId)?.avatarMediaId ?? undefined, name: this.name(userId)};
  }

  /** The avatar of a conversation: a group's own picture, a direct conversation's other person's. */
  conversationAvatar(conversation) {
    const other = this.otherMember(conversation);
    if (other) return this.userAvatar(other.userId);
    return {mediaId: conversation.avatarMediaId ?? undefined, name: this.title(conversation)};
  }

  /** A group's title; a direct conversation is named after the other person, an assistant one after the assistant. */
  title(conversation) {
    if (conversation.type === 'group') return conversation.title || 'Untitled group';
    if (this.isAssistantConversation(conversation)) {
      return conversation.title || this.assistantName();
    }
    const other = conversation.members.find(m => m.userId !== this.me.userId);
    return other ? this.name(other.userId) : 'Just you';
  }

  /**
   * A group message from someone I blocked: still delivered (a group's order is the same for every member, see
   * the README), but shown collapsed. A direct conversation with them takes no new messages while the block lasts.
   */
  fromBlocked(conversation, message) {
    return conversation?.type === 'group' && message.senderId !== this.me.userId
        && this.contacts.hasBlocked(message.senderId);
  }

  senderIsMe(message) {
    return message.senderId === this.me.userId;
  }

  otherMember(conversation) {
    return conversation.type === 'direct' ? conversation.members.find(m => m.userId !== this.me.userId) : undefined;
  }

  role(conversation, userId = this.me.userId) {
    return conversation.members.find(m => m.userId === userId)?.role;
  }

  /** Mine to edit: I wrote it and it is not deleted. */
  canEdit(message) {
    return message.senderId === this.me.userId && !message.deleted;
  }

  /** Mine to delete: I wrote it, or it is in a group I own or administer. */
  canDelete(conversation, message) {
    if (message.deleted) return false;
    if (message.senderId === this.me.userId) return true;
    return conversation.type === 'group' && ['owner', 'admin'].includes(this.role(conversation));
  }
}

function assistantProfile(userId, name) {
  return {userId, username: null, displayName: name, kind: 'assistant'};
}

function newer(a, b) {
  if (!a) return b;
  if (!b) return a;
  return b.seq >= a.seq ? b : a;
}

function readOutbox(storage, key) {
  try {
    const entries = JSON.parse(storage.getItem(key) ?? '[]');
    // what was in flight when the page went away is sent again with the same id: the server keeps it once
    // one whose files were still going up has lost them with the page (a File is not kept): said, never sent without
    return Array.isArray(entries) ? entries.map(e => (e.attachments ?? []).some(a => !a.mediaId)
      ? {...e, state: 'failed', error: 'its files were still uploading when the page was reloaded: attach them again'}
      : {...e, state: e.state === 'failed' ? 'failed' : 'pending'}) : [];
  } catch {
    return [];
  }
}
