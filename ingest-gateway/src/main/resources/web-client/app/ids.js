// crypto.randomUUID exists only in secure contexts (HTTPS, localhost); getRandomValues everywhere, so a page
// served over plain HTTP on a LAN address still gets random version 4 UUIDs.
export function uuid() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map(b => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The device id this browser uses for one account: chosen once, sent at every login (docs/api.md). */
export function deviceIdFor(login) {
  const key = `kchat.device.${login.trim().toLowerCase()}`;
  let id = localStorage.getItem(key);
  if (!id) {
    id = `web-${uuid()}`;
    localStorage.setItem(key, id);
  }
  return id;
}
