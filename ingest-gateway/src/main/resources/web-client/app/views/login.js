import {accounts} from '../api.js';
import {actionForm, field, h, replace} from '../dom.js';
import {deviceIdFor} from '../ids.js';

// The signed-out view: log in with a password, sign up, or log in with a code sent to a phone (the first
// successful code makes the account). `onSignedIn(tokens)` receives the login answer.

export function loginView(root, {notice, onSignedIn}) {
  const panel = h('div', {class: 'login-panel'});
  const tabs = [
    ['login', 'Log in', () => passwordForm(onSignedIn)],
    ['signup', 'Sign up', () => signUpForm(onSignedIn)],
    ['phone', 'Phone code', () => phoneForm(onSignedIn)],
  ];
  const buttons = tabs.map(([key, label, form]) => h('button', {
    type: 'button', role: 'tab', id: `tab-${key}`, 'aria-controls': 'login-panel',
    onclick: () => select(key, form),
  }, label));
  function select(key, form) {
    buttons.forEach(b => b.setAttribute('aria-selected', String(b.id === `tab-${key}`)));
    replace(panel, form());
    panel.querySelector('input')?.focus();
  }
  replace(root, h('main', {class: 'login'},
      h('h1', {}, 'kchat'),
      notice ? h('p', {class: 'notice', role: 'status'}, notice) : null,
      h('div', {class: 'tabs', role: 'tablist', 'aria-label': 'How to sign in'}, buttons),
      h('div', {id: 'login-panel', role: 'tabpanel'}, panel)));
  select('login', tabs[0][2]);
}

/** A sign-in form: its refusal is shown inline, in words for a person signing in. */
function form(label, fields, submitLabel, action) {
  return actionForm(label, fields, submitLabel, action, explain);
}

function explain(err) {
  if (err.code === 'rate_limited') {
    return `Too many attempts. Try again ${err.retryAfter ? `in ${err.retryAfter} s` : 'later'}.`;
  }
  if (err.code === 'unauthorized') return 'Wrong username or password.';
  if (err.reason === 'too_many_devices') return 'This account is signed in on too many devices. Log out on one first.';
  return err.message;
}

function passwordForm(onSignedIn) {
  const username = field('Username', {name: 'username', autocomplete: 'username', required: true});
  const password = field('Password', {name: 'password', type: 'password', autocomplete: 'current-password', required: true});
  return form('Log in', [username, password], 'Log in', async () => {
    const name = username.input.value.trim();
    onSignedIn(await accounts.login(name, password.input.value, deviceIdFor(name)));
  });
}

function signUpForm(onSignedIn) {
  const username = field('Username', {name: 'username', autocomplete: 'username', required: true});
  const displayName = field('Display name (optional)', {name: 'displayName', autocomplete: 'name'});
  const password = field('Password', {name: 'password', type: 'password', autocomplete: 'new-password', required: true});
  return form('Sign up', [username, displayName, password], 'Create account', async () => {
    const name = username.input.value.trim();
    await accounts.register(name, password.input.value, displayName.input.value.trim());
    onSignedIn(await accounts.login(name, password.input.value, deviceIdFor(name)));
  });
}

function phoneForm(onSignedIn) {
  const phone = field('Phone number (with country code, e.g. +15551234567)', {name: 'phone', type: 'tel', autocomplete: 'tel'});
  const code = field('Code from the text message', {name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code'});
  code.element.hidden = true;
  let sent = false;
  const element = form('Log in with a phone code', [phone, code], 'Send code', async () => {
    const number = phone.input.value.trim();
    if (!sent) {
      await accounts.requestCode(number);
      sent = true;
      code.element.hidden = false;
      element.querySelector('button[type=submit]').textContent = 'Log in';
      code.input.focus();
      return;
    }
    onSignedIn(await accounts.verifyCode(number, code.input.value.trim(), deviceIdFor(`phone:${number}`)));
  });
  return element;
}
