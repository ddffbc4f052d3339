import {CONNECTION_REQUIRED} from '../contacts.js';
import {actionForm, field, h, replace} from '../dom.js';
import {avatar} from './attachments.js';

// Modal dialogs (<dialog>: focus is kept inside, Escape closes): new chat, new group, a conversation's details
// (with the safety number of an encrypted direct chat) and the account (the contacts have their own module,
// contacts.js). Each is built when opened and removed when closed.

/** A click handler for an app action: its refusal is already shown in the app's alerts, so it is not rethrown. */
const act = action => () => action().catch(() => {});

export function dialog(title, ...content) {
  const element = h('dialog', {'aria-labelledby': 'dialog-title'},
      h('div', {class: 'dialog-head'},
          h('h2', {id: 'dialog-title'}, title),
          h('button', {type: 'button', class: 'link', onclick: () => element.close()}, 'Close')),
      content);
  element.addEventListener('close', () => element.remove());
  document.body.append(element);
  element.showModal();
  element.querySelector('input:not([type=checkbox]):not([type=radio]):not([type=file])')?.focus(); // to type in
  return element;
}

/** A search box over users: `render(users)` draws the results; searches a moment after typing stops. */
export function userSearch(app, label, render) {
  const search = field(label, {type: 'search', autocomplete: 'off'});
  const results = h('ul', {class: 'user-results', 'aria-label': 'People found', 'aria-live': 'polite'});
  let timer;
  search.input.addEventListener('input', () => {
    clearTimeout(timer);
    const query = search.input.value.trim();
    if (!query) {
      results.replaceChildren();
      return;
    }
    timer = setTimeout(async () => {
      try {
        const users = await app.search(query);
        if (search.input.value.trim() !== query) return; // typed on since
        replace(results, users.length ? users.map(u => h('li', {}, render(u)))
            : h('li', {class: 'empty'}, `Nobody found for “${query}”.`));
      } catch (e) {
        replace(results, h('li', {class: 'form-error', role: 'alert'}, e.message));
      }
    }, 250);
  });
  const clear = () => {
    search.input.value = '';
    results.replaceChildren();
  };
  return {element: h('div', {}, search.element, results), input: search.input, clear};
}

export function who(user) {
  return user.username && user.displayName && user.displayName !== user.username
      ? `${user.displayName} (@${user.username})` : user.displayName || user.username || user.userId;
}

/**
 * "End-to-end encrypted", for a new chat or group (fixed for its life). Unavailable where this browser cannot keep
 * keys (plain HTTP, no IndexedDB): then it says why.
 */
function encryptedChoice(app, id) {
  const input = h('input', {type: 'checkbox', id, disabled: !app.e2ee.available, 'aria-describedby': `${id}-hint`});
  const hint = h('p', {class: 'hint', id: `${id}-hint`}, app.e2ee.available
      ? 'Only the members’ devices can read the messages; the server cannot. This cannot be changed later.'
      : 'Not available here: encryption needs a secure connection (HTTPS).');
  return {element: h('div', {class: 'encrypted-choice'}, h('div', {class: 'choice'}, input,
      h('label', {for: id}, 'End-to-end encrypted')), hint), get checked() { return input.checked; }};
}

export function newChatDialog(app, onOpen) {
  const refusal = h('div', {class: 'connection-prompt'});
  const encrypted = encryptedChoice(app, 'new-chat-encrypted');
  const start = async user => {
    refusal.replaceChildren();
    try {
      const id = await app.startDirect(user.userId, encrypted.checked);
      element.close();
      onOpen(id);
    } catch (e) {
      if (e.reason === CONNECTION_REQUIRED) replace(refusal, connectionPrompt(app, user, () => start(user)));
      // anything else is in the app's alerts
    }
  };
  const element = dialog('New chat', encrypted.element, userSearch(app, 'Find a person by name', user =>
      h('button', {type: 'button', onclick: () => start(user)}, `Chat with ${who(user)}`)).element, refusal);
}

