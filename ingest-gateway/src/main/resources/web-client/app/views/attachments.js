import {h} from '../dom.js';
import {fitted, formatDuration, formatSize, initials, isVoiceNote, kindOf} from '../media.js';

// What a message's attachments look like, the image viewer, and avatars. Every picture and sound is fetched with
// the bearer header and shown through a blob: URL (media.js).
//
// The message list is drawn again on every change; an attachment's element is made once and moved into each new
// drawing (MessageMedia keeps them), so a voice note keeps playing, a photo does not flicker and the focus can stay
// on a photo's button while receipts and typing come and go.

/** A thumbnail fits this square (docs/api.md: `medium` thumbnails are within 320 px). */
const THUMBNAIL_BOX = 320;
/** How long before a thumbnail refused for busy makers (503) is asked for again. */
const THUMBNAIL_RETRY_MS = 1_500;
/** The space kept for a photo whose size the server did not give. */
const UNKNOWN_SIZE = {width: 240, height: 180};

export class MessageMedia {
  constructor(app) {
    this.app = app;
    this.elements = new Map(); // `${conversationId}:${seq}:${index}` -> element, kept while drawn
  }

  /** The attachments of a message, as a list under its text. */
  list(conversation, message, who) {
    const attachments = message.attachments ?? [];
    if (attachments.length === 0) return null;
    return h('ul', {class: 'attachments', 'aria-label': attachments.length === 1 ? 'Attachment' : 'Attachments'},
        attachments.map((attachment, index) => {
          const key = `${conversation.conversationId}:${message.seq}:${index}:${attachment.mediaId}`;
          let element = this.elements.get(key);
          if (!element) this.elements.set(key, element = this.make(attachment, who, `${message.seq}:media ${index}`));
          return h('li', {class: `attachment attachment-${kindOf(attachment)}`}, element);
        }));
  }

  /** After a drawing: the elements no longer on the page are let go (the media cache frees their URLs in time). */
  prune() {
    for (const [key, element] of this.elements) {
      if (!element.isConnected) this.elements.delete(key);
    }
  }

  make(attachment, who, focusKey) {
    switch (kindOf(attachment)) {
      case 'image':
        return this.image(attachment, focusKey);
      case 'audio':
        return this.audio(attachment, who, focusKey);
      default:
        return this.file(attachment, focusKey);
    }
  }

  /**
   * A photo: its medium thumbnail in the space its size asks for (known before it loads, so the list does not jump),
   * as a button that opens the viewer.
   */
  image(attachment, focusKey) {
    const {width, height} = fitted(attachment.width, attachment.height, THUMBNAIL_BOX) ?? UNKNOWN_SIZE;
    const label = attachment.name ? `photo ${attachment.name}` : 'photo';
    const img = h('img', {alt: '', width, height, decoding: 'async', 'data-media-id': attachment.mediaId});
    const note = h('span', {class: 'attachment-note'}, 'Loading…');
    const button = h('button', {type: 'button', class: 'thumbnail loading', 'data-focus': focusKey,
      'aria-label': `Open ${label}`}, img, note);
    button.addEventListener('click', () => imageViewer(this.app, attachment, button));
    const shown = url => {
      img.src = url;
      button.classList.remove('loading');
      note.remove();
    };
    // a thumbnail the server could not make (an image it cannot decode) is replaced by the image itself; one whose
    // makers are all busy (503) is asked for again in a moment
    const thumbnail = () => this.app.media.url(attachment.mediaId, 'medium');
    thumbnail()
        .catch(e => (e.status === 503 ? later(THUMBNAIL_RETRY_MS).then(thumbnail) : Promise.reject(e)))
        .catch(e => (e.status === 404 ? this.app.media.url(attachment.mediaId) : Promise.reject(e)))
        .then(shown, e => {
          button.classList.remove('loading');
          note.textContent = `The photo could not be loaded (${e.message})`;
        });
    return button;
  }

  /**
   * A voice note or other audio: a player of its own (the bytes fetched as a blob), its length beside it. A
   * recording made by a browser often says nothing of its length (WebM without a duration): the player is made to
   * find it, so its bar and time are right from the start.
   */
  audio(attachment, who, focusKey) {
    const voice = isVoiceNote(attachment);
    const title = voice ? 'Voice note' : (attachment.name ?? 'Audio');
    const length = voice ? formatDuration(attachment.durationMs) : '';
    const audio = h('audio', {controls: true, preload: 'metadata', 'data-focus': focusKey,
      'data-media-id': attachment.mediaId,
      'aria-label': `${voice ? 'Voice note' : `Audio ${title}`}${who ? ` from ${who}` : ''}${length ? `, ${length}` : ''}`});
    const note = h('span', {class: 'attachment-note'}, 'Loading…');
    audio.addEventListener('loadedmetadata', () => findDuration(audio));
    this.app.media.url(attachment.mediaId).then(url => {
      audio.src = url;
      note.remove();
    }, e => {
      note.textContent = `The recording could not be loaded (${e.message})`;
    });
    return h('div', {class: 'audio-player'},
        h('span', {class: 'audio-title'}, title, length ? h('span', {class: 'duration'}, ` · ${length}`) : null),
        audio, note);
  }

