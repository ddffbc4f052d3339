import {MessageActions} from './actions.js';
import {ApiError} from './api.js';
import {CONNECTION_REQUIRED, ContactActions} from './contacts.js';
import {E2ee} from './e2ee.js';
import {uuid} from './ids.js';
import {MediaCache} from './media.js';
import {PushError, PushNotifications} from './push.js';
import {UPDATE_SETTLE_MS} from './store.js';
import {refusal as uploadRefusal, Uploads} from './uploads.js';

// The signed-in client: what the views ask for (open, send, page back, create...) and what the socket tells
// (events, replays, gaps), applied to the store. Views render the store; they never talk to the API themselves.

const TYPING_REPEAT_MS = 3_000;
const TYPING_IDLE_MS = 4_000;
const STATS_EVERY_MS = 30_000;
const READ_DELAY_MS = 300;
const CONFLICT_RETRIES = 2; // an encrypted send refused because the devices changed: fetched again, sent again
const RECONCILE_DELAY_MS = 2_000; // a message whose state is uncertain is read again once the archive caught up
const AROUND = 25; // messages loaded before one jumped to (a search result, a quoted message)
const AROUND_PAGES = 20; // pages of 100 at most between it and what is held; beyond, a hole is left, filled later
const ANSWER_SWEEP_MS = 5_000; // answers being written that went quiet are let go (assistant.js)

export class ChatApp extends EventTarget {
  constructor({session, api, socket, store}) {
    super();
    this.session = session;
    this.api = api;
    this.socket = socket;
    this.store = store;
    this.contacts = new ContactActions(this);
    this.e2ee = new E2ee({api, userId: store.me.userId, deviceId: session.deviceId,
      changed: what => store.changed(what)});
    this.actions = new MessageActions(this);
    this.media = new MediaCache(api); // blob: URLs of what is shown (media.js)
    this.uploads = new Uploads(api, upload => this.uploadChanged(upload));
    this.push = new PushNotifications({api, userId: store.me.userId});
    store.addEventListener('settled', e => this.releaseUploads(e.detail)); // echoed or discarded
    this.reconciling = new Map(); // conversationId -> seqs to read again after RECONCILE_DELAY_MS
    this.openId = null;
    this.loadingOlder = new Set();
    this.typingSent = new Map(); // conversationId -> when "active" was last sent
    this.inFlight = null; // the id of the message sent and not yet answered
    this.pausedUntil = 0; // after a rate_limited answer
    this.rateBackoff = 0;
    socket.addEventListener('ready', () => {
      if (this.assistantProbe === 'network') this.probeAssistant(); // the server could not be reached at start
      this.publishKeys(); // after a failure on the way: the network is back
      this.e2ee.retryFailed();
      this.pump();
      this.actions.resume();
    });
    socket.addEventListener('synced', () => {
      this.markSeen(true);
      this.statsSoon(); // this socket counts from now on
    });
    socket.addEventListener('gap', () => this.reload());
    socket.addEventListener('event', e => this.apply(e.detail));
    socket.addEventListener('refused', e => this.problem(e.detail.message || e.detail.code));
  }

  async start() {
    this.publishKeys();
    this.restoreOutbox();
    this.actions.restore();
    // in the alerts, with a retry; the socket starts regardless
    await Promise.all([this.loadConversations().catch(() => {}), this.loadContacts(), this.probeAssistant()]);
    this.answerSweep = setInterval(() => this.store.answers.sweep() && this.store.changed('answers'), ANSWER_SWEEP_MS);
    this.socket.start();
    this.startPush();
    this.pollStats();
    this.statsTimer = setInterval(() => this.pollStats(), STATS_EVERY_MS);
    this.visibility = () => this.markSeen();
    document.addEventListener('visibilitychange', this.visibility);
  }

  stop() {
    clearInterval(this.statsTimer);
    clearInterval(this.answerSweep);
    clearTimeout(this.statsRefresh);
    document.removeEventListener('visibilitychange', this.visibility);
    this.socket.stop();
    this.dispatchEvent(new Event('stopped')); // the views let go of what they hold (a microphone recording)
    this.uploads.clear();
    this.media.clear();
    this.store.cache.close(); // the session ends: a REST answer still on its way must not store messages again
  }

