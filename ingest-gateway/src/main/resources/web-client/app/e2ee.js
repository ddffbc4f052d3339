import {ApiError} from './api.js';
import {fromBase64url} from './bytes.js';
import {DeviceKeys} from './device-keys.js';
import {ALGORITHM, EnvelopeError, open, seal} from './envelope.js';
import {safetyNumber} from './safety-number.js';

// End-to-end encryption for the signed-in device: its keys (made and published once), the key directory of the
// people it talks to (fetched per user, fetched again on a `keys` frame), the ciphertext of a message for every
// device of a conversation, and what each envelope received says once opened. Plaintext lives only here, in memory:
// neither the message cache nor the outbox in sessionStorage ever holds it (see store.js and message-cache.js).

/**
 * What an edit's envelopes are bound to in place of a message's client id (the context's message id field): the
 * edited message's seq, marked so that it can be no client's id (the client's ids are UUIDs, without a colon). The
 * conversation id is in the context besides. An edit frame's own `id` reaches no other device, so it cannot be used.
 */
export function editEnvelopeId(seq) {
  return `edit:${seq}`;
}

const MAX_ENVELOPES = 200; // the server's E2EE_MAX_ENVELOPES default
const LOST_KEYS = 'This browser no longer has the encryption keys it published for this device, so it cannot read '
    + 'or send encrypted messages. Log out and log in again to set it up anew.';
const UNAVAILABLE = 'This browser cannot keep encryption keys for this page (it needs a secure connection, HTTPS or '
    + 'localhost, and IndexedDB).';

export class E2ee {
  constructor({api, userId, deviceId, changed}) {
    this.api = api;
    this.me = {userId, deviceId};
    this.changed = changed; // tells the store's listeners: an envelope was opened, the views redraw
    this.available = Boolean(globalThis.crypto?.subtle && globalThis.indexedDB);
    this.loading = null; // the promise of this device's keys, read from IndexedDB or made
    this.publishing = null; // the promise of those keys being in the directory
    this.directories = new Map(); // userId -> promise of their devices with keys
    this.fetchedFresh = new Set(); // userIds fetched again for an unknown sender device since their last `keys` frame
    this.checkedPreKeys = new Set(); // `${identityKey} ${preKey}` whose signature checked
    this.readings = new Map(); // `${id} ${envelope ciphertext}` -> {state: 'pending' | 'ok' | 'failed', text?}
  }

  /** This device's keys, from IndexedDB, made the first time. */
  keys() {
    if (!this.available) return Promise.reject(new Error(UNAVAILABLE));
    this.loading ??= DeviceKeys.open(this.me.userId, this.me.deviceId).catch(e => {
      this.loading = null;
      throw new Error(`${UNAVAILABLE} (${e?.message ?? e})`);
    });
    return this.loading;
  }

  /**
   * The device's keys once the directory has them: published (PUT /v1/keys) when the directory does not list this
   * device, or lists an older signed pre-key. A transient failure is tried again at the next call; a directory that
   * holds another identity for this device (this browser lost its keys) is a lasting refusal.
   */
  ready() {
    this.publishing ??= this.publish().catch(e => {
      if (!(e instanceof ApiError && e.transient)) throw e; // kept: every later call gets the same refusal
      this.publishing = null;
      throw e;
    });
    return this.publishing;
  }

  async publish() {
    const keys = await this.keys();
    const listed = (await this.devicesOf(this.me.userId, true)).find(d => d.deviceId === this.me.deviceId);
    if (listed && listed.identityKey !== keys.identityKey) throw new Error(LOST_KEYS);
    if (listed?.signedPreKey?.keyId === keys.signedPreKeyId) return keys;
    try {
      await this.api.uploadKeys(keys.upload());
    } catch (e) {
      throw e.reason === 'identity_key_changed' ? new Error(LOST_KEYS) : e;
    }
    this.directories.delete(this.me.userId);
    return keys;
  }

  /** Removes this device's keys from the browser: the device was logged out, its keys are no use any more. */
  async forget() {
    if (this.available) await DeviceKeys.forget(this.me.userId, this.me.deviceId);
  }

  // --- the key directory

