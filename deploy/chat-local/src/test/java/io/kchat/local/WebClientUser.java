package io.kchat.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;

/**
 * One person using the web client in their own Chromium, driven the way they would: fields found by their visible
 * labels and buttons by their text, so the test also holds the client to its accessible names.
 */
final class WebClientUser implements AutoCloseable {

    private final Browser browser;
    private final String baseUrl;

    WebClientUser(Browser browser, int port) {
        this.browser = browser;
        this.baseUrl = "http://127.0.0.1:" + port;
    }

    Browser browser() {
        return browser;
    }

    WebClientUser open() {
        browser.open(baseUrl + "/");
        return this;
    }

    void signUp(String username, String displayName, String password) {
        press("Sign up");
        type("Username", username);
        type("Display name (optional)", displayName);
        type("Password", password);
        press("Create account");
        waitOnline();
    }

    void logIn(String username, String password) {
        press("Log in"); // the tab
        type("Username", username);
        type("Password", password);
        browser.waitFor(By.cssSelector("form[aria-label='Log in'] button[type=submit]")).click();
        waitOnline();
    }

    /** The phone-code tab: asks for a code to be sent to {@code phone}; the code field appears. */
    void requestPhoneCode(String phone) {
        press("Phone code");
        type("Phone number (with country code, e.g. +15551234567)", phone);
        press("Send code");
        browser.waitFor(By.xpath("//label[normalize-space()='Code from the text message']"));
    }

    void enterPhoneCode(String code) {
        type("Code from the text message", code);
        browser.waitFor(By.cssSelector("form[aria-label='Log in with a phone code'] button[type=submit]")).click();
        waitOnline();
    }

    void createGroup(String name, String... usernames) {
        press("New group");
        type("Group name", name);
        for (String username : usernames) {
            type("Add people", username);
            click(addButtonFor(username));
            browser.waitFor(By.xpath("//ul[@aria-label='Members to add']/li[contains(., '" + username + "')]"));
        }
        press("Create group");
        composer();
    }

    void openDetails() {
        press("Details");
        browser.waitFor(By.cssSelector("dialog[open]"));
    }

    void renameGroup(String name) {
        type("Group name", name);
        press("Rename");
    }

    void addMember(String username) {
        type("Add a member", username);
        click(addButtonFor(username));
        waitForMember(username);
    }

    /** A search result's button: "Add ann", or "Add Ann Archer (@ann)" for a user with a display name. */
    private static By addButtonFor(String username) {
        return By.xpath("//dialog//button[normalize-space()='Add " + username + "' or (starts-with("
                + "normalize-space(), 'Add ') and contains(., '(@" + username + ")'))]");
    }

    void waitForMember(String name) {
        browser.waitFor(By.xpath("//dialog//ul[@aria-label='Members']/li[contains(., '" + name + "')]"));
    }

    void removeMember(String name) {
        press("Remove " + name);
        browser.waitFor(driver -> driver.findElements(By.xpath("//dialog//ul[@aria-label='Members']/li[contains(., '"
                + name + "')]")).isEmpty());
    }

    void leaveGroup() {
        press("Leave group");
    }

    void closeDialog() {
        browser.waitFor(By.xpath("//dialog//button[normalize-space()='Close']")).click();
    }

    /** Opens the contacts dialog from the conversation list's actions. */
    void openContacts() {
        click(By.cssSelector(".sidebar-actions .contacts-button"));
        browser.waitFor(By.xpath("//dialog[@open]//h2[normalize-space()='Contacts']"));
    }

    /** The count on the Contacts button (incoming requests waiting for an answer), 0 when it shows none. */
    int contactRequestBadge() {
        return browser.waitFor(driver -> {
            List<WebElement> badges = driver.findElements(By.cssSelector(".contacts-button .badge"));
            return badges.isEmpty() || !badges.get(0).isDisplayed() ? 0 : Integer.parseInt(badges.get(0).getText());
        });
    }

    /** In the contacts dialog: the optional message, then the person found by {@code username}, then their button. */
    void sendContactRequest(String username, String message) {
        type("Message with your request (optional)", message);
        type("Find a person to add", username);
        click(resultButton("Send request to", username));
    }

    /**
     * The names one list of the contacts dialog shows, in order: "Contact requests" (to me), "Sent requests",
     * "Contacts" or "Blocked people".
     */
    List<String> peopleIn(String list) {
        return browser.waitFor(driver -> driver.findElements(By.xpath("//dialog//ul[@aria-label='" + list
                + "']/li//span[@class='name']")).stream().map(WebElement::getText).toList());
    }

    /** The message that came with the request from {@code name}, in the contacts dialog. */
    String requestMessage(String name) {
        return browser.read(By.xpath("//dialog//ul[@aria-label='Contact requests']/li[.//span[@class='name' and "
                + "normalize-space()='" + name + "']]//p[@class='request-message']"), WebElement::getText);
    }

    /** Presses {@code button} (Accept, Decline, Message, Remove, Block, Unblock) in {@code name}'s row of a list. */
    void pressFor(String list, String name, String button) {
        click(By.xpath("//dialog//ul[@aria-label='" + list + "']/li[.//span[@class='name' and normalize-space()='"
                + name + "']]//button[normalize-space()='" + button + "']"));
    }

    /** The account dialog's "Who can message me": "Everyone" or "Contacts only", saved. */
    void setWhoCanMessageMe(String choice) {
        browser.waitFor(By.xpath("//button[contains(normalize-space(), 'Account')]")).click();
        click(By.xpath("//dialog//label[normalize-space()='" + choice + "']"));
        press("Save privacy");
        browser.waitFor(By.xpath("//dialog//p[@role='status' and starts-with(normalize-space(), 'Saved:')]"));
        closeDialog();
    }

