import {concat, fromBase64url, utf8} from './bytes.js';

// The safety number of a direct conversation: 12 groups of 5 digits, the same on both sides. Each person has 6
// groups, worked out from the identity keys of all their devices (sorted, so the order the directory lists them
// in does not matter) with SHA-256; the two halves are shown in the order of the user ids. Two people who read the
// same digits off each other's screens know that the keys their devices encrypt for are the ones the other's
// devices hold: a key the server swapped in, or a device added to someone, changes that person's half.

const LABEL = 'kchat-safety-number-v1';
const GROUPS_PER_PERSON = 6;

/** `people`: two {userId, identityKeys: [base64url]}. Resolves to the 12 groups, strings of 5 digits. */
export async function safetyNumber(people) {
  const ordered = [...people].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  const halves = await Promise.all(ordered.map(half));
  return halves.flat();
}

async function half({userId, identityKeys}) {
  const keys = [...new Set(identityKeys)].sort().map(fromBase64url);
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256',
      concat(utf8(LABEL), Uint8Array.of(0), utf8(userId), Uint8Array.of(0), ...keys)));
  const groups = [];
  for (let i = 0; i < GROUPS_PER_PERSON; i++) {
    // 5 bytes (40 bits) at a time, reduced to 5 digits, as Signal's numeric fingerprints do
    const value = hash.subarray(i * 5, i * 5 + 5).reduce((n, byte) => n * 256 + byte, 0);
    groups.push(String(value % 100_000).padStart(5, '0'));
  }
  return groups;
}
