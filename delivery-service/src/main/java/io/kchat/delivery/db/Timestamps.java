package io.kchat.delivery.db;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** timestamptz parameters in UTC: the driver maps an OffsetDateTime exactly, a Timestamp through the JVM zone. */
public final class Timestamps {

    private Timestamps() {
    }

    public static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