    /** Asks for a direct chat from "New chat", as startDirectChatWith, but expects no conversation to open. */
    void tryDirectChatWith(String username) {
        press("New chat");
        type("Find a person by name", username);
        click(resultButton("Chat with", username));
    }

    /** What the new-chat dialog says when the chat was refused, once it says it. */
    String chatRefusal() {
        return browser.read(By.cssSelector("dialog .refusal"), WebElement::getText);
    }

    /** Waits until an open dialog shows {@code text} as its status (what an action did). */
    void waitForDialogStatus(String text) {
        browser.waitFor(By.xpath("//dialog//*[@role='status' and normalize-space()='" + text + "']"));
    }

    /** The notice that stands in for the composer in a direct conversation with someone I blocked; "" when none. */
    String blockedNotice() {
        return browser.waitFor(driver -> driver.findElements(By.cssSelector(".blocked-notice")).stream()
                .filter(WebElement::isDisplayed).map(e -> e.findElement(By.tagName("span")).getText())
                .findFirst().orElse(""));
    }

    /** How many messages on screen are folded as from someone I blocked. */
    int collapsedMessages() {
        return browser.driver().findElements(By.cssSelector(".messages li.collapsed")).size();
    }

    /** Unfolds the first folded message, as a reader who wants to see it. */
    void showCollapsed() {
        click(By.xpath("//ol[@class='messages']/li[contains(@class, 'collapsed')]//button"));
    }

    /**
     * A search result's button in a dialog: "Chat with ann", or "Chat with Ann Archer (@ann)" for a user with a
     * display name.
     */
    private static By resultButton(String action, String username) {
        return By.xpath("//dialog//button[normalize-space()='" + action + " " + username + "' or (starts-with("
                + "normalize-space(), '" + action + " ') and contains(., '(@" + username + ")'))]");
    }

    /** The titles in the conversation list, most recent first. */
    List<String> conversationTitles() {
        return browser.waitFor(driver -> driver.findElements(By.cssSelector(".conversation-item .title")).stream()
                .map(WebElement::getText).toList());
    }

    String heading() {
        return browser.read(By.id("conversation-title"), WebElement::getText);
    }

    void waitOnline() {
        browser.waitFor(By.cssSelector(".status[data-status=online]"));
    }

    void startDirectChatWith(String username) {
        press("New chat");
        type("Find a person by name", username);
        click(By.xpath("//dialog//button[starts-with(normalize-space(), 'Chat with') and contains(., '"
                + username + "')]"));
        composer();
    }

    /** As startDirectChatWith, with "End-to-end encrypted" ticked first. */
    void startEncryptedDirectChatWith(String username) {
        press("New chat");
        click(By.xpath("//dialog//label[normalize-space()='End-to-end encrypted']"));
        browser.waitFor(driver -> driver.findElement(By.xpath("//dialog//input[@type='checkbox' and @id=//dialog//label["
                + "normalize-space()='End-to-end encrypted']/@for]")).isSelected());
        type("Find a person by name", username);
        click(By.xpath("//dialog//button[starts-with(normalize-space(), 'Chat with') and contains(., '"
                + username + "')]"));
        composer();
    }

    /** Whether the open conversation's header says it is end-to-end encrypted. */
    boolean headerSaysEncrypted() {
        return browser.driver().findElements(By.cssSelector(".conversation-header .lock")).stream()
                .anyMatch(lock -> lock.isDisplayed() && lock.getText().equals("End-to-end encrypted"));
    }

    /** Whether the conversation list shows a lock, labelled for assistive technology, on {@code title}. */
    boolean listShowsLock(String title) {
        return !browser.driver().findElements(By.xpath("//button[contains(@class, 'conversation-item')][.//span["
                + "@class='title' and normalize-space()='" + title + "']]//span[@class='lock' and @role='img' and "
                + "@aria-label='End-to-end encrypted']")).isEmpty();
    }

    /** The open direct conversation's safety number, as its details show it once worked out; the dialog is closed. */
    String safetyNumber() {
        openDetails();
        String number = browser.waitFor(driver -> {
            String text = driver.findElement(By.cssSelector("dialog .safety-number")).getText();
            return text.matches("[\\d ]+") ? text : null;
        });
        screenshot("safety-number");
        closeDialog();
        return number;
    }

    /** How many messages on screen stand in for text this device cannot show, with {@code note} as the reason. */
    int messagesNoted(String note) {
        return browser.driver().findElements(By.xpath("//ol[@class='messages']/li[p[contains(@class, 'body-note') and "
                + "normalize-space()='" + note + "']]")).size();
    }

    /** Everything the tab keeps in sessionStorage (tokens, outbox, message cache), as one JSON text. */
    String sessionStorageText() {
        return (String) script("return JSON.stringify(Object.assign({}, sessionStorage))");
    }

    void openConversation(String title) {
        click(By.xpath("//button[contains(@class, 'conversation-item')][.//span[@class='title' and "
                + "normalize-space()='" + title + "']]"));
        composer();
    }

    /** Clicks what {@code locator} finds, finding it again when the list it is in was redrawn in between. */
    private void click(By locator) {
        browser.waitFor(driver -> {
            driver.findElement(locator).click();
            return true;
        });
    }

    /** What the list shows under a conversation's title: its last message, or what it is when nothing was said. */
    String preview(String title) {
        return browser.read(By.xpath("//button[contains(@class, 'conversation-item')][.//span[@class='title' and "
                + "normalize-space()='" + title + "']]//span[@class='preview']"), WebElement::getText);
    }

    /** The unread count of a conversation in the list, 0 when it shows none. */
    int unread(String title) {
        List<WebElement> badges = browser.driver().findElements(By.xpath("//button[contains(@class, 'conversation-item')]"
                + "[.//span[@class='title' and normalize-space()='" + title + "']]//span[@class='badge']"));
        return badges.isEmpty() ? 0 : Integer.parseInt(badges.get(0).getText());
    }

