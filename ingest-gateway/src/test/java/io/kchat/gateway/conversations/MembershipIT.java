package io.kchat.gateway.conversations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kchat.events.ConversationChanged;
import io.kchat.events.ConversationEventKind;
import io.kchat.events.InboundCommand;
import io.kchat.events.Member;
import io.kchat.events.MemberRole;
import io.kchat.gateway.http.ApiClient;
import io.kchat.gateway.http.ApiClient.Answer;
import io.kchat.gateway.http.ReadModelRows;
import io.kchat.gateway.http.RestApiFixture;
import io.kchat.gateway.http.TestConversations;
import io.kchat.gateway.http.TestUsers;
import io.kchat.gateway.http.TestUsers.Login;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PATCH, add member, remove member and leave: roles, 404/403, versions and the published ConversationChanged. */
class MembershipIT {

    private static final int MAX_GROUP_SIZE = 10;
    private static final AtomicInteger USERS = new AtomicInteger();
    private static RestApiFixture fixture;
    private static ApiClient client;
    private static ReadModelRows rows;
    private Login owner;
    private Login admin;
    private Login member;
    private Login outsider;
    private String groupId;

    @BeforeAll
    static void startFixture() {
        fixture = RestApiFixture.start("MembershipIT", ConversationConfig.defaults().withMaxGroupSize(MAX_GROUP_SIZE));
        client = fixture.client;
        rows = new ReadModelRows(fixture.database);
    }

    @AfterAll
    static void stopFixture() {
        fixture.close();
    }

    @BeforeEach
    void group() {
        owner = user("owner");
        admin = user("admin");
        member = user("member");
        outsider = user("outsider");
        groupId = TestConversations.group(client, owner, "team", admin, member);
        rows.role(groupId, admin.userId(), "admin");
    }

    @Test
    void ownersAndAdminsRenameMembersMayNotOutsidersCannotTell() {
        assertProblem(patch(groupId, "{\"title\":\"mine\"}", member), 403, "forbidden");
        assertProblem(patch(groupId, "{\"title\":\"mine\"}", outsider), 404, "not_found");
        assertProblem(patch("no-such-conversation", "{\"title\":\"mine\"}", owner), 404, "not_found");
        assertProblem(patch(groupId, "{\"title\":\"  \"}", owner), 400, "bad_request");
        assertProblem(patch(groupId, "{}", owner), 400, "bad_request");

        Answer renamed = patch(groupId, "{\"title\":\" Renamed \"}", owner);
        assertEquals(200, renamed.status(), String.valueOf(renamed.body()));
        assertEquals("Renamed", renamed.text("title"));
        assertEquals(groupId, renamed.text("conversationId"));
        assertEquals(200, patch(groupId, "{\"title\":\"By admin\"}", admin).status());

        assertEquals(3, version(groupId));
        List<ConversationChanged> changes = changes(groupId);
        assertEquals(List.of(ConversationEventKind.CREATED, ConversationEventKind.UPDATED, ConversationEventKind.UPDATED),
                changes.stream().map(ConversationChanged::getKind).toList());
        ConversationChanged last = changes.getLast();
        assertEquals(3, last.getConversation().getVersion());
        assertEquals("By admin", last.getConversation().getTitle());
        assertEquals(admin.userId(), last.getActorId());
        assertNull(last.getSubjectUserId());
        assertEquals("By admin", client.get("/v1/conversations/" + groupId, member.accessToken()).text("title"));

        assertEquals(200, patch(groupId, "{\"title\":\"By admin\"}", owner).status());
        assertEquals(3, version(groupId), "the same title again is no new version");
    }

    @Test
    void directConversationsTakeNoTitleAndNoMembers() {
        Answer direct = client.post("/v1/conversations", "{\"type\":\"direct\",\"userId\":\"" + member.userId() + "\"}",
                owner.accessToken());
        String directId = direct.text("conversationId");

        Answer rename = patch(directId, "{\"title\":\"x\"}", owner);
        assertProblem(rename, 409, "conflict");
        assertEquals(MembershipRules.DIRECT_CONVERSATION, rename.text("reason"));
        assertProblem(add(directId, outsider, owner), 409, "conflict");
        assertProblem(remove(directId, member, owner), 409, "conflict");
        assertProblem(remove(directId, owner, owner), 409, "conflict");
        assertEquals(1, version(directId));
    }