/**
 * A direct chat refused with `connection_required`: they take messages from contacts only (or a block stands
 * between us, which the server answers the same way, and so does this). The way on is a contact request.
 */
function connectionPrompt(app, user, chat) {
  const name = user.displayName || user.username || app.store.name(user.userId);
  const note = field('Message with your request (optional)', {maxlength: '500', autocomplete: 'off'});
  const outcome = h('p', {role: 'status'});
  const form = actionForm('Contact request', [note], 'Send a contact request', async () => {
    const result = await app.contacts.request(user, note.input.value);
    form.hidden = true;
    if (result === 'connected') {
      replace(outcome, `${name} had already asked you: you are contacts now. `,
          h('button', {type: 'button', class: 'link', onclick: chat}, `Chat with ${name}`));
    } else {
      outcome.textContent = `Request sent. You can chat once ${name} accepts it.`;
    }
  });
  return [h('p', {class: 'refusal', role: 'alert'}, `${name} only accepts messages from contacts: send a contact request`),
    form, outcome];
}

export function newGroupDialog(app, onOpen) {
  const chosen = new Map();
  const chosenList = h('ul', {class: 'chosen', 'aria-label': 'Members to add'});
  const title = field('Group name', {maxlength: '100', required: true});
  const encrypted = encryptedChoice(app, 'new-group-encrypted');
  function drawChosen() {
    replace(chosenList, [...chosen.values()].map(u => h('li', {}, who(u), ' ',
        h('button', {type: 'button', class: 'link', onclick: () => { chosen.delete(u.userId); drawChosen(); }},
            `Remove ${who(u)}`))));
  }
  const search = userSearch(app, 'Add people', user => h('button', {type: 'button', onclick: () => {
    chosen.set(user.userId, user);
    drawChosen();
  }}, `Add ${who(user)}`));
  const element = dialog('New group', actionForm('New group', [title, encrypted.element, search.element, chosenList],
      'Create group', async () => {
    const name = title.input.value.trim();
    if (!name) throw new Error('Give the group a name.');
    const id = await app.createGroup(name, [...chosen.keys()], encrypted.checked);
    element.close();
    onOpen(id);
  }));
}

export function detailsDialog(app, conversationId) {
  const {store} = app;
  const conversation = store.conversations.get(conversationId);
  if (!conversation) return;
  const manager = ['owner', 'admin'].includes(store.role(conversation));
  const group = conversation.type === 'group';
  const assistant = store.isAssistantConversation(conversation);
  const members = h('ul', {class: 'members', 'aria-label': 'Members'});
  function drawMembers() {
    const current = store.conversations.get(conversationId);
    if (!current) return;
    replace(members, current.members.map(m => h('li', {},
        h('span', {}, store.name(m.userId), m.userId === store.me.userId ? ' (you)' : '', ` · ${m.role}`,
            store.presence.get(m.userId)?.online ? ' · online' : ''),
        group && manager && m.userId !== store.me.userId
            ? h('button', {type: 'button', class: 'link', onclick: act(async () => {
              await app.removeMember(conversationId, m.userId);
              drawMembers();
            })}, `Remove ${store.name(m.userId)}`)
            : null)));
  }
  drawMembers();
  const sections = [h('h3', {}, 'Members'), members];
  if (group && manager) {
    sections.unshift(h('h3', {}, 'Group photo'), photoSection(app, {
      id: 'group-photo-input', choose: 'Choose a group photo', remove: 'Remove group photo',
      current: () => store.conversationAvatar(store.conversations.get(conversationId) ?? conversation),
      set: (file, onProgress) => app.setGroupAvatar(conversationId, file, onProgress),
    }));
    const title = field('Group name', {value: conversation.title ?? '', maxlength: '100'});
    sections.unshift(actionForm('Rename the group', [title], 'Rename', () => app.rename(conversationId, title.input.value.trim())));
    const isMember = user => store.conversations.get(conversationId)?.members.some(m => m.userId === user.userId);
    const search = userSearch(app, 'Add a member', user => isMember(user)
        ? h('span', {}, `${who(user)} is a member`)
        : h('button', {type: 'button', onclick: act(async () => {
          await app.addMember(conversationId, user.userId);
          search.clear();
          drawMembers();
        })}, `Add ${who(user)}`));
    sections.push(search.element);
  }
  if (assistant) { // renamed and left as elsewhere; never encrypted, and nobody else can be added (docs/api.md)
    const title = field('Chat name', {value: conversation.title ?? '', maxlength: '100'});
    sections.unshift(actionForm('Rename the chat', [title], 'Rename', () => {
      const name = title.input.value.trim();
      if (!name) throw new Error('Give the chat a name.');
      return app.rename(conversationId, name);
    }), h('p', {class: 'hint'}, `${store.assistantName()} is an AI model${store.assistant?.model
      ? ` (${store.assistant.model})` : ''}: it answers every message here from the recent ones, and can be wrong.`));
  }
  const other = store.otherMember(conversation);
  if (conversation.encrypted) sections.push(encryptionSection(app, conversation, other));
  if (other) sections.push(blockSection(app, other.userId));
  const element = dialog(group ? 'Group details' : assistant ? 'Assistant chat details' : 'Conversation details', sections,
      group || assistant ? h('button', {type: 'button', class: 'danger', onclick: act(async () => {
        await app.leave(conversationId);
        element.close();
      })}, group ? 'Leave group' : 'Leave this chat') : null);
}