  /**
   * The devices of `userId` that published keys: fetched once, then kept until a `keys` frame says they changed.
   * Someone this user may no longer know (left a shared group, a block) has none.
   */
  devicesOf(userId, fresh = false) {
    if (fresh || !this.directories.has(userId)) {
      const fetching = this.api.userKeys(userId).then(async ({devices}) => {
        const keys = await this.keys().catch(() => null);
        await keys?.remember(userId, devices);
        return devices;
      }, e => {
        if (e instanceof ApiError && e.status === 404) return [];
        throw e;
      });
      fetching.catch(() => this.directories.get(userId) === fetching && this.directories.delete(userId));
      this.directories.set(userId, fetching);
    }
    return this.directories.get(userId);
  }

  /** A `keys` frame: `userId`'s devices or keys changed. Fetched again when next needed; failed envelopes retried. */
  keysChanged(userId) {
    this.directories.delete(userId);
    this.fetchedFresh.delete(userId);
    this.retryFailed();
  }

  /** Envelopes that failed (a sender's key not found, the network) are opened again when next shown. */
  retryFailed() {
    for (const [key, reading] of this.readings) {
      if (reading.state === 'failed') this.readings.delete(key);
    }
    this.changed('messages');
  }

  // --- sending

  /**
   * The `ciphertext` of a `send`: an envelope for every device with keys of every member, this device included
   * (so that it can read its own message in history). Devices whose signed pre-key is not signed by their
   * identity key are refused here, whatever the server says: that would be a key the server made up.
   */
  async encrypt(conversation, messageId, body) {
    const keys = await this.ready();
    const members = [...new Set(conversation.members.map(m => m.userId))];
    const lists = await Promise.all(members.map(async userId =>
      (await this.devicesOf(userId)).map(device => ({userId, ...device}))));
    const recipients = lists.flat();
    if (!recipients.some(r => r.userId === this.me.userId && r.deviceId === this.me.deviceId)) {
      recipients.push({...this.me, identityKey: keys.identityKey, signedPreKey: keys.upload().signedPreKey});
    }
    if (recipients.length > MAX_ENVELOPES) {
      throw new Error(`this conversation's members have more than ${MAX_ENVELOPES} devices between them`);
    }
    await Promise.all(recipients.map(r => this.checkPreKey(r)));
    const envelopes = await Promise.all(recipients.map(async r => ({
      userId: r.userId,
      deviceId: r.deviceId,
      ciphertext: await seal(body, {
        conversationId: conversation.conversationId, messageId, sender: this.me, signingKey: keys.signingKey,
        recipient: {userId: r.userId, deviceId: r.deviceId, keyId: r.signedPreKey.keyId,
          preKey: fromBase64url(r.signedPreKey.publicKey)},
      }),
    })));
    return {algorithm: ALGORITHM, senderDeviceId: this.me.deviceId, envelopes};
  }

  /**
   * The `ciphertext` of an `edit`: as a send's (an envelope for every device of every member), each bound to the
   * edited message's seq (editEnvelopeId) rather than to a client id, since the `message_update` frame that brings
   * it to the members carries none.
   */
  encryptEdit(conversation, seq, body) {
    return this.encrypt(conversation, editEnvelopeId(seq), body);
  }

  /**
   * Refused with `conflict`: the devices changed since they were fetched. The users named and the members are
   * fetched again before the same message (same id) is encrypted anew.
   */
  devicesChanged(conversation, {missingDevices = [], extraDevices = []} = {}) {
    const users = [...missingDevices, ...extraDevices].map(d => d.userId);
    for (const userId of new Set([...users, ...(conversation?.members ?? []).map(m => m.userId)])) {
      this.directories.delete(userId);
    }
  }

  async checkPreKey({identityKey, signedPreKey}) {
    const checked = `${identityKey} ${signedPreKey?.publicKey}`;
    if (this.checkedPreKeys.has(checked)) return;
    let valid = false;
    try {
      const signer = await crypto.subtle.importKey('raw', fromBase64url(identityKey),
          {name: 'ECDSA', namedCurve: 'P-256'}, false, ['verify']);
      valid = await crypto.subtle.verify({name: 'ECDSA', hash: 'SHA-256'}, signer,
          fromBase64url(signedPreKey.signature), fromBase64url(signedPreKey.publicKey));
    } catch {
      valid = false;
    }
    if (!valid) throw new Error("a device's pre-key is not signed by its identity key, so nothing was sent to it");
    this.checkedPreKeys.add(checked);
  }

