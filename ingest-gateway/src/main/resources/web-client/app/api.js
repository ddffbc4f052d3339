// The REST half of the API (docs/api.md): JSON in, JSON or RFC 9457 problem JSON out.

/** A refused or failed call: `code` is the problem's code, or "network" when no answer came at all. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem.code ?? 'internal';
    this.reason = problem.reason;
    this.retryAfter = problem.retryAfter;
  }

  /** Worth trying again as is: the network, the server's load, or a rate limit. */
  get transient() {
    return this.code === 'network' || this.code === 'rate_limited' || this.status >= 500;
  }
}

/** One HTTP call; `token` adds the bearer header. Resolves to the JSON answer, or null for 202/204 without one. */
export async function request(method, path, {body, token} = {}) {
  const headers = {Accept: 'application/json'};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
  } catch (e) {
    throw new ApiError(0, {code: 'network', title: 'The server cannot be reached. Check your connection.'});
  }
  const text = await response.text();
  const json = text ? parseJson(text) : null;
  if (!response.ok) {
    const problem = json ?? {title: `${response.status} ${response.statusText}`};
    if (!problem.retryAfter && response.headers.get('Retry-After')) {
      problem.retryAfter = Number(response.headers.get('Retry-After'));
    }
    throw new ApiError(response.status, problem);
  }
  return json;
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const enc = encodeURIComponent;

/** The authenticated calls. A 401 is answered by one refresh and one retry: the token may have just expired. */
export class Api {
  constructor(session) {
    this.session = session;
  }

  async call(method, path, body) {
    return this.withToken(token => request(method, path, {body, token}));
  }

