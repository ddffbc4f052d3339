// The web client's service worker: it shows the pushes the server sends while no tab of this browser is connected,
// and opens the conversation when one is clicked. It is served as /app/sw.js with `Service-Worker-Allowed: /` and
// registered with scope `/`, so a click can reach (or open) the page at `/`. It has no fetch handler: the page and
// its files always come from the network, and nothing a push carries is stored here, in a cache or anywhere else;
// a notification holds only the conversation's id besides what it shows.
//
// The push payload (docs/api.md): {type: "message", conversationId, seq, senderId, unread}, plus `senderName` and
// `body` when the person chose to see message text in notifications (never for an end-to-end encrypted conversation).

const FALLBACK_TITLE = 'New message';

self.addEventListener('install', () => self.skipWaiting()); // a new version's push handling applies at once
self.addEventListener('activate', event => event.waitUntil(self.clients.claim()));

self.addEventListener('push', event => {
  event.waitUntil(show(payloadOf(event)));
});

self.addEventListener('notificationclick', event => {
  event.notification.close();
  event.waitUntil(openConversation(event.notification.data?.conversationId));
});

// the push service replaced the subscription: only a page has the sign-in to tell the server, so the pages are asked
self.addEventListener('pushsubscriptionchange', event => {
  event.waitUntil(windows().then(clients => clients.forEach(client => client.postMessage({type: 'push-resubscribe'}))));
});

/** The JSON the server sent, or {} when there is none or it does not parse (a notification is due all the same). */
function payloadOf(event) {
  try {
    const payload = event.data?.json();
    return payload && typeof payload === 'object' ? payload : {};
  } catch {
    return {};
  }
}

/**
 * One notification per conversation (its tag): a burst of messages replaces it rather than piling up. Without
 * previews it says nothing of the content: who and what are left for the app, where the person is signed in.
 */
function show(payload) {
  const conversationId = typeof payload.conversationId === 'string' ? payload.conversationId : null;
  const title = text(payload.senderName) || FALLBACK_TITLE;
  const body = text(payload.body) || unreadLine(payload.unread);
  return self.registration.showNotification(title, {
    body,
    tag: conversationId ? `conversation:${conversationId}` : 'kchat',
    data: conversationId ? {conversationId} : {},
  });
}

function text(value) {
  return typeof value === 'string' ? value.trim() : '';
}

function unreadLine(unread) {
  const count = Number.isSafeInteger(unread) && unread > 0 ? unread : 0;
  if (count === 0) return 'You have a new message';
  return count === 1 ? '1 unread message' : `${count} unread messages`;
}

function windows() {
  return self.clients.matchAll({type: 'window', includeUncontrolled: true});
}

/**
 * A tab of the client already open is focused (the visible one first) and told which conversation to show; without
 * one, a new window opens at a URL that shows it (main.js reads `?conversation=`).
 */
async function openConversation(conversationId) {
  const clients = await windows();
  const client = clients.find(c => c.visibilityState === 'visible') ?? clients[0];
  if (client) {
    const focused = await client.focus().catch(() => client);
    if (conversationId) focused.postMessage({type: 'open-conversation', conversationId});
    return;
  }
  const url = new URL('/', self.location.origin);
  if (conversationId) url.searchParams.set('conversation', conversationId);
  await self.clients.openWindow(url.href);
}
