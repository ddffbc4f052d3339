// Contacts, connection requests, blocks and who may message me: the actions the views call and the `contact`
// frames the socket brings, applied to the store's contact book. A refusal is thrown as an Error whose message
// says, in the person's words, what happened and what they can do; the views show it where the action was taken.

export const CONNECTION_REQUIRED = 'connection_required';

export class ContactActions {
  constructor(app) {
    this.app = app;
    this.api = app.api;
    this.store = app.store;
    this.book = app.store.contacts;
  }

  /** Contacts, requests both ways and blocks from REST: at start and after a `gap`. */
  async load() {
    const [contacts, incoming, outgoing, blocks] = await Promise.all([
      this.api.contacts(),
      this.api.contactRequests('incoming'),
      this.api.contactRequests('outgoing'),
      this.api.blocks(),
    ]);
    contacts.contacts.forEach(c => this.putProfile(c));
    this.book.setContacts(contacts.contacts);
    this.book.setRequests('incoming', incoming.requests);
    this.book.setRequests('outgoing', outgoing.requests);
    this.book.setBlocks(blocks.blocks);
    await this.app.ensureUsers([
      ...incoming.requests.map(r => r.fromUserId),
      ...outgoing.requests.map(r => r.toUserId),
      ...blocks.blocks.map(b => b.userId),
    ]);
  }

  /**
   * A `contact` frame, to both people concerned: a request made (pending), answered (accepted, with the other as
   * my new contact; or declined), or a contact removed (by either, or ended by a block); to me alone, a block I
   * placed or lifted (from any of my devices). The request's state says
   * whether it is still waiting, whatever the event, so a repeat or a late replay settles the same way.
   */
  apply({event, request, contact}) {
    if (event === 'blocked' || event === 'unblocked') {
      // a block placed or lifted on another of my devices (only the blocker is told)
      if (event === 'blocked') {
        this.putProfile(contact);
        this.book.putBlock({userId: contact.userId, since: contact.since});
      } else {
        this.book.dropBlock(contact.userId);
      }
      return;
    }
    if (request) {
      this.book.putRequest(request);
      this.app.ensureUsers([request.fromUserId, request.toUserId]);
    }
    if (contact) {
      if (event === 'removed') {
        this.book.dropContact(contact.userId);
      } else {
        this.putProfile(contact);
        this.book.putContact(contact);
      }
    } else if (event === 'accepted') {
      this.reloadContacts(); // an accepted request without its contact: the list is read again
    }
  }

  /** Sends `user` a request. Resolves to 'sent', or 'connected' when they had already asked me (both are contacts). */
  async request(user, message) {
    let answer;
    try {
      answer = await this.api.sendContactRequest(user.userId, message?.trim() || undefined);
    } catch (e) {
      throw this.refused(e, this.requestRefusal(e, user.userId));
    }
    this.book.putRequest(answer.request);
    if (answer.request.state === 'accepted') {
      await this.reloadContacts();
      return 'connected';
    }
    return 'sent';
  }

  async accept(request) {
    let answer;
    try {
      answer = await this.api.acceptContactRequest(request.requestId);
    } catch (e) {
      throw this.refused(e, this.answerRefusal(e, request));
    }
    this.putProfile(answer.contact);
    this.book.putContact(answer.contact);
    this.book.dropRequest(request.requestId);
  }

  async decline(request) {
    try {
      await this.api.declineContactRequest(request.requestId);
    } catch (e) {
      throw this.refused(e, this.answerRefusal(e, request));
    }
    this.book.dropRequest(request.requestId);
  }

  /** Ends the contact for both: the other's devices are told by a `contact` frame. */
  async remove(userId) {
    try {
      await this.api.removeContact(userId);
    } catch (e) {
      if (e.status === 404) {
        this.book.dropContact(userId);
        throw this.refused(e, `${this.store.name(userId)} is no longer your contact.`);
      }
      throw this.refused(e);
    }
    this.book.dropContact(userId);
  }

  async block(userId) {
    try {
      await this.api.block(userId);
    } catch (e) {
      throw this.refused(e);
    }
    this.book.putBlock({userId, since: new Date().toISOString()});
  }

  async unblock(userId) {
    try {
      await this.api.unblock(userId);
    } catch (e) {
      throw this.refused(e);
    }
    this.book.dropBlock(userId);
  }

  /** "everyone" or "contacts": who may start a direct conversation with me. */
  async setDmPolicy(dmPolicy) {
    let profile;
    try {
      profile = await this.api.updateMe({dmPolicy});
    } catch (e) {
      throw this.refused(e);
    }
    this.store.putUser({...this.store.me, dmPolicy, ...profile});
  }

  // --- words for refusals

  requestRefusal(e, userId) {
    const name = this.store.name(userId);
    if (e.status === 404) {
      // unknown, or they blocked me: the server gives both the same answer, and so does the client
      return `${name} can't receive contact requests from you.`;
    }
    if (e.status === 409 && e.reason === 'blocked') return `You blocked ${name}. Unblock them first to send a request.`;
    if (e.status === 409) {
      if (this.book.isContact(userId)) return `${name} is already your contact.`;
      return `You already sent ${name} a request; it is waiting for their answer.`;
    }
    return undefined;
  }

  answerRefusal(e, request) {
    if (e.status !== 404) return undefined;
    this.book.dropRequest(request.requestId); // withdrawn by a block, or answered on another device
    return `The request from ${this.store.name(request.fromUserId)} is no longer waiting for an answer.`;
  }

  refused(e, words) {
    if (e.code === 'rate_limited') {
      words = `Too many requests in a short time. Try again ${e.retryAfter ? `in ${e.retryAfter} s` : 'in a moment'}.`;
    }
    return Object.assign(new Error(words ?? e.message), {status: e.status, code: e.code, reason: e.reason});
  }

  async reloadContacts() {
    try {
      const {contacts} = await this.api.contacts();
      contacts.forEach(c => this.putProfile(c));
      this.book.setContacts(contacts);
    } catch {
      // the next `contact` frame or reload brings it; the list is a view of the server's, not the only copy
    }
  }

  putProfile({userId, username, displayName}) {
    if (!this.store.users.has(userId) || displayName || username) this.store.putUser({userId, username, displayName});
  }
}
