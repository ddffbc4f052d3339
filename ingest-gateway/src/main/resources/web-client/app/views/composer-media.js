import {h, replace} from '../dom.js';
import {formatDuration, formatSize} from '../media.js';

// The composer's files: the Attach control (a file input, several at once), the files about to be sent (each
// uploading as soon as it is chosen, with its progress, its refusal and Retry, and Remove), and the voice recorder
// (a visible recording state with its elapsed time, Stop and Cancel). What is chosen stays per conversation until
// it is sent or removed. End-to-end encrypted conversations take no attachments: the pane hides all of this there.

export class ComposerMedia {
  /** `onChange`: the recording started or stopped, or a file was removed; `fallbackFocus`: where focus goes then. */
  constructor(app, {onChange, fallbackFocus}) {
    this.app = app;
    this.onChange = onChange;
    this.fallbackFocus = fallbackFocus;
    this.conversationId = null;
    this.trays = new Map(); // conversationId -> [upload]
    this.allowed = false; // set as each conversation is drawn: not in encrypted ones
    this.fileInput = h('input', {type: 'file', id: 'attach-input', multiple: true, class: 'visually-hidden'});
    this.fileInput.addEventListener('change', () => {
      [...this.fileInput.files].forEach(file => this.add(file));
      this.fileInput.value = ''; // the same file may be chosen again
    });
    this.attach = h('span', {class: 'attach'}, this.fileInput,
        h('label', {for: 'attach-input', class: 'button-like', title: 'Photos, audio, video, PDF or text'},
            'Attach files'));
    this.recorder = new VoiceRecorder({
      onRecorded: (blob, {name, durationMs}) => this.add(blob, {name, contentType: blob.type, durationMs}),
      onState: () => this.renderRecording(),
      onError: message => this.say(message),
    });
    this.recordButton = h('button', {type: 'button', class: 'record', onclick: () => this.recorder.start()},
        'Record voice note');
    this.controls = h('div', {class: 'composer-media-controls'}, this.attach, this.recordButton);
    this.items = h('ul', {class: 'tray', 'aria-label': 'Files to send'});
    this.notice = h('p', {class: 'form-error tray-notice', role: 'alert'});
    this.elapsed = h('span', {class: 'elapsed', role: 'timer', 'aria-label': 'Recording time'});
    this.stopButton = h('button', {type: 'button', class: 'primary', onclick: () => this.recorder.stop()}, 'Stop recording');
    this.cancelButton = h('button', {type: 'button', onclick: () => this.recorder.cancel()}, 'Cancel recording');
    this.recording = h('div', {class: 'recording', role: 'group', 'aria-label': 'Recording a voice note', hidden: true},
        h('span', {class: 'rec-dot', 'aria-hidden': 'true'}), h('span', {class: 'rec-label', role: 'status'}, 'Recording…'),
        this.elapsed, this.stopButton, this.cancelButton);
    this.recording.addEventListener('keydown', e => {
      if (e.key === 'Escape') this.recorder.cancel();
    });
    this.element = h('div', {class: 'composer-media'}, this.recording, this.items, this.notice);
    app.addEventListener('stopped', () => this.recorder.cancel()); // signed out: the microphone is let go at once
    if (!this.recorder.supported) {
      this.recordButton.disabled = true;
      this.recordButton.title = window.isSecureContext
          ? 'This browser cannot record audio' : 'Recording needs a secure connection (HTTPS)';
    }
  }

  /** Shows the tray of `conversationId`; a recording under way in another one is given up. */
  show(conversationId) {
    if (conversationId !== this.conversationId && this.recorder.active) this.recorder.cancel();
    this.conversationId = conversationId;
    this.notice.textContent = '';
    this.render();
  }

  /**
   * Files pasted into `area` or dropped on it join the files to send, as if chosen with "Attach files" (not where
   * attachments are not allowed).
   */
  acceptFilesOn(area) {
    const files = transfer => [...(transfer?.files ?? [])];
    area.addEventListener('paste', e => {
      if (!this.allowed || files(e.clipboardData).length === 0) return;
      e.preventDefault(); // a pasted picture is a file here, not text
      files(e.clipboardData).forEach(file => this.add(file));
    });
    area.addEventListener('dragover', e => {
      if (this.allowed && [...(e.dataTransfer?.types ?? [])].includes('Files')) e.preventDefault();
    });
    area.addEventListener('drop', e => {
      if (!this.allowed || files(e.dataTransfer).length === 0) return;
      e.preventDefault();
      files(e.dataTransfer).forEach(file => this.add(file));
    });
  }

