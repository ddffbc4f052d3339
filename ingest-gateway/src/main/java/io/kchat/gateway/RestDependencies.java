package io.kchat.gateway;

import io.kchat.events.InboundCommand;
import io.kchat.events.UserCommand;
import io.kchat.gateway.assistant.AssistantService;
import io.kchat.gateway.auth.AuthConfig;
import io.kchat.gateway.auth.passwords.AccountService;
import io.kchat.gateway.auth.passwords.PasswordCheck;
import io.kchat.gateway.auth.passwords.PasswordDenylist;
import io.kchat.gateway.auth.passwords.PasswordHasher;
import io.kchat.gateway.auth.passwords.PasswordPolicy;
import io.kchat.gateway.auth.sessions.Logins;
import io.kchat.gateway.auth.sessions.PasswordChange;
import io.kchat.gateway.auth.sessions.SessionRevocations;
import io.kchat.gateway.auth.sessions.SessionService;
import io.kchat.gateway.auth.tokens.JwtAccessTokens;
import io.kchat.gateway.auth.tokens.SigningKeys;
import io.kchat.gateway.contacts.BlockService;
import io.kchat.gateway.contacts.ContactService;
import io.kchat.gateway.contacts.ContactsConfig;
import io.kchat.gateway.conversations.ConversationConfig;
import io.kchat.gateway.conversations.ConversationService;
import io.kchat.gateway.conversations.MembershipService;
import io.kchat.gateway.conversations.SettingsService;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.kafka.EventPublisher;
import io.kchat.gateway.keys.KeyChangeNotices;
import io.kchat.gateway.keys.KeyDirectory;
import io.kchat.gateway.keys.KeyLimits;
import io.kchat.gateway.media.Media;
import io.kchat.gateway.messages.AttachmentCheck;
import io.kchat.gateway.messages.CiphertextParser;
import io.kchat.gateway.messages.ContentCheck;
import io.kchat.gateway.messages.MessageService;
import io.kchat.gateway.messages.SendRules;
import io.kchat.gateway.otp.ClientAddress;
import io.kchat.gateway.otp.OtpConfig;
import io.kchat.gateway.otp.OtpService;
import io.kchat.gateway.otp.SmsSenders;
import io.kchat.gateway.presence.PresenceService;
import io.kchat.gateway.push.PushConfig;
import io.kchat.gateway.push.PushSubscriptions;
import io.kchat.gateway.push.VapidKeys;
import io.kchat.gateway.search.SearchService;
import io.kchat.gateway.users.UserService;
import io.kchat.schemas.PushEndpoints;
import java.time.Clock;

/**
 * The services behind the REST API, wired by hand. {@link #accessTokens()} is also the
 * {@code AccessTokenVerifier} the WebSocket endpoint needs.
 */
public record RestDependencies(AccountService accounts, Logins logins, SessionService sessions,
                               PasswordChange passwordChange, UserService users,
                               ConversationService conversations, MembershipService memberships,
                               MessageService messages, PresenceService presence, ContactService contacts,
                               BlockService blocks, SigningKeys signingKeys, JwtAccessTokens accessTokens,
                               OtpService otp, ClientAddress clientAddress, KeyDirectory keyDirectory,
                               SendRules sends, SearchService search, Media media, PushSubscriptions push,
                               SettingsService settings, AssistantService assistant) {

    /**
     * Loads (or on first start generates) the signing keys from the database, so the database must be
     * migrated already ({@link Database#start} does that); likewise the VAPID key of web push. Password and proxy settings come from
     * {@code auth} ({@link AuthConfig#fromEnv}), phone codes' from {@code otp} ({@link OtpConfig#fromEnv}).
     *
     * @param push        what push subscriptions may name; {@code resolver} resolves their endpoints' hosts
     *
     * @param inbound     publisher for {@code TopicCatalogue#inbound()} through the gateway producer
     * @param userInbound publisher for {@code TopicCatalogue#userInbound()} (device registrations and removals,
     *                    contact events)
     * @param revocations told after a device's session ended, to close its sockets
     */
    public static RestDependencies create(Database database, AuthConfig auth, OtpConfig otp,
                                          ConversationConfig conversations, ContactsConfig contacts,
                                          PushConfig push, PushEndpoints.Resolver resolver, Clock clock, EventPublisher<String, InboundCommand> inbound,
                                          EventPublisher<String, UserCommand> userInbound,
                                          SessionRevocations revocations) {
        SigningKeys keys = SigningKeys.load(database, clock);
        JwtAccessTokens accessTokens = new JwtAccessTokens(keys, auth, clock);
        PasswordHasher hasher = new PasswordHasher();
        PasswordPolicy passwords = new PasswordPolicy(PasswordDenylist.load(auth.passwordDenylistFile()));
        PasswordCheck passwordCheck = new PasswordCheck(database, hasher, clock);
        Logins logins = new Logins(database, passwordCheck, accessTokens, userInbound, auth, clock);
        KeyChangeNotices keyNotices = new KeyChangeNotices(userInbound, conversations.publishTimeout());
        // one for both send paths: its memory of which conversations are encrypted serves both
        SendRules sends = new SendRules(new CiphertextParser(conversations.encryption()), new ContentCheck(database),
                new AttachmentCheck(database));
        ConversationService conversationService = new ConversationService(database, inbound, conversations, clock);
        return new RestDependencies(
                new AccountService(database, hasher, passwords, clock),
                logins,
                new SessionService(database, accessTokens, revocations, userInbound, keyNotices, auth, clock),
                new PasswordChange(database, passwordCheck, hasher, passwords, revocations, clock),
                new UserService(database),
                conversationService,
                new MembershipService(database, inbound, conversations, clock),
                new MessageService(database, inbound, conversations.maxMessageChars(), sends,
                        conversations.publishTimeout(), clock),
                new PresenceService(database, clock),
                new ContactService(database, userInbound, contacts, clock),
                new BlockService(database, userInbound, inbound, contacts, clock),
                keys,
                accessTokens,
                new OtpService(database, logins, SmsSenders.create(otp), otp, clock),
                new ClientAddress(auth.trustedProxies()),
                new KeyDirectory(database, keyNotices, KeyLimits.DEFAULT, clock),
                sends,
                new SearchService(database),
                Media.unconfigured(),
                new PushSubscriptions(database, VapidKeys.load(database, clock), push, resolver, clock),
                new SettingsService(database, userInbound, conversations.publishTimeout(), clock),
                new AssistantService(database, conversationService, conversations.assistant()));
    }

    /** The same services with media over an object store (the gateway's); {@link #create} has none. */
    public RestDependencies withMedia(Media value) {
        return new RestDependencies(accounts, logins, sessions, passwordChange, users, conversations, memberships,
                messages, presence, contacts, blocks, signingKeys, accessTokens, otp, clientAddress, keyDirectory,
                sends, search, value, push, settings, assistant);
    }
}
