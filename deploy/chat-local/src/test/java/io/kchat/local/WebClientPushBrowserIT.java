package io.kchat.local;

import static io.kchat.local.ChatClients.sendFrame;
import static io.kchat.local.ChatClients.token;
import static io.kchat.local.ChatClients.type;
import static io.kchat.local.ChatClients.userId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.logging.LogEntry;

/**
 * Push notifications and the conversation menu in the web client, in real headless Chromiums against the whole stack.
 *
 * <p>Notifications: the browser's permission is asked for only when the person presses "Enable notifications" (never
 * on load or on a reload); the service worker is registered for the whole client ({@code /}); pushes delivered to it
 * through DevTools ({@code ServiceWorker.deliverPushMessage}, the same event a push service's message raises) show one
 * notification per conversation, content-free as the server sends them by default and with the sender and text when
 * the person chose previews; and the URL a notification opens shows its conversation. Headless Chromium has no push
 * service: its subscribe never answers, so the client gives up and says so (the browser here resolves no host name but
 * this machine's, so nothing leaves it).
 *
 * <p>The menu: pinning, muting and archiving a conversation reorder and mark the list, and the same person's second
 * browser follows live through {@code settings} frames.
 */
class WebClientPushBrowserIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NO_PUSH_SERVICE = "This browser’s push service did not answer, so it cannot receive "
            + "notifications. (Some browsers, such as headless or privacy-hardened ones, have no push service.)";

    @TempDir
    static Path stateDir;
    private static LocalStack stack;
    private static Http http;

    @BeforeAll
    static void start() throws Exception {
        stack = new LocalStack("webpush", stateDir);
        http = new Http(stack.port());
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void permissionIsAskedOnlyOnTheClickAndEachConversationsPushesShowAsOneNotification() throws Exception {
        JsonNode ben = http.newUser("ben");
        try (WebClientUser pia = new WebClientUser(new Browser(Browser.Viewport.DESKTOP, Browser.LOCAL_NAMES_ONLY),
                stack.port())) {
            pia.browser().countPermissionRequests();
            pia.open().signUp("pia", "Pia Park", PASSWORD);
            String origin = pia.origin();

            // (a) signed in, the worker registered, and nothing asked of the person
            Map<String, Object> worker = pia.eventually(WebClientUser::serviceWorker, Objects::nonNull);
            assertNotNull(worker, "the service worker is registered and active");
            assertEquals(origin + "/", worker.get("scope"), "for the whole client: " + worker);
            assertEquals(origin + "/app/sw.js", worker.get("script"));
            assertEquals("default", pia.notificationPermission());
            assertEquals(0, pia.permissionRequests(), "no permission asked on load");
            pia.reload();
            pia.waitOnline();
            assertEquals("default", pia.notificationPermission());
            assertEquals(0, pia.permissionRequests(), "nor on a start with the worker already there");

            // (c) "Enable notifications": asked then (the grant stands in for the person's answer to the prompt,
            // which headless Chromium cannot show); the subscription fails, and the client says why
            pia.openAccount();
            assertEquals("Notifications are off in this browser.", pia.notificationsStatus());
            assertEquals(0, pia.permissionRequests(), "opening the dialog asks nothing either");
            pia.browser().grantNotifications(origin);
            pia.press("Enable notifications");
            pia.browser().waitFor(driver -> pia.permissionRequests() > 0);
            assertEquals(1, pia.permissionRequests(), "asked once, on the click");
            assertEquals("Notifications are off in this browser.", pia.notificationsStatus(),
                    "without a push service nothing was subscribed");
            assertEquals("granted", pia.notificationPermission());
            assertEquals(NO_PUSH_SERVICE, pia.notificationsError());
            pia.screenshot("push-no-push-service");
            pia.closeDialog();

            // (b) pushes, as the push service would deliver them to the worker
            try (DevToolsPage devTools = pia.browser().devTools(origin + "/")) {
                devTools.send("ServiceWorker.enable", Map.of());
                String registration = registrationFor(devTools, origin + "/");
                String conversation = UUID.randomUUID().toString();
                String other = UUID.randomUUID().toString();

                // without previews the server sends no content, and the notification shows none
                push(devTools, origin, registration, Map.of("type", "message", "conversationId", conversation,
                        "seq", 3, "senderId", userId(ben), "unread", 2));
                assertEquals(List.of(notification("New message", "2 unread messages", conversation)),
                        pia.eventually(WebClientUser::notifications, list -> !list.isEmpty()));
                push(devTools, origin, registration, Map.of("type", "message", "conversationId", conversation,
                        "seq", 4, "senderId", userId(ben), "unread", 3));
                assertEquals(List.of(notification("New message", "3 unread messages", conversation)),
                        pia.eventually(WebClientUser::notifications, list -> list.size() == 1
                                && "3 unread messages".equals(list.get(0).get("body"))),
                        "a burst in one conversation replaces its notification");
                push(devTools, origin, registration, Map.of("type", "message", "conversationId", other,
                        "seq", 1, "senderId", userId(ben), "unread", 1));
                List<Map<String, Object>> two = pia.eventually(WebClientUser::notifications, list -> list.size() == 2);
                assertEquals(2, two.size(), "another conversation has a notification of its own: " + two);
                assertTrue(two.contains(notification("New message", "1 unread message", other)), two.toString());
                pia.dismissNotifications();
                assertEquals(List.of(), pia.eventually(WebClientUser::notifications, List::isEmpty));

                // with previews the server adds the sender's name and the text
                push(devTools, origin, registration, Map.of("type", "message", "conversationId", conversation,
                        "seq", 5, "senderId", userId(ben), "unread", 1, "senderName", "Ben Baker",
                        "body", "Lunch at noon?"));
                assertEquals(List.of(notification("Ben Baker", "Lunch at noon?", conversation)),
                        pia.eventually(WebClientUser::notifications, list -> !list.isEmpty()));
                pia.dismissNotifications();
            }

            // a notification clicked with no tab open opens /?conversation=: the client shows that conversation
            JsonNode piaLogin = http.login("pia", null);
            String direct = http.post("/v1/conversations", token(piaLogin),
                    "{\"type\":\"direct\",\"userId\":\"" + userId(ben) + "\"}").body().path("conversationId").asText();
            pia.openAtConversation(direct);
            pia.waitOnline();
            assertEquals("ben", pia.browser().waitFor(driver -> pia.heading().equals("ben") ? pia.heading() : null));
            assertEquals(origin + "/", pia.browser().driver().getCurrentUrl(), "asked once: a reload shows the list");
            assertEquals(0, pia.permissionRequests(), "a start with the permission granted asks nothing");

            assertEquals(List.of(), errors(pia), "Pia's console");
        }
    }

    @Test
    void pinMuteAndArchiveFromTheMenuReorderTheListAndReachTheOtherBrowserLive() throws Exception {
        JsonNode cal = http.newUser("cal");
        JsonNode dot = http.newUser("dot");
        try (WebClientUser zoe = new WebClientUser(new Browser(), stack.port());
             WebClientUser zoePhone = new WebClientUser(new Browser(Browser.Viewport.PHONE), stack.port())) {
            zoe.open().signUp("zoe", "Zoe Zhang", PASSWORD);
            zoe.startDirectChatWith("cal");
            zoe.send("Hi Cal");
            zoe.waitForMessage("Hi Cal");
            zoe.startDirectChatWith("dot");
            zoe.send("Hi Dot");
            zoe.waitForMessage("Hi Dot");
            assertEquals(List.of("dot", "cal"), zoe.eventually(WebClientUser::listedTitles, List.of("dot", "cal")::equals));
            zoePhone.open().logIn("zoe", PASSWORD);
            assertEquals(List.of("dot", "cal"), zoePhone.eventually(WebClientUser::listedTitles,
                    List.of("dot", "cal")::equals));

            // pinned: first, with its mark, here and on her phone
            zoe.openConversation("cal");
            assertEquals(List.of("Pin", "Mute for 1 hour", "Mute for 8 hours", "Mute for 1 week",
                    "Mute until I turn it back on", "Archive"), zoe.conversationMenuItems());
            zoe.chooseInConversationMenu("Pin");
            assertEquals(List.of("cal", "dot"), zoe.eventually(WebClientUser::listedTitles, List.of("cal", "dot")::equals));
            assertEquals(List.of("Pinned"), zoe.listMarks("cal"));
            assertEquals(List.of("cal", "dot"), zoePhone.eventually(WebClientUser::listedTitles,
                    List.of("cal", "dot")::equals), "live on her other device");
            assertEquals(List.of("Pinned"), zoePhone.eventually(user -> user.listMarks("cal"), List.of("Pinned")::equals));

            // muted for an hour: marked in the list and the header; the menu offers Unmute instead
            zoe.chooseInConversationMenu("Mute for 1 hour");
            assertEquals(List.of("Muted", "Pinned"), zoe.eventually(user -> user.listMarks("cal"),
                    List.of("Muted", "Pinned")::equals));
            assertTrue(zoe.headerMuteMark().startsWith("Muted until "), zoe.headerMuteMark());
            assertEquals(List.of("Unpin", "Unmute", "Archive"), zoe.conversationMenuItems());
            assertEquals(List.of("Muted", "Pinned"), zoePhone.eventually(user -> user.listMarks("cal"),
                    List.of("Muted", "Pinned")::equals));
            zoe.screenshot("menu-pinned-muted");

            // archived: out of the main list, under "Archived (1)"
            zoe.openConversation("dot");
            zoe.chooseInConversationMenu("Archive");
            assertEquals(List.of("cal"), zoe.eventually(WebClientUser::listedTitles, List.of("cal")::equals));
            assertEquals("Archived (1)", zoe.eventually(WebClientUser::archivedToggle, "Archived (1)"::equals));
            zoe.toggleArchived();
            assertEquals(List.of("dot"), zoe.eventually(WebClientUser::archivedTitles, List.of("dot")::equals));
            assertEquals(List.of("cal"), zoePhone.eventually(WebClientUser::listedTitles, List.of("cal")::equals));
            assertEquals("Archived (1)", zoePhone.eventually(WebClientUser::archivedToggle, "Archived (1)"::equals));
            zoe.screenshot("menu-archived");

            // a new message keeps it archived (this version's choice): the toggle counts it as unread
            zoe.openConversation("cal"); // not reading Dot's conversation as the message comes
            String dotConversation = conversationWith(token(http.login("zoe", null)), userId(dot));
            try (WsClient dotSocket = WsClient.connect(stack.port(), token(dot))) {
                dotSocket.awaitType("ready");
                dotSocket.send(sendFrame(dotConversation, UUID.randomUUID().toString(), "Still there?"));
                dotSocket.await(type("ok"), Duration.ofSeconds(20));
            }
            assertEquals(1, zoe.eventually(WebClientUser::archivedUnread, n -> n == 1));
            assertEquals(List.of("dot"), zoe.archivedTitles(), "still archived");
            assertEquals(List.of("cal"), zoe.listedTitles());
            assertEquals(1, zoePhone.eventually(WebClientUser::archivedUnread, n -> n == 1));
            assertEquals(List.of("cal"), zoePhone.listedTitles());

            // undone from the phone, seen live on the desktop
            zoePhone.toggleArchived();
            zoePhone.openConversation("dot");
            zoePhone.chooseInConversationMenu("Unarchive");
            zoePhone.press("Back");
            zoePhone.openConversation("cal");
            zoePhone.chooseInConversationMenu("Unmute");
            assertEquals(List.of("cal", "dot"), zoe.eventually(WebClientUser::listedTitles, List.of("cal", "dot")::equals));
            assertEquals("", zoe.archivedToggle());
            assertEquals(List.of("Pinned"), zoe.eventually(user -> user.listMarks("cal"), List.of("Pinned")::equals));

            // the server's list says the same after a reload: pinned first, unmuted, nothing archived
            zoe.reload();
            zoe.waitOnline();
            assertEquals(List.of("cal", "dot"), zoe.eventually(WebClientUser::listedTitles, List.of("cal", "dot")::equals));
            assertEquals(List.of("Pinned"), zoe.listMarks("cal"));
            JsonNode listed = http.get("/v1/conversations", token(http.login("zoe", null))).body().path("conversations");
            assertEquals(2, listed.size(), listed.toString());
            for (JsonNode conversation : listed) {
                JsonNode settings = conversation.path("settings");
                boolean withCal = conversation.path("members").findValuesAsText("userId").contains(userId(cal));
                assertEquals(withCal, settings.path("pinned").asBoolean(), "only Cal's is pinned: " + settings);
                assertFalse(settings.path("muted").asBoolean(), settings.toString());
                assertFalse(settings.path("archived").asBoolean(), settings.toString());
            }
            assertTrue(listed.get(0).path("members").findValuesAsText("userId").contains(userId(cal)),
                    "the server lists the pinned one first: " + listed);

            assertEquals(List.of(), errors(zoe), "Zoe's console");
            assertEquals(List.of(), errors(zoePhone), "her phone's console");
        }
    }

    /** The id of the service worker registration for {@code scope}, from the events ServiceWorker.enable brings. */
    private static String registrationFor(DevToolsPage devTools, String scope) {
        JsonNode update = devTools.awaitEvent("ServiceWorker.workerRegistrationUpdated", params -> {
            for (JsonNode registration : params.path("registrations")) {
                if (registration.path("scopeURL").asText().equals(scope) && !registration.path("isDeleted").asBoolean()) {
                    return true;
                }
            }
            return false;
        }, Duration.ofSeconds(20));
        for (JsonNode registration : update.path("registrations")) {
            if (registration.path("scopeURL").asText().equals(scope)) {
                return registration.path("registrationId").asText();
            }
        }
        throw new AssertionError("no registration for " + scope + ": " + update);
    }

    /** Delivers {@code payload} to the worker as a push message with that JSON as its data. */
    private static void push(DevToolsPage devTools, String origin, String registration, Map<String, Object> payload)
            throws Exception {
        devTools.send("ServiceWorker.deliverPushMessage", Map.of("origin", origin, "registrationId", registration,
                "data", JSON.writeValueAsString(payload)));
    }

    private static Map<String, Object> notification(String title, String body, String conversationId) {
        return Map.of("title", title, "body", body, "tag", "conversation:" + conversationId,
                "data", Map.of("conversationId", conversationId));
    }

    private static String conversationWith(String token, String otherUserId) throws Exception {
        for (JsonNode conversation : http.get("/v1/conversations", token).body().path("conversations")) {
            for (JsonNode member : conversation.path("members")) {
                if (member.path("userId").asText().equals(otherUserId) && conversation.path("type").asText().equals("direct")) {
                    return conversation.path("conversationId").asText();
                }
            }
        }
        throw new AssertionError("no direct conversation with " + otherUserId);
    }

    private static List<String> errors(WebClientUser user) {
        return user.browser().consoleErrors().stream().map(LogEntry::getMessage).toList();
    }
}
