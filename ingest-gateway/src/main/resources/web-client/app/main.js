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

const root = document.getElementById('app');
const session = new Session();
let app = null;

window.addEventListener('online', () => app?.socket.retryNow()); // the browser has a network again

session.addEventListener('ended', e => {
  app?.stop();
  app = null;
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
  new Shell(root, app);
  await app.start();
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
