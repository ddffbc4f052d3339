package io.kchat.gateway.media.content;

import static io.kchat.gateway.media.content.TestMedia.ascii;
import static io.kchat.gateway.media.content.TestMedia.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The type of an upload comes from its bytes; the declared type only picks audio or video, or exposes a fake image. */
class ContentSnifferTest {

    private final ContentSniffer sniffer = new ContentSniffer();

    private String allowed(byte[] head, String declared) {
        SniffResult result = sniffer.sniff(head, declared);
        return assertInstanceOf(SniffResult.Allowed.class, result, () -> "refused: " + result).contentType();
    }

    private SniffResult.Refused refused(byte[] head, String declared) {
        SniffResult result = sniffer.sniff(head, declared);
        return assertInstanceOf(SniffResult.Refused.class, result, () -> "allowed: " + result);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"application/octet-stream", "text/plain", "image/png", "IMAGE/GIF; x=y"})
    void imagesAreWhatTheirMagicSaysWhateverTheHeader(String declared) {
        assertEquals("image/png", allowed(TestMedia.png(3, 2), declared));
        assertEquals("image/jpeg", allowed(TestMedia.jpeg(3, 2), declared));
        assertEquals("image/gif", allowed(TestMedia.encode(TestMedia.drawn(3, 2, false), "gif"), declared));
        assertEquals("image/webp", allowed(resource("photo.webp"), declared));
        assertEquals("image/webp", allowed(resource("photo-lossless.webp"), declared));
        assertEquals("image/webp", allowed(resource("anim.webp"), declared));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "voice.webm, audio/webm;codecs=opus, audio/webm",
            "voice.webm, video/webm, video/webm",
            "clip.webm, video/webm, video/webm",
            "clip.webm, null, video/webm",
            "voice.webm, application/octet-stream, video/webm",
            "voice.m4a, null, audio/mp4",
            "voice.m4a, video/mp4, video/mp4",
            "voice-isom.mp4, audio/mp4, audio/mp4",
            "voice-isom.mp4, application/octet-stream, video/mp4",
            "clip.mp4, video/mp4, video/mp4",
            "clip.mp4, null, video/mp4",
            "voice.ogg, audio/ogg; codecs=opus, audio/ogg",
            "voice.ogg, null, audio/ogg",
            "voice.ogg, video/ogg, audio/ogg",
            "voice.mp3, audio/mpeg, audio/mpeg",
            "voice.mp3, null, audio/mpeg",
            "voice-noid3.mp3, application/octet-stream, audio/mpeg",
    })
    void containersOfAudioOrVideoFollowTheDeclaredFamily(String file, String declared, String expected) {
        assertEquals(expected, allowed(resource(file), declared));
    }

    @Test
    void quickTimeMatroskaAndStillImagesInAnMp4BoxAreRefused() {
        assertEquals("video/quicktime", refused(resource("clip.mov"), "video/quicktime").detected());
        assertEquals("video/x-matroska", refused(resource("clip.mkv"), "video/webm").detected());
        byte[] heic = ascii("\0\0\0\u0018ftypheic\0\0\0\0mif1heic\0\0\0\u0008free");
        refused(heic, "image/heic");
        byte[] avifClaimingIsom = ascii("\0\0\0\u001cftypavif\0\0\0\0avifmif1isom\0\0\0\u0008free");
        refused(avifClaimingIsom, null);
    }

    @Test
    void anEbmlHeaderWhoseLengthsLieIsNoWebm() {
        byte[] header = Arrays.copyOf(resource("voice.webm"), 40);
        header[4] = (byte) 0x88; // a header size of 8 cuts the DocType element short
        refused(header, "audio/webm");
        refused(new byte[] {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3, 0x00}, "audio/webm");
    }

    @Test
    void pdfIsAllowed() {
        assertEquals("application/pdf", allowed(ascii("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), null));
    }

    @Test
    void utf8TextIsPlainTextWithItsCharset() {
        assertEquals("text/plain; charset=utf-8", allowed(ascii("hello wörld, 你好\nsecond line\n"), "text/plain"));
        assertEquals("text/plain; charset=utf-8", allowed(ascii("alert(document.cookie);\n"), null),
                "script as text is inert: it is served as text/plain with nosniff");
    }

    @Test
    void textThatIsNotUtf8IsRefused() {
        refused("caf\u00e9 cr\u00e8me br\u00fbl\u00e9e".getBytes(StandardCharsets.ISO_8859_1), "text/plain");
        byte[] mostlyAscii = "The caf\u00e9 opened in 1999, and everyone in town came for its coffee and cake.\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("text must be UTF-8", refused(mostlyAscii, "text/plain").reason());
    }

    @Test
    void aHeadCutInsideACharacterIsStillTextButAWholeFileMustEndWell() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        while (text.size() < ContentSniffer.HEAD_BYTES) {
            text.writeBytes(ascii("ünïcödé text "));
        }
        byte[] bytes = text.toByteArray();
        int lead = ContentSniffer.HEAD_BYTES - 1;
        while ((bytes[lead] & 0xE0) != 0xC0) {
            lead--;
        }
        // shift the text so that the head's last byte is the first of a two-byte character
        byte[] head = new byte[ContentSniffer.HEAD_BYTES];
        int shift = ContentSniffer.HEAD_BYTES - 1 - lead;
        Arrays.fill(head, 0, shift, (byte) 'a');
        System.arraycopy(bytes, 0, head, shift, ContentSniffer.HEAD_BYTES - shift);
        assertEquals((byte) 0xC3, head[ContentSniffer.HEAD_BYTES - 1]);
        assertEquals("text/plain; charset=utf-8", allowed(head, null));

        int start = ContentSniffer.HEAD_BYTES - 200;
        while ((head[start] & 0xC0) == 0x80) {
            start++;
        }
        byte[] wholeFile = Arrays.copyOfRange(head, start, ContentSniffer.HEAD_BYTES);
        assertEquals("text must be UTF-8", refused(wholeFile, null).reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
            "<div onclick=\"x()\">hi</div>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
            "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            "<?xml version=\"1.0\"?><note>x</note>",
    })
    void htmlSvgAndXmlAreRefusedHoweverDeclared(String markup) {
        for (String declared : new String[] {null, "text/plain", "text/html", "image/svg+xml", "image/png"}) {
            refused(ascii(markup), declared);
        }
    }

    @Test
    void scriptOrHtmlLabelledAsAnImageIsRefused() {
        SniffResult.Refused js = refused(ascii("alert(document.cookie);\n"), "image/gif");
        assertTrue(js.reason().startsWith("declared as an image"), js.reason());
        refused(ascii("<html><script>alert(1)</script></html>"), "image/png");
        refused(resource("voice.ogg"), "image/webp");
    }

    @Test
    void aGifHtmlPolyglotIsStoredAsTheGifItsMagicSays() {
        byte[] polyglot = ascii("GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;<html><script>alert(1)</script>");
        assertEquals("image/gif", allowed(polyglot, "text/html"));
        assertEquals("image/gif", allowed(polyglot, "image/gif"));
    }

    @Test
    void otherBinariesAndEmptyUploadsAreRefused() {
        refused(new byte[0], "text/plain");
        refused(new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0}, "application/zip");
        refused(new byte[] {0x7F, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0}, null);
        refused(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, (byte) 0xFE}, null);
    }
}