/**
 * What the encryption of a conversation means, and for a direct one its safety number, worked out from the key
 * directory as the dialog opens: the two people compare it, and it changes when either one's devices change.
 */
function encryptionSection(app, conversation, other) {
  const about = h('p', {class: 'hint'}, 'Messages here are end-to-end encrypted: only the members’ devices can read '
      + 'them. The server sees who writes to whom and when, not what.');
  if (!other) return [h('h3', {}, 'End-to-end encrypted'), about];
  const name = app.store.name(other.userId);
  const number = h('p', {class: 'safety-number', 'aria-live': 'polite'},
      'Working out the safety number…');
  const devices = h('p', {class: 'hint'});
  app.safetyNumber(conversation.conversationId).then(({groups, devices: counts}) => {
    number.textContent = groups.join(' ');
    devices.textContent = counts.map(c => `${c.userId === app.store.me.userId ? 'You' : app.store.name(c.userId)}: `
        + `${c.count} ${c.count === 1 ? 'device' : 'devices'}`).join(' · ');
  }, e => {
    number.textContent = `The safety number cannot be worked out now: ${e.message}`;
    number.classList.add('form-error');
  });
  return [h('h3', {}, 'End-to-end encrypted'), about,
    h('h3', {}, 'Safety number'), number, devices,
    h('p', {class: 'hint'}, `Compare this number with the one ${name} sees, in person or on a call you trust. If `
        + 'they are the same, your messages reach only your and their devices. It changes when either of you adds '
        + 'or removes a device: compare it again then.')];
}

/** Block or unblock the other person of a direct conversation; the button says which, and is redrawn after. */
function blockSection(app, userId) {
  const {store} = app;
  const section = h('div', {class: 'block-section'});
  const error = h('p', {class: 'form-error', role: 'alert'});
  function draw() {
    const name = store.name(userId);
    const blocked = store.contacts.hasBlocked(userId);
    replace(section, h('button', {type: 'button', class: blocked ? '' : 'danger', onclick: async () => {
      error.textContent = '';
      try {
        await (blocked ? app.contacts.unblock(userId) : app.contacts.block(userId));
      } catch (e) {
        error.textContent = e.message;
      }
      draw();
    }}, blocked ? `Unblock ${name}` : `Block ${name}`), error,
    h('p', {class: 'hint'}, blocked
        ? `${name} can't message you, send you requests or see when you are online.`
        : 'Blocking ends your contact and any request between you; neither of you can send messages here.'));
  }
  draw();
  return section;
}