  /** Shown in the app's alert region; `retry` adds a button that calls it. */
  problem(message, retry) {
    this.dispatchEvent(new CustomEvent('problem', {detail: {message, retry}}));
  }

  /**
   * Runs an API call for the views: a refusal is shown (with a retry when it may pass later) and rethrown. One the
   * calling view explains itself (`shownByCaller`) is only rethrown.
   */
  async attempt(what, call, shownByCaller = () => false) {
    try {
      return await call();
    } catch (e) {
      if (shownByCaller(e)) throw e;
      const retry = e.transient ? () => this.attempt(what, call, shownByCaller) : undefined;
      this.problem(`${what}: ${e.message}`, retry);
      throw e;
    }
  }

  /**
   * The notification worker, and my subscription handed to the server again if I turned notifications on here. A
   * failure is in the alerts; nothing here asks the browser's permission (only the account dialog's button does).
   */
  startPush() {
    this.push.start().catch(e => this.problem(e instanceof PushError ? e.message : `Notifications: ${e.message}`));
  }

  /**
   * This device's keys, made and published once: a refusal that will not pass by itself (this browser lost the
   * keys it published) is shown once; the network's is tried again with the next socket.
   */
  publishKeys() {
    if (!this.e2ee.available) return; // plain HTTP: encrypted conversations say so where they are shown
    this.e2ee.ready().catch(e => {
      if ((e instanceof ApiError && e.transient) || this.keysRefusalShown) return;
      this.keysRefusalShown = true;
      this.problem(`End-to-end encryption: ${e.message}`);
    });
  }

  /**
   * Whether the server has a model: `GET /v1/assistant` answers `{available: true}` with the assistant's name, or
   * `{available: false}` without one.
   * Anything but a 200 hides the assistant's features (no alert: a server without a model is no fault); a server
   * that could not be reached is asked again once the socket connects.
   */
  async probeAssistant() {
    try {
      const assistant = await this.api.assistant();
      this.store.setAssistant(assistant.available ? assistant : null);
      this.assistantProbe = 'answered';
    } catch (e) {
      this.store.setAssistant(null);
      this.assistantProbe = e.code === 'network' ? 'network' : 'answered';
    }
  }

  /** What a message says, for the views: see E2ee.read (a plain message is `plain`, its body as it is). */
  bodyOf(conversationId, message) {
    return this.e2ee.read(conversationId, message);
  }

  /** A direct conversation's safety number (see safety-number.js): {groups, devices}. */
  safetyNumber(conversationId) {
    return this.e2ee.safetyNumber(this.store.conversations.get(conversationId));
  }

  // --- loading

  async loadConversations() {
    const {conversations} = await this.attempt('Loading your conversations', () => this.api.conversations());
    this.store.setConversations(conversations);
    await this.ensureUsers(conversations.flatMap(c => c.members.map(m => m.userId)));
  }

  async loadConversation(conversationId) {
    try {
      const conversation = await this.api.conversation(conversationId);
      this.store.putConversation(conversation);
      await this.ensureUsers(conversation.members.map(m => m.userId));
    } catch (e) {
      if (e.status !== 404) this.problem(`Loading a conversation: ${e.message}`);
    }
  }

  /** Contacts, requests and blocks; a failure is in the alerts with a retry, and the rest of the client works on. */
  async loadContacts() {
    await this.attempt('Loading your contacts', () => this.contacts.load()).catch(() => {});
  }

  /** After a `gap`: what was missed is read again from REST, the lists first, then the open conversation. */
  async reload() {
    await Promise.all([this.loadConversations().catch(() => {}), this.loadContacts()]); // shown by attempt
    const open = this.openId;
    if (open) {
      this.store.reloadHistory(open);
      await this.open(open);
    }
  }

  async ensureUsers(userIds) {
    const missing = [...new Set(userIds)].filter(id => !this.store.users.has(id));
    await Promise.all(missing.map(id => this.api.user(id).then(u => this.store.putUser(u), () => {
      this.store.putUser({userId: id, username: null, displayName: 'Unknown user'}); // deleted, or not visible
    })));
  }

