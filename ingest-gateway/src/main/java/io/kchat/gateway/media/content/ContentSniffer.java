package io.kchat.gateway.media.content;

import static io.kchat.gateway.media.content.ContentTypes.AUDIO_MP4;
import static io.kchat.gateway.media.content.ContentTypes.AUDIO_MPEG;
import static io.kchat.gateway.media.content.ContentTypes.AUDIO_OGG;
import static io.kchat.gateway.media.content.ContentTypes.AUDIO_WEBM;
import static io.kchat.gateway.media.content.ContentTypes.IMAGE_GIF;
import static io.kchat.gateway.media.content.ContentTypes.IMAGE_JPEG;
import static io.kchat.gateway.media.content.ContentTypes.IMAGE_PNG;
import static io.kchat.gateway.media.content.ContentTypes.IMAGE_WEBP;
import static io.kchat.gateway.media.content.ContentTypes.PDF;
import static io.kchat.gateway.media.content.ContentTypes.TEXT_PLAIN;
import static io.kchat.gateway.media.content.ContentTypes.VIDEO_MP4;
import static io.kchat.gateway.media.content.ContentTypes.VIDEO_WEBM;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.mime.MimeTypes;

/**
 * Decides from an upload's first bytes what it is, and so what it is stored and served as. The declared Content-Type
 * is never believed: it only picks audio or video for a container that holds either, and it makes a claimed image
 * that is none a refusal rather than something else.
 *
 * <p>Detection is Tika's magic (the bytes only, never a file name), narrowed where magic cannot decide: an
 * {@code ftyp} box is MP4 only for MP4 brands (QuickTime, HEIF and AVIF share it), an EBML header is WebM only when its
 * DocType says so (plain Matroska is refused).
 *
 * <p>A polyglot, say a GIF header followed by HTML and script, is stored as what its magic says (image/gif). That is
 * safe because downloads are served with {@code X-Content-Type-Options: nosniff} and {@code Content-Security-Policy:
 * sandbox}: a browser renders it as an image or not at all, never as a page. The same holds for text that Tika does
 * not recognise as HTML: it is served as text/plain. Thread-safe.
 */
public final class ContentSniffer {

    /** How many first bytes the caller buffers (fewer when the upload is shorter). */
    public static final int HEAD_BYTES = 64 * 1024;

    private static final MimeTypes TIKA = MimeTypes.getDefaultMimeTypes();
    private static final MediaTypeRegistry REGISTRY = TIKA.getMediaTypeRegistry();

    private static final Map<String, String> BY_MAGIC = Map.of(
            "image/jpeg", IMAGE_JPEG,
            "image/png", IMAGE_PNG,
            "image/gif", IMAGE_GIF,
            "image/webp", IMAGE_WEBP,
            "audio/mpeg", AUDIO_MPEG,
            "application/pdf", PDF);
    private static final MediaType OGG = MediaType.parse("application/ogg");
    private static final MediaType TEXT = MediaType.TEXT_PLAIN;
    private static final MediaType XML = MediaType.APPLICATION_XML;

    /** Brands of MP4 proper, audio or video; anything else in an ftyp box needs a compatible MP4 brand. */
    private static final Set<String> MP4_BRANDS = Set.of("isom", "iso2", "iso3", "iso4", "iso5", "iso6", "iso7",
            "iso8", "iso9", "mp41", "mp42", "mp71", "avc1", "dash", "M4A ", "M4B ", "M4V ", "M4VH", "M4VP", "F4A ",
            "F4B ", "F4V ", "F4P ", "MSNV", "NDAS");
    private static final Set<String> MP4_AUDIO_BRANDS = Set.of("M4A ", "M4B ", "F4A ", "F4B ");
    /** QuickTime and still-image brands (HEIF, AVIF) are not MP4 even when they list an MP4 brand too. */
    private static final Set<String> NOT_MP4_BRANDS = Set.of("qt  ", "heic", "heix", "hevc", "heim", "heis", "hevm",
            "hevs", "mif1", "msf1", "mif2", "avif", "avis", "jpeg", "jpgs", "crx ");

