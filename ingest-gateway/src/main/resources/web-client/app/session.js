import {ApiError, request} from './api.js';

// One signed-in account per tab: the tokens are kept in sessionStorage, so a reload keeps the user signed in, two
// tabs can be two users, and closing the tab forgets them. Refresh tokens rotate (each is spent by its use), so
// only one refresh may be in flight: presenting a spent token again would end the whole session family.

const KEY = 'kchat.session';
const EARLY_MS = 60_000;

export class Session extends EventTarget {
  constructor(storage = sessionStorage, clock = () => Date.now()) {
    super();
    this.storage = storage;
    this.clock = clock;
    this.state = readJson(storage.getItem(KEY));
    this.inFlight = null;
    this.timer = null;
  }

  get signedIn() { return this.state !== null; }
  get userId() { return this.state?.userId; }
  get deviceId() { return this.state?.deviceId; }

  /** After a login (password or phone code): `tokens` is the login answer. */
  begin(tokens) {
    this.state = {userId: tokens.userId, deviceId: tokens.deviceId};
    this.store(tokens);
  }

  /** Starts the refresh timer of a restored session. */
  resume() {
    if (this.signedIn) this.schedule();
  }

  /** A token valid for a while yet (see margin()), refreshed first when it is not. */
  async accessToken() {
    if (!this.signedIn) throw new ApiError(401, {code: 'unauthorized', title: 'You are signed out.'});
    if (this.state.expiresAt - this.clock() < this.margin()) return this.refresh();
    return this.state.accessToken;
  }

  /** How long before expiry a token counts as spent: a minute, or a fifth of its life if that is shorter. */
  margin() {
    return Math.min(EARLY_MS, (this.state.lifetime ?? 0) / 5);
  }

  /** Spends the refresh token for a new pair; resolves to the new access token. Ends the session when refused. */
  refresh() {
    if (!this.inFlight) {
      this.inFlight = this.refreshOnce().finally(() => { this.inFlight = null; });
    }
    return this.inFlight;
  }

  async refreshOnce() {
    if (!this.signedIn) throw new ApiError(401, {code: 'unauthorized', title: 'You are signed out.'});
    try {
      const tokens = await request('POST', '/v1/auth/refresh', {body: {refreshToken: this.state.refreshToken}});
      this.store(tokens);
      this.dispatchEvent(new CustomEvent('refreshed', {detail: tokens.accessToken}));
      return tokens.accessToken;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        this.end('Your session has expired. Please log in again.');
      } else {
        this.schedule(10_000); // the network or the server: try again soon, the token may still be valid
      }
      throw e;
    }
  }

  /** Forgets the tokens and tells the app ("ended", with the reason to show on the login view). */
  end(reason) {
    if (!this.signedIn) return;
    this.state = null;
    this.storage.removeItem(KEY);
    clearTimeout(this.timer);
    this.dispatchEvent(new CustomEvent('ended', {detail: reason}));
  }

  store(tokens) {
    this.state = {
      ...this.state,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: this.clock() + tokens.expiresIn * 1000,
      lifetime: tokens.expiresIn * 1000,
    };
    this.storage.setItem(KEY, JSON.stringify(this.state));
    this.schedule();
  }

  /** Refreshes before the token counts as spent: a minute before expiry, or at four fifths of a short life. */
  schedule(delay) {
    clearTimeout(this.timer);
    const left = this.state.expiresAt - this.clock();
    const due = delay ?? Math.max(1_000, left - this.margin());
    // a failure is handled in refreshOnce (the session ends, or another try is scheduled)
    this.timer = setTimeout(() => this.refresh().catch(() => {}), due);
  }
}

function readJson(text) {
  try {
    const value = text ? JSON.parse(text) : null;
    return value?.refreshToken ? value : null;
  } catch {
    return null;
  }
}