  /** Someone came or went: the online count is read again shortly (once for a burst of presence changes). */
  statsSoon() {
    if (this.statsRefresh) return;
    this.statsRefresh = setTimeout(() => {
      this.statsRefresh = null;
      this.pollStats();
    }, 1_000);
  }

  async pollStats() {
    try {
      this.store.online = await this.api.onlineStats();
      this.store.changed('stats');
    } catch {
      // the count is a nicety: the next poll tries again, and a lost connection is shown by the socket status
    }
  }

  // --- the open conversation

  async open(conversationId) {
    this.openId = conversationId;
    this.store.changed('open');
    this.loadPresence(conversationId);
    this.loadReceipts(conversationId);
    const history = this.store.history(conversationId);
    if (!history.loaded) {
      const {messages} = await this.attempt('Loading messages', () => this.api.messages(conversationId));
      history.loaded = true;
      this.addHistory(conversationId, messages);
      await this.ensureUsers(messages.map(m => m.senderId));
    }
    await this.fillHoles(conversationId);
    this.markSeen();
  }

  /** The members' delivered and read positions so far; receipt frames move them on from here. */
  loadReceipts(conversationId) {
    this.api.receipts(conversationId).then(({receipts}) => {
      for (const r of receipts) {
        this.store.receipt(conversationId, r.userId, 'delivered', r.deliveredSeq);
        this.store.receipt(conversationId, r.userId, 'read', r.readSeq);
      }
    }, () => {}); // without them the marks show "sent" until the next receipt: nothing is lost
  }

  /** Presence of the members, asked once on opening; presence frames keep it current from then on. */
  loadPresence(conversationId) {
    const conversation = this.store.conversations.get(conversationId);
    // the assistant has no presence to ask for: it is not a person who comes and goes
    const others = (conversation?.members ?? [])
        .filter(m => m.userId !== this.store.me.userId && !this.store.isAssistantUser(m.userId)).slice(0, 20);
    for (const {userId} of others) {
      // unknown presence (a 404 as the member just left) simply stays unknown
      this.api.presence(userId).then(p => this.store.setPresence(p.userId, p.online, p.lastSeen), () => {});
    }
  }

  close() {
    this.openId = null;
    this.store.changed('open');
  }

  /** Scrolling up: the page of messages before the oldest one held. False when there is none. */
  async loadOlder(conversationId) {
    const {messages} = this.store.timeline(conversationId);
    const oldest = messages[0]?.seq;
    if (!oldest || oldest <= 1 || this.loadingOlder.has(conversationId)) return false;
    this.loadingOlder.add(conversationId);
    try {
      const page = await this.attempt('Loading older messages', () => this.api.messages(conversationId, {before: oldest}));
      this.addHistory(conversationId, page.messages);
      await this.ensureUsers(page.messages.map(m => m.senderId));
      return page.messages.length > 0;
    } finally {
      this.loadingOlder.delete(conversationId);
    }
  }

  /**
   * Reads the messages missing between two held ones: a live message came past ones REST did not have yet (the
   * archive lags the socket by a moment). What is not archived yet is asked for again, a few times.
   */
  async fillHoles(conversationId, retries = 5) {
    for (let pages = 0; pages < 10; pages++) {
      const after = this.store.firstHole(conversationId);
      if (after === null) return;
      const {messages} = await this.api.messages(conversationId, {after, limit: 100});
      if (messages.length === 0) {
        if (retries > 0) setTimeout(() => this.fillHoles(conversationId, retries - 1).catch(() => {}), 1_000);
        return;
      }
      this.addHistory(conversationId, messages);
    }
  }

  /**
   * Makes `seq` one of the held messages, with the ones before it (a search result or a quoted message to be
   * shown): the range from a little before it up to the oldest held message is read forward, so the history stays
   * whole; one far older than what is held is read with its neighbours alone, and the hole is filled later.
   */
  async loadAround(conversationId, seq) {
    const held = this.store.timeline(conversationId).messages.map(m => m.seq);
    if (held.includes(seq)) return;
    const oldest = held[0];
    let after = Math.max(0, seq - AROUND - 1);
    for (let pages = 0; pages < AROUND_PAGES; pages++) {
      const before = oldest > seq ? oldest : undefined;
      const {messages} = await this.attempt('Loading messages', () => this.api.messages(conversationId,
          {after, before, limit: before === undefined ? 2 * AROUND : 100}));
      this.addHistory(conversationId, messages);
      await this.ensureUsers(messages.map(m => m.senderId));
      if (before === undefined || messages.length < 100) return;
      after = messages.at(-1).seq;
    }
  }