    @Test
    void ownersAndAdminsAddMembersOnceAndOnlyExistingUsers() {
        Login newcomer = user("newcomer");
        assertProblem(add(groupId, newcomer, member), 403, "forbidden");
        assertProblem(add(groupId, newcomer, outsider), 404, "not_found");
        assertProblem(client.post("/v1/conversations/" + groupId + "/members", "{\"userId\":\"ghost\"}",
                owner.accessToken()), 404, "not_found");
        assertProblem(client.post("/v1/conversations/" + groupId + "/members", "{}", owner.accessToken()),
                400, "bad_request");
        assertProblem(client.get("/v1/conversations/" + groupId, newcomer.accessToken()), 404, "not_found");

        assertEquals(204, add(groupId, newcomer, admin).status());
        assertEquals(200, client.get("/v1/conversations/" + groupId, newcomer.accessToken()).status());
        assertEquals(2, version(groupId));
        ConversationChanged added = changes(groupId).getLast();
        assertEquals(ConversationEventKind.MEMBER_ADDED, added.getKind());
        assertEquals(admin.userId(), added.getActorId());
        assertEquals(newcomer.userId(), added.getSubjectUserId());
        assertEquals(2, added.getConversation().getVersion());
        assertEquals(List.of(new Member(owner.userId(), MemberRole.OWNER), new Member(admin.userId(), MemberRole.ADMIN),
                new Member(member.userId(), MemberRole.MEMBER), new Member(newcomer.userId(), MemberRole.MEMBER))
                .stream().sorted(Comparator.comparing(Member::getUserId)).toList(),
                added.getConversation().getMembers().stream()
                        .sorted(Comparator.comparing(Member::getUserId)).toList());

        assertEquals(204, add(groupId, newcomer, owner).status(), "adding a member again changes nothing");
        assertEquals(2, version(groupId));
        assertEquals(Set.of(1L, 2L), changes(groupId).stream().map(c -> c.getConversation().getVersion())
                .collect(Collectors.toSet()), "no new version, only the current one announced again");
    }

    @Test
    void removalsFollowTheRolesAndLeavingIsForEveryone() {
        Login second = user("second");
        assertEquals(204, add(groupId, second, owner).status());

        assertProblem(remove(groupId, second, member), 403, "forbidden");
        assertProblem(remove(groupId, owner, admin), 403, "forbidden");
        assertProblem(remove(groupId, second, outsider), 404, "not_found");
        assertProblem(remove(groupId, outsider, owner), 404, "not_found");

        assertEquals(204, remove(groupId, second, admin).status());
        ConversationChanged removed = changes(groupId).getLast();
        assertEquals(ConversationEventKind.MEMBER_REMOVED, removed.getKind());
        assertEquals(admin.userId(), removed.getActorId());
        assertEquals(second.userId(), removed.getSubjectUserId());
        assertEquals(3, removed.getConversation().getVersion());
        assertEquals(Set.of(owner.userId(), admin.userId(), member.userId()), memberIds(removed));

        assertEquals(204, remove(groupId, member, member).status(), "leaving");
        assertEquals(4, version(groupId));
        assertEquals(member.userId(), changes(groupId).getLast().getSubjectUserId());
        assertProblem(client.get("/v1/conversations/" + groupId, member.accessToken()), 404, "not_found");
        assertProblem(remove(groupId, member, member), 404, "not_found");
        assertEquals(List.of(), client.get("/v1/conversations", member.accessToken()).body().get("conversations")
                .findValuesAsText("conversationId").stream().filter(groupId::equals).toList());
        assertEquals(204, remove(groupId, admin, owner).status(), "the owner removes admins");
    }

