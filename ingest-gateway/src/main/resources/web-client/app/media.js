// Media as the page shows them (docs/api.md, "Media"). Downloads need the `Authorization: Bearer` header like every
// REST call, which an <img src> or <audio src> pointing at the API cannot send: the bytes are fetched (api.js) and
// shown through blob: URLs, which the Content-Security-Policy allows for images and media. Each URL is made once per
// media file and size and kept in a small cache, so that the lists, redrawn on every change, show the same URL at
// once; one that is no longer on screen is revoked when the cache is full, and its bytes are freed.

/** How many blob: URLs are kept while not shown: enough for a screenful of avatars and photos. */
const CAPACITY = 80;

export class MediaCache {
  constructor(api, {capacity = CAPACITY, doc = document} = {}) {
    this.api = api;
    this.capacity = capacity;
    this.doc = doc;
    this.entries = new Map(); // key -> {promise, url?}; the Map's order is the order of last use
  }

  /**
   * A blob: URL of the media file (`size` undefined), or of its thumbnail ("small": 96 px, "medium": 320 px).
   * Rejects with the ApiError of the download; a failed one is asked again the next time.
   */
  url(mediaId, size) {
    const key = keyOf(mediaId, size);
    const known = this.entries.get(key);
    if (known) {
      this.touch(key, known);
      return known.promise;
    }
    const entry = {};
    entry.promise = this.api.mediaBlob(mediaId, size).then(blob => {
      entry.url = URL.createObjectURL(blob);
      entry.type = blob.type;
      return entry.url;
    }, e => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw e;
    });
    this.entries.set(key, entry);
    this.evict();
    return entry.promise;
  }

  /** The URL at once when it is already made (no flicker when a list is redrawn), else undefined. */
  ready(mediaId, size) {
    const entry = this.entries.get(keyOf(mediaId, size));
    return entry?.url;
  }

  /** The file's bytes themselves (a download to save). Not cached: a file is saved once. */
  blob(mediaId) {
    return this.api.mediaBlob(mediaId);
  }

  touch(key, entry) {
    this.entries.delete(key);
    this.entries.set(key, entry);
  }

  /** Past the capacity, the least recently used URLs that nothing on the page shows are revoked. */
  evict() {
    if (this.entries.size <= this.capacity) return;
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.capacity) return;
      if (!entry.url || this.shown(entry.url)) continue; // still loading, or on screen
      URL.revokeObjectURL(entry.url);
      this.entries.delete(key);
    }
  }

  shown(url) {
    for (const element of this.doc.querySelectorAll('img[src^="blob:"], audio[src^="blob:"], video[src^="blob:"]')) {
      if (element.getAttribute('src') === url) return true;
    }
    return false;
  }

  /** The session ends: every URL is revoked. */
  clear() {
    for (const entry of this.entries.values()) {
      if (entry.url) URL.revokeObjectURL(entry.url);
    }
    this.entries.clear();
  }
}

function keyOf(mediaId, size) {
  return size ? `${mediaId}@${size}` : mediaId;
}

// --- attachments: what kind each one is and how it is described

/** An attachment's kind for the views: "image", "audio" (a player) or "file" (a download). */
export function kindOf(attachment) {
  const type = (attachment.contentType ?? '').toLowerCase();
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('audio/')) return 'audio';
  // a voice note recorded as WebM or Ogg may be typed as video by the server's sniffing: it has no picture either way
  if (isVoiceNote(attachment) && /^video\/(webm|ogg|mp4)/.test(type)) return 'audio';
  return 'file';
}

/** Audio with a duration is a voice note (docs/api.md). */
export function isVoiceNote(attachment) {
  return Number.isFinite(attachment.durationMs) && attachment.durationMs > 0;
}

/** 1.2 MB, 34 KB, 512 bytes. */
export function formatSize(bytes) {
  if (!Number.isFinite(bytes)) return '';
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** 0:07, 1:05, 1:02:03. */
export function formatDuration(ms) {
  const total = Math.max(0, Math.round((ms ?? 0) / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** What stands for an attachment in words: a preview in the list, a quote, an accessible name. */
export function describeAttachment(attachment) {
  switch (kindOf(attachment)) {
    case 'image':
      return attachment.name ? `Photo: ${attachment.name}` : 'Photo';
    case 'audio':
      return isVoiceNote(attachment) ? `Voice note (${formatDuration(attachment.durationMs)})`
          : `Audio: ${attachment.name ?? 'a recording'}`;
    default:
      return `File: ${attachment.name ?? 'a file'}`;
  }
}

/** A message's attachments in words, for the list's preview when it has no text: "Photo", "2 attachments". */
export function attachmentsSummary(attachments) {
  if (!Array.isArray(attachments) || attachments.length === 0) return '';
  return attachments.length === 1 ? describeAttachment(attachments[0]) : `${attachments.length} attachments`;
}

/** The size an image is shown at: its own, shrunk to fit a square of `box` px (never enlarged), as thumbnails are. */
export function fitted(width, height, box) {
  if (!(width > 0 && height > 0)) return null;
  const scale = Math.min(1, box / Math.max(width, height));
  return {width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale))};
}

/** Whether `value` is an attachments list as the server sends it (checked before a kept message is shown). */
export function isAttachmentList(value) {
  const optional = (v, test) => v === undefined || v === null || test(v);
  return Array.isArray(value) && value.length <= 10 && value.every(a => typeof a === 'object' && a !== null
      && typeof a.mediaId === 'string' && a.mediaId.length > 0 && typeof a.contentType === 'string'
      && optional(a.size, Number.isSafeInteger) && optional(a.name, v => typeof v === 'string')
      && optional(a.width, Number.isSafeInteger) && optional(a.height, Number.isSafeInteger)
      && optional(a.durationMs, Number.isSafeInteger));
}

/** Initials for an avatar without a picture: "Ann Archer" -> "AA", "ben" -> "B". */
export function initials(name) {
  const words = String(name ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  const first = [...words[0]][0] ?? '';
  const last = words.length > 1 ? [...words.at(-1)][0] ?? '' : '';
  return (first + last).toUpperCase();
}