  /** History pages (the server's current state); messages with an update too recent for them are read again. */
  addHistory(conversationId, messages) {
    const uncertain = this.store.addMessages(conversationId, messages, true);
    if (uncertain.length > 0) this.reconcile(conversationId, uncertain);
  }

  /** Reads the messages `seqs` again one by one in a moment, when their held state may be off (see store.js). */
  reconcile(conversationId, seqs) {
    let due = this.reconciling.get(conversationId);
    if (!due) {
      this.reconciling.set(conversationId, due = new Set());
      setTimeout(() => this.reconcileNow(conversationId), RECONCILE_DELAY_MS);
    }
    seqs.forEach(seq => due.add(seq));
  }

  async reconcileNow(conversationId) {
    const seqs = [...(this.reconciling.get(conversationId) ?? [])];
    this.reconciling.delete(conversationId);
    for (const seq of seqs) {
      const askedAt = Date.now();
      try {
        const message = await this.api.message(conversationId, seq);
        if (!this.store.replaceMessage(message, askedAt)) this.reconcile(conversationId, [seq]); // updated again
      } catch (e) {
        // a 404: the conversation is gone for me; the network: tried again while the socket is up
        if (e instanceof ApiError && e.transient && this.socket.online) this.reconcile(conversationId, [seq]);
      }
    }
  }

  /**
   * A `message_update`: applied to the message held (and to the list's last message), and an action of mine
   * settled. A reaction from someone else may already be counted in a copy read from history while the socket
   * was away (it is replayed now) or just before it came: that message is read again in a moment.
   */
  updateArrived(update) {
    const held = this.store.applyUpdate(update);
    if (update.userId === this.store.me.userId) this.actions.settle(update);
    const history = this.store.history(update.conversationId);
    const doubtful = held && update.kind === 'reaction' && update.userId !== this.store.me.userId
        && (this.socket.status === 'syncing' || Date.now() - (history.readAt ?? 0) < UPDATE_SETTLE_MS);
    if (doubtful) this.reconcile(update.conversationId, [update.seq]);
  }

  /**
   * Tells the server the open conversation is read up to its newest message, when the page is in view: at most
   * one `read` frame per moment, however fast messages arrive, carrying the newest position.
   */
  markSeen(force = false) {
    const id = this.openId;
    if (!id || document.visibilityState !== 'visible') return;
    const newest = this.store.timeline(id).messages.at(-1)?.seq ?? 0;
    const moved = this.store.markRead(id, newest);
    if (!moved && !(force && this.store.conversations.get(id)?.readSeq > 0)) return;
    if (this.readTimer) return;
    this.readTimer = setTimeout(() => this.sendRead(id), READ_DELAY_MS);
  }

  /**
   * The `read` frame, now. Also sent at once, rather than after its moment, when the reader answers: the server
   * moves a sender's read position with their send without a receipt to the others, so a read frame arriving after
   * the send would move nothing and the messages just answered would never show as read.
   */
  sendRead(id) {
    clearTimeout(this.readTimer);
    this.readTimer = null;
    const conversation = this.store.conversations.get(id);
    if (conversation) this.socket.sendRaw({type: 'read', conversationId: id, seq: conversation.readSeq});
  }

  // --- sending

  /**
   * `replyTo`: the seq of the message this one answers (shown quoted), if any. `uploads`: files chosen in the
   * composer (uploads.js), done or still going up: the message waits in the outbox until they are done, and is
   * marked "Not sent" with the file's refusal when one fails, to be tried again.
   */
  send(conversationId, body, replyTo, uploads = []) {
    if (conversationId === this.openId) {
      this.markSeen(); // what is on screen is read before it is answered (see sendRead)
      if (this.readTimer) this.sendRead(conversationId);
    }
    const id = uuid();
    const encrypted = Boolean(this.store.conversations.get(conversationId)?.encrypted);
    const attachments = uploads.map(u => ({localId: u.localId, name: u.name, contentType: u.contentType, size: u.size,
      ...(u.durationMs ? {durationMs: u.durationMs} : {})}));
    this.store.queue(conversationId, id, body, {encrypted, replyTo, attachments});
    uploads.filter(u => u.state === 'done').forEach(u => this.store.uploaded(u.localId, u.media));
    if (encrypted) {
      // what the tab's storage keeps of it until the echo (without it, a reload before the echo loses the text)
      this.e2ee.sealForSelf(conversationId, id, body).then(sealed => this.store.setSealed(id, sealed), () => {});
    }
    this.stopTyping(conversationId);
    this.pump();
  }

