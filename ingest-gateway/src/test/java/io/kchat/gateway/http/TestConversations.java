package io.kchat.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kchat.gateway.http.ApiClient.Answer;
import io.kchat.gateway.http.TestUsers.Login;

/** Conversations created through the API, for tests that need them. */
public final class TestConversations {

    private TestConversations() {
    }

    /** @return the id of a new group owned by {@code owner} */
    public static String group(ApiClient client, Login owner, String title, Login... members) {
        StringBuilder ids = new StringBuilder();
        for (Login member : members) {
            ids.append(ids.isEmpty() ? "" : ",").append('"').append(member.userId()).append('"');
        }
        Answer created = client.post("/v1/conversations",
                "{\"type\":\"group\",\"title\":\"" + title + "\",\"memberIds\":[" + ids + "]}", owner.accessToken());
        assertEquals(201, created.status(), String.valueOf(created.body()));
        return created.text("conversationId");
    }

    /** @return the id of the direct conversation of the two, created by {@code from} */
    public static String direct(ApiClient client, Login from, Login to) {
        Answer created = client.post("/v1/conversations", "{\"type\":\"direct\",\"userId\":\"" + to.userId() + "\"}",
                from.accessToken());
        assertEquals(201, created.status(), String.valueOf(created.body()));
        return created.text("conversationId");
    }
}
