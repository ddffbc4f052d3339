import {concat, fromBase64url, toBase64url, utf8} from './bytes.js';

// One envelope: a message body sealed for one device (the README's "Envelope format" describes it byte by byte).
// A fresh ECDH P-256 key pair per envelope meets the recipient's signed pre-key; HKDF-SHA-256 turns the shared
// secret into an AES-256-GCM key bound to everything the envelope is about (the context below); the sender's
// identity key signs the context, the ephemeral key, the IV and the ciphertext, so the recipient can check who wrote
// it against the key directory and that nobody (the server included) moved it to another message, device or person.

export const ALGORITHM = 'kchat-p256-hkdf-aesgcm-v1';
const VERSION = 1;
const POINT_BYTES = 65; // a raw uncompressed P-256 point
const IV_BYTES = 12;
const SIGNATURE_BYTES = 64; // ECDSA P-256 in IEEE P1363 form, r || s
const TAG_BYTES = 16;
const ECDH = {name: 'ECDH', namedCurve: 'P-256'};
const ECDSA = {name: 'ECDSA', namedCurve: 'P-256'};
const SIGNING = {name: 'ECDSA', hash: 'SHA-256'};

/** Why an envelope could not be opened; the views show one "could not decrypt" mark whatever the reason. */
export class EnvelopeError extends Error {}

/**
 * What the key, the AAD and the signature are bound to: the algorithm, the conversation, the message's client id,
 * the sender's and the recipient's user and device ids and the recipient's pre-key id, each prefixed by its length
 * (two bytes, big-endian), so that no two different contexts encode alike.
 */
export function context({conversationId, messageId, sender, recipient, keyId}) {
  const fields = [ALGORITHM, conversationId, messageId, sender.userId, sender.deviceId, recipient.userId,
    recipient.deviceId, keyId].map(field => utf8(String(field)));
  return concat(...fields.flatMap(field => [Uint8Array.of(field.length >> 8, field.length & 0xff), field]));
}

/**
 * Seals `body` for one device. `signingKey` is the sender's identity private key (ECDSA); `recipient.preKey` the
 * raw bytes of the recipient's signed pre-key and `recipient.keyId` its id. Resolves to the envelope, base64url.
 */
export async function seal(body, {conversationId, messageId, sender, signingKey, recipient}) {
  const bound = context({conversationId, messageId, sender, recipient, keyId: recipient.keyId});
  const ephemeral = await crypto.subtle.generateKey(ECDH, false, ['deriveBits']);
  const ephemeralPoint = new Uint8Array(await crypto.subtle.exportKey('raw', ephemeral.publicKey));
  const theirs = await crypto.subtle.importKey('raw', recipient.preKey, ECDH, false, []);
  const key = await messageKey(ephemeral.privateKey, theirs, ephemeralPoint, bound, 'encrypt');
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const plaintext = utf8(JSON.stringify({body}));
  const ciphertext = new Uint8Array(
      await crypto.subtle.encrypt({name: 'AES-GCM', iv, additionalData: bound}, key, plaintext));
  const signature = new Uint8Array(await crypto.subtle.sign(SIGNING, signingKey,
      concat(bound, ephemeralPoint, iv, ciphertext)));
  const keyId = utf8(recipient.keyId);
  return toBase64url(concat(Uint8Array.of(VERSION, keyId.length), keyId, ephemeralPoint, iv, signature, ciphertext));
}

/**
 * Opens an envelope addressed to this device: `preKeyFor(keyId)` gives the private signed pre-key it names (or
 * nothing), `senderKeys` the raw identity keys the sending device is known by. Resolves to the body; rejects with
 * an EnvelopeError when the envelope is malformed, its signature checks against none of the keys, or it does not
 * decrypt.
 */
export async function open(encoded, {conversationId, messageId, sender, recipient, preKeyFor, senderKeys}) {
  const parts = parse(encoded);
  const bound = context({conversationId, messageId, sender, recipient, keyId: parts.keyId});
  const signed = concat(bound, parts.ephemeralPoint, parts.iv, parts.ciphertext);
  if (!await signedByAny(senderKeys, parts.signature, signed)) {
    throw new EnvelopeError('the signature is not the sending device’s');
  }
  const preKey = await preKeyFor(parts.keyId);
  if (!preKey) throw new EnvelopeError(`no pre-key ${parts.keyId} on this device`);
  let plaintext;
  try {
    const theirs = await crypto.subtle.importKey('raw', parts.ephemeralPoint, ECDH, false, []);
    const key = await messageKey(preKey, theirs, parts.ephemeralPoint, bound, 'decrypt');
    plaintext = await crypto.subtle.decrypt({name: 'AES-GCM', iv: parts.iv, additionalData: bound}, key,
        parts.ciphertext);
  } catch {
    throw new EnvelopeError('it does not decrypt');
  }
  let message;
  try {
    message = JSON.parse(new TextDecoder('utf-8', {fatal: true}).decode(plaintext));
  } catch {
    message = null;
  }
  if (typeof message?.body !== 'string') throw new EnvelopeError('no body inside');
  return message.body;
}

/** ECDH, then HKDF-SHA-256 (salt: the ephemeral public key; info: the context) to an AES-256-GCM key. */
async function messageKey(privateKey, publicKey, ephemeralPoint, bound, usage) {
  const shared = await crypto.subtle.deriveBits({name: 'ECDH', public: publicKey}, privateKey, 256);
  const material = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey({name: 'HKDF', hash: 'SHA-256', salt: ephemeralPoint, info: bound}, material,
      {name: 'AES-GCM', length: 256}, false, [usage]);
}

async function signedByAny(senderKeys, signature, signed) {
  for (const raw of senderKeys) {
    try {
      const key = await crypto.subtle.importKey('raw', raw, ECDSA, false, ['verify']);
      if (await crypto.subtle.verify(SIGNING, key, signature, signed)) return true;
    } catch {
      // a key that does not import checks nothing; the next one may
    }
  }
  return false;
}

/** version (1) | keyId length (1) | keyId | ephemeral point (65) | IV (12) | signature (64) | AES-GCM ciphertext. */
function parse(encoded) {
  let bytes;
  try {
    bytes = fromBase64url(encoded);
  } catch {
    throw new EnvelopeError('not base64url');
  }
  if (bytes[0] !== VERSION) throw new EnvelopeError(`version ${bytes[0]} is not known here`);
  const keyIdLength = bytes[1];
  let at = 2;
  const take = length => {
    const part = bytes.subarray(at, at + length);
    at += length;
    return part;
  };
  if (!keyIdLength || bytes.length < at + keyIdLength + POINT_BYTES + IV_BYTES + SIGNATURE_BYTES + TAG_BYTES) {
    throw new EnvelopeError('too short');
  }
  const keyId = new TextDecoder().decode(take(keyIdLength));
  return {keyId, ephemeralPoint: take(POINT_BYTES), iv: take(IV_BYTES), signature: take(SIGNATURE_BYTES),
    ciphertext: bytes.subarray(at)};
}