    WebElement composer() {
        WebElement label = browser.waitFor(By.xpath("//label[starts-with(normalize-space(), 'Message to')]"));
        return browser.driver().findElement(By.id(label.getAttribute("for")));
    }

    void typeWithoutSending(String text) {
        composer().sendKeys(text);
    }

    /** Types the message and presses Enter, as a person sends one. */
    void send(String text) {
        composer().sendKeys(text, Keys.ENTER);
    }

    void clearComposer() {
        composer().sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
    }

    /** How many messages with this body are on screen, sent or still in the outbox. */
    int messagesWithBody(String body) {
        return browser.driver().findElements(By.xpath("//ol[@class='messages']/li[p[@class='body' and normalize-space()='"
                + body + "']]")).size();
    }

    /** Waits until a message with this body is on screen. */
    void waitForMessage(String body) {
        browser.waitFor(By.xpath("//ol[@class='messages']/li/p[@class='body' and normalize-space()='" + body + "']"));
    }

    /** The mark of one of my messages: Sending…, Sent, Delivered, Read, or "Not sent: ...". */
    String markOf(String body) {
        return browser.waitFor(driver -> driver.findElement(By.xpath("//ol[@class='messages']/li[contains(@class, "
                + "'mine')][p[@class='body' and normalize-space()='" + body + "']]//span[contains(@class, 'state')]"))
                .getText());
    }

    void waitForMark(String body, String mark) {
        browser.waitFor(driver -> mark.equals(markOf(body)));
    }

    String typingLine() {
        return browser.driver().findElement(By.cssSelector(".typing")).getText();
    }

    /** The gateway's id of the socket session the client holds now. */
    String socketSession() {
        return browser.read(By.cssSelector(".status[data-status=online]"),
                element -> element.getAttribute("data-session"));
    }

    /** The connection status the top bar shows: connecting, syncing, online, offline, replaced. */
    String status() {
        return browser.read(By.cssSelector(".status"), element -> element.getAttribute("data-status"));
    }

    /** What the alerts region says now, every alert in one string. */
    String alerts() {
        return browser.driver().findElement(By.cssSelector(".alerts")).getText();
    }

    /** The signed-in user's id (the tab's session storage). */
    String userId() {
        return (String) script("return JSON.parse(sessionStorage.getItem('kchat.session')).userId");
    }

    /** The id of the conversation the list shows under {@code title}. */
    String conversationId(String title) {
        return browser.read(By.xpath("//button[contains(@class, 'conversation-item')][.//span[@class='title' and "
                + "normalize-space()='" + title + "']]"), element -> element.getAttribute("data-conversation-id"));
    }

    /** The keys under which the tab keeps the messages it has shown (message-cache.js), sorted. */
    @SuppressWarnings("unchecked")
    List<String> storedMessageKeys() {
        return (List<String>) script("return Object.keys(sessionStorage).filter(k => k.startsWith('kchat.messages.')).sort()");
    }

    String stored(String key) {
        return (String) script("return sessionStorage.getItem(arguments[0])", key);
    }

    void store(String key, String value) {
        script("sessionStorage.setItem(arguments[0], arguments[1])", key, value);
    }

    /** The socket session the status shows now, whatever the status; "" while no socket of this page got `ready`. */
    String socketSessionNow() {
        return browser.read(By.cssSelector(".status"), element -> element.getAttribute("data-session"));
    }

    /** The access token the client holds now (the tab's session storage). */
    String accessToken() {
        return (String) script("return JSON.parse(sessionStorage.getItem('kchat.session')).accessToken");
    }

    String onlineCount() {
        return browser.driver().findElement(By.cssSelector(".online-count")).getText();
    }

    /**
     * What {@code read} returns once {@code expected} accepts it, or its last value when it never does within the
     * browser's timeout: an assertion on that value then says what was on screen.
     */
    <T> T eventually(Function<WebClientUser, T> read, Predicate<T> expected) {
        AtomicReference<T> last = new AtomicReference<>();
        try {
            return browser.waitFor(driver -> {
                last.set(read.apply(this));
                return expected.test(last.get()) ? last.get() : null;
            });
        } catch (TimeoutException e) {
            return last.get();
        }
    }

    String subtitle() {
        return browser.driver().findElement(By.cssSelector(".conversation-header .subtitle")).getText();
    }

    /** The seqs of the messages on screen, top to bottom. */
    List<Long> seqsShown() {
        return browser.waitFor(driver -> driver.findElements(By.cssSelector(".messages li[data-seq]")).stream()
                .map(e -> Long.parseLong(e.getAttribute("data-seq"))).toList());
    }

    // --- replies, edits, deletes, reactions: a message found by its text, as a reader finds it

    private static String messageWith(String body) {
        return "//ol[@class='messages']/li[p[@class='body' and normalize-space()='" + body + "']]";
    }

    /**
     * Presses one of a message's actions (Reply, React, Edit, Delete). They show while the focus is within the
     * message (or the pointer over it), so the message is focused first, as a keyboard user reaches them.
     */
    void messageAction(String body, String action) {
        By button = By.xpath(messageWith(body) + "/div[@class='message-actions']/button[normalize-space()='" + action
                + "']");
        browser.waitFor(driver -> {
            script("arguments[0].focus()", driver.findElement(By.xpath(messageWith(body))));
            driver.findElement(button).click();
            return true;
        });
    }

    /** Replies to the message {@code body} with {@code reply}, once the composer shows what it answers. */
    void replyTo(String body, String reply) {
        messageAction(body, "Reply");
        browser.waitFor(By.xpath("//div[contains(@class, 'composer-context')][starts-with(normalize-space(), "
                + "'Replying to')]"));
        send(reply);
    }

