import {uuid} from './ids.js';

// Files on their way to the server (POST /v1/media): chosen in the composer, or a voice note just recorded. An
// upload starts as soon as the file is chosen, so it is often done by the time Send is pressed; its progress, its
// outcome and a refusal (413 too large, 415 a type not allowed, or another problem) are the views' to show next to
// the file. A failed upload keeps its file in memory, to be tried again; nothing is dropped but by the person.
//
// The outbox (store.js) names uploads by `localId` until they are done; `changed(upload, progressOnly)` tells the
// app (which pumps the outbox) and the views (which redraw the file) that one moved on.

export class Uploads {
  constructor(api, changed) {
    this.api = api;
    this.changed = changed;
    this.all = new Map(); // localId -> upload
  }

  /**
   * Starts uploading `blob` (a File, or a recording's Blob with its `name`). `durationMs`: a voice note's length.
   * Returns the upload: {localId, name, size, contentType, durationMs?, preview?, state, progress, media?, error?}.
   */
  start(blob, {name = blob.name, contentType = blob.type, durationMs} = {}) {
    const upload = {
      localId: uuid(), blob, name: name || 'file', size: blob.size, contentType: baseType(contentType),
      ...(durationMs ? {durationMs: Math.round(durationMs)} : {}),
      // an image chosen from this device is previewed from its own bytes, before and while it goes up
      preview: baseType(contentType).startsWith('image/') ? URL.createObjectURL(blob) : undefined,
      state: 'uploading', progress: 0,
    };
    this.all.set(upload.localId, upload);
    this.run(upload);
    return upload;
  }

  get(localId) {
    return this.all.get(localId);
  }

  async run(upload) {
    const controller = new AbortController();
    upload.controller = controller;
    upload.state = 'uploading';
    upload.progress = 0;
    upload.error = undefined;
    this.changed(upload);
    try {
      const media = await this.api.upload(upload.blob, {
        name: upload.name, contentType: upload.contentType, signal: controller.signal,
        onProgress: fraction => {
          upload.progress = fraction;
          this.changed(upload, true);
        },
      });
      if (upload.controller !== controller) return; // given up meanwhile
      upload.media = media;
      upload.state = 'done';
      upload.progress = 1;
    } catch (e) {
      if (upload.controller !== controller || e.code === 'aborted') return;
      upload.state = 'failed';
      upload.error = refusal(e);
      upload.retryable = !(e.status === 413 || e.status === 415 || e.status === 400);
    }
    this.changed(upload);
  }

  /** Tries a failed upload again (the same bytes). */
  retry(localId) {
    const upload = this.all.get(localId);
    if (upload && upload.state === 'failed') this.run(upload);
  }

  /** No longer wanted (removed from the composer, sent and echoed, or discarded): stopped and let go. */
  release(localId) {
    const upload = this.all.get(localId);
    if (!upload) return;
    this.all.delete(localId);
    upload.controller?.abort();
    upload.controller = null;
    if (upload.preview) URL.revokeObjectURL(upload.preview);
  }

  /** The session ends. */
  clear() {
    [...this.all.keys()].forEach(id => this.release(id));
  }
}

/** A Content-Type without parameters: "audio/webm;codecs=opus" -> "audio/webm" (the server sniffs the bytes anyway). */
export function baseType(type) {
  return (type || 'application/octet-stream').split(';')[0].trim().toLowerCase();
}

/** Why an upload was refused, in words (docs/api.md: 413 over the size limit, 415 a type not allowed). */
export function refusal(e) {
  if (e.status === 413 || e.code === 'too_large') return 'Too large to send';
  if (e.status === 415) return 'This type of file can’t be sent (photos, audio, video, PDF and text can)';
  if (e.code === 'unavailable') return 'Files can’t be sent on this server';
  return e.message || 'The upload failed';
}
