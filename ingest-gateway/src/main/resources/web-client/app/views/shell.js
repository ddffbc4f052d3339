import {h, replace} from '../dom.js';
import {avatar} from './attachments.js';
import {contactsDialog} from './contacts.js';
import {ConversationPane} from './conversation.js';
import {accountDialog, detailsDialog, newChatDialog, newGroupDialog} from './dialogs.js';
import {Sidebar} from './sidebar.js';

// The signed-in layout: a top bar (connection status, the account), the alerts, the conversation list and the
// open conversation side by side; on a phone-sized screen one of the two at a time.

const STATUS_TEXT = {
  connecting: 'Connecting…',
  syncing: 'Catching up…',
  online: 'Online',
  offline: 'Offline, reconnecting…',
  replaced: 'Open in another tab',
};

export class Shell {
  constructor(root, app) {
    this.app = app;
    this.alerts = h('div', {class: 'alerts', role: 'alert', 'aria-live': 'assertive'});
    this.status = h('div', {class: 'status', role: 'status'});
    this.meButton = h('button', {type: 'button', class: 'me', onclick: () => accountDialog(app)});
    const open = id => this.open(id);
    this.sidebar = new Sidebar(app, {
      onOpen: open,
      onOpenAt: (id, seq) => this.openAt(id, seq),
      onNewChat: () => newChatDialog(app, open),
      onNewGroup: () => newGroupDialog(app, open),
      onNewAssistantChat: () => app.startAssistantChat().then(open, () => {}), // a refusal is in the alerts
      onContacts: () => contactsDialog(app, open),
    });
    this.pane = new ConversationPane(app, {
      onBack: () => this.open(null),
      onDetails: id => detailsDialog(app, id),
    });
    this.element = h('div', {class: 'shell', 'data-view': 'list'},
        h('header', {class: 'topbar'}, h('h1', {}, 'kchat'), this.status, this.meButton),
        this.alerts,
        h('div', {class: 'panes'}, this.sidebar.element, this.pane.element));
    replace(root, this.element);

    app.store.addEventListener('change', () => this.schedule());
    // an answer's text grows many times a second: changed in place, unless its bubble is not drawn yet
    app.store.addEventListener('answertext', e => this.pane.answerTextChanged(e.detail) || this.schedule());
    app.socket.addEventListener('status', () => this.renderStatus());
    app.addEventListener('problem', e => this.alert(e.detail));
    app.addEventListener('uploadprogress', e => showProgress(e.detail));
    this.renderStatus();
    this.render();
  }

  /** Resolves once the conversation's first page of history is loaded (or failed to: that is in the alerts). */
  open(conversationId, focusComposer = true) {
    this.element.dataset.view = conversationId ? 'conversation' : 'list';
    const opening = conversationId ? this.app.open(conversationId).catch(() => {}) : Promise.resolve();
    if (!conversationId) this.app.close();
    this.pane.show(conversationId);
    this.render();
    if (conversationId && focusComposer) this.pane.input.focus();
    return opening;
  }

  /** Opens a conversation at one of its messages (a search result): loaded around it if need be, and shown. */
  openAt(conversationId, seq) {
    this.pane.jumpTo(seq, this.open(conversationId, false));
  }

  /** Many store changes come in a burst (a replay): drawn once, after the burst. */
  schedule() {
    if (this.pendingRender) return;
    this.pendingRender = setTimeout(() => {
      this.pendingRender = null;
      this.render();
    }, 0);
  }

  render() {
    const {store} = this.app;
    const name = store.me.displayName || store.me.username || 'Account';
    const picture = store.userAvatar(store.me.userId);
    const key = `${picture.mediaId}:${name}`;
    if (this.meButton.dataset.key !== key) { // redrawn only when it changed: the picture does not flicker
      this.meButton.dataset.key = key;
      replace(this.meButton, avatar(this.app, picture, 'tiny'), h('span', {}, `${name} · Account`));
    }
    if (this.app.openId === null && this.pane.conversationId) { // left or removed from the open conversation
      this.pane.show(null);
      this.element.dataset.view = 'list';
    }
    this.sidebar.render();
    this.pane.render();
  }

  renderStatus() {
    const {socket} = this.app;
    const actions = [];
    if (socket.status === 'offline') {
      actions.push(h('button', {type: 'button', class: 'link', onclick: () => socket.retryNow()}, 'Reconnect now'));
    }
    if (socket.status === 'replaced') {
      actions.push(h('button', {type: 'button', class: 'link', onclick: () => socket.reclaim()}, 'Use here'));
    }
    this.status.dataset.status = socket.status;
    this.status.dataset.session = socket.sessionId ?? ''; // which socket session: a reconnect shows as a new one
    replace(this.status, h('span', {}, STATUS_TEXT[socket.status] ?? socket.status), actions);
  }

  /** A refusal stays until dismissed; one that may pass later has a retry. At most the four newest are kept. */
  alert({message, retry}) {
    const item = h('div', {class: 'alert'}, h('span', {}, message));
    const dismiss = () => item.remove();
    if (retry) {
      item.append(h('button', {type: 'button', class: 'link', onclick: () => { dismiss(); retry().catch(() => {}); }}, 'Retry'));
    }
    item.append(h('button', {type: 'button', class: 'link', onclick: dismiss}, 'Dismiss'));
    this.alerts.append(item);
    while (this.alerts.children.length > 4) this.alerts.firstChild.remove();
  }
}

/** An upload's progress, changed in place wherever it is shown (the composer's files, a message not sent yet). */
function showProgress(upload) {
  const percent = String(Math.round(upload.progress * 100));
  document.querySelectorAll(`[data-upload-progress="${CSS.escape(upload.localId)}"]`).forEach(bar => {
    bar.value = percent;
  });
  document.querySelectorAll(`[data-upload-percent="${CSS.escape(upload.localId)}"]`).forEach(text => {
    text.textContent = `Uploading ${percent}%`;
  });
}
