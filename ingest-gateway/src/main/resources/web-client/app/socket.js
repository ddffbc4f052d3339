// The WebSocket half of the API (docs/api.md): one socket per tab, authenticated by an `auth` frame (a browser
// cannot set headers on an upgrade), re-authenticated with every refreshed token, reconnected with backoff and
// jitter. Durable events (those with a userSeq) reach the app once each, in order, and are acked after the app
// has taken them; the server sends unacked ones again after a reconnect, and those repeats are dropped here.

const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 30_000;
const ACK_DELAY_MS = 150;
const PING_MS = 25_000;

/** Statuses: connecting, syncing (replaying what was queued), online, offline (retrying), replaced, ended. */
export class ChatSocket extends EventTarget {
  constructor(session, location = window.location) {
    super();
    this.session = session;
    this.url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/ws`;
    this.ws = null;
    this.status = 'offline';
    this.attempt = 0;
    this.highestUserSeq = 0; // the newest durable event taken in this page's life
    this.ackedUserSeq = 0;
    this.pending = new Map(); // ref -> {resolve, reject}
    this.stopped = true;
    this.onRefreshed = e => this.sendRaw({type: 'auth', token: e.detail});
  }

  start() {
    this.stopped = false;
    this.session.addEventListener('refreshed', this.onRefreshed);
    this.connect();
  }

  stop() {
    this.stopped = true;
    this.session.removeEventListener('refreshed', this.onRefreshed);
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    this.ws?.close(1000, 'signed out');
    this.ws = null;
    this.failPending('The connection was closed.');
  }

  get online() { return this.status === 'online' || this.status === 'syncing'; }

  /** Sends a frame with a ref and resolves on its `ok`, rejects on its `error` or when the socket drops first. */
  request(frame) {
    const ref = frame.ref ?? `r${Math.random().toString(36).slice(2)}`;
    return new Promise((resolve, reject) => {
      if (!this.online) {
        reject(Object.assign(new Error('Not connected.'), {code: 'offline'}));
        return;
      }
      this.pending.set(ref, {resolve, reject});
      this.sendRaw({...frame, ref});
    });
  }

  /** Fire and forget (typing, read, ack): lost with the socket, which is fine for them. */
  sendRaw(frame) {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  /** After a 4009 (this device connected in another tab): take the connection back on the user's word. */
  reclaim() {
    if (this.status === 'replaced') {
      this.attempt = 0;
      this.connect();
    }
  }

  async connect() {
    if (this.stopped) return;
    this.setStatus('connecting');
    let token;
    try {
      token = await this.session.accessToken();
    } catch (e) {
      if (this.session.signedIn) this.retry();
      return;
    }
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.addEventListener('open', () => ws.send(JSON.stringify({type: 'auth', token})));
    ws.addEventListener('message', e => this.ws === ws && this.receive(e.data));
    ws.addEventListener('close', e => this.ws === ws && this.closed(e.code, e.reason));
  }

  receive(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return; // not ours to interpret; the server only sends JSON
    }
    switch (frame.type) {
      case 'ready':
        this.attempt = 0;
        this.sessionId = frame.sessionId;
        this.ackedUserSeq = frame.ackedUserSeq;
        this.setStatus('syncing');
        clearInterval(this.pingTimer);
        this.pingTimer = setInterval(() => this.sendRaw({type: 'ping'}), PING_MS);
        this.emit('ready', frame);
        return;
      case 'synced':
        this.setStatus('online');
        this.emit('synced', frame);
        return;
      case 'gap':
        // what this device missed is no longer queued: everything after it is, and the app reloads from REST
        this.highestUserSeq = Math.max(this.highestUserSeq, frame.oldestUserSeq - 1);
        this.emit('gap', frame);
        return;
      case 'ok':
        this.settle(frame.ref, p => p.resolve(frame));
        return;
      case 'pong':
        return;
      default:
        break;
    }
    if (frame.type === 'error' && frame.userSeq === undefined) {
      if (!this.settle(frame.ref, p => p.reject(Object.assign(new Error(frame.message), frame)))) {
        this.emit('refused', frame);
      }
      return;
    }
    // durable: every frame with a userSeq (message, message_update, receipt, conversation, contact, keys, error, and
    // types added later, which the app ignores but which must be acked all the same)
    if (Number.isSafeInteger(frame.userSeq)) {
      if (frame.userSeq <= this.highestUserSeq) {
        this.scheduleAck(); // a repeat after a reconnect: taken already, but tell the server again
        return;
      }
      this.highestUserSeq = frame.userSeq;
      this.emit('event', frame);
      this.scheduleAck();
      return;
    }
    this.emit('event', frame); // typing, presence: ephemeral
  }

  settle(ref, action) {
    const pending = ref && this.pending.get(ref);
    if (!pending) return false;
    this.pending.delete(ref);
    action(pending);
    return true;
  }

  /** Acks cumulatively, a moment after a burst, rather than once per event. */
  scheduleAck() {
    if (this.ackTimer) return;
    this.ackTimer = setTimeout(() => {
      this.ackTimer = null;
      if (this.highestUserSeq > this.ackedUserSeq) {
        this.ackedUserSeq = this.highestUserSeq;
        this.sendRaw({type: 'ack', userSeq: this.highestUserSeq});
      }
    }, ACK_DELAY_MS);
  }

  closed(code, reason) {
    this.ws = null;
    clearInterval(this.pingTimer);
    this.failPending('The connection dropped before the server answered.');
    if (this.stopped) return;
    if (code === 4003) {
      this.session.end('This session was ended (logged out or password changed elsewhere). Please log in again.');
      return;
    }
    if (code === 4009) {
      this.setStatus('replaced');
      return;
    }
    if (code === 4001) {
      // the token expired or was refused: a refreshed one, or the login view if the refresh is refused too
      this.session.refresh().then(() => this.retry(), () => {});
      this.setStatus('offline', reason);
      return;
    }
    this.retry(reason);
  }

  retry(reason) {
    this.setStatus('offline', reason);
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** this.attempt);
    this.attempt += 1;
    // full jitter over the upper half: after a restart, the clients of a node do not all come back at once
    const delay = ceiling / 2 + Math.random() * ceiling / 2;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  /** Reconnects now rather than at the end of the backoff (the user asked, or the browser came back online). */
  retryNow() {
    if (this.status === 'offline' && !this.stopped) {
      clearTimeout(this.retryTimer);
      this.connect();
    }
  }

  failPending(message) {
    for (const [, pending] of this.pending) pending.reject(Object.assign(new Error(message), {code: 'offline'}));
    this.pending.clear();
  }

  setStatus(status, reason) {
    this.status = status;
    this.emit('status', {status, reason});
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, {detail}));
  }
}
