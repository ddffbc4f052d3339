package io.kchat.processor.cdc;

import java.time.Duration;

/**
 * Debezium embedded engine settings (D8): the slot and publication are exclusive to one active engine.
 * Outbox rows stay at least {@code outboxRetention} after they were written, and are deleted only
 * once relayed.
 */
public record CdcConfig(boolean enabled, String jdbcUrl, String user, String password, String slotName,
                        Duration outboxRetention) {
}