    /** What the message {@code body} shows of the message it answers: its text, or why there is none. */
    String quoteAbove(String body) {
        return browser.read(By.xpath(messageWith(body) + "/button[contains(@class, 'quote')]/span[@class="
                + "'quote-text']"), WebElement::getText);
    }

    /** Clicks the quote above {@code body}: the message it answers is shown. */
    void openQuoteAbove(String body) {
        click(By.xpath(messageWith(body) + "/button[contains(@class, 'quote')]"));
    }

    /** Edits my message {@code body} to {@code newBody} through the composer, saved with Enter. */
    void edit(String body, String newBody) {
        messageAction(body, "Edit");
        browser.waitFor(By.xpath("//div[contains(@class, 'composer-context')][starts-with(normalize-space(), "
                + "'Editing your message')]"));
        clearComposer();
        send(newBody);
    }

    /** Whether the message {@code body} is on screen with the "edited" mark. */
    boolean shownEdited(String body) {
        return !browser.driver().findElements(By.xpath(messageWith(body) + "/span[@class='meta']/span[@class='edited' "
                + "and normalize-space()='edited']")).isEmpty();
    }

    /** Reacts to {@code body} with one of the picker's quick emoji. */
    void react(String body, String key) {
        messageAction(body, "React");
        click(By.xpath(messageWith(body) + "//form[@aria-label='Choose a reaction']//button[@aria-label='React with "
                + key + "']"));
    }

    /** Reacts to {@code body} with a key typed in the picker's field. */
    void reactWithOther(String body, String key) {
        messageAction(body, "React");
        type("Another reaction (an emoji or a short word)", key);
        click(By.xpath(messageWith(body) + "//form[@aria-label='Choose a reaction']//button[normalize-space()='Add']"));
    }

    /** Presses the reaction {@code key} under {@code body}: adds mine, or takes mine away. */
    void toggleReaction(String body, String key) {
        click(By.xpath(messageWith(body) + "/ul[@class='reactions']//button[@data-key='" + key + "']"));
    }

    /** The reactions under {@code body}, in order: "👍 2", with " (mine)" when mine is among them. */
    List<String> reactionsOn(String body) {
        return browser.waitFor(driver -> driver.findElements(By.xpath(messageWith(body) + "/ul[@class='reactions']"
                + "//button")).stream().map(button -> button.getAttribute("data-key") + " "
                + button.findElement(By.className("count")).getText()
                + ("true".equals(button.getAttribute("aria-pressed")) ? " (mine)" : "")).toList());
    }

    /** Deletes the message {@code body}, confirming when asked. */
    void delete(String body) {
        messageAction(body, "Delete");
        click(By.xpath(messageWith(body) + "//button[normalize-space()='Delete for everyone']"));
    }

    /** The seqs of the messages shown as deleted. */
    List<Long> deletedSeqs() {
        return browser.waitFor(driver -> driver.findElements(By.xpath("//ol[@class='messages']/li[p[contains(@class, "
                + "'deleted') and normalize-space()='This message was deleted']]")).stream()
                .map(e -> Long.parseLong(e.getAttribute("data-seq"))).toList());
    }

    // --- media: photos, files, voice notes, avatars

    /** Chooses {@code file} in the account dialog's "Choose a profile photo"; waits until it is saved. */
    void setProfilePhoto(Path file) {
        browser.waitFor(By.xpath("//button[contains(normalize-space(), 'Account')]")).click();
        chooseFile("Choose a profile photo", file);
        waitForDialogStatus("Photo saved.");
        closeDialog();
    }

    /** Chooses {@code file} in a file input found by its visible label, as a person picks it in the file chooser. */
    void chooseFile(String label, Path file) {
        WebElement labelElement = browser.waitFor(By.xpath("//label[normalize-space()='" + label + "']"));
        browser.driver().findElement(By.id(labelElement.getAttribute("for"))).sendKeys(file.toAbsolutePath().toString());
    }

    /** Attaches {@code file} to the message being written ("Attach files"). */
    void attach(Path file) {
        chooseFile("Attach files", file);
    }

    /** What the composer's file {@code name} ("Voice note" for a recording) says of its upload: "Uploaded", ... */
    String trayState(String name) {
        return browser.waitFor(driver -> driver.findElement(By.xpath("//ul[@aria-label='Files to send']/li[.//span["
                + "@class='tray-name' and normalize-space()='" + name + "']]//span[contains(@class, 'upload-state')]"))
                .getText());
    }

    /** Whether the composer offers "Attach files" and "Record voice note" (not in encrypted conversations). */
    boolean mediaControlsShown() {
        return browser.driver().findElements(By.cssSelector(".composer-media-controls")).stream()
                .anyMatch(WebElement::isDisplayed);
    }

    /** The names of the files in the composer, in order. */
    List<String> trayNames() {
        return browser.driver().findElements(By.cssSelector("ul.tray .tray-name")).stream()
                .filter(WebElement::isDisplayed).map(WebElement::getText).toList();
    }

    /** Presses the button named {@code name} (its accessible name: aria-label, else its text). */
    void pressNamed(String name) {
        click(By.xpath("//button[@aria-label='" + name + "' or (not(@aria-label) and normalize-space()='" + name + "')]"));
    }

    /** The composer's Send button, as pressed with the mouse (a message of files alone has no text to press Enter on). */
    void pressSend() {
        click(By.cssSelector("form.composer button[type=submit]"));
    }

    /**
     * Records a voice note of about {@code seconds} from the (fake) microphone: Record, the recording state with its
     * time counting, Stop. The recording lands in the composer's files.
     */
    void recordVoiceNote(int seconds) {
        press("Record voice note");
        browser.waitFor(By.xpath("//div[@role='group' and @aria-label='Recording a voice note']"));
        browser.waitFor(driver -> {
            String elapsed = driver.findElement(By.cssSelector(".recording .elapsed")).getText();
            String[] parts = elapsed.split(":");
            return elapsed.matches("\\d+:\\d\\d")
                    && Integer.parseInt(parts[0]) * 60 + Integer.parseInt(parts[1]) >= seconds;
        }, Duration.ofSeconds(seconds + 20L));
        screenshot("recording");
        press("Stop recording");
    }

