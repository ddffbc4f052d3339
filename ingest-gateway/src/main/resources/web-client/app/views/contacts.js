import {CONNECTION_REQUIRED} from '../contacts.js';
import {field, h, replace, shortTime} from '../dom.js';
import {dialog, userSearch, who} from './dialogs.js';

// The contacts dialog: requests waiting for my answer (accept, decline), a search to send someone a request with
// an optional message, my requests still waiting, my contacts (chat, remove, block) and the people I blocked
// (unblock). The lists are drawn from the store and redrawn on every change while the dialog is open, so a
// request, an answer or a removal made elsewhere (a `contact` frame) shows without reopening it. The search and
// the message being typed are not redrawn: they are the person's own input.

const DRAWN_FROM = new Set(['contacts', 'users', 'presence']); // the store's changes the lists depend on

export function contactsDialog(app, onOpen) {
  const {store} = app;
  const book = store.contacts;
  const error = h('p', {class: 'form-error', role: 'alert'});
  const done = h('p', {class: 'done', role: 'status'});
  const incoming = h('ul', {class: 'people', 'aria-label': 'Contact requests'});
  const outgoing = h('ul', {class: 'people', 'aria-label': 'Sent requests'});
  const contacts = h('ul', {class: 'people', 'aria-label': 'Contacts'});
  const blocked = h('ul', {class: 'people', 'aria-label': 'Blocked people'});

  /** Runs a contact action; its refusal, worded by ContactActions, is shown here rather than behind the dialog. */
  const run = (action, success) => async () => {
    error.textContent = '';
    done.textContent = '';
    try {
      await action();
      if (success) done.textContent = success;
    } catch (e) {
      error.textContent = e.message;
    }
  };
  const button = (text, label, onclick, extra = '') =>
    h('button', {type: 'button', class: `small ${extra}`.trim(), 'aria-label': label, onclick}, text);

  const note = field('Message with your request (optional)', {maxlength: '500', autocomplete: 'off'});
  const search = userSearch(app, 'Find a person to add', user => {
    const name = who(user);
    if (book.isContact(user.userId)) return h('span', {}, `${name} is a contact`);
    if (book.hasBlocked(user.userId)) return h('span', {}, `You blocked ${name}`);
    const pending = book.pendingWith(user.userId);
    if (pending?.fromUserId === store.me.userId) return h('span', {}, `Request sent to ${name}`);
    if (pending) return h('span', {}, `${name} asked you: see the requests above`);
    return h('button', {type: 'button', onclick: run(async () => {
      const result = await app.contacts.request(user, note.input.value);
      note.input.value = '';
      search.clear();
      done.textContent = result === 'connected'
          ? `${name} had already asked you: you are contacts now.` : `Request sent to ${name}.`;
    })}, `Send request to ${name}`);
  });

  function draw() {
    const name = userId => store.name(userId);
    const requests = book.requestsOf('incoming');
    replace(incoming, requests.length === 0 ? h('li', {class: 'empty'}, 'No requests waiting for you.')
        : requests.map(r => h('li', {},
            h('div', {class: 'who'},
                h('span', {class: 'name'}, name(r.fromUserId)),
                h('time', {datetime: r.ts ?? false}, shortTime(r.ts)),
                r.message ? h('p', {class: 'request-message'}, r.message) : null),
            h('div', {class: 'actions'},
                button('Accept', `Accept the request from ${name(r.fromUserId)}`,
                    run(() => app.contacts.accept(r), `${name(r.fromUserId)} is now your contact.`), 'primary'),
                button('Decline', `Decline the request from ${name(r.fromUserId)}`,
                    run(() => app.contacts.decline(r), `Request from ${name(r.fromUserId)} declined.`))))));

    const sent = book.requestsOf('outgoing');
    replace(outgoing, sent.length === 0 ? h('li', {class: 'empty'}, 'None waiting.')
        : sent.map(r => h('li', {},
            h('div', {class: 'who'},
                h('span', {class: 'name'}, name(r.toUserId)),
                h('span', {class: 'hint'}, 'waiting for an answer'),
                r.message ? h('p', {class: 'request-message'}, r.message) : null))));

    const people = [...book.contacts.values()].sort((a, b) => name(a.userId).localeCompare(name(b.userId)));
    replace(contacts, people.length === 0 ? h('li', {class: 'empty'}, 'No contacts yet: send someone a request.')
        : people.map(c => h('li', {'data-user-id': c.userId},
            h('div', {class: 'who'},
                h('span', {class: 'name'}, name(c.userId)),
                store.presence.get(c.userId)?.online ? h('span', {class: 'hint'}, 'online') : null),
            h('div', {class: 'actions'},
                button('Message', `Message ${name(c.userId)}`, run(() => chat(c.userId))),
                button('Remove', `Remove ${name(c.userId)} from your contacts`,
                    run(() => app.contacts.remove(c.userId), `${name(c.userId)} is no longer your contact.`)),
                button('Block', `Block ${name(c.userId)}`,
                    run(() => app.contacts.block(c.userId), `You blocked ${name(c.userId)}.`), 'danger')))));

    const blocks = [...book.blocks.values()].sort((a, b) => name(a.userId).localeCompare(name(b.userId)));
    replace(blocked, blocks.length === 0 ? h('li', {class: 'empty'}, 'Nobody.')
        : blocks.map(b => h('li', {},
            h('div', {class: 'who'}, h('span', {class: 'name'}, name(b.userId))),
            h('div', {class: 'actions'},
                button('Unblock', `Unblock ${name(b.userId)}`,
                    run(() => app.contacts.unblock(b.userId), `${name(b.userId)} is unblocked.`))))));
  }

  async function chat(userId) {
    try {
      const id = await app.startDirect(userId);
      element.close();
      onOpen(id);
    } catch (e) {
      // a contact whose chat is refused: a block on their side (the server answers it as connection_required)
      throw e.reason === CONNECTION_REQUIRED ? new Error(`You can't start a chat with ${store.name(userId)}.`) : e;
    }
  }

  let pending = null;
  const redraw = e => {
    // only what the lists show: a redraw moves the focus off a button, so typing and messages do not cause one
    if (!DRAWN_FROM.has(e.detail) || pending) return;
    pending = setTimeout(() => { pending = null; draw(); }, 0); // once for a burst of changes
  };
  store.addEventListener('change', redraw);
  draw();
  const element = dialog('Contacts', error, done,
      h('h3', {}, 'Requests'), incoming,
      h('h3', {}, 'Add a contact'), note.element, search.element,
      h('h3', {}, 'Sent requests'), outgoing,
      h('h3', {}, 'Your contacts'), contacts,
      h('h3', {}, 'Blocked'), blocked);
  element.addEventListener('close', () => {
    store.removeEventListener('change', redraw);
    clearTimeout(pending);
  });
  return element;
}