/** Who may start a direct chat with me; existing conversations and groups are not affected (docs/api.md). */
function privacyForm(app) {
  const {store} = app;
  const choice = (value, label) => {
    const id = `dm-policy-${value}`;
    return h('div', {class: 'choice'},
        h('input', {type: 'radio', name: 'dm-policy', id, value, checked: (store.me.dmPolicy ?? 'everyone') === value}),
        h('label', {for: id}, label));
  };
  const group = h('fieldset', {},
      h('legend', {}, 'Who can message me'),
      choice('everyone', 'Everyone'),
      choice('contacts', 'Contacts only'),
      h('p', {class: 'hint'}, 'For new chats: people you already have a chat with can still write there.'));
  const saved = h('p', {role: 'status'});
  const form = actionForm('Privacy', [group], 'Save privacy', async () => {
    saved.textContent = '';
    const dmPolicy = form.querySelector('input[name=dm-policy]:checked')?.value ?? 'everyone';
    await app.contacts.setDmPolicy(dmPolicy);
    saved.textContent = dmPolicy === 'contacts' ? 'Saved: only your contacts can start a chat with you.'
        : 'Saved: anyone can start a chat with you.';
  });
  return [form, saved];
}

export function accountDialog(app) {
  const {store} = app;
  const displayName = field('Display name', {value: store.me.displayName ?? '', autocomplete: 'name'});
  const username = field('Username', {value: store.me.username ?? '', autocomplete: 'username'});
  const profile = actionForm('Profile', [displayName, username], 'Save profile', async () => {
    const changes = {displayName: displayName.input.value.trim()};
    if (username.input.value.trim() && username.input.value.trim() !== store.me.username) {
      changes.username = username.input.value.trim();
    }
    await app.updateProfile(changes);
  });
  const current = field('Current password', {type: 'password', autocomplete: 'current-password'});
  const next = field('New password', {type: 'password', autocomplete: 'new-password'});
  const done = h('p', {role: 'status'});
  const password = actionForm('Change password', [current, next], 'Change password', async () => {
    done.textContent = '';
    await app.changePassword(current.input.value, next.input.value);
    current.input.value = '';
    next.input.value = '';
    done.textContent = 'Password changed. Your other sessions have been signed out.';
  });
  const photo = photoSection(app, {
    id: 'profile-photo-input', choose: 'Choose a profile photo', remove: 'Remove profile photo',
    current: () => store.userAvatar(store.me.userId),
    set: (file, onProgress) => app.setAvatar(file, onProgress),
  });
  dialog('Your account', profile, h('h3', {}, 'Profile photo'), photo, h('h3', {}, 'Notifications'),
      notificationsSection(app), h('h3', {}, 'Privacy'), privacyForm(app), h('h3', {}, 'Password'), password, done,
      h('button', {type: 'button', class: 'danger', onclick: act(() => app.logout())}, 'Log out'));
}

/**
 * Push notifications for this browser: "Enable notifications" asks the browser's permission (only then, never
 * before) and subscribes; "Disable notifications" undoes it. "Show message text in notifications" (off unless
 * chosen) is sent with the subscription. Each step is said as it happens, and a failure stays written under it.
 */
