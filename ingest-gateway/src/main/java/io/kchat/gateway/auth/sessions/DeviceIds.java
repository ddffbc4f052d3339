package io.kchat.gateway.auth.sessions;

import io.kchat.gateway.errors.Refusal;
import java.util.UUID;
import java.util.regex.Pattern;

/** Device ids: chosen by the client (stable per install) or issued by the server. */
public final class DeviceIds {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private DeviceIds() {
    }

    /** The client's id when it sent one, else a new one; @throws Refusal 400 for a malformed id */
    public static String orIssue(String requested) {
        if (requested == null) {
            return UUID.randomUUID().toString();
        }
        if (!VALID.matcher(requested).matches()) {
            throw Refusal.invalid("invalid deviceId",
                    "deviceId must be 1 to 64 characters of letters, digits, '_', '.', ':' or '-'");
        }
        return requested;
    }
}
