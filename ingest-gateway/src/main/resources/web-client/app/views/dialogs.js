import {actionForm, field, h, replace} from '../dom.js';

// Modal dialogs (<dialog>: focus is kept inside, Escape closes): new chat, new group, a conversation's details
// and the account. Each is built when opened and removed when closed.

/** A click handler for an app action: its refusal is already shown in the app's alerts, so it is not rethrown. */
const act = action => () => action().catch(() => {});

function dialog(title, ...content) {
  const element = h('dialog', {'aria-labelledby': 'dialog-title'},
      h('div', {class: 'dialog-head'},
          h('h2', {id: 'dialog-title'}, title),
          h('button', {type: 'button', class: 'link', onclick: () => element.close()}, 'Close')),
      content);
  element.addEventListener('close', () => element.remove());
  document.body.append(element);
  element.showModal();
  element.querySelector('input')?.focus();
  return element;
}

/** A search box over users: `render(users)` draws the results; searches a moment after typing stops. */
function userSearch(app, label, render) {
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

function who(user) {
  return user.username && user.displayName && user.displayName !== user.username
      ? `${user.displayName} (@${user.username})` : user.displayName || user.username || user.userId;
}

export function newChatDialog(app, onOpen) {
  const element = dialog('New chat', userSearch(app, 'Find a person by name', user =>
      h('button', {type: 'button', onclick: act(async () => {
        const id = await app.startDirect(user.userId);
        element.close();
        onOpen(id);
      })}, `Chat with ${who(user)}`)).element);
}

export function newGroupDialog(app, onOpen) {
  const chosen = new Map();
  const chosenList = h('ul', {class: 'chosen', 'aria-label': 'Members to add'});
  const title = field('Group name', {maxlength: '100', required: true});
  function drawChosen() {
    replace(chosenList, [...chosen.values()].map(u => h('li', {}, who(u), ' ',
        h('button', {type: 'button', class: 'link', onclick: () => { chosen.delete(u.userId); drawChosen(); }},
            `Remove ${who(u)}`))));
  }
  const search = userSearch(app, 'Add people', user => h('button', {type: 'button', onclick: () => {
    chosen.set(user.userId, user);
    drawChosen();
  }}, `Add ${who(user)}`));
  const element = dialog('New group', actionForm('New group', [title, search.element, chosenList], 'Create group', async () => {
    const name = title.input.value.trim();
    if (!name) throw new Error('Give the group a name.');
    const id = await app.createGroup(name, [...chosen.keys()]);
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
  const element = dialog(group ? 'Group details' : 'Conversation details', sections,
      group ? h('button', {type: 'button', class: 'danger', onclick: act(async () => {
        await app.leave(conversationId);
        element.close();
      })}, 'Leave group') : null);
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
  dialog('Your account', profile, h('h3', {}, 'Password'), password, done,
      h('button', {type: 'button', class: 'danger', onclick: act(() => app.logout())}, 'Log out'));
}