function notificationsSection(app) {
  const {push} = app;
  const status = h('p', {role: 'status', class: 'push-status'});
  const error = h('p', {class: 'form-error', role: 'alert'});
  const previews = h('input', {type: 'checkbox', id: 'push-previews', checked: push.previews,
    'aria-describedby': 'push-previews-hint'});
  const toggle = h('button', {type: 'button', class: 'push-toggle'});
  let on = false;
  const draw = (text, busy = false) => {
    status.textContent = text;
    toggle.textContent = on ? 'Disable notifications' : 'Enable notifications';
    toggle.disabled = busy || !push.supported;
    previews.disabled = busy || !push.supported;
  };
  const run = async (working, action, done) => {
    error.textContent = '';
    draw(working, true);
    try {
      await action();
      on = await push.subscribed();
      draw(done());
    } catch (e) {
      on = await push.subscribed().catch(() => false);
      draw(on ? 'Notifications are on in this browser.' : 'Notifications are off in this browser.');
      error.textContent = e.message;
    }
  };
  toggle.addEventListener('click', () => (on
    ? run('Turning notifications off…', () => push.disable(), () => 'Notifications are off in this browser.')
    : run('Turning notifications on…', () => push.enable(previews.checked),
        () => 'Notifications are on in this browser.')));
  previews.addEventListener('change', () => {
    if (!on) return; // the choice goes with the subscription once notifications are turned on
    run('Saving…', () => push.setPreviews(previews.checked), () => (previews.checked
      ? 'Saved: notifications show who wrote and what.' : 'Saved: notifications say only that a message came.'));
  });
  if (push.supported) {
    draw('Checking…', true);
    push.subscribed().then(subscribed => {
      on = subscribed;
      draw(on ? 'Notifications are on in this browser.' : 'Notifications are off in this browser.');
    }, e => {
      draw('Notifications are off in this browser.');
      error.textContent = e.message;
    });
  } else {
    draw(`Notifications can't work in this browser: ${push.unsupportedReason}.`);
  }
  return h('div', {class: 'push-section'}, status,
      h('div', {class: 'choice'}, previews, h('label', {for: 'push-previews'}, 'Show message text in notifications')),
      h('p', {class: 'hint', id: 'push-previews-hint'}, 'Off: a notification says only that a message came, and how '
          + 'many are unread. On: it shows the sender’s name and the text, which then passes through your browser’s '
          + 'push service (encrypted). Never for end-to-end encrypted conversations.'),
      toggle, error);
}

/**
 * The picture of me or of a group: the current one (the initials without one), a file input labelled `choose`
 * (an image: uploaded, then set) and `remove`. `current()` is {mediaId, name}; `set(file or null, onProgress)`
 * saves it. Progress, the outcome and a refusal (too large, not an image) are said beside it.
 */
function photoSection(app, {id, choose, remove, current, set}) {
  const preview = h('span', {class: 'photo-preview'});
  const input = h('input', {type: 'file', id, accept: 'image/png,image/jpeg,image/webp,image/gif', class: 'visually-hidden'});
  const status = h('p', {role: 'status', class: 'hint photo-status'});
  const error = h('p', {class: 'form-error', role: 'alert'});
  const removeButton = h('button', {type: 'button', class: 'small'}, remove);
  function draw() {
    const picture = current();
    replace(preview, avatar(app, picture, 'large'));
    removeButton.hidden = !picture.mediaId;
  }
  async function save(file) {
    error.textContent = '';
    status.textContent = file ? 'Uploading…' : 'Removing…';
    input.disabled = removeButton.disabled = true;
    try {
      await set(file, fraction => { status.textContent = `Uploading ${Math.round(fraction * 100)}%`; });
      status.textContent = file ? 'Photo saved.' : 'Photo removed.';
      draw();
    } catch (e) {
      status.textContent = '';
      error.textContent = e.message;
    } finally {
      input.disabled = removeButton.disabled = false;
    }
  }
  input.addEventListener('change', () => {
    const file = input.files[0];
    input.value = '';
    if (file) save(file);
  });
  removeButton.addEventListener('click', () => save(null));
  draw();
  return h('div', {class: 'photo-section'}, preview,
      h('div', {class: 'photo-controls'},
          h('span', {class: 'attach'}, input, h('label', {for: id, class: 'button-like'}, choose)),
          removeButton, status, error));
}