  /** `attempt(token)` with the current access token, and once more with a fresh one when it is answered 401. */
  async withToken(attempt) {
    const token = await this.session.accessToken();
    try {
      return await attempt(token);
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) throw e;
      return attempt(await this.session.refresh());
    }
  }

  // media (docs/api.md, "Media"): bytes go up raw and come back as blobs, both with the bearer header, which is
  // why the views show them through blob: URLs (media.js) rather than pointing <img> at the API

  /**
   * Uploads `blob` as `name`: resolves to {mediaId, contentType, size, sha256, width?, height?}. XMLHttpRequest
   * rather than fetch, for the upload's progress: `onProgress(fraction)`. `upload.abort()` gives up (an ApiError
   * with code "aborted").
   */
  upload(blob, {name, contentType, onProgress, signal} = {}) {
    const path = `/v1/media${name ? `?name=${enc(name)}` : ''}`;
    const type = contentType || blob.type || 'application/octet-stream';
    return this.withToken(token => new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', path);
      xhr.setRequestHeader('Authorization', `Bearer ${token}`);
      xhr.setRequestHeader('Content-Type', type);
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.upload.addEventListener('progress', e => {
        if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total);
      });
      xhr.addEventListener('load', () => {
        const json = xhr.responseText ? parseJson(xhr.responseText) : null;
        if (xhr.status >= 200 && xhr.status < 300 && json) {
          resolve(json);
          return;
        }
        const problem = json ?? {title: `${xhr.status} ${xhr.statusText}`};
        if (!problem.retryAfter && xhr.getResponseHeader('Retry-After')) {
          problem.retryAfter = Number(xhr.getResponseHeader('Retry-After'));
        }
        reject(new ApiError(xhr.status, problem));
      });
      // a server that refuses a large body before reading it may close the connection: no status reaches us then
      xhr.addEventListener('error', () => reject(new ApiError(0, {code: 'network',
        title: 'The upload broke off. Check your connection (or the file may be too large).'})));
      xhr.addEventListener('abort', () => reject(new ApiError(0, {code: 'aborted', title: 'The upload was cancelled.'})));
      if (signal) {
        if (signal.aborted) xhr.abort();
        signal.addEventListener('abort', () => xhr.abort(), {once: true});
      }
      xhr.send(blob);
    }));
  }

  /** A media file's bytes (the original), or with `size` ("small" | "medium") its thumbnail, as a Blob. */
  mediaBlob(mediaId, size) {
    const path = `/v1/media/${enc(mediaId)}${size ? `/thumbnail?size=${enc(size)}` : ''}`;
    return this.withToken(async token => {
      let response;
      try {
        response = await fetch(path, {headers: {Authorization: `Bearer ${token}`}});
      } catch {
        throw new ApiError(0, {code: 'network', title: 'The server cannot be reached. Check your connection.'});
      }
      if (!response.ok) {
        const text = await response.text();
        throw new ApiError(response.status, (text && parseJson(text)) || {title: `${response.status} ${response.statusText}`});
      }
      return response.blob();
    });
  }

  /** My avatar: an image I uploaded, or null to remove it. */
  setAvatar(avatarMediaId) { return this.call('PATCH', '/v1/users/me', {avatarMediaId}); }
  /** A group's avatar (owner or admin): an image I uploaded, or null to remove it. */
  setGroupAvatar(id, avatarMediaId) { return this.call('PATCH', `/v1/conversations/${enc(id)}`, {avatarMediaId}); }

  me() { return this.call('GET', '/v1/users/me'); }
  updateMe(changes) { return this.call('PATCH', '/v1/users/me', changes); }
  user(userId) { return this.call('GET', `/v1/users/${enc(userId)}`); }
  searchUsers(query) { return this.call('GET', `/v1/users?query=${enc(query)}&limit=20`); }
  presence(userId) { return this.call('GET', `/v1/users/${enc(userId)}/presence`); }
  onlineStats() { return this.call('GET', '/v1/stats/online'); }
  logout() { return this.call('POST', '/v1/auth/logout', {}); }
  changePassword(currentPassword, newPassword) {
    return this.call('POST', '/v1/auth/password', {currentPassword, newPassword});
  }

  conversations() { return this.call('GET', '/v1/conversations'); }
  conversation(id) { return this.call('GET', `/v1/conversations/${enc(id)}`); }
  /** `encrypted`: end-to-end encrypted, fixed for the conversation's life (only sent when true). */
  createDirect(userId, encrypted = false) {
    return this.call('POST', '/v1/conversations', {type: 'direct', userId, encrypted: encrypted || undefined});
  }
  createGroup(title, memberIds, encrypted = false) {
    return this.call('POST', '/v1/conversations', {type: 'group', title, memberIds, encrypted: encrypted || undefined});
  }
  // the assistant (docs/api.md, "Assistant (AI chat)")
  /** {available: true, userId, name, model}; refused 503 `unavailable` when the server has no model. */
  assistant() { return this.call('GET', '/v1/assistant'); }
  /** A new conversation with the assistant (`type: "assistant"`): me as its owner, and the assistant's user. */
  createAssistantConversation(title) {
    return this.call('POST', '/v1/assistant/conversations', title ? {title} : {});
  }
  receipts(id) { return this.call('GET', `/v1/conversations/${enc(id)}/receipts`); }
  rename(id, title) { return this.call('PATCH', `/v1/conversations/${enc(id)}`, {title}); }
  addMember(id, userId) { return this.call('POST', `/v1/conversations/${enc(id)}/members`, {userId}); }
  removeMember(id, userId) { return this.call('DELETE', `/v1/conversations/${enc(id)}/members/${enc(userId)}`); }

  // push notifications and per-conversation settings (docs/api.md, "Push notifications and per-conversation settings")
  vapidKey() { return this.call('GET', '/v1/push/vapid'); }
  /** This device's push subscription: {kind: "webpush", endpoint, keys: {p256dh, auth}, previews}. */
  putPush(subscription) { return this.call('PUT', '/v1/devices/me/push', subscription); }
  deletePush() { return this.call('DELETE', '/v1/devices/me/push'); }
  /** My settings of a conversation, changed in part ({muted?, mutedUntil?, pinned?, archived?}): all of them after. */
  putSettings(id, changes) { return this.call('PUT', `/v1/conversations/${enc(id)}/settings`, changes); }

  // contacts, connection requests and blocks (docs/api.md, "Contacts, connection requests, blocking")
  contacts() { return this.call('GET', '/v1/contacts'); }
  contactRequests(direction) { return this.call('GET', `/v1/contacts/requests?direction=${enc(direction)}`); }
  sendContactRequest(userId, message) {
    return this.call('POST', '/v1/contacts/requests', {userId, message: message || undefined});
  }
  acceptContactRequest(requestId) { return this.call('POST', `/v1/contacts/requests/${enc(requestId)}/accept`); }
  declineContactRequest(requestId) { return this.call('POST', `/v1/contacts/requests/${enc(requestId)}/decline`); }
  removeContact(userId) { return this.call('DELETE', `/v1/contacts/${enc(userId)}`); }
  blocks() { return this.call('GET', '/v1/blocks'); }
  block(userId) { return this.call('PUT', `/v1/blocks/${enc(userId)}`); }
  unblock(userId) { return this.call('DELETE', `/v1/blocks/${enc(userId)}`); }

  // the key directory of end-to-end encryption (docs/api.md, "Key directory")
  uploadKeys(bundle) { return this.call('PUT', '/v1/keys', bundle); }
  userKeys(userId) { return this.call('GET', `/v1/users/${enc(userId)}/keys`); }

  /** Messages ascending by seq: the newest `limit`, or the `limit` newest below `before`, or the oldest above `after`. */
  messages(id, {before, after, limit = 50} = {}) {
    const query = new URLSearchParams({limit: String(limit)});
    if (before !== undefined) query.set('before', String(before));
    if (after !== undefined) query.set('after', String(after));
    return this.call('GET', `/v1/conversations/${enc(id)}/messages?${query}`);
  }

  /** One message in its current state (edited, deleted, its reactions). */
  message(id, seq) { return this.call('GET', `/v1/conversations/${enc(id)}/messages/${enc(String(seq))}`); }

  /** Messages whose text matches `q`, newest first: {results: [{message, highlight}], next?} (`next` -> `before`). */
  searchMessages(q, {conversationId, before, limit = 20} = {}) {
    const query = new URLSearchParams({q, limit: String(limit)});
    if (conversationId) query.set('conversationId', conversationId);
    if (before !== undefined) query.set('before', before);
    return this.call('GET', `/v1/search/messages?${query}`);
  }
}

/** The calls made before there is a session. */
export const accounts = {
  register: (username, password, displayName) =>
    request('POST', '/v1/auth/register', {body: {username, password, displayName: displayName || undefined}}),
  login: (username, password, deviceId) => request('POST', '/v1/auth/login', {body: {username, password, deviceId}}),
  requestCode: phone => request('POST', '/v1/auth/otp/request', {body: {phone}}),
  verifyCode: (phone, code, deviceId) => request('POST', '/v1/auth/otp/verify', {body: {phone, code, deviceId}}),
};