  /**
   * The outbox keeps a message of an encrypted conversation sealed for this device only (sessionStorage never holds
   * its plaintext); it is opened again after a reload, then encrypted for everyone when sent.
   */
  async sealForSelf(conversationId, messageId, body) {
    const keys = await this.keys();
    return seal(body, {conversationId, messageId, sender: this.me, signingKey: keys.signingKey,
      recipient: {...this.me, keyId: keys.signedPreKeyId, preKey: fromBase64url(keys.signedPreKey.publicKey)}});
  }

  async openOwn(conversationId, messageId, sealed) {
    const keys = await this.keys();
    return open(sealed, {conversationId, messageId, sender: this.me, recipient: this.me,
      preKeyFor: keyId => keys.preKey(keyId), senderKeys: [fromBase64url(keys.identityKey)]});
  }

  // --- reading

  /**
   * What a message says, now: `plain` (not encrypted), `ok` (opened), `pending` (being opened; the store is told
   * when done), `failed` (malformed, not signed by the sending device as the directory knows it, or not for any
   * pre-key of this device) or `missing` (the sender sealed none for this device).
   */
  read(conversationId, message) {
    if (!message.encrypted) return {state: 'plain', text: message.body};
    const envelope = message.envelope;
    if (typeof envelope?.ciphertext !== 'string') return {state: 'missing'};
    // by what the envelope is bound to too: a copy that lacks the id or the edit mark (or misstates them) must not
    // spoil the reading of the true one
    const key = `${message.id} ${message.editedAt ? editEnvelopeId(message.seq) : ''} ${envelope.ciphertext}`;
    let reading = this.readings.get(key);
    if (!reading) {
      reading = {state: 'pending'};
      this.readings.set(key, reading);
      this.decrypt(conversationId, message)
          .then(text => Object.assign(reading, {state: 'ok', text}), () => Object.assign(reading, {state: 'failed'}))
          .then(() => this.changed({messages: conversationId}));
    }
    return reading;
  }

  /**
   * An edited message's envelope is the edit's, bound to the edit's context id (editEnvelopeId); should the server
   * have kept the first envelope instead, the message's own id opens that one.
   */
  async decrypt(conversationId, {id, seq, senderId, envelope, editedAt}) {
    if (envelope.algorithm !== ALGORITHM) throw new EnvelopeError(`unknown algorithm ${envelope.algorithm}`);
    const keys = await this.keys();
    const sender = {userId: senderId, deviceId: envelope.senderDeviceId};
    const senderKeys = (await this.identitiesOf(sender, keys)).map(fromBase64url);
    const bound = editedAt ? [editEnvelopeId(seq), id] : [id];
    for (const [i, messageId] of bound.entries()) {
      try {
        return await open(envelope.ciphertext, {conversationId, messageId, sender, recipient: this.me,
          preKeyFor: keyId => keys.preKey(keyId), senderKeys});
      } catch (e) {
        if (!(e instanceof EnvelopeError) || i === bound.length - 1) throw e;
      }
    }
    throw new EnvelopeError('nothing to open');
  }

  /**
   * The identity keys a sending device is known by: the directory's (fetched again once when it does not list the
   * device: it may be new), and those this device remembers of it (it may have logged out since, taking its keys
   * out of the directory).
   */
  async identitiesOf({userId, deviceId}, keys) {
    if (userId === this.me.userId && deviceId === this.me.deviceId) return [keys.identityKey];
    try {
      const devices = await this.devicesOf(userId);
      if (!devices.some(d => d.deviceId === deviceId) && !this.fetchedFresh.has(userId)) {
        this.fetchedFresh.add(userId);
        await this.devicesOf(userId, true);
      }
    } catch (e) {
      if (keys.knownIdentities(userId, deviceId).length === 0) throw e;
    }
    return keys.knownIdentities(userId, deviceId);
  }

  // --- verification

  /**
   * The safety number of a direct conversation, from the directory as it is now, and how many devices each person
   * has: {groups, devices: [{userId, count}]}.
   */
  async safetyNumber(conversation) {
    await this.ready();
    const people = await Promise.all(conversation.members.map(async ({userId}) =>
      ({userId, identityKeys: (await this.devicesOf(userId, true)).map(d => d.identityKey)})));
    return {
      groups: await safetyNumber(people),
      devices: people.map(p => ({userId: p.userId, count: p.identityKeys.length})),
    };
  }
}