  /** Hidden in end-to-end encrypted conversations: the server refuses attachments there. */
  setAllowed(allowed) {
    this.allowed = allowed;
    this.controls.hidden = !allowed;
    this.element.hidden = !allowed;
  }

  tray(conversationId = this.conversationId) {
    let tray = this.trays.get(conversationId);
    if (!tray) this.trays.set(conversationId, tray = []);
    return tray;
  }

  add(blob, options) {
    if (!this.conversationId) return;
    const tray = this.tray();
    if (tray.length >= 10) {
      this.say('At most 10 files go with one message.');
      return;
    }
    this.notice.textContent = '';
    tray.push(this.app.uploads.start(blob, options));
    this.render();
  }

  remove(localId) {
    const tray = this.tray();
    const index = tray.findIndex(u => u.localId === localId);
    if (index < 0) return;
    tray.splice(index, 1);
    this.app.uploads.release(localId);
    this.notice.textContent = '';
    this.render();
    this.onChange();
  }

  /**
   * What goes with the message now: the files chosen, taken out of the tray (the outbox follows them from here).
   * Null, with the reason said, when the message cannot go yet.
   */
  take() {
    if (this.recorder.active) {
      this.say('Stop the recording first (or cancel it).');
      return null;
    }
    const tray = this.tray();
    if (tray.some(u => u.state === 'failed')) {
      this.say('Some files could not be uploaded: retry or remove them, then send.');
      return null;
    }
    this.trays.delete(this.conversationId);
    this.notice.textContent = '';
    this.render();
    return tray;
  }

  get hasFiles() {
    return this.tray().length > 0;
  }

  say(message) {
    this.notice.textContent = message;
  }

  /** The files of the open conversation; redrawn as uploads move on (progress is updated in place, see shell.js). */
  render() {
    const tray = this.conversationId ? this.tray() : [];
    this.items.hidden = tray.length === 0;
    const focused = this.items.contains(document.activeElement) ? document.activeElement.dataset.focus : null;
    replace(this.items, tray.map(upload => this.item(upload)));
    if (focused) {
      const same = this.items.querySelector(`[data-focus="${CSS.escape(focused)}"]`);
      if (same) same.focus();
      else this.fallbackFocus();
    }
  }

  item(upload) {
    const voice = Boolean(upload.durationMs);
    const label = voice ? 'Voice note' : upload.name;
    const preview = upload.preview ? h('img', {class: 'tray-preview', src: upload.preview, alt: ''})
        : h('span', {class: 'tray-preview file-icon', 'aria-hidden': 'true'}, voice ? '🎤' : extension(upload.name));
    const details = voice ? formatDuration(upload.durationMs) : formatSize(upload.size);
    return h('li', {class: `tray-item ${upload.state}`, 'data-local-id': upload.localId},
        preview,
        h('span', {class: 'tray-info'},
            h('span', {class: 'tray-name'}, label),
            h('span', {class: 'tray-details'}, details),
            uploadState(upload)),
        upload.state === 'failed' && upload.retryable
            ? h('button', {type: 'button', class: 'link', 'data-focus': `retry ${upload.localId}`,
              'aria-label': `Retry uploading ${label}`, onclick: () => this.app.uploads.retry(upload.localId)}, 'Retry')
            : null,
        h('button', {type: 'button', class: 'link', 'data-focus': `remove ${upload.localId}`,
          'aria-label': `Remove ${label}`, onclick: () => this.remove(upload.localId)}, 'Remove'));
  }

  renderRecording() {
    const active = this.recorder.active;
    const focusWasInside = this.recording.contains(document.activeElement);
    this.recording.hidden = !active;
    this.controls.classList.toggle('recording-now', active);
    this.recordButton.disabled = active || !this.recorder.supported;
    this.elapsed.textContent = active ? formatDuration(this.recorder.elapsedMs) : '';
    if (active !== this.wasActive) { // started: Stop takes the focus; stopped or cancelled: back where it started
      if (active) this.stopButton.focus();
      else if (focusWasInside) this.recordButton.focus();
      this.wasActive = active;
      this.onChange();
    }
  }
}