    @Test
    void anOwnerLeavingHandsTheGroupToTheLongestStandingAdminElseMember() {
        Login older = user("older");
        String handed = TestConversations.group(client, owner, "handed", older);
        Login younger = user("younger");
        Login promoted = user("promoted");
        assertEquals(204, add(handed, younger, owner).status());
        assertEquals(204, add(handed, promoted, owner).status());
        rows.role(handed, promoted.userId(), "admin");

        assertEquals(204, remove(handed, owner, owner).status());
        ConversationChanged left = changes(handed).getLast();
        assertEquals(List.of(new Member(older.userId(), MemberRole.MEMBER), new Member(younger.userId(), MemberRole.MEMBER),
                new Member(promoted.userId(), MemberRole.OWNER)), left.getConversation().getMembers());
        assertEquals(owner.userId(), left.getSubjectUserId());
        assertEquals(List.of("member", "member", "owner"), roles(handed, promoted));

        assertEquals(204, remove(handed, promoted, promoted).status());
        assertEquals(List.of(new Member(older.userId(), MemberRole.OWNER), new Member(younger.userId(), MemberRole.MEMBER)),
                changes(handed).getLast().getConversation().getMembers());
        assertEquals(200, patch(handed, "{\"title\":\"mine now\"}", older).status(), "the heir has the owner's rights");
    }

    @Test
    void concurrentAddsLoseNoUpdateUpToTheCap() throws Exception {
        String crowded = TestConversations.group(client, owner, "crowded");
        List<Login> joiners = new ArrayList<>();
        for (int i = 0; i < MAX_GROUP_SIZE - 2; i++) {
            joiners.add(user("joiner"));
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> statuses = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(joiners.size())) {
            for (Login joiner : joiners) {
                statuses.add(threads.submit(() -> {
                    go.await();
                    return add(crowded, joiner, owner).status();
                }));
            }
            go.countDown();
            for (Future<Integer> status : statuses) {
                assertEquals(204, status.get());
            }
        }

        assertEquals(1 + joiners.size(), version(crowded));
        Set<Long> versions = changes(crowded).stream().map(c -> c.getConversation().getVersion())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(LongStream.rangeClosed(1, 1 + joiners.size()).boxed().collect(Collectors.toSet()), versions);
        assertEquals(1 + joiners.size(), memberIds(changes(crowded).stream()
                .max(Comparator.comparingLong(c -> c.getConversation().getVersion())).orElseThrow()).size(),
                "the newest snapshot holds every concurrent addition");

        assertEquals(204, add(crowded, admin, owner).status());
        Answer full = add(crowded, member, owner);
        assertProblem(full, 409, "conflict");
        assertEquals(MembershipRules.GROUP_FULL, full.text("reason"));
    }

    private static Login user(String name) {
        return TestUsers.registerAndLogin(client, name + "-" + USERS.incrementAndGet());
    }

    private static Answer patch(String conversationId, String body, Login actor) {
        return client.patch("/v1/conversations/" + conversationId, body, actor.accessToken());
    }

    private static Answer add(String conversationId, Login user, Login actor) {
        return client.post("/v1/conversations/" + conversationId + "/members", "{\"userId\":\"" + user.userId() + "\"}",
                actor.accessToken());
    }

    private static Answer remove(String conversationId, Login user, Login actor) {
        return client.delete("/v1/conversations/" + conversationId + "/members/" + user.userId(), actor.accessToken());
    }

    private static List<ConversationChanged> changes(String conversationId) {
        return fixture.published(fixture.inboundTopic, conversationId).stream()
                .map(InboundCommand::getCommand)
                .filter(ConversationChanged.class::isInstance)
                .map(ConversationChanged.class::cast)
                .toList();
    }

    private static Set<String> memberIds(ConversationChanged change) {
        return change.getConversation().getMembers().stream().map(Member::getUserId).collect(Collectors.toSet());
    }

    private static List<String> roles(String conversationId, Login viewer) {
        return client.get("/v1/conversations/" + conversationId, viewer.accessToken()).body().get("members")
                .findValuesAsText("role");
    }

    private static long version(String conversationId) {
        return fixture.database.withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT version FROM conversations WHERE conversation_id = ?")) {
                statement.setString(1, conversationId);
                try (ResultSet result = statement.executeQuery()) {
                    result.next();
                    return result.getLong(1);
                }
            }
        });
    }

    private static void assertProblem(Answer answer, int status, String code) {
        assertEquals(status, answer.status(), String.valueOf(answer.body()));
        assertEquals("application/problem+json", answer.contentType());
        assertEquals(code, answer.text("code"));
    }
}
