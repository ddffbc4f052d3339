package io.kchat.local;

import static io.kchat.local.ChatClients.token;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.logging.LogEntry;

/**
 * Two people use the web client at {@code /} in two real Chromiums against the whole stack, as ./chat-local runs
 * it: they sign up, chat both ways, see each other typing and their messages delivered and read, reload, page back
 * through a long history and log out. The screenshots of the main views land in target/browser.
 */
class WebClientBrowserIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static final int ACCESS_TTL_SECONDS = 12;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path stateDir;
    private static LocalStack stack;
    private static Http http;

    @BeforeAll
    static void start() throws Exception {
        // short-lived access tokens: the first test outlives several, so the client must refresh them and
        // re-authenticate its socket (the gateway closes a socket whose token expired with 4001)
        stack = new LocalStack("webclient", stateDir, Map.of("JWT_ACCESS_TTL", ACCESS_TTL_SECONDS + "s"));
        http = new Http(stack.port());
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void twoPeopleSignUpChatSeeTypingAndMarksReloadAndLogOut() {
        try (WebClientUser ann = new WebClientUser(new Browser(), stack.port());
             WebClientUser ben = new WebClientUser(new Browser(Browser.Viewport.PHONE), stack.port())) {
            ann.open().screenshot("login");
            ann.signUp("ann", "Ann Archer", PASSWORD);
            long annSignedUp = System.nanoTime();
            String annSocket = ann.socketSession();
            String annFirstToken = ann.accessToken();
            ben.open().signUp("ben", "Ben Baker", PASSWORD);

            ann.startDirectChatWith("ben");
            ann.send("Hello Ben!");
            ann.waitForMessage("Hello Ben!");
            // the echo carries the seq; Ben's device acks it while his list is shown: delivered before read
            ann.waitForMark("Hello Ben!", "Delivered");

            ben.browser().waitFor(driver -> ben.unread("Ann Archer") == 1);
            ben.screenshot("phone-conversation-list");
            ben.openConversation("Ann Archer");
            ben.waitForMessage("Hello Ben!");
            ann.waitForMark("Hello Ben!", "Read");
            ann.browser().waitFor(driver -> ann.subtitle().equals("online"));

            ben.typeWithoutSending("Hi Ann");
            ann.browser().waitFor(driver -> ann.typingLine().equals("Ben Baker is typing…"));
            ann.screenshot("conversation-typing");
            ben.clearComposer();
            ann.browser().waitFor(driver -> ann.typingLine().isEmpty()); // an emptied composer stops typing
            ben.send("Hi Ann, how are you?");
            ann.waitForMessage("Hi Ann, how are you?");
            ben.waitForMark("Hi Ann, how are you?", "Read"); // Ann has the conversation open
            ann.send("Fine, thanks.");
            ben.waitForMessage("Fine, thanks.");
            ben.screenshot("phone-conversation");
            assertEquals(List.of(1L, 2L, 3L), ann.seqsShown());

            // past the access token's life on one socket: the client refreshed the token (rotating the refresh
            // token) and sent it in an auth frame, so the gateway never closed the socket with 4001
            ann.eventually(WebClientUser::accessToken, token -> !token.equals(annFirstToken));
            ann.browser().waitFor(driver -> System.nanoTime() - annSignedUp > (ACCESS_TTL_SECONDS + 2) * 1_000_000_000L,
                    Duration.ofSeconds(30));
            ann.send("Still here.");
            ben.waitForMessage("Still here.");
            assertEquals(annSocket, ann.socketSession(), "the same socket session throughout");
            assertTrue(!ann.accessToken().equals(annFirstToken), "a refreshed access token");

            // a reload keeps the session, the history and the marks (read again from /receipts)
            ann.reload();
            ann.waitOnline();
            // read from /v1/stats/online as the client starts (then every 30 s, and after presence changes)
            assertEquals("2 users online · 2 connections", ann.eventually(WebClientUser::onlineCount,
                    "2 users online · 2 connections"::equals));
            ann.openConversation("Ben Baker");
            assertEquals(List.of(1L, 2L, 3L, 4L), ann.seqsShown());
            ann.waitForMark("Hello Ben!", "Read");
            ann.waitForMark("Fine, thanks.", "Read");

            ben.logOut();
            ben.screenshot("phone-logged-out");
            ann.browser().waitFor(driver -> ann.subtitle().startsWith("last seen"), Duration.ofSeconds(30));

            assertEquals(List.of(), errors(ann), "Ann's console");
            assertEquals(List.of(), errors(ben), "Ben's console");
        }
    }

    @Test
    void aGroupIsCreatedRenamedChangedAndLeft() throws Exception {
        JsonNode gus = http.newUser("gus");
        try (WebClientUser eve = new WebClientUser(new Browser(), stack.port());
             WebClientUser fay = new WebClientUser(new Browser(), stack.port())) {
            eve.open().signUp("eve", "Eve Evans", PASSWORD);
            fay.open().signUp("fay", "Fay Fisher", PASSWORD);
            eve.createGroup("Book club", "fay");
            eve.send("First meeting on Friday");
            fay.openConversation("Book club");
            fay.waitForMessage("First meeting on Friday");
            eve.waitForMark("First meeting on Friday", "Read");

            eve.openDetails();
            eve.renameGroup("Reading club");
            fay.browser().waitFor(driver -> fay.heading().equals("Reading club")); // the change reaches her live
            eve.addMember("gus");
            // Gus joined after it: he counts as having read it, so the mark stays Read
            eve.waitForMark("First meeting on Friday", "Read");
            eve.screenshot("group-details");
            eve.removeMember("Fay Fisher");
            eve.closeDialog();
            // removed: the conversation leaves her list and her screen
            assertEquals(List.of(), fay.eventually(WebClientUser::conversationTitles, List::isEmpty));

            Http.Response seenByGus = http.get("/v1/conversations", token(gus));
            JsonNode group = seenByGus.body().path("conversations").get(0);
            assertEquals("Reading club", group.path("title").asText(), seenByGus.toString());
            assertEquals(2, group.path("members").size(), "Eve and Gus: " + group);

            eve.openDetails();
            eve.leaveGroup();
            assertEquals(List.of(), eve.eventually(WebClientUser::conversationTitles, List::isEmpty));
            JsonNode afterEve = http.get("/v1/conversations", token(gus)).body().path("conversations").get(0);
            assertEquals("owner", afterEve.path("members").get(0).path("role").asText(),
                    "Gus, the last member, owns it now: " + afterEve);

            assertEquals(List.of(), errors(eve), "Eve's console");
            assertEquals(List.of(), errors(fay), "Fay's console");
        }
    }

    @Test
    void aPhoneCodeLogsInAndMakesTheAccountOnFirstUse() {
        String phone = "+15550001234";
        try (SmsLog sms = new SmsLog(); WebClientUser hal = new WebClientUser(new Browser(), stack.port())) {
            hal.open().requestPhoneCode(phone);
            String code = hal.eventually(user -> sms.lastCodeFor(phone).orElse(null), Objects::nonNull);
            assertTrue(code != null && code.matches("\\d{6}"), "a code in the log: " + code);
            hal.enterPhoneCode(code);
            hal.screenshot("phone-code-signed-in");
            assertEquals(List.of(), hal.conversationTitles(), "a new account: no conversations");
            assertEquals(List.of(), errors(hal), "console");
        }
    }

    @Test
    void aLongHistoryIsPagedBackAsTheListIsScrolledUp() throws Exception {
        JsonNode cat = http.newUser("cat");
        JsonNode dan = http.newUser("dan");
        Http.Response created = http.post("/v1/conversations", token(cat),
                "{\"type\":\"direct\",\"userId\":\"" + dan.path("userId").asText() + "\"}");
        assertEquals(201, created.status(), created.toString());
        String conversationId = created.body().path("conversationId").asText();
        for (int i = 1; i <= 200; i++) {
            Http.Response sent = http.post("/v1/conversations/" + conversationId + "/messages", token(dan),
                    "{\"id\":\"history-" + i + "\",\"body\":\"message " + i + "\"}");
            assertEquals(202, sent.status(), sent.toString());
        }

        try (WebClientUser user = new WebClientUser(new Browser(), stack.port())) {
            user.open().logIn("cat", Http.PASSWORD);
            user.openConversation("dan");
            user.browser().waitFor(driver -> user.seqsShown().contains(200L), Duration.ofSeconds(60));
            assertEquals(LongStream.rangeClosed(151, 200).boxed().toList(), user.seqsShown(), "the newest page first");

            for (int pages = 0; pages < 10 && !user.seqsShown().contains(1L); pages++) {
                long oldest = user.seqsShown().get(0);
                user.scrollToTop();
                user.browser().waitFor(driver -> user.seqsShown().get(0) < oldest);
            }
            assertEquals(LongStream.rangeClosed(1, 200).boxed().toList(), user.seqsShown(),
                    "every message once, in order, after scrolling up");
            user.waitForMessage("message 1");
            user.screenshot("history-paged-back");
            assertEquals(List.of(), errors(user), "console");
        }
    }

    /**
     * A message sent and acked just before a reload is in neither server source for a moment: the socket replays
     * only what the device has not acked, and REST history reads an archive a commit interval behind. The tab keeps
     * what it has shown. Proven with both sources blocked (no timing involved), then with only REST back, where the
     * server's copy must replace the kept one and nothing is shown twice; logging out removes what was kept.
     */
    @Test
    void whatTheTabShowedSurvivesAReloadWithoutTheServerAndLoggingOutForgetsIt() throws Exception {
        http.newUser("jon");
        String body = "Sent just before the reload";
        try (WebClientUser ivy = new WebClientUser(new Browser(), stack.port())) {
            ivy.open().signUp("ivy", "Ivy Irwin", PASSWORD);
            ivy.startDirectChatWith("jon");
            ivy.send(body);
            // the echo brought its seq: the client stores the message before it draws it with one
            assertEquals(List.of(1L), ivy.eventually(WebClientUser::seqsShown, List.of(1L)::equals));
            String me = ivy.userId();
            String conversationId = ivy.conversationId("jon");
            String kept = "kchat.messages." + me + "." + conversationId;
            assertEquals(List.of(kept), ivy.storedMessageKeys());
            assertTrue(ivy.stored(kept).contains(body), ivy.stored(kept));

            // another account's entry for the same conversation, and a corrupt one of this account's: neither may
            // be shown or break the client, and both are removed as it starts
            String foreign = "kchat.messages.someone-else." + conversationId;
            String corrupt = "kchat.messages." + me + ".0000";
            ivy.store(foreign, "{\"userId\":\"someone-else\",\"conversationId\":\"" + conversationId + "\",\"savedAt\":1,"
                    + "\"messages\":[{\"seq\":2,\"id\":\"x\",\"senderId\":\"" + me + "\",\"body\":\"Not hers\","
                    + "\"ts\":\"2025-01-01T00:00:00Z\"}]}");
            ivy.store(corrupt, "{\"userId\":");

            // no socket (so no replay) and no history: only the tab's own copy can show the message now
            ivy.browser().refuseWebSockets(true);
            ivy.browser().blockRequests("*/messages?*");
            ivy.reload();
            ivy.openConversation("jon");
            assertTrue(ivy.eventually(WebClientUser::alerts, a -> a.contains("Loading messages")).contains("Loading messages"),
                    "the history request failed: " + ivy.alerts());
            ivy.waitForMessage(body);
            assertEquals(List.of(1L), ivy.seqsShown());
            assertEquals(0, ivy.messagesWithBody("Not hers"));
            assertEquals("", ivy.socketSessionNow(), "no socket got as far as `ready` since the reload, so none "
                    + "replayed anything (status " + ivy.status() + ")");
            assertEquals(List.of(kept), ivy.storedMessageKeys(), "the foreign and the corrupt entry are gone");
            // the list is read from the archive, which may or may not have the message yet: it shows it either way
            assertEquals("You: " + body, ivy.preview("jon"));
            ivy.screenshot("reloaded-without-the-server");

            // history back (sockets still refused): the server's copy replaces the kept one, which is changed
            // here to tell the two apart; once the archive has the message, REST must bring it
            awaitArchived(conversationId, 1); // fails the test when the archive never gets seq 1
            ObjectNode entry = (ObjectNode) JSON.readTree(ivy.stored(kept));
            ((ObjectNode) entry.path("messages").get(0)).put("body", "Changed in storage");
            ivy.store(kept, JSON.writeValueAsString(entry));
            ivy.browser().blockRequests();
            ivy.reload();
            ivy.openConversation("jon");
            ivy.waitForMessage(body);
            assertEquals(List.of(1L), ivy.seqsShown());
            assertEquals(1, ivy.messagesWithBody(body), "shown once");
            assertEquals(0, ivy.messagesWithBody("Changed in storage"), "the server's copy wins");

            // everything back: still once, and logging out removes what the tab kept
            ivy.browser().refuseWebSockets(false);
            ivy.reload();
            ivy.waitOnline();
            ivy.openConversation("jon");
            ivy.waitForMessage(body);
            assertEquals(List.of(1L), ivy.seqsShown());
            assertEquals(1, ivy.messagesWithBody(body), "shown once");
            assertEquals(List.of(kept), ivy.storedMessageKeys());
            ivy.logOut();
            assertEquals(List.of(), ivy.storedMessageKeys(), "logging out forgets the kept messages");

            List<String> unexpected = errors(ivy).stream()
                    .filter(e -> !e.contains("ERR_BLOCKED_BY_CLIENT") && !e.contains("/no-socket-here")).toList();
            assertEquals(List.of(), unexpected, "Ivy's console, besides the blocked requests and refused sockets");
        }
    }

    /**
     * Kim asks Lou to be her contact, with a message; Lou's client shows the request as it arrives (a count on
     * Contacts, no reload) and she accepts; both list each other. Lou takes messages from contacts only: Max, a
     * stranger, is refused a chat and offered a contact request instead, while Kim, a contact, starts one. Kim
     * removes Lou and both lists lose each other live. Lou blocks Kim from their chat's details: Kim's send there
     * is refused in words that do not say who blocked whom, Kim's message in a group they share reaches Lou folded,
     * and after Lou unblocks her, Kim's next send goes through (and the refused one never arrives).
     */
    @Test
    void peopleConnectByRequestChooseWhoMayMessageThemAndBlock() {
        String kimsNote = "Hi Lou, it is Kim from the book club";
        try (WebClientUser kim = new WebClientUser(new Browser(), stack.port());
             WebClientUser lou = new WebClientUser(new Browser(), stack.port())) {
            kim.open().signUp("kim", "Kim Kato", PASSWORD);
            lou.open().signUp("lou", "Lou Lopez", PASSWORD);
            assertEquals(0, lou.contactRequestBadge());

            kim.openContacts();
            kim.sendContactRequest("lou", kimsNote);
            assertEquals(List.of("Lou Lopez"), kim.eventually(u -> u.peopleIn("Sent requests"), List.of("Lou Lopez")::equals));

            // the request reaches Lou's open client as a `contact` frame
            assertEquals(1, lou.eventually(WebClientUser::contactRequestBadge, n -> n == 1), "the request count");
            lou.openContacts();
            assertEquals(List.of("Kim Kato"), lou.peopleIn("Contact requests"));
            assertEquals(kimsNote, lou.requestMessage("Kim Kato"));
            lou.screenshot("contact-request");
            lou.pressFor("Contact requests", "Kim Kato", "Accept");
            assertEquals(List.of("Kim Kato"), lou.eventually(u -> u.peopleIn("Contacts"), List.of("Kim Kato")::equals));
            assertEquals(List.of(), lou.peopleIn("Contact requests"));
            assertEquals(0, lou.contactRequestBadge());
            // Kim's dialog stayed open throughout: the acceptance redraws it
            assertEquals(List.of("Lou Lopez"), kim.eventually(u -> u.peopleIn("Contacts"), List.of("Lou Lopez")::equals));
            assertEquals(List.of(), kim.peopleIn("Sent requests"));
            kim.screenshot("contacts");
            lou.closeDialog();
            kim.closeDialog();

            lou.setWhoCanMessageMe("Contacts only");
            try (WebClientUser max = new WebClientUser(new Browser(), stack.port())) {
                max.open().signUp("max", "Max Moreau", PASSWORD);
                max.tryDirectChatWith("lou");
                assertEquals("Lou Lopez only accepts messages from contacts: send a contact request", max.chatRefusal());
                max.screenshot("connection-required");
                max.press("Send a contact request");
                max.waitForDialogStatus("Request sent. You can chat once Lou Lopez accepts it.");
                assertEquals(List.of(), max.conversationTitles(), "no conversation was made");
                assertEquals(List.of(), errorsBesides(max, "/v1/conversations - " + FAILED_LOAD + " 403"),
                        "Max's console, besides the refused chat");
            }
            assertEquals(1, lou.eventually(WebClientUser::contactRequestBadge, n -> n == 1), "Max's request");

            // a contact may start a chat with her
            kim.startDirectChatWith("lou");
            kim.send("Lunch on Thursday?");
            lou.openConversation("Kim Kato");
            lou.waitForMessage("Lunch on Thursday?");

            // removed by one: both lists lose it while open
            kim.openContacts();
            lou.openContacts();
            assertEquals(List.of("Kim Kato"), lou.peopleIn("Contacts"));
            kim.pressFor("Contacts", "Lou Lopez", "Remove");
            assertEquals(List.of(), kim.eventually(u -> u.peopleIn("Contacts"), List::isEmpty));
            assertEquals(List.of(), lou.eventually(u -> u.peopleIn("Contacts"), List::isEmpty), "removed on Lou's side");
            kim.closeDialog();
            lou.closeDialog();

            kim.createGroup("Neighbours", "lou");

            // Lou blocks Kim from their direct chat: her composer gives way to a notice with Unblock
            lou.openConversation("Kim Kato");
            lou.openDetails();
            lou.press("Block Kim Kato");
            lou.browser().waitFor(By.xpath("//dialog//button[normalize-space()='Unblock Kim Kato']"));
            lou.closeDialog();
            assertTrue(lou.blockedNotice().startsWith("You blocked Kim Kato."), lou.blockedNotice());
            lou.screenshot("blocked-direct-chat");

            kim.openConversation("Lou Lopez");
            kim.send("Are you still there?");
            assertEquals("Not sent: You can't message this person",
                    kim.eventually(u -> u.markOf("Are you still there?"), mark -> mark.startsWith("Not sent")));
            kim.screenshot("send-refused-by-a-block");

            // in the group they share, Kim's message reaches Lou folded, until she unfolds it
            kim.openConversation("Neighbours");
            kim.send("Hello neighbours");
            assertEquals("Message from someone you blocked", lou.eventually(u -> u.preview("Neighbours"),
                    "Message from someone you blocked"::equals));
            lou.openConversation("Neighbours");
            assertEquals(1, lou.eventually(WebClientUser::collapsedMessages, n -> n == 1), "folded");
            assertEquals(0, lou.messagesWithBody("Hello neighbours"), "the body is not shown folded");
            lou.screenshot("blocked-group-message");
            lou.showCollapsed();
            lou.waitForMessage("Hello neighbours");

            // unblocked from the list of blocked people: Kim's next send goes through
            lou.openContacts();
            assertEquals(List.of("Kim Kato"), lou.peopleIn("Blocked people"));
            lou.pressFor("Blocked people", "Kim Kato", "Unblock");
            assertEquals(List.of(), lou.eventually(u -> u.peopleIn("Blocked people"), List::isEmpty));
            lou.closeDialog();
            lou.openConversation("Kim Kato");
            assertEquals("", lou.blockedNotice());
            kim.openConversation("Lou Lopez");
            kim.send("Back again");
            lou.waitForMessage("Back again");
            kim.waitForMark("Back again", "Read");
            assertEquals(0, lou.messagesWithBody("Are you still there?"), "the refused message never arrived");
            assertEquals(List.of(1L, 2L), lou.seqsShown(), "Lunch on Thursday? and Back again");

            // while the block lasted, neither could read the other's presence as a conversation opened
            String presenceRefused = "/presence - " + FAILED_LOAD + " 404";
            assertEquals(List.of(), errorsBesides(kim, presenceRefused), "Kim's console");
            assertEquals(List.of(), errorsBesides(lou, presenceRefused), "Lou's console");
        }
    }

    /**
     * Pia and Rex connect by request and chat end-to-end encrypted: each reads the other's messages, decrypted in
     * their own browser, under a lock in the list and the header; their safety numbers match; a reload shows the
     * history decrypted again while the tab's storage never held the plaintext. Pia then logs in on a phone as well:
     * the safety number changes on both sides, the messages from before the phone had keys say so, and what both
     * write from then on reaches all three devices, even from Rex's client, which missed the news of the phone and
     * learns of it from the server's refusal of its send. Pia's edit of her first message is encrypted like a send:
     * Rex reads the new text, and so does the phone, which could not read the first one.
     * Nothing anyone typed is found on the server's side: not in PostgreSQL, the topics, the logs or the metrics.
     */
    @Test
    void contactsChatEndToEndEncryptedAndTheServerNeverHoldsWhatTheyWrote() throws Exception {
        String marker = Long.toString(System.nanoTime(), 36);
        List<String> secrets = List.of("The tulips bloom at dawn " + marker, "Bring the blue umbrella " + marker,
                "The phone reads this one " + marker, "Written on the phone " + marker,
                "The tulips bloom at dusk " + marker);
        try (PlaintextScan scan = PlaintextScan.start(stack);
             WebClientUser pia = new WebClientUser(new Browser(), stack.port());
             WebClientUser rex = new WebClientUser(new Browser(), stack.port())) {
            pia.open().signUp("pia", "Pia Park", PASSWORD);
            rex.open().signUp("rex", "Rex Reed", PASSWORD);
            pia.openContacts();
            pia.sendContactRequest("rex", "Pia here");
            assertEquals(1, rex.eventually(WebClientUser::contactRequestBadge, n -> n == 1), "the request count");
            rex.openContacts();
            rex.pressFor("Contact requests", "Pia Park", "Accept");
            assertEquals(List.of("Pia Park"), rex.eventually(u -> u.peopleIn("Contacts"), List.of("Pia Park")::equals));
            rex.closeDialog();
            pia.closeDialog();

            pia.startEncryptedDirectChatWith("rex");
            assertTrue(pia.headerSaysEncrypted(), "the header's lock");
            pia.send(secrets.get(0));
            pia.waitForMessage(secrets.get(0)); // its own echo, decrypted from the envelope it sealed for itself
            // the list's preview is the last message, decrypted from the frame's envelope for Rex's device
            assertEquals(secrets.get(0), rex.eventually(u -> u.preview("Pia Park"), secrets.get(0)::equals));
            assertTrue(rex.listShowsLock("Pia Park"), "the list's lock");
            rex.openConversation("Pia Park");
            rex.waitForMessage(secrets.get(0));
            assertTrue(rex.headerSaysEncrypted(), "the header's lock");
            rex.send(secrets.get(1));
            pia.waitForMessage(secrets.get(1));
            pia.waitForMark(secrets.get(0), "Read");
            pia.screenshot("encrypted-conversation");

            String piasNumber = pia.safetyNumber();
            assertTrue(piasNumber.matches("\\d{5}( \\d{5}){11}"), piasNumber);
            assertEquals(piasNumber, rex.safetyNumber(), "the same safety number on both sides");

            // a reload: the history comes back as envelopes (the cache, REST) and is decrypted again
            pia.reload();
            pia.waitOnline();
            pia.openConversation("Rex Reed");
            pia.waitForMessage(secrets.get(0));
            pia.waitForMessage(secrets.get(1));
            assertEquals(List.of(1L, 2L), pia.seqsShown());
            for (WebClientUser user : List.of(pia, rex)) {
                String stored = user.sessionStorageText();
                secrets.forEach(secret -> assertFalse(stored.contains(secret), "sessionStorage holds " + secret));
            }

            // from here on Rex's client misses `keys` frames, as one whose socket was away would: only the server's
            // `conflict` refusal of his next send can tell it of the device Pia is about to add
            rex.browser().dropSocketFrames("keys");
            rex.reload();
            rex.waitOnline();
            rex.openConversation("Pia Park");
            rex.waitForMessage(secrets.get(0)); // opened with Pia's keys as the directory lists them now

            try (WebClientUser piasPhone = new WebClientUser(new Browser(Browser.Viewport.PHONE), stack.port())) {
                piasPhone.open().logIn("pia", PASSWORD); // a new device: its keys are published as it starts
                // once they are, Pia's half of the safety number is another: both sides see the new number
                String withPhone = pia.eventually(WebClientUser::safetyNumber, number -> !number.equals(piasNumber));
                assertNotEquals(piasNumber, withPhone, "a device added changes the safety number");
                piasPhone.openConversation("Rex Reed");
                int sealedBefore = piasPhone.eventually(u -> u.messagesNoted("Not encrypted for this device"), n -> n == 2);
                assertEquals(2, sealedBefore, "sealed before the phone had keys");
                rex.send(secrets.get(2)); // refused `conflict` (the phone is missing), fetched again, sent again
                piasPhone.waitForMessage(secrets.get(2));
                pia.waitForMessage(secrets.get(2));
                rex.waitForMark(secrets.get(2), "Read");
                assertEquals(withPhone, rex.safetyNumber(), "Rex sees the new number too");
                piasPhone.send(secrets.get(3));
                rex.waitForMessage(secrets.get(3));
                pia.waitForMessage(secrets.get(3));

                // an edit is sealed for every device there is now, bound to the message it edits
                pia.edit(secrets.get(0), secrets.get(4));
                rex.waitForMessage(secrets.get(4));
                assertTrue(rex.shownEdited(secrets.get(4)), "Rex sees it edited");
                piasPhone.waitForMessage(secrets.get(4)); // the first version was not sealed for the phone, this one is
                pia.waitForMessage(secrets.get(4));
                for (WebClientUser user : List.of(pia, rex, piasPhone)) {
                    String stored = user.sessionStorageText();
                    secrets.forEach(secret -> assertFalse(stored.contains(secret), "sessionStorage holds " + secret));
                }
                piasPhone.screenshot("phone-encrypted-conversation");
                assertEquals(List.of(), errors(piasPhone), "the phone's console");
            }
            // history serves the edit's envelope for Rex's device, which opens as the frame's did
            rex.reload();
            rex.waitOnline();
            rex.openConversation("Pia Park");
            rex.waitForMessage(secrets.get(4));
            assertTrue(rex.shownEdited(secrets.get(4)), "edited, after a reload");

            // what a device without keys reads of the history: that each message is encrypted, and nothing else
            String keyless = token(http.login("rex", null));
            String conversationId = pia.conversationId("Rex Reed");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> archivedSeqs(conversationId, keyless).size() == 4);
            for (JsonNode message : http.get("/v1/conversations/" + conversationId + "/messages", keyless).body()
                    .path("messages")) {
                assertTrue(message.path("encrypted").asBoolean(), message.toString());
                assertTrue(message.path("body").isMissingNode() || message.path("body").isNull(), message.toString());
                assertTrue(message.path("envelope").isMissingNode() || message.path("envelope").isNull(),
                        "none sealed for this device: " + message);
            }

            // all of them went through every server path (the archive has the messages): none is anywhere there
            for (String secret : secrets) {
                assertEquals(List.of(), scan.findings(secret), "where the server side holds \"" + secret + "\"");
            }

            assertEquals(List.of(), errors(pia), "Pia's console");
            assertEquals(List.of(), errors(rex), "Rex's console");
        }
    }

    /**
     * Una and Vic reply, edit, react and delete, and each sees what the other did live: a reply quoting what it
     * answers (and the quote following an edit), the new text in place with its mark, the counts per reaction with
     * their own pressed, a message deleted for both; and the same after a reload. Vic is then away while Una edits,
     * reacts and deletes: back, he sees each message as it is now, and none of it counts as unread or moves the
     * conversation up the list. Finally Una, on another browser, finds her message by searching without its accent
     * and opens the conversation at it, the history around it loaded, each message in its current state.
     */
    @Test
    void repliesEditsReactionsDeletesAndSearch() throws Exception {
        String question = "Shall we meet at the café on Friday?";
        String saturday = "Shall we meet at the café on Saturday?";
        String sunday = "Shall we meet at the café on Sunday?";
        String seeYou = "See you there";
        String answer = "Yes, at noon";
        String map = "I will bring the map";
        try (WebClientUser una = new WebClientUser(new Browser(), stack.port());
             WebClientUser vic = new WebClientUser(new Browser(), stack.port())) {
            una.open().signUp("una", "Una Ueda", PASSWORD);
            vic.open().signUp("vic", "Vic Vance", PASSWORD);
            una.startDirectChatWith("vic");
            una.send(question);
            vic.openConversation("Una Ueda");
            vic.waitForMessage(question);

            // a reply shows what it answers, on both sides
            vic.replyTo(question, answer);
            una.waitForMessage(answer);
            assertEquals(question, una.quoteAbove(answer));
            assertEquals(question, vic.quoteAbove(answer));
            vic.send(map);
            una.waitForMessage(map);

            // an edit replaces the text in place, marked, on both sides; the quote of it follows
            una.edit(question, saturday);
            vic.waitForMessage(saturday);
            assertTrue(vic.shownEdited(saturday), "Vic sees the mark");
            assertEquals(0, vic.messagesWithBody(question), "the old text is gone");
            assertEquals(saturday, vic.eventually(u -> u.quoteAbove(answer), saturday::equals));
            una.waitForMessage(saturday);
            assertTrue(una.shownEdited(saturday), "Una sees the mark");

            // reactions: a count per key on both sides, one's own pressed; pressing one's own takes it back
            vic.react(saturday, "👍");
            assertEquals(List.of("👍 1"), una.eventually(u -> u.reactionsOn(saturday), List.of("👍 1")::equals));
            assertEquals(List.of("👍 1 (mine)"), vic.eventually(u -> u.reactionsOn(saturday), List.of("👍 1 (mine)")::equals));
            una.toggleReaction(saturday, "👍");
            assertEquals(List.of("👍 2 (mine)"), una.eventually(u -> u.reactionsOn(saturday), List.of("👍 2 (mine)")::equals));
            assertEquals(List.of("👍 2 (mine)"), vic.eventually(u -> u.reactionsOn(saturday), List.of("👍 2 (mine)")::equals));
            una.reactWithOther(answer, "🎉");
            assertEquals(List.of("🎉 1"), vic.eventually(u -> u.reactionsOn(answer), List.of("🎉 1")::equals));
            una.toggleReaction(saturday, "👍");
            assertEquals(List.of("👍 1"), una.eventually(u -> u.reactionsOn(saturday), List.of("👍 1")::equals));
            assertEquals(List.of("👍 1 (mine)"), vic.eventually(u -> u.reactionsOn(saturday), List.of("👍 1 (mine)")::equals));
            vic.screenshot("reply-edit-reactions");

            // deleted for everyone, once confirmed; the list's preview says so, without moving or counting as unread
            vic.delete(map);
            assertEquals(List.of(3L), una.eventually(WebClientUser::deletedSeqs, List.of(3L)::equals));
            assertEquals(List.of(3L), vic.eventually(WebClientUser::deletedSeqs, List.of(3L)::equals));
            assertEquals(0, una.messagesWithBody(map));
            assertEquals("Message deleted", una.eventually(u -> u.preview("Vic Vance"), "Message deleted"::equals));
            assertEquals(0, una.unread("Vic Vance"));
            una.screenshot("message-deleted");

            // a reload shows the same: the tab's copy at once, then the server's current state
            vic.reload();
            vic.waitOnline();
            vic.openConversation("Una Ueda");
            vic.waitForMessage(saturday);
            assertTrue(vic.shownEdited(saturday), "edited, after a reload");
            assertEquals(saturday, vic.quoteAbove(answer));
            assertEquals(List.of("👍 1 (mine)"), vic.eventually(u -> u.reactionsOn(saturday), List.of("👍 1 (mine)")::equals));
            assertEquals(List.of("🎉 1"), vic.reactionsOn(answer));
            assertEquals(List.of(3L), vic.deletedSeqs());

            // Vic goes away (his tab leaves the page; the sign-in stays with the tab) while Una edits, reacts and
            // deletes, and talks in a new group: coming back, he sees each message as it is now, and the updates
            // neither count as unread nor move their conversation above the group
            una.send(seeYou);
            vic.waitForMessage(seeYou);
            una.createGroup("Trip planning", "vic");
            una.send("Packing list");
            assertEquals(List.of("Trip planning", "Una Ueda"), vic.eventually(WebClientUser::conversationTitles,
                    List.of("Trip planning", "Una Ueda")::equals));
            vic.browser().open("about:blank");
            una.openConversation("Vic Vance");
            una.edit(saturday, sunday);
            una.waitForMessage(sunday);
            una.react(sunday, "❤️");
            una.toggleReaction(answer, "🎉");
            una.delete(seeYou);
            assertEquals(List.of(3L, 4L), una.eventually(WebClientUser::deletedSeqs, List.of(3L, 4L)::equals));
            assertEquals(List.of("❤️ 1 (mine)", "👍 1"), una.eventually(u -> u.reactionsOn(sunday),
                    List.of("❤️ 1 (mine)", "👍 1")::equals));
            assertEquals(List.of(), una.eventually(u -> u.reactionsOn(answer), List::isEmpty));

            vic.open();
            vic.waitOnline();
            assertEquals(List.of("Trip planning", "Una Ueda"), vic.conversationTitles(), "the updates moved nothing up");
            assertEquals(0, vic.unread("Una Ueda"), "updates are not unread messages");
            assertEquals(1, vic.unread("Trip planning"));
            vic.openConversation("Una Ueda");
            vic.waitForMessage(sunday);
            assertTrue(vic.shownEdited(sunday), "edited while he was away");
            assertEquals(sunday, vic.eventually(u -> u.quoteAbove(answer), sunday::equals));
            assertEquals(List.of("❤️ 1", "👍 1 (mine)"), vic.eventually(u -> u.reactionsOn(sunday),
                    List.of("❤️ 1", "👍 1 (mine)")::equals));
            assertEquals(List.of(), vic.eventually(u -> u.reactionsOn(answer), List::isEmpty));
            assertEquals(List.of(3L, 4L), vic.eventually(WebClientUser::deletedSeqs, List.of(3L, 4L)::equals));
            // and it stays so, all along, while the server's copies replace what the tab kept and the socket replayed
            // (a reaction replayed onto a copy that already counted it is read again from the server after 2 s)
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(250))
                    .until(() -> vic.reactionsOn(sunday).equals(List.of("❤️ 1", "👍 1 (mine)"))
                            && vic.deletedSeqs().equals(List.of(3L, 4L)));
            vic.screenshot("updates-while-away");

            // Una on another browser, with nothing loaded: a search folds accents, emphasises the match, and opens the
            // conversation at the message, far above the newest page, with the history between loaded
            String conversationId = una.conversationId("Vic Vance");
            String vicsTool = token(http.login("vic", null));
            for (int i = 1; i <= 60; i++) {
                Http.Response sent = http.post("/v1/conversations/" + conversationId + "/messages", vicsTool,
                        "{\"id\":\"filler-" + i + "\",\"body\":\"Filler " + i + "\"}");
                assertEquals(202, sent.status(), sent.toString());
            }
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> archivedSeqs(conversationId, vicsTool).contains(64L));
            try (WebClientUser unasLaptop = new WebClientUser(new Browser(), stack.port())) {
                unasLaptop.open().logIn("una", PASSWORD);
                List<String> matches = unasLaptop.eventually(u -> {
                    u.searchMessages("cafe");
                    return u.searchMatches();
                }, List.of("café")::equals);
                assertEquals(List.of("café"), matches, "the accent folded, the match emphasised");
                assertTrue(unasLaptop.searchSnippets().get(0).contains("café on Sunday"), unasLaptop.searchSnippets().toString());
                unasLaptop.screenshot("search-results");
                unasLaptop.openSearchResult("café");
                assertEquals(1L, unasLaptop.eventually(WebClientUser::focusedMessageSeq, Long.valueOf(1)::equals));
                unasLaptop.screenshot("search-result-opened");
                assertTrue(unasLaptop.inView(1), "the message found is in view");
                assertEquals(LongStream.rangeClosed(1, 64).boxed().toList(), unasLaptop.seqsShown(),
                        "the newest page, and the history back to the message found");
                // what history says of each message, with nothing kept by this tab or replayed by the socket
                unasLaptop.waitForMessage(sunday);
                assertTrue(unasLaptop.shownEdited(sunday), "edited, from history");
                assertEquals(sunday, unasLaptop.quoteAbove(answer));
                assertEquals(List.of("❤️ 1 (mine)", "👍 1"), unasLaptop.reactionsOn(sunday));
                assertEquals(List.of(3L, 4L), unasLaptop.deletedSeqs());
                assertEquals(List.of(), errors(unasLaptop), "the laptop's console");
            }

            assertEquals(List.of(), errors(una), "Una's console");
            assertEquals(List.of(), errors(vic), "Vic's console");
        }
    }

    private static final String FAILED_LOAD = "Failed to load resource: the server responded with a status of";

    /** The console's errors but those containing {@code expected}: a refusal the test asked for. */
    private static List<String> errorsBesides(WebClientUser user, String expected) {
        return errors(user).stream().filter(e -> !e.contains(expected)).toList();
    }

    /** Waits until the archive (REST history) has {@code seq} of the conversation, up to 30 s. */
    private static void awaitArchived(String conversationId, long seq) throws Exception {
        String jon = token(http.login("jon", null));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> archivedSeqs(conversationId, jon).contains(seq));
    }

    private static List<Long> archivedSeqs(String conversationId, String token) throws Exception {
        Http.Response history = http.get("/v1/conversations/" + conversationId + "/messages", token);
        List<Long> seqs = new ArrayList<>();
        history.body().path("messages").forEach(message -> seqs.add(message.path("seq").asLong()));
        return seqs;
    }

    private static List<String> errors(WebClientUser user) {
        return user.browser().consoleErrors().stream().map(LogEntry::getMessage).toList();
    }
}
