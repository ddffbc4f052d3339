package io.kchat.gateway.media;

import io.kchat.gateway.db.Database;
import io.kchat.gateway.errors.Refusal;
import io.kchat.gateway.media.content.ContentSniffer;
import io.kchat.gateway.media.content.ContentTypes;
import io.kchat.gateway.media.content.ImageProbe;
import io.kchat.gateway.media.content.ImageSize;
import io.kchat.gateway.media.content.SniffResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/media}: the bytes stream from the socket to the store (only the first {@link
 * ContentSniffer#HEAD_BYTES} are held, to tell their type), hashed on the way. The row is 'uploading' until the
 * object is stored and measured, then 'complete' in one update: a failed, truncated or refused upload leaves neither
 * a readable row nor an object (what a crash leaves is the janitor's).
 */
public final class MediaUploads {

    private static final Logger log = LoggerFactory.getLogger(MediaUploads.class);

    private final Database database;
    private final ObjectStore objects;
    private final ContentSniffer sniffer;
    private final ImageProbe probe;
    private final long maxBytes;
    private final MediaMeters meters;
    private final Clock clock;
    private final MediaStore store = new MediaStore();

    public MediaUploads(Database database, ObjectStore objects, ContentSniffer sniffer, ImageProbe probe,
                        long maxBytes, MediaMeters meters, Clock clock) {
        this.database = database;
        this.objects = objects;
        this.sniffer = sniffer;
        this.probe = probe;
        this.maxBytes = maxBytes;
        this.meters = meters;
        this.clock = clock;
    }

    /**
     * @param length the announced Content-Length
     * @throws Refusal TOO_LARGE over the limit, UNSUPPORTED_TYPE for bytes of no allowed type, INVALID for an empty or
     *                 truncated upload, UNAVAILABLE when the store fails
     */
    public UploadedMedia upload(String ownerId, String rawName, String declaredType, long length, InputStream body) {
        try {
            UploadedMedia stored = store(ownerId, rawName, declaredType, length, body);
            meters.upload(MediaMeters.UploadOutcome.STORED, stored.size());
            return stored;
        } catch (Refusal e) {
            meters.upload(switch (e.kind()) {
                case TOO_LARGE -> MediaMeters.UploadOutcome.TOO_LARGE;
                case UNSUPPORTED_TYPE -> MediaMeters.UploadOutcome.UNSUPPORTED_TYPE;
                case INVALID -> MediaMeters.UploadOutcome.INVALID;
                default -> MediaMeters.UploadOutcome.FAILED;
            }, 0);
            throw e;
        } catch (RuntimeException e) {
            meters.upload(MediaMeters.UploadOutcome.FAILED, 0);
            throw e;
        }
    }

    private UploadedMedia store(String ownerId, String rawName, String declaredType, long length, InputStream body) {
        if (length > maxBytes) {
            throw Refusal.tooLarge("upload larger than " + maxBytes + " bytes");
        }
        if (length < 1) {
            throw Refusal.invalid("empty upload", "an upload needs at least one byte");
        }
        ExactLengthInputStream exact = new ExactLengthInputStream(body, length);
        byte[] head = readHead(exact, (int) Math.min(length, ContentSniffer.HEAD_BYTES));
        String contentType = switch (sniffer.sniff(head, declaredType)) {
            case SniffResult.Allowed allowed -> allowed.contentType();
            case SniffResult.Refused refused -> throw Refusal.unsupportedType("unsupported media type",
                    refused.reason());
        };
        Optional<ImageSize> dimensions = probe.probe(head, contentType);

        String mediaId = MediaKeys.newId();
        String name = FileNames.sanitise(rawName);
        database.withConnection(c -> {
            store.insertUploading(c, mediaId, ownerId, contentType, name, clock.instant());
            return null;
        });
        try {
            MessageDigest sha256 = sha256();
            InputStream whole = new DigestInputStream(new SequenceInputStream(new ByteArrayInputStream(head), exact),
                    sha256);
            put(mediaId, contentType, whole, length, exact);
            if (ContentTypes.isImage(contentType) && dimensions.isEmpty()) {
                dimensions = dimensionsOfStored(mediaId, contentType); // a JPEG whose EXIF fills the head
            }
            String hash = HexFormat.of().formatHex(sha256.digest());
            Integer width = dimensions.map(ImageSize::width).orElse(null);
            Integer height = dimensions.map(ImageSize::height).orElse(null);
            boolean completed = database.withConnection(c ->
                    store.complete(c, mediaId, length, hash, width, height, clock.instant()));
            if (!completed) {
                throw Refusal.unavailable("upload took too long and was discarded");
            }
            return new UploadedMedia(mediaId, contentType, length, hash, width, height);
        } catch (RuntimeException | Error e) {
            discard(mediaId);
            throw e;
        }
    }

    private void put(String mediaId, String contentType, InputStream whole, long length,
                       ExactLengthInputStream exact) {
        try {
            objects.put(MediaKeys.original(mediaId), contentType, whole, length);
        } catch (Refusal e) {
            throw e;
        } catch (RuntimeException e) {
            if (exact.truncated()) {
                throw Refusal.invalid("upload truncated", "the body ended before its Content-Length");
            }
            log.warn("storing media {} failed", mediaId, e);
            throw Refusal.unavailable("media storage failed");
        }
    }

    private Optional<ImageSize> dimensionsOfStored(String mediaId, String contentType) {
        return objects.get(MediaKeys.original(mediaId), Optional.empty()).flatMap(object -> {
            try (object) {
                return probe.probe(object.content(), contentType);
            }
        });
    }

    private void discard(String mediaId) {
        try {
            objects.delete(MediaKeys.original(mediaId));
            database.withConnection(c -> {
                store.delete(c, mediaId);
                return null;
            });
        } catch (RuntimeException e) {
            // the row stays 'uploading', invisible; the janitor removes it and any object later
            log.warn("discarding failed upload {} failed; left to the janitor", mediaId, e);
        }
    }

    private static byte[] readHead(ExactLengthInputStream in, int count) {
        try {
            return in.readNBytes(count);
        } catch (IOException e) {
            if (in.truncated()) {
                throw Refusal.invalid("upload truncated", "the body ended before its Content-Length");
            }
            throw new UncheckedIOException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