  /**
   * After a reload, the outbox's encrypted messages are opened again from their sealed copies; until one is, the
   * sending waits for it (the order is kept). One that cannot be opened is marked, with Discard only.
   */
  restoreOutbox() {
    for (const entry of this.store.outbox) {
      if (!entry.encrypted || entry.body !== undefined) continue;
      const lost = () => {
        this.store.setOutboxState(entry.id, 'failed', 'its text could not be recovered after the reload');
        this.pump();
      };
      if (!entry.sealed) {
        lost();
        continue;
      }
      this.e2ee.openOwn(entry.conversationId, entry.id, entry.sealed).then(body => {
        this.store.setOutboxBody(entry.id, body);
        this.pump();
      }, lost);
    }
  }

  /** Again with the same id: however often it reaches the server, the message is kept once. */
  retry(id) {
    const entry = this.store.outboxEntry(id);
    if (!entry || !this.canRetry(entry)) return; // its text (an encrypted one's, after a reload) or its files were lost
    entry.conflicts = 0;
    // a file that failed to go up is tried again first; the message follows once every file is up
    for (const attachment of entry.attachments ?? []) {
      if (!attachment.mediaId) this.uploads.retry(attachment.localId);
    }
    this.store.setOutboxState(id, 'pending');
    this.pump();
  }

  /** Whether Retry can send it: its text is here, and each of its files is up or still in memory to go up. */
  canRetry(entry) {
    return entry.body !== undefined
        && (entry.attachments ?? []).every(a => a.mediaId || this.uploads.get(a.localId));
  }

  discard(id) {
    this.store.settleOutbox(id);
  }

  /** An outbox entry echoed or discarded: the files it named are no longer needed in memory. */
  releaseUploads(entry) {
    (entry.attachments ?? []).forEach(a => this.uploads.release(a.localId));
  }

  /** An upload moved on: the outbox learns its media once done, and the message waiting for it may go. */
  uploadChanged(upload, progressOnly = false) {
    if (progressOnly) { // shown in place (shell.js): a redraw of every list per progress event would be waste
      this.dispatchEvent(new CustomEvent('uploadprogress', {detail: upload}));
      return;
    }
    if (upload.state === 'done') this.store.uploaded(upload.localId, upload.media);
    this.store.changed('uploads');
    if (upload.state !== 'uploading') this.pump();
  }

  /**
   * Where the files of an outbox entry are: "ready" (all up, or none), "uploading", or "failed" with the reason
   * (the entry's refusal).
   */
  filesOf(entry) {
    let state = 'ready';
    for (const attachment of entry.attachments ?? []) {
      if (attachment.mediaId) continue;
      const upload = this.uploads.get(attachment.localId);
      if (!upload) return {state: 'failed', error: 'its files were lost: attach them again'};
      if (upload.state === 'failed') return {state: 'failed', error: `${upload.name}: ${upload.error}`};
      state = 'uploading';
    }
    return {state};
  }

  /**
   * Sends the oldest pending message, one at a time: the sender's order survives a refusal, a rate limit or a
   * dropped socket, and a burst (an outbox flushed after a reconnect) never outruns the server's frame limit.
   */
  pump() {
    if (this.inFlight || Date.now() < this.pausedUntil || !this.socket.online) return;
    const entry = this.store.outbox.find(e => e.state === 'pending');
    if (!entry || entry.body === undefined) return; // an encrypted one being opened after a reload: pumped then
    const files = this.filesOf(entry);
    if (files.state === 'uploading') return; // pumped again as its uploads finish; the ones after it wait (order)
    if (files.state === 'failed') {
      this.store.setOutboxState(entry.id, 'failed', files.error);
      this.pump();
      return;
    }
    this.inFlight = entry.id;
    this.sendFrame(entry)
        .then(frame => this.socket.request(frame))
        .then(() => {
          this.rateBackoff = 0;
          this.store.setOutboxState(entry.id, 'sent'); // durably logged; its echo brings the seq
        }, e => this.sendRefused(entry, e))
        .finally(() => {
          this.inFlight = null;
          this.pump();
        });
  }

