import {hasValidState} from './message-updates.js';

// The messages this device has shown, kept in the tab's storage so that a reload shows them again at once. Neither
// server source covers a message sent just before a reload: the socket replays only what this device has not
// acked yet (and it acked its own echo), and REST history reads an archive that lags the live path by up to a
// Kafka Streams commit interval (~1 s). The device that acked a message is the device that saw it: it keeps it.
//
// sessionStorage, not localStorage: the tokens are there too (session.js), so the kept messages live exactly as
// long as the sign-in they belong to. Closing the tab forgets both, and no account's messages stay on disk for
// whoever uses the browser next; the cache only has to bridge a reload, which sessionStorage survives.
//
// A message is kept in its current state: edited (the new body), deleted (no body), its reactions. A message of an
// end-to-end encrypted conversation is kept as the server sent it: its envelope for this device (the edit's
// envelope once edited), never the plaintext. A reload opens the envelope again with this device's keys (IndexedDB); the plaintext lives
// only in the page's memory.
//
// One key per conversation, named and stamped with the user: another account's entries (a tab that changed user)
// are removed when a store starts, and an entry that fails to parse or to check is removed, never shown.

const PREFIX = 'kchat.messages.';
const KEEP_MESSAGES = 200; // per conversation: the newest, enough for a screenful and a page or two back
const KEEP_CONVERSATIONS = 20; // the most recently changed; the others are read from REST again, as before
// in all, in UTF-16 units (what the quota counts): well inside the ~5 M of an origin's sessionStorage, which the
// outbox and the tokens share, whatever length the bodies run to (up to 4,000 characters each)
const KEEP_CHARS = 1_000_000;

export class MessageCache {
  constructor(storage, userId) {
    this.storage = storage;
    this.userId = userId;
    this.prefix = `${PREFIX}${userId}.`;
    this.sizes = new Map(); // conversationId -> characters stored, least recently saved first
    this.closed = false;
  }

  /** conversationId -> its kept messages. Removes what is another user's, corrupt, or beyond the bounds. */
  load() {
    const entries = [];
    for (const key of keysOf(this.storage)) {
      if (!key.startsWith(PREFIX)) continue;
      const text = this.storage.getItem(key);
      const entry = key.startsWith(this.prefix) ? parse(text, this.userId, key.slice(this.prefix.length)) : null;
      if (entry) entries.push({...entry, size: text.length});
      else this.storage.removeItem(key);
    }
    entries.sort((a, b) => a.savedAt - b.savedAt);
    const loaded = new Map();
    for (const entry of entries) {
      this.sizes.set(entry.conversationId, entry.size);
      loaded.set(entry.conversationId, entry.messages);
    }
    this.makeRoom(0, 0); // the bounds may have shrunk since they were saved
    for (const id of loaded.keys()) if (!this.sizes.has(id)) loaded.delete(id);
    return loaded;
  }

  /** Keeps the newest of a conversation's messages (any order in), replacing what was kept of it. */
  save(conversationId, messages) {
    if (this.closed) return;
    const newest = [...messages].sort((a, b) => a.seq - b.seq).slice(-KEEP_MESSAGES);
    const text = JSON.stringify({userId: this.userId, conversationId, savedAt: Date.now(), messages: newest});
    this.drop(conversationId);
    if (text.length > KEEP_CHARS) return; // not kept: REST and the socket bring it, as they did without a cache
    this.makeRoom(1, text.length);
    try {
      this.storage.setItem(this.prefix + conversationId, text);
      this.sizes.set(conversationId, text.length);
    } catch {
      // over the quota all the same (other keys of this origin): not kept, and the app carries on
    }
  }

  drop(conversationId) {
    if (!this.sizes.delete(conversationId)) return;
    this.storage.removeItem(this.prefix + conversationId);
  }

  /** Forgets the conversations not among `conversationIds` (left, or removed while this tab was away). */
  retain(conversationIds) {
    for (const id of [...this.sizes.keys()]) if (!conversationIds.has(id)) this.drop(id);
  }

  /** The session ended: a REST answer still on its way must not write what forgetMessages() just removed. */
  close() {
    this.closed = true;
  }

  /** Drops the least recently saved conversations until `conversations` more, of `chars` in all, fit the bounds. */
  makeRoom(conversations, chars) {
    const total = () => [...this.sizes.values()].reduce((a, b) => a + b, 0);
    while (this.sizes.size > 0
        && (this.sizes.size + conversations > KEEP_CONVERSATIONS || total() + chars > KEEP_CHARS)) {
      this.drop(this.sizes.keys().next().value);
    }
  }
}

/** Removes every account's kept messages from this tab: the session ended (logout, revoked, expired). */
export function forgetMessages(storage = sessionStorage) {
  for (const key of keysOf(storage)) if (key.startsWith(PREFIX)) storage.removeItem(key);
}

function keysOf(storage) {
  return Array.from({length: storage.length}, (_, i) => storage.key(i)).filter(key => key !== null);
}

/** A stored entry, if it is this user's entry for this conversation; messages that fail the check are left out. */
function parse(text, userId, conversationId) {
  try {
    const entry = JSON.parse(text);
    if (entry?.userId !== userId || entry.conversationId !== conversationId || !Array.isArray(entry.messages)) return null;
    const savedAt = Number.isFinite(entry.savedAt) ? entry.savedAt : 0;
    return {conversationId, savedAt, messages: entry.messages.filter(m => isMessage(m, conversationId))};
  } catch {
    return null;
  }
}

/**
 * What the views rely on: a seq to sort and key by, text to show (or an encrypted message's envelope, or none for
 * this device, or nothing at all once deleted), a time that formats (an invalid one throws), and a current state
 * (reply, edit, reactions) of the right shape.
 */
function isMessage(m, conversationId) {
  return typeof m === 'object' && m !== null
      && Number.isSafeInteger(m.seq) && m.seq > 0
      && typeof m.id === 'string' && typeof m.senderId === 'string'
      && (m.deleted === true ? absent(m.body) && absent(m.envelope)
          : m.encrypted === true ? isEnvelope(m.envelope) && absent(m.body)
          : typeof m.body === 'string' || (absent(m.body) && m.attachments?.length > 0)) // a photo needs no text
      && typeof m.ts === 'string' && !Number.isNaN(Date.parse(m.ts))
      && hasValidState(m)
      && (m.conversationId === undefined || m.conversationId === conversationId);
}

function absent(value) {
  return value === undefined || value === null;
}

function isEnvelope(envelope) {
  return absent(envelope) || (typeof envelope === 'object' && envelope !== null
      && typeof envelope.ciphertext === 'string' && typeof envelope.senderDeviceId === 'string'
      && typeof envelope.algorithm === 'string');
}