/**
 * An upload's state in words: "Uploading 40%" with a progress bar (updated in place: `data-upload-progress`),
 * "Uploaded", or the refusal next to the file.
 */
export function uploadState(upload) {
  switch (upload.state) {
    case 'uploading': {
      const percent = Math.round(upload.progress * 100);
      return h('span', {class: 'upload-state uploading'},
          h('progress', {max: '100', value: String(percent), 'data-upload-progress': upload.localId,
            'aria-label': `Uploading ${upload.name}`}),
          h('span', {'data-upload-percent': upload.localId}, `Uploading ${percent}%`));
    }
    case 'done':
      return h('span', {class: 'upload-state done'}, 'Uploaded');
    default:
      return h('span', {class: 'upload-state failed', role: 'alert'}, `Not uploaded: ${upload.error}`);
  }
}

function extension(name) {
  const match = /\.([a-z0-9]{1,4})$/i.exec(name ?? '');
  return match ? match[1].toUpperCase() : 'FILE';
}

/** Prefers Opus in WebM (Chromium, Firefox), then Ogg, then MP4 (Safari); else the browser's default. */
const RECORDING_TYPES = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/mp4'];

/**
 * A voice note from the microphone (MediaRecorder). `onRecorded(blob, {name, durationMs})` once stopped; the
 * microphone is let go when stopped or cancelled. The length is measured here: the recording itself may not say it.
 */
export class VoiceRecorder {
  constructor({onRecorded, onState, onError}) {
    this.onRecorded = onRecorded;
    this.onState = onState;
    this.onError = onError;
    this.active = false;
    this.elapsedMs = 0;
  }

  get supported() {
    return Boolean(navigator.mediaDevices?.getUserMedia) && typeof MediaRecorder !== 'undefined';
  }

  async start() {
    if (this.active || this.starting || !this.supported) return;
    this.starting = true;
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({audio: true});
    } catch (e) {
      this.onError(`The microphone could not be used: ${e.name === 'NotAllowedError'
        ? 'permission was refused' : e.message || e.name}.`);
      return;
    } finally {
      this.starting = false;
    }
    const mimeType = RECORDING_TYPES.find(type => MediaRecorder.isTypeSupported(type));
    try {
      this.recorder = new MediaRecorder(this.stream, mimeType ? {mimeType} : {});
    } catch (e) {
      this.release();
      this.onError(`Recording is not possible here: ${e.message}`);
      return;
    }
    this.chunks = [];
    this.recorder.addEventListener('dataavailable', e => {
      if (e.data.size > 0) this.chunks.push(e.data);
    });
    this.recorder.start(250); // a chunk every quarter second: a stop never waits long for the last one
    this.startedAt = performance.now();
    this.elapsedMs = 0;
    this.active = true;
    this.timer = setInterval(() => {
      this.elapsedMs = performance.now() - this.startedAt;
      this.onState();
    }, 250);
    this.onState();
  }

  stop() {
    if (!this.active) return;
    const durationMs = performance.now() - this.startedAt;
    const recorder = this.recorder;
    recorder.addEventListener('stop', () => {
      const type = recorder.mimeType || this.chunks[0]?.type || 'audio/webm';
      const blob = new Blob(this.chunks, {type});
      this.chunks = [];
      this.onRecorded(blob, {name: voiceNoteName(type), durationMs: Math.max(1, Math.round(durationMs))});
    }, {once: true});
    this.finish();
  }

  cancel() {
    if (!this.active) return;
    this.recorder.addEventListener('stop', () => { this.chunks = []; }, {once: true});
    this.finish();
  }

  finish() {
    clearInterval(this.timer);
    this.active = false;
    try {
      this.recorder.stop();
    } catch {
      // already stopped (the microphone went away): the stop event has come or will
    }
    this.release();
    this.onState();
  }

  release() {
    this.stream?.getTracks().forEach(track => track.stop());
    this.stream = null;
  }
}

function voiceNoteName(type) {
  const extension = type.includes('ogg') ? 'ogg' : type.includes('mp4') ? 'm4a' : 'webm';
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
  return `voice-note-${stamp}.${extension}`;
}