  /** Any other file: a link that fetches it (with the bearer header) and saves it under its name. */
  file(attachment, focusKey) {
    const name = attachment.name ?? 'file';
    const size = formatSize(attachment.size);
    const note = h('span', {class: 'attachment-note', role: 'status'});
    const link = h('a', {class: 'file-link', href: `/v1/media/${encodeURIComponent(attachment.mediaId)}`,
      download: name, 'data-focus': focusKey, 'aria-label': `Download ${name}${size ? `, ${size}` : ''}`},
    h('span', {class: 'file-name'}, name), size ? h('span', {class: 'file-size'}, size) : null);
    link.addEventListener('click', async e => {
      e.preventDefault(); // the link itself would go without the bearer header
      note.textContent = 'Downloading…';
      try {
        save(await this.app.media.blob(attachment.mediaId), name);
        note.textContent = '';
      } catch (err) {
        note.textContent = `The download failed: ${err.message}`;
      }
    });
    return h('span', {class: 'file'}, link, note);
  }
}

/**
 * WebM from MediaRecorder carries no duration: the player says Infinity until it has read to the end. Seeking far
 * past the end makes it read there; once it knows, it goes back to the start.
 */
function findDuration(audio) {
  if (audio.duration !== Infinity) return;
  const known = () => {
    if (!Number.isFinite(audio.duration)) return;
    audio.removeEventListener('durationchange', known);
    audio.currentTime = 0;
  };
  audio.addEventListener('durationchange', known);
  audio.currentTime = 1e9;
}

function later(ms) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** Saves `blob` as `name` through a short-lived link with `download`. */
function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = h('a', {href: url, download: name, hidden: true});
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000); // the browser has taken the bytes by then
}

/**
 * The image viewer: a modal dialog with the full image (the thumbnail meanwhile, when there is one), its name, a
 * download and a close button. Escape closes it too; the focus goes back to what opened it.
 */
export function imageViewer(app, attachment, opener) {
  const name = attachment.name ?? 'Photo';
  const img = h('img', {class: 'viewer-image', alt: attachment.name ? `Photo ${attachment.name}` : 'Photo'});
  const status = h('p', {class: 'viewer-status', role: 'status'}, 'Loading the photo…');
  const close = h('button', {type: 'button', class: 'link'}, 'Close');
  const download = h('button', {type: 'button', class: 'link'}, 'Download');
  const element = h('dialog', {class: 'image-viewer', 'aria-labelledby': 'viewer-title'},
      h('div', {class: 'dialog-head'}, h('h2', {id: 'viewer-title'}, name),
          h('div', {class: 'viewer-actions'}, download, close)),
      status, h('div', {class: 'viewer-frame'}, img));
  close.addEventListener('click', () => element.close());
  download.addEventListener('click', async () => {
    try {
      save(await app.media.blob(attachment.mediaId), name);
    } catch (e) {
      status.textContent = `The download failed: ${e.message}`;
    }
  });
  // a click on the backdrop (outside the dialog's box) closes it, as on most image viewers
  element.addEventListener('click', e => {
    if (e.target === element) element.close();
  });
  element.addEventListener('close', () => {
    element.remove();
    if (opener?.isConnected) opener.focus();
  });
  document.body.append(element);
  element.showModal();
  close.focus();
  const thumbnail = app.media.ready(attachment.mediaId, 'medium');
  if (thumbnail) img.src = thumbnail;
  app.media.url(attachment.mediaId).then(url => {
    img.src = url;
    img.dataset.full = 'true';
    status.textContent = '';
  }, e => {
    status.textContent = `The photo could not be loaded (${e.message})`;
  });
  return element;
}

/**
 * An avatar: the picture (a small thumbnail) over the initials, which show until it loads and when there is none.
 * Decorative (`aria-hidden`): the name is always written beside it. `{mediaId, name}` as store.userAvatar gives.
 */
export function avatar(app, {mediaId, name}, extraClass = '') {
  const element = h('span', {class: `avatar ${extraClass}`.trim(), 'aria-hidden': 'true',
    'data-initials': initials(name), 'data-media-id': mediaId ?? false});
  if (!mediaId) return element;
  const img = h('img', {alt: '', class: 'avatar-image'});
  element.append(img);
  const ready = app.media.ready(mediaId, 'small');
  if (ready) {
    img.src = ready; // made before: shown at once, so a redrawn list does not flicker
    element.classList.add('has-image');
  } else {
    app.media.url(mediaId, 'small').then(url => {
      img.src = url;
      element.classList.add('has-image');
    }, () => {}); // the initials stay
  }
  return element;
}
