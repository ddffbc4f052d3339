package io.kchat.images;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commit the images are built from and its time: the revision label, and the creation time, so that
 * the same commit built twice gives the same image (as {@code SOURCE_DATE_EPOCH} would).
 */
record GitRevision(String commit, Instant time) {

    private static final Logger LOG = LoggerFactory.getLogger(GitRevision.class);

    /** Outside a git checkout (a source archive): "unknown", at the epoch, which keeps the build reproducible. */
    static final GitRevision UNKNOWN = new GitRevision("unknown", Instant.EPOCH);

    static GitRevision of(Path root) throws IOException {
        Commands.Result head;
        try {
            head = Commands.run(List.of("git", "-C", root.toString(), "log", "-1", "--format=%H %ct"));
        } catch (IOException e) {
            LOG.warn("no git: the images' revision is unknown ({})", e.getMessage());
            return UNKNOWN;
        }
        if (!head.succeeded()) {
            LOG.warn("{} is not a git checkout: the images' revision is unknown", root);
            return UNKNOWN;
        }
        String[] fields = head.output().trim().split(" ");
        return new GitRevision(fields[0], Instant.ofEpochSecond(Long.parseLong(fields[1])));
    }
}
