package io.kchat.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.infra.SharedInfrastructure;
import io.kchat.schemas.TopicCatalogue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zombie of D2: one of two processors is frozen (SIGSTOP) in the middle of its work for longer than its
 * session timeout, so the group gives its partitions to the other one; then it is thawed. Its transaction is still
 * open (the transaction timeout is longer than the freeze), so until it learns that it was fenced the zombie
 * goes on processing what it had fetched and writing output, which the live path reads uncommitted (D3).
 * Those writes may only repeat what the new owner emits for the same input, never contradict it; the zombie
 * is fenced when it commits (its group generation is stale) and aborts them.
 *
 * <p>The test shows that this happened: records written after the thaw were aborted, the zombie's commit was
 * refused (CommitFailedException) and the survivor was never fenced, so those records are the zombie's.
 * The other zombie, whose transaction the broker aborted while it was frozen (transaction timeout shorter than
 * the freeze), cannot write at all after its thaw (its producer epoch is stale); the survivor of
 * {@code ProcessorFailoverIT} waits out such a timeout too.
 */
class ProcessorZombieIT {

    private static final Logger log = LoggerFactory.getLogger(ProcessorZombieIT.class);

    /**
     * A session timeout at the least a broker accepts by default, so that the takeover comes soon (and a pause of
     * {@link #PILE_UP} still stays within it), and a transaction timeout far
     * beyond the freeze, so that the broker does not abort the zombie's transaction meanwhile. A commit a second
     * rather than every 100 ms: a zombie frozen in the middle of a commit is fenced by it right after its thaw,
     * before it writes anything; rarer commits make that rare.
     */
    private static final Map<String, String> ZOMBIE_SETTINGS = Map.of(
            "PROCESSOR_SESSION_TIMEOUT", "6s",
            "PROCESSOR_TRANSACTION_TIMEOUT", "1m",
            "PROCESSOR_COMMIT_INTERVAL", "1s");
    /** The zombie must be thawed well within its transaction timeout, or the broker aborts it first. */
    private static final Duration LONGEST_FREEZE = Duration.ofSeconds(40);
    private static final Duration TAKEOVER = Duration.ofSeconds(30);
    /**
     * Input piles up for processor 2 while it is stopped this long, shorter than its session timeout (less its
     * heartbeat interval): it stays in the group.
     */
    private static final Duration PILE_UP = Duration.ofSeconds(3);
    /**
     * How long it runs before it is stopped until the takeover: long enough to get past the commit it makes
     * first (one is due after the pause), not long enough to work through the pile.
     */
    private static final Duration CATCHING_UP = Duration.ofMillis(100);
    /**
     * The zombie writes after its thaw only if its stream thread still holds records it fetched and has not
     * processed (it fetches nothing new: its consumer learns at once that it left the group). Stopping it while
     * it works through a pile makes that likely, not certain: each freeze is a new draw.
     */
    private static final int FREEZES = 4;
    private static final String STATE_CHANGE = "streams state ";
    private static final String FENCED = "Detected that the thread is being fenced";
    /** How the stream thread's commit is refused when its group generation is stale. */
    private static final String FENCED_ON_COMMIT = "CommitFailedException";

    @TempDir
    Path stateRoot;
    private final FaultRun run = new FaultRun();