  /** The `send` frame: the body, or in an encrypted conversation an envelope for every device of its members. */
  async sendFrame(entry) {
    const frame = {type: 'send', id: entry.id, conversationId: entry.conversationId,
      ...(entry.replyTo ? {replyTo: entry.replyTo} : {}),
      ...(entry.attachments?.length ? {attachments: entry.attachments.map(a => ({mediaId: a.mediaId,
        ...(a.name ? {name: a.name} : {}), ...(a.durationMs ? {durationMs: a.durationMs} : {})}))} : {})};
    if (!entry.encrypted) return {...frame, body: entry.body};
    const conversation = this.store.conversations.get(entry.conversationId);
    try {
      if (!conversation) throw new Error('the conversation is not loaded');
      return {...frame, ciphertext: await this.e2ee.encrypt(conversation, entry.id, entry.body)};
    } catch (e) {
      if (e instanceof ApiError) throw e; // fetching keys: a transient failure is tried again
      throw Object.assign(new Error(`Could not encrypt: ${e.message}`), {code: 'encryption'});
    }
  }

  /** Resolves once the entry is ready to be pumped again, or marked failed. */
  async sendRefused(entry, e) {
    if (e.code === 'offline') return; // sent again once the socket is back ('ready')
    if (e.code === 'rate_limited' || (e instanceof ApiError && e.transient)) {
      this.rateBackoff = Math.min(8_000, (this.rateBackoff || 250) * 2);
      this.pausedUntil = Date.now() + this.rateBackoff;
      setTimeout(() => this.pump(), this.rateBackoff);
      return;
    }
    if (e.code === 'conflict' && entry.encrypted && (entry.conflicts ?? 0) < CONFLICT_RETRIES) {
      // devices came or went (or members): fetched again, then the same id encrypted anew
      entry.conflicts = (entry.conflicts ?? 0) + 1;
      this.e2ee.devicesChanged(this.store.conversations.get(entry.conversationId), e);
      await this.loadConversation(entry.conversationId);
      return;
    }
    this.store.setOutboxState(entry.id, 'failed', this.sendRefusal(entry.id, e));
  }

  /**
   * Why a send was refused, in words. `forbidden` in a direct conversation is a block, either way: the server does
   * not say who blocked whom, and the person blocked is not told they were, so neither is the wording.
   */
  sendRefusal(id, {code, message}) {
    const conversation = this.store.conversations.get(this.store.outboxEntry(id)?.conversationId);
    if (code === 'forbidden' && conversation?.type === 'direct') return "You can't message this person";
    if (code === 'conflict' && conversation?.encrypted) return "the members' devices kept changing while it was sent";
    return message || code;
  }

  typing(conversationId) {
    if (this.store.isAssistantConversation(this.store.conversations.get(conversationId))) return; // nobody to tell
    const now = Date.now();
    if (now - (this.typingSent.get(conversationId) ?? 0) > TYPING_REPEAT_MS) {
      this.typingSent.set(conversationId, now);
      this.socket.sendRaw({type: 'typing', conversationId, active: true});
    }
    clearTimeout(this.typingIdle);
    this.typingIdle = setTimeout(() => this.stopTyping(conversationId), TYPING_IDLE_MS);
  }

  stopTyping(conversationId) {
    clearTimeout(this.typingIdle);
    if (this.typingSent.delete(conversationId)) {
      this.socket.sendRaw({type: 'typing', conversationId, active: false});
    }
  }

  // --- events from the socket