    /**
     * The photo of message {@code seq} as shown: {@code src}, {@code naturalWidth}, the {@code width} and
     * {@code height} reserved for it, and the button's accessible name {@code label}; null while not loaded.
     */
    @SuppressWarnings("unchecked")
    Map<String, Object> thumbnail(long seq) {
        return browser.waitFor(driver -> (Map<String, Object>) script("const img = document.querySelector("
                + "'.messages li[data-seq=\"' + arguments[0] + '\"] .thumbnail img');"
                + " if (!img || !img.complete || !img.src || img.naturalWidth === 0) return null;"
                + " return {src: img.getAttribute('src'), naturalWidth: img.naturalWidth, width: img.getAttribute('width'),"
                + " height: img.getAttribute('height'), label: img.closest('button').getAttribute('aria-label')};", seq));
    }

    /** The accessible name of the (first) file link of message {@code seq}: "Download name, size". */
    String fileLinkLabel(long seq) {
        return browser.read(By.cssSelector(".messages li[data-seq='" + seq + "'] a.file-link"),
                element -> element.getAttribute("aria-label"));
    }

    /**
     * Clicks the (first) file link of message {@code seq} and waits until the client has fetched it and handed it to
     * the browser to save (its note, "Downloading…" meanwhile, is empty again; a failure would stay written there).
     */
    void download(long seq) {
        String file = ".messages li[data-seq='" + seq + "'] .file";
        browser.waitFor(By.cssSelector(file + " a.file-link")).click();
        String note = browser.waitFor(driver -> {
            String text = driver.findElement(By.cssSelector(file + " .attachment-note")).getText();
            return text.equals("Downloading…") ? null : text;
        });
        if (!note.isEmpty()) {
            throw new AssertionError("the download: " + note);
        }
    }

    /** Opens the photo of message {@code seq} from the keyboard: its button focused, Enter. */
    void openPhotoWithKeyboard(long seq) {
        WebElement button = browser.waitFor(By.cssSelector(".messages li[data-seq='" + seq + "'] .thumbnail"));
        script("arguments[0].focus()", button);
        button.sendKeys(Keys.ENTER);
        browser.waitFor(By.cssSelector("dialog.image-viewer[open]"));
    }

    /** The image viewer's full image, once loaded from a blob: URL: its natural width. */
    long viewerImageWidth() {
        return browser.waitFor(driver -> {
            // data-full: the viewer has put the image itself in place of the thumbnail it may show meanwhile
            Object width = script("const img = document.querySelector('dialog.image-viewer[open] img.viewer-image');"
                    + " return img && img.dataset.full === 'true' && img.complete && img.src.startsWith('blob:')"
                    + " && img.naturalWidth > 0 ? img.naturalWidth : null;");
            return width == null ? null : ((Number) width).longValue();
        });
    }

