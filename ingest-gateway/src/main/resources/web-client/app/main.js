import {Api} from './api.js';
import {ChatApp} from './chat.js';
import {forgetMessages} from './message-cache.js';
import {Session} from './session.js';
import {ChatSocket} from './socket.js';
import {ChatStore} from './store.js';
import {loginView} from './views/login.js';
import {Shell} from './views/shell.js';

// The composition root of the web client: a session, and while it lasts, the API, the socket, the store and
// the views wired to each other. A session that ends (logout, revoked, refresh refused) returns to the login view.
//
// A conversation can be asked for from outside: a notification clicked while no tab was open opens `/?conversation=`,
// and one clicked while a tab is open has the service worker tell that tab. It is opened once the app has started
// (after a sign-in, if need be).

const root = document.getElementById('app');
const session = new Session();
let app = null;
let shell = null; // set once the app has started and can open a conversation
let wanted = conversationAskedForByUrl();

window.addEventListener('online', () => app?.socket.retryNow()); // the browser has a network again

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.addEventListener('message', e => {
    if (e.data?.type === 'open-conversation') openWhenStarted(e.data.conversationId);
    if (e.data?.type === 'push-resubscribe') app?.startPush(); // the push service replaced the subscription
  });
  navigator.serviceWorker.startMessages(); // messages sent before this page listened are delivered now
}

function conversationAskedForByUrl() {
  const url = new URL(window.location.href);
  const id = url.searchParams.get('conversation');
  if (id === null) return null;
  url.searchParams.delete('conversation'); // asked once: a reload shows the list as usual
  window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  return id;
}

function openWhenStarted(conversationId) {
  if (typeof conversationId !== 'string' || !conversationId) return;
  wanted = conversationId;
  if (shell) openWanted();
}

function openWanted() {
  const id = wanted;
  wanted = null;
  if (id === null) return;
  if (app.store.conversations.has(id)) shell.open(id);
  else app.problem('That conversation is no longer among yours.');
}

session.addEventListener('ended', e => {
  app?.stop();
  app = null;
  shell = null;
  forgetMessages(); // logged out, revoked (4003) or expired: what this tab showed goes with the sign-in
  document.querySelectorAll('dialog').forEach(d => d.close());
  showLogin(e.detail);
});

function showLogin(notice) {
  loginView(root, {
    notice,
    onSignedIn: tokens => {
      session.begin(tokens);
      return signedIn();
    },
  });
}

async function signedIn() {
  const api = new Api(session);
  const me = await api.me();
  const store = new ChatStore(me);
  const socket = new ChatSocket(session);
  app = new ChatApp({session, api, socket, store});
  const view = new Shell(root, app);
  await app.start();
  shell = view;
  openWanted();
}

if (session.signedIn) {
  session.resume();
  signedIn().catch(e => {
    if (session.signedIn && e.status !== 401) {
      // the server is unreachable: keep the session, show the app when it answers again
      root.textContent = `The server cannot be reached (${e.message}). Reload to try again.`;
    }
  });
} else {
  showLogin();
}
