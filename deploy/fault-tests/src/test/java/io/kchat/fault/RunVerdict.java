package io.kchat.fault;

import com.fasterxml.jackson.databind.JsonNode;
import io.kchat.fault.Violation.Rule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The counts one fault run was judged on, in the terms of issue 5: what was ok'd, accepted and delivered, and
 * how many of the checker's violations were losses, contradictions, gaps or reorderings. A passing run shows
 * zeros in the last four beside non-zero counts in the first three, so a reader can tell a run that checked
 * something from one that checked nothing. Last, the longest a connected device waited for a message ({@link
 * LiveWait}): how long a socket that stayed open went without its events; and how many session checks (the safety
 * net) the user side answered with anything but "nothing to do": a re-opened session is a repair, a re-send may
 * also be an answer to a delivery path that only stalled (a check cannot tell lost from late). A fault handled at
 * its root needs none.
 */
record RunVerdict(String run, int okd, long accepted, long delivered, long lost, long contradictions, long gaps,
                  long reordered, long otherViolations, long worstLiveWaitMillis, long healedByChecks) {

    /** Written by every run of the suite, one line each, so CI output and a local run show all faults side by side. */
    static final Path SUMMARY = Path.of("target", "fault-summary.txt");

    private static final Set<Rule> LOSS = EnumSet.of(Rule.SEND_UNRESOLVED, Rule.SEND_REFUSED, Rule.MISSING_DELIVERY,
            Rule.ARCHIVE_MISSING, Rule.NOT_SYNCED, Rule.NOT_DELIVERED_LIVE);
    private static final Set<Rule> CONTRADICTION = EnumSet.of(Rule.ECHO_MISMATCH, Rule.ID_UNDER_TWO_SEQS,
            Rule.CONFLICTING_SEQ_CONTENT, Rule.CONFLICTING_USERSEQ_CONTENT, Rule.MEMBERSHIP_CHANGES,
            Rule.MEMBERSHIP_DIVERGED, Rule.MESSAGE_TO_NON_MEMBER);
    private static final Set<Rule> GAP = EnumSet.of(Rule.SEQ_GAP, Rule.USERSEQ_GAP);
    private static final Set<Rule> REORDER = EnumSet.of(Rule.SEQ_ORDER, Rule.USERSEQ_ORDER);

    static RunVerdict of(String run, int okd, Collection<DeviceHistory> devices, Map<String, List<JsonNode>> archive,
                         List<Violation> violations) {
        return of(run, okd, devices, archive, violations, 0);
    }

    /** @param healedByChecks session checks the processors answered with a repair (they log each one) */
    static RunVerdict of(String run, int okd, Collection<DeviceHistory> devices, Map<String, List<JsonNode>> archive,
                         List<Violation> violations, long healedByChecks) {
        Set<String> accepted = new HashSet<>();
        Set<String> delivered = new HashSet<>();
        for (DeviceHistory device : devices) {
            for (ReceivedFrame frame : device.frames()) {
                if (frame.type().equals("message") && frame.frame().hasNonNull("seq")) {
                    String message = frame.frame().path("conversationId").asText() + "#" + frame.frame().path("seq").asLong();
                    accepted.add(message);
                    delivered.add(device.label() + "@" + message);
                }
            }
        }
        archive.forEach((conversation, messages) -> messages.forEach(m -> accepted.add(conversation + "#" + m.path("seq").asLong())));
        return new RunVerdict(run, okd, accepted.size(), delivered.size(), count(violations, LOSS),
                count(violations, CONTRADICTION), count(violations, GAP), count(violations, REORDER),
                violations.size() - count(violations, LOSS) - count(violations, CONTRADICTION)
                        - count(violations, GAP) - count(violations, REORDER),
                LiveWait.worstMillis(devices), healedByChecks);
    }

    private static long count(List<Violation> violations, Set<Rule> rules) {
        return violations.stream().filter(v -> rules.contains(v.rule())).count();
    }

    @Override
    public String toString() {
        return ("%s: ok'd %d, accepted %d, delivered %d (device x message), lost %d, contradictions %d, gaps %d, reordered %d, "
                + "other %d; longest wait of a connected device %d ms, session checks answered with a re-open or re-send %d").formatted(run, okd,
                accepted, delivered, lost, contradictions, gaps, reordered, otherViolations, worstLiveWaitMillis,
                healedByChecks);
    }

    /** Appends this run's line to {@link #SUMMARY}. */
    void append() {
        try {
            Files.createDirectories(SUMMARY.getParent());
            Files.writeString(SUMMARY, this + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + SUMMARY, e);
        }
    }
}
