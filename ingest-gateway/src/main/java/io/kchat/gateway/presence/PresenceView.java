package io.kchat.gateway.presence;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** {@code lastSeen} is sent as null for a user never seen online (the gateway's JSON otherwise omits nulls). */
public record PresenceView(String userId, boolean online,
                           @JsonInclude(JsonInclude.Include.ALWAYS) Instant lastSeen) {
}