  apply(frame) {
    switch (frame.type) {
      case 'message': {
        const {userSeq, type, ...message} = frame;
        if (!this.store.conversations.has(message.conversationId)) this.loadConversation(message.conversationId);
        this.store.messageArrived(message);
        this.ensureUsers([message.senderId]);
        this.store.setTyping(message.conversationId, message.senderId, false);
        if (message.conversationId === this.openId) {
          this.fillHoles(message.conversationId).catch(() => {});
          this.markSeen();
        }
        break;
      }
      case 'message_update': // an edit, delete or reaction: never unread, never moves the conversation up
        this.updateArrived(frame);
        break;
      case 'receipt':
        this.store.receipt(frame.conversationId, frame.userId, frame.kind, frame.seq);
        break;
      case 'conversation':
        this.conversationChanged(frame);
        break;
      case 'error': // a send or an action refused after its ok: named by its id
        if (!this.actions.refusedLater(frame)) this.store.setOutboxState(frame.id, 'failed', this.sendRefusal(frame.id, frame));
        break;
      case 'contact':
        this.contacts.apply(frame);
        break;
      case 'settings': // muted, pinned or archived on another device (or this one: the same settings again)
        this.store.setSettings(frame.conversationId, frame.settings);
        break;
      case 'keys': // someone's devices or keys changed: fetched again when next needed
        this.e2ee.keysChanged(frame.userId);
        break;
      case 'typing':
        this.store.setTyping(frame.conversationId, frame.userId, frame.active);
        break;
      case 'presence':
        this.store.setPresence(frame.userId, frame.online, frame.lastSeen);
        this.statsSoon();
        break;
      case 'assistant_stream': // part of an answer being written: shown until its message comes (assistant.js)
        this.store.answerStreamed(frame);
        break;
      default:
        break; // a frame type added later: a v1 client carries on without it
    }
  }

  conversationChanged({event, conversation}) {
    const stillMember = conversation.members.some(m => m.userId === this.store.me.userId);
    if (!stillMember) {
      this.store.removeConversation(conversation.conversationId);
      if (this.openId === conversation.conversationId) this.close();
      return;
    }
    this.adopt(conversation);
    this.ensureUsers(conversation.members.map(m => m.userId));
    // a member who joined starts with everything before their joining read: the marks are read again
    if (event === 'member_added' && conversation.conversationId === this.openId) this.loadReceipts(this.openId);
  }

  // --- conversations and account

  /**
   * Refused with `connection_required` when they take messages from contacts only (or a block): the view asks.
   * A pair has at most one plain and one end-to-end encrypted direct conversation: the existing one of the kind
   * asked for opens, or is made.
   */
  async startDirect(userId, encrypted = false) {
    const conversation = await this.attempt('Starting the chat', () => this.api.createDirect(userId, encrypted),
        e => e.reason === CONNECTION_REQUIRED);
    this.adopt(conversation);
    return conversation.conversationId;
  }

  async createGroup(title, memberIds, encrypted = false) {
    const conversation = await this.attempt('Creating the group', () => this.api.createGroup(title, memberIds, encrypted)
        .catch(e => { throw groupRefusal(e, 'Someone you chose'); }));
    this.adopt(conversation);
    return conversation.conversationId;
  }

  /** A new conversation with the assistant; a server that lost its model (503) no longer offers one. */
  async startAssistantChat() {
    try {
      const conversation = await this.attempt('Starting an assistant chat', () => this.api.createAssistantConversation());
      this.adopt(conversation);
      return conversation.conversationId;
    } catch (e) {
      if (e.status === 503) this.store.setAssistant(null);
      throw e;
    }
  }

  /**
   * Asks the assistant to stop the answer to question `replyTo`: what it wrote so far becomes the answer. The Stop
   * button says "Stopping…" until the stream ends; a refusal (or no connection) is in the alerts and the button back.
   */
  async stopAnswer(conversationId, replyTo) {
    const key = `${conversationId}:${replyTo}`;
    this.store.setStopping(key, true);
    try {
      await this.socket.request({type: 'assistant_stop', conversationId, replyTo});
    } catch (e) {
      this.store.setStopping(key, false);
      this.problem(`Stopping the answer: ${e.message || e.code}`);
    }
  }

  /** A conversation created or changed now; a new one goes to the top of the list. */
  adopt(conversation) {
    const known = this.store.conversations.has(conversation.conversationId);
    this.store.putConversation(conversation, known ? 0 : Date.now());
  }