    /**
     * @param head     the upload's first {@link #HEAD_BYTES} bytes, or all of it when shorter
     * @param declared the request's Content-Type, or null
     */
    public SniffResult sniff(byte[] head, String declared) {
        if (head.length == 0) {
            return new SniffResult.Refused("application/x-empty", "the upload is empty");
        }
        String family = family(declared);
        SniffResult result = classify(head, family);
        if (family.equals("image") && !(result instanceof SniffResult.Allowed allowed
                && ContentTypes.isImage(allowed.contentType()))) {
            // HTML, SVG or script labelled as an image: refused whatever else it might pass for
            return new SniffResult.Refused(detected(result), "declared as an image but is " + detected(result));
        }
        return result;
    }

    private static SniffResult classify(byte[] head, String family) {
        Optional<String> brand = MediaContainers.isoMajorBrand(head);
        if (brand.isPresent()) {
            return mp4(head, brand.get(), family);
        }
        Optional<String> docType = MediaContainers.ebmlDocType(head);
        if (docType.isPresent()) {
            return docType.get().equals("webm")
                    ? new SniffResult.Allowed(family.equals("audio") ? AUDIO_WEBM : VIDEO_WEBM)
                    : refused("video/x-matroska");
        }
        MediaType type = tika(head);
        String known = BY_MAGIC.get(type.getBaseType().toString());
        if (known != null) {
            return new SniffResult.Allowed(known);
        }
        if (isA(type, OGG) && !type.getType().equals("video")) {
            return new SniffResult.Allowed(AUDIO_OGG);
        }
        if (isA(type, TEXT) && !isA(type, XML) && !type.getSubtype().contains("html")) {
            return validUtf8(head) ? new SniffResult.Allowed(TEXT_PLAIN)
                    : new SniffResult.Refused(type.toString(), "text must be UTF-8");
        }
        return refused(type.toString());
    }

    /**
     * MP4 holds audio or video alike: the declared family picks, and without one the brand does (an .m4a says
     * {@code M4A }). A voice note recorded by a browser is declared {@code audio/mp4} or {@code audio/webm}.
     */
    private static SniffResult mp4(byte[] head, String brand, String family) {
        String compatible = MediaContainers.isoCompatibleBrands(head);
        boolean mp4 = MP4_BRANDS.contains(brand)
                || compatible.contains("isom") || compatible.contains("mp41") || compatible.contains("mp42");
        boolean excluded = NOT_MP4_BRANDS.contains(brand)
                || NOT_MP4_BRANDS.stream().anyMatch(b -> !b.equals("qt  ") && compatible.contains(b));
        if (!mp4 || excluded) {
            return refused(brand.startsWith("qt") ? "video/quicktime" : "ftyp brand '" + brand.strip() + "'");
        }
        boolean audio = switch (family) {
            case "audio" -> true;
            case "video" -> false;
            default -> MP4_AUDIO_BRANDS.contains(brand);
        };
        return new SniffResult.Allowed(audio ? AUDIO_MP4 : VIDEO_MP4);
    }

    private static MediaType tika(byte[] head) {
        try {
            return TIKA.detect(new ByteArrayInputStream(head), new Metadata());
        } catch (IOException e) {
            throw new UncheckedIOException("reading a byte array cannot fail", e);
        }
    }

    private static boolean isA(MediaType type, MediaType ancestor) {
        return type.equals(ancestor) || REGISTRY.isSpecializationOf(type, ancestor);
    }

    /**
     * Valid UTF-8 throughout; only when the head is cut at {@link #HEAD_BYTES} may it end inside a character. The rest
     * of the file is not checked: a browser shows a bad byte there as a replacement character, nothing worse.
     */
    private static boolean validUtf8(byte[] head) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(head);
        CharBuffer out = CharBuffer.allocate(head.length);
        boolean cut = head.length >= HEAD_BYTES;
        CoderResult result = decoder.decode(in, out, !cut);
        return !result.isError() && (cut ? in.remaining() < 4 : !in.hasRemaining());
    }

    /** "audio", "video", "image"... of the declared type, or "" when absent or unparseable. */
    private static String family(String declared) {
        if (declared == null) {
            return "";
        }
        String base = declared.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        int slash = base.indexOf('/');
        return slash > 0 ? base.substring(0, slash) : "";
    }

    private static String detected(SniffResult result) {
        return switch (result) {
            case SniffResult.Allowed allowed -> allowed.contentType();
            case SniffResult.Refused refused -> refused.detected();
        };
    }

    private static SniffResult refused(String detected) {
        return new SniffResult.Refused(detected, detected + " is not an allowed media type");
    }
}