    @AfterEach
    void tearDown() {
        run.close();
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aThawedZombieWritesIntoItsOpenTransactionButOnlyRepeatsWhatItsSuccessorEmits() {
        String bootstrap = SharedInfrastructure.kafka().bootstrapServers();
        run.start("processor-zombie", bootstrap, stateRoot, 2, 1, 66, ZOMBIE_SETTINGS);
        run.sendsOkd(100);
        List<String> output = processorOutput(bootstrap, run.stack().topicPrefix());
        try (ServiceLog zombieLog = ServiceLog.of(run.stack().processor(2));
             ServiceLog survivorLog = ServiceLog.of(run.stack().processor(1))) {
            run.secondDevicesLeave();
            Thaw thaw = null;
            for (int freeze = 1; freeze <= FREEZES && (thaw == null || thaw.aborted().isEmpty()); freeze++) {
                thaw = freezeUntilTakenOverThenThaw(zombieLog, bootstrap, output);
                log.info("freeze {}: records written after the thaw and aborted, per topic: {}", freeze, thaw.aborted());
            }
            assertFalse(thaw.aborted().isEmpty(), "in " + FREEZES + " freezes the zombie never wrote after its thaw");
            assertTrue(thaw.fencedOnCommit(), () -> "the zombie should be fenced when it commits: "
                    + zombieLog.linesWith("Exception"));
            // so processor 1 aborted nothing: every aborted record beyond the mark is the zombie's
            assertEquals(List.of(), survivorLog.linesWith(FENCED), "processor 1 should never be fenced");
        }
        run.sendsOkd(60);
        run.echoesArrive(60);
        run.secondDevicesReturn();
        run.finishAndCheck();
    }

    /**
     * What one thaw brought: per topic, the records written after it that were aborted, and whether the zombie
     * was told on a commit that it was fenced.
     */
    private record Thaw(Map<String, Integer> aborted, boolean fencedOnCommit) {
    }

    /**
     * Freezes processor 2 until processor 1 owns all its partitions, thaws it, and once the two sequence again,
     * looks at what the zombie did.
     */
    private Thaw freezeUntilTakenOverThenThaw(ServiceLog zombieLog, String bootstrap, List<String> output) {
        Stack stack = run.stack();
        Waits.until(() -> stack.processorsWithPartitions() == 2 && running(zombieLog), FaultRun.RECOVERY,
                "both processors should own partitions, and processor 2 process them, before it is frozen");
        int fencedOnCommitBefore = zombieLog.linesWith(FENCED_ON_COMMIT).size();
        ServiceProcess zombie = stack.processor(2);
        zombie.freeze();
        sleep(PILE_UP); // not waiting for anything: the input for processor 2 piles up meanwhile
        resumeBriefly(zombie, CATCHING_UP);
        long frozenAt = System.nanoTime();
        // The group dropped the zombie and gave its partitions to processor 1: the zombie's generation is stale
        // from here on. Processor 1 may not get far with them before the thaw: the zombie's open transaction
        // holds back what it reads committed (chat.user-inbound, the changelogs it restores).
        Waits.until(() -> stack.processorsWithPartitions() == 1, TAKEOVER,
                "processor 1 should take over the partitions of the frozen one");
        log.info("processor 1 owns every partition {} ms after the freeze", millisSince(frozenAt));
        Map<TopicPartition, Long> atThaw = AbortedRecords.endsOf(bootstrap, output);
        assertTrue(millisSince(frozenAt) < LONGEST_FREEZE.toMillis(),
                "the takeover took so long that the broker may have aborted the zombie's transaction already");
        zombie.thaw();
        run.echoesArrive(20);
        // beyond the ends at the thaw: written after it, in a transaction that did not commit (waits for the
        // zombie's transaction to end)
        Map<String, Integer> aborted = AbortedRecords.since(bootstrap, atThaw, FaultRun.RECOVERY);
        return new Thaw(aborted, zombieLog.linesWith(FENCED_ON_COMMIT).size() > fencedOnCommitBefore);
    }

    /**
     * The topics the processors write: the catalogue's outputs, the node egress topics and their own changelogs and
     * repartitions.
     */
    private static List<String> processorOutput(String bootstrap, String prefix) {
        TopicCatalogue topics = new TopicCatalogue(prefix);
        List<String> output = new ArrayList<>(List.of(topics.messages().name(), topics.messageMeta().name(),
                topics.receipts().name(), topics.userInbound().name(),
                topics.presence().name(), topics.inbound().name()));
        String internal = prefix + "kchat-processor-";
        String egress = topics.egress("").name();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(name -> name.startsWith(internal) || name.startsWith(egress)).forEach(output::add);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list the topics", e);
        }
        return output;
    }

    /** Whether the processor's Streams is RUNNING (not rebalancing or restoring) as far as its log tells. */
    private static boolean running(ServiceLog processorLog) {
        List<String> changes = processorLog.linesWith(STATE_CHANGE);
        return changes.isEmpty() || changes.getLast().endsWith("-> RUNNING");
    }

    /**
     * SIGCONT, then SIGSTOP {@code awake} later, from one shell: starting a process from this JVM for each
     * signal would take longer than {@code awake} itself.
     */
    private static void resumeBriefly(ServiceProcess process, Duration awake) {
        String pid = Long.toString(process.pid());
        String seconds = String.format(Locale.ROOT, "%.3f", awake.toMillis() / 1000.0);
        log.info("kill -CONT {} (pid {}), kill -STOP {} s later", process.name(), pid, seconds);
        try {
            Process shell = new ProcessBuilder("sh", "-c",
                    "kill -CONT " + pid + " && sleep " + seconds + " && kill -STOP " + pid).inheritIO().start();
            if (shell.waitFor() != 0) {
                throw new IllegalStateException("cannot resume " + process.name() + " briefly");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while resuming " + process.name(), e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }
}
