// The assistant's answers while they are written (docs/api.md, "Assistant (AI chat)"): `assistant_stream` frames are
// ephemeral (never queued, never replayed), so what they built is held here, in memory only, until the answer's
// `message` (from the assistant's user, `replyTo` the question's seq) comes through the ordinary path and takes the
// pending answer's place. Frames are merged as the API says: `delta` is appended when `offset` is the length held
// (UTF-16 code units, a JavaScript string's length), starts the answer over when `offset` is 0 (written again after a
// retry or a restart), and is ignored when it does not fit (a frame was lost); `done` ends the stream.

/** The assistant's user: the same id in every deployment (docs/api.md); its name comes from `GET /v1/assistant`. */
export const ASSISTANT_USER_ID = '00000000-0000-4000-8000-00000000a551';

/** An answer not heard of for this long is let go: its message comes anyway (with a reload, from history). */
const STALE_MS = 60_000;
/** A finished stream whose message has not come this long after `done` (a dropped socket): let go too. */
const DONE_STALE_MS = 20_000;
/** Answers seen as messages, remembered so that a frame arriving after its message does not bring the stream back. */
const ANSWERED_KEPT = 500;

const keyOf = (conversationId, replyTo) => `${conversationId}:${replyTo}`;

export class AnswerStreams {
  constructor(isAssistant) {
    this.isAssistant = isAssistant; // userId -> whether it is the assistant's user
    // key -> {key, conversationId, replyTo, text, done, stopping, missedStart, at}
    this.streams = new Map();
    this.answered = new Set(); // keys whose answer message is held: insertion order, the oldest dropped first
  }

  /**
   * An `assistant_stream` frame. Returns what changed: "text" (only the text of a stream already shown), "state" (a
   * stream began, ended or was started over), or null (nothing: malformed, already answered, or a frame that does
   * not fit).
   */
  frame({conversationId, replyTo, offset, delta, done}, now = Date.now()) {
    if (typeof conversationId !== 'string' || !Number.isSafeInteger(replyTo) || !Number.isSafeInteger(offset)
        || offset < 0 || typeof delta !== 'string') return null;
    const key = keyOf(conversationId, replyTo);
    if (this.answered.has(key)) return null; // the message came first: the frame is late
    let stream = this.streams.get(key);
    let change = null;
    if (!stream) {
      // a device that connects mid-answer sees only the rest of the stream: it shows that the assistant is writing
      stream = {key, conversationId, replyTo, text: '', done: false, stopping: false, missedStart: offset !== 0, at: now};
      this.streams.set(key, stream);
      change = 'state';
    }
    stream.at = now;
    if (offset === 0 && !(done && delta === '')) {
      if (stream.missedStart) change = 'state'; // the note on the missed start gives way to the text
      else if (stream.text !== delta) change ??= 'text';
      stream.text = delta;
      stream.missedStart = false;
    } else if (!stream.missedStart && offset === stream.text.length && delta !== '') {
      stream.text += delta;
      change ??= 'text';
    }
    if (done === true && !stream.done) {
      stream.done = true;
      change = 'state';
    }
    return change;
  }

  /** Messages held now (from the socket or history): an answer among them ends its stream. True when one did. */
  messagesHeld(conversationId, messages) {
    let ended = false;
    for (const message of messages) {
      if (!Number.isSafeInteger(message.replyTo) || !this.isAssistant(message.senderId)) continue;
      const key = keyOf(conversationId, message.replyTo);
      this.answered.delete(key);
      this.answered.add(key);
      ended = this.streams.delete(key) || ended;
    }
    while (this.answered.size > ANSWERED_KEPT) this.answered.delete(this.answered.values().next().value);
    return ended;
  }

  /** The answers being written in a conversation, oldest question first. */
  in(conversationId) {
    return [...this.streams.values()].filter(s => s.conversationId === conversationId).sort((a, b) => a.replyTo - b.replyTo);
  }

  get(key) {
    return this.streams.get(key);
  }

  /** Whether the assistant is writing in the conversation now (a stream not done). */
  writing(conversationId) {
    return this.in(conversationId).some(s => !s.done);
  }

  /** A stop was asked for (true) or refused (false): the Stop button says so. */
  setStopping(key, stopping) {
    const stream = this.streams.get(key);
    if (!stream || stream.stopping === stopping) return false;
    stream.stopping = stopping;
    return true;
  }

  /** Lets go of streams not heard of for a while (see above). True when one went. */
  sweep(now = Date.now()) {
    let swept = false;
    for (const [key, stream] of this.streams) {
      if (now - stream.at > (stream.done ? DONE_STALE_MS : STALE_MS)) swept = this.streams.delete(key) || swept;
    }
    return swept;
  }

  /** The conversation is gone for me: so are its answers. */
  drop(conversationId) {
    for (const [key, stream] of this.streams) {
      if (stream.conversationId === conversationId) this.streams.delete(key);
    }
  }

  get size() {
    return this.streams.size;
  }
}