    /** Escape, as a keyboard user closes the viewer; waits until it is gone. */
    void closeViewerWithEscape() {
        browser.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);
        browser.waitFor(driver -> driver.findElements(By.cssSelector("dialog.image-viewer")).isEmpty());
    }

    /** Whether the focus is on the photo button of message {@code seq}. */
    boolean photoButtonFocused(long seq) {
        return Boolean.TRUE.equals(script("return document.activeElement === document.querySelector("
                + "'.messages li[data-seq=\"' + arguments[0] + '\"] .thumbnail')", seq));
    }

    /** The voice note player of message {@code seq}: its label, title text and whether its source is a blob: URL. */
    @SuppressWarnings("unchecked")
    Map<String, Object> voiceNote(long seq) {
        return browser.waitFor(driver -> (Map<String, Object>) script("const audio = document.querySelector("
                + "'.messages li[data-seq=\"' + arguments[0] + '\"] audio');"
                + " if (!audio || !audio.getAttribute('src')) return null;"
                + " return {label: audio.getAttribute('aria-label'), src: audio.getAttribute('src'),"
                + " title: audio.closest('.audio-player').querySelector('.audio-title').textContent};", seq));
    }

    /**
     * Plays the voice note of message {@code seq} (from a script, as its play button would) once its length is
     * known; returns its {@code duration}, and {@code currentTime} and {@code ended} once it has played a moment.
     */
    @SuppressWarnings("unchecked")
    Map<String, Object> playVoiceNote(long seq) {
        String audio = "document.querySelector('.messages li[data-seq=\"' + arguments[0] + '\"] audio')";
        double duration = browser.waitFor(driver -> {
            Object value = script("const a = " + audio + "; return a && a.readyState >= 1 && a.duration > 0"
                    + " && Number.isFinite(a.duration) ? a.duration : null;", seq);
            return value == null ? null : ((Number) value).doubleValue();
        });
        script("const a = " + audio + "; a.play().catch(e => { a.dataset.playError = e.name + ': ' + e.message; });", seq);
        return browser.waitFor(driver -> (Map<String, Object>) script("const a = " + audio + ";"
                + " if (a.dataset.playError) return {error: a.dataset.playError};"
                + " return a.currentTime > 0 || a.ended ? {duration: arguments[1], currentTime: a.currentTime,"
                + " ended: a.ended} : null;", seq, duration));
    }

    /**
     * The avatar shown for {@code title} in the conversation list: its {@code mediaId}, and once its picture has
     * loaded, {@code src} and {@code naturalWidth} ({@code initials} otherwise).
     */
    @SuppressWarnings("unchecked")
    Map<String, Object> listAvatar(String title) {
        WebElement item = browser.waitFor(By.xpath("//button[contains(@class, 'conversation-item')][.//span[@class="
                + "'title' and normalize-space()='" + title + "']]"));
        return (Map<String, Object>) script(AVATAR_STATE, item.findElement(By.cssSelector(".avatar")));
    }

    /** The avatar in the open conversation's header, as {@link #listAvatar}. */
    @SuppressWarnings("unchecked")
    Map<String, Object> headerAvatar() {
        return (Map<String, Object>) script(AVATAR_STATE,
                browser.waitFor(By.cssSelector(".conversation-header .avatar")));
    }

    /** My own avatar in the top bar's account button, as {@link #listAvatar}. */
    @SuppressWarnings("unchecked")
    Map<String, Object> ownAvatar() {
        return (Map<String, Object>) script(AVATAR_STATE, browser.waitFor(By.cssSelector(".topbar .me .avatar")));
    }

    private static final String AVATAR_STATE = "const a = arguments[0], img = a.querySelector('img');"
            + " const loaded = a.classList.contains('has-image') && img && img.complete && img.naturalWidth > 0;"
            + " return {mediaId: a.dataset.mediaId || null, initials: a.dataset.initials, hidden: a.getAttribute('aria-hidden'),"
            + " src: loaded ? img.getAttribute('src') : null, naturalWidth: loaded ? img.naturalWidth : 0};";

    // --- message search

    /** Searches my messages for {@code query} from the sidebar's box (Enter), waiting for the outcome. */
    void searchMessages(String query) {
        type("Search messages", query);
        browser.driver().findElement(By.id("message-search")).sendKeys(Keys.ENTER);
        browser.waitFor(By.xpath("//section[@aria-label='Search results']/div/p[@role='status' and (contains(., "
                + "'found for') or starts-with(normalize-space(), 'The search failed'))]"));
    }

    /** The snippets of the results shown, newest first. */
    List<String> searchSnippets() {
        return browser.waitFor(driver -> driver.findElements(By.cssSelector(".search-result .highlight")).stream()
                .map(WebElement::getText).toList());
    }

    /** The parts of the results' snippets shown emphasised as matches. */
    List<String> searchMatches() {
        return browser.waitFor(driver -> driver.findElements(By.cssSelector(".search-result .highlight mark")).stream()
                .map(WebElement::getText).toList());
    }

    /** Opens the (first) search result whose snippet contains {@code text}. */
    void openSearchResult(String text) {
        click(By.xpath("//button[contains(@class, 'search-result')][.//span[@class='highlight' and contains(., '"
                + text + "')]]"));
    }

    /** The seq of the message that has the focus, null when the focus is not on a message of the open conversation. */
    Long focusedMessageSeq() {
        Object seq = script("const m = document.activeElement && document.activeElement.closest('.messages li[data-seq]');"
                + " return m ? m.dataset.seq : null");
        return seq == null ? null : Long.parseLong(seq.toString());
    }

    /** Whether the message {@code seq} is within the message list's visible area. */
    boolean inView(long seq) {
        return Boolean.TRUE.equals(script("const m = document.querySelector('.messages li[data-seq=\"' + arguments[0] "
                + "+ '\"]'); if (!m) return false; const s = document.querySelector('.scroller')"
                + ".getBoundingClientRect(), r = m.getBoundingClientRect(); return r.bottom > s.top && r.top < s.bottom;",
                seq));
    }

    /** Scrolls the message list to its top, where older messages are loaded. */
    void scrollToTop() {
        script("document.querySelector('.scroller').scrollTop = 0");
    }

    // --- notifications (the account dialog, the service worker) and the conversation menu

    /** Opens the client at {@code /?conversation=id}, the URL a notification opens when no tab of the client is. */
    WebClientUser openAtConversation(String conversationId) {
        browser.open(baseUrl + "/?conversation=" + conversationId);
        return this;
    }

    /** The page's origin, e.g. {@code http://127.0.0.1:8080}. */
    String origin() {
        return baseUrl;
    }

    /** {@code Notification.permission}: "default" until the person was asked, then "granted" or "denied". */
    String notificationPermission() {
        return (String) script("return Notification.permission");
    }

    /** How often the page asked for the notification permission (see {@link Browser#countPermissionRequests}). */
    long permissionRequests() {
        return ((Number) script("return window.__permissionRequests")).longValue();
    }

    /** The service worker registered for {@code /}, once active: its {@code scope} and {@code script} URL; else null. */
    @SuppressWarnings("unchecked")
    Map<String, Object> serviceWorker() {
        return (Map<String, Object>) asyncScript("navigator.serviceWorker.getRegistration('/').then(r => r && r.active"
                + " ? {scope: r.scope, script: r.active.scriptURL} : null)");
    }

    /** The notifications the service worker shows now: {@code title}, {@code body}, {@code tag}, {@code data}. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> notifications() {
        return (List<Map<String, Object>>) asyncScript("navigator.serviceWorker.getRegistration('/')"
                + ".then(r => r ? r.getNotifications() : [])"
                + ".then(list => list.map(n => ({title: n.title, body: n.body, tag: n.tag, data: n.data})))");
    }

    /** Closes every notification shown, as a person dismissing them. */
    void dismissNotifications() {
        asyncScript("navigator.serviceWorker.getRegistration('/').then(r => r.getNotifications())"
                + ".then(list => { list.forEach(n => n.close()); return list.length; })");
    }

    /** The script's promise, settled: its value, or for a rejection an AssertionError saying why. */
    private Object asyncScript(String promise) {
        Object outcome = ((JavascriptExecutor) browser.driver()).executeAsyncScript("const done = arguments[0];"
                + " Promise.resolve().then(() => " + promise + ").then(value => done({value}),"
                + " e => done({error: e.name + ': ' + e.message}));");
        Map<?, ?> settled = (Map<?, ?>) outcome;
        if (settled.containsKey("error")) {
            throw new AssertionError("in the page: " + settled.get("error"));
        }
        return settled.get("value");
    }

    void openAccount() {
        browser.waitFor(By.xpath("//button[contains(normalize-space(), 'Account')]")).click();
        browser.waitFor(By.xpath("//dialog[@open]//h2[normalize-space()='Your account']"));
    }

    /** The account dialog's "Show message text in notifications", ticked or not as {@code shown}. */
    void showMessageTextInNotifications(boolean shown) {
        WebElement box = browser.waitFor(By.id("push-previews"));
        if (box.isSelected() != shown) {
            click(By.xpath("//dialog//label[normalize-space()='Show message text in notifications']"));
        }
        browser.waitFor(driver -> driver.findElement(By.id("push-previews")).isSelected() == shown);
    }

    /** What the account dialog says of notifications in this browser, once it is not busy ("…"). */
    String notificationsStatus() {
        return browser.waitFor(driver -> {
            String text = driver.findElement(By.cssSelector("dialog .push-status")).getText();
            return text.endsWith("…") ? null : text;
        }, Duration.ofSeconds(40)); // a browser without a push service is given 20 s to answer
    }

    /** The failure the notifications section shows, "" when none. */
    String notificationsError() {
        return browser.driver().findElement(By.cssSelector("dialog .push-section .form-error")).getText();
    }

    /** Presses the conversation menu's {@code item} (Pin, Mute for 1 hour, Archive, ...) from its Options button. */
    void chooseInConversationMenu(String item) {
        click(By.xpath("//header[@class='conversation-header']//button[@aria-haspopup='menu' and normalize-space()="
                + "'Options']"));
        click(By.xpath("//div[@role='menu' and @aria-label='Conversation options']//button[@role='menuitem' and "
                + "normalize-space()='" + item + "']"));
    }

    /** The items the conversation menu offers now (opened and closed again with Escape, from the keyboard). */
    List<String> conversationMenuItems() {
        WebElement button = browser.waitFor(By.xpath("//header[@class='conversation-header']//button["
                + "@aria-haspopup='menu']"));
        script("arguments[0].focus()", button);
        button.sendKeys(Keys.ARROW_DOWN);
        List<String> items = browser.waitFor(driver -> {
            List<String> names = driver.findElements(By.cssSelector("[role=menu] [role=menuitem]")).stream()
                    .filter(WebElement::isDisplayed).map(WebElement::getText).toList();
            return names.isEmpty() ? null : names;
        });
        String focused = (String) script("return document.activeElement.textContent");
        if (!items.get(0).equals(focused)) {
            throw new AssertionError("the menu opened from the keyboard focuses its first item, not " + focused);
        }
        browser.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);
        browser.waitFor(driver -> Boolean.TRUE.equals(script("return document.activeElement === arguments[0]"
                + " && arguments[0].getAttribute('aria-expanded') === 'false'", button)));
        return items;
    }

    /** The titles of the main conversation list (not the archived ones), top to bottom. */
    List<String> listedTitles() {
        return browser.waitFor(driver -> driver.findElements(By.cssSelector("ul[aria-label='Conversations'] "
                + ".conversation-item .title")).stream().map(WebElement::getText).toList());
    }

    /** The titles under "Archived (n)", when expanded. */
    List<String> archivedTitles() {
        return browser.waitFor(driver -> driver.findElements(By.cssSelector("ul[aria-label='Archived conversations'] "
                + ".conversation-item .title")).stream().filter(WebElement::isDisplayed).map(WebElement::getText).toList());
    }

    /** What the archive's toggle says ("Archived (1)"), without its unread count; "" when none shows. */
    String archivedToggle() {
        return browser.driver().findElements(By.cssSelector(".archived-toggle")).stream().filter(WebElement::isDisplayed)
                .map(toggle -> (String) script("return arguments[0].firstChild.textContent", toggle))
                .findFirst().orElse("");
    }

    /** The unread count on the archive's toggle, 0 when it shows none. */
    int archivedUnread() {
        List<WebElement> badges = browser.driver().findElements(By.cssSelector(".archived-toggle .badge"));
        return badges.isEmpty() ? 0 : Integer.parseInt(badges.get(0).getText());
    }

    /** Opens or closes the archived conversations. */
    void toggleArchived() {
        click(By.cssSelector(".archived-toggle"));
    }

    /** The marks a conversation shows in the list, by their accessible names ("Muted", "Pinned"). */
    List<String> listMarks(String title) {
        return browser.waitFor(driver -> driver.findElements(By.xpath("//button[contains(@class, 'conversation-item')]"
                + "[.//span[@class='title' and normalize-space()='" + title + "']]//span[contains(@class, 'mark') and "
                + "@role='img']")).stream().map(mark -> mark.getAttribute("aria-label")).toList());
    }

    /** What the open conversation's header says of a mute ("Muted until …"), "" when not muted. */
    String headerMuteMark() {
        return browser.driver().findElements(By.cssSelector(".conversation-header .muted-mark")).stream()
                .filter(WebElement::isDisplayed).map(WebElement::getText).findFirst().orElse("");
    }

    // --- the assistant

    /** Whether the list's actions offer "New assistant chat" (only while the server has a model). */
    boolean assistantChatOffered() {
        return browser.driver().findElements(By.xpath("//div[@class='sidebar-actions']/button[normalize-space()="
                + "'New assistant chat']")).stream().anyMatch(WebElement::isDisplayed);
    }

    /** Presses "New assistant chat" and waits for the new conversation, marked "AI", and its composer. */
    void startAssistantChat() {
        press("New assistant chat");
        browser.waitFor(driver -> headerShowsAiBadge());
        composer();
    }

    /** Whether the open conversation's header carries the "AI" mark, named for assistive technology. */
    boolean headerShowsAiBadge() {
        return browser.driver().findElements(By.cssSelector(".conversation-header .ai-badge[role=img]"
                + "[aria-label='AI assistant']")).stream().anyMatch(WebElement::isDisplayed);
    }

    /** Whether the conversation list marks {@code title} as a conversation with the assistant. */
    boolean listShowsAiBadge(String title) {
        return !browser.driver().findElements(By.xpath("//button[contains(@class, 'conversation-item')][.//span["
                + "@class='title' and normalize-space()='" + title + "']]//span[contains(@class, 'ai-badge') and "
                + "@role='img' and @aria-label='AI assistant']")).isEmpty();
    }

    /**
     * From now on (until the page is left), every state the answer being written shows is kept in the page: whether
     * its bubble is there, its text and whether the Stop button shows, each time one of them changes. A state lasts
     * one chunk of the stream (tens of milliseconds), which a WebDriver poll could miss; the page records each as it
     * is drawn.
     */
    void recordAnswerStates() {
        script("""
                window.__answerStates = [];
                let last = null;
                const record = () => {
                  const bubble = document.querySelector('ol.messages li.pending-answer');
                  const state = bubble === null ? {shown: false} : {shown: bubble.getClientRects().length > 0,
                    text: bubble.querySelector('.streaming').textContent,
                    stop: [...document.querySelectorAll('button[aria-label="Stop the answer"]')]
                      .some(b => b.textContent === 'Stop' && b.getClientRects().length > 0)};
                  const json = JSON.stringify(state);
                  if (json !== last) {
                    last = json;
                    window.__answerStates.push(state);
                  }
                };
                new MutationObserver(record).observe(document.querySelector('ol.messages'),
                    {subtree: true, childList: true, characterData: true, attributes: true});
                """);
    }

    /** Starts the record of {@link #recordAnswerStates} afresh (the page's recorder keeps going). */
    void forgetAnswerStates() {
        script("window.__answerStates = []");
    }

    /** The states recorded since {@link #recordAnswerStates}: {@code shown}, and when shown {@code text} and {@code stop}. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> answerStates() {
        return (List<Map<String, Object>>) script("return window.__answerStates");
    }

    /** The text of the answer being written, once its bubble shows some of it and the Stop button shows. */
    String partialAnswerWithStop() {
        return browser.waitFor(driver -> {
            List<WebElement> bubbles = driver.findElements(By.cssSelector("ol.messages li.pending-answer"));
            boolean stop = driver.findElements(STOP_ANSWER).stream().anyMatch(WebElement::isDisplayed);
            if (bubbles.isEmpty() || !bubbles.get(0).isDisplayed() || !stop) {
                return null;
            }
            String text = bubbles.get(0).findElement(By.cssSelector(".streaming")).getText();
            return text.isEmpty() ? null : text;
        });
    }

    /** How many answers being written are on screen (their bubbles). */
    int pendingAnswers() {
        return browser.driver().findElements(By.cssSelector("ol.messages li.pending-answer")).size();
    }

    /** Presses Stop (beside Send while the assistant writes), found by its accessible name. */
    void stopAnswer() {
        click(STOP_ANSWER);
    }

    /** Whether the answer being written says it is stopping (the press was taken). */
    boolean answerStopping() {
        return !browser.driver().findElements(By.xpath("//ol[@class='messages']/li[contains(@class, 'pending-answer')]"
                + "//span[@class='writing' and contains(., 'Stopping…')]")).isEmpty();
    }

    private static final By STOP_ANSWER = By.xpath("//button[@aria-label='Stop the answer' and normalize-space()='Stop']");

    /**
     * The assistant's answer to my message {@code question} once its message is on screen (an answer quoting the
     * question, by the quote's start): {@code seq}, {@code body}, and {@code failed}, whether it is marked so in
     * words ("The assistant could not answer").
     */
    Map<String, Object> answerTo(String question, Duration timeout) {
        By answer = By.xpath("//ol[@class='messages']/li[@data-seq and contains(@class, 'assistant-answer')][button["
                + "contains(@class, 'quote')]/span[@class='quote-text' and starts-with(normalize-space(), '"
                + question.substring(0, Math.min(question.length(), 60)) + "')]]");
        return browser.waitFor(driver -> {
            WebElement message = driver.findElement(answer);
            List<WebElement> notes = message.findElements(By.cssSelector(".failed-note"));
            return Map.<String, Object>of("seq", Long.parseLong(message.getAttribute("data-seq")),
                    "body", message.findElement(By.cssSelector("p.body")).getText(),
                    "failed", message.getAttribute("class").contains("failed-answer") && !notes.isEmpty()
                            && notes.get(0).getText().equals("The assistant could not answer"));
        }, timeout);
    }

    /** How many messages on screen are the assistant's answers (not those being written). */
    int answersShown() {
        return browser.driver().findElements(By.cssSelector("ol.messages li[data-seq].assistant-answer")).size();
    }

    private Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) browser.driver()).executeScript(script, arguments);
    }

    void reload() {
        browser.driver().navigate().refresh();
    }

    void logOut() {
        browser.waitFor(By.xpath("//button[contains(normalize-space(), 'Account')]")).click();
        press("Log out");
        browser.waitFor(By.xpath("//*[@role='status' and normalize-space()='You have logged out.']"));
    }

    Path screenshot(String name) {
        return browser.screenshot(Path.of("target", "browser", name + ".png"));
    }

    /** Clicks the (first) button whose text is {@code text}. */
    void press(String text) {
        click(By.xpath("//button[normalize-space()='" + text + "']"));
    }

    /** Finds the input by the text of its visible label, as a screen reader names it. */
    void type(String label, String text) {
        WebElement labelElement = browser.waitFor(By.xpath("//label[normalize-space()='" + label + "']"));
        WebElement input = browser.driver().findElement(By.id(labelElement.getAttribute("for")));
        input.clear();
        input.sendKeys(text);
    }

    @Override
    public void close() {
        browser.close();
    }
}
