import {ApiError} from './api.js';
import {uuid} from './ids.js';

// Edits, deletes and reactions: frames answered like a send (`ok` once durably logged, or an `error`; a refusal
// after the `ok` is a durable `error` naming the frame's id). Each action is kept from the click until the server's
// `message_update` for it comes back (the message shows "Saving…" or "Deleting…" meanwhile) or it is refused (said
// in the alerts, an edit's text included, so nothing typed is silently lost). Until its `ok`, an action is also kept
// in the tab's storage and sent again after a reload or a dropped socket, with the same id; an edit of an encrypted
// conversation is kept there sealed for this device alone, as the outbox keeps a message (store.js).

const ACTIONS_KEY = 'kchat.actions';
const CONFLICT_RETRIES = 2; // an encrypted edit refused because the devices changed: fetched again, sent again
const BACKOFF_MAX_MS = 8_000;
// after its `ok`, how long an action waits for its update: the server sends none for a reaction that changes
// nothing (a key added twice), and a late update or refusal is applied all the same without the entry
const SETTLE_MS = 30_000;

const DOING = {edit: 'Editing a message', delete: 'Deleting a message', react: 'Reacting', unreact: 'Removing a reaction'};

export class MessageActions {
  constructor(app) {
    this.app = app;
    this.storage = app.store.storage;
    this.key = `${ACTIONS_KEY}.${app.store.me.userId}`;
    // {id, kind: 'edit'|'delete'|'react', conversationId, seq, body?, key?, remove?, encrypted?, sealed?, state}
    this.entries = readEntries(this.storage, this.key);
  }

  edit(conversationId, seq, body) {
    const encrypted = Boolean(this.app.store.conversations.get(conversationId)?.encrypted);
    const entry = this.add({kind: 'edit', conversationId, seq, body, ...(encrypted ? {encrypted} : {})});
    if (encrypted) {
      // what the tab's storage keeps of it until the `ok`: sealed for this device, never the text
      this.app.e2ee.sealForSelf(conversationId, entry.id, body).then(sealed => {
        entry.sealed = sealed;
        this.save();
      }, () => {});
    }
    this.send(entry);
  }

  remove(conversationId, seq) {
    this.send(this.add({kind: 'delete', conversationId, seq}));
  }

  /** Adds my `key` to the message, or with `remove` takes it away. */
  react(conversationId, seq, key, remove = false) {
    this.send(this.add({kind: 'react', conversationId, seq, key, ...(remove ? {remove} : {})}));
  }

  /** The actions on a message still waiting for their outcome, for the views. */
  pendingOn(conversationId, seq) {
    return this.entries.filter(e => e.conversationId === conversationId && e.seq === seq);
  }

  add(fields) {
    const entry = {id: uuid(), ...fields, state: 'pending'};
    this.entries.push(entry);
    this.save();
    return entry;
  }

  /** After a reload: encrypted edits are opened again from their sealed copies, then everything pending is sent. */
  restore() {
    for (const entry of this.entries) {
      if (entry.kind !== 'edit' || !entry.encrypted || entry.body !== undefined) continue;
      const lost = () => this.fail(entry, {message: 'its text could not be recovered after the reload'});
      if (!entry.sealed) {
        lost();
        continue;
      }
      this.app.e2ee.openOwn(entry.conversationId, entry.id, entry.sealed).then(body => {
        entry.body = body;
        this.send(entry);
      }, lost);
    }
  }

  /** The socket is (back) up: what was not answered is sent again, same ids, so the server keeps each once. */
  resume() {
    this.entries.filter(e => e.state === 'pending').forEach(e => this.send(e));
  }

  async send(entry, backoff = 0) {
    if (entry.state !== 'pending' || entry.sending || !this.app.socket.online) return;
    if (entry.kind === 'edit' && entry.body === undefined) return; // being opened after a reload: sent then
    entry.sending = true;
    try {
      await this.app.socket.request(await this.frame(entry));
      entry.state = 'sent'; // durably logged: the update (or a refusal naming the id) follows
      this.save();
      setTimeout(() => this.entries.includes(entry) && this.drop(entry), SETTLE_MS);
    } catch (e) {
      this.refused(entry, e, backoff);
    } finally {
      entry.sending = false;
    }
  }

  async frame({id, kind, conversationId, seq, body, key, remove, encrypted}) {
    const frame = {type: kind, id, conversationId, seq};
    if (kind === 'react') return {...frame, key, ...(remove ? {remove: true} : {})};
    if (kind !== 'edit') return frame;
    if (!encrypted) return {...frame, body};
    const conversation = this.app.store.conversations.get(conversationId);
    try {
      if (!conversation) throw new Error('the conversation is not loaded');
      return {...frame, ciphertext: await this.app.e2ee.encryptEdit(conversation, seq, body)};
    } catch (e) {
      if (e instanceof ApiError) throw e; // fetching keys: a transient failure is tried again
      throw Object.assign(new Error(`Could not encrypt: ${e.message}`), {code: 'encryption'});
    }
  }

