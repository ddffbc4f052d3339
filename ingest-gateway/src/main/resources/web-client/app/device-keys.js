import {randomId, toBase64url} from './bytes.js';

// This device's keys for end-to-end encryption, kept in IndexedDB under the user and device ids. The private keys
// are generated non-extractable: they stay CryptoKey objects (IndexedDB stores them as they are, structured clones)
// that this origin can use but never read out, not even to back them up. Public keys are kept raw (base64url), as
// the directory carries them. Logging out deletes the record (the server deletes the device and its keys then).
//
// A record: {id, userId, deviceId, identity: {privateKey, publicKey}, signedPreKeyId, signedPreKeys: {keyId:
// {privateKey, publicKey, signature}}, oneTimePreKeys: {keyId: {privateKey, publicKey}}, uploaded, known}, where
// signed pre-keys are kept by id (an envelope names the one it was sealed for, so a rotated one stays readable)
// and `known` remembers the identity keys seen for other devices ("userId deviceId" -> [raw]), so that history from
// a device that has since logged out (its keys leave the directory with it) still checks on this device.

const DATABASE = 'kchat-keys';
const STORE = 'devices';
const ONE_TIME_PRE_KEYS = 10;
const ECDH = {name: 'ECDH', namedCurve: 'P-256'};
const ECDSA = {name: 'ECDSA', namedCurve: 'P-256'};

export class DeviceKeys {
  constructor(record) {
    this.record = record;
  }

  /** This device's keys, made (and kept) the first time; two tabs starting at once end up with the same ones. */
  static async open(userId, deviceId) {
    const id = recordId(userId, deviceId);
    const kept = await transact('readonly', store => store.get(id));
    if (kept) return new DeviceKeys(kept);
    const made = await generate(userId, deviceId);
    try {
      await transact('readwrite', store => store.add(made));
      return new DeviceKeys(made);
    } catch {
      return new DeviceKeys(await transact('readonly', store => store.get(id))); // the other tab's, added first
    }
  }

  /** Deletes the keys of one device of this browser: logged out, they cannot be used again. */
  static async forget(userId, deviceId) {
    await transact('readwrite', store => store.delete(recordId(userId, deviceId)));
  }

  get identityKey() { return this.record.identity.publicKey; }
  get signingKey() { return this.record.identity.privateKey; }
  get signedPreKeyId() { return this.record.signedPreKeyId; }
  get signedPreKey() { return this.record.signedPreKeys[this.record.signedPreKeyId]; }
  get uploaded() { return this.record.uploaded; }

  /** The private signed pre-key of that id, current or older; undefined when this device never had it. */
  preKey(keyId) {
    return this.record.signedPreKeys[keyId]?.privateKey;
  }

  /** What PUT /v1/keys takes. */
  upload() {
    const signed = this.signedPreKey;
    return {
      identityKey: this.identityKey,
      signedPreKey: {keyId: this.signedPreKeyId, publicKey: signed.publicKey, signature: signed.signature},
      oneTimePreKeys: Object.entries(this.record.oneTimePreKeys).map(([keyId, k]) => ({keyId, publicKey: k.publicKey})),
    };
  }

  async markUploaded() {
    if (this.record.uploaded) return;
    this.record.uploaded = true;
    await this.save();
  }

  /** The identity keys this device has seen for `userId`'s device `deviceId`, the directory's current one first. */
  knownIdentities(userId, deviceId) {
    return this.record.known[`${userId} ${deviceId}`] ?? [];
  }

  /** Adds what the directory shows for `userId` to what this device remembers; saved when something is new. */
  async remember(userId, devices) {
    let changed = false;
    for (const {deviceId, identityKey} of devices) {
      const key = `${userId} ${deviceId}`;
      const seen = this.record.known[key] ?? [];
      if (seen[0] === identityKey) continue;
      this.record.known[key] = [identityKey, ...seen.filter(k => k !== identityKey)].slice(0, 8);
      changed = true;
    }
    if (changed) await this.save();
  }

  save() {
    return transact('readwrite', store => store.put(this.record));
  }
}

function recordId(userId, deviceId) {
  return `${userId}/${deviceId}`;
}

async function generate(userId, deviceId) {
  const identity = await crypto.subtle.generateKey(ECDSA, false, ['sign', 'verify']);
  const signedPreKeyId = randomId('spk');
  const signed = await crypto.subtle.generateKey(ECDH, false, ['deriveBits']);
  const signedPublic = await crypto.subtle.exportKey('raw', signed.publicKey);
  const signature = await crypto.subtle.sign({name: 'ECDSA', hash: 'SHA-256'}, identity.privateKey, signedPublic);
  const oneTimePreKeys = {};
  for (let i = 0; i < ONE_TIME_PRE_KEYS; i++) {
    const pair = await crypto.subtle.generateKey(ECDH, false, ['deriveBits']);
    oneTimePreKeys[randomId('otk')] = {privateKey: pair.privateKey, publicKey: await raw(pair.publicKey)};
  }
  return {
    id: recordId(userId, deviceId),
    userId,
    deviceId,
    identity: {privateKey: identity.privateKey, publicKey: await raw(identity.publicKey)},
    signedPreKeyId,
    signedPreKeys: {
      [signedPreKeyId]: {privateKey: signed.privateKey, publicKey: toBase64url(signedPublic),
        signature: toBase64url(signature)},
    },
    oneTimePreKeys,
    uploaded: false,
    known: {},
  };
}

async function raw(publicKey) {
  return toBase64url(await crypto.subtle.exportKey('raw', publicKey));
}

let database = null;

function openDatabase() {
  database ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, {keyPath: 'id'});
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  }).catch(e => {
    database = null; // tried again next time (a private window may refuse it for good: E2EE is unavailable then)
    throw e;
  });
  return database;
}

/** Runs one request in a transaction; resolves to its result once the transaction has committed. */
async function transact(mode, work) {
  const db = await openDatabase();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, mode);
    const request = work(transaction.objectStore(STORE));
    transaction.oncomplete = () => resolve(request.result);
    transaction.onabort = () => reject(transaction.error ?? request.error); // a failed request aborts it
  });
}
