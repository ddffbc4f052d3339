import {isAttachmentList} from './media.js';

// A message's current state: what `message_update` frames (edit, delete, reaction) do to a message object, and
// what a kept message may look like. Pure functions over plain objects, shared by the store and the message cache.
//
// A message object (docs/api.md) may carry `replyTo` (the seq it answers), `editedAt`, `deleted` (then no body,
// envelope or attachments) and `reactions: [{key, count, me}]`. An update changes the copy held here the way the
// server changed its own; the server's copy (history, a single message) replaces it whenever it is fresh enough (see
// store.js), so a count that drifted (the same reaction counted from REST and again from a replayed frame) is put
// right.

export const MAX_REACTION_KEY = 32;

/** The message after `update` ({kind, userId, body?, ciphertext?, key?, remove?, ts}); `me` is my user id. */
export function applyUpdate(message, update, me) {
  if (message.deleted) return message; // nothing changes a deleted message, and the server refuses to
  switch (update.kind) {
    case 'edit':
      return edited(message, update);
    case 'delete':
      return deleted(message);
    case 'reaction':
      return {...message, reactions: reacted(message.reactions ?? [], update, me)};
    default:
      return message; // a kind added later: the server's copy brings its effect when history is read again
  }
}

/**
 * The new text in place. In an encrypted conversation the frame's `ciphertext` is this device's envelope of the edit
 * (absent when the author sealed none for it); a `body` there is never taken, so no plaintext enters the message
 * (and through it the tab's storage).
 */
function edited(message, {body, ciphertext, ts}) {
  if (message.encrypted) {
    const {envelope, ...rest} = message;
    return ciphertext ? {...rest, envelope: ciphertext, editedAt: ts} : {...rest, editedAt: ts};
  }
  return typeof body === 'string' ? {...message, body, editedAt: ts} : message;
}

function deleted(message) {
  const {body, envelope, attachments, reactions, editedAt, ...rest} = message;
  return {...rest, deleted: true};
}

/**
 * One user's key added or removed. Mine are known exactly (`me`), so they never count twice; someone else's can be
 * counted twice when a frame repeats what a history page already held, which the server's copy later corrects.
 */
function reacted(reactions, {key, remove, userId}, me) {
  if (typeof key !== 'string' || !key) return reactions;
  const mine = userId === me;
  const current = reactions.find(r => r.key === key) ?? {key, count: 0, me: false};
  if (mine && current.me === !remove) return reactions; // already so
  const next = {key, count: Math.max(0, current.count + (remove ? -1 : 1)), me: mine ? !remove : current.me};
  const others = reactions.filter(r => r.key !== key);
  return (next.count === 0 ? others : [...others, next]).sort(byUse);
}

/**
 * The server's order (history, a single message): the most used first, then by key in code point order, so a
 * reaction keeps its place whether it was counted here or read from the server.
 */
function byUse(a, b) {
  if (a.count !== b.count) return b.count - a.count;
  const x = [...a.key].map(c => c.codePointAt(0));
  const y = [...b.key].map(c => c.codePointAt(0));
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i] - y[i];
  }
  return x.length - y.length;
}

/**
 * Whether a copy from the server (`copy`) shows less than the one held here: the held one deleted or edited later.
 * The archive lags the live path, so a history page read just after an update (a reload right after a delete) can
 * predate it; a delete is final and edits only move forward, so such a copy is older, never a correction.
 */
export function isBehind(copy, held) {
  if (!held) return false;
  if (held.deleted) return !copy.deleted;
  return (held.editedAt ?? 0) > (copy.editedAt ?? 0);
}

/** Whether `value` is a reactions list as the server sends it. */
export function isReactionList(value) {
  return Array.isArray(value) && value.every(r => typeof r === 'object' && r !== null
      && typeof r.key === 'string' && r.key.length > 0 && Number.isSafeInteger(r.count) && r.count > 0
      && typeof r.me === 'boolean');
}

/** The optional fields of the current state, checked: what a kept message must satisfy besides its content. */
export function hasValidState(m) {
  const absent = value => value === undefined || value === null;
  return (absent(m.replyTo) || (Number.isSafeInteger(m.replyTo) && m.replyTo > 0))
      && (absent(m.editedAt) || (typeof m.editedAt === 'string' && !Number.isNaN(Date.parse(m.editedAt))))
      && (absent(m.deleted) || typeof m.deleted === 'boolean')
      && (absent(m.reactions) || isReactionList(m.reactions))
      && (absent(m.attachments) || isAttachmentList(m.attachments));
}
