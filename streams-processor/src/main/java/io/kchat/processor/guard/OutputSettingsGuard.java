package io.kchat.processor.guard;

import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a processor from starting on committed state built under other {@link OutputSettings}. Its replay after a
 * crash would then write output that differs from what consumers already have under the same ids (a send the old
 * dedupe window knew as a repeat sequenced as new, a user's log trimmed at another point), and they would drop the new
 * version as a repeat (D2, D3). Changing them takes a drain: the processors of the old settings stop with SIGTERM, which commits
 * everything they wrote, so that nothing is replayed across the change.
 */
public final class OutputSettingsGuard {

    private static final Logger log = LoggerFactory.getLogger(OutputSettingsGuard.class);

    private final OutputSettingsRecord record;

    public OutputSettingsGuard(OutputSettingsRecord record) {
        this.record = record;
    }

    /**
     * Goes on when {@code current} are the recorded settings, or when none are recorded (a first start, or the first
     * since this guard exists), recording them. Otherwise refuses with an {@link IllegalStateException} naming each
     * change, unless {@code migration}: then it records {@code current} and goes on, with a warning.
     */
    public void verify(OutputSettings current, boolean migration) throws InterruptedException {
        String description = current.description();
        Optional<String> recorded = record.read();
        if (recorded.isEmpty()) {
            log.info("no output settings recorded for {} in {}: recording {}", record.applicationId(),
                    record.topicName(), description);
            record.write(description);
            return;
        }
        String changes = changes(current, recorded.get());
        if (changes.isEmpty()) {
            log.info("output settings {} are those recorded for {}", description, record.applicationId());
            if (!description.equals(recorded.get())) {
                // recorded before a setting existed, or spelled another way: record every key from now on
                record.write(description);
            }
            return;
        }
        if (!migration) {
            throw new IllegalStateException("the output settings of " + record.applicationId() + " changed since its "
                    + "committed state was built (recorded in " + record.topicName() + "): " + changes + ". A replay "
                    + "would no longer repeat the output already written (D2). To change them: stop every running "
                    + "processor with SIGTERM (a drain commits all they wrote), start one processor with the new "
                    + "settings and PROCESSOR_SETTINGS_MIGRATION=true, then remove that flag. To keep the recorded "
                    + "settings, set them back");
        }
        log.warn("PROCESSOR_SETTINGS_MIGRATION is set: the output settings of {} changed ({}); recording {}. Every "
                + "processor of the former settings must have been drained", record.applicationId(), changes, description);
        record.write(description);
    }

    /** The changes as a message lists them; empty when there are none. */
    private static String changes(OutputSettings current, String recorded) {
        try {
            List<OutputSettings.Change> changes = current.changesSince(OutputSettings.parse(recorded, current));
            return String.join(", ", changes.stream().map(OutputSettings.Change::toString).toList());
        } catch (IllegalArgumentException unreadable) {
            return "the recorded '" + recorded + "' does not read (" + unreadable.getMessage() + "), the current are "
                    + current.description();
        }
    }
}
