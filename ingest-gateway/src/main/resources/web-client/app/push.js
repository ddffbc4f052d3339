import {fromBase64url, toBase64url} from './bytes.js';

// Push notifications for this browser (docs/api.md, "Push notifications"): the service worker (sw.js) registered
// for the whole client, a Web Push subscription made with the server's VAPID key and handed to the server for this
// device, and whether notifications may show message text ("previews", off unless chosen).
//
// The browser's permission is asked for only when the person presses "Enable notifications", never on load. The
// subscription belongs to the browser, not to the tab or the sign-in, so which account turned it on (and its
// previews choice) is kept in localStorage: a later start of that account hands the subscription to the server
// again (and makes a new one when the server's key changed); another account signed in here leaves it alone.

export const SERVICE_WORKER = '/app/sw.js';
const PREFERENCES_KEY = 'kchat.push';
/** A browser whose push service does not answer (headless ones have none): said, rather than waited on for ever. */
const SUBSCRIBE_TIMEOUT_MS = 20_000;
const READY_TIMEOUT_MS = 10_000;

/** A failure to turn notifications on or off, worded for the person. */
export class PushError extends Error {}

export class PushNotifications {
  constructor({api, userId, storage = localStorage}) {
    this.api = api;
    this.userId = userId;
    this.storage = storage;
    this.registration = null; // a promise, once register() ran
  }

  /** Why notifications cannot work in this browser, or null when they can. */
  get unsupportedReason() {
    if (!window.isSecureContext) return 'notifications need a secure connection (HTTPS)';
    if (!('serviceWorker' in navigator)) return 'this browser has no service workers';
    if (!('PushManager' in window) || !('Notification' in window)) return 'this browser has no push notifications';
    return null;
  }

  get supported() {
    return this.unsupportedReason === null;
  }

  /** Whether I turned notifications on in this browser (it holds my subscription). */
  get mine() {
    return this.preferences()?.userId === this.userId;
  }

  /** Show message text in notifications: what I chose last (off by default). */
  get previews() {
    return this.mine ? Boolean(this.preferences().previews) : false;
  }

  /** The worker, registered for the whole client; asks nothing of the person. Rejects when it cannot be. */
  register() {
    if (!this.supported) return Promise.reject(new PushError(`Notifications can't work here: ${this.unsupportedReason}.`));
    this.registration ??= navigator.serviceWorker.register(SERVICE_WORKER, {scope: '/', updateViaCache: 'none'})
        .catch(e => {
          this.registration = null;
          throw new PushError(`The notification worker could not be installed: ${e.message}`);
        });
    return this.registration;
  }

  /**
   * At start: the worker registered, and when I turned notifications on here, my subscription handed to the server
   * again (it may have been dropped, or have a key the server no longer uses). Never asks for permission: a
   * permission taken back since is said. Rejects with a PushError to show.
   */
  async start() {
    if (!this.supported) return;
    await this.register();
    if (!this.mine) return;
    if (Notification.permission !== 'granted') {
      await this.forget(); // taken back in the browser's settings: nothing could be shown anyway
      throw new PushError('Notifications were turned off: this site is no longer allowed to show them. Turn them on '
          + 'again in your account.');
    }
    await this.subscribe(this.previews);
  }

  /** "Enable notifications": the permission asked for now (the person just pressed the button), then subscribed. */
  async enable(previews) {
    if (!this.supported) throw new PushError(`Notifications can't work here: ${this.unsupportedReason}.`);
    const permission = await Notification.requestPermission();
    if (permission === 'denied') {
      throw new PushError('Notifications are blocked for this site. Allow them in your browser’s site settings, '
          + 'then try again.');
    }
    if (permission !== 'granted') {
      throw new PushError('Notifications were not allowed. Press “Enable notifications” to be asked again.');
    }
    // another account of this browser had them: its subscription is dropped, not shared, so that its messages stop
    // coming here (the push service answers its server 410 from now on, and the server forgets it)
    if (this.preferences() && !this.mine) await this.unsubscribeHere();
    await this.subscribe(previews);
  }

  /** The previews choice, saved and (when notifications are on) sent to the server with the subscription. */
  async setPreviews(previews) {
    if (!this.mine) return;
    await this.subscribe(previews);
  }

  /** "Disable notifications": the server forgets this device's subscription, and the browser drops it. */
  async disable() {
    try {
      await this.api.deletePush();
    } catch (e) {
      throw new PushError(`The server could not turn notifications off: ${e.message}`);
    }
    await this.unsubscribeHere();
  }

  /** At logout, before the device goes: best effort, a failure must not keep anyone signed in. */
  async forget() {
    if (!this.mine) return;
    await this.api.deletePush().catch(() => {});
    await this.unsubscribeHere().catch(() => {});
  }

  /** Whether this browser holds a subscription of mine now. */
  async subscribed() {
    if (!this.supported || !this.mine) return false;
    const registration = await navigator.serviceWorker.getRegistration('/');
    return Boolean(await registration?.pushManager.getSubscription());
  }

  /**
   * Subscribes with the server's key (again, with a new one, when the browser's subscription was made with another
   * key) and hands the subscription to the server.
   */
  async subscribe(previews) {
    const publicKey = await this.serverKey();
    const registration = await this.activeRegistration();
    let subscription = await registration.pushManager.getSubscription();
    if (subscription && !sameKey(subscription.options.applicationServerKey, publicKey)) {
      await subscription.unsubscribe().catch(() => {}); // made for a key the server no longer signs with
      subscription = null;
    }
    subscription ??= await this.newSubscription(registration, publicKey);
    const {endpoint, keys} = subscription.toJSON();
    try {
      await this.api.putPush({kind: 'webpush', endpoint, keys: {p256dh: keys.p256dh, auth: keys.auth}, previews});
    } catch (e) {
      throw new PushError(`The server did not take this browser’s subscription: ${e.message}`);
    }
    this.storage.setItem(PREFERENCES_KEY, JSON.stringify({userId: this.userId, previews}));
  }

  async serverKey() {
    try {
      const {publicKey} = await this.api.vapidKey();
      return fromBase64url(publicKey);
    } catch (e) {
      throw new PushError(`The server cannot send notifications now: ${e.message}`);
    }
  }

  async activeRegistration() {
    await this.register();
    return within(navigator.serviceWorker.ready, READY_TIMEOUT_MS,
        'The notification worker did not start. Reload the page and try again.');
  }

  async newSubscription(registration, publicKey) {
    try {
      return await within(registration.pushManager.subscribe({userVisibleOnly: true, applicationServerKey: publicKey}),
          SUBSCRIBE_TIMEOUT_MS, 'This browser’s push service did not answer, so it cannot receive notifications. '
          + '(Some browsers, such as headless or privacy-hardened ones, have no push service.)');
    } catch (e) {
      if (e instanceof PushError) throw e;
      throw new PushError(`This browser could not subscribe to notifications: ${e.message}`);
    }
  }

  async unsubscribeHere() {
    this.storage.removeItem(PREFERENCES_KEY);
    const registration = await navigator.serviceWorker.getRegistration('/');
    const subscription = await registration?.pushManager.getSubscription();
    await subscription?.unsubscribe();
  }

  preferences() {
    try {
      return JSON.parse(this.storage.getItem(PREFERENCES_KEY) ?? 'null');
    } catch {
      return null;
    }
  }
}

function sameKey(buffer, key) {
  return buffer !== null && buffer !== undefined && toBase64url(buffer) === toBase64url(key);
}

/** `promise`, or a PushError saying `message` when it has not settled within `ms`. */
function within(promise, ms, message) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new PushError(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