  async refused(entry, e, backoff) {
    if (e.code === 'offline') return; // sent again once the socket is back (resume)
    if (e.code === 'rate_limited' || (e instanceof ApiError && e.transient)) {
      const wait = Math.min(BACKOFF_MAX_MS, (backoff || 250) * 2);
      setTimeout(() => this.send(entry, wait), wait);
      return;
    }
    if (e.code === 'conflict' && entry.encrypted && (entry.conflicts ?? 0) < CONFLICT_RETRIES) {
      entry.conflicts = (entry.conflicts ?? 0) + 1; // devices came or went: fetched again, encrypted anew
      this.app.e2ee.devicesChanged(this.app.store.conversations.get(entry.conversationId), e);
      await this.app.loadConversation(entry.conversationId);
      this.send(entry);
      return;
    }
    this.fail(entry, e);
  }

  /** A durable `error` naming one of these actions (refused after its `ok`). False when it names none. */
  refusedLater(frame) {
    const entry = this.entries.find(e => e.id === frame.id);
    if (!entry) return false;
    this.fail(entry, frame);
    return true;
  }

  /**
   * Said in the alerts, with the reason in words and, for an edit, the text that was not saved. "Try again" sends
   * it anew (a new id: the refused one would be refused again) when it may pass now.
   */
  fail(entry, {code, message}) {
    this.drop(entry);
    const what = DOING[entry.kind === 'react' && entry.remove ? 'unreact' : entry.kind];
    const lost = entry.kind === 'edit' && entry.body !== undefined ? ` Your edit said: “${entry.body}”` : '';
    const again = code === 'bad_request' || code === 'forbidden' || code === 'not_found' ? undefined : async () => {
      const {id, state, sending, conflicts, sealed, ...fields} = entry;
      if (fields.kind === 'edit') this.edit(fields.conversationId, fields.seq, fields.body);
      else this.send(this.add(fields));
    };
    const direct = this.app.store.conversations.get(entry.conversationId)?.type === 'direct';
    this.app.problem(`${what}: ${refusal(entry, code, message, direct)}.${lost}`, again);
  }

  /** A `message_update` of mine: the action it answers is done. */
  settle(update) {
    const kind = update.kind === 'reaction' ? 'react' : update.kind;
    const entry = this.entries.find(e => e.conversationId === update.conversationId && e.seq === update.seq
        && e.kind === kind && (kind !== 'react' || (e.key === update.key && Boolean(e.remove) === Boolean(update.remove))));
    if (entry) this.drop(entry);
  }

  drop(entry) {
    this.entries = this.entries.filter(e => e !== entry);
    this.save();
  }

  /** Only what has no `ok` yet is kept: once logged, the outcome comes on the socket, replayed if need be. */
  save() {
    const kept = this.entries.filter(e => e.state === 'pending').map(({sending, conflicts, body, ...entry}) =>
      (entry.encrypted ? entry : {...entry, ...(body === undefined ? {} : {body})}));
    try {
      this.storage.setItem(this.key, JSON.stringify(kept));
    } catch {
      // over the quota: kept in memory for this page's life, as before
    }
    this.app.store.changed('actions');
  }
}

/**
 * Why it was refused, in words (the server's codes: docs/api.md, "Replies, edits, deletes and reactions"). In a
 * direct conversation, an edit or a reaction is refused `forbidden` when a block separates the two, worded as a send
 * refused for a block is (chat.js), never saying who blocked whom.
 */
function refusal({kind}, code, message, direct) {
  switch (code) {
    case 'forbidden':
      if (direct && kind !== 'delete') return "you can't message this person";
      return kind === 'edit' ? 'only its author can edit a message'
          : kind === 'delete' ? 'only its author, or an owner or admin of the group, can delete a message'
          : message || 'not allowed';
    case 'not_found':
      return 'the message was deleted, or you are no longer in this conversation';
    case 'conflict':
      return "the members' devices kept changing while it was sent";
    default:
      return message || code || 'refused';
  }
}

function readEntries(storage, key) {
  try {
    const entries = JSON.parse(storage.getItem(key) ?? '[]');
    return Array.isArray(entries) ? entries.filter(isEntry).map(e => ({...e, state: 'pending'})) : [];
  } catch {
    return [];
  }
}

function isEntry(e) {
  return typeof e === 'object' && e !== null && typeof e.id === 'string' && typeof e.conversationId === 'string'
      && Number.isSafeInteger(e.seq) && ['edit', 'delete', 'react'].includes(e.kind)
      && (e.kind !== 'react' || typeof e.key === 'string')
      && (e.kind !== 'edit' || (e.encrypted === true ? e.body === undefined : typeof e.body === 'string'));
}
