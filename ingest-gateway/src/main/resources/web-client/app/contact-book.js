// What the client knows of the signed-in user's connections: contacts, pending requests (both ways) and the people
// they blocked. Like the rest of the store, every merge is idempotent: the same fact comes from a REST answer and
// from a `contact` frame, or twice from the socket after a reconnect, and must leave one entry.

export class ContactBook {
  constructor(myUserId, changed) {
    this.me = myUserId;
    this.changed = changed; // tells the store's listeners: the views redraw
    this.contacts = new Map(); // userId -> {userId, username, displayName, since}
    this.requests = new Map(); // requestId -> {requestId, fromUserId, toUserId, message?, state, ts}, pending ones
    this.blocks = new Map(); // userId -> {userId, since}: the people I blocked (who blocked me is never told)
    this.decided = new Set(); // requestIds seen accepted or declined in this tab: never pending again
  }

  // --- contacts

  setContacts(list) {
    this.contacts = new Map(list.map(c => [c.userId, c]));
    this.changed();
  }

  putContact(contact) {
    this.contacts.set(contact.userId, contact);
    this.dropRequestsWith(contact.userId, false); // whatever was asked between the two is answered now
    this.changed();
  }

  dropContact(userId) {
    if (this.contacts.delete(userId)) this.changed();
  }

  isContact(userId) {
    return this.contacts.has(userId);
  }

  // --- requests

  /** The pending requests of one direction, as GET /v1/contacts/requests lists them: they replace that direction's. */
  setRequests(direction, list) {
    for (const request of this.requestsOf(direction)) this.requests.delete(request.requestId);
    for (const request of list) this.requests.set(request.requestId, request);
    this.changed();
  }

  /** A request as a frame or an answer shows it: kept while pending, dropped once accepted or declined. */
  putRequest(request) {
    if (request.state === 'pending') {
      // a request is decided once for good: a late copy of its "pending" event (the outbox relay's, after the
      // answer) must not bring it back
      if (this.decided.has(request.requestId)) return;
      this.requests.set(request.requestId, request);
    } else {
      this.decided.add(request.requestId);
      this.requests.delete(request.requestId);
    }
    this.changed();
  }

  dropRequest(requestId) {
    if (this.requests.delete(requestId)) this.changed();
  }

  dropRequestsWith(userId, notify = true) {
    let dropped = false;
    for (const request of [...this.requests.values()]) {
      if (request.fromUserId === userId || request.toUserId === userId) {
        this.requests.delete(request.requestId);
        dropped = true;
      }
    }
    if (dropped && notify) this.changed();
  }

  /** Pending requests to me (`incoming`) or from me (`outgoing`), oldest first. */
  requestsOf(direction) {
    const incoming = direction === 'incoming';
    return [...this.requests.values()]
        .filter(r => (r.toUserId === this.me) === incoming)
        .sort((a, b) => (a.ts ?? '').localeCompare(b.ts ?? ''));
  }

  /** My pending request to `userId`, or theirs to me, if any. */
  pendingWith(userId) {
    return [...this.requests.values()].find(r => r.fromUserId === userId || r.toUserId === userId);
  }

  // --- blocks

  setBlocks(list) {
    this.blocks = new Map(list.map(b => [b.userId, b]));
    this.changed();
  }

  putBlock(block) {
    this.blocks.set(block.userId, block);
    // the server ends the contact and the pending requests with a block (their frames follow): shown at once
    this.contacts.delete(block.userId);
    this.dropRequestsWith(block.userId, false);
    this.changed();
  }

  dropBlock(userId) {
    if (this.blocks.delete(userId)) this.changed();
  }

  hasBlocked(userId) {
    return this.blocks.has(userId);
  }
}