  /** Changes some of my settings of a conversation (`{muted?, mutedUntil?, pinned?, archived?}`). */
  async changeSettings(conversationId, changes) {
    const settings = await this.attempt('Changing the conversation', () => this.api.putSettings(conversationId, changes));
    this.store.setSettings(conversationId, settings);
  }

  /** Muted for `durationMs`, or with null until I unmute it. */
  mute(conversationId, durationMs) {
    return this.changeSettings(conversationId, durationMs === null ? {muted: true}
        : {muted: true, mutedUntil: new Date(Date.now() + durationMs).toISOString()});
  }

  unmute(conversationId) {
    return this.changeSettings(conversationId, {muted: false});
  }

  pin(conversationId, pinned) {
    return this.changeSettings(conversationId, {pinned});
  }

  archive(conversationId, archived) {
    return this.changeSettings(conversationId, {archived});
  }

  async rename(conversationId, title) {
    this.adopt(await this.attempt('Renaming', () => this.api.rename(conversationId, title)));
  }

  async addMember(conversationId, userId) {
    await this.attempt('Adding a member', () => this.api.addMember(conversationId, userId)
        .catch(e => { throw groupRefusal(e, this.store.name(userId)); }));
    await this.loadConversation(conversationId);
  }

  async removeMember(conversationId, userId) {
    await this.attempt('Removing a member', () => this.api.removeMember(conversationId, userId));
    await this.loadConversation(conversationId);
  }

  async leave(conversationId) {
    await this.attempt('Leaving', () => this.api.removeMember(conversationId, this.store.me.userId));
    this.store.removeConversation(conversationId);
    if (this.openId === conversationId) this.close();
  }

  /**
   * Messages matching `query` over my conversations (not the encrypted ones: the server cannot read them), newest
   * first; `before` is the `next` of the page before. The senders are looked up for their names.
   */
  async searchMessages(query, before) {
    const page = await this.api.searchMessages(query, {before});
    await this.ensureUsers(page.results.map(r => r.message.senderId));
    return page;
  }

  async search(query) {
    const {users} = await this.api.searchUsers(query);
    users.forEach(u => this.store.users.has(u.userId) || this.store.users.set(u.userId, u));
    return users.filter(u => u.userId !== this.store.me.userId);
  }

  async updateProfile(changes) {
    this.store.putUser(await this.attempt('Saving your profile', () => this.api.updateMe(changes)));
  }

  /**
   * Uploads `file` and makes it my avatar; `null` removes it. Rejects with the refusal in words (the caller shows
   * it next to the control). `onProgress(fraction)` follows the upload.
   */
  async setAvatar(file, onProgress) {
    const mediaId = file ? (await this.uploadImage(file, onProgress)).mediaId : null;
    this.store.putUser(await this.api.setAvatar(mediaId));
  }

  /** As setAvatar, for a group I own or administer. */
  async setGroupAvatar(conversationId, file, onProgress) {
    const mediaId = file ? (await this.uploadImage(file, onProgress)).mediaId : null;
    this.adopt(await this.api.setGroupAvatar(conversationId, mediaId));
  }

  async uploadImage(file, onProgress) {
    if (!file.type.startsWith('image/')) throw new Error('Choose an image (a photo, PNG, GIF or WebP).');
    try {
      return await this.api.upload(file, {name: file.name, contentType: file.type, onProgress});
    } catch (e) {
      throw new Error(uploadRefusal(e));
    }
  }

  async changePassword(current, next) {
    await this.api.changePassword(current, next);
  }

  /** The socket is stopped first: the server closes it with 4003 as it removes the device, which is no surprise. */
  async logout() {
    this.stop();
    try {
      await this.push.forget(); // while the device still exists: its subscription goes with it
      await this.api.logout();
    } finally {
      // the device is gone (or, if the server did not answer, this browser gives it up): so are its private keys
      await this.e2ee.forget().catch(() => {});
      this.session.end('You have logged out.');
    }
  }
}

/** A block between the two, either way, keeps someone out of a group's members: said without saying who blocked. */
function groupRefusal(e, who) {
  if (e.reason !== CONNECTION_REQUIRED) return e;
  e.message = `${who} can't be added to a group with you.`;
  return e;
}
